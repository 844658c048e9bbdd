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

# join_by SEP WORD...: the words joined by SEP.
join_by() {
	local sep=$1 out=$2 w
	shift 2 || return 0
	for w; do out+=$sep$w; done
	printf '%s' "$out"
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

# registry_digest REPO TAG: the manifest digest the local registry has for REPO:TAG.
registry_digest() {
	curl -fsSI --max-time 10 \
		-H 'Accept: application/vnd.oci.image.index.v1+json' \
		-H 'Accept: application/vnd.docker.distribution.manifest.list.v2+json' \
		-H 'Accept: application/vnd.oci.image.manifest.v1+json' \
		-H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
		"http://$GOSCRATCH_REGISTRY/v2/$1/manifests/$2" 2>/dev/null |
		awk 'tolower($1) == "docker-content-digest:" { sub(/\r$/, "", $2); print $2 }'
}

# require_env: the dev environment (hack/env-up.sh) must be up.
require_env() {
	curl -fsS --max-time 3 -o /dev/null "http://$GOSCRATCH_REGISTRY/v2/" 2>/dev/null ||
		die "registry $GOSCRATCH_REGISTRY is not up: run hack/env-up.sh (make env-up)"
	timeout 10 buildctl debug workers >/dev/null 2>&1 ||
		die "buildkitd at $BUILDKIT_HOST is not up: run hack/env-up.sh (make env-up)"
}

# --- Go toolchains for the golang builder images (hack/golang*-image.sh) ---

# resolve_version V: X.Y.Z for V (X.Y.Z, goX.Y.Z, or X.Y = newest served patch).
resolve_version() {
	local v=${1#go} host_arch
	if [[ $v =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
		printf '%s\n' "$v"
	elif [[ $v =~ ^[0-9]+\.[0-9]+$ ]]; then
		host_arch=$(go env GOHOSTARCH)
		go list -m -versions golang.org/toolchain | tr ' ' '\n' |
			sed -n "s/^v0\.0\.1-go\(${v//./\\.}\.[0-9]*\)\.linux-$host_arch\$/\1/p" |
			sort -t. -k3,3n | tail -n1 | grep . ||
			die "the Go module proxy serves no go$v.N toolchain"
	else
		die "bad Go version '$1' (want X.Y.Z, goX.Y.Z or X.Y)"
	fi
}

# toolchain VERSION GOARCH: download golang.org/toolchain for linux/GOARCH; print "dir sum".
toolchain() {
	local mod="golang.org/toolchain@v0.0.1-go$1.linux-$2" json
	json=$(go mod download -json "$mod" 2>/dev/null) ||
		die "no Go $1 toolchain for linux/$2 from the Go module proxy: $(jq -r '.Error // empty' <<<"$json" 2>/dev/null | head -n1)"
	jq -r '"\(.Dir) \(.Sum)"' <<<"$json"
}

# platform_arches: the GOARCH of each of $PLATFORMS (set by the calling script).
platform_arches() {
	local p arch
	for p in ${PLATFORMS//,/ }; do
		arch=${p#linux/}
		printf '%s\n' "${arch%%/*}"
	done
}


# copy_goroot MODDIR DEST: a toolchain module's tree as a GOROOT at DEST. The module
# cache is read-only and module zips drop exec bits: copy, then fix the modes.
copy_goroot() {
	cp -a "$1" "$2"
	chmod -R u+w "$2"
	chmod 0755 "$2"/bin/* "$2"/pkg/tool/*/*
}

# lab_up_for_this_run: start (or reuse) the lab; when this run started it,
# stop it again on exit unless KEEP_ENV=1. Call it from the top-level script.
lab_up_for_this_run() {
	local started=0
	if ! (require_env) >/dev/null 2>&1; then started=1; fi
	"$HACK_DIR/env-up.sh"
	if [ "$started" = 1 ] && [ "${KEEP_ENV:-0}" != 1 ]; then
		trap '"$HACK_DIR/env-down.sh"' EXIT
	fi
}
