package spec

// The field table: every field of the spec, declared once with its name,
// form (its type), default, allowed values, doc, example and aliases. The
// decoder reads values with the rows, Resolve applies the defaults below,
// validation and the error hints read the allowed values and examples, and
// the JSON schema (Schema) is generated from it. The rows of each mapping
// are in the order error messages list them.

// Values of zoneinfo.
const (
	ZoneinfoCopy  = "copy"
	ZoneinfoEmbed = "embed"
	ZoneinfoOff   = "off"
)

var zoneinfoModes = []Choice{
	{ZoneinfoCopy, "puts the builder's /usr/share/zoneinfo in the image"},
	{ZoneinfoEmbed, "builds it into the binary"},
	{ZoneinfoOff, "leaves it out"},
}

// The named users; the other values of user are UID and UID:GID.
const (
	UserRoot    = "root"
	UserNonroot = "nonroot"
)

// Defaults: what a field that is not set means.
const (
	DefaultModule   = "."
	DefaultLdflags  = "-s -w"
	DefaultUser     = UserNonroot
	DefaultWorkdir  = "/"
	DefaultCerts    = true
	DefaultDebug    = false
	DefaultZoneinfo = ZoneinfoCopy
	DefaultOwner    = "0:0" // files[].owner
)

// DefaultTestPackages are the packages test vets and tests when it lists none.
func DefaultTestPackages() []string { return []string{"./..."} }

// Patterns of values the schema gives editors. Validation applies the exact
// rules (rules.go), some of which are these patterns.
const (
	relativePath    = `^[^/\\]`
	absolutePath    = `^/`
	fileNamePattern = `^[^/]+$`
	platformPattern = `^[a-z0-9]+/[a-z0-9_]+(/[a-z0-9.]+)?$`
	goflagPattern   = `^-`
	userPattern     = `^(` + UserRoot + `|` + UserNonroot + `|[0-9]+(:[0-9]+)?)$`
	ownerPattern    = `^[0-9]+:[0-9]+$`
)

// extensionPrefix starts the top-level fields the decoder ignores (x-...).
const extensionPrefix = "x-"

// Fields of the top level only.
var specTable = []decl[Spec]{
	declare(versionNumber, Field{Name: "version", Example: "version: 1",
		Doc: "Version of the spec format. Optional; the only version is 1."},
		func(s *Spec) *int { return &s.Version }),
	declare(text, Field{Name: "builder", Example: "builder: golang:1.26", Aliases: []string{"image", "from"},
		Doc: "Builder is the Go builder image, e.g. `golang:1.26.8` or a digest-pinned reference. Mutually exclusive with `go`. When neither is set the image is `golang:<v>` where v is go.mod's `toolchain` version, else its `go` version."},
		func(s *Spec) *string { return &s.Builder }),
	declare(text, Field{Name: "go", Pattern: goVersionPattern, Example: "go: 1.26", Aliases: []string{"golang", "goversion", "go_version"},
		Doc: "Go is a Go version (e.g. `1.26` or `1.26.8`); the builder becomes `golang:<go>`."},
		func(s *Spec) *string { return &s.Go }),
	declare(text, Field{Name: "module", Default: DefaultModule, Pattern: relativePath, Example: "module: ./services/api", Aliases: []string{"gomod", "mod"},
		Doc: "Module is the directory of go.mod inside the build context. Default `.`."},
		func(s *Spec) *string { return &s.Module }),
	declare(stringList, Field{Name: "platforms", Pattern: platformPattern, Example: "platforms: [linux/amd64, linux/arm64]", Aliases: []string{"arch", "archs", "architectures"},
		Doc: "Platforms used when the build request names none, e.g. [linux/amd64, linux/arm64]. Default: the build platform."},
		func(s *Spec) *[]string { return &s.Platforms }),
	declare(targetMap, Field{Name: "targets", Example: "targets: {debug: {user: root}}",
		Doc: "Targets are named variants of the image chosen with `--target`. Each inherits every field it does not set from the top level."},
		func(s *Spec) *map[string]*Target { return &s.Targets }),
	declare(testObject, Field{Name: "test", Example: "test: {packages: [./...], vet: true}",
		Doc: "Test enables the reserved target `test`: go vet and go test for the module on the build platform, with the same caches as the builds."},
		func(s *Spec) **Test { return &s.Test }),
	declare(secretList, Field{Name: "secrets", Example: "secrets: [netrc]",
		Doc: "Secrets are `--secret` ids mounted into the `go mod download` step only (a netrc, tokens for private modules). A plain string item is {id: item}."},
		func(s *Spec) *[]Secret { return &s.Secrets }),
	declare(boolean, Field{Name: "ssh", Default: false, Example: "ssh: true",
		Doc: "SSH forwards the `--ssh default` agent socket into the `go mod download` step only, for private modules fetched with git over ssh."},
		func(s *Spec) **bool { return &s.SSH }),
}

