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
		if msg, hint := checkContextPath(ctx, ref, src, 0); msg != "" {
			errs = append(errs, &spec.Error{File: file, Pos: r.FieldPos(spec.FieldPath("files", i)), Path: field, Msg: msg, Hint: hint})
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// lstat is the entry name of directory dir in ref, not following a symlink
// (the gateway's StatFile follows them), or nil.
func lstat(ctx context.Context, ref client.Reference, dir, name string) *fstypes.Stat {
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

// maxLinks is how many symlinks one src may go through, as Linux's ELOOP limit.
const maxLinks = 40

// checkContextPath walks src one element at a time and returns what is wrong
// with it: a missing element, or a symlink whose target leaves the context.
// links counts the symlinks followed so far, to stop on a loop.
func checkContextPath(ctx context.Context, ref client.Reference, src string, links int) (msg, hint string) {
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
		st := lstat(ctx, ref, parent, elem)
		if st == nil {
			return fmt.Sprintf("src %q is not in the build context", cur),
				"check the path (relative to the context) and that .dockerignore does not exclude it"
		}
		if fs.FileMode(st.Mode)&fs.ModeSymlink == 0 {
			continue
		}
		target := st.Linkname
		resolved := path.Join(parent, target)
		if path.IsAbs(target) || resolved == ".." || strings.HasPrefix(resolved, "../") {
			return fmt.Sprintf("src %q is a symlink to %q, outside the build context", cur, target),
				"only files in the build context can be copied: copy the file into the context, or make the link relative and inside it"
		}
		if msg, hint := checkContextPath(ctx, ref, resolved, links+1); msg != "" {
			if links == 0 { // name the first link only, not every hop of a chain
				msg = fmt.Sprintf("src %q is a symlink to %q: %s", cur, target, msg)
			}
			return msg, hint
		}
	}
	return "", ""
}
