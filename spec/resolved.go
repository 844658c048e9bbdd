package spec

import "time"

// Resolved is one target of a validated spec with every default applied and
// every inherited field filled in. It is what the llb converter consumes.
type Resolved struct {
	Target   string // target name; "" for the default (top-level) target
	Module   string // clean relative dir of go.mod in the context, "." by default
	Binaries []ResolvedBinary
	Goflags  []string
	Goenv    map[string]string // never nil

	Entrypoint  []string // default: [<bin dir>/<first binary name>]
	Cmd         []string
	Env         map[string]string // never nil
	User        User
	Workdir     string // absolute, default "/"
	Expose      []Port
	Labels      map[string]string // never nil
	Annotations map[string]string // never nil
	Certs       bool
	Zoneinfo    string // copy | embed | off
	Files       []File

	Dirs        []ResolvedDir        `json:",omitempty"` // made empty in the image, after the user's home and workdir
	Volumes     []string             `json:",omitempty"` // clean absolute paths
	Healthcheck *ResolvedHealthcheck `json:",omitempty"` // nil: none
	StopSignal  string               `json:",omitempty"` // SIGTERM or a number; "": the runtime's default
	// Debug adds the debug shell: DebugImage's /bin under DebugDir, on PATH.
	Debug bool `json:",omitempty"`

	// Secrets and SSH go to the `go mod download` step only (top level).
	Secrets []ResolvedSecret `json:",omitempty"`
	SSH     bool             `json:",omitempty"`
	// Test is set for the reserved target `test`; then there are no binaries.
	Test *ResolvedTest `json:",omitempty"`

	// Pos is where this target is declared (the `main`/`binaries` entry for
	// the default target), for source maps.
	Pos Pos
	// fieldPos is where the fields in effect are written (see FieldPos).
	fieldPos map[string]Pos
}

// ResolvedBinary is one binary to build.
type ResolvedBinary struct {
	Main    string   // package path relative to the module, e.g. ./cmd/server or .
	Name    string   // output file name
	Tags    []string // target tags + binary tags (+ timetzdata for zoneinfo: embed), sorted, unique
	Ldflags string   // effective ldflags
	// Capabilities are the file capabilities of the binary: canonical
	// names (CAP_NET_BIND_SERVICE), in capability order, each once.
	Capabilities []string `json:",omitempty"`
	Pos          Pos      // position of its `main` entry
}

// ResolvedDir is a directory of dirs: with its mode and owner.
type ResolvedDir struct {
	Path     string // clean, absolute
	Mode     uint32 // permission bits, default 0755
	UID, GID int    // default the image's user
}

// ResolvedHealthcheck is the health check of the image config; a zero
// duration or retries is the runtime's default.
type ResolvedHealthcheck struct {
	Test        []string // the command: its first element a program of the image
	Interval    time.Duration
	Timeout     time.Duration
	StartPeriod time.Duration
	// StartInterval is the time between checks during StartPeriod (Docker
	// Engine 25+; older runtimes ignore it).
	StartInterval time.Duration
	Retries       int
}

// User is the resolved image user.
type User struct {
	Name string // passwd name: root, nonroot, or "app" for other numeric ids
	UID  int
	GID  int
}

// BinDir is where binaries are placed in the image.
const BinDir = "/usr/local/bin"

// The debug variant (debug: true, or the GOSCRATCH_DEBUG build arg): the
// /bin of DebugImage (a static busybox and its applets as hard links, as
// busybox:musl has them) is copied to DebugDir, which is appended to PATH.
// A named context of DebugImage's name replaces the image, as for the
// builder.
const (
	DebugImage = "busybox:1.37.0-musl"
	DebugDir   = "/busybox"
)
