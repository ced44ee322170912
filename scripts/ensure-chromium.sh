#!/usr/bin/env bash
# Makes sure Debian's headless-capable Chromium is installed for the playground's browser test
# (PlaygroundIT drives it with Playwright for Java, which never downloads a browser of its own).
# Idempotent and quiet when /usr/bin/chromium is already there; prints the path it found.
set -euo pipefail

CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ -x "$CHROMIUM" ]; then exit 0; fi

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

echo "==> installing Debian's chromium (for the playground's browser test)"
as_root apt-get update -qq
as_root env DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1 apt-get install -y -qq --no-install-recommends \
  chromium fonts-dejavu-core >/dev/null
[ -x "$CHROMIUM" ] || { echo "chromium was installed but $CHROMIUM is missing" >&2; exit 1; }
echo "==> $("$CHROMIUM" --version 2>/dev/null || echo chromium) installed"
