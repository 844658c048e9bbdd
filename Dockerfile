# The goscratch frontend image: two static binaries on scratch, the frontend
# and gotool (the helper the Go steps run; the frontend hands it to them so
# they need not compile it first).
# Built by BuildKit's Dockerfile frontend, cross-compiled on the build platform:
#   buildctl build --frontend dockerfile.v0 --local context=. --local dockerfile=. \
#     --opt platform=linux/amd64,linux/arm64 --output type=image,name=IMG,push=true
ARG GO_IMAGE=golang:1.26

FROM --platform=$BUILDPLATFORM ${GO_IMAGE} AS build
WORKDIR /src
ENV CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-buildvcs=false
COPY go.mod go.sum ./
RUN --mount=type=cache,id=goscratch-frontend-mod,target=/go/pkg/mod \
    go mod download
ARG TARGETOS TARGETARCH
RUN --mount=type=bind,target=/src,readonly \
    --mount=type=cache,id=goscratch-frontend-mod,target=/go/pkg/mod \
    --mount=type=cache,id=goscratch-frontend-build,target=/root/.cache/go-build \
    GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath -ldflags="-s -w" \
      -o /out/ ./cmd/goscratch-frontend ./llb/gotool

FROM scratch
COPY --from=build /out/goscratch-frontend /out/gotool /bin/
LABEL moby.buildkit.frontend.network.none="true" \
      moby.buildkit.frontend.caps="moby.buildkit.frontend.inputs,moby.buildkit.frontend.subrequests,moby.buildkit.frontend.contexts" \
      org.opencontainers.image.title="goscratch" \
      org.opencontainers.image.description="BuildKit frontend: a YAML spec to a multi-platform FROM-scratch image of static Go binaries"
USER 65532:65532
ENTRYPOINT ["/bin/goscratch-frontend"]
