package volcim_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	volcim "github.com/volcim/volcim-go"
	"github.com/volcim/volcim-go/internal/redacttest"
	"github.com/volcim/volcim-go/volcimtest"
)

const userApp = 100003

// newUserServer starts a server whose clock stands still (on a whole
// millisecond) and accepts a day of skew, and a client of app userApp.
func newUserServer(t *testing.T) (*volcimtest.Server, *volcim.Client, *stoppedClock) {
	t.Helper()
	clock := &stoppedClock{t: time.Now().UTC().Truncate(time.Millisecond)}
	srv := volcimtest.NewServer(volcimtest.WithClock(clock.now), volcimtest.WithMaxSkew(24*time.Hour), volcimtest.WithQPS(0))
	t.Cleanup(srv.Close)
	c, err := srv.Client(volcim.WithAppID(userApp), volcim.WithRateLimit(1e6),
		volcim.WithRetry(volcim.RetryPolicy{MaxAttempts: 3, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}))
	if err != nil {
		t.Fatal(err)
	}
	return srv, c, clock
}

func getUsers(t *testing.T, c *volcim.Client, ids ...int64) *volcim.BatchGetUserResponse {
	t.Helper()
	resp, err := c.BatchGetUser(context.Background(), &volcim.BatchGetUserRequest{UserIDs: ids})
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func TestUsersRegisterReadUpdateUnregister(t *testing.T) {
	t.Parallel()
	_, c, clock := newUserServer(t)
	ctx := context.Background()
	t0 := clock.now()
	reg, err := c.RegisterUsers(ctx, &volcim.RegisterUsersRequest{Users: []volcim.UserRegistration{
		{UserID: 10001, NickName: "小明", Portrait: "https://p.example/1.png", Tags: []string{"城市:北京"}, Ext: map[string]string{"签名": "你好"}},
		{UserID: 10002},
		{UserID: 7234567890123456789, NickName: "客服机器人", IsRobot: true},
	}})
	if err != nil || len(reg.Failed) != 0 || reg.RequestID == "" {
		t.Fatalf("%+v, %v", reg, err)
	}
	got := getUsers(t, c, 7234567890123456789, 10001, 10003, 10002, 10001)
	want := []volcim.User{
		{AppID: userApp, UserID: 7234567890123456789, NickName: "客服机器人", IsRobot: true, Ext: map[string]string{}, CreateTime: t0, ModifyTime: t0},
		{AppID: userApp, UserID: 10001, NickName: "小明", Portrait: "https://p.example/1.png", Tags: []string{"城市:北京"}, Ext: map[string]string{"签名": "你好"}, CreateTime: t0, ModifyTime: t0},
		{AppID: userApp, UserID: 10002, Ext: map[string]string{}, CreateTime: t0, ModifyTime: t0},
	}
	if !reflect.DeepEqual(got.Users, want) || !slices.Equal(got.NotFoundUserIDs, []int64{10003}) {
		t.Fatalf("BatchGetUser:\n got %+v %v\nwant %+v [10003]", got.Users, got.NotFoundUserIDs, want)
	}

	// BatchUpdateUser replaces the whole profile: read, change, write.
	clock.advance(time.Minute)
	p := got.Users[1].Profile()
	p.NickName, p.Portrait = "大明", ""
	up, err := c.BatchUpdateUser(ctx, &volcim.BatchUpdateUserRequest{Users: []volcim.UserProfile{p, {UserID: 10002, NickName: "only a nickname"}, {UserID: 55555}}})
	var pf *volcim.PartialFailureError
	if !errors.As(err, &pf) || len(up.Failed) != 1 || up.Failed[0].UserID != 55555 || up.Failed[0].Code != volcim.CodeUserNotFound || !reflect.DeepEqual(pf.Failed, up.Failed) {
		t.Fatalf("update: %+v, %v", up, err)
	}
	got = getUsers(t, c, 10001, 10002)
	want = []volcim.User{
		{AppID: userApp, UserID: 10001, NickName: "大明", Tags: []string{"城市:北京"}, Ext: map[string]string{"签名": "你好"}, CreateTime: t0, ModifyTime: t0.Add(time.Minute)},
		{AppID: userApp, UserID: 10002, NickName: "only a nickname", Ext: map[string]string{}, CreateTime: t0, ModifyTime: t0.Add(time.Minute)},
	}
	if !reflect.DeepEqual(got.Users, want) {
		t.Errorf("after the update:\n got %+v\nwant %+v", got.Users, want)
	}

	// Registering again replaces the profile and keeps CreateTime.
	if _, err := c.RegisterUsers(ctx, &volcim.RegisterUsersRequest{Users: []volcim.UserRegistration{{UserID: 10002, Portrait: "p"}}}); err != nil {
		t.Fatal(err)
	}
	if u := getUsers(t, c, 10002).Users[0]; u.NickName != "" || u.Portrait != "p" || !u.CreateTime.Equal(t0) {
		t.Errorf("re-registered %+v", u)
	}

	// Unregistered users are no longer found; unregistering them again
	// reports them.
	un, err := c.UnRegisterUsers(ctx, &volcim.UnRegisterUsersRequest{UserIDs: []int64{10001, 7234567890123456789}})
	if err != nil || len(un.Failed) != 0 {
		t.Fatalf("%+v, %v", un, err)
	}
	got = getUsers(t, c, 10001, 10002, 7234567890123456789)
	if len(got.Users) != 1 || got.Users[0].UserID != 10002 || !slices.Equal(got.NotFoundUserIDs, []int64{10001, 7234567890123456789}) {
		t.Errorf("after unregistering: %+v", got)
	}
	un, err = c.UnRegisterUsers(ctx, &volcim.UnRegisterUsersRequest{UserIDs: []int64{10001, 10002}})
	if !errors.Is(err, volcim.ErrPartialFailure) || len(un.Failed) != 1 || un.Failed[0].UserID != 10001 || un.Failed[0].Code != volcim.CodeUserNotFound {
		t.Errorf("unregistering again: %+v, %v", un, err)
	}
}

func TestUsersRobotLimit(t *testing.T) {
	t.Parallel()
	srv, c, _ := newUserServer(t)
	robots := make([]volcim.User, volcim.MaxRobots-1)
	for i := range robots {
		robots[i] = volcim.User{UserID: int64(900000 + i), IsRobot: true}
	}
	srv.AddUsers(userApp, robots...)
	resp, err := c.RegisterUsers(context.Background(), &volcim.RegisterUsersRequest{Users: []volcim.UserRegistration{
		{UserID: 1, IsRobot: true}, {UserID: 2, IsRobot: true}, {UserID: 3}, {UserID: 900000, IsRobot: true, NickName: "still a robot"},
	}})
	if !errors.Is(err, volcim.ErrPartialFailure) || len(resp.Failed) != 1 || resp.Failed[0].UserID != 2 || resp.Failed[0].Code != volcim.CodeInvalidParam {
		t.Fatalf("%+v, %v", resp, err)
	}
	got := getUsers(t, c, 1, 2, 3, 900000)
	if len(got.Users) != 3 || !slices.Equal(got.NotFoundUserIDs, []int64{2}) || got.Users[2].NickName != "still a robot" {
		t.Errorf("%+v", got)
	}
}

func TestBatchUpdateUserTags(t *testing.T) {
	t.Parallel()
	srv, c, clock := newUserServer(t)
	ctx := context.Background()
	srv.AddUsers(userApp, volcim.User{UserID: 1, Tags: []string{"a"}}, volcim.User{UserID: 2})
	clock.advance(time.Second)
	for range 2 { // a retry changes nothing
		resp, err := c.BatchUpdateUserTags(ctx, &volcim.BatchUpdateUserTagsRequest{UserIDs: []int64{1, 2, 3}, Tags: []string{"b", "a", "年龄:18"}})
		if !errors.Is(err, volcim.ErrPartialFailure) || len(resp.Failed) != 1 || resp.Failed[0].UserID != 3 || resp.Failed[0].Code != volcim.CodeUserNotFound {
			t.Fatalf("%+v, %v", resp, err)
		}
	}
	got := getUsers(t, c, 1, 2)
	if !slices.Equal(got.Users[0].Tags, []string{"a", "b", "年龄:18"}) || !slices.Equal(got.Users[1].Tags, []string{"b", "a", "年龄:18"}) || !got.Users[0].ModifyTime.Equal(clock.now()) {
		t.Fatalf("after upsert %+v", got.Users)
	}
	if _, err := c.BatchUpdateUserTags(ctx, &volcim.BatchUpdateUserTagsRequest{UserIDs: []int64{1, 2}, Tags: []string{"a", "missing"}, Op: volcim.UserTagsDelete}); err != nil {
		t.Fatal(err)
	}
	got = getUsers(t, c, 1, 2)
	if !slices.Equal(got.Users[0].Tags, []string{"b", "年龄:18"}) || !slices.Equal(got.Users[1].Tags, []string{"b", "年龄:18"}) {
		t.Errorf("after delete %+v", got.Users)
	}
}

func TestGetAppTokenIssuedAndVerified(t *testing.T) {
	t.Parallel()
	srv, c, clock := newUserServer(t)
	ctx := context.Background()
	expire := clock.now().Add(2*time.Hour + 1500*time.Microsecond)
	resp, err := c.GetAppToken(ctx, &volcim.GetAppTokenRequest{UserID: 10001, ExpireTime: expire})
	if err != nil {
		t.Fatal(err)
	}
	if resp.AppID != userApp || resp.UserID != 10001 || resp.Token.IsZero() || !resp.ExpireTime.Equal(expire.Truncate(time.Millisecond)) {
		t.Fatalf("%+v", resp)
	}
	claims, err := srv.VerifyAppToken(resp.Token.Reveal())
	want := volcimtest.AppTokenClaims{AppID: userApp, UserID: 10001, ExpireTime: expire.Truncate(time.Millisecond)}
	if err != nil || claims != want {
		t.Fatalf("claims %+v, %v; want %+v", claims, err, want)
	}
	other, err := c.GetAppToken(ctx, &volcim.GetAppTokenRequest{UserIDStr: "用户-甲", ExpireTime: expire})
	if err != nil || other.UserIDStr != "用户-甲" || other.Token.Reveal() == resp.Token.Reveal() {
		t.Fatalf("%+v, %v", other, err)
	}
	if claims, err := srv.VerifyAppToken(other.Token.Reveal()); err != nil || claims.UserIDStr != "用户-甲" || claims.UserID != 0 {
		t.Errorf("string id: %+v, %v", claims, err)
	}

	// A changed token, or one of another server, is not valid.
	tok := resp.Token.Reveal()
	otherSrv := volcimtest.NewServer()
	defer otherSrv.Close()
	for name, bad := range map[string]string{
		"empty":          "",
		"changed":        tok[:len(tok)-2] + "xx",
		"no signature":   tok[:strings.LastIndexByte(tok, '.')],
		"another prefix": "x" + tok,
	} {
		if _, err := srv.VerifyAppToken(bad); !errors.Is(err, volcimtest.ErrAppTokenInvalid) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := otherSrv.VerifyAppToken(tok); !errors.Is(err, volcimtest.ErrAppTokenInvalid) {
		t.Errorf("another server: %v", err)
	}

	// It expires on the server's clock.
	clock.advance(2*time.Hour + time.Millisecond)
	claims, err = srv.VerifyAppToken(tok)
	if !errors.Is(err, volcimtest.ErrAppTokenExpired) || claims != want || strings.Contains(err.Error(), tok) {
		t.Errorf("after expiry: %+v, %v", claims, err)
	}
}

const tokenSecret = "vimt1.TOKEN-that-must-never-print-5f3a9c"

// TestAppTokenIsNeverShown prints a token, its response and the errors of
// GetAppToken every way a program might, and looks for the token.
func TestAppTokenIsNeverShown(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	reply := []byte(`{"ResponseMetadata":{"RequestId":"r1","Action":"GetAppToken"},"Result":{"AppId":1,"UserId":2,"Token":"` + tokenSecret + `"}}`)
	c, _ := replayBody(t, reply)
	req := &volcim.GetAppTokenRequest{UserID: 2, ExpireTime: time.Now().Add(time.Hour)}
	resp, err := c.GetAppToken(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Token.Reveal() != tokenSecret {
		t.Fatalf("Reveal: %q", resp.Token.Reveal())
	}
	// A reply cut short, a reply of another shape: their errors quote no
	// excerpt of the body.
	truncated, _ := replayBody(t, reply[:len(reply)-5])
	_, cutErr := truncated.GetAppToken(ctx, req)
	noMeta, _ := replayBody(t, []byte(`{"Result":{"Token":"`+tokenSecret+`"}}`))
	_, metaErr := noMeta.GetAppToken(ctx, req)
	for _, err := range []error{cutErr, metaErr} {
		if !errors.Is(err, volcim.ErrMalformedReply) {
			t.Fatalf("malformed reply: %v", err)
		}
	}
	type holder struct{ t volcim.AppToken } // fmt cannot call methods here
	for name, forms := range map[string][]redacttest.Form{
		"AppToken":               redacttest.Nested(resp.Token),
		"*AppToken":              redacttest.Nested(&resp.Token),
		"response":               redacttest.Nested(resp),
		"response value":         redacttest.Nested(*resp),
		"unexported field":       redacttest.Nested(holder{resp.Token}),
		"unexported field, ptr":  redacttest.Nested(&holder{resp.Token}),
		"truncated reply error":  redacttest.Nested(cutErr),
		"reply without metadata": redacttest.Nested(metaErr),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			redacttest.Check(t, forms, tokenSecret)
		})
	}
	var out bytes.Buffer
	j, err := json.Marshal(resp)
	if err != nil {
		t.Fatal(err)
	}
	out.Write(j)
	slog.New(slog.NewJSONHandler(&out, nil)).Info("issued", "token", resp.Token, "resp", resp)
	slog.New(slog.NewTextHandler(&out, nil)).Info("issued", "token", resp.Token, "resp", resp)
	fmt.Fprintln(&out, cutErr, metaErr)
	if strings.Contains(out.String(), tokenSecret) || !strings.Contains(out.String(), "[redacted]") {
		t.Errorf("the token shows: %s", out.String())
	}
	var zero volcim.AppToken
	if zero.String() != "" || !zero.IsZero() || zero.Reveal() != "" || fmt.Sprint(zero) != "" || fmt.Sprintf("%#v", zero) != `volcim.AppToken("")` {
		t.Errorf("zero AppToken: %q %#v", zero.String(), zero)
	}
}

func TestQueryOnlineStatus(t *testing.T) {
	t.Parallel()
	srv, c, _ := newUserServer(t)
	ctx := context.Background()
	srv.SetOnline(userApp, 10001,
		volcim.OnlineConnection{ConnID: "c1", DeviceID: 7100000000000000001, Platform: volcim.PlatformAndroid, ClientVersion: 100},
		volcim.OnlineConnection{DeviceID: 2, Platform: volcim.PlatformWeb, ClientVersion: 210})
	srv.SetOnline(userApp, 10002, volcim.OnlineConnection{ConnID: "c3", Platform: volcim.PlatformIOS})
	srv.SetOnline(userApp+1, 10003, volcim.OnlineConnection{ConnID: "other app"})
	resp, err := c.QueryOnlineStatus(ctx, &volcim.QueryOnlineStatusRequest{UserIDs: []int64{10001, 10003, 10002}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[int64][]volcim.OnlineConnection{
		10001: {
			{UserID: 10001, ConnID: "c1", DeviceID: 7100000000000000001, Platform: volcim.PlatformAndroid, ClientVersion: 100},
			{UserID: 10001, ConnID: "conn-10001-2", DeviceID: 2, Platform: volcim.PlatformWeb, ClientVersion: 210},
		},
		10002: {{UserID: 10002, ConnID: "c3", Platform: volcim.PlatformIOS}},
	}
	if resp.AppID != userApp || !reflect.DeepEqual(resp.Online, want) || !resp.IsOnline(10002) || resp.IsOnline(10003) {
		t.Fatalf("got %+v\nwant %+v", resp.Online, want)
	}
	srv.SetOnline(userApp, 10001)
	resp, err = c.QueryOnlineStatus(ctx, &volcim.QueryOnlineStatusRequest{UserIDs: []int64{10001}})
	if err != nil || len(resp.Online) != 0 || resp.IsOnline(10001) {
		t.Errorf("after going offline: %+v, %v", resp, err)
	}
	var nilResp *volcim.QueryOnlineStatusResponse
	if nilResp.IsOnline(1) {
		t.Error("a nil response says a user is online")
	}
}

func TestUsersInvalidRequests(t *testing.T) {
	t.Parallel()
	srv, c, _ := newUserServer(t)
	ctx := context.Background()
	ids := func(n int) []int64 {
		out := make([]int64, n)
		for i := range out {
			out[i] = int64(i + 1)
		}
		return out
	}
	regs := func(n int) []volcim.UserRegistration {
		out := make([]volcim.UserRegistration, n)
		for i := range out {
			out[i] = volcim.UserRegistration{UserID: int64(i + 1)}
		}
		return out
	}
	profiles := func(n int) []volcim.UserProfile {
		out := make([]volcim.UserProfile, n)
		for i := range out {
			out[i] = volcim.UserProfile{UserID: int64(i + 1)}
		}
		return out
	}
	bigExt := map[string]string{}
	for i := range volcim.MaxUserExtKeys + 1 {
		bigExt[fmt.Sprint("k", i)] = "v"
	}
	register := func(u volcim.UserRegistration) func() error {
		return func() error {
			_, err := c.RegisterUsers(ctx, &volcim.RegisterUsersRequest{Users: []volcim.UserRegistration{u}})
			return err
		}
	}
	update := func(u volcim.UserProfile) func() error {
		return func() error {
			_, err := c.BatchUpdateUser(ctx, &volcim.BatchUpdateUserRequest{Users: []volcim.UserProfile{u}})
			return err
		}
	}
	future := time.Now().Add(time.Hour)
	for _, tc := range []struct {
		action, field string
		call          func() error
	}{
		{"RegisterUsers", "", func() error { _, err := c.RegisterUsers(ctx, nil); return err }},
		{"RegisterUsers", "AppID", func() error {
			_, err := c.RegisterUsers(ctx, &volcim.RegisterUsersRequest{AppID: -1, Users: regs(1)})
			return err
		}},
		{"RegisterUsers", "Users", func() error { _, err := c.RegisterUsers(ctx, &volcim.RegisterUsersRequest{}); return err }},
		{"RegisterUsers", "Users", func() error {
			_, err := c.RegisterUsers(ctx, &volcim.RegisterUsersRequest{Users: regs(volcim.MaxRegisterUsers + 1)})
			return err
		}},
		{"RegisterUsers", "Users", register(volcim.UserRegistration{})},
		{"RegisterUsers", "Users", register(volcim.UserRegistration{UserID: 1, NickName: strings.Repeat("名", 34)})}, // 102 bytes
		{"RegisterUsers", "Users", register(volcim.UserRegistration{UserID: 1, Portrait: strings.Repeat("p", volcim.MaxUserPortraitBytes+1)})},
		{"RegisterUsers", "Users", register(volcim.UserRegistration{UserID: 1, Ext: bigExt})},
		{"RegisterUsers", "Users", register(volcim.UserRegistration{UserID: 1, Ext: map[string]string{"s:reserved": "v"}})},
		{"RegisterUsers", "Users", register(volcim.UserRegistration{UserID: 1, Ext: map[string]string{"": "v"}})},
		{"RegisterUsers", "Users", register(volcim.UserRegistration{UserID: 1, Ext: map[string]string{strings.Repeat("k", 51): "v"}})},
		{"RegisterUsers", "Users", register(volcim.UserRegistration{UserID: 1, Ext: map[string]string{"k": strings.Repeat("v", 501)}})},
		{"RegisterUsers", "Users", func() error {
			_, err := c.RegisterUsers(ctx, &volcim.RegisterUsersRequest{Users: []volcim.UserRegistration{{UserID: 1}, {UserID: 1}}})
			return err
		}},
		{"UnRegisterUsers", "", func() error { _, err := c.UnRegisterUsers(ctx, nil); return err }},
		{"UnRegisterUsers", "UserIDs", func() error { _, err := c.UnRegisterUsers(ctx, &volcim.UnRegisterUsersRequest{}); return err }},
		{"UnRegisterUsers", "UserIDs", func() error {
			_, err := c.UnRegisterUsers(ctx, &volcim.UnRegisterUsersRequest{UserIDs: ids(volcim.MaxUnRegisterUsers + 1)})
			return err
		}},
		{"UnRegisterUsers", "UserIDs", func() error {
			_, err := c.UnRegisterUsers(ctx, &volcim.UnRegisterUsersRequest{UserIDs: []int64{0}})
			return err
		}},
		{"BatchGetUser", "", func() error { _, err := c.BatchGetUser(ctx, nil); return err }},
		{"BatchGetUser", "UserIDs", func() error {
			_, err := c.BatchGetUser(ctx, &volcim.BatchGetUserRequest{UserIDs: ids(volcim.MaxBatchGetUser + 1)})
			return err
		}},
		{"BatchGetUser", "UserIDs", func() error {
			_, err := c.BatchGetUser(ctx, &volcim.BatchGetUserRequest{UserIDs: []int64{1, -1}})
			return err
		}},
		{"BatchUpdateUser", "", func() error { _, err := c.BatchUpdateUser(ctx, nil); return err }},
		{"BatchUpdateUser", "Users", func() error { _, err := c.BatchUpdateUser(ctx, &volcim.BatchUpdateUserRequest{}); return err }},
		{"BatchUpdateUser", "Users", func() error {
			_, err := c.BatchUpdateUser(ctx, &volcim.BatchUpdateUserRequest{Users: profiles(volcim.MaxBatchUpdateUser + 1)})
			return err
		}},
		{"BatchUpdateUser", "Users", update(volcim.UserProfile{})},
		{"BatchUpdateUser", "Users", update(volcim.UserProfile{UserID: 1, NickName: strings.Repeat("n", 101)})},
		{"BatchUpdateUser", "Users", update(volcim.UserProfile{UserID: 1, Ext: map[string]string{"s:x": ""}})},
		{"BatchUpdateUser", "Users", func() error {
			_, err := c.BatchUpdateUser(ctx, &volcim.BatchUpdateUserRequest{Users: []volcim.UserProfile{{UserID: 2}, {UserID: 2}}})
			return err
		}},
		{"BatchUpdateUserTags", "", func() error { _, err := c.BatchUpdateUserTags(ctx, nil); return err }},
		{"BatchUpdateUserTags", "UserIDs", func() error {
			_, err := c.BatchUpdateUserTags(ctx, &volcim.BatchUpdateUserTagsRequest{Tags: []string{"t"}})
			return err
		}},
		{"BatchUpdateUserTags", "UserIDs", func() error {
			_, err := c.BatchUpdateUserTags(ctx, &volcim.BatchUpdateUserTagsRequest{UserIDs: ids(volcim.MaxIDsPerCall + 1), Tags: []string{"t"}})
			return err
		}},
		{"BatchUpdateUserTags", "Tags", func() error {
			_, err := c.BatchUpdateUserTags(ctx, &volcim.BatchUpdateUserTagsRequest{UserIDs: ids(1)})
			return err
		}},
		{"BatchUpdateUserTags", "Tags", func() error {
			_, err := c.BatchUpdateUserTags(ctx, &volcim.BatchUpdateUserTagsRequest{UserIDs: ids(1), Tags: []string{"a", ""}})
			return err
		}},
		{"BatchUpdateUserTags", "Op", func() error {
			_, err := c.BatchUpdateUserTags(ctx, &volcim.BatchUpdateUserTagsRequest{UserIDs: ids(1), Tags: []string{"a"}, Op: 2})
			return err
		}},
		{"GetAppToken", "", func() error { _, err := c.GetAppToken(ctx, nil); return err }},
		{"GetAppToken", "AppID", func() error {
			_, err := c.GetAppToken(ctx, &volcim.GetAppTokenRequest{AppID: -2, UserID: 1, ExpireTime: future})
			return err
		}},
		{"GetAppToken", "UserID", func() error {
			_, err := c.GetAppToken(ctx, &volcim.GetAppTokenRequest{ExpireTime: future})
			return err
		}},
		{"GetAppToken", "UserID", func() error {
			_, err := c.GetAppToken(ctx, &volcim.GetAppTokenRequest{UserID: -1, UserIDStr: "x", ExpireTime: future})
			return err
		}},
		{"GetAppToken", "ExpireTime", func() error {
			_, err := c.GetAppToken(ctx, &volcim.GetAppTokenRequest{UserID: 1})
			return err
		}},
		{"GetAppToken", "ExpireTime", func() error {
			_, err := c.GetAppToken(ctx, &volcim.GetAppTokenRequest{UserID: 1, ExpireTime: time.Now().Add(-time.Second)})
			return err
		}},
		{"QueryOnlineStatus", "", func() error { _, err := c.QueryOnlineStatus(ctx, nil); return err }},
		{"QueryOnlineStatus", "UserIDs", func() error {
			_, err := c.QueryOnlineStatus(ctx, &volcim.QueryOnlineStatusRequest{})
			return err
		}},
		{"QueryOnlineStatus", "UserIDs", func() error {
			_, err := c.QueryOnlineStatus(ctx, &volcim.QueryOnlineStatusRequest{UserIDs: ids(volcim.MaxQueryOnlineStatus + 1)})
			return err
		}},
	} {
		err := tc.call()
		var ire *volcim.InvalidRequestError
		if !errors.As(err, &ire) || !errors.Is(err, volcim.ErrInvalidRequest) || ire.Action != tc.action || ire.Field != tc.field {
			t.Errorf("%s %s: got %v (%+v)", tc.action, tc.field, err, ire)
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests reached the server; invalid requests must fail before the network", n)
	}
}

// TestUsersRequestsAndDecode sends each action once against its canned
// reply: the body on the wire and every decoded field.
func TestUsersRequestsAndDecode(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ms := func(n int64) time.Time { return time.UnixMilli(n).UTC() }
	t.Run("RegisterUsers", func(t *testing.T) {
		t.Parallel()
		c, sent := replayTestdata(t, "partial/register_users.json")
		resp, err := c.RegisterUsers(ctx, &volcim.RegisterUsersRequest{Users: []volcim.UserRegistration{
			{UserID: 10001, NickName: "小明", Portrait: "https://p.example/1.png", Tags: []string{"城市:北京"}, Ext: map[string]string{"签名": "你好"}},
			{UserID: 9007199254741001, IsRobot: true},
		}})
		if !errors.Is(err, volcim.ErrPartialFailure) {
			t.Fatalf("err %v", err)
		}
		sameJSON(t, "body", sent()[0], `{"AppId":123456,"Users":[
			{"UserId":10001,"NickName":"小明","Portrait":"https://p.example/1.png","Tags":["城市:北京"],"Ext":{"签名":"你好"}},
			{"UserId":9007199254741001,"IsRobot":true}]}`)
		want := []volcim.FailedItem{{UserID: 9007199254741001, Code: "InvalidParam", Message: "机器人数量超过上限 5000"}}
		if !reflect.DeepEqual(resp.Failed, want) {
			t.Errorf("%+v", resp)
		}
	})
	t.Run("RegisterUsers with string ids in FailedInfos", func(t *testing.T) {
		t.Parallel()
		c, _ := replayBody(t, []byte(`{"ResponseMetadata":{"RequestId":"r"},"Result":{"FailedInfos":[
			{"UserId":"9007199254741001","Code":"C1","Message":"m1"},{"UserId":"alice","Code":"C2","Message":"m2"},{"UserId":12,"Code":"C3","Message":"m3"}]}}`))
		resp, err := c.RegisterUsers(ctx, &volcim.RegisterUsersRequest{Users: []volcim.UserRegistration{{UserID: 1}}})
		want := []volcim.FailedItem{{UserID: 9007199254741001, Code: "C1", Message: "m1"}, {UserIDStr: "alice", Code: "C2", Message: "m2"}, {UserID: 12, Code: "C3", Message: "m3"}}
		if !errors.Is(err, volcim.ErrPartialFailure) || !reflect.DeepEqual(resp.Failed, want) {
			t.Errorf("%+v, %v", resp, err)
		}
	})
	t.Run("RegisterUsers without Result", func(t *testing.T) {
		t.Parallel()
		c, _ := replayBody(t, []byte(`{"ResponseMetadata":{"RequestId":"r"}}`))
		resp, err := c.RegisterUsers(ctx, &volcim.RegisterUsersRequest{Users: []volcim.UserRegistration{{UserID: 1}}})
		if err != nil || len(resp.Failed) != 0 || resp.RequestID != "r" {
			t.Errorf("%+v, %v", resp, err)
		}
	})
	t.Run("UnRegisterUsers", func(t *testing.T) {
		t.Parallel()
		c, sent := replayTestdata(t, "partial/un_register_users.json")
		resp, err := c.UnRegisterUsers(ctx, &volcim.UnRegisterUsersRequest{UserIDs: []int64{10001, 9007199254741003}})
		if !errors.Is(err, volcim.ErrPartialFailure) {
			t.Fatalf("err %v", err)
		}
		sameJSON(t, "body", sent()[0], `{"AppId":123456,"UserIds":[10001,9007199254741003]}`)
		if !reflect.DeepEqual(resp.Failed, []volcim.FailedItem{{UserID: 9007199254741003, Code: volcim.CodeUserNotFound, Message: "用户未注册"}}) {
			t.Errorf("%+v", resp)
		}
	})
	t.Run("BatchGetUser", func(t *testing.T) {
		t.Parallel()
		c, sent := replayTestdata(t, "batch_get_user.json")
		resp, err := c.BatchGetUser(ctx, &volcim.BatchGetUserRequest{UserIDs: []int64{10001, 7234567890123456789, 9007199254741005, 10009}})
		if err != nil {
			t.Fatal(err)
		}
		sameJSON(t, "body", sent()[0], `{"AppId":123456,"UserIds":[10001,7234567890123456789,9007199254741005,10009]}`)
		want := []volcim.User{
			{AppID: 123456, UserID: 10001, NickName: "小明", Portrait: "https://cdn.example.com/portrait/10001.jpg", Tags: []string{"age:18", "城市:北京"},
				Ext: map[string]string{"签名": "你好,世界", "level": "3"}, CreateTime: ms(1716172215123), ModifyTime: ms(1716258615456)},
			{AppID: 123456, UserID: 7234567890123456789, NickName: "客服机器人", Portrait: "https://cdn.example.com/portrait/bot.png", Tags: []string{"robot"},
				Ext: map[string]string{"用途": "客服"}, IsRobot: true, CreateTime: ms(1704067200001), ModifyTime: ms(1704067200999)},
		}
		if !reflect.DeepEqual(resp.Users, want) || !slices.Equal(resp.NotFoundUserIDs, []int64{9007199254741005, 10009}) {
			t.Errorf("got %+v\nwant %+v", resp, want)
		}
		// A User survives a JSON round trip in the wire form.
		b, err := json.Marshal(resp.Users[1])
		if err != nil {
			t.Fatal(err)
		}
		var back volcim.User
		if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back, resp.Users[1]) || !bytes.Contains(b, []byte(`"CreateTime":1704067200001`)) {
			t.Errorf("round trip %s: %+v, %v", b, back, err)
		}
	})
	t.Run("BatchUpdateUser", func(t *testing.T) {
		t.Parallel()
		c, sent := replayTestdata(t, "partial/batch_update_user.json")
		resp, err := c.BatchUpdateUser(ctx, &volcim.BatchUpdateUserRequest{Users: []volcim.UserProfile{
			{UserID: 10001, NickName: "小明", Portrait: "https://p.example/1.png", Tags: []string{"a"}, Ext: map[string]string{"k": "值"}},
			{UserID: 9007199254741007},
		}})
		if !errors.Is(err, volcim.ErrPartialFailure) {
			t.Fatalf("err %v", err)
		}
		// Every field travels, empty ones too: the update replaces.
		sameJSON(t, "body", sent()[0], `{"AppId":123456,"Users":[
			{"UserId":10001,"NickName":"小明","Portrait":"https://p.example/1.png","Tags":["a"],"Ext":{"k":"值"}},
			{"UserId":9007199254741007,"NickName":"","Portrait":"","Tags":null,"Ext":null}]}`)
		if !reflect.DeepEqual(resp.Failed, []volcim.FailedItem{{UserID: 9007199254741007, Code: volcim.CodeUserNotFound, Message: "用户未注册"}}) {
			t.Errorf("%+v", resp)
		}
	})
	t.Run("BatchUpdateUserTags", func(t *testing.T) {
		t.Parallel()
		c, sent := replayTestdata(t, "partial/batch_update_user_tags.json")
		resp, err := c.BatchUpdateUserTags(ctx, &volcim.BatchUpdateUserTagsRequest{UserIDs: []int64{9007199254741009}, Tags: []string{"tag1:v1", "标签"}, Op: volcim.UserTagsDelete})
		if !errors.Is(err, volcim.ErrPartialFailure) {
			t.Fatalf("err %v", err)
		}
		sameJSON(t, "body", sent()[0], `{"AppId":123456,"Op":1,"Tags":["tag1:v1","标签"],"UserIds":[9007199254741009]}`)
		if !reflect.DeepEqual(resp.Failed, []volcim.FailedItem{{UserID: 9007199254741009, Code: volcim.CodeUserNotFound, Message: "用户未注册"}}) {
			t.Errorf("%+v", resp)
		}
		c2, sent2 := replayBody(t, []byte(`{"ResponseMetadata":{"RequestId":"r"},"Result":{}}`))
		if resp, err := c2.BatchUpdateUserTags(ctx, &volcim.BatchUpdateUserTagsRequest{UserIDs: []int64{1}, Tags: []string{"t"}}); err != nil || len(resp.Failed) != 0 {
			t.Errorf("empty Result: %+v, %v", resp, err)
		}
		sameJSON(t, "upsert body", sent2()[0], `{"AppId":123456,"Op":0,"Tags":["t"],"UserIds":[1]}`)
	})
	t.Run("GetAppToken", func(t *testing.T) {
		t.Parallel()
		c, sent := replayTestdata(t, "get_app_token.json")
		expire := time.Now().Add(time.Hour).Truncate(time.Millisecond)
		resp, err := c.GetAppToken(ctx, &volcim.GetAppTokenRequest{UserID: 9007199254741011, UserIDStr: "用户-甲", ExpireTime: expire.Add(999 * time.Microsecond)})
		if err != nil {
			t.Fatal(err)
		}
		sameJSON(t, "body", sent()[0], fmt.Sprintf(`{"AppId":123456,"ExpireTime":%d,"UserId":9007199254741011,"UserIdStr":"用户-甲"}`, expire.UnixMilli()))
		if resp.AppID != 123456 || resp.UserID != 9007199254741011 || resp.UserIDStr != "用户-甲" || resp.Token.Reveal() != "vimt1.Y2FubmVkLXRva2VuLeS9oOWlvQ.c2lnbmF0dXJl" || !resp.ExpireTime.Equal(expire) || resp.RequestID == "" {
			t.Errorf("%+v", resp)
		}
		noToken, _ := replayBody(t, []byte(`{"ResponseMetadata":{"RequestId":"r9"},"Result":{"AppId":1,"UserId":2}}`))
		_, err = noToken.GetAppToken(ctx, &volcim.GetAppTokenRequest{UserID: 2, ExpireTime: expire})
		var ae *volcim.APIError
		if !errors.Is(err, volcim.ErrMalformedReply) || !errors.As(err, &ae) || ae.RequestID != "r9" || !ae.Malformed {
			t.Errorf("no token: %v", err)
		}
	})
	t.Run("QueryOnlineStatus", func(t *testing.T) {
		t.Parallel()
		c, sent := replayTestdata(t, "query_online_status.json")
		resp, err := c.QueryOnlineStatus(ctx, &volcim.QueryOnlineStatusRequest{UserIDs: []int64{10001, 9007199254741013, 10005}})
		if err != nil {
			t.Fatal(err)
		}
		sameJSON(t, "body", sent()[0], `{"AppId":123456,"UserIds":[10001,9007199254741013,10005]}`)
		want := map[int64][]volcim.OnlineConnection{
			10001: {
				{UserID: 10001, ConnID: "ConnID_1", DeviceID: 7100000000000000001, ClientVersion: 100, Platform: volcim.PlatformAndroid},
				{UserID: 10001, ConnID: "连接-2", DeviceID: 7100000000000000003, ClientVersion: 210, Platform: volcim.PlatformWeb},
			},
			9007199254741013: {{UserID: 9007199254741013, ConnID: "ConnID_3", DeviceID: 9007199254741015, ClientVersion: 305, Platform: volcim.PlatformIOS}},
		}
		if resp.AppID != 123456 || !reflect.DeepEqual(resp.Online, want) {
			t.Errorf("got %+v\nwant %+v", resp.Online, want)
		}
		bad, _ := replayBody(t, []byte(`{"ResponseMetadata":{"RequestId":"r"},"Result":{"AppId":1,"QueryOnlineResults":{"alice":[{"ConnId":"c"}]}}}`))
		if _, err := bad.QueryOnlineStatus(ctx, &volcim.QueryOnlineStatusRequest{UserIDs: []int64{1}}); !errors.Is(err, volcim.ErrMalformedReply) {
			t.Errorf("a key that is no user id: %v", err)
		}
		filled, _ := replayBody(t, []byte(`{"ResponseMetadata":{"RequestId":"r"},"Result":{"AppId":1,"QueryOnlineResults":{"5":[{"ConnId":"c","Platform":"HarmonyOS"}]}}}`))
		if resp, err := filled.QueryOnlineStatus(ctx, &volcim.QueryOnlineStatusRequest{UserIDs: []int64{5}}); err != nil || resp.Online[5][0].UserID != 5 || resp.Online[5][0].Platform.String() != "HarmonyOS" {
			t.Errorf("a connection without UserId: %+v, %v", resp, err)
		}
	})
}

func TestUserTagsOpString(t *testing.T) {
	t.Parallel()
	for op, want := range map[volcim.UserTagsOp]string{volcim.UserTagsUpsert: "upsert", volcim.UserTagsDelete: "delete", 4: "UserTagsOp(4)"} {
		if op.String() != want {
			t.Errorf("%d: %q, want %q", int32(op), op.String(), want)
		}
	}
}
