package cli

import (
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/goscratch/goscratch/spec"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

// injection is issue 15's goflag: a newline, then instructions.
const injection = "\nFROM alpine AS pwn\nRUN echo INJECTED\n#"

// ejectInstructions are the instructions of testdata/eject's Dockerfile.
var ejectInstructions = []string{
	"FROM", "ENV", "ENV", "WORKDIR", "COPY", "RUN", "RUN", "ARG", "RUN", "RUN", "COPY", "RUN",
	"FROM", "COPY", "COPY", "COPY", "COPY", "COPY", "COPY", "ENV", "USER", "WORKDIR", "EXPOSE",
	"VOLUME", "STOPSIGNAL", "HEALTHCHECK", "ARG", "LABEL", "LABEL", "LABEL", "ENTRYPOINT", "CMD",
}

// testEject is the eject of testdata/eject/goscratch.yaml's default target,
// built without the CLI (so without validation when a test changes it).
func testEject(t *testing.T) *eject {
	t.Helper()
	data, err := os.ReadFile("testdata/eject/goscratch.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s, err := spec.Parse("goscratch.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.Resolve("", "example.com/acme/api")
	if err != nil {
		t.Fatal(err)
	}
	return &eject{file: "goscratch.yaml", builder: "golang:1.26.8", syntax: "docker/dockerfile:1",
		platforms: s.Platforms, buildArgs: map[string]string{"VERSION": "1.2.3"}, r: r}
}

// instructionsOf parses df with BuildKit's parser: its instruction keywords.
func instructionsOf(t *testing.T, df string) []string {
	t.Helper()
	res, err := parser.Parse(strings.NewReader(df))
	if err != nil {
		t.Fatalf("BuildKit cannot parse the ejected Dockerfile: %v\n%s", err, df)
	}
	var out []string
	for _, n := range res.AST.Children {
		out = append(out, strings.ToUpper(n.Value))
	}
	return out
}

// TestEjectGoflagInjection is issue 15's reproduction with validation
// bypassed: the goflag stays inside the go build line, escaped, and
// dockerfile refuses it by name.
func TestEjectGoflagInjection(t *testing.T) {
	e := testEject(t)
	e.r.Goflags = []string{"-gcflags=all=-N" + injection}
	df, err := e.dockerfile()
	if err == nil || err.Error() != "goflags[0] holds the control character U+000A, which no Dockerfile line can hold" {
		t.Errorf("error %v, want goflags[0] refused", err)
	}
	if got := instructionsOf(t, df); !slices.Equal(got, ejectInstructions) {
		t.Errorf("instructions\n%q\nwant\n%q\n%s", got, ejectInstructions, df)
	}
	if !strings.Contains(df, `go build -trimpath -buildvcs=false '-gcflags=all=-N\nFROM alpine AS pwn\nRUN echo INJECTED\n#' -tags`) {
		t.Errorf("the goflag is not one escaped shell word:\n%s", df)
	}
}

// TestEjectRefusesControlCharacters: through the CLI a valid spec cannot
// hold one, but a --build-arg a template uses can.
func TestEjectRefusesControlCharacters(t *testing.T) {
	r := runCLI("dockerfile", "--build-arg", "VERSION=1.2.3"+injection, "testdata/eject/goscratch.yaml")
	want := "goscratch dockerfile: --build-arg VERSION holds the control character U+000A, which no Dockerfile line can hold\n"
	if r.code != ExitFailed || r.stdout != "" || r.stderr != want {
		t.Errorf("%s\nwant exit 1, nothing on stdout and %q", r, want)
	}
}

// TestEjectNoInjection puts the injection at the end of every string the
// eject reads — each field of the resolved target (map keys too), the
// builder, the build args, --target, --syntax — and finds exactly the
// instructions of the clean Dockerfile.
func TestEjectNoInjection(t *testing.T) {
	clean, err := testEject(t).dockerfile()
	if err != nil {
		t.Fatal(err)
	}
	if got := instructionsOf(t, clean); !slices.Equal(got, ejectInstructions) {
		t.Fatalf("clean instructions\n%q\nwant\n%q", got, ejectInstructions)
	}
	e := testEject(t)
	appendToStrings(reflect.ValueOf(e.r).Elem(), injection)
	e.file, e.target, e.builder, e.syntax = e.file+injection, injection, e.builder+injection, e.syntax+injection
	e.platforms = []string{"linux/amd64" + injection}
	e.buildArgs = map[string]string{"VERSION" + injection: "1.2.3" + injection, "VERSION": "1.2.3" + injection}
	df, err := e.dockerfile()
	if err == nil || !strings.Contains(err.Error(), "holds the control character U+000A") {
		t.Errorf("error %v, want a control character refused", err)
	}
	if got := instructionsOf(t, df); !slices.Equal(got, ejectInstructions) {
		t.Errorf("instructions\n%q\nwant\n%q\n%s", got, ejectInstructions, df)
	}
	for i, line := range strings.Split(df, "\n") {
		if strings.Contains(line, "INJECTED") && !strings.Contains(line, `\nRUN echo INJECTED`) {
			t.Errorf("line %d holds the injection unescaped: %q", i+1, line)
		}
		if strings.ContainsFunc(line, func(r rune) bool { return r < ' ' && r != '\t' }) {
			t.Errorf("line %d holds a control character: %q", i+1, line)
		}
	}
}

// appendToStrings appends suffix to every string v holds, map keys included.
func appendToStrings(v reflect.Value, suffix string) {
	switch v.Kind() {
	case reflect.String:
		if v.CanSet() {
			v.SetString(v.String() + suffix)
		}
	case reflect.Pointer:
		if !v.IsNil() {
			appendToStrings(v.Elem(), suffix)
		}
	case reflect.Slice:
		for i := range v.Len() {
			appendToStrings(v.Index(i), suffix)
		}
	case reflect.Map:
		if v.IsNil() || !v.CanSet() {
			return
		}
		m := reflect.MakeMap(v.Type())
		for _, k := range v.MapKeys() {
			nk, nv := reflect.New(k.Type()).Elem(), reflect.New(v.Type().Elem()).Elem()
			nk.Set(k)
			nv.Set(v.MapIndex(k))
			appendToStrings(nk, suffix)
			appendToStrings(nv, suffix)
			m.SetMapIndex(nk, nv)
		}
		v.Set(m)
	case reflect.Struct:
		for i := range v.NumField() {
			if f := v.Field(i); f.CanSet() || f.Kind() == reflect.Pointer || f.Kind() == reflect.Slice {
				appendToStrings(f, suffix)
			}
		}
	}
}

// TestEjectQuotingRoundTrips: values that need quoting come back unchanged
// when BuildKit reads and expands the instruction, and none reads as a flag.
// (A LABEL or ENV key cannot hold "=": BuildKit splits at the first one.)
func TestEjectQuotingRoundTrips(t *testing.T) {
	var df strings.Builder
	var want []string
	df.WriteString("FROM scratch\n")
	for _, v := range []string{"plain", "core platform", `it's "x" $HOME \ done`, "--from=alpine", "-x", "a=b", "/srv/my data", "${X}"} {
		df.WriteString("LABEL k=" + envQuote(v) + "\nENV X=" + envQuote(v) + "\nWORKDIR " + envQuote(v) + "\nCOPY " + copyPaths(v, v) + "\n")
		want = append(want, v, v, v, v, v)
		if !strings.Contains(v, "=") {
			df.WriteString("LABEL " + envQuote(v) + "=x\n")
			want = append(want, v)
		}
	}
	res, err := parser.Parse(strings.NewReader(df.String()))
	if err != nil {
		t.Fatal(err)
	}
	stages, _, err := instructions.Parse(res.AST, nil)
	if err != nil {
		t.Fatalf("%v\n%s", err, df.String())
	}
	lex := shell.NewLex('\\')
	expand := func(w string) (string, error) {
		s, _, err := lex.ProcessWord(w, shell.EnvsFromSlice(nil))
		return s, err
	}
	var got []string
	for _, c := range stages[0].Commands {
		if x, ok := c.(instructions.SupportsSingleWordExpansion); ok {
			if err := x.Expand(expand); err != nil {
				t.Fatal(err)
			}
		}
		switch c := c.(type) {
		case *instructions.LabelCommand:
			if c.Labels[0].Key == "k" {
				got = append(got, c.Labels[0].Value)
			} else {
				got = append(got, c.Labels[0].Key)
			}
		case *instructions.EnvCommand:
			got = append(got, c.Env[0].Value)
		case *instructions.WorkdirCommand:
			got = append(got, c.Path)
		case *instructions.CopyCommand:
			got = append(got, c.SourcePaths[0], c.DestPath)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("read back\n%q\nwant\n%q\n%s", got, want, df.String())
	}
}

func TestOneLine(t *testing.T) {
	for in, want := range map[string]string{
		"plain":             "plain",
		"a\nb\r\tc":         `a\nb\r\tc`,
		"esc\x1b[2J\x00":    `esc\x1b[2J\x00`,
		"del\x7f nel\u0085": `del\x7f nel\u0085`,
		"é \u2028":          "é \u2028",
	} {
		if got := oneLine(in); got != want {
			t.Errorf("oneLine(%q) = %q, want %q", in, got, want)
		}
	}
}
