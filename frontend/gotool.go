package frontend

import (
	"bytes"
	"debug/elf"
	"os"
	"path/filepath"
	"runtime"

	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// goToolName is the prebuilt gotool's file name, next to the frontend's
// own executable in the frontend image.
const goToolName = "gotool"

// prebuiltGoTool returns the gotool binary the frontend image carries next
// to the frontend (built for the frontend's own platform), when the build
// platform is that platform: the Go steps then use it instead of compiling
// gotool in the builder first. Nil means compile it (another build
// platform, 32-bit arm with its variants, or a frontend image without it).
func prebuiltGoTool(dir string, build ocispecs.Platform) []byte {
	if build.OS != runtime.GOOS || build.Architecture != runtime.GOARCH || runtime.GOARCH == "arm" {
		return nil
	}
	dt, err := os.ReadFile(filepath.Join(dir, goToolName))
	if err != nil {
		return nil
	}
	f, err := elf.NewFile(bytes.NewReader(dt))
	if err != nil {
		return nil
	}
	defer f.Close()
	if want, ok := elfTargets[runtime.GOARCH]; !ok || f.Machine != want.machine || f.Type != elf.ET_EXEC {
		return nil
	}
	return dt
}

// frontendDir is the directory of the frontend's executable.
func frontendDir() string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	return filepath.Dir(exe)
}
