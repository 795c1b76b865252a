package wire

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/volcengine/volc-sdk-golang/service/im"

	volcim "github.com/volcim/volcim-go"
)

// sameFailedInfos compares volcim's failed items with the official SDK's
// FailedInfos of the user actions.
func sameFailedInfos[F any](t *testing.T, v []volcim.FailedItem, o []F, item func(F) volcim.FailedItem) {
	t.Helper()
	if len(v) != len(o) || len(v) == 0 {
		t.Fatalf("volcim %d failed, official %d", len(v), len(o))
	}
	for i := range o {
		checkDeep(t, "FailedInfos", v[i], item(o[i]))
	}
}

func TestUsersAgree(t *testing.T) {
	t.Parallel()
	nick, portrait := "小明", "https://p.example/1.png"
	expire := time.Now().Add(time.Hour).Truncate(time.Millisecond)
	tokenUser := "用户-甲"
	runAgreements(t, []agreement{
		{
			action: "RegisterUsers",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return partial(c.RegisterUsers(ctx, &volcim.RegisterUsersRequest{Users: []volcim.UserRegistration{
					{UserID: 10001, NickName: nick, Portrait: portrait, Tags: []string{"城市:北京"}, Ext: map[string]string{"签名": "你好"}},
					{UserID: 9007199254741001, IsRobot: true},
				}}))
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				return c.RegisterUsers(ctx, &im.RegisterUsersBody{AppID: testApp, Users: []im.RegisterUsersBodyUsersItem{
					{UserID: 10001, NickName: &nick, Portrait: &portrait, Tags: []string{"城市:北京"}, Ext: map[string]string{"签名": "你好"}},
					{UserID: 9007199254741001, IsRobot: true},
				}})
			},
			same: func(t *testing.T, v, o any) {
				vr, or := v.(*volcim.RegisterUsersResponse), o.(*im.RegisterUsersRes)
				sameFailedInfos(t, vr.Failed, or.Result.FailedInfos, func(f im.RegisterUsersResResultFailedInfosItem) volcim.FailedItem {
					return volcim.FailedItem{UserID: f.UserID, Code: f.Code, Message: f.Message}
				})
				check(t, "RequestId", vr.RequestID, or.ResponseMetadata.RequestID)
			},
		},
		{
			action: "UnRegisterUsers",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return partial(c.UnRegisterUsers(ctx, &volcim.UnRegisterUsersRequest{UserIDs: []int64{10001, 9007199254741003}}))
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				return c.UnRegisterUsers(ctx, &im.UnRegisterUsersBody{AppID: testApp, UserIDs: []int64{10001, 9007199254741003}})
			},
			same: func(t *testing.T, v, o any) {
				vr, or := v.(*volcim.UnRegisterUsersResponse), o.(*im.UnRegisterUsersRes)
				sameFailedInfos(t, vr.Failed, or.Result.FailedInfos, func(f im.UnRegisterUsersResResultFailedInfosItem) volcim.FailedItem {
					return volcim.FailedItem{UserID: f.UserID, Code: f.Code, Message: f.Message}
				})
				check(t, "RequestId", vr.RequestID, or.ResponseMetadata.RequestID)
			},
		},
		{
			action: "BatchGetUser",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.BatchGetUser(ctx, &volcim.BatchGetUserRequest{UserIDs: []int64{10001, 7234567890123456789, 9007199254741005, 10009}})
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				return c.BatchGetUser(ctx, &im.BatchGetUserBody{AppID: testApp, UserIDs: []int64{10001, 7234567890123456789, 9007199254741005, 10009}})
			},
			same: func(t *testing.T, v, o any) {
				vr, or := v.(*volcim.BatchGetUserResponse), o.(*im.BatchGetUserRes)
				checkDeep(t, "NotFoundUsers", vr.NotFoundUserIDs, or.Result.NotFoundUsers)
				if len(vr.Users) != len(or.Result.Users) || len(vr.Users) == 0 {
					t.Fatalf("volcim %d users, official %d", len(vr.Users), len(or.Result.Users))
				}
				for i, ou := range or.Result.Users {
					u := vr.Users[i]
					check(t, "AppId", u.AppID, int64(ou.AppID))
					check(t, "UserId", u.UserID, ou.UserID)
					check(t, "NickName", u.NickName, ou.NickName)
					check(t, "Portrait", u.Portrait, ou.Portrait)
					checkDeep(t, "Tags", u.Tags, ou.Tags)
					checkDeep(t, "Ext", u.Ext, ou.Ext)
					check(t, "IsRobot", u.IsRobot, ou.IsRobot)
					check(t, "CreateTime", u.CreateTime.UnixMilli(), ou.CreateTime)
					check(t, "ModifyTime", u.ModifyTime.UnixMilli(), ou.ModifyTime)
				}
				check(t, "RequestId", vr.RequestID, or.ResponseMetadata.RequestID)
			},
		},
		{
			action: "BatchUpdateUser",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return partial(c.BatchUpdateUser(ctx, &volcim.BatchUpdateUserRequest{Users: []volcim.UserProfile{
					{UserID: 10001, NickName: nick, Portrait: portrait, Tags: []string{"a", "标签"}, Ext: map[string]string{"k": "值"}},
					{UserID: 9007199254741007},
				}}))
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				return c.BatchUpdateUser(ctx, &im.BatchUpdateUserBody{AppID: testApp, Users: []im.BatchUpdateUserBodyUsersItem{
					{UserID: 10001, NickName: nick, Portrait: portrait, Tags: []string{"a", "标签"}, Ext: map[string]string{"k": "值"}},
					{UserID: 9007199254741007},
				}})
			},
			same: func(t *testing.T, v, o any) {
				vr, or := v.(*volcim.BatchUpdateUserResponse), o.(*im.BatchUpdateUserRes)
				sameFailedInfos(t, vr.Failed, or.Result.FailedInfos, func(f im.BatchUpdateUserResResultFailedInfosItem) volcim.FailedItem {
					return volcim.FailedItem{UserID: f.UserID, Code: f.Code, Message: f.Message}
				})
				check(t, "RequestId", vr.RequestID, or.ResponseMetadata.RequestID)
			},
		},
		{
			action: "BatchUpdateUserTags",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return partial(c.BatchUpdateUserTags(ctx, &volcim.BatchUpdateUserTagsRequest{
					UserIDs: []int64{10001, 9007199254741009}, Tags: []string{"tag1:v1", "标签"}, Op: volcim.UserTagsDelete,
				}))
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				return c.BatchUpdateUserTags(ctx, &im.BatchUpdateUserTagsBody{AppID: testApp, UserIDs: []int64{10001, 9007199254741009}, Tags: []string{"tag1:v1", "标签"}, Op: 1})
			},
			same: func(t *testing.T, v, o any) {
				vr, or := v.(*volcim.BatchUpdateUserTagsResponse), o.(*im.BatchUpdateUserTagsRes)
				sameFailedInfos(t, vr.Failed, or.Result.FailedInfos, func(f im.BatchUpdateUserTagsResResultFailedInfosItem) volcim.FailedItem {
					return volcim.FailedItem{UserID: f.UserID, Code: f.Code, Message: f.Message}
				})
				check(t, "RequestId", vr.RequestID, or.ResponseMetadata.RequestID)
			},
		},
		{
			action: "GetAppToken",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.GetAppToken(ctx, &volcim.GetAppTokenRequest{UserID: 9007199254741011, UserIDStr: tokenUser, ExpireTime: expire})
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				return c.GetAppToken(ctx, &im.GetAppTokenBody{AppID: testApp, UserID: 9007199254741011, UserIDStr: &tokenUser, ExpireTime: expire.UnixMilli()})
			},
			same: func(t *testing.T, v, o any) {
				vr, or := v.(*volcim.GetAppTokenResponse), o.(*im.GetAppTokenRes)
				check(t, "AppId", vr.AppID, int64(or.Result.AppID))
				check(t, "UserId", vr.UserID, or.Result.UserID)
				check(t, "UserIdStr", vr.UserIDStr, deref(or.Result.UserIDStr))
				check(t, "Token", vr.Token.Reveal(), or.Result.Token)
				check(t, "RequestId", vr.RequestID, or.ResponseMetadata.RequestID)
			},
		},
		{
			action: "QueryOnlineStatus",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.QueryOnlineStatus(ctx, &volcim.QueryOnlineStatusRequest{UserIDs: []int64{10001, 9007199254741013, 10005}})
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				return c.QueryOnlineStatus(ctx, &im.QueryOnlineStatusBody{AppID: testApp, UserIDs: []int64{10001, 9007199254741013, 10005}})
			},
			same: func(t *testing.T, v, o any) {
				vr, or := v.(*volcim.QueryOnlineStatusResponse), o.(*im.QueryOnlineStatusRes)
				check(t, "AppId", vr.AppID, int64(or.Result.AppID))
				if len(vr.Online) != len(or.Result.QueryOnlineStatusResults) || len(vr.Online) == 0 {
					t.Fatalf("volcim %d users online, official %d", len(vr.Online), len(or.Result.QueryOnlineStatusResults))
				}
				for key, conns := range or.Result.QueryOnlineStatusResults {
					user, err := strconv.ParseInt(key, 10, 64)
					if err != nil {
						t.Fatal(err)
					}
					var want []volcim.OnlineConnection
					for _, c := range conns {
						want = append(want, volcim.OnlineConnection{UserID: c.UserID, ConnID: c.ConnID, DeviceID: c.DeviceID, Platform: volcim.Platform(c.Platform), ClientVersion: c.ClientVersion})
					}
					checkDeep(t, "QueryOnlineResults["+key+"]", vr.Online[user], want)
				}
				check(t, "RequestId", vr.RequestID, or.ResponseMetadata.RequestID)
			},
		},
	})
}
