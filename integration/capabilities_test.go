package integration

import (
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Capability: file capabilities. The binary of examples/udpserver carries
// CAP_NET_BIND_SERVICE: the pushed layer's tar header has the
// security.capability xattr, and the image, run in BuildKit as 65532,
// binds UDP port 53 — which the same image without the capability cannot.
// The Dockerfile `goscratch dockerfile` ejects carries the same xattr.

// capabilityXattr is the PAX record of the security.capability xattr.
const capabilityXattr = "SCHILY.xattr.security.capability"

// netBindServiceXattr is what `setcap cap_net_bind_service=+ep` writes:
// vfs_cap_data revision 2, effective, bit 10 permitted.
var netBindServiceXattr = string([]byte{0x01, 0, 0, 0x02, 0, 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})

const udpserverBin = "/usr/local/bin/udpserver"

func TestFileCapabilityBindsPort53AsNonRoot(t *testing.T) {
	l := requireLab(t)
	ref, _ := l.pushExample(t, repoPath("examples/udpserver"), "udpserver-caps", map[string]string{"platform": "linux/amd64,linux/arm64"})
	for _, p := range []string{"linux/amd64", "linux/arm64"} {
		f, ok := imageFor(t, ref, p).files(t)[udpserverBin]
		if !ok {
			t.Fatalf("%s: no %s", p, udpserverBin)
		}
		if got := f.Header.PAXRecords[capabilityXattr]; got != netBindServiceXattr {
			t.Errorf("%s: %s tar header %s = %x, want %x (cap_net_bind_service=ep)", p, udpserverBin, capabilityXattr, got, netBindServiceXattr)
		}
		if err := checkStatic(f.Data, imageFor(t, ref, p).Platform.Architecture); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
	img := imageFor(t, ref, "linux/amd64")
	if img.Config.Config.User != "65532:65532" {
		t.Fatalf("user %q, want 65532:65532", img.Config.Config.User)
	}
	addr := loopback53()
	out := l.runInImage(t, ref, img, "-selftest", "-listen", addr)
	wantContains(t, "the image as 65532", out, "selftest: bound udp "+addr+" as uid=65532", "health: ok, health.goscratch. is 192.0.2.53",
		"selftest: wrote /var/lib/udpserver/answers")

	// the same spec without capabilities: the same binary, no xattr, no port 53
	dir := copyDir(t, repoPath("examples/udpserver"))
	specFile := filepath.Join(dir, "goscratch.yaml")
	dt, err := os.ReadFile(specFile)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, specFile, strings.Replace(string(dt), "capabilities: [NET_BIND_SERVICE]\n", "", 1))
	bare, _ := l.pushExample(t, dir, "udpserver-nocaps", map[string]string{"platform": "linux/amd64"})
	bimg := imageFor(t, bare, "linux/amd64")
	bf := bimg.files(t)[udpserverBin]
	if x, ok := bf.Header.PAXRecords[capabilityXattr]; ok {
		t.Errorf("without capabilities the binary still has %s %x", capabilityXattr, x)
	}
	if f := img.files(t)[udpserverBin]; string(f.Data) != string(bf.Data) {
		t.Errorf("the binary differs with and without capabilities: the setcap step must copy it unchanged")
	}
	out, err = l.tryInImage(bare, bimg, "-selftest", "-listen", addr)
	if err == nil || !strings.Contains(out, "bind: permission denied") {
		t.Errorf("without the capability the bind of %s as 65532 did not fail with permission denied (err %v):\n%s", addr, err, out)
	}
}

func TestEjectedDockerfileKeepsFileCapabilities(t *testing.T) {
	l := requireLab(t)
	dir := copyDir(t, repoPath("examples/udpserver"))
	writeFile(t, filepath.Join(dir, "Dockerfile"), run(t, goscratchCLI(t), "dockerfile", "--syntax=", filepath.Join(dir, "goscratch.yaml")))
	ref := l.ref("udpserver-ejected")
	run(t, "buildctl", "--addr", l.BuildkitAddr, "build", "--frontend", "dockerfile.v0",
		"--local", "context="+dir, "--local", "dockerfile="+dir, "--opt", "platform=linux/amd64",
		"--output", "type=image,name="+ref+",push=true")
	img := imageFor(t, ref, "linux/amd64")
	if got := img.files(t)[udpserverBin].Header.PAXRecords[capabilityXattr]; got != netBindServiceXattr {
		t.Errorf("the ejected Dockerfile's %s has %s = %s, want %s", udpserverBin, capabilityXattr, hex.EncodeToString([]byte(got)), hex.EncodeToString([]byte(netBindServiceXattr)))
	}
	out := l.runInImage(t, ref, img, "-selftest", "-listen", loopback53())
	wantContains(t, "the ejected image as 65532", out, "as uid=65532", "health: ok")
}

// loopback53 is port 53 on a random loopback address: the lab's buildkitd
// may run steps in the host's network, where 127.0.0.1:53 can be taken
// and other tests may bind at the same time.
func loopback53() string {
	return fmt.Sprintf("127.%d.%d.%d:53", 100+rand.IntN(100), 1+rand.IntN(250), 1+rand.IntN(250))
}
