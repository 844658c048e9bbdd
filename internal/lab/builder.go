package lab

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// BuilderNode is one node of a docker buildx remote builder.
type BuilderNode struct {
	Name      string   // node name; "" lets buildx name it (NAME0)
	Endpoint  string   // unix:///.../buildkitd.sock
	Platforms []string // the platforms declared for it (--platform); none: what the daemon reports
	Status    string   // as `docker buildx inspect` says (running, inactive, ...)
}

// CreateArgs is the docker command lines that create builder name with
// nodes: `buildx create --name N --driver remote [--node A --platform P] ENDPOINT`
// for the first, `buildx create --append --name N ...` for each further one.
func CreateArgs(name string, nodes []BuilderNode) [][]string {
	var out [][]string
	for i, n := range nodes {
		args := []string{"buildx", "create"}
		if i > 0 {
			args = append(args, "--append")
		}
		args = append(args, "--name", name, "--driver", "remote")
		if n.Name != "" {
			args = append(args, "--node", n.Name)
		}
		if len(n.Platforms) > 0 {
			args = append(args, "--platform", strings.Join(n.Platforms, ","))
		}
		out = append(out, append(args, n.Endpoint))
	}
	return out
}

// ParseInspect reads the nodes of `docker buildx inspect` output; declared
// platforms are those it marks with a star.
func ParseInspect(out string) []BuilderNode {
	var nodes []BuilderNode
	inNodes := false
	for _, line := range strings.Split(out, "\n") {
		key, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		value = strings.TrimSpace(value)
		switch key {
		case "Nodes":
			inNodes = true
		case "Name":
			if inNodes {
				nodes = append(nodes, BuilderNode{Name: value})
			}
		case "Endpoint", "Status", "Platforms":
			if len(nodes) == 0 {
				continue
			}
			n := &nodes[len(nodes)-1]
			switch key {
			case "Endpoint":
				n.Endpoint = value
			case "Status":
				n.Status = value
			case "Platforms":
				for _, p := range strings.Split(value, ",") {
					if p = strings.TrimSpace(p); strings.HasSuffix(p, "*") {
						n.Platforms = append(n.Platforms, strings.TrimSuffix(p, "*"))
					}
				}
			}
		}
	}
	return nodes
}

// sameNodes: have (from inspect) is what want asks for: the same endpoints
// in the same order, the same declared platforms, and the same node names
// where want names them.
func sameNodes(have, want []BuilderNode) bool {
	if len(have) != len(want) {
		return false
	}
	for i := range want {
		if have[i].Endpoint != want[i].Endpoint || !slices.Equal(have[i].Platforms, want[i].Platforms) ||
			want[i].Name != "" && have[i].Name != want[i].Name {
			return false
		}
	}
	return true
}

// InspectBuilder is the builder's nodes; nil without error when docker
// buildx knows no builder of that name.
func InspectBuilder(ctx context.Context, name string, bootstrap bool) ([]BuilderNode, error) {
	args := []string{"buildx", "inspect"}
	if bootstrap {
		args = append(args, "--bootstrap")
	}
	out, err := exec.CommandContext(ctx, "docker", append(args, name)...).CombinedOutput()
	if err != nil {
		if !bootstrap && bytes.Contains(out, []byte("no builder")) {
			return nil, nil
		}
		return nil, fmt.Errorf("docker %s %s: %w\n%s", strings.Join(args, " "), name, err, lastLines(string(out), 20))
	}
	return ParseInspect(string(out)), nil
}

// EnsureBuilder makes the docker buildx remote builder name have exactly
// nodes, creating it (again) when it is missing or differs, then
// bootstraps it and checks that every node runs. It says whether it
// created the builder. Command output goes to logFile.
func EnsureBuilder(ctx context.Context, name string, nodes []BuilderNode, logFile string) (bool, error) {
	have, err := InspectBuilder(ctx, name, false)
	if err != nil {
		return false, err
	}
	created := false
	if !sameNodes(have, nodes) {
		if have != nil {
			if err := RemoveBuilder(ctx, name); err != nil {
				return false, err
			}
		}
		for _, args := range CreateArgs(name, nodes) {
			if err := RunLogged(ctx, logFile, "docker", args...); err != nil {
				return false, err
			}
		}
		created = true
	}
	have, err = InspectBuilder(ctx, name, true)
	if err != nil {
		return created, err
	}
	for _, n := range have {
		if n.Status != "running" {
			return created, fmt.Errorf("buildx builder %s: node %s (%s) is %s", name, n.Name, n.Endpoint, n.Status)
		}
	}
	return created, nil
}

// RemoveBuilder removes the buildx builder name (nothing when there is none).
func RemoveBuilder(ctx context.Context, name string) error {
	out, err := exec.CommandContext(ctx, "docker", "buildx", "rm", name).CombinedOutput()
	if err != nil && !bytes.Contains(out, []byte("no builder")) {
		return fmt.Errorf("docker buildx rm %s: %w\n%s", name, err, lastLines(string(out), 20))
	}
	return nil
}

// RunLogged runs a command with its output in logFile (replaced); a
// failure carries the output's last lines.
func RunLogged(ctx context.Context, logFile, name string, args ...string) error {
	if err := os.MkdirAll(filepath.Dir(logFile), 0o755); err != nil {
		return err
	}
	f, err := os.Create(logFile)
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdout, cmd.Stderr = f, f
	err = cmd.Run()
	f.Close()
	if err != nil {
		dt, _ := os.ReadFile(logFile)
		return fmt.Errorf("%s %s: %w; last lines of %s:\n%s", name, strings.Join(args, " "), err, logFile, lastLines(string(dt), 40))
	}
	return nil
}
