package spec

import "testing"

func TestCheckControl(t *testing.T) {
	for _, tc := range []struct{ in, msg, hint string }{
		{"-gcflags=all=-N\nFROM alpine AS pwn\nRUN echo INJECTED\n#", "control character U+000A (newline) in the value", "write it on one line"},
		{"a\r", "control character U+000D (carriage return) in the value", "write it on one line"},
		{"a\tb", "control character U+0009 (tab) in the value", "use spaces"},
		{"\x00", "control character U+0000 (NUL) in the value", "remove it"},
		{"red\x1b[31m", "control character U+001B (escape) in the value", "remove it"},
		{"\x7f", "control character U+007F (delete) in the value", "remove it"},
		{"next\u0085line", "control character U+0085 in the value", "remove it"},
		{"é ü 世界 \u2028 \\n", "", ""}, // printable, a line separator, a backslash and n
		{"", "", ""},
	} {
		p := checkControl(tc.in, "value")
		switch {
		case tc.msg == "" && p != nil:
			t.Errorf("%q: refused: %v", tc.in, p)
		case tc.msg != "" && (p == nil || p.msg != tc.msg || p.hint != tc.hint):
			t.Errorf("%q: got %v, want %s (%s)", tc.in, p, tc.msg, tc.hint)
		}
	}
}

// TestControlCharsAtTheirValue: the error is at the value that holds the
// character, and the field counts as bad (no second error piles on).
func TestControlCharsAtTheirValue(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"main: \"./cmd/a\\nFROM alpine\"\n", `spec.yaml:1:7: main: control character U+000A (newline) in the value (write it on one line)`},
		{"main: .\ngoflags: \"-v\\n-x\"\n", `spec.yaml:2:10: goflags: control character U+000A (newline) in the value (write it on one line)`},
		{"main: .\nlabels: {\"a\\nb\": c}\n", `spec.yaml:2:10: labels["a\nb"]: control character U+000A (newline) in the key (write it on one line)`},
		{"main: .\nfiles:\n  - src: a\n    dst: |\n      /b\n", `spec.yaml:4:10: files[0].dst: control character U+000A (newline) in the value (write it on one line)`},
	} {
		_, err := Parse("spec.yaml", []byte(tc.src))
		if err == nil || err.Error() != tc.want {
			t.Errorf("%q:\n got %v\nwant %s", tc.src, err, tc.want)
		}
	}
}
