package spec

import (
	"fmt"
	"path"
	"strings"
)

// Data directories: `dirs:` makes empty directories in the image, owned by
// the image's user unless it says otherwise, for what the program writes.

// DefaultDirMode is the mode of a dirs entry that sets none.
const DefaultDirMode = "0755"

const defaultDirMode = 0o755

// goscratchDirs are the directories goscratch's own layers make (the
// accounts, /tmp, the CA bundle, zoneinfo and the binaries); a later layer
// would replace a dirs entry's mode and owner for them.
var goscratchDirs = []string{"/etc", "/etc/ssl", "/etc/ssl/certs", "/tmp", "/usr", "/usr/local", BinDir, "/usr/share", "/usr/share/zoneinfo"}

// dirs decodes the dirs list; a string item is short for {path: item}.
func (d *decoder) dirs(n *node, path string) []Dir {
	out := []Dir{}
	if !d.items(n, path, func(item *node, p string) {
		out = append(out, d.dir(item, p))
	}) {
		return nil
	}
	return out
}

func (d *decoder) dir(n *node, path string) Dir {
	var dir Dir
	if n.kind != mapKind {
		p := joinKey(path, "path")
		d.src.keys[p], d.src.values[p] = n.pos, n.pos
		dir.Path = d.required(n, p)
		return dir
	}
	nested(d, n, path, dirTable, &dir)
	return dir
}

// dirs checks the dirs a target (prefix) sets.
func (v *validator) dirs(prefix string, dirs []Dir) {
	seen := map[string]int{}
	for i, dir := range dirs {
		p := joinIndex(joinKey(prefix, "dirs"), i)
		if dir.Path != "" {
			if prob := checkDirPath(dir.Path); prob != nil {
				v.check(joinKey(p, "path"), prob)
			} else if first, dup := seen[path.Clean(dir.Path)]; dup {
				v.check(joinKey(p, "path"), newProblem("list each directory once", "%s is already dirs[%d]", path.Clean(dir.Path), first))
			} else {
				seen[path.Clean(dir.Path)] = i
			}
		}
		if dir.Mode != nil {
			v.check(joinKey(p, "mode"), checkDirMode(*dir.Mode))
		}
		if dir.Owner != "" {
			v.check(joinKey(p, "owner"), checkOwner(dir.Owner))
		}
	}
}

// checkDirPath: absolute, clean, and not a directory goscratch makes itself.
func checkDirPath(p string) *problem {
	trimmed := strings.TrimSuffix(p, "/")
	c := path.Clean(p)
	switch {
	case !path.IsAbs(p):
		return newProblem("e.g. dirs: [/var/lib/app]", "dir %q is not absolute", p)
	case trimmed != "" && path.Clean(trimmed) != trimmed:
		return newProblem("write "+c, "dir %q is not a clean path", p)
	case c == "/":
		return newProblem("name a directory of the program's own, e.g. /var/lib/app", "the root cannot be a dirs entry")
	}
	for _, own := range goscratchDirs {
		if c == own {
			return newProblem("goscratch makes it for the image; choose a directory of the program's own, e.g. /var/lib/app",
				"%s cannot be a dirs entry", c)
		}
	}
	return nil
}

// checkDirMode: permission bits only. (The layers make every directory
// with a mkdir, which keeps only these.)
func checkDirMode(m uint32) *problem {
	if m > 0o777 {
		return newProblem("write the permission bits, e.g. 0750; the setuid, setgid and sticky bits are not supported",
			"mode %s is more than 0777", fmt.Sprintf("0%o", m))
	}
	return nil
}

// resolveDirs are valid dirs with their defaults: mode 0755, owned by user.
func resolveDirs(dirs []Dir, user User) []ResolvedDir {
	if len(dirs) == 0 {
		return nil
	}
	out := make([]ResolvedDir, len(dirs))
	for i, d := range dirs {
		r := ResolvedDir{Path: path.Clean(d.Path), Mode: valueOr(d.Mode, defaultDirMode), UID: user.UID, GID: user.GID}
		if d.Owner != "" {
			uid, gid, _ := strings.Cut(d.Owner, ":")
			r.UID, _ = parseID(uid)
			r.GID, _ = parseID(gid)
		}
		out[i] = r
	}
	return out
}
