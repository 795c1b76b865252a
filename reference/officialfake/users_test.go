package officialfake

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/volcengine/volc-sdk-golang/service/im"

	volcim "github.com/volcim/volcim-go"
	"github.com/volcim/volcim-go/volcimtest"
)

// TestOfficialUsers runs every user action through the official client
// against volcimtest, and reads each write back through it.
func TestOfficialUsers(t *testing.T) {
	t.Parallel()
	srv := volcimtest.NewServer()
	defer srv.Close()
	const app = 100000
	c := officialClient(t, srv, srv.SecretKey())
	ctx := context.Background()
	nick := "小明"

	if _, err := c.RegisterUsers(ctx, &im.RegisterUsersBody{AppID: app, Users: []im.RegisterUsersBodyUsersItem{
		{UserID: 10001, NickName: &nick, Tags: []string{"a"}, Ext: map[string]string{"k": "v"}},
		{UserID: 10002, IsRobot: true},
	}}); err != nil {
		t.Fatalf("official RegisterUsers: %v", err)
	}
	if _, err := c.BatchUpdateUser(ctx, &im.BatchUpdateUserBody{AppID: app, Users: []im.BatchUpdateUserBodyUsersItem{
		{UserID: 10002, NickName: "机器人", Portrait: "https://p.example/bot.png", Tags: []string{"robot"}, Ext: map[string]string{}},
	}}); err != nil {
		t.Fatalf("official BatchUpdateUser: %v", err)
	}
	tags, err := c.BatchUpdateUserTags(ctx, &im.BatchUpdateUserTagsBody{AppID: app, UserIDs: []int64{10001, 10003}, Tags: []string{"b"}})
	if err != nil || len(tags.Result.FailedInfos) != 1 || tags.Result.FailedInfos[0].UserID != 10003 || tags.Result.FailedInfos[0].Code != volcim.CodeUserNotFound {
		t.Fatalf("official BatchUpdateUserTags: %+v, %v", tags, err)
	}
	got, err := c.BatchGetUser(ctx, &im.BatchGetUserBody{AppID: app, UserIDs: []int64{10001, 10002, 10003}})
	if err != nil {
		t.Fatalf("official BatchGetUser: %v", err)
	}
	us := got.Result.Users
	if len(us) != 2 || us[0].NickName != "小明" || !slices.Equal(us[0].Tags, []string{"a", "b"}) || us[0].Ext["k"] != "v" || us[0].CreateTime == 0 ||
		us[1].NickName != "机器人" || !us[1].IsRobot || us[1].Portrait != "https://p.example/bot.png" || !slices.Equal(got.Result.NotFoundUsers, []int64{10003}) {
		t.Errorf("users %+v, not found %v", us, got.Result.NotFoundUsers)
	}
	if _, err := c.UnRegisterUsers(ctx, &im.UnRegisterUsersBody{AppID: app, UserIDs: []int64{10002}}); err != nil {
		t.Fatalf("official UnRegisterUsers: %v", err)
	}
	got, err = c.BatchGetUser(ctx, &im.BatchGetUserBody{AppID: app, UserIDs: []int64{10002}})
	if err != nil || len(got.Result.Users) != 0 || !slices.Equal(got.Result.NotFoundUsers, []int64{10002}) {
		t.Errorf("after UnRegisterUsers: %+v, %v", got, err)
	}

	expire := time.Now().Add(time.Hour).UnixMilli()
	tok, err := c.GetAppToken(ctx, &im.GetAppTokenBody{AppID: app, UserID: 10001, ExpireTime: expire})
	if err != nil {
		t.Fatalf("official GetAppToken: %v", err)
	}
	claims, err := srv.VerifyAppToken(tok.Result.Token)
	if err != nil || claims.UserID != 10001 || claims.AppID != app || claims.ExpireTime.UnixMilli() != expire || tok.Result.UserID != 10001 {
		t.Errorf("token %+v: claims %+v, %v", tok.Result, claims, err)
	}

	srv.SetOnline(app, 10001, volcim.OnlineConnection{ConnID: "c1", DeviceID: 7, Platform: volcim.PlatformIOS, ClientVersion: 3})
	online, err := c.QueryOnlineStatus(ctx, &im.QueryOnlineStatusBody{AppID: app, UserIDs: []int64{10001, 10002}})
	if err != nil {
		t.Fatalf("official QueryOnlineStatus: %v", err)
	}
	want := []im.QueryOnlineStatusResultItems{{ConnID: "c1", UserID: 10001, DeviceID: 7, ClientVersion: 3, Platform: "iOS"}}
	if r := online.Result.QueryOnlineStatusResults; len(r) != 1 || !slices.Equal(r["10001"], want) || online.Result.AppID != app {
		t.Errorf("online %+v", online.Result)
	}
	checkAccepted(t, srv)
}
