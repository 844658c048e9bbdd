package spec

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Every string in a spec — each field's value, list item and mapping key —
// is one line of printable text. The raw file cannot hold most control
// characters (checkText), but a quoted "\n" or "\x1b" or a block scalar (|)
// decodes to one; such a value could end a line wherever it is written on
// one (the Dockerfile `goscratch dockerfile` writes, a terminal, a log), so
// the decoder refuses it at the value.

// controlNames names the control characters people type by accident.
var controlNames = map[rune]string{0: "NUL", '\t': "tab", '\n': "newline", '\r': "carriage return", 0x1b: "escape", 0x7f: "delete"}

// checkControl reports the first control character (unicode.IsControl:
// U+0000-U+001F, U+007F-U+009F) in s, the value or key of a field.
func checkControl(s, what string) *problem {
	i := strings.IndexFunc(s, unicode.IsControl)
	if i < 0 {
		return nil
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	name := fmt.Sprintf("%U", r)
	if n, ok := controlNames[r]; ok {
		name += " (" + n + ")"
	}
	hint := "remove it"
	switch r {
	case '\n', '\r':
		hint = "write it on one line"
	case '\t':
		hint = "use spaces"
	}
	return newProblem(hint, "control character %s in the %s", name, what)
}

// oneLine reports a control character in scalar n, the value at path.
func (d *decoder) oneLine(n *node, path string) bool {
	if p := checkControl(n.text, "value"); p != nil {
		d.fail(n, path, p.msg, p.hint)
		return false
	}
	return true
}

// oneLineKey reports a control character in the key of e, at path.
func (d *decoder) oneLineKey(e entry, path string) bool {
	if p := checkControl(e.key, "key"); p != nil {
		d.errs.add(e.keyPos, path, p.msg, p.hint)
		d.src.bad[path] = true
		return false
	}
	return true
}
