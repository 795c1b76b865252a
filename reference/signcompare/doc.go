// Package signcompare checks package github.com/volcim/volcim-go/signer
// against the official Volcengine Go SDK (github.com/volcengine/volc-sdk-golang/base):
// a property test signs thousands of random requests with both at the same
// fixed time and demands identical headers, and BenchmarkSign runs both on
// the same request for benchstat.
//
// It lives in its own module so that the main module never depends on the
// official SDK. It has tests only.
package signcompare
