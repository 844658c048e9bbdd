#!/usr/bin/env bash
# Install everything the goscratch dev environment and integration tests need on a
# fresh Debian 12 machine (as root): Debian packages (debootstrap + zstd for the
# bookworm golang images too, pigz for the daemon's gzip layers), pinned buildkitd/buildctl and docker-buildx built from
# the Go module proxy, an arm64 busybox for the golang builder images, and qemu binfmt
# so arm64/arm containers run under runc. GOSCRATCH_INSTALL_KO=1 (make bench) also
# builds ko for the benchmark. `hack/install.sh compat VERSION...` builds older buildkitds
# into bin/compat/VERSION/ for make test-compat (docs/compat.md).
#
# Idempotent and silent when everything is already there. Binaries go to a versioned
# cache outside the repo, ${GOSCRATCH_CACHE:-$HOME/.cache/goscratch}/bin, so fresh
# clones reuse them; a tool is rebuilt only when its pin in hack/versions.env changes.
set -euo pipefail
# shellcheck source=hack/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

APT_PACKAGES=(
	runc docker-registry skopeo qemu-user-static binfmt-support busybox-static
	jq file curl ca-certificates tzdata util-linux
	debootstrap debian-archive-keyring zstd shellcheck
	pigz
)
# pigz: containerd (inside buildkitd) decompresses gzip layers with unpigz when it is
# in PATH, as in the moby/buildkit image that docker buildx's docker-container driver
# runs; without it the lab's daemon unpacks with Go's compress/gzip, slower than the
# builders people use (the bench records which: Machine.Gunzip).
# Foreign architectures (Debian names) whose busybox-static the golang images need.
BUSYBOX_ARCHES=(arm64)
LOGS=$GOSCRATCH_CACHE/logs

install_apt() {
	local missing=() p t0 policy=/usr/sbin/policy-rc.d added_policy=
	for p in "${APT_PACKAGES[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	[ "$(id -u)" -eq 0 ] || die "need root to apt-get install: ${missing[*]}"
	log "apt-get install ${missing[*]}"
	t0=$(now)
	# Package scripts must not start services (docker-registry would take :5000 on
	# all interfaces): deny service starts for the duration of the install.
	if [ ! -e "$policy" ]; then
		printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && added_policy=1
	fi
	export DEBIAN_FRONTEND=noninteractive
	if ! run_logged "$LOGS/apt.log" apt-get update -q ||
		! run_logged "$LOGS/apt.log" apt-get install -y -q --no-install-recommends "${missing[@]}"; then
		[ -z "$added_policy" ] || rm -f "$policy"
		die "apt-get install failed"
	fi
	[ -z "$added_policy" ] || rm -f "$policy"
	log "apt packages installed ($(since "$t0"))"
}

# have_stamp NAME VERSION BIN...: NAME was built at VERSION and its binaries exist.
have_stamp() {
	local name=$1 version=$2 b
	shift 2
	[ -f "$STAMPS/$name-$version" ] || return 1
	for b in "$@"; do [ -x "$GOSCRATCH_BIN/$b" ] || return 1; done
}

set_stamp() {
	rm -f "$STAMPS/$1"-*
	mkdir -p "$STAMPS"
	go version >"$STAMPS/$1-$2"
}

