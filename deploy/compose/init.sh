#!/usr/bin/env sh
# Makes ./secrets for docker-compose.yml, once (needs openssl):
#   root-credentials.json        the cluster's root key
#   ca.crt                       the cluster CA: what S3 clients trust (--ca-bundle, AWS_CA_BUNDLE)
#                                and what every service checks its gRPC peers against
#   gateway.crt, gateway.key     the gateways' HTTPS certificate (localhost, 127.0.0.1, gateway-1..3)
#   internal.crt, internal.key   the internal mutual-TLS certificate every service presents and
#                                serves with (DNS:zonestore.internal, serverAuth + clientAuth);
#                                one shared by all services, see docs/deploy.md
#   kms-root.key                 the KMS root key of the gateways: 32 random bytes, base64
# Run again, it keeps what exists (a new root key would lock clients out of a running cluster);
# --force makes the root key and the TLS material anew, but never the KMS root key: a new one
# would make every encrypted object unreadable (remove it by hand with the cluster's volumes).
# The CA's key is not kept, so the TLS material is made as one set: if a piece is missing, all of
# it is made anew (and clients must trust the new ca.crt). The folder is 0700; the files are 0644
# inside it so the containers' non-root user (uid 10001) can read their bind mounts.
#
#   ./init.sh && docker-compose up -d
set -eu
cd "$(dirname "$0")"
secrets=./secrets
file="$secrets/root-credentials.json"
kms="$secrets/kms-root.key"
if [ "${1:-}" = "--force" ]; then rm -f "$file" "$secrets"/ca.* "$secrets"/gateway.* "$secrets"/internal.*; fi
mkdir -p "$secrets"
chmod 700 "$secrets"
umask 022
command -v openssl >/dev/null || { echo "init.sh: openssl is needed for the TLS material and the KMS root key" >&2; exit 1; }

if [ -s "$file" ]; then
  echo "keeping $file (./init.sh --force makes a new key)"
else
  # 20 characters like an AWS access key id; a 40-character secret from the same generator.
  key="ZS$(LC_ALL=C tr -dc 'A-Z2-7' </dev/urandom | head -c 18)"
  secret="$(LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c 40)"
  printf '{\n  "accessKeyId": "%s",\n  "secretAccessKey": "%s"\n}\n' "$key" "$secret" >"$file.tmp"
  chmod 644 "$file.tmp"
  mv "$file.tmp" "$file"
  echo "wrote $file"
fi

if [ -s "$kms" ]; then
  echo "keeping $kms (never replaced: encrypted objects need it)"
else
  openssl rand -base64 32 >"$kms.tmp"
  chmod 644 "$kms.tmp"
  mv "$kms.tmp" "$kms"
  echo "wrote $kms"
fi

tls_files="ca.crt gateway.crt gateway.key internal.crt internal.key"
complete=yes
for f in $tls_files; do [ -s "$secrets/$f" ] || complete=no; done
if [ "$complete" = yes ]; then
  echo "keeping the TLS material in $secrets"
else
  for f in $tls_files; do
    if [ -e "$secrets/$f" ]; then echo "the TLS material in $secrets is incomplete: making all of it anew (trust the new ca.crt)"; break; fi
  done
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  openssl req -x509 -newkey rsa:3072 -nodes -days 3650 -subj "/O=zonestore/CN=zonestore compose CA" \
    -keyout "$tmp/ca.key" -out "$tmp/ca.crt" 2>/dev/null
  # $1 name, $2 subject CN, $3 extension lines
  issue() {
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/O=zonestore/CN=$2" \
      -keyout "$tmp/$1.key" -out "$tmp/$1.csr" 2>/dev/null
    printf '%b' "$3" >"$tmp/$1.ext"
    openssl x509 -req -in "$tmp/$1.csr" -CA "$tmp/ca.crt" -CAkey "$tmp/ca.key" -CAserial "$tmp/ca.srl" -CAcreateserial \
      -days 825 -extfile "$tmp/$1.ext" -out "$tmp/$1.crt" 2>/dev/null
  }
  issue gateway "zonestore gateway" \
    'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1,DNS:gateway-1,DNS:gateway-2,DNS:gateway-3\n'
  # Peers check the name zonestore.internal, whatever address they dial (services/common/tls).
  issue internal "zonestore internal" \
    'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=DNS:zonestore.internal\n'
  # The CA's key is not kept: nothing else is ever signed with it.
  for f in $tls_files; do
    chmod 644 "$tmp/$f"
    mv "$tmp/$f" "$secrets/$f"
  done
  echo "wrote $secrets/ca.crt, gateway.crt, gateway.key, internal.crt, internal.key"
fi
echo "root access key: $(sed -n 's/.*"accessKeyId": "\(.*\)".*/\1/p' "$file")"
