#!/usr/bin/env bash
# Stop the goscratch dev environment started by hack/env-up.sh: buildkitd, then the
# registry, each by its own pid file; unmount what buildkitd left under its root.
# Data (registry content, build cache) stays for the next env-up; --purge deletes
# the whole ${GOSCRATCH_ENV:-$HOME/.cache/goscratch/env} folder as well.
set -euo pipefail
# shellcheck source=hack/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=hack/services.sh
. "$HACK_DIR/services.sh"

purge=
case "${1:-}" in
--purge) purge=1 ;;
'') ;;
*) die "usage: $0 [--purge]" ;;
esac

[ -d "$ENVD" ] || exit 0
exec 9>"$ENVD/.lock"
flock 9
stop_service buildkitd buildkitd "$ENVD/buildkitd.toml"
cleanup_buildkitd_state
stop_service registry docker-registry "$ENVD/registry.yml"
[ ${#STOPPED[@]} -eq 0 ] || log "stopped $(join_by ", " "${STOPPED[@]}")"
if [ -n "$purge" ]; then
	if awk -v r="$ENVD/" 'index($5, r) == 1 { found = 1 } END { exit !found }' /proc/self/mountinfo; then
		die "mounts remain under $ENVD; not purging"
	fi
	rm -rf "$ENVD"
	log "removed $ENVD"
fi
