package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDockerfiles: the two Dockerfile peers differ only where the modules
// live, and a several-binary subject is one go build into /out/.
func TestDockerfiles(t *testing.T) {
	for _, tc := range []struct {
		subject, tool string
		want, not     []string
	}{
		{"hello", toolDockerfile,
			[]string{"RUN --mount=type=cache,target=/go/pkg/mod go mod download", "    --mount=type=cache,target=/go/pkg/mod \\\n", "    --mount=type=cache,target=/root/.cache/go-build \\\n", "-o /out/hello .\n", "COPY --from=build /out/hello /usr/local/bin/hello\n"},
			[]string{"id=go-build-layer"}},
		{"hello", toolDockerfileLayer,
			[]string{"COPY go.mod go.sum ./\nRUN go mod download\n", "--mount=type=cache,id=go-build-layer,target=/root/.cache/go-build"},
			[]string{"target=/go/pkg/mod"}},
		{"big2bin", toolDockerfileLayer,
			[]string{"-o /out/ ./cmd/server ./cmd/svcctl\n", "COPY --from=build /out/ /usr/local/bin/\n", `ENTRYPOINT ["/usr/local/bin/server"]`},
			nil},
	} {
		t.Run(tc.subject+"/"+tc.tool, func(t *testing.T) {
			s, _ := subjectByName(tc.subject)
			w := &workspace{Subject: s, defs: t.TempDir()}
			b := &bench{builderImage: "golang:1.26.8"}
			must(t, b.writeDefs(w))
			df, err := os.ReadFile(filepath.Join(w.defs, dockerfileName(tc.tool)))
			must(t, err)
			for _, want := range tc.want {
				if !strings.Contains(string(df), want) {
					t.Errorf("lacks %q:\n%s", want, df)
				}
			}
			for _, not := range tc.not {
				if strings.Contains(string(df), not) {
					t.Errorf("has %q:\n%s", not, df)
				}
			}
			// BuildKit names a RUN vertex after its command, continuations joined
			for _, line := range strings.Split(strings.ReplaceAll(string(df), "\\\n", ""), "\n") {
				if p := phaseOf("[build 5/5] " + strings.TrimSpace(line)); strings.HasPrefix(line, "RUN") && p != phDownload && p != phBuild {
					t.Errorf("RUN step %q is in phase %q", line, p)
				}
			}
		})
	}
}
