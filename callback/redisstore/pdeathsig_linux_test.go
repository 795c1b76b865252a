package redisstore_test

import (
	"os/exec"
	"syscall"
)

// setPdeathsig makes the kernel kill cmd if the test binary dies without
// running its cleanups (a test timeout, a crash), so that no redis-server or
// helper process outlives the test run.
func setPdeathsig(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
