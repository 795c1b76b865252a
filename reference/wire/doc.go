// Package wire checks, action by action, that volcim speaks the same wire
// format as the official SDK (github.com/volcengine/volc-sdk-golang,
// service/im): for the same inputs both send equal JSON bodies, and both
// decode one canned reply (the root module's testdata/<action>.json, the file
// httpmock users load too) to the same values. It holds tests only.
//
// One case per action lives in the area's test file (messages_test.go,
// conversations_test.go, ...); harness_test.go runs them.
package wire
