package spec

// Spec is a goscratch spec file. The minimal form is one line:
//
//	main: ./cmd/server
//
// Every image and build field may also be set per target under `targets`;
// a target inherits every field it does not set from the top level.
type Spec struct {
	// Version of the spec format. Optional; the only version is 1.
	Version int `yaml:"version" json:"version,omitempty"`

	// Builder is the Go builder image, e.g. `golang:1.26.8` or a digest-pinned
	// reference. Mutually exclusive with `go`. When neither is set the image is
	// `golang:<v>` where v is go.mod's `toolchain` version, else its `go` version.
	Builder string `yaml:"builder" json:"builder,omitempty"`
	// Go is a Go version (e.g. `1.26` or `1.26.8`); the builder becomes `golang:<go>`.
	Go string `yaml:"go" json:"go,omitempty"`
	// Module is the directory of go.mod inside the build context. Default `.`.
	Module string `yaml:"module" json:"module,omitempty"`
	// Platforms used when the build request names none, e.g. [linux/amd64, linux/arm64].
	// Default: the build platform.
	Platforms []string `yaml:"platforms" json:"platforms,omitempty"`

	Target `yaml:",inline" json:",inline"`

	// Test enables the reserved target `test`: go vet and go test for the
	// module on the build platform, with the same caches as the builds.
	Test *Test `yaml:"test" json:"test,omitempty"`
	// Secrets are `--secret` ids mounted into the `go mod download` step only
	// (a netrc, tokens for private modules). A plain string item is {id: item}.
	Secrets []Secret `yaml:"secrets" json:"secrets,omitempty"`
	// SSH forwards the `--ssh default` agent socket into the `go mod download`
	// step only, for private modules fetched with git over ssh.
	SSH *bool `yaml:"ssh" json:"ssh,omitempty"`

	// Targets are named variants of the image chosen with `--target`. Each inherits
	// every field it does not set from the top level.
	Targets map[string]*Target `yaml:"targets" json:"targets,omitempty"`

	src *source // file name and field positions; nil for a spec built in Go
}

// Target is what one image is made of: the binaries, how they are built, and
// the image configuration.
type Target struct {
	// Main is the main package of the single binary, relative to the module,
	// e.g. `./cmd/server` or `.`. Shorthand for a one-element `binaries` list.
	Main string `yaml:"main" json:"main,omitempty"`
	// Name is the output binary name for `main`. Default: the last element of
	// the main package path (the module path's last element for `.`).
	Name string `yaml:"name" json:"name,omitempty"`
	// Binaries lists several binaries for one image. Mutually exclusive with main/name.
	Binaries []Binary `yaml:"binaries" json:"binaries,omitempty"`

	// Tags are Go build tags.
	Tags []string `yaml:"tags" json:"tags,omitempty"`
	// Ldflags passed to `go build -ldflags`. Default `-s -w`; set "" for none.
	Ldflags *string `yaml:"ldflags" json:"ldflags,omitempty"`
	// Goflags are extra `go build` flags, e.g. [-buildvcs=false].
	Goflags []string `yaml:"goflags" json:"goflags,omitempty"`
	// Goenv is the environment of the Go steps: GOEXPERIMENT, GOFLAGS, GOPROXY,
	// GOPRIVATE, GONOSUMDB, GOINSECURE ... CGO_ENABLED is always 0 unless set here.
	Goenv map[string]string `yaml:"goenv" json:"goenv,omitempty"`

	// Entrypoint of the image. Default: the (first) binary.
	Entrypoint []string `yaml:"entrypoint" json:"entrypoint,omitempty"`
	// Cmd is the image's default arguments.
	Cmd []string `yaml:"cmd" json:"cmd,omitempty"`
	// Env is the image's runtime environment.
	Env map[string]string `yaml:"env" json:"env,omitempty"`
	// User the image runs as: `nonroot` (default, uid/gid 65532), `root`,
	// `UID` or `UID:GID`. /etc/passwd and /etc/group entries are written for it.
	User string `yaml:"user" json:"user,omitempty"`
	// Workdir is the image's working directory (absolute). Default `/`.
	Workdir string `yaml:"workdir" json:"workdir,omitempty"`
	// Expose lists ports: 8080, "8080/tcp", "53/udp".
	Expose []Port `yaml:"expose" json:"expose,omitempty"`
	// Labels are image config labels.
	Labels map[string]string `yaml:"labels" json:"labels,omitempty"`
	// Annotations are OCI annotations on the image manifests and index.
	Annotations map[string]string `yaml:"annotations" json:"annotations,omitempty"`
	// Certs copies /etc/ssl/certs/ca-certificates.crt from the builder. Default true.
	Certs *bool `yaml:"certs" json:"certs,omitempty"`
	// Zoneinfo is `copy` (default: /usr/share/zoneinfo from the builder),
	// `embed` (build with -tags timetzdata) or `off`.
	Zoneinfo string `yaml:"zoneinfo" json:"zoneinfo,omitempty"`
	// Files are extra files from the build context copied into the image.
	Files []File `yaml:"files" json:"files,omitempty"`
}