// Fields of the top level and of every target.
var targetTable = []decl[Target]{
	together(declare(neededText, Field{Name: "main", Pattern: relativePath, Example: "main: ./cmd/server", Aliases: []string{"package", "pkg"},
		Doc: "Main is the main package of the single binary, relative to the module, e.g. `./cmd/server` or `.`. Shorthand for a one-element `binaries` list."},
		func(t *Target) *string { return &t.Main })),
	together(declare(text, Field{Name: "name", Pattern: fileNamePattern, Example: "name: server",
		Doc: "Name is the output binary name for `main`. Default: the last element of the main package path (the module path's last element for `.`)."},
		func(t *Target) *string { return &t.Name })),
	together(declare(binaryList, Field{Name: "binaries", Example: "binaries: [{main: ./cmd/api}, {main: ./cmd/worker}]", Aliases: []string{"binary", "bins"},
		Doc: "Binaries lists several binaries for one image. Mutually exclusive with main/name."},
		func(t *Target) *[]Binary { return &t.Binaries })),
	declare(stringList, Field{Name: "tags", Pattern: buildTagPattern, Example: "tags: [netgo, osusergo]", Aliases: []string{"build_tags", "buildtags"},
		Doc: "Tags are Go build tags."},
		func(t *Target) *[]string { return &t.Tags }),
	declare(anyText, Field{Name: "ldflags", Default: DefaultLdflags, Example: `ldflags: "-s -w"`,
		Doc: "Ldflags passed to `go build -ldflags`. Default `-s -w`; set \"\" for none."},
		func(t *Target) **string { return &t.Ldflags }),
	declare(stringList, Field{Name: "goflags", Pattern: goflagPattern, Example: "goflags: [-buildvcs=false]", Aliases: []string{"gcflags", "flags"},
		Doc: "Goflags are extra `go build` flags, e.g. [-buildvcs=false]."},
		func(t *Target) *[]string { return &t.Goflags }),
	declare(stringMap, Field{Name: "goenv", Pattern: envNamePattern, Reserved: reservedGoenv(), Example: "goenv: {GOEXPERIMENT: greenteagc}",
		Doc: "Goenv is the environment of the Go steps: GOEXPERIMENT, GOFLAGS, GOPROXY, GOPRIVATE, GONOSUMDB, GOINSECURE ... CGO_ENABLED is always 0 unless set here."},
		func(t *Target) *map[string]string { return &t.Goenv }),
	declare(argList, Field{Name: "entrypoint", Example: "entrypoint: [/usr/local/bin/server, serve]",
		Doc: "Entrypoint of the image. Default: the (first) binary."},
		func(t *Target) *[]string { return &t.Entrypoint }),
	declare(argList, Field{Name: "cmd", Example: "cmd: [--port, 8080]", Aliases: []string{"command", "args", "arguments"},
		Doc: "Cmd is the image's default arguments."},
		func(t *Target) *[]string { return &t.Cmd }),
	declare(stringMap, Field{Name: "env", Pattern: envNamePattern, Example: "env: {TZ: UTC}", Aliases: []string{"environment"},
		Doc: "Env is the image's runtime environment."},
		func(t *Target) *map[string]string { return &t.Env }),
	declare(text, Field{Name: "user", Default: DefaultUser, Pattern: userPattern, Example: "user: nonroot",
		Doc: "User the image runs as: `nonroot` (default, uid/gid 65532), `root`, `UID` or `UID:GID`. /etc/passwd and /etc/group entries are written for it."},
		func(t *Target) *string { return &t.User }),
	declare(text, Field{Name: "workdir", Default: DefaultWorkdir, Pattern: absolutePath, Example: "workdir: /data", Aliases: []string{"working_dir", "dir"},
		Doc: "Workdir is the image's working directory (absolute). Default `/`."},
		func(t *Target) *string { return &t.Workdir }),
	declare(portList, Field{Name: "expose", Example: "expose: [8080, 53/udp]", Aliases: []string{"ports", "port"},
		Doc: `Expose lists ports: 8080, "8080/tcp", "53/udp".`},
		func(t *Target) *[]Port { return &t.Expose }),
	declare(stringMap, Field{Name: "labels", Example: "labels: {team: payments}",
		Doc: "Labels are image config labels."},
		func(t *Target) *map[string]string { return &t.Labels }),
	declare(stringMap, Field{Name: "annotations", Example: "annotations: {org.opencontainers.image.source: https://github.com/acme/app}",
		Doc: "Annotations are OCI annotations on the image manifests and index."},
		func(t *Target) *map[string]string { return &t.Annotations }),
	declare(boolean, Field{Name: "certs", Default: DefaultCerts, Example: "certs: false", Aliases: []string{"ca", "cacerts", "certificates"},
		Doc: "Certs copies /etc/ssl/certs/ca-certificates.crt from the builder. Default true."},
		func(t *Target) **bool { return &t.Certs }),
	declare(text, Field{Name: "zoneinfo", Default: DefaultZoneinfo, Enum: zoneinfoModes, Example: "zoneinfo: embed", Aliases: []string{"timezone", "tz", "tzdata"},
		Doc: "Zoneinfo is `copy` (default: /usr/share/zoneinfo from the builder), `embed` (build with -tags timetzdata) or `off`."},
		func(t *Target) *string { return &t.Zoneinfo }),
	declare(fileList, Field{Name: "files", Example: "files: [{src: config.yaml, dst: /etc/app/config.yaml}]", Aliases: []string{"copy"},
		Doc: "Files are extra files from the build context copied into the image."},
		func(t *Target) *[]File { return &t.Files }),
	declare(stringList, Field{Name: "capabilities", Pattern: capabilityPattern, Example: "capabilities: [NET_BIND_SERVICE]", Aliases: []string{"caps", "cap_add", "setcap", "file_capabilities"},
		Doc: "Capabilities are Linux file capabilities every binary gets (a binary's own capabilities replace them), e.g. [NET_BIND_SERVICE] to bind ports below 1024 as a non-root user. Names as in capabilities(7), in any case, CAP_ optional. The binary's file carries them (the security.capability xattr, effective and permitted); the runtime must allow them (its bounding set, no no_new_privs)."},
		func(t *Target) *[]string { return &t.Capabilities }),
	declare(dirList, Field{Name: "dirs", Example: "dirs: [{path: /var/lib/app, mode: 0750}]", Aliases: []string{"directories", "mkdir", "data_dirs", "datadirs"},
		Doc: "Dirs are empty directories made in the image for the program's data, owned by the image's user unless owner says otherwise. A plain string item is {path: item}."},
		func(t *Target) *[]Dir { return &t.Dirs }),
	declare(stringList, Field{Name: "volumes", Pattern: absolutePath, Example: "volumes: [/var/lib/app]", Aliases: []string{"volume"},
		Doc: "Volumes are the image's declared volumes (absolute paths), as Dockerfile VOLUME. A runtime mounts a fresh volume there; list the path in dirs too, so it exists with the user as owner."},
		func(t *Target) *[]string { return &t.Volumes }),
	declare(healthObject, Field{Name: "healthcheck", Example: "healthcheck: {test: [/usr/local/bin/server, -health], interval: 30s}", Aliases: []string{"health", "health_check", "healthcmd"},
		Doc: "Healthcheck is the image's health check, as Dockerfile HEALTHCHECK: a command of the image (no shell) that Docker, Compose and Podman run and read the exit status of."},
		func(t *Target) **Healthcheck { return &t.Healthcheck }),
	declare(text, Field{Name: "stopsignal", Pattern: signalPattern, Example: "stopsignal: SIGINT", Aliases: []string{"stop_signal", "signal", "stop-signal"},
		Doc: "Stopsignal is the signal a runtime sends to stop the container, as Dockerfile STOPSIGNAL: a name (SIGTERM, SIGINT; in any case, SIG optional) or a number 1..64. Default: the runtime's (SIGTERM)."},
		func(t *Target) *string { return &t.StopSignal }),
	declare(boolean, Field{Name: "debug", Default: DefaultDebug, Example: "debug: true", Aliases: []string{"shell", "busybox", "debug_shell"},
		Doc: "Debug adds a debug shell to the image: a static busybox and its applets in /busybox (from `" + DebugImage + "`'s /bin, replaceable by a named context of that name), appended to PATH, so `docker exec -it C sh` works. Usually set in a target (`targets: {debug: {debug: true}}`); the build arg `GOSCRATCH_DEBUG=1` sets it for any spec. Never in an image that does not ask for it."},
		func(t *Target) **bool { return &t.Debug }),
}

