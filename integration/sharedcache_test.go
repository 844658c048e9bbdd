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
// rebuilt after the attacks (a file go does not read added, so go build runs again) has the digest of its clean
// build. The builds run on a buildkitd of the test's own, so nothing the lab
// daemon cached stands in for a step and every cache starts empty.

var hostileReport = regexp.MustCompile(`hostile-report tried=(\d+) changed=(\d+) \(module files (\d+), build cache entries (\d+)\)`)

func TestHostileBuildsCannotChangeAnotherBuild(t *testing.T) {
	lab := requireLab(t)
	l := startPrivateBuildkitd(t, lab).on(lab)
	ns := map[string]string{"platform": "linux/amd64"}
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
		var n [4]int // tried, changed, module files, build cache entries
		for _, m := range hostileReport.FindAllStringSubmatch(p.allLogs(), -1) {
			for i := range n {
				v, _ := strconv.Atoi(m[i+1])
				n[i] += v
			}
		}
		if n[2] == 0 {
			t.Fatalf("%s found no module file to attack: the test proves nothing\n%s", attack.name, p.allLogs())
		}
		t.Logf("%s: tried to change %d files (%d of the module, %d build cache entries), changed %d", attack.name, n[0], n[2], n[3], n[1])
		// every cache the author's code can see is read-only to it (its
		// writable cache is private and not under /goscratch/gocache)
		if n[1] != 0 {
			t.Errorf("%s changed %d files in caches that other builds read", attack.name, n[1])
		}
	}

	// a file go build does not read re-runs the go build step (the context
	// changed) in the same caches, and cannot change the binary (Go's
	// action ids, hence the build id, hash only what the build reads): the
	// clean digest is the only right answer
	edited := copyDir(t, victim)
	writeFile(t, filepath.Join(edited, "NOTES.txt"), "edited after the hostile builds\n")
	again := digestOf(l.pushSpec(t, edited, "goscratch.yaml", ns))
	if again != clean {
		t.Fatalf("after the hostile builds the victim's digest is %s, its clean build's %s: another build changed its result", again, clean)
	}
}