// Binary is one Go main package built into the image.
type Binary struct {
	// Main package, relative to the module: `./cmd/server`, `.`.
	Main string `yaml:"main" json:"main"`
	// Name of the output binary. Default: last element of main.
	Name string `yaml:"name" json:"name,omitempty"`
	// Tags added to the target's tags for this binary.
	Tags []string `yaml:"tags" json:"tags,omitempty"`
	// Ldflags for this binary; replaces the target's ldflags.
	Ldflags *string `yaml:"ldflags" json:"ldflags,omitempty"`
}

// Port is an exposed port with its protocol.
type Port struct {
	Number   int    // 1..65535
	Protocol string // tcp (default) or udp or sctp
}

// File is an extra file or directory copied from the build context.
type File struct {
	// Src is a path in the build context (relative, must not escape it).
	Src string `yaml:"src" json:"src"`
	// Dst is the absolute path in the image.
	Dst string `yaml:"dst" json:"dst"`
	// Mode is the file mode in octal, e.g. "0644". Default: kept from the context.
	Mode *uint32 `yaml:"mode" json:"mode,omitempty"`
	// Owner is `UID:GID`. Default 0:0.
	Owner string `yaml:"owner" json:"owner,omitempty"`
}

// Test is what the reserved target `test` runs.
type Test struct {
	// Packages to vet and test. Default [./...].
	Packages []string `yaml:"packages" json:"packages,omitempty"`
	// Vet runs `go vet` on the packages before the tests. Default false
	// (go test still runs its own subset of vet checks).
	Vet *bool `yaml:"vet" json:"vet,omitempty"`
	// Flags are extra `go test` flags, e.g. [-count=1, -short, -run=TestAPI].
	Flags []string `yaml:"flags" json:"flags,omitempty"`
	// Tags are added to the top level's tags for the tests.
	Tags []string `yaml:"tags" json:"tags,omitempty"`
	// Report puts go-test.json (the `go test -json` events) and go-test.txt
	// (the output) in the build result, for `--output type=local,dest=DIR`.
	// Default false: passing tests export nothing.
	Report *bool `yaml:"report" json:"report,omitempty"`
	// Coverage writes coverage.out (-coverprofile) to the result. Implies report.
	Coverage *bool `yaml:"coverage" json:"coverage,omitempty"`
}

// Secret is a build secret (`--secret id=ID,src=FILE`) available to the
// `go mod download` step only, never to a build step or the image.
type Secret struct {
	// ID is the --secret id.
	ID string `yaml:"id" json:"id"`
	// Target is the file the secret is mounted as. Default /run/secrets/<id>;
	// for the id netrc, /root/.netrc (and NETRC points at the target).
	Target string `yaml:"target" json:"target,omitempty"`
	// Env names an environment variable that holds the secret instead of a file.
	Env string `yaml:"env" json:"env,omitempty"`
	// Required makes a build without this secret fail before downloading.
	// Default false: the download runs without it and explains a failure.
	Required *bool `yaml:"required" json:"required,omitempty"`
}
