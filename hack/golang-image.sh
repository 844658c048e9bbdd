#!/usr/bin/env bash
# Make golang:<version> builder images without any outside registry and push them to the
# lab registry as 127.0.0.1:5000/library/golang:<X.Y.Z> and :<X.Y> (which the buildkitd
# docker.io mirror serves as golang:X.Y.Z / golang:X.Y): busybox on scratch, amd64+arm64
# (GOSCRATCH_GOLANG_PLATFORMS), GOROOT from the golang.org/toolchain module.
#   hack/golang-image.sh [--bookworm] [--force] [--no-verify] [--check=false] [VERSION...]
# VERSION is X.Y.Z, goX.Y.Z or X.Y (newest patch the Go module proxy serves); default: the
# host's go. Skipped when the registry has both tags at the digest recorded for the same
# inputs. --bookworm: the Debian flavour (hack/golang-bookworm-image.sh). The work is
# internal/lab/golangimage (cmd/goscratch-lab golang-image). Needs hack/env-up.sh first.
exec go -C "$(dirname "${BASH_SOURCE[0]}")/.." run ./cmd/goscratch-lab golang-image "$@"
