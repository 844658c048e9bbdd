package frontend

import (
	"fmt"
	"path"
	"strings"
	"testing"
)

// fakeContext is a build context in memory, looked up as the gateway does:
// the directory's symlinks are followed inside the context (.. and absolute
// targets stay at its root, as BuildKit's RootPath), the entry's are not.
type fakeContext struct {
	dirs  map[string]bool   // every directory but the root
	files map[string]bool   // regular files
	links map[string]string // symlink -> target
	calls int               // lstat calls
}

func newFakeContext(dirs, files []string, links map[string]string) *fakeContext {
	f := &fakeContext{dirs: map[string]bool{}, files: map[string]bool{}, links: links}
	for _, d := range dirs {
		f.dirs[d] = true
	}
	for _, p := range files {
		f.files[p] = true
	}
	return f
}

func (f *fakeContext) lstat(dir, name string) (contextEntry, bool) {
	f.calls++
	d, ok := f.resolve(dir)
	if !ok || d != "" && !f.dirs[d] {
		return contextEntry{}, false
	}
	p := path.Join(d, name)
	if t, ok := f.links[p]; ok {
		return contextEntry{link: true, target: t}, true
	}
	return contextEntry{}, f.dirs[p] || f.files[p]
}

// resolve follows every symlink in p, one element at a time.
func (f *fakeContext) resolve(p string) (string, bool) {
	cur, rest, hops := "", strings.Split(p, "/"), 0
	for len(rest) > 0 {
		elem := rest[0]
		rest = rest[1:]
		switch elem {
		case "", ".":
			continue
		case "..":
			if cur = path.Dir(cur); cur == "." {
				cur = ""
			}
			continue
		}
		next := path.Join(cur, elem)
		t, ok := f.links[next]
		if !ok {
			cur = next
			continue
		}
		if hops++; hops > maxLinkHops {
			return "", false
		}
		if path.IsAbs(t) {
			cur = ""
		}
		rest = append(strings.Split(t, "/"), rest...)
	}
	return cur, true
}

const (
	hintMissing = "check the path (relative to the context) and that .dockerignore does not exclude it"
	hintOutside = "only files in the build context can be copied: copy the file into the context, or make the link relative and inside it"
	hintLoop    = "point src at a regular file or directory"
	hintDeep    = "point src at the file or directory the links lead to, or shorten the chain of links"
)

// chain is a -> b/b/.../b (k times) with b -> .: checking each link's
// target from the root follows 2^k links.
func chain(k int) map[string]string {
	return map[string]string{"a": strings.TrimSuffix(strings.Repeat("b/", k), "/"), "b": "."}
}