// Fields of a binaries item. Their hints quote the target fields' examples.
var binaryTable = []decl[Binary]{
	declare(neededText, Field{Name: "main", Pattern: relativePath, Required: true,
		Doc: "Main package, relative to the module: `./cmd/server`, `.`."},
		func(b *Binary) *string { return &b.Main }),
	declare(text, Field{Name: "name", Pattern: fileNamePattern,
		Doc: "Name of the output binary. Default: last element of main."},
		func(b *Binary) *string { return &b.Name }),
	declare(stringList, Field{Name: "tags", Pattern: buildTagPattern,
		Doc: "Tags added to the target's tags for this binary."},
		func(b *Binary) *[]string { return &b.Tags }),
	declare(anyText, Field{Name: "ldflags",
		Doc: "Ldflags for this binary; replaces the target's ldflags."},
		func(b *Binary) **string { return &b.Ldflags }),
	declare(stringList, Field{Name: "capabilities", Pattern: capabilityPattern,
		Doc: "Capabilities of this binary's file; replace the target's capabilities ([] for none)."},
		func(b *Binary) *[]string { return &b.Capabilities }),
}

// Fields of a dirs item.
var dirTable = []decl[Dir]{
	declare(neededText, Field{Name: "path", Pattern: absolutePath, Required: true, Example: "path: /var/lib/app", Aliases: []string{"directory"},
		Doc: "Path is the directory, absolute. Its parents are made too, 0755 and owned by root."},
		func(d *Dir) *string { return &d.Path }),
	declare(octalMode, Field{Name: "mode", Default: DefaultDirMode, Example: "mode: 0750", Aliases: []string{"chmod", "perm", "permissions"},
		Doc: "Mode is the directory's permission bits in octal, at most 0777. Default 0755."},
		func(d *Dir) **uint32 { return &d.Mode }),
	declare(text, Field{Name: "owner", Pattern: ownerPattern, Example: "owner: 65532:65532", Aliases: []string{"chown", "user"},
		Doc: "Owner is `UID:GID`. Default: the image's user."},
		func(d *Dir) *string { return &d.Owner }),
}

