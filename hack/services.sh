# shellcheck shell=bash
# Service helpers shared by env-up.sh and env-down.sh. Source after lib.sh.
# shellcheck disable=SC2034 # variables used by the scripts that source this file

ENVD=$GOSCRATCH_ENV
SOCK=${BUILDKIT_HOST#unix://}
BK_ROOT=$ENVD/buildkitd
REG_DATA=$ENVD/registry
ENV_LOGS=$ENVD/logs
REG_ADDR=$GOSCRATCH_REGISTRY

pidfile() { printf '%s/%s.pid' "$ENVD" "$1"; }

# service_pid NAME BINARY: print the pid from NAME's pid file when that process is
# alive and runs BINARY; fail otherwise (no file, dead, or pid reused by another program).
service_pid() {
	local pid exe
	pid=$(cat "$(pidfile "$1")" 2>/dev/null) || return 1
	[[ $pid =~ ^[0-9]+$ ]] || return 1
	exe=$(readlink "/proc/$pid/exe" 2>/dev/null) || return 1
	exe=${exe% (deleted)}
	[ "${exe##*/}" = "$2" ] || return 1
	printf '%s\n' "$pid"
}

# our_pids BINARY CONFIG: live BINARY processes whose command line names CONFIG
# (this env's config file), whether or not a pid file still points at them.
our_pids() {
	local p exe
	for p in /proc/[0-9]*; do
		exe=$(readlink "$p/exe" 2>/dev/null) || continue
		exe=${exe% (deleted)}
		[ "${exe##*/}" = "$1" ] || continue
		tr '\0' ' ' <"$p/cmdline" 2>/dev/null | grep -qF -- " $2" || continue
		printf '%s\n' "${p#/proc/}"
	done
}

# current NAME BINARY: NAME runs and its binary was not replaced since it started
# (a reinstall with a new pin mv's a new file over it: /proc/PID/exe says "(deleted)").
current() {
	local pid
	pid=$(service_pid "$1" "$2") || return 1
	[[ $(readlink "/proc/$pid/exe" 2>/dev/null) != *' (deleted)' ]]
}

alive() { [ -n "$(readlink "/proc/$1/exe" 2>/dev/null)" ]; } # false for zombies too

# stop_service NAME BINARY CONFIG: stop the pid-file process and any orphan of this env
# (TERM, wait up to 20s, then KILL); remove the pid file.
stop_service() {
	local name=$1 pids=() pid i left
	pid=$(service_pid "$1" "$2") && pids+=("$pid")
	for pid in $(our_pids "$2" "$3"); do
		[[ " ${pids[*]} " == *" $pid "* ]] || pids+=("$pid")
	done
	if [ ${#pids[@]} -gt 0 ]; then
		kill -TERM "${pids[@]}" 2>/dev/null || true
		for ((i = 0; i < 200; i++)); do
			left=()
			for pid in "${pids[@]}"; do alive "$pid" && left+=("$pid"); done
			[ ${#left[@]} -eq 0 ] && break
			sleep 0.1
		done
		if [ ${#left[@]} -gt 0 ]; then
			log "$name (pid ${left[*]}) ignored TERM for 20s: KILL"
			kill -KILL "${left[@]}" 2>/dev/null || true
			for ((i = 0; i < 50; i++)); do
				left=()
				for pid in "${pids[@]}"; do alive "$pid" && left+=("$pid"); done
				[ ${#left[@]} -eq 0 ] && break
				sleep 0.1
			done
			[ ${#left[@]} -eq 0 ] || die "$name (pid ${left[*]}) does not stop"
		fi
		STOPPED+=("$name")
	fi
	rm -f "$(pidfile "$name")"
}

# Remove what a killed buildkitd may leave: runc containers (state in runc's default
# root, one bundle dir per container under the executor dir) and mounts under its root.
cleanup_buildkitd_state() {
	local d m
	for d in "$BK_ROOT"/runc-*/executor/*/; do
		[ -d "$d" ] || continue
		d=${d%/}
		runc delete --force "${d##*/}" >/dev/null 2>&1 || true
	done
	# Deepest first; mountinfo field 5 is the mount point.
	while read -r m; do
		umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || log "cannot unmount $m"
	done < <(awk -v r="$BK_ROOT/" 'index($5, r) == 1 { print $5 }' /proc/self/mountinfo | sort -r)
	rm -f "$SOCK"
}

STOPPED=()
