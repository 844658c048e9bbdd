package frontend

import (
	"context"
	"path"

	"debug/elf"
	"encoding/binary"
	"fmt"
	"github.com/containerd/platforms"
	"github.com/goscratch/goscratch/spec"
	"github.com/moby/buildkit/frontend/gateway/client"
	"io"
	"strings"

	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// elfTarget is what a Go binary for one architecture looks like.
type elfTarget struct {
	machine elf.Machine
	class   elf.Class
	order   binary.ByteOrder
}

var elfTargets = map[string]elfTarget{
	"amd64":    {elf.EM_X86_64, elf.ELFCLASS64, binary.LittleEndian},
	"arm64":    {elf.EM_AARCH64, elf.ELFCLASS64, binary.LittleEndian},
	"arm":      {elf.EM_ARM, elf.ELFCLASS32, binary.LittleEndian},
	"386":      {elf.EM_386, elf.ELFCLASS32, binary.LittleEndian},
	"ppc64le":  {elf.EM_PPC64, elf.ELFCLASS64, binary.LittleEndian},
	"ppc64":    {elf.EM_PPC64, elf.ELFCLASS64, binary.BigEndian},
	"s390x":    {elf.EM_S390, elf.ELFCLASS64, binary.BigEndian},
	"riscv64":  {elf.EM_RISCV, elf.ELFCLASS64, binary.LittleEndian},
	"loong64":  {elf.EM_LOONGARCH, elf.ELFCLASS64, binary.LittleEndian},
	"mips":     {elf.EM_MIPS, elf.ELFCLASS32, binary.BigEndian},
	"mipsle":   {elf.EM_MIPS, elf.ELFCLASS32, binary.LittleEndian},
	"mips64":   {elf.EM_MIPS, elf.ELFCLASS64, binary.BigEndian},
	"mips64le": {elf.EM_MIPS, elf.ELFCLASS64, binary.LittleEndian},
}

// checkStatic verifies that the ELF file in r is a statically linked
// executable for platform p: the right machine, no program interpreter, no
// dynamic section. A FROM scratch image has no libc or loader, so anything
// else would fail at run time with a confusing "no such file or directory".
func checkStatic(r io.ReaderAt, p ocispecs.Platform, h elfHints) error {
	var magic [8]byte
	if n, _ := r.ReadAt(magic[:], 0); n == len(magic) && string(magic[:]) == "!<arch>\n" {
		return fmt.Errorf("not a program but a package archive: the package `main:` names is not package main; point `main:` at the directory of a package main with func main")
	}
	f, err := elf.NewFile(r)
	if err != nil {
		return fmt.Errorf("not an ELF executable: %w", err)
	}
	defer f.Close()
	want, ok := elfTargets[p.Architecture]
	if !ok {
		return fmt.Errorf("no ELF check for architecture %s", p.Architecture)
	}
	if f.Machine != want.machine || f.Class != want.class || f.ByteOrder != want.order {
		return fmt.Errorf("built for %s (%s, %s), not %s: %s",
			strings.TrimPrefix(f.Machine.String(), "EM_"), f.Class, f.ByteOrder, p.Architecture, h.arch)
	}
	for _, prog := range f.Progs {
		switch prog.Type {
		case elf.PT_INTERP:
			interp, _ := io.ReadAll(io.LimitReader(prog.Open(), 256))
			return dynamicError(fmt.Sprintf("it asks for the loader %s", strings.TrimRight(string(interp), "\x00")), h)
		case elf.PT_DYNAMIC:
			return dynamicError("it has a dynamic section", h)
		}
	}
	return nil
}

func dynamicError(why string, h elfHints) error {
	return fmt.Errorf("dynamically linked (%s), so it cannot run in a FROM scratch image, which has no libc or loader. %s", why, h.dynamic)
}

// elfHints say what to do when checkStatic refuses a file.
type elfHints struct {
	arch    string // built for another architecture
	dynamic string // dynamically linked
}

// goHints are for the binaries goscratch builds.
var goHints = elfHints{
	arch: "check goenv and GOFLAGS for a GOARCH override",
	dynamic: "Usual causes: CGO_ENABLED=1 in goenv (remove it; use -tags netgo,osusergo for pure-Go DNS and user lookup), " +
		"-buildmode=pie in GOFLAGS (remove it), or -linkmode=external in ldflags (remove it)",
}

// verifyBinaries checks every binary of the image with ranged reads of its
// ELF headers; a dynamically linked or foreign binary fails the build at the
// spec line that asked for it instead of producing a broken image.
func verifyBinaries(ctx context.Context, bins []client.Reference, in *request, p ocispecs.Platform) error {
	for i, b := range in.target.Binaries {
		name := path.Join(spec.BinDir, b.Name)
		rr, err := newRangeReader(ctx, bins[i], name)
		if err == nil {
			err = checkStatic(rr, p, goHints)
		}
		if err != nil {
			return withSpecSource(&spec.Error{
				File: in.specFile, Pos: b.Pos, Path: "main",
				Msg: fmt.Sprintf("[%s] %s: %v", platforms.Format(p), name, err),
			}, in.sourceMap)
		}
	}
	return nil
}
