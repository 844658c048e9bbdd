# shellcheck shell=bash
# Common helpers for hack/*.sh. Source it; do not run it.

HACK_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$HACK_DIR/.." && pwd)
# shellcheck source=hack/versions.env
. "$HACK_DIR/versions.env"
# shellcheck source=hack/env.sh
. "$HACK_DIR/env.sh"
# shellcheck disable=SC2034 # used by the scripts that source this file
GOSCRATCH_BIN=$GOSCRATCH_CACHE/bin
# shellcheck disable=SC2034
STAMPS=$GOSCRATCH_CACHE/stamps
export REPO_ROOT

# Only the Go module proxy may be dialled: never fall back to "direct" (VCS hosts).
goproxy_only() {
	local p
	p=$(go env GOPROXY)
	p=${p%,direct}; p=${p%|direct}; p=${p%,off}; p=${p%|off}
	case "$p" in ''|direct|off) die "go env GOPROXY names no module proxy ($p): set GOPROXY" ;; esac
	export GOPROXY=$p
}

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# now / since T0: wall-clock seconds for "took" messages.
now() { date +%s.%N; }
since() { awk -v s="$1" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1fs", e - s }'; }

# run_logged LOGFILE CMD...: run quietly; on failure show the log's tail and fail.
run_logged() {
	local logf=$1
	shift
	if ! "$@" >"$logf" 2>&1; then
		printf 'error: %s failed; last lines of %s:\n' "$*" "$logf" >&2
		tail -n 40 "$logf" >&2
		return 1
	fi
}

# lab ARGS...: the lab's supervisor, cmd/goscratch-lab (internal/lab), from this checkout.
lab() { go -C "$REPO_ROOT" run ./cmd/goscratch-lab "$@"; }

# require_env: the lab (hack/env-up.sh) must be up.
require_env() {
	lab status -q 2>/dev/null || die "the lab ($GOSCRATCH_ENV) is not up: run hack/env-up.sh (make env-up)"
}

# lab_up_for_this_run: start (or reuse) the lab; when this run started it,
# stop it again on exit unless KEEP_ENV=1. Call it from the top-level script.
lab_up_for_this_run() {
	local started=0
	lab status -q 2>/dev/null || started=1
	lab up
	if [ "$started" = 1 ] && [ "${KEEP_ENV:-0}" != 1 ]; then
		trap 'lab down' EXIT
	fi
}
