package spec

// The Go types of a spec. Each field's YAML name, doc, default and allowed
// values are declared once, in the field table (fields.go; Fields lists
// them); the JSON schema and `go doc spec.Fields` show them. Here a string
// field is unset when "", a pointer, slice or map when nil. The json tags
// are the YAML names.

// Spec is a goscratch spec file. The minimal form is one line:
//
//	main: ./cmd/server
//
// Every image and build field may also be set per target under `targets`;
// a target inherits every field it does not set from the top level.
type Spec struct {
	Version   int      `json:"version,omitempty"`
	Builder   string   `json:"builder,omitempty"`
	Go        string   `json:"go,omitempty"`
	Module    string   `json:"module,omitempty"`
	Platforms []string `json:"platforms,omitempty"`

	Target `json:",inline"` // the top level's image and build fields

	Test    *Test    `json:"test,omitempty"`
	Secrets []Secret `json:"secrets,omitempty"`
	SSH     *bool    `json:"ssh,omitempty"`

	Targets map[string]*Target `json:"targets,omitempty"` // a null target is an empty one

	src *source // file name and field positions; nil for a spec built in Go
}

// Target is what one image is made of: the binaries, how they are built, and
// the image configuration.
type Target struct {
	Main     string   `json:"main,omitempty"`
	Name     string   `json:"name,omitempty"`
	Binaries []Binary `json:"binaries,omitempty"`

	Tags    []string          `json:"tags,omitempty"`
	Ldflags *string           `json:"ldflags,omitempty"` // "" is no flags, nil the default
	Goflags []string          `json:"goflags,omitempty"`
	Goenv   map[string]string `json:"goenv,omitempty"`

	Entrypoint  []string          `json:"entrypoint,omitempty"`
	Cmd         []string          `json:"cmd,omitempty"`
	Env         map[string]string `json:"env,omitempty"`
	User        string            `json:"user,omitempty"`
	Workdir     string            `json:"workdir,omitempty"`
	Expose      []Port            `json:"expose,omitempty"`
	Labels      map[string]string `json:"labels,omitempty"`
	Annotations map[string]string `json:"annotations,omitempty"`
	Certs       *bool             `json:"certs,omitempty"`
	Zoneinfo    string            `json:"zoneinfo,omitempty"` // one of the Zoneinfo* values
	Files       []File            `json:"files,omitempty"`

	Capabilities []string     `json:"capabilities,omitempty"` // of every binary that sets none
	Dirs         []Dir        `json:"dirs,omitempty"`
	Volumes      []string     `json:"volumes,omitempty"`
	Healthcheck  *Healthcheck `json:"healthcheck,omitempty"`
	StopSignal   string       `json:"stopsignal,omitempty"`
	Debug        *bool        `json:"debug,omitempty"`
}

// Binary is one Go main package built into the image.
type Binary struct {
	Main         string   `json:"main"`
	Name         string   `json:"name,omitempty"`
	Tags         []string `json:"tags,omitempty"`
	Ldflags      *string  `json:"ldflags,omitempty"`
	Capabilities []string `json:"capabilities,omitempty"` // nil: the target's
}

// Port is an exposed port with its protocol.
type Port struct {
	Number   int    // 1..65535
	Protocol string // tcp (default) or udp or sctp
}

// File is an extra file or directory copied from the build context.
type File struct {
	Src   string  `json:"src"`
	Dst   string  `json:"dst"`
	Mode  *uint32 `json:"mode,omitempty"`
	Owner string  `json:"owner,omitempty"`
}

// Dir is a directory made in the image, empty, for the program's data.
type Dir struct {
	Path  string  `json:"path"`
	Mode  *uint32 `json:"mode,omitempty"`
	Owner string  `json:"owner,omitempty"` // UID:GID; "" is the image's user
}

// Healthcheck is the image's health check: a command of the image that
// a runtime (Docker, Compose, Podman) runs to ask whether it is healthy.
type Healthcheck struct {
	Test          []string `json:"test,omitempty"`
	Interval      string   `json:"interval,omitempty"` // a Go duration: 30s, 1m30s
	Timeout       string   `json:"timeout,omitempty"`
	StartPeriod   string   `json:"start_period,omitempty"`
	StartInterval string   `json:"start_interval,omitempty"`
	Retries       *int     `json:"retries,omitempty"`
}

// Test is what the reserved target `test` runs.
type Test struct {
	Packages []string `json:"packages,omitempty"`
	Vet      *bool    `json:"vet,omitempty"`
	Flags    []string `json:"flags,omitempty"`
	Tags     []string `json:"tags,omitempty"`
	Report   *bool    `json:"report,omitempty"`
	Coverage *bool    `json:"coverage,omitempty"`
}

// Secret is a build secret (`--secret id=ID,src=FILE`) available to the
// `go mod download` step only, never to a build step or the image.
type Secret struct {
	ID       string `json:"id"`
	Target   string `json:"target,omitempty"`
	Env      string `json:"env,omitempty"`
	Required *bool  `json:"required,omitempty"`
}
