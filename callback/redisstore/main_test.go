package redisstore_test

import (
	"fmt"
	"os"
	"os/exec"
	"testing"
)

func TestMain(m *testing.M) {
	if os.Getenv(envRedisAddr) == "" && os.Getenv(envRequireRedis) != "1" {
		if _, err := exec.LookPath("redis-server"); err != nil {
			// go test prints this with -v, or when the package fails or is
			// tested on its own; each skipped test says it too.
			fmt.Fprintf(os.Stderr, "redisstore: redis-server is not in PATH and %s is not set: "+
				"the tests that need Redis skip. Install redis-server (Debian: apt-get install redis-server) "+
				"or set %s=host:port to run them.\n", envRedisAddr, envRedisAddr)
		}
	}
	os.Exit(m.Run())
}
