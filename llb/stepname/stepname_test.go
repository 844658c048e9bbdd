package stepname

import "testing"

func TestPhase(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{Download, PhaseDownload},
		{Builder("golang:1.26.8"), PhaseBuilder},
		{FrontendImage, PhaseBuilder},
		{Toolchain, PhaseBuilder},
		{ResolveBuilder("golang:1.26.8"), PhaseBuilder},
		{ResolveFrontendImage, PhaseBuilder},
		{ListImports("linux/arm64", []string{"./cmd/a", "./cmd/b"}), PhaseDeps},
		{ScanImports([]string{"./cmd/a", "./cmd/b"}), PhaseDeps},
		{Prune("linux/arm64", []string{"./cmd/a"}), PhaseDeps},
		{Precompile("linux/arm/v7", ""), PhasePrecompile},
		{Precompile("linux/amd64", "cmd/x/default.pgo"), PhasePrecompile},
		{PrecompileOwn("linux/amd64", "", []string{"./cmd/a", "./cmd/b"}), PhasePrecompile},
		{PrecompileOwn("linux/arm64", "cmd/x/default.pgo", []string{"."}), PhasePrecompile},
		{Build("linux/amd64", "./cmd/a", "./cmd/b"), PhaseBuild},
		{Build("linux/amd64", "./cmd/server"), PhaseBuild},
		{"[linux/amd64] assemble image", ""},
		{"copy go.mod go.sum", ""},
		{"[internal] load build context", ""},
		{"exporting to image", ""},
	} {
		if got := Phase(tc.name); got != tc.want {
			t.Errorf("Phase(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}
