package lint

import (
	"path"
	"strings"

	"github.com/goscratch/goscratch/spec"
)

// Rules about what a runtime does with the image: its health check, the
// binaries' file capabilities and its volumes.

var healthcheckNotInImage = &Rule{
	ID:          "HealthcheckNotInImage",
	Description: "the health check runs a program the scratch image does not have",
	check: func(r *run) {
		r.eachResolved(func(b block, res *spec.Resolved) {
			if res.Healthcheck == nil || inImage(res, res.Healthcheck.Test[0]) {
				return
			}
			at := b
			if b.t.Healthcheck == nil {
				at = block{t: &r.Spec.Target}
			}
			r.report(at.at("healthcheck", "test", 0), "%s is not in the image, which has no shell, curl or wget: the health check would fail every time and the container be unhealthy; run a binary of the image, e.g. test: [%s, -health]",
				res.Healthcheck.Test[0], path.Join(spec.BinDir, res.Binaries[0].Name))
		})
	},
}

var privilegedCapability = &Rule{
	ID:          "PrivilegedCapability",
	Description: "a binary gets a file capability other than NET_BIND_SERVICE",
	check: func(r *run) {
		for _, b := range r.blocks() {
			r.privileged(b.t.Capabilities, func(j int) string { return b.at("capabilities", j) })
			for i, bin := range b.t.Binaries {
				r.privileged(bin.Capabilities, func(j int) string { return b.at("binaries", i, "capabilities", j) })
			}
		}
	},
}

// privileged reports every capability of list but NET_BIND_SERVICE, item
// j at the path at(j).
func (r *run) privileged(list []string, at func(j int) string) {
	for i, c := range list {
		name := spec.CapabilityName(c)
		if name == spec.CapNetBindService {
			continue
		}
		short := strings.TrimPrefix(name, "CAP_")
		r.report(at(i), "%s gives the binary more than binding ports below 1024: it works only where the runtime allows it (docker run --cap-add %s, Kubernetes securityContext.capabilities.add), else the kernel refuses to start the binary (EPERM), and the restricted Pod Security Standard allows NET_BIND_SERVICE alone", name, short)
	}
}

var volumeWithoutDir = &Rule{
	ID:          "VolumeWithoutDir",
	Description: "a volume of a non-root image is not a directory the image makes for its user",
	check: func(r *run) {
		r.eachResolved(func(b block, res *spec.Resolved) {
			if res.User.UID == 0 {
				return
			}
			at := b
			if b.t.Volumes == nil {
				at = block{t: &r.Spec.Target}
			}
			for i, v := range res.Volumes {
				if ownedDir(res, v) {
					continue
				}
				r.report(at.at("volumes", i), "%s is not a directory the image makes for its user: Docker and Podman give a new volume the owner of the image's directory, root when there is none, so uid %d cannot write there; add it to dirs: [%s]", v, res.User.UID, v)
			}
		})
	},
}

// ownedDir reports whether the image of res makes dir for its user: a
// dirs entry, the workdir or the home directory.
func ownedDir(res *spec.Resolved, dir string) bool {
	for _, d := range res.Dirs {
		if d.Path == dir {
			return d.UID == res.User.UID
		}
	}
	home := "/home/" + res.User.Name // as llb writes it to /etc/passwd
	return dir == path.Clean(res.Workdir) || dir == home
}

// eachResolved calls fn with each block that builds an image (the top
// level when it does, every named target) and its resolved target.
func (r *run) eachResolved(fn func(block, *spec.Resolved)) {
	modulePath := spec.ModulePath(r.GoMod)
	for _, b := range r.blocks() {
		if b.name == "" && !r.Spec.HasDefault() {
			continue
		}
		res, err := r.Spec.Resolve(b.name, modulePath)
		if err != nil || len(res.Binaries) == 0 {
			continue
		}
		fn(b, res)
	}
}
