package main

import (
	"strings"
	"testing"
)

func TestRenderResults(t *testing.T) {
	out := renderResults(sampleResults())
	for _, want := range []string{
		"| change | 2 | goscratch | 2.00 | 2.00–2.00 | 1.00× (1.00×–1.00×) | 0 | 1 |",
		"| change | 2 | dockerfile | 4.00 | 4.00–4.00 | 2.00× (2.00×–2.00×) | 0 | 1 |",
		"**PASS** hello change 2 platform(s): goscratch 0.50× the Dockerfile (target ≤ 0.80×)",
		"**MISS** hello change 2 platform(s): goscratch 2.00× the host `go build` floor",
		"**MISS** hello noop 1 platform(s): goscratch median 1.50 s (target ≤ 1 s)",
		"**MISS** hello ephemeral 2 platform(s): goscratch 0.50× the Dockerfile (target ≤ 0.35×)",
		"**MISS** hello ephemeral 2 platform(s): goscratch module-proxy requests per rebuild 3–3 (target 0)",
		"**MISS** hello image: 10000 bytes over its compressed parts (target ≤ 8192)",
		"**PASS** frontend image 15.0 MB",
		"| hello | change | 2 | 300 (300–300) | 40.0 (40.0) |",
		"Machine: Test CPU, 2 cores, 23.4 GiB RAM",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("rendered results lack %q:\n%s", want, out)
		}
	}
}

func TestSpliceDoc(t *testing.T) {
	for _, tc := range []struct{ name, doc, want string }{
		{"no markers: appended", "# B\n", "# B\n\n" + markBegin + "\nGEN\n" + markEnd + "\n"},
		{"empty doc", "", "\n" + markBegin + "\nGEN\n" + markEnd + "\n"},
		{"replaced, rest kept", "# B\n" + markBegin + "\nold\n" + markEnd + "\ntail\n", "# B\n" + markBegin + "\nGEN\n" + markEnd + "\ntail\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := spliceDoc(tc.doc, "GEN\n"); got != tc.want {
				t.Errorf("spliceDoc:\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestPlotResults(t *testing.T) {
	path := t.TempDir() + "/b.png"
	if err := plotResults(sampleResults(), path); err != nil {
		t.Fatal(err)
	}
}
