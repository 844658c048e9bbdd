#!/usr/bin/env bash
# Make Debian-based golang:<version>-bookworm builder images (glibc + gcc, cgo on by default,
# a stand-in for the official golang:<X.Y.Z>-bookworm) and push them to the lab registry as
# library/golang:<X.Y.Z>-bookworm and :<X.Y>-bookworm: a debootstrap'd rootfs from the host's
# apt mirror (GOSCRATCH_DEBIAN_MIRROR), cached by the hash of its recipe, linux/amd64
# (GOSCRATCH_BOOKWORM_PLATFORMS).
#   hack/golang-bookworm-image.sh [--force] [--refresh] [--no-verify] [VERSION...]
# --refresh debootstraps again for newer Debian packages. Needs root, hack/install.sh and
# hack/env-up.sh. The work is internal/lab/golangimage (goscratch-lab golang-image -flavour bookworm).
exec go -C "$(dirname "${BASH_SOURCE[0]}")/.." run ./cmd/goscratch-lab golang-image -flavour bookworm "$@"
