#!/usr/bin/env sh
# Makes ./secrets for docker-compose.yml: the cluster's root key (root-credentials.json), once.
# Run again, it keeps what exists (a new key would lock clients out of a running cluster);
# --force makes a new one. The folder is 0700; the file is 0644 inside it so the containers'
# non-root user (uid 10001) can read its bind mount.
#
#   ./init.sh && docker-compose up -d
set -eu
cd "$(dirname "$0")"
secrets=./secrets
file="$secrets/root-credentials.json"
if [ "${1:-}" = "--force" ]; then rm -f "$file"; fi
mkdir -p "$secrets"
chmod 700 "$secrets"
if [ -s "$file" ]; then
  echo "keeping $file (./init.sh --force makes a new key)"
else
  # 20 characters like an AWS access key id; a 40-character secret from the same generator.
  key="ZS$(LC_ALL=C tr -dc 'A-Z2-7' </dev/urandom | head -c 18)"
  secret="$(LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c 40)"
  umask 022
  printf '{\n  "accessKeyId": "%s",\n  "secretAccessKey": "%s"\n}\n' "$key" "$secret" >"$file.tmp"
  chmod 644 "$file.tmp"
  mv "$file.tmp" "$file"
  echo "wrote $file"
fi
echo "root access key: $(sed -n 's/.*"accessKeyId": "\(.*\)".*/\1/p' "$file")"
