#!/usr/bin/env bash
# Makes sure `kubectl kustomize` works for make k8s-check / make test (deploy-check renders deploy/k8s
# with it; no cluster is contacted). Quiet when a recent enough kubectl is there. Otherwise installs the
# distribution's package: `kubectl` where an apt source offers it (Kubernetes' or Google Cloud's
# repository), else Debian's `kubernetes-client`. Needs kubectl >= 1.24 (kustomize >= 4.5: `labels`,
# inline `patches`); bookworm's kubernetes-client (1.20) is older and is refused with a message.
set -euo pipefail

MIN_MINOR=24

minor() { kubectl version --client -o json 2>/dev/null | sed -n 's/.*"minor": *"\([0-9]*\).*/\1/p' | head -n 1; }
recent() { command -v kubectl >/dev/null 2>&1 && [ "$(minor)" -ge "$MIN_MINOR" ] 2>/dev/null; }

if recent; then exit 0; fi

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
candidate() { apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: //p' | grep -v '(none)' || true; }

echo "==> installing kubectl (distribution package) for make k8s-check"
as_root apt-get update -qq
if [ -n "$(candidate kubectl)" ]; then pkg=kubectl; else pkg=kubernetes-client; fi
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null

if ! recent; then
  echo "ERROR: kubectl >= 1.$MIN_MINOR needed to render deploy/k8s (found: $(kubectl version --client 2>&1 | head -n 1))." >&2
  echo "       Install a newer kubectl (https://kubernetes.io/docs/tasks/tools/) or a distribution that packages one." >&2
  exit 1
fi