# build_buildkit VERSION DIR STAMP CMD...: build buildkit's commands CMD
# (buildkitd, buildctl) at VERSION from the Go module proxy into
# $GOSCRATCH_BIN/DIR ("" for $GOSCRATCH_BIN), once per STAMP.
build_buildkit() {
	local version=$1 dir=$2 stamp=$3 c
	shift 3
	local bins=() pkgs=()
	for c; do
		bins+=("${dir:+$dir/}$c")
		pkgs+=("./cmd/$c")
	done
	have_stamp "$stamp" "$version" "${bins[@]}" && return 0
	log "building $* $version from the Go module proxy (~3.5 min cold)"
	local t0 mod src tmp
	t0=$(now)
	mod=$(go mod download -json "github.com/moby/buildkit@$version" | jq -r .Dir)
	[ -d "$mod" ] || die "go mod download github.com/moby/buildkit@$version failed"
	# The module cache is read-only and buildkit's go.mod has exclude directives
	# (so `go install pkg@version` refuses): build from a writable copy with -mod=mod.
	src=$GOSCRATCH_CACHE/src/buildkit-$version
	rm -rf "$src" && mkdir -p "$src" && cp -a "$mod/." "$src/" && chmod -R u+w "$src" && rm -rf "$src/vendor"
	tmp=$(mktemp -d "$GOSCRATCH_CACHE/.build.XXXXXX")
	(cd "$src" && run_logged "$LOGS/build-buildkit-$version.log" go build -mod=mod -trimpath -o "$tmp/" \
		-ldflags "-s -w -X github.com/moby/buildkit/version.Version=$version" \
		"${pkgs[@]}") || die "building buildkit $version failed"
	mkdir -p "$GOSCRATCH_BIN/$dir"
	for c; do mv -f "$tmp/$c" "$GOSCRATCH_BIN/${dir:+$dir/}"; done
	rm -rf "$tmp" "$src"
	set_stamp "$stamp" "$version"
	log "$* $version -> $GOSCRATCH_BIN${dir:+/$dir} ($(since "$t0"))"
}

build_buildx() {
	have_stamp buildx "$BUILDX_VERSION" docker-buildx && return 0
	log "building docker-buildx $BUILDX_VERSION from the Go module proxy"
	local t0 tmp
	t0=$(now)
	tmp=$(mktemp -d "$GOSCRATCH_CACHE/.build.XXXXXX")
	GOBIN=$tmp run_logged "$LOGS/build-buildx.log" go install -trimpath \
		-ldflags "-s -w -X github.com/docker/buildx/version.Version=$BUILDX_VERSION" \
		"github.com/docker/buildx/cmd/buildx@$BUILDX_VERSION" || die "building buildx failed"
	mkdir -p "$GOSCRATCH_BIN"
	mv -f "$tmp/buildx" "$GOSCRATCH_BIN/docker-buildx"
	rm -rf "$tmp"
	set_stamp buildx "$BUILDX_VERSION"
	log "docker-buildx $BUILDX_VERSION -> $GOSCRATCH_BIN ($(since "$t0"))"
}

# ko (github.com/google/ko), a peer in the benchmark (make bench); not needed otherwise.
build_ko() {
	have_stamp ko "$KO_VERSION" ko && return 0
	log "building ko $KO_VERSION from the Go module proxy"
	local t0 tmp
	t0=$(now)
	tmp=$(mktemp -d "$GOSCRATCH_CACHE/.build.XXXXXX")
	GOBIN=$tmp run_logged "$LOGS/build-ko.log" go install -trimpath -ldflags "-s -w" \
		"github.com/google/ko@$KO_VERSION" || die "building ko failed"
	mkdir -p "$GOSCRATCH_BIN"
	mv -f "$tmp/ko" "$GOSCRATCH_BIN/ko"
	rm -rf "$tmp"
	set_stamp ko "$KO_VERSION"
	log "ko $KO_VERSION -> $GOSCRATCH_BIN ($(since "$t0"))"
}

