package integration

import (
	"bytes"
	"debug/elf"
	"fmt"
)

// elfMachine is the ELF machine each Go architecture produces.
var elfMachine = map[string]elf.Machine{
	"amd64":   elf.EM_X86_64,
	"arm64":   elf.EM_AARCH64,
	"arm":     elf.EM_ARM,
	"386":     elf.EM_386,
	"riscv64": elf.EM_RISCV,
	"ppc64le": elf.EM_PPC64,
	"s390x":   elf.EM_S390,
}

// checkStatic returns an error unless dt is a statically linked ELF
// executable for arch: no program interpreter, no dynamic section.
func checkStatic(dt []byte, arch string) error {
	f, err := elf.NewFile(bytes.NewReader(dt))
	if err != nil {
		return fmt.Errorf("not an ELF file: %w", err)
	}
	defer f.Close()
	if want, ok := elfMachine[arch]; !ok || f.Machine != want {
		return fmt.Errorf("ELF machine %s, want %s for %s", f.Machine, want, arch)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return fmt.Errorf("has an ELF interpreter: dynamically linked")
		}
		if p.Type == elf.PT_DYNAMIC {
			return fmt.Errorf("has a dynamic section: dynamically linked")
		}
	}
	return nil
}
