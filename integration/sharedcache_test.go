package integration

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
)

// Capability: a shared builder. A spec whose test target, or whose
// -toolexec wrapper, writes into every cache it can reach (appending code
// to the module cache's copy of a dependency, zeroing every build cache
// entry) cannot change the image of another spec built afterwards on the
// same daemon: the victim (examples/hello, which needs the same module)
// rebuilt with no-cache after the attacks has the digest of its clean
// build. All builds share one fresh BUILDKIT_CACHE_MOUNT_NS, as every build
// on a shared daemon shares the default one.

var hostileReport = regexp.MustCompile(`hostile-report tried=(\d+) changed=(\d+)`)

func TestHostileBuildsCannotChangeAnotherBuild(t *testing.T) {
	l := requireLab(t)
	ns := map[string]string{"build-arg:BUILDKIT_CACHE_MOUNT_NS": "it-hostile-" + nonce() + "-", "platform": "linux/amd64"}
	with := func(extra map[string]string) map[string]string {
		a := map[string]string{}
		for k, v := range ns {
			a[k] = v
		}
		for k, v := range extra {
			a[k] = v
		}
		return a
	}
	victim := repoPath("examples/hello")
	clean := digestOf(l.pushSpec(t, victim, "goscratch.yaml", ns))

	poisoner := copyDir(t, repoPath("integration/testdata/hostile/poisoner"))
	if err := os.Chmod(filepath.Join(poisoner, "poison.sh"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, attack := range []struct{ name, file string }{
		{"a hostile test target", "poison-test.yaml"},
		{"a hostile -toolexec", "goscratch.yaml"},
	} {
		attrs := with(map[string]string{"no-cache": ""})
		if attack.file == "poison-test.yaml" {
			attrs["target"] = "test"
		}
		_, p, err := l.solveSpec(t, poisoner, attack.file, attrs)
		if err != nil {
			t.Fatalf("%s: the hostile build itself failed: %v\n%s", attack.name, err, p.allLogs())
		}
		tried, changed := 0, 0
		for _, m := range hostileReport.FindAllStringSubmatch(p.allLogs(), -1) {
			a, _ := strconv.Atoi(m[1])
			b, _ := strconv.Atoi(m[2])
			tried, changed = tried+a, changed+b
		}
		if tried == 0 {
			t.Fatalf("%s found nothing to attack: the test proves nothing\n%s", attack.name, p.allLogs())
		}
		t.Logf("%s: tried to change %d cache files, changed %d (in caches of its own)", attack.name, tried, changed)
	}

	again := digestOf(l.pushSpec(t, victim, "goscratch.yaml", with(map[string]string{"no-cache": ""})))
	if again != clean {
		t.Fatalf("after the hostile builds the victim's digest is %s, its clean build's %s: another build changed its result", again, clean)
	}
}