// Fields of healthcheck. Durations are Go durations with a unit: 30s, 1m30s, 500ms.
var healthcheckTable = []decl[Healthcheck]{
	declare(argList, Field{Name: "test", Required: true, Example: "test: [/usr/local/bin/server, -health]",
		Doc: "Test is the command, run without a shell: its first element a binary of the image (a path, or a name found in /usr/local/bin), exit status 0 for healthy. [NONE] turns the health check off."},
		func(h *Healthcheck) *[]string { return &h.Test }),
	declare(duration, Field{Name: "interval", Pattern: durationPattern, Example: "interval: 30s",
		Doc: "Interval is the time between checks. Default: the runtime's (Docker: 30s)."},
		func(h *Healthcheck) *string { return &h.Interval }),
	declare(duration, Field{Name: "timeout", Pattern: durationPattern, Example: "timeout: 5s",
		Doc: "Timeout is how long a check may run before it counts as failed. Default: the runtime's (Docker: 30s)."},
		func(h *Healthcheck) *string { return &h.Timeout }),
	declare(duration, Field{Name: "start_period", Pattern: durationPattern, Example: "start_period: 10s", Aliases: []string{"startperiod", "start-period", "startup"},
		Doc: "Start_period is the time the program gets to start, during which failed checks do not count. Default: the runtime's (Docker: 0s)."},
		func(h *Healthcheck) *string { return &h.StartPeriod }),
	declare(duration, Field{Name: "start_interval", Pattern: durationPattern, Example: "start_interval: 1s", Aliases: []string{"startinterval", "start-interval"},
		Doc: "Start_interval is the time between checks during start_period, so a fast start is seen soon without checking often afterwards. Default: the runtime's (Docker 25+: 5s; older runtimes ignore it)."},
		func(h *Healthcheck) *string { return &h.StartInterval }),
	declare(count, Field{Name: "retries", Example: "retries: 3",
		Doc: "Retries is how many checks in a row must fail for the container to be unhealthy. Default: the runtime's (Docker: 3)."},
		func(h *Healthcheck) **int { return &h.Retries }),
}

