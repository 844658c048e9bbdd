# A release with docker buildx bake: several targets of one goscratch spec
# (examples/multi-target's api and worker) and two services of their own
# (examples/hello and examples/workspace), each as a matrix, for two
# platforms, with SBOM and provenance, tagged with the version and the git
# commit, and registry caches for CI.
#
#   cd examples/release   # contexts are relative to the working directory
#   VERSION=1.2.0 GIT_SHA=$(git rev-parse --short HEAD) REGISTRY=ghcr.io/acme CACHE=registry \
#     docker buildx bake --allow=fs.read=.. --push --metadata-file bake.json \
#     [--set '*.platform=linux/amd64']
# (--allow: the contexts are the sibling examples, outside this directory)
#   docker buildx bake --print   # what it would build
#
# bake.json maps each target to its index digest (containerimage.digest),
# for the next step: `cosign sign "$REGISTRY/api@$DIGEST"`, a deployment.
#
# Each spec's `# syntax=` line selects the goscratch frontend; bake passes the
# args to it as build args.

variable "REGISTRY" {
  default = "ghcr.io/acme"
}

variable "VERSION" {
  default = "dev"
}

variable "GIT_SHA" {
  default = ""
}

# CACHE: "registry" for CI (a cache image per target next to the images),
# "" for none.
variable "CACHE" {
  default = ""
}

# SOURCE_DATE_EPOCH: every file time and the images' created time
# (e.g. $(git log -1 --format=%ct)); the Unix epoch by default.
variable "SOURCE_DATE_EPOCH" {
  default = "0"
}

group "default" {
  targets = ["multi", "service"]
}

target "_release" {
  platforms = ["linux/amd64", "linux/arm64"]
  args = {
    VERSION           = VERSION
    SOURCE_DATE_EPOCH = SOURCE_DATE_EPOCH
  }
  attest = ["type=sbom", "type=provenance,mode=max"]
}

function "tags" {
  params = [name]
  result = compact([
    "${REGISTRY}/${name}:${VERSION}",
    notequal(GIT_SHA, "") ? "${REGISTRY}/${name}:${GIT_SHA}" : "",
  ])
}

function "cache_from" {
  params = [name]
  result = equal(CACHE, "registry") ? ["type=registry,ref=${REGISTRY}/${name}:buildcache"] : []
}

function "cache_to" {
  params = [name]
  result = equal(CACHE, "registry") ? ["type=registry,ref=${REGISTRY}/${name}:buildcache,mode=max"] : []
}

# Two targets of one spec: the same module download and the same
# dependency compile serve both.
target "multi" {
  name       = "multi-${tgt}"
  inherits   = ["_release"]
  matrix     = { tgt = ["api", "worker"] }
  context    = "../multi-target"
  dockerfile = "goscratch.yaml"
  target     = tgt
  tags       = tags(tgt)
  cache-from = cache_from(tgt)
  cache-to   = cache_to(tgt)
}

# Two services, each its own spec and context.
target "service" {
  name       = "service-${svc}"
  inherits   = ["_release"]
  matrix     = { svc = ["hello", "workspace"] }
  context    = "../${svc}"
  dockerfile = "goscratch.yaml"
  tags       = tags(svc)
  cache-from = cache_from(svc)
  cache-to   = cache_to(svc)
}
