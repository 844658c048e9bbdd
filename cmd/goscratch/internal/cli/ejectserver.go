package cli

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/goscratch/goscratch/spec"
)

// What the ejected Dockerfile writes for the fields of real servers: file
// capabilities, the health check, the stop signal and the volumes.

// ejectSetcapDir holds the helper that sets file capabilities in the build stage.
const ejectSetcapDir = "/goscratch-setcap"

// setcapSource is the helper: go has no setcap, and the golang images have
// no libcap tools. It writes what `setcap CAPS=ep FILE` writes, the
// security.capability xattr (vfs_cap_data revision 2: effective, and the
// mask as permitted), for each MASK FILE pair of its arguments.
const setcapSource = `package main

import (
	"encoding/binary"
	"os"
	"strconv"
	"syscall"
)

func main() {
	for i := 1; i+1 < len(os.Args); i += 2 {
		mask, err := strconv.ParseUint(os.Args[i], 0, 64)
		if err != nil {
			panic(err)
		}
		v := make([]byte, 20)
		binary.LittleEndian.PutUint32(v[0:], 0x02000001)
		binary.LittleEndian.PutUint32(v[4:], uint32(mask))
		binary.LittleEndian.PutUint32(v[12:], uint32(mask>>32))
		if err := syscall.Setxattr(os.Args[i+1], "security.capability", v, 0); err != nil {
			panic(err)
		}
	}
}
`

// setcap gives the binaries with capabilities their security.capability
// xattr in the build stage, natively (the helper runs on the build
// platform, whatever the target). The final stage's COPY --from keeps it:
// it copies xattrs after setting the owner (a chown would clear them).
func (e *eject) setcap(b *strings.Builder) {
	var args []string
	for _, bin := range e.r.Binaries {
		if len(bin.Capabilities) == 0 {
			continue
		}
		mask, ok := spec.CapabilityMask(bin.Capabilities)
		if !ok && e.err == nil {
			e.err = fmt.Errorf("binary %s: capabilities %v are not Linux capability names", bin.Name, bin.Capabilities)
		}
		args = append(args, "0x"+strconv.FormatUint(mask, 16), shellQuote(ejectOut+"/"+bin.Name))
	}
	if len(args) == 0 {
		return
	}
	b.WriteString("# file capabilities (" + oneLine(e.capabilityNames()) + "): the security.capability xattr, which COPY --from keeps\n")
	fmt.Fprintf(b, "COPY <<'EOT' %s/main.go\n%sEOT\n", ejectSetcapDir, setcapSource)
	fmt.Fprintf(b, "RUN --mount=type=cache,id=goscratch-gocache,target=%s,sharing=shared \\\n", ejectGoCache)
	fmt.Fprintf(b, "    cd %s && GOFLAGS= GOWORK=off go run main.go %s\n", ejectSetcapDir, strings.Join(args, " "))
}

// capabilityNames lists each binary with capabilities and them: "api: CAP_NET_BIND_SERVICE".
func (e *eject) capabilityNames() string {
	var out []string
	for _, bin := range e.r.Binaries {
		if len(bin.Capabilities) > 0 {
			out = append(out, bin.Name+": "+strings.Join(bin.Capabilities, ","))
		}
	}
	return strings.Join(out, "; ")
}

// runtimeConfig writes VOLUME, STOPSIGNAL and HEALTHCHECK.
func (e *eject) runtimeConfig(b *strings.Builder) {
	r := e.r
	if len(r.Volumes) > 0 {
		fmt.Fprintf(b, "VOLUME %s\n", jsonArgs(escapeWords(r.Volumes)))
	}
	if r.StopSignal != "" {
		fmt.Fprintf(b, "STOPSIGNAL %s\n", envQuote(r.StopSignal))
	}
	if h := r.Healthcheck; h != nil {
		b.WriteString("HEALTHCHECK")
		for _, opt := range []struct {
			name string
			d    time.Duration
		}{{"interval", h.Interval}, {"timeout", h.Timeout}, {"start-period", h.StartPeriod}, {"start-interval", h.StartInterval}} {
			if opt.d > 0 {
				fmt.Fprintf(b, " --%s=%s", opt.name, opt.d)
			}
		}
		if h.Retries > 0 {
			fmt.Fprintf(b, " --retries=%d", h.Retries)
		}
		fmt.Fprintf(b, " CMD %s\n", jsonArgs(h.Test))
	}
}

// escapeWords escapes each path for the expansion VOLUME applies to its
// words, as copyPaths does for COPY.
func escapeWords(words []string) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = wordEscaper.Replace(w)
	}
	return out
}
