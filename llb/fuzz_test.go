package llb

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/goscratch/goscratch/spec"
	"github.com/moby/buildkit/client/llb"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// fuzzPlatforms are the target platforms every fuzzed spec is converted for:
// one plain, one with a GOARM variant, one with a GOAMD64 variant, and the
// spec's own platforms when it names any.
var fuzzPlatforms = []ocispecs.Platform{
	arm64,
	armv7,
	{OS: "linux", Architecture: "amd64", Variant: "v3"},
}

// FuzzConvert runs the whole pure pipeline the frontend runs on a spec —
// Parse (which validates), Resolve of every target, BuilderImage, Convert
// (ConvertTest for the test target) for several platforms, Marshal — and
// checks that nothing panics, that a failure is an error with a message, and
// that converting the same input twice gives byte-identical LLB. Seeds: every
// example's goscratch.yaml and every golden spec (the bad-input catalog).
//
//	go test -run '^$' -fuzz '^FuzzConvert$' -fuzztime 30s ./llb   # CI (hack/test.sh)
//	go test -run '^$' -fuzz '^FuzzConvert$' -fuzztime 2h ./llb    # the long run
func FuzzConvert(f *testing.F) {
	seeds := fuzzSeeds(f)
	if len(seeds) < 40 {
		f.Fatalf("found %d seed specs, want the examples and the golden cases", len(seeds))
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := spec.Parse("f.yaml", data)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("Parse failed with an empty message")
			}
			return
		}
		if _, err := spec.BuilderImage(s, []byte(fuzzGomod)); err != nil && err.Error() == "" {
			t.Fatal("BuilderImage failed with an empty message")
		}
		platforms, err := s.DefaultPlatforms()
		if err != nil {
			t.Fatalf("a parsed spec has bad platforms: %v", err)
		}
		platforms = append(platforms, fuzzPlatforms...)
		names := s.TargetNames()
		if s.HasDefault() {
			names = append(names, "")
		}
		for _, name := range names {
			r, err := s.Resolve(name, spec.ModulePath([]byte(fuzzGomod)))
			if err != nil {
				continue // e.g. binary names that clash once defaulted: an error for the user, not a crash
			}
			for _, p := range platforms {
				first := convertFuzzed(t, r, p)
				if second := convertFuzzed(t, r, p); !bytes.Equal(first, second) {
					t.Fatalf("target %q on %s: two conversions of the same spec differ", name, formatPlatform(p))
				}
			}
		}
	})
}

const fuzzGomod = "module example.com/fuzz/app\n\ngo 1.26\n"

// convertFuzzed converts r for p and returns the marshalled definition (nil
// when Convert refused the input with an error).
func convertFuzzed(t *testing.T, r *spec.Resolved, p ocispecs.Platform) []byte {
	t.Helper()
	opt := options(p)
	opt.Context = llb.Local("context", llb.LocalUniqueID("fuzz"))
	var st llb.State
	if r.Test != nil {
		var err error
		if st, err = ConvertTest(r, opt); err != nil {
			if err.Error() == "" {
				t.Fatal("ConvertTest failed with an empty message")
			}
			return nil
		}
	} else {
		res, err := Convert(r, opt)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("Convert failed with an empty message")
			}
			return nil
		}
		if res.Image == nil || len(res.Image.Config.Entrypoint) == 0 {
			t.Fatalf("Convert of target %q gave image config %+v", r.Target, res.Image)
		}
		st = res.State
	}
	def, err := st.Marshal(context.Background())
	if err != nil {
		t.Fatalf("Marshal of target %q for %s: %v", r.Target, formatPlatform(p), err)
	}
	var b bytes.Buffer
	for _, d := range def.Def {
		b.Write(d)
	}
	return b.Bytes()
}

// fuzzSeeds reads every example spec and every golden spec of spec/testdata.
func fuzzSeeds(f testing.TB) [][]byte {
	var out [][]byte
	for _, pattern := range []string{"../examples/*/goscratch.yaml", "../spec/testdata/*/spec.yaml", "../goscratch.yaml"} {
		paths, err := filepath.Glob(pattern)
		if err != nil {
			f.Fatal(err)
		}
		for _, p := range paths {
			dt, err := os.ReadFile(p)
			if err != nil {
				f.Fatal(err)
			}
			out = append(out, dt)
		}
	}
	return out
}
