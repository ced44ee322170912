#!/usr/bin/env bash
# Polls URL until it answers HTTP 200, for at most TIMEOUT seconds (default 120).
#   scripts/wait-ready.sh http://localhost:8080/ready 120
set -euo pipefail
cd "$(dirname "$0")/.."
url="${1:?usage: $0 URL [TIMEOUT_SECONDS]}"
timeout="${2:-120}"

if ! command -v curl >/dev/null 2>&1; then
  as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl >/dev/null
fi

start=$(date +%s)
while :; do
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "$url" || true)
  if [ "$code" = 200 ]; then
    echo "ready: $url ($(( $(date +%s) - start ))s)"
    exit 0
  fi
  if [ $(( $(date +%s) - start )) -ge "$timeout" ]; then
    echo "ERROR: $url did not answer 200 within ${timeout}s (last status: ${code:-none})." >&2
    echo "---- last api logs ----" >&2
    bash scripts/compose.sh logs --no-color --tail 50 api >&2 || true
    echo "---- containers ----" >&2
    bash scripts/compose.sh ps >&2 || true
    exit 1
  fi
  sleep 1
done
