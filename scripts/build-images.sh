#!/usr/bin/env bash
# Builds the codeexec images with the legacy builder (no registry needed: everything comes FROM the
# local debian:trixie-slim, which ensure-base-image.sh pulls or bootstraps).
#   scripts/build-images.sh [runners]   launcher, runner-python/javascript/ruby/c/cpp/java/go/rust, redis,
#                                       dind (what tests need; dind is TwoHostIT's second engine)
#   scripts/build-images.sh all         the above plus codeexec/api:local and codeexec/worker:local
#                                       (METRICS=1: and codeexec/prometheus:local, for `METRICS=1 make up`)
# IMAGE_TAG (default local) is the tag of every image built, and the runners copy the launcher of that
# tag: IMAGE_TAG=v2 scripts/build-images.sh runners builds codeexec/*:v2 and leaves :local alone.
# JAR_BUILD=host|docker chooses how the api/worker jars are built for `all`: host (the default when
# mvn and a JDK 21+ are here) runs host Maven and packs the jars (`--target prebuilt`); docker runs
# Maven inside the image build (Dockerfile.api/worker's default target, needs no host JDK).
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-runners}"
case "$what" in runners|all) ;; *) echo "usage: $0 [runners|all]" >&2; exit 2 ;; esac

export DOCKER_BUILDKIT=0
# NO_CACHE=1 rebuilds every layer (the old images stay usable until the new tags replace them).
cache_args=()
if [ "${NO_CACHE:-0}" = 1 ]; then cache_args=(--no-cache); fi
BASE_IMAGE="${BASE_IMAGE:-debian:trixie-slim}"
TAG="${IMAGE_TAG:-local}"
case "$TAG" in *[!A-Za-z0-9_.-]*|'') echo "bad IMAGE_TAG '$TAG'" >&2; exit 2 ;; esac
export BASE_IMAGE

bash scripts/ensure-docker.sh
bash scripts/ensure-base-image.sh

# build TAG CONTEXT [DOCKERFILE [EXTRA DOCKER BUILD ARGS...]]
build() {
  local tag="$1" ctx="$2" file="${3:-$2/Dockerfile}" start end log
  shift 3 2>/dev/null || shift $#
  start=$(date +%s)
  log=$(mktemp)
  if ! docker build -q --force-rm "${cache_args[@]}" --build-arg "BASE_IMAGE=$BASE_IMAGE" -t "$tag" -f "$file" "$@" "$ctx" >"$log" 2>&1; then
    echo "FAILED: $tag (docker build -f $file $ctx):" >&2
    cat "$log" >&2
    rm -f "$log"
    exit 1
  fi
  rm -f "$log"
  end=$(date +%s)
  printf '%-34s %4ss  %s\n' "$tag" "$((end - start))" \
    "$(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1000000}')"
}

build "codeexec/launcher:$TAG" runners/launcher
launcher_arg=(--build-arg "LAUNCHER_IMAGE=codeexec/launcher:$TAG")
for lang in python javascript ruby c cpp java go rust; do
  build "codeexec/runner-$lang:$TAG" "runners/$lang" "runners/$lang/Dockerfile" "${launcher_arg[@]}"
done
build "codeexec/redis:$TAG" docker/redis
build "codeexec/dind:$TAG" docker/dind

# host_jdk_ok: mvn exists and its JDK (JAVA_HOME, Temurin 25 when installed) is 21 or newer.
host_jdk_ok() {
  command -v mvn >/dev/null 2>&1 || return 1
  local v
  v=$("${JAVA_HOME:+$JAVA_HOME/bin/}java" -XshowSettings:properties -version 2>&1 \
      | sed -n 's/^ *java.specification.version = //p')
  [ -n "$v" ] && [ "${v%%.*}" -ge 21 ]
}

if [ "$what" = all ]; then
  if [ -z "${JAVA_HOME:-}" ] && [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/javac ]; then
    export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
  fi
  mode="${JAR_BUILD:-}"
  if [ -z "$mode" ]; then if host_jdk_ok; then mode=host; else mode=docker; fi; fi
  if [ "$mode" = host ]; then
    start=$(date +%s)
    mvn -B -q -DskipTests package -pl api,worker -am
    printf '%-34s %4ss\n' "jars (host mvn package)" "$(( $(date +%s) - start ))"
    build "codeexec/api:$TAG"          . Dockerfile.api    --target prebuilt
    build "codeexec/worker:$TAG"       . Dockerfile.worker --target prebuilt
  else
    build "codeexec/api:$TAG"          . Dockerfile.api
    build "codeexec/worker:$TAG"       . Dockerfile.worker
  fi
fi

if [ "$what" = all ] && [ "${METRICS:-0}" = 1 ]; then
  build "codeexec/prometheus:$TAG" docker/prometheus
fi
