package llb

import (
	"os"
	"path"
	"strings"

	"github.com/goscratch/goscratch/spec"
	"github.com/moby/buildkit/client/llb"
)

// Directories of the image. Layers are merged and a later layer's entry
// for a directory replaces an earlier one's mode and owner, so every layer
// that creates a directory must create it the same way. Every directory is
// therefore made level by level with the metadata imageDirs gives it, never
// by a parents option or CreateDestPath (which give parents the mode and
// owner of the file being written).

// dirMeta is the mode and owner of one directory.
type dirMeta struct {
	mode     os.FileMode
	uid, gid int
}

var rootDir = dirMeta{mode: 0o755}

// imageDirs are the directories with a mode or owner other than 0755
// root:root: /tmp, the user's home, the workdir and the spec's dirs (which
// say what the home or the workdir is, when they name it).
func imageDirs(r *spec.Resolved) map[string]dirMeta {
	dirs := map[string]dirMeta{"/tmp": {mode: 0o1777}}
	if r.User.UID != 0 {
		dirs[homeDir(r.User)] = dirMeta{mode: 0o700, uid: r.User.UID, gid: r.User.GID}
	}
	if r.Workdir != "/" && r.Workdir != homeDir(r.User) {
		dirs[path.Clean(r.Workdir)] = dirMeta{mode: 0o755, uid: r.User.UID, gid: r.User.GID}
	}
	for _, d := range r.Dirs {
		dirs[d.Path] = dirMeta{mode: os.FileMode(d.Mode), uid: d.UID, gid: d.GID}
	}
	return dirs
}

// mkdirs adds a Mkdir for dir and each of its ancestors not in made, top
// down, with the metadata from dirs (default 0755 root:root), to fa (which
// may be nil). Their times come from staged.
func mkdirs(fa *llb.FileAction, dir string, dirs map[string]dirMeta, made map[string]bool) *llb.FileAction {
	dir = path.Clean(dir)
	if dir == "/" {
		return fa
	}
	p := ""
	for _, elem := range strings.Split(strings.TrimPrefix(dir, "/"), "/") {
		p += "/" + elem
		if made[p] {
			continue
		}
		made[p] = true
		m, ok := dirs[p]
		if !ok {
			m = rootDir
		}
		if fa == nil {
			fa = llb.Mkdir(p, m.mode, llb.WithUIDGID(m.uid, m.gid))
		} else {
			fa = fa.Mkdir(p, m.mode, llb.WithUIDGID(m.uid, m.gid))
		}
	}
	return fa
}

// staged makes the tree of fa in a staging state and returns a layer that
// copies it with the epoch as every entry's time. The copy sets a
// directory's time after filling it, where a Mkdir or a file written into
// an existing directory would leave that directory with the build's time.
// Modes and owners are kept.
func staged(fa *llb.FileAction, name string, pos spec.Pos, opt Options) llb.State {
	stage := llb.Scratch().File(fa, opt.at(pos, llb.WithCustomName("stage "+name))...)
	epoch := opt.epoch()
	return llb.Scratch().File(llb.Copy(stage, "/", "/", &llb.CopyInfo{CopyDirContentsOnly: true, CreatedTime: &epoch}),
		opt.at(pos, llb.WithCustomName(name))...)
}
