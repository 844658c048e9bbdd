package spec

import (
	"slices"
	"strconv"
	"strings"
)

// Stop signals: `stopsignal:` is the signal a runtime sends to stop the
// container (Docker's STOPSIGNAL, the image config's StopSignal).

// signalNames are the Linux signals by name, without SIG, as container
// runtimes read them (the real-time ones as RTMIN, RTMIN+n, RTMAX-n, RTMAX).
var signalNames = func() []string {
	names := []string{
		"HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "IOT", "BUS", "FPE", "KILL", "USR1", "SEGV",
		"USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CLD", "CONT", "STOP", "TSTP", "TTIN",
		"TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "POLL", "PWR", "SYS",
		"RTMIN", "RTMAX",
	}
	for i := 1; i <= 15; i++ {
		names = append(names, "RTMIN+"+strconv.Itoa(i), "RTMAX-"+strconv.Itoa(i))
	}
	return names
}()

// maxSignal is the highest Linux signal number (SIGRTMAX).
const maxSignal = 64

// signalPattern is what a stopsignal looks like, for editors.
const signalPattern = `^([A-Za-z][A-Za-z0-9+-]*|[0-9]+)$`

// checkSignal accepts a signal name, in any case, with or without SIG
// (SIGTERM, term), or a number 1..64.
func checkSignal(s string) *problem {
	if n, err := strconv.Atoi(s); err == nil {
		if n < 1 || n > maxSignal {
			return newProblem("signals are 1..64, e.g. 15 for SIGTERM", "signal %d is out of range", n)
		}
		return nil
	}
	name := strings.TrimPrefix(strings.ToUpper(s), "SIG")
	if slices.Contains(signalNames, name) {
		return nil
	}
	hint := "e.g. stopsignal: SIGTERM (the default) or SIGINT"
	if near := suggestUpper(name, signalNames); near != "" {
		hint = "did you mean SIG" + near + "?"
	}
	return newProblem(hint, "%q is not a signal", s)
}

// canonicalSignal writes a valid signal as runtimes print it: SIGTERM, or
// the number as written.
func canonicalSignal(s string) string {
	if n, err := strconv.Atoi(s); err == nil {
		return strconv.Itoa(n)
	}
	return "SIG" + strings.TrimPrefix(strings.ToUpper(s), "SIG")
}
