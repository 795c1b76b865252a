//go:build !linux

package redislimit

import "os/exec"

// setPdeathsig is a no-op where the kernel offers no parent-death signal.
func setPdeathsig(*exec.Cmd) {}
