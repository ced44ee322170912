#!/usr/bin/env bash
# Makes sure a Docker engine answers: installs Debian's docker.io when dockerd is missing,
# starts dockerd in the background (runc, cleaning a stale pid file) and waits for `docker info`.
set -euo pipefail

if docker info >/dev/null 2>&1; then exit 0; fi

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v dockerd >/dev/null 2>&1; then
  echo "==> installing Debian's docker.io"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
fi

if ! pgrep -x dockerd >/dev/null 2>&1; then
  as_root rm -f /var/run/docker.pid
  echo "==> starting dockerd (log: /var/log/codeexec-dockerd.log)"
  as_root sh -c 'nohup dockerd --default-runtime=runc >/var/log/codeexec-dockerd.log 2>&1 &'
fi

for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then exit 0; fi
  sleep 1
done
echo "Docker engine did not answer within 60 s; see /var/log/codeexec-dockerd.log" >&2
exit 1
