package cli

import (
	"os"
	"testing"
)

// TestMain keeps the unit tests offline: `goscratch llb` dials the daemon
// named by BUILDKIT_HOST, which hack/test.sh exports for the integration
// suite that runs later (and whose daemon is not up yet).
func TestMain(m *testing.M) {
	_ = os.Unsetenv("BUILDKIT_HOST")
	os.Exit(m.Run())
}
