package spec

import (
	"strings"
	"testing"

	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

func TestParsePlatform(t *testing.T) {
	for in, want := range map[string]string{
		"linux/amd64":       "linux/amd64",
		"linux/amd64/v1":    "linux/amd64",
		"linux/amd64/v3":    "linux/amd64/v3",
		"linux/x86_64":      "linux/amd64",
		"linux/arm64":       "linux/arm64",
		"linux/arm64/v8":    "linux/arm64",
		"linux/aarch64":     "linux/arm64",
		"linux/arm64/v8.2":  "linux/arm64/v8.2",
		"linux/arm64/v9.0":  "linux/arm64/v9",
		"linux/arm":         "linux/arm/v7",
		"linux/arm/v5":      "linux/arm/v5",
		"linux/arm/6":       "linux/arm/v6",
		"linux/armhf":       "linux/arm/v7",
		"linux/386":         "linux/386",
		"linux/i386":        "linux/386",
		"linux/riscv64":     "linux/riscv64",
		"linux/ppc64le":     "linux/ppc64le",
		"linux/s390x":       "linux/s390x",
		"linux/loong64":     "linux/loong64",
		"linux/mips64le":    "linux/mips64le",
		"Linux/AMD64":       "linux/amd64",
		"linux/ppc64":       "linux/ppc64",
		"linux/mipsle":      "linux/mipsle",
		"linux/mips":        "linux/mips",
		"linux/mips64":      "linux/mips64",
		"linux/arm64/v9.5":  "linux/arm64/v9.5",
		"linux/amd64/v4":    "linux/amd64/v4",
		"linux/arm64/v8.0":  "linux/arm64",
		"linux/arm64/8":     "linux/arm64",
		"linux/arm/v7":      "linux/arm/v7",
		"linux/amd64/V2":    "linux/amd64/v2",
		"linux/riscv64/":    "", // error below
		"linux/arm64/v8.10": "",
	} {
		p, err := ParsePlatform(in)
		if want == "" {
			if err == nil {
				t.Errorf("ParsePlatform(%q) = %v, want an error", in, p)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParsePlatform(%q): %v", in, err)
			continue
		}
		if got := formatPlatform(p); got != want {
			t.Errorf("ParsePlatform(%q) = %s, want %s", in, got, want)
		}
	}
}

func formatPlatform(p ocispecs.Platform) string {
	s := p.OS + "/" + p.Architecture
	if p.Variant != "" {
		s += "/" + p.Variant
	}
	return s
}

func TestParsePlatformErrors(t *testing.T) {
	for in, want := range map[string]string{
		"":                    "platform is empty",
		"linux":               `needs os/arch (e.g. linux/amd64)`,
		"arm64":               "did you mean linux/arm64?",
		"linux/amd46":         `unknown architecture "amd46" (did you mean linux/amd64?)`,
		"linux/riscv":         "did you mean linux/riscv64?",
		"linux/sparc64":       "Go builds linux for 386, amd64",
		"windows/amd64":       "FROM scratch images are linux-only (use linux/amd64)",
		"darwin/arm64":        "linux-only",
		"linxu/amd64":         `unknown os "linxu" (did you mean linux/amd64?)`,
		"linux/arm/v8":        "64-bit ARM is linux/arm64",
		"linux/arm/v4":        "valid variants: v5, v6, v7",
		"linux/amd64/v5":      "valid variants: v1, v2, v3, v4",
		"linux/arm64/v7":      "valid variants: v8, v8.1",
		"linux/riscv64/rva22": "riscv64 has no variants",
		"linux/386/sse2":      "386 has no variants",
		"linux(5.1)/amd64":    "os version and features are not supported",
		"linux/*":             "not valid",
		"linux/amd64/v2/x":    "not valid",
		"linux/a b":           "not valid",
	} {
		_, err := ParsePlatform(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParsePlatform(%q) = %v, want error containing %q", in, err, want)
		}
	}
}

// TestCheckPlatform is how the frontend checks request platforms.
func TestCheckPlatform(t *testing.T) {
	ok := []ocispecs.Platform{
		{OS: "linux", Architecture: "amd64"},
		{OS: "linux", Architecture: "arm", Variant: "v6"},
		{OS: "linux", Architecture: "arm"}, // normalised to v7
		{OS: "linux", Architecture: "arm64", Variant: "v8"},
		{OS: "linux", Architecture: "x86_64"},
	}
	for _, p := range ok {
		if err := CheckPlatform(p); err != nil {
			t.Errorf("CheckPlatform(%+v): %v", p, err)
		}
	}
	bad := map[string]ocispecs.Platform{
		"linux-only":                {OS: "windows", Architecture: "amd64", OSVersion: "10.0.20348.1"},
		"unknown architecture":      {OS: "linux", Architecture: "wasm"},
		`variant "v8" is not valid`: {OS: "linux", Architecture: "arm", Variant: "v8"},
		"os version":                {OS: "linux", Architecture: "amd64", OSFeatures: []string{"x"}},
	}
	for want, p := range bad {
		if err := CheckPlatform(p); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("CheckPlatform(%+v) = %v, want %q", p, err, want)
		}
	}
}

func TestDefaultPlatforms(t *testing.T) {
	s := mustParse(t, "main: .\nplatforms: [linux/amd64, linux/arm, linux/arm64/v8]\n")
	got, err := s.DefaultPlatforms()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range got {
		names = append(names, formatPlatform(p))
	}
	if strings.Join(names, " ") != "linux/amd64 linux/arm/v7 linux/arm64" {
		t.Errorf("DefaultPlatforms = %v", names)
	}
	if got, _ := mustParse(t, "main: .\n").DefaultPlatforms(); got != nil {
		t.Errorf("no platforms: got %v, want nil", got)
	}
}
