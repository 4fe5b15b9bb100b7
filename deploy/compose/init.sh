#!/usr/bin/env sh
# Makes ./secrets for docker-compose.yml, once: the cluster's root key (root-credentials.json)
# and TLS material for the gateways' HTTPS ports (a CA, ca.crt, and a gateway certificate
# signed by it for localhost, 127.0.0.1 and gateway-1..3: gateway.crt, gateway.key; needs
# openssl). Run again, it keeps what exists (a new key would lock clients out of a running
# cluster); --force makes everything anew. The folder is 0700; the files are 0644 inside it so
# the containers' non-root user (uid 10001) can read their bind mounts.
#
#   ./init.sh && docker-compose up -d
set -eu
cd "$(dirname "$0")"
secrets=./secrets
file="$secrets/root-credentials.json"
if [ "${1:-}" = "--force" ]; then rm -f "$file" "$secrets"/ca.* "$secrets"/gateway.*; fi
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

if [ -s "$secrets/gateway.crt" ] && [ -s "$secrets/gateway.key" ] && [ -s "$secrets/ca.crt" ]; then
  echo "keeping the TLS material in $secrets"
else
  command -v openssl >/dev/null || { echo "init.sh: openssl is needed for the TLS material" >&2; exit 1; }
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  openssl req -x509 -newkey rsa:3072 -nodes -days 3650 -subj "/CN=zonestore compose CA" \
    -keyout "$tmp/ca.key" -out "$secrets/ca.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=zonestore gateway" \
    -keyout "$secrets/gateway.key" -out "$tmp/gateway.csr" 2>/dev/null
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1,DNS:gateway-1,DNS:gateway-2,DNS:gateway-3\nextendedKeyUsage=serverAuth\n' >"$tmp/ext"
  openssl x509 -req -in "$tmp/gateway.csr" -CA "$secrets/ca.crt" -CAkey "$tmp/ca.key" -CAserial "$tmp/ca.srl" -CAcreateserial \
    -days 825 -extfile "$tmp/ext" -out "$secrets/gateway.crt" 2>/dev/null
  # The CA's key is not kept: nothing else is ever signed with it.
  chmod 644 "$secrets/ca.crt" "$secrets/gateway.crt" "$secrets/gateway.key"
  echo "wrote $secrets/ca.crt, gateway.crt, gateway.key"
fi
echo "root access key: $(sed -n 's/.*"accessKeyId": "\(.*\)".*/\1/p' "$file")"
