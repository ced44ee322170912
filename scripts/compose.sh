#!/usr/bin/env bash
# Runs docker compose with whatever this machine has: the v2 plugin (`docker compose`) when it answers,
# else the v1 binary (`docker-compose`); installs Debian's docker-compose when neither exists.
#   scripts/compose.sh ARGS...     runs compose with ARGS in the repository root
#   scripts/compose.sh --print     prints the command (e.g. "docker compose") and exits
set -euo pipefail
cd "$(dirname "$0")/.."
# One project name wherever the clone lives, so `make down` finds what `make up` started.
export COMPOSE_PROJECT_NAME="${COMPOSE_PROJECT_NAME:-codeexec}"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if docker compose version >/dev/null 2>&1; then
  cmd=(docker compose)
elif command -v docker-compose >/dev/null 2>&1; then
  cmd=(docker-compose)
else
  echo "==> no docker compose: installing Debian's docker-compose" >&2
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null
  cmd=(docker-compose)
fi

if [ "${1:-}" = "--print" ]; then echo "${cmd[*]}"; exit 0; fi
exec "${cmd[@]}" "$@"
