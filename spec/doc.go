// Package spec defines the goscratch spec (v1): its types, strict parsing with
// line and column positions, validation and defaults. It has no BuildKit
// imports; the llb package converts a resolved spec into LLB.
//
// Use: Parse (strict YAML, every error at once, as an ErrorList in file
// order), then Spec.Resolve(target, ModulePath(gomod)) for what to build and
// BuilderImage(spec, gomod) for the Go image. ParsePlatform and CheckPlatform
// apply the spec's platform rules to a build request's platforms.
//
// # Field reference
//
// Each field is declared once, with its doc, default and allowed values, in
// the field table (fields.go, listed by Fields), from which the decoder, the
// defaults, the error hints and the JSON schema (Schema) work; a test keeps
// this summary in step with it.
//
// Top level only:
//
//	version      1; optional, the only version.
//	builder      Go builder image, e.g. golang:1.26.8 or a digest-pinned ref. Not with go.
//	go           Go version (1.26, 1.26.8, 1.27rc1): builder golang:<go>. Default: go.mod toolchain, else go line.
//	module       Directory of go.mod in the build context, relative, inside it. Default ".". A go.work at or above it
//	             (in the context) is used unless goenv sets GOWORK: off; a vendor/modules.txt beside go.mod (or go.work)
//	             means -mod=vendor and no download step.
//	platforms    Platforms when the request names none: linux/amd64, linux/arm/v7, linux/arm64, ... Default: the build platform.
//	targets      Named images, chosen with --target: name -> any of the fields below. Names: [a-z0-9][a-z0-9_.-]*.
//	test         The reserved target test (--target test): go vet and go test for the module, see below. test: {} for the defaults.
//	secrets      --secret ids for the go mod download step only: list of {id, target, env, required}; a plain string item is {id: item}.
//	ssh          true: forward the --ssh default agent into the go mod download step only (SSH_AUTH_SOCK), for git over ssh.
//
// Top level and per target (a target inherits what it does not set; a field
// it sets replaces the top level's, except goenv, env, labels and
// annotations, which are merged key by key; main/name/binaries go together):
//
//	main         Main package relative to the module: "." or ./cmd/server ("cmd/server" means ./cmd/server). Not with binaries.
//	name         Binary name for main. Default: last element of main (for ".", of the module path; a /vN suffix is skipped).
//	binaries     Several binaries: list of {main, name, tags, ldflags, capabilities}; a plain string item is {main: item}. Names must differ.
//	tags         Go build tags (letters, digits, _ . -). Added to each binary's tags; zoneinfo: embed adds timetzdata.
//	ldflags      go build -ldflags. Default "-s -w"; "" for none. A binary's ldflags replaces it.
//	goflags      Extra go build flags, one per item, e.g. -buildvcs=false. Not -o, -ldflags, -tags, -race, -buildmode...
//	goenv        Environment of the go steps (GOEXPERIMENT, GOPRIVATE, GOPROXY...). Not GOOS/GOARCH/GOARM... (from the platform), GOCACHE, GOMODCACHE.
//	entrypoint   Image entrypoint, a list (a single string without spaces is one item). Default [/usr/local/bin/<first binary>].
//	cmd          Image cmd (default arguments), a list like entrypoint.
//	env          Image environment: NAME: value.
//	user         root, nonroot (default, 65532:65532), UID or UID:GID (0..2^31-1). /etc/passwd and /etc/group are written.
//	workdir      Image working directory, absolute. Default /.
//	expose       Ports: 8080, "8080/tcp", "53/udp", "9/sctp"; 1..65535, no duplicates.
//	labels       Image labels: key: value (numbers and booleans are kept as written).
//	annotations  OCI annotations on manifests and index: key: value.
//	certs        Copy /etc/ssl/certs/ca-certificates.crt from the builder: true (default) or false.
//	zoneinfo     copy (default: /usr/share/zoneinfo from the builder), embed (-tags timetzdata) or off.
//	files        Extra files: list of {src, dst, mode, owner}.
//	capabilities Linux file capabilities of every binary: NET_BIND_SERVICE, cap_net_raw... (capabilities(7); any case,
//	             CAP_ optional; each once). The security.capability xattr (effective, permitted) on the binary's file,
//	             set in a build step of its own. A binary's capabilities replace the target's; [] for none.
//	dirs         Empty directories for data: list of {path, mode, owner}; a plain string item is {path: item}.
//	             Made in the first layer, with the epoch as time. Not /, /etc, /tmp, /usr/local/bin... (goscratch's own).
//	volumes      Declared volumes (image config Volumes): absolute paths, each once, not /.
//	healthcheck  Health check (image config Healthcheck): {test, interval, timeout, start_period, retries}, see below.
//	stopsignal   Stop signal (image config StopSignal): SIGTERM, sigint, HUP, RTMIN+3... or 1..64. Default: the runtime's.
//	debug        Debug shell: a static busybox in /busybox, on PATH (default false; build arg GOSCRATCH_DEBUG=1).
//
// In files:
//
//	src          Path in the build context, relative, inside it. Required.
//	dst          Absolute path in the image. Required.
//	mode         Octal, however written: 0644, 644, 0o644, "0644"; at most 07777. Default: as in the context.
//	owner        UID:GID. Default 0:0.
//
// In dirs (their parents are made 0755 root:root; a dirs entry that is the
// user's home or the workdir gives it its mode and owner):
//
//	path         Absolute path in the image. Required; each once.
//	mode         Octal permission bits, at most 0777. Default 0755.
//	owner        UID:GID. Default: the image's user (65532:65532 for nonroot).
//
// In healthcheck (durations are Go durations with a unit, at least 1ms: 30s,
// 1m30s, 500ms; an unset one is the runtime's default):
//
//	test         The command, a list (no shell): a binary of the image (path, or name in /usr/local/bin) and its
//	             arguments; exit status 0 is healthy. Required. [NONE]: no health check (for a target).
//	interval     Time between checks (Docker's default 30s).
//	timeout      Time a check may take (Docker's default 30s).
//	start_period Start-up time during which failures do not count (Docker's default 0s).
//	start_interval Time between checks during start_period (Docker 25+, default 5s).
//	retries      Failures in a row that make the container unhealthy, at least 1 (Docker's default 3).
//
// In test (the target runs natively on the build platform, whatever
// --platform says, after the same download step and with the same module and
// build caches as the images; it uses the top level's tags, goflags and
// goenv; a failing vet or test fails the build with their output):
//
//	packages     Packages or patterns relative to the module. Default [./...].
//	vet          true: run go vet on the packages first. Default false (go test runs its own vet subset).
//	flags        Extra go test flags: -count=1, -short, -run=..., -v. Not -json, -c, -o, -exec, -race, -tags, -coverprofile.
//	tags         Build tags added to the top level's tags.
//	report       true: the result holds go-test.json (go test -json events), go-test.txt and go-vet.txt,
//	             for --output type=local,dest=DIR. Default false: passing tests export nothing.
//	coverage     true: the result also holds coverage.out (-coverprofile). Implies report.
//
// In secrets (mounted into the go mod download step only: never into a build
// step, a layer, the image config, the provenance or an exported cache; a
// declared secret that is not passed makes a failed download say so):
//
//	id           The --secret id, e.g. netrc for --secret id=netrc,src=$HOME/.netrc. Required; unique.
//	target       File the secret is mounted as, absolute. Default /run/secrets/<id>; for the id netrc /root/.netrc,
//	             and NETRC points at it (unless goenv sets NETRC).
//	env          Name of an environment variable holding the secret instead of a file. Not with target.
//	required     true: a build without the secret fails before downloading. Default false.
//
// goenv values, and the build arguments GOPROXY, GOPRIVATE, GONOPROXY,
// GONOSUMDB, GOINSECURE, GOSUMDB, GOVCS and GOAUTH (which override goenv),
// must not hold credentials (https://user:pass@...): they are recorded in the
// provenance; use a netrc secret.
//
// Top-level fields named x-<anything> are ignored: a place for YAML anchors
// (&name) that targets reuse with aliases (*name) or merge keys (<<: *name).
// Every list of strings (platforms, tags, goflags, expose, entrypoint, cmd,
// capabilities, volumes, healthcheck.test)
// also takes a single value. A field set to null (or left empty) is unset,
// except main, src and dst, which need a value. A leading
// `# syntax=ghcr.io/goscratch/goscratch:v1` line selects this frontend.
package spec
