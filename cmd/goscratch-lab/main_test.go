package main

import (
	"bytes"
	"context"
	"flag"
	"reflect"
	"strings"
	"testing"

	"github.com/goscratch/goscratch/internal/lab"
)

// Flags may stand anywhere, as the scripts this replaces took them
// (hack/golang-image.sh 1.25 --force).
func TestParseInterspersed(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	force := fs.Bool("force", false, "")
	rest, err := parse(fs, []string{"1.25", "--force", "1.26.8"}, -1)
	if err != nil || !*force || !reflect.DeepEqual(rest, []string{"1.25", "1.26.8"}) {
		t.Errorf("rest %v force %v err %v", rest, *force, err)
	}
	if _, err := parse(flag.NewFlagSet("y", flag.ContinueOnError), []string{"extra"}, 0); err == nil {
		t.Error("an argument where none is allowed was accepted")
	}
}

func TestEnvCommand(t *testing.T) {
	l := lab.FromEnv(func(k string) string {
		return map[string]string{"HOME": "/h", "GOSCRATCH_REGISTRY": "127.0.0.1:5055"}[k]
	})
	var out bytes.Buffer
	code, err := run(context.Background(), l, "env", []string{"-path", "/usr/bin"}, "/ignored", &out)
	if code != 0 || err != nil {
		t.Fatal(code, err)
	}
	for _, want := range []string{"export GOSCRATCH_REGISTRY=127.0.0.1:5055\n", "export PATH=/h/.cache/goscratch/bin:/usr/bin\n", "export BUILDX_BUILDER=goscratch\n"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("env lacks %q:\n%s", want, out.String())
		}
	}
}

func TestUsageErrors(t *testing.T) {
	l := lab.FromEnv(func(string) string { return "" })
	for _, args := range [][]string{
		{"nope"},
		{"up", "-builder", "x"},                // -builder without -nodes
		{"up", "-nodes", "a/b"},                // a bad node
		{"golang-image", "-flavour", "alpine"}, // no such flavour
	} {
		if code, err := run(context.Background(), l, args[0], args[1:], "", &bytes.Buffer{}); code != 2 || err == nil {
			t.Errorf("%v: code %d err %v, want a usage error", args, code, err)
		}
	}
}
