package llb

import (
	"fmt"
	"maps"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/goscratch/goscratch/spec"
	"github.com/moby/buildkit/client/llb"
	dockerspec "github.com/moby/docker-image-spec/specs-go/v1"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

const (
	certsPath    = "/etc/ssl/certs/ca-certificates.crt"
	zoneinfoPath = "/usr/share/zoneinfo"
)

// layer is one input of the final merge: a scratch-based state with one file
// op, which BuildKit exports as one image layer, and its history line.
type layer struct {
	state     llb.State
	createdBy string
}

// baseLayer holds the account files, /tmp, the user's home, the workdir
// and the spec's dirs.
// The tree is made in a staging state and copied with the epoch as every
// entry's time (see staged): a Mkdir of a nested directory would leave its
// parent with the time of the build.
func baseLayer(r *spec.Resolved, opt Options) layer {
	dirs, made := imageDirs(r), map[string]bool{"/etc": true, "/tmp": true}
	// Mkdir keeps only the 0777 bits; a copy's mode keeps the sticky bit.
	epoch := opt.epoch()
	tmp := opt.tmpSource(r.FieldPos("user"))
	fa := llb.Mkdir("/etc", 0o755).
		Mkfile("/etc/passwd", 0o644, passwd(r.User)).
		Mkfile("/etc/group", 0o644, group(r.User)).
		Copy(tmp, "/tmp", "/tmp", &llb.CopyInfo{Mode: &llb.ChmodOpt{Mode: 0o1777}, CreatedTime: &epoch})
	if r.User.UID != 0 {
		fa = mkdirs(fa, homeDir(r.User), dirs, made)
	}
	if r.Workdir != "/" && r.Workdir != homeDir(r.User) {
		fa = mkdirs(fa, r.Workdir, dirs, made)
	}
	for _, d := range r.Dirs {
		fa = mkdirs(fa, d.Path, dirs, made)
	}
	return layer{
		state:     staged(fa, "/etc/passwd /etc/group /tmp", r.FieldPos("user"), opt),
		createdBy: fmt.Sprintf("goscratch: user %s (%d:%d)", r.User.Name, r.User.UID, r.User.GID),
	}
}

// fromBuilder copies one path of the builder image into its own layer.
func fromBuilder(p string, pos spec.Pos, opt Options) layer {
	epoch := opt.epoch()
	st := llb.Scratch().File(llb.Copy(opt.Builder, p, p, &llb.CopyInfo{
		CreateDestPath: true,
		FollowSymlinks: true,
		CreatedTime:    &epoch,
	}), opt.at(pos, llb.WithCustomNamef("copy %s from the builder", p))...)
	st = opt.restamped(st, "copy "+p+" from the builder", pos)
	return layer{state: st, createdBy: "goscratch: " + p + " from the builder image"}
}

// fileLayer copies an extra file (or a directory's contents, as COPY does)
// from the build context. The directories above dst are made first, as
// every layer makes them (see dirs.go): the mode and owner apply to what is
// copied, never to /etc or the user's home.
func fileLayer(f spec.File, pos spec.Pos, dirs map[string]dirMeta, opt Options) (layer, error) {
	epoch := opt.epoch()
	parent := path.Dir(strings.TrimSuffix(f.Dst, "/"))
	if strings.HasSuffix(f.Dst, "/") {
		parent = f.Dst // dst names a directory to copy into
	}
	fa := mkdirs(nil, parent, dirs, map[string]bool{})
	ci := &llb.CopyInfo{CreateDestPath: true, CopyDirContentsOnly: true, CreatedTime: &epoch}
	if f.Mode != nil {
		ci.Mode = &llb.ChmodOpt{Mode: os.FileMode(*f.Mode)}
	}
	uid, gid := 0, 0
	if f.Owner != "" {
		var err error
		if uid, gid, err = parseOwner(f.Owner); err != nil {
			return layer{}, err
		}
	}
	ci.ChownOpt = &llb.ChownOpt{User: &llb.UserOpt{UID: uid}, Group: &llb.UserOpt{UID: gid}}
	if fa == nil {
		fa = llb.Copy(opt.Context, path.Join("/", f.Src), f.Dst, ci)
	} else {
		fa = fa.Copy(opt.Context, path.Join("/", f.Src), f.Dst, ci)
	}
	st := staged(fa, fmt.Sprintf("copy %s to %s", f.Src, f.Dst), pos, opt)
	return layer{state: st, createdBy: fmt.Sprintf("goscratch: file %s -> %s", f.Src, f.Dst)}, nil
}

// binaryLayer copies a built binary, with the epoch as its time, into its own layer.
func binaryLayer(bin llb.State, b spec.ResolvedBinary, opt Options) layer {
	epoch := opt.epoch()
	p := path.Join(spec.BinDir, b.Name)
	st := llb.Scratch().File(llb.Copy(bin, p, p, &llb.CopyInfo{
		CreateDestPath: true,
		CreatedTime:    &epoch,
		Mode:           &llb.ChmodOpt{Mode: 0o755},
	}), opt.at(b.Pos, llb.WithCustomNamef("[%s] %s", formatPlatform(opt.TargetPlatform), p))...)
	st = opt.restamped(st, fmt.Sprintf("[%s] %s", formatPlatform(opt.TargetPlatform), p), b.Pos)
	return layer{state: st, createdBy: "goscratch: go build " + p}
}

// imageConfig is the OCI image config for one target platform. History has
// one entry per layer, in layer order.
func imageConfig(r *spec.Resolved, layers []layer, opt Options) *dockerspec.DockerOCIImage {
	created := opt.epoch()
	img := &dockerspec.DockerOCIImage{}
	img.Created = &created
	img.Platform = ocispecs.Platform{
		OS:           opt.TargetPlatform.OS,
		Architecture: opt.TargetPlatform.Architecture,
		Variant:      opt.TargetPlatform.Variant,
	}
	img.RootFS.Type = "layers"
	img.Config.Entrypoint = slices.Clone(r.Entrypoint)
	img.Config.Cmd = slices.Clone(r.Cmd)
	img.Config.User = strconv.Itoa(r.User.UID) + ":" + strconv.Itoa(r.User.GID)
	img.Config.WorkingDir = r.Workdir
	img.Config.Env = imageEnv(r)
	if len(r.Expose) > 0 {
		img.Config.ExposedPorts = map[string]struct{}{}
		for _, p := range r.Expose {
			img.Config.ExposedPorts[fmt.Sprintf("%d/%s", p.Number, p.Protocol)] = struct{}{}
		}
	}
	img.Config.Healthcheck = healthcheck(r.Healthcheck)
	img.Config.StopSignal = r.StopSignal
	if len(r.Volumes) > 0 {
		img.Config.Volumes = map[string]struct{}{}
		for _, v := range r.Volumes {
			img.Config.Volumes[v] = struct{}{}
		}
	}
	for _, l := range layers {
		img.History = append(img.History, ocispecs.History{Created: &created, CreatedBy: l.createdBy, Comment: "goscratch"})
	}
	return img
}

// ImageEnv is the image's environment: PATH (so binaries are found by
// name) and the spec's env over it; the debug variant appends its shell's
// directory to PATH.
func ImageEnv(r *spec.Resolved) map[string]string {
	env := map[string]string{"PATH": spec.BinDir}
	maps.Copy(env, r.Env)
	if r.Debug {
		env["PATH"] += ":" + spec.DebugDir
	}
	return env
}

// imageEnv is ImageEnv as the image config has it, sorted.
func imageEnv(r *spec.Resolved) []string {
	env := ImageEnv(r)
	out := make([]string, 0, len(env))
	for _, k := range slices.Sorted(maps.Keys(env)) {
		out = append(out, k+"="+env[k])
	}
	return out
}

// healthcheck is the image config's health check: the command in exec
// form (CMD: there is no shell), the runtime's defaults for what is zero.
func healthcheck(h *spec.ResolvedHealthcheck) *dockerspec.HealthcheckConfig {
	if h == nil {
		return nil
	}
	return &dockerspec.HealthcheckConfig{
		Test:          append([]string{"CMD"}, h.Test...),
		Interval:      h.Interval,
		Timeout:       h.Timeout,
		StartPeriod:   h.StartPeriod,
		StartInterval: h.StartInterval,
		Retries:       h.Retries,
	}
}
