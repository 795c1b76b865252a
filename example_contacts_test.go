package volcim_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	volcim "github.com/volcim/volcim-go"
	"github.com/volcim/volcim-go/volcimtest"
)

// Walk a user's friends: add some (AddFriend takes at most 10 a call),
// name one of them, then range over the list, which ListFriend serves 20 at
// a time in the order the friends were added.
func ExampleClient_Friends() {
	srv := volcimtest.NewServer()
	defer srv.Close()
	client, err := srv.Client(volcim.WithAppID(exampleApp))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	const alice = 10001
	for _, batch := range [][]int64{{10002, 10003, 10004}, {10005, 10006}} {
		if _, err := client.AddFriend(ctx, &volcim.AddFriendRequest{UserID: alice, FriendUserIDs: batch}); err != nil {
			log.Fatal(err)
		}
	}
	_, err = client.UpdateFriend(ctx, &volcim.UpdateFriendRequest{UserID: alice, FriendInfos: []volcim.FriendUpdate{
		{FriendUserID: 10003, Alias: volcim.Ptr("Bob (work)")},
	}})
	if err != nil {
		log.Fatal(err)
	}

	// Friendships are mutual: 10003 has alice as a friend too.
	is, err := client.IsFriend(ctx, &volcim.IsFriendRequest{UserID: 10003, FriendUserIDs: []int64{alice}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("10003 is a friend of alice's:", is.IsFriend[alice])

	for f, err := range client.Friends(ctx, &volcim.FriendsRequest{UserID: alice, PageSize: 2}) {
		if err != nil {
			log.Fatal(err)
		}
		if f.Alias != "" {
			fmt.Println(f.FriendUserID, f.Alias)
			continue
		}
		fmt.Println(f.FriendUserID)
	}
	// Output:
	// 10003 is a friend of alice's: true
	// 10002
	// 10003 Bob (work)
	// 10004
	// 10005
	// 10006
}

// Page through a block list with a pager, keeping the cursor to resume
// from, and the list's size (NeedTotal). The list runs from the user
// blocked last to the first.
func ExampleClient_BlackListPager() {
	srv := volcimtest.NewServer()
	defer srv.Close()
	client, err := srv.Client(volcim.WithAppID(exampleApp))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	const alice = 10001
	for _, id := range []int64{20001, 20002, 20003} {
		_, err := client.AddBlackList(ctx, &volcim.AddBlackListRequest{UserID: alice, BlackListInfos: []volcim.BlackListUser{
			{BlackListUserID: id, Ext: map[string]string{"reason": "spam"}},
		}})
		if err != nil {
			log.Fatal(err)
		}
	}

	p, err := client.BlackListPager(&volcim.BlackListRequest{UserID: alice, PageSize: 2, NeedTotal: true})
	if err != nil {
		log.Fatal(err)
	}
	for p.HasMore() {
		page, err := p.Next(ctx)
		if err != nil {
			log.Fatal(err) // p.Cursor() still names the page that failed
		}
		total, _ := p.TotalCount()
		for _, e := range page {
			fmt.Printf("%d (%s), %d blocked in all\n", e.BlackListUserID, e.Ext["reason"], total)
		}
		// save(p.Cursor()) here to resume later with BlackListRequest.Cursor.
	}
	// Output:
	// 20003 (spam), 3 blocked in all
	// 20002 (spam), 3 blocked in all
	// 20001 (spam), 3 blocked in all
}

// A batch write that the server carried out for some users and not others
// returns its response and a *PartialFailureError naming the failed users.
func ExampleClient_AddBlackList_partialFailure() {
	srv := volcimtest.NewServer()
	defer srv.Close()
	client, err := srv.Client(volcim.WithAppID(exampleApp))
	if err != nil {
		log.Fatal(err)
	}

	// volcimtest refuses to let a user block themselves.
	resp, err := client.AddBlackList(context.Background(), &volcim.AddBlackListRequest{
		UserID:         10001,
		BlackListInfos: []volcim.BlackListUser{{BlackListUserID: 10002}, {BlackListUserID: 10001}},
	})
	var pf *volcim.PartialFailureError
	switch {
	case errors.As(err, &pf):
		for _, f := range resp.Failed {
			fmt.Println("not blocked:", f.UserID, f.Code)
		}
	case err != nil:
		log.Fatal(err)
	}
	// Output:
	// not blocked: 10001 AddSelfBlackNotAllow
}
