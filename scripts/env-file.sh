#!/usr/bin/env bash
# Creates .env (git-ignored, mode 600) in the repository root, or completes it: every secret the stack
# needs that is absent or empty gets a fresh random value; a value already there is never changed.
# docker compose reads .env for the ${VAR} substitutions in docker-compose.yml.
#   ADMIN_TOKEN      bearer token of the admin API (/admin/keys; scripts/codeexec-admin reads it from here)
#   CALLBACK_SECRET  signing secret of callbacks of the anonymous tenant (and of tenants without their own)
#   REDIS_PASSWORD   Redis's requirepass; compose puts it into the api's and workers' REDIS_URL
#   scripts/env-file.sh [FILE]     (default: .env)
set -euo pipefail
cd "$(dirname "$0")/.."
file="${1:-.env}"
secrets=(ADMIN_TOKEN CALLBACK_SECRET REDIS_PASSWORD)

random_hex() {  # 32 random bytes as 64 hex characters
  if command -v openssl >/dev/null 2>&1; then
    openssl rand -hex 32
  else
    head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'
  fi
}

umask 077
[ -e "$file" ] || { : > "$file"; echo "==> created $file (git-ignored): the stack's generated secrets"; }
for var in "${secrets[@]}"; do
  if grep -Eq "^[[:space:]]*${var}=[^[:space:]]" "$file"; then
    continue
  fi
  tmp="$(mktemp "${file}.XXXXXX")"
  grep -Ev "^[[:space:]]*${var}=" "$file" > "$tmp" || true  # drop an empty assignment
  printf '%s=%s\n' "$var" "$(random_hex)" >> "$tmp"
  cat "$tmp" > "$file"
  rm -f "$tmp"
  echo "==> generated $var into $file"
done
