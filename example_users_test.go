package volcim_test

import (
	"context"
	"fmt"
	"log"
	"time"

	volcim "github.com/volcim/volcim-go"
	"github.com/volcim/volcim-go/volcimtest"
)

// Register users, read them back, and issue a token for one of them to log
// in with.
func ExampleClient_RegisterUsers() {
	srv := volcimtest.NewServer()
	defer srv.Close()
	client, err := srv.Client(volcim.WithAppID(exampleApp))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	if _, err := client.RegisterUsers(ctx, &volcim.RegisterUsersRequest{Users: []volcim.UserRegistration{
		{UserID: 10001, NickName: "Alice", Tags: []string{"plan:pro"}},
		{UserID: 10002, NickName: "Bob"},
	}}); err != nil {
		log.Fatal(err) // a *volcim.PartialFailureError lists users not registered
	}
	got, err := client.BatchGetUser(ctx, &volcim.BatchGetUserRequest{UserIDs: []int64{10001, 10002, 10003}})
	if err != nil {
		log.Fatal(err)
	}
	for _, u := range got.Users {
		fmt.Println(u.UserID, u.NickName, u.Tags)
	}
	fmt.Println("not registered:", got.NotFoundUserIDs)

	tok, err := client.GetAppToken(ctx, &volcim.GetAppTokenRequest{UserID: 10001, ExpireTime: time.Now().Add(24 * time.Hour)})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("token:", tok.Token) // a secret: it prints as [redacted]

	// Hand tok.Token.Reveal() to the app. volcimtest checks it the way the
	// IM service would when the app logs in.
	claims, err := srv.VerifyAppToken(tok.Token.Reveal())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("the token logs in user", claims.UserID, "of app", claims.AppID)
	// Output:
	// 10001 Alice [plan:pro]
	// 10002 Bob []
	// not registered: [10003]
	// token: [redacted]
	// the token logs in user 10001 of app 123456
}

// Ask which users are online, and on which devices. volcimtest simulates
// presence with SetOnline.
func ExampleClient_QueryOnlineStatus() {
	srv := volcimtest.NewServer()
	defer srv.Close()
	srv.SetOnline(exampleApp, 10001,
		volcim.OnlineConnection{ConnID: "phone", Platform: volcim.PlatformIOS, DeviceID: 1},
		volcim.OnlineConnection{ConnID: "browser", Platform: volcim.PlatformWeb, DeviceID: 2})
	client, err := srv.Client(volcim.WithAppID(exampleApp))
	if err != nil {
		log.Fatal(err)
	}

	resp, err := client.QueryOnlineStatus(context.Background(), &volcim.QueryOnlineStatusRequest{UserIDs: []int64{10001, 10002}})
	if err != nil {
		log.Fatal(err)
	}
	for _, user := range []int64{10001, 10002} {
		fmt.Print(user, " online: ", resp.IsOnline(user))
		for _, conn := range resp.Online[user] {
			fmt.Print(" ", conn.Platform)
		}
		fmt.Println()
	}
	// Output:
	// 10001 online: true iOS Web
	// 10002 online: false
}
