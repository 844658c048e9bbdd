package spec

import (
	"runtime"
	"strings"
	"testing"
)

// hostileHeapLimit bounds what Parse may allocate for any one input: the
// 1 MiB input limit times a generous factor. An alias bomb that really
// expanded, or a parser that went quadratic on a huge input, allocates
// gigabytes and fails this.
const hostileHeapLimit = 256 << 20

// TestHostileInputsAreCheap feeds Parse inputs built to exhaust a YAML
// parser and checks each is rejected with a positioned error while the heap
// allocated during the call stays bounded (runtime.MemStats.TotalAlloc, not
// time).
func TestHostileInputsAreCheap(t *testing.T) {
	bomb := "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	for i, prev := 'b', 'a'; i <= 'j'; i, prev = i+1, i {
		bomb += string(i) + ": &" + string(i) + " [" + strings.Repeat("*"+string(prev)+", ", 9) + "*" + string(prev) + "]\n"
	}
	cases := map[string]struct{ input, want string }{
		"alias bomb (10^10 values)": {bomb + "main: .\n", "spec expands to more than 10000 values"},
		"deep flow nesting":         {"main: .\nlabels: " + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + "\n", "nested"},
		"deep block nesting":        {deepBlock(1000), "nested"},
		"1 MiB string value":        {"main: .\nname: \"" + strings.Repeat("x", maxSpecBytes-20) + "\"\n", "name is longer than 255 bytes"},
		"over the size limit":       {"main: .\nname: " + strings.Repeat("x", 2*maxSpecBytes) + "\n", "more than the 1 MiB limit"},
		"many tokens":               {"main: .\nlabels: {" + strings.Repeat("a: b, ", 60000) + "}\n", "tokens"},
		"many aliases of a map":     {"x: &x {a: b}\ny: [" + strings.Repeat("*x, ", 60000) + "]\n", ""},
		"invalid UTF-8":             {"main: .\nname: \xff\xfe\n", "UTF-8"},
		"NUL bytes":                 {"main: .\x00\x00\n", "NUL"},
		"long line of NULs":         {strings.Repeat("\x00", maxSpecBytes), "NUL"},
		"template bomb (issue 15)":  {"main: .\nlabels: {bomb: '" + templateBomb + "'}\n", "spec.yaml:2:16: labels.bomb: bad template: range is not allowed"},
		"1 MiB template":            {"main: .\nlabels: {a: '" + strings.Repeat("{{or .Version (index .Args \"A\")}}", 30000) + "'}\n", "template has more than 1000 parts"},
		"printf width in template":  {"main: .\nldflags: '{{printf \"%0999999999d\" 1}}'\n", "spec.yaml:2:10: ldflags: bad template: printf is not allowed"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			_, err := Parse("spec.yaml", []byte(c.input))
			runtime.ReadMemStats(&after)
			if err == nil {
				t.Fatal("a hostile input parsed")
			}
			checkPositioned(t, err)
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %.300q lacks %q", err, c.want)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > hostileHeapLimit {
				t.Errorf("Parse allocated %d MiB for a %d KiB input (limit %d MiB)", alloc>>20, len(c.input)>>10, hostileHeapLimit>>20)
			}
		})
	}
}

// deepBlock is a block mapping nested n levels deep.
func deepBlock(n int) string {
	var b strings.Builder
	b.WriteString("main: .\nlabels:\n")
	for i := range n {
		b.WriteString(strings.Repeat(" ", i+1) + "k:\n")
	}
	return b.String()
}

func checkPositioned(t *testing.T, err error) {
	t.Helper()
	for _, line := range strings.Split(err.Error(), "\n") {
		if !errLine.MatchString(line) {
			t.Errorf("error line without spec.yaml:line:col: %.200q", line)
		}
	}
}
