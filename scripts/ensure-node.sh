#!/usr/bin/env bash
# Makes sure node and npm exist for the tests that drive real JavaScript clients (the npm piston-client
# in PistonClientIT): installs Debian's nodejs and npm when either is missing. Quiet when both are there.
set -euo pipefail

if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then exit 0; fi

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
echo "==> installing nodejs and npm (Debian packages)"
as_root apt-get update -qq
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
node --version >/dev/null && npm --version >/dev/null