func TestCheckContextPath(t *testing.T) {
	dirs := []string{"conf", "d", "d/e", "sub", "sub/deep"}
	files := []string{"f", "conf/app.yaml", "d/e/f", "sub/deep/x"}
	for _, tc := range []struct {
		name      string
		links     map[string]string
		src       string
		msg, hint string
		maxCalls  int // 0: no bound checked
	}{
		{name: "file", src: "f"},
		{name: "nested dirs", src: "d/e/f"},
		{name: "directory", src: "d/e"},
		{name: "missing", src: "nope", msg: `src "nope" is not in the build context`, hint: hintMissing},
		{name: "missing nested", src: "d/nope/f", msg: `src "d/nope" is not in the build context`, hint: hintMissing},
		{name: "absolute link out", links: map[string]string{"passwd": "/etc/passwd"}, src: "passwd",
			msg: `src "passwd" is a symlink to "/etc/passwd", outside the build context`, hint: hintOutside},
		{name: "relative link out", links: map[string]string{"conf/app.yaml": "../../outside/app.yaml"}, src: "conf/app.yaml",
			msg: `src "conf/app.yaml" is a symlink to "../../outside/app.yaml", outside the build context`, hint: hintOutside},
		{name: "relative link just out", links: map[string]string{"up": ".."}, src: "up/x",
			msg: `src "up" is a symlink to "..", outside the build context`, hint: hintOutside},
		{name: "dir link out", links: map[string]string{"ssl": "/etc/ssl"}, src: "ssl/certs/ca.pem",
			msg: `src "ssl" is a symlink to "/etc/ssl", outside the build context`, hint: hintOutside},
		{name: "loop", links: map[string]string{"a": "b", "b": "a"}, src: "a",
			msg: `src "a" is a symlink to "b": src "b": more than 40 symlinks (a loop?)`, hint: hintLoop},
		{name: "self loop", links: map[string]string{"s": "s"}, src: "s",
			msg: `src "s" is a symlink to "s": src "s": more than 40 symlinks (a loop?)`, hint: hintLoop},
		{name: "link inside", links: map[string]string{"cfg": "conf/app.yaml"}, src: "cfg"},
		{name: "dir link inside", links: map[string]string{"etc": "conf"}, src: "etc/app.yaml"},
		{name: "link up and back in", links: map[string]string{"d/up": "../conf/app.yaml"}, src: "d/up"},
		{name: "link to the root", links: map[string]string{"root": "."}, src: "root/f"},
		{name: "chain inside", links: map[string]string{"a": "b", "b": "sub/deep/x"}, src: "a"},
		{name: "link in a linked dir", links: map[string]string{"s": "sub", "sub/deep/y": "x"}, src: "s/deep/y"},
		{name: "link out of a linked dir", links: map[string]string{"s": "sub", "sub/deep/y": "../../../etc/x"}, src: "s/deep/y",
			msg: `src "s/deep/y" is a symlink to "../../../etc/x", outside the build context`, hint: hintOutside},
		{name: "dangling link", links: map[string]string{"dangling": "nothere"}, src: "dangling",
			msg: `src "dangling" is a symlink to "nothere": src "nothere" is not in the build context`, hint: hintMissing},
		{name: "dangling at the end of a chain", links: map[string]string{"a": "b", "b": "c"}, src: "a",
			msg: `src "a" is a symlink to "b": src "c" is not in the build context`, hint: hintMissing},
		{name: "short chain", links: chain(5), src: "a"},
		{name: "chain k=7, 128 hops", links: chain(7), src: "a"},
		{name: "chain k=8, 256 hops", links: chain(8), src: "a",
			msg: `src "a": its symlinks nest too deeply (more than 255 symlinks to follow)`, hint: hintDeep, maxCalls: 2 * maxLinkHops},
		{name: "exponential chain k=22", links: chain(22), src: "a",
			msg: `src "a": its symlinks nest too deeply (more than 255 symlinks to follow)`, hint: hintDeep, maxCalls: 2 * maxLinkHops},
		{name: "exponential chain k=30", links: chain(30), src: "a",
			msg: `src "a": its symlinks nest too deeply (more than 255 symlinks to follow)`, hint: hintDeep, maxCalls: 2 * maxLinkHops},
		{name: "exponential chain below a directory", links: map[string]string{"d/a": "../" + chain(30)["a"], "b": "."}, src: "d/a/f",
			msg: `src "d/a/f": its symlinks nest too deeply (more than 255 symlinks to follow)`, hint: hintDeep, maxCalls: 2 * maxLinkHops},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeContext(dirs, files, tc.links)
			msg, hint := checkContextPath(f.lstat, tc.src)
			if msg != tc.msg || hint != tc.hint {
				t.Errorf("checkContextPath(%q)\n got %q (%q)\nwant %q (%q)", tc.src, msg, hint, tc.msg, tc.hint)
			}
			if tc.maxCalls > 0 && f.calls > tc.maxCalls {
				t.Errorf("%d lstat calls, want at most %d", f.calls, tc.maxCalls)
			}
			t.Logf("%d lstat calls", f.calls)
		})
	}
}

// TestCheckContextPathLookupBudget: a few links with long targets reach
// the lookup budget before the hop budget; the check stops at it.
func TestCheckContextPathLookupBudget(t *testing.T) {
	var dirs []string
	d := "x"
	for range 200 {
		dirs = append(dirs, d)
		d += "/x"
	}
	deep := dirs[len(dirs)-1]
	links := map[string]string{"l": deep + "/f1"}
	for i := 1; i <= 6; i++ { // each hop walks the 200 directories again
		links[fmt.Sprintf("%s/f%d", deep, i)] = fmt.Sprintf("f%d", i+1)
	}
	f := newFakeContext(dirs, []string{deep + "/f7"}, links)
	msg, hint := checkContextPath(f.lstat, "l")
	if want := `src "l": its symlinks nest too deeply (more than 1024 path elements to look up)`; msg != want || hint != hintDeep {
		t.Errorf("got %q (%q), want %q (%q)", msg, hint, want, hintDeep)
	}
	if f.calls > maxLookups {
		t.Errorf("%d lstat calls, want at most %d", f.calls, maxLookups)
	}
	// four hops of the same chain are within both budgets
	delete(links, deep+"/f4")
	f = newFakeContext(dirs, []string{deep + "/f4"}, links)
	if msg, _ := checkContextPath(f.lstat, "l"); msg != "" {
		t.Errorf("a chain of 4 links with 200-element targets: %s", msg)
	}
}
