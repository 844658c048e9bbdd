package llb

import (
	"slices"
	"testing"
	"time"
)

func TestTemplatedLdflagsPerPlatform(t *testing.T) {
	r := resolved()
	r.Binaries[0].Ldflags = "-s -w -X main.version={{.Version}} -X main.commit={{.Revision}} -X main.platform={{.Platform}} -X main.name={{.Name}} -X main.date={{.Date}} -X main.foo={{index .Args \"FOO\"}}"
	opt := options(armv7)
	epoch := time.Unix(1700000000, 0)
	opt.Epoch = &epoch
	opt.Template.Version = "1.2.3"
	opt.Template.Revision = "abc123"
	opt.Template.Args = map[string]string{"FOO": "bar"}
	_, g := convert(t, r, opt)
	args := g.exec(toolBin, "build").Meta.Args
	i := slices.Index(args, "-ldflags")
	want := "-s -w -X main.version=1.2.3 -X main.commit=abc123 -X main.platform=linux/arm/v7 -X main.name=server -X main.date=2023-11-14T22:13:20Z -X main.foo=bar"
	if i < 0 || args[i+1] != want {
		t.Errorf("ldflags %q\nwant %q", args[i+1], want)
	}
}

func TestOCILabelsAndAnnotations(t *testing.T) {
	r := resolved()
	r.Labels = map[string]string{"org.opencontainers.image.title": "custom", "arch": "{{.Arch}}"}
	r.Annotations = map[string]string{"org.opencontainers.image.version": "v{{.Version}}", "com.example.platform": "{{.Platform}}"}
	opt := options(arm64)
	opt.Template.Version = "2.0.0"
	opt.Template.Source = "https://example.com/app.git"
	opt.Labels = map[string]string{"arch": "request"}
	res, _ := convert(t, r, opt)
	l := res.Image.Config.Labels
	for k, want := range map[string]string{
		"org.opencontainers.image.created": "1970-01-01T00:00:00Z",
		"org.opencontainers.image.title":   "custom",
		"org.opencontainers.image.version": "2.0.0",
		"org.opencontainers.image.source":  "https://example.com/app.git",
		"arch":                             "request",
	} {
		if l[k] != want {
			t.Errorf("label %s=%q, want %q", k, l[k], want)
		}
	}
	if _, ok := l["org.opencontainers.image.revision"]; ok {
		t.Errorf("revision label set without a revision")
	}

	a, err := Annotations(r, opt)
	if err != nil {
		t.Fatal(err)
	}
	if a["org.opencontainers.image.version"] != "v2.0.0" || a["com.example.platform"] != "linux/arm64" || a["org.opencontainers.image.title"] != "server" {
		t.Errorf("manifest annotations %v", a)
	}
	idxOpt := opt
	idxOpt.TargetPlatform.OS, idxOpt.TargetPlatform.Architecture = "", ""
	a, err = Annotations(r, idxOpt)
	if err != nil {
		t.Fatal(err)
	}
	if a["com.example.platform"] != "" || a["org.opencontainers.image.created"] != "1970-01-01T00:00:00Z" {
		t.Errorf("index annotations %v: no platform, same created", a)
	}
}