// Fields of a files item.
var fileTable = []decl[File]{
	declare(neededText, Field{Name: "src", Pattern: relativePath, Required: true, Example: "src: config/app.yaml", Aliases: []string{"source"},
		Doc: "Src is a path in the build context (relative, must not escape it)."},
		func(f *File) *string { return &f.Src }),
	declare(neededText, Field{Name: "dst", Pattern: absolutePath, Required: true, Example: "dst: /etc/app/app.yaml", Aliases: []string{"dest", "destination"},
		Doc: "Dst is the absolute path in the image."},
		func(f *File) *string { return &f.Dst }),
	declare(octalMode, Field{Name: "mode", Example: "mode: 0644", Aliases: []string{"chmod", "perm", "permissions"},
		Doc: `Mode is the file mode in octal, e.g. "0644". Default: kept from the context.`},
		func(f *File) **uint32 { return &f.Mode }),
	declare(text, Field{Name: "owner", Default: DefaultOwner, Pattern: ownerPattern, Example: "owner: 65532:65532", Aliases: []string{"chown", "user"},
		Doc: "Owner is `UID:GID`. Default 0:0."},
		func(f *File) *string { return &f.Owner }),
}

// Fields of test.
var testTable = []decl[Test]{
	declare(stringList, Field{Name: "packages", Default: DefaultTestPackages(), Example: "packages: [./...]",
		Doc: "Packages to vet and test. Default [./...]."},
		func(t *Test) *[]string { return &t.Packages }),
	declare(boolean, Field{Name: "vet", Default: false, Example: "vet: true",
		Doc: "Vet runs `go vet` on the packages before the tests. Default false (go test still runs its own subset of vet checks)."},
		func(t *Test) **bool { return &t.Vet }),
	declare(stringList, Field{Name: "flags", Example: "flags: [-count=1, -short]",
		Doc: "Flags are extra `go test` flags, e.g. [-count=1, -short, -run=TestAPI]."},
		func(t *Test) *[]string { return &t.Flags }),
	declare(stringList, Field{Name: "tags", Pattern: buildTagPattern, Example: "tags: [integration]",
		Doc: "Tags are added to the top level's tags for the tests."},
		func(t *Test) *[]string { return &t.Tags }),
	declare(boolean, Field{Name: "report", Default: false, Example: "report: true",
		Doc: "Report puts go-test.json (the `go test -json` events) and go-test.txt (the output) in the build result, for `--output type=local,dest=DIR`. Default false: passing tests export nothing."},
		func(t *Test) **bool { return &t.Report }),
	declare(boolean, Field{Name: "coverage", Default: false, Example: "coverage: true",
		Doc: "Coverage writes coverage.out (-coverprofile) to the result. Implies report."},
		func(t *Test) **bool { return &t.Coverage }),
}

