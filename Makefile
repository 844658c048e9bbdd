# goscratch developer entry points. The work is in hack/*.sh and cmd/goscratch-lab
# (internal/lab: the lab's supervisor and golang images); this file only names it.
#   make tools          install runc, registry, qemu binfmt, pinned buildkitd/buildctl/buildx
#   make env-up         start (or reuse) registry 127.0.0.1:5000 + buildkitd + buildx builder "goscratch"
#   make env-down       stop them (data kept; hack/env-down.sh --purge deletes it)
#                       LAB_FLAGS="-nodes amd64,arm64 -builder goscratch-multi": env-up also starts a
#                       buildkitd per node and one multi-node buildx builder; env-down stops only those
#   make golang-image   push golang:<host go version> (amd64+arm64) to the local registry
#                       (GO_VERSIONS="1.26.8 1.25" for others)
#   make golang-bookworm-image  push Debian-based golang:<version>-bookworm (amd64, with gcc:
#                       cgo on by default) built with debootstrap (same GO_VERSIONS)
#   make demo           all of the above, then build examples/hello for amd64+arm64 with buildx and run it
#   make test           unit tests, then the integration suite against the real buildkitd/registry/buildx
#   make unit           unit tests only (no daemon)
#   make test-compat    the core integration tests on older BuildKit versions (docs/compat.md; ~40 min)
#   make frontend-image build + push the frontend image (127.0.0.1:5000/goscratch/goscratch:v1)
#   make bench          the benchmark (docs/benchmarks.md): goscratch vs a best-practice
#                       Dockerfile (two: modules on a mount, modules as a layer), ko and
#                       host go build on 1, 100+ and 300+ modules; the default matrix covers
#                       every target (hours on 2 cores: cd bench && go run . plan), so it
#                       runs in parts: BENCH_FLAGS="-subjects big -scenarios cold -merge"
#   make bench-full     every subject x scenario x 1/2/4 platforms (many hours)
#   make bench-report   regenerate docs/benchmarks.md's table and plot from docs/benchmarks.json
#   eval "$(hack/env.sh)"   exports BUILDKIT_HOST, BUILDX_BUILDER, PATH, ... for your shell

SHELL := /bin/bash
include hack/versions.env
GOLANGCI_LINT := go run github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)
ACTIONLINT := go run github.com/rhysd/actionlint/cmd/actionlint@$(ACTIONLINT_VERSION)
GO_VERSIONS ?=
BENCH_FLAGS ?=
LAB_FLAGS ?=

.PHONY: tools env-up env-down golang-image golang-bookworm-image frontend-image demo test test-compat unit lint bench bench-full bench-report

tools:
	hack/install.sh

env-up: tools
	hack/env-up.sh $(LAB_FLAGS)

env-down:
	hack/env-down.sh $(LAB_FLAGS)

golang-image: env-up
	hack/golang-image.sh $(GO_VERSIONS)

golang-bookworm-image: env-up
	hack/golang-bookworm-image.sh $(GO_VERSIONS)

demo:
	hack/demo.sh

test:
	hack/test.sh

test-compat:
	hack/test-compat.sh

unit:
	go vet ./...
	go test -short ./...
	cd bench && go vet ./... && go test -short ./...

bench:
	hack/bench.sh $(BENCH_FLAGS)

bench-full:
	hack/bench.sh -matrix full $(BENCH_FLAGS)

bench-report:
	cd bench && go run . report

frontend-image: golang-image
	hack/frontend-image.sh

# golangci-lint (pinned, from the Go module proxy; .golangci.yml) over both
# modules, actionlint over the workflows (the project's and the example for
# users), and shellcheck (installed by `make tools`) over the scripts.
lint:
	$(GOLANGCI_LINT) run ./...
	cd bench && $(GOLANGCI_LINT) run --config ../.golangci.yml ./...
	@command -v shellcheck >/dev/null || { echo "shellcheck is missing: run make tools (hack/install.sh)"; exit 1; }
	$(ACTIONLINT) .github/workflows/*.yml examples/release/github-workflow.yml
	shellcheck -x -P SCRIPTDIR hack/*.sh .ci/run
