package frontend

import (
	"cmp"
	"context"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/goscratch/goscratch/spec"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/frontend/dockerui"
	"github.com/moby/buildkit/frontend/gateway/client"
	fstypes "github.com/tonistiigi/fsutil/types"
)

// checkFileSources checks every `files:` src in the build context before
// anything is built: it must exist, and neither it nor a directory above it
// may be a symlink that points outside the context. BuildKit never reads
// outside the context (a copy resolves links inside it), so such a spec would
// otherwise fail with "not found" or copy a dangling link; this says which
// field, which link and what to do.
func checkFileSources(ctx context.Context, bc *dockerui.Client, r *spec.Resolved, file string) error {
	if len(r.Files) == 0 {
		return nil
	}
	var srcs []string
	for _, f := range r.Files {
		srcs = append(srcs, path.Clean(f.Src))
	}
	st, err := bc.MainContext(ctx, llb.FollowPaths(srcs), dockerui.WithInternalName("load files: sources"))
	if err != nil {
		return err
	}
	ref, err := solve(ctx, bc, *st, nil)
	if err != nil {
		return err
	}
	var errs spec.ErrorList
	for i, src := range srcs {
		field := spec.FieldPath("files", i, "src")
		if msg, hint := checkContextPath(gatewayLstat(ctx, ref), src); msg != "" {
			errs = append(errs, &spec.Error{File: file, Pos: r.FieldPos(spec.FieldPath("files", i)), Path: field, Msg: msg, Hint: hint})
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// gatewayLstat looks entries up in ref: ReadDir of the directory (the
// gateway's StatFile follows symlinks, ReadDir resolves only dir's).
func gatewayLstat(ctx context.Context, ref client.Reference) lstatFunc {
	return func(dir, name string) (contextEntry, bool) {
		st := readDirEntry(ctx, ref, dir, name)
		if st == nil {
			return contextEntry{}, false
		}
		return contextEntry{link: fs.FileMode(st.Mode)&fs.ModeSymlink != 0, target: st.Linkname}, true
	}
}

// readDirEntry is the entry name of directory dir in ref, not following a
// symlink, or nil.
func readDirEntry(ctx context.Context, ref client.Reference, dir, name string) *fstypes.Stat {
	entries, err := ref.ReadDir(ctx, client.ReadDirRequest{Path: cmp.Or(dir, ".")})
	if err != nil {
		return nil
	}
	for _, e := range entries {
		if path.Base(e.Path) == name {
			return e
		}
	}
	return nil
}

// contextEntry is what the path check needs of one entry of the context.
type contextEntry struct {
	link   bool
	target string // the link's target, as written
}

// lstatFunc looks up the entry name of directory dir ("" is the context's
// root), following the symlinks in dir but not name; ok is false when there
// is no such entry.
type lstatFunc func(dir, name string) (e contextEntry, ok bool)

// Limits for checking one src. The check walks each link's target again
// from the context's root, so a chain a -> b/b/.../b (k times) with b -> .
// follows 2^k links (k=22: 4 million ReadDir calls); the two budgets stop
// any tree after at most maxLookups lookups.
const (
	// maxLinks is how many symlinks may nest, as Linux's ELOOP limit: a loop.
	maxLinks = 40
	// maxLinkHops is how many symlinks one src may follow in all, nested or
	// not: the number BuildKit allows when it resolves one path in the
	// context (continuity's RootPath). Real layouts follow a handful; the
	// doubling chain goes over it from k=8.
	maxLinkHops = 255
	// maxLookups is how many entries one src may look up in all, each a
	// ReadDir through the gateway: four times the hop budget, for the few
	// links whose long targets are walked again.
	maxLookups = 1024
)

// pathCheck is the state of checking one src: the budgets spent.
type pathCheck struct {
	lstat   lstatFunc
	hops    int    // symlinks followed
	lookups int    // entries looked up
	tooDeep string // which budget ran out, or ""
}

// checkContextPath says what is wrong with src, a clean path in the
// context: a missing element, a symlink whose target leaves the context, a
// loop, or symlinks that nest beyond the budgets.
func checkContextPath(lstat lstatFunc, src string) (msg, hint string) {
	c := &pathCheck{lstat: lstat}
	msg, hint = c.walk(src, 0)
	if c.tooDeep != "" {
		return fmt.Sprintf("src %q: its symlinks nest too deeply (%s)", src, c.tooDeep),
			"point src at the file or directory the links lead to, or shorten the chain of links"
	}
	return msg, hint
}

// walk checks src one element at a time; links counts the symlinks
// followed to get there, to stop on a loop.
func (c *pathCheck) walk(src string, links int) (msg, hint string) {
	if links > maxLinks {
		return fmt.Sprintf("src %q: more than %d symlinks (a loop?)", src, maxLinks), "point src at a regular file or directory"
	}
	cur := ""
	for _, elem := range strings.Split(src, "/") {
		if elem == "." || elem == "" {
			continue
		}
		parent := cur
		cur = path.Join(cur, elem)
		if c.spent(&c.lookups, maxLookups, "more than %d path elements to look up") {
			return c.tooDeep, ""
		}
		e, ok := c.lstat(parent, elem)
		if !ok {
			return fmt.Sprintf("src %q is not in the build context", cur),
				"check the path (relative to the context) and that .dockerignore does not exclude it"
		}
		if !e.link {
			continue
		}
		resolved := path.Join(parent, e.target)
		if path.IsAbs(e.target) || resolved == ".." || strings.HasPrefix(resolved, "../") {
			return fmt.Sprintf("src %q is a symlink to %q, outside the build context", cur, e.target),
				"only files in the build context can be copied: copy the file into the context, or make the link relative and inside it"
		}
		if c.spent(&c.hops, maxLinkHops, "more than %d symlinks to follow") {
			return c.tooDeep, ""
		}
		if msg, hint := c.walk(resolved, links+1); msg != "" {
			if links == 0 && c.tooDeep == "" { // name the first link only, not every hop of a chain
				msg = fmt.Sprintf("src %q is a symlink to %q: %s", cur, e.target, msg)
			}
			return msg, hint
		}
	}
	return "", ""
}

// spent counts one more against budget n and reports whether it is over,
// noting why.
func (c *pathCheck) spent(count *int, n int, why string) bool {
	*count++
	if *count > n {
		c.tooDeep = fmt.Sprintf(why, n)
		return true
	}
	return false
}