// Fields of a secrets item.
var secretTable = []decl[Secret]{
	declare(neededText, Field{Name: "id", Pattern: secretIDPattern, Required: true, Example: "id: netrc",
		Doc: "ID is the --secret id."},
		func(s *Secret) *string { return &s.ID }),
	declare(text, Field{Name: "target", Example: "target: /root/.netrc",
		Doc: "Target is the file the secret is mounted as. Default /run/secrets/<id>; for the id netrc, /root/.netrc (and NETRC points at the target)."},
		func(s *Secret) *string { return &s.Target }),
	declare(text, Field{Name: "env", Pattern: envNamePattern, Example: "env: GITLAB_TOKEN",
		Doc: "Env names an environment variable that holds the secret instead of a file."},
		func(s *Secret) *string { return &s.Env }),
	declare(boolean, Field{Name: "required", Default: false, Example: "required: true",
		Doc: "Required makes a build without this secret fail before downloading. Default false: the download runs without it and explains a failure."},
		func(s *Secret) **bool { return &s.Required }),
}

// Names of the spec's mappings, as the schema's definitions name them.
const (
	objSpec   = "Spec"
	objTarget = "Target"
	objBinary = "Binary"
	objFile   = "File"
	objTest   = "Test"
	objSecret = "Secret"

	objDir         = "Dir"
	objHealthcheck = "Healthcheck"
)

// object is one of the spec's mappings and the rules between its fields.
type object struct {
	name   string
	holder string // the field that holds it: "binaries", "files", "dirs", "healthcheck", "test", "secrets"; "" for the top level and targets
	doc    string
	fields []Field
	// qualified objects reuse field names of the top level (tags, env)
	// with other meanings, so hints look their fields up as holder.name.
	qualified bool
	exclusive [][2]string       // fields it never sets together
	needs     map[string]string // a field -> the field it needs
}

// objects are the spec's mappings: the top level (which also has the
// target fields), a target, and the items of binaries, files, dirs,
// healthcheck, test and secrets.
func objects() []object {
	return []object{
		{name: objSpec, fields: fieldsOf(specTable), exclusive: [][2]string{{"builder", "go"}},
			doc: "Spec is a goscratch spec file. The minimal form is one line:\n\n    main: ./cmd/server\n\nEvery image and build field may also be set per target under `targets`; a target inherits every field it does not set from the top level."},
		{name: objTarget, fields: fieldsOf(targetTable), exclusive: [][2]string{{"main", "binaries"}}, needs: map[string]string{"name": "main"},
			doc: "Target is what one image is made of: the binaries, how they are built, and the image configuration."},
		{name: objBinary, holder: "binaries", fields: fieldsOf(binaryTable),
			doc: "Binary is one Go main package built into the image."},
		{name: objFile, holder: "files", fields: fieldsOf(fileTable),
			doc: "File is an extra file or directory copied from the build context."},
		{name: objDir, holder: "dirs", fields: fieldsOf(dirTable), qualified: true,
			doc: "Dir is an empty directory made in the image, for the program's data."},
		{name: objHealthcheck, holder: "healthcheck", fields: fieldsOf(healthcheckTable), qualified: true,
			doc: "Healthcheck is the image's health check: a command of the image a runtime runs to ask whether the container is healthy."},
		{name: objTest, holder: "test", fields: fieldsOf(testTable), qualified: true,
			doc: "Test is what the reserved target `test` runs."},
		{name: objSecret, holder: "secrets", fields: fieldsOf(secretTable), qualified: true,
			doc: "Secret is a build secret (`--secret id=ID,src=FILE`) available to the `go mod download` step only, never to a build step or the image."},
	}
}

// names are the names of fields.
func names(fields []Field) []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = f.Name
	}
	return out
}
