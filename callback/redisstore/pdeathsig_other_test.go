//go:build !linux

package redisstore_test

import "os/exec"

// setPdeathsig is a no-op where the kernel offers no parent-death signal.
func setPdeathsig(*exec.Cmd) {}