link_buildx_plugin() {
	local plugins=${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins
	[ "$(readlink "$plugins/docker-buildx" 2>/dev/null)" = "$GOSCRATCH_BIN/docker-buildx" ] && return 0
	mkdir -p "$plugins"
	ln -sfn "$GOSCRATCH_BIN/docker-buildx" "$plugins/docker-buildx"
	log "docker CLI plugin $plugins/docker-buildx -> $GOSCRATCH_BIN/docker-buildx"
}

# Debian's busybox-static for foreign architectures, fetched with a private apt state
# (no dpkg --add-architecture on the host), unpacked to $GOSCRATCH_CACHE/busybox/ARCH.
fetch_busybox() {
	local arch=$1 dir=$GOSCRATCH_CACHE/busybox/$1 apt_dir=$GOSCRATCH_CACHE/apt-$1 t0 deb
	[ -x "$dir/busybox" ] && return 0
	log "fetching busybox-static:$arch from Debian"
	t0=$(now)
	mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/deb"
	: >"$apt_dir/status"
	local opts=(
		-o "APT::Architecture=$arch" -o "APT::Architectures::=$arch"
		-o "Dir::State::Lists=$apt_dir/lists" -o "Dir::State::status=$apt_dir/status"
		-o "Dir::Cache=$apt_dir/cache" -o Debug::NoLocking=1 -o APT::Sandbox::User=root
	)
	run_logged "$LOGS/apt-$arch.log" apt-get "${opts[@]}" update -q || die "apt-get update ($arch) failed"
	rm -f "$apt_dir"/deb/*.deb
	(cd "$apt_dir/deb" && run_logged "$LOGS/apt-$arch.log" apt-get "${opts[@]}" download "busybox-static:$arch") ||
		die "apt-get download busybox-static:$arch failed"
	deb=$(ls "$apt_dir"/deb/*.deb)
	rm -rf "$dir.tmp" && mkdir -p "$dir.tmp/x"
	dpkg-deb -x "$deb" "$dir.tmp/x"
	mv "$dir.tmp/x/bin/busybox" "$dir.tmp/busybox"
	rm -rf "$dir.tmp/x" "$dir" "$apt_dir/lists" "$apt_dir/cache"
	mv "$dir.tmp" "$dir"
	log "busybox $arch -> $dir/busybox ($(since "$t0"))"
}

setup_binfmt() {
	local mnt=/proc/sys/fs/binfmt_misc f
	if [ ! -e "$mnt/register" ]; then
		log "mounting binfmt_misc on $mnt"
		mount -t binfmt_misc binfmt_misc "$mnt" || die "cannot mount binfmt_misc"
	fi
	for f in qemu-aarch64 qemu-arm; do
		if [ "$(head -n1 "$mnt/$f" 2>/dev/null)" != enabled ]; then
			log "registering binfmt $f"
			update-binfmts --import "$f" >/dev/null 2>&1 || true
			update-binfmts --enable "$f" >/dev/null 2>&1 || true
			[ "$(head -n1 "$mnt/$f" 2>/dev/null)" = enabled ] || die "binfmt $f could not be enabled"
		fi
		# F (fix binary): the kernel opens the interpreter at registration, so it
		# also works inside containers whose rootfs has no qemu.
		grep -q '^flags:.*F' "$mnt/$f" || die "binfmt $f lacks the F flag"
	done
}

main() {
	command -v go >/dev/null || die "go is not on PATH"
	mkdir -p "$GOSCRATCH_CACHE" "$LOGS"
	exec 9>"$GOSCRATCH_CACHE/.install.lock"
	flock 9
	install_apt
	# Run go outside any module so the repo's go.mod/go.sum are never touched.
	cd "$GOSCRATCH_CACHE"
	goproxy_only
	if [ "${1:-}" = compat ]; then # hack/install.sh compat VERSION...: older buildkitds for make test-compat
		shift
		local v
		for v; do build_buildkit "$v" "compat/$v" "compat-buildkit-$v" buildkitd; done
		return 0
	fi
	build_buildkit "$BUILDKIT_VERSION" "" buildkit buildkitd buildctl
	build_buildx
	[ "${GOSCRATCH_INSTALL_KO:-0}" != 1 ] || build_ko
	link_buildx_plugin
	local a
	for a in "${BUSYBOX_ARCHES[@]}"; do fetch_busybox "$a"; done
	setup_binfmt
}

main "$@"
