// Package clientbench benchmarks one API call three ways against the same
// loopback server: this SDK (volcim), the official SDK
// (github.com/volcengine/volc-sdk-golang/service/im) and a bare net/http
// "floor" that only encodes, posts and decodes. The sub-benchmarks are named
// client=<name> so that benchstat puts them side by side, with the floor as
// the base the others are compared to:
//
//	go test -run '^$' -bench . -count 8 ./reference/clientbench/ |
//		go run golang.org/x/perf/cmd/benchstat@latest -col '/client@(floor volcim official)' -
//
// On a busy machine, run the compiled test binary once per round instead
// (-test.count 1 in a loop), so that load drifts over all the clients alike;
// BENCHMARKS.md at the repository root has that command, the method and the
// figures. TestVolcimDecodesAsTheFloor checks that volcim, whose own decoder
// reads these replies, decodes them as the floor's encoding/json does.
//
// It lives in the reference module so that the main module never depends on
// the official SDK. It has tests only.
package clientbench
