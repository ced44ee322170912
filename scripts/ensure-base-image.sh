#!/usr/bin/env bash
# Makes sure the base image every codeexec image builds FROM exists: pulls it from the registry when
# one answers, else builds it from Debian's archive with mmdebstrap and imports it under the same name.
set -euo pipefail
BASE_IMAGE="${BASE_IMAGE:-debian:trixie-slim}"
SUITE="${BASE_SUITE:-trixie}"

if docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then exit 0; fi
if timeout 60 docker pull -q "$BASE_IMAGE" >/dev/null 2>&1; then exit 0; fi

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v mmdebstrap >/dev/null 2>&1; then
  echo "==> installing mmdebstrap"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mmdebstrap >/dev/null
fi
echo "==> no registry: building $BASE_IMAGE with mmdebstrap ($SUITE, minbase)"
mmdebstrap --quiet --variant=minbase "$SUITE" - | docker import - "$BASE_IMAGE" >/dev/null
