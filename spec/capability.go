package spec

import (
	"slices"
	"strings"
)

// File capabilities: `capabilities:` of a target or a binary names Linux
// capabilities the binary's file carries (the security.capability xattr),
// so it can, say, bind port 53 while running as a non-root user.

// capabilityNames are the Linux capabilities by number (linux/capability.h),
// without the CAP_ prefix.
var capabilityNames = []string{
	"CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID",
	"SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW",
	"IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT",
	"SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD",
	"LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG",
	"WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF", "CHECKPOINT_RESTORE",
}

// CapNetBindService is the capability to bind ports below 1024.
const CapNetBindService = "CAP_NET_BIND_SERVICE"

// capabilityPrefix starts every canonical capability name.
const capabilityPrefix = "CAP_"

// capabilityPattern is what a capabilities item looks like, for editors:
// a name, in any case, with or without CAP_.
const capabilityPattern = `^[A-Za-z_]+$`

// CapabilityBit is the bit of a canonical capability name (CAP_NET_BIND_SERVICE
// is 10), or -1 when it is not one.
func CapabilityBit(name string) int {
	return slices.Index(capabilityNames, strings.TrimPrefix(name, capabilityPrefix))
}

// CapabilityMask is the set of capabilities as a bit mask (bit n is
// capability n), for the security.capability xattr; ok is false when a
// name is not a canonical capability name.
func CapabilityMask(names []string) (mask uint64, ok bool) {
	for _, n := range names {
		bit := CapabilityBit(n)
		if bit < 0 || !strings.HasPrefix(n, capabilityPrefix) {
			return 0, false
		}
		mask |= 1 << bit
	}
	return mask, true
}

// CapabilityName is a capabilities item as the kernel's headers write it
// (net_bind_service -> CAP_NET_BIND_SERVICE); the item must be valid.
func CapabilityName(item string) string { return canonicalCapability(item) }

// canonicalCapability writes a valid capability name as the kernel's
// headers do: CAP_ and upper case. net_bind_service -> CAP_NET_BIND_SERVICE.
func canonicalCapability(s string) string {
	return capabilityPrefix + strings.TrimPrefix(strings.ToUpper(s), capabilityPrefix)
}

// checkCapability accepts a Linux capability name, in any case, with or
// without the CAP_ prefix.
func checkCapability(s string) *problem {
	name := strings.TrimPrefix(strings.ToUpper(s), capabilityPrefix)
	if slices.Contains(capabilityNames, name) {
		return nil
	}
	hint := "e.g. capabilities: [NET_BIND_SERVICE] to bind ports below 1024; see capabilities(7)"
	if near := suggestUpper(name, capabilityNames); near != "" {
		hint = "did you mean " + near + "?"
	}
	return newProblem(hint, "%q is not a Linux capability", s)
}

// resolveCapabilities are the canonical names of a valid capabilities
// list, sorted, each once; nil for none.
func resolveCapabilities(caps []string) []string {
	if len(caps) == 0 {
		return nil
	}
	out := make([]string, len(caps))
	for i, c := range caps {
		out[i] = canonicalCapability(c)
	}
	slices.SortFunc(out, func(a, b string) int { return CapabilityBit(a) - CapabilityBit(b) })
	return slices.Compact(out)
}

// capabilities checks a capabilities list at prefix.field: every name is a
// capability, none twice.
func (v *validator) capabilities(prefix string, caps []string) {
	seen := map[string]int{}
	for i, c := range caps {
		p := joinIndex(joinKey(prefix, "capabilities"), i)
		if prob := checkCapability(c); prob != nil {
			v.check(p, prob)
			continue
		}
		name := canonicalCapability(c)
		if first, dup := seen[name]; dup {
			v.check(p, newProblem("remove one", "%s is already listed as capabilities[%d]", name, first))
			continue
		}
		seen[name] = i
	}
}

// suggestUpper is suggest for upper-case candidates (capability and signal
// names): the nearest, in upper case, or "".
func suggestUpper(word string, candidates []string) string {
	lower := make([]string, len(candidates))
	for i, c := range candidates {
		lower[i] = strings.ToLower(c)
	}
	return strings.ToUpper(suggest(strings.ToLower(word), lower, nil))
}
