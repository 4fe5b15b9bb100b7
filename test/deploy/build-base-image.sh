#!/usr/bin/env bash
# Builds the stand-in for node:20-bookworm-slim that the Docker tests pass as BASE_IMAGE (no
# image can be pulled here): a Debian bookworm rootfs from `debootstrap --variant=minbase`
# (apt's configured mirror) with this machine's Node and npm copied in where the official image
# has them (/usr/local), and this machine's CA bundle so npm inside a build reaches the registry
# as npm outside does. The rootfs tarball is cached (it takes a minute or two to make); the
# image is imported from it into the engine at DOCKER_HOST when missing.
#
#   test/deploy/build-base-image.sh <cache-dir> <image-tag>
set -euo pipefail
cache="$1"
tag="$2"
node_bin="$(readlink -f "$(command -v node)")"
node_version="$("$node_bin" --version)"
tarball="$cache/bookworm-minbase-node-$node_version.tar"
mkdir -p "$cache"

if [[ ! -s "$tarball" ]]; then
  rootfs="$(mktemp -d "$cache/rootfs.XXXXXX")"
  trap 'rm -rf "$rootfs"' EXIT
  echo "base image: debootstrap --variant=minbase bookworm (cached afterwards in $tarball)"
  debootstrap --variant=minbase bookworm "$rootfs" >"$cache/debootstrap.log" 2>&1 \
    || { echo "debootstrap failed; its log:"; tail -20 "$cache/debootstrap.log"; exit 1; }
  npm_dir="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")"
  mkdir -p "$rootfs/usr/local/bin" "$rootfs/usr/local/lib/node_modules" "$rootfs/usr/local/etc"
  cp "$node_bin" "$rootfs/usr/local/bin/node"
  cp -a "$npm_dir" "$rootfs/usr/local/lib/node_modules/npm"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
  if [[ -f /etc/ssl/certs/ca-certificates.crt ]]; then
    mkdir -p "$rootfs/etc/ssl/certs"
    cp /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/ca-certificates.crt"
    printf 'cafile=/etc/ssl/certs/ca-certificates.crt\n' >"$rootfs/usr/local/etc/npmrc"
  fi
  printf 'audit=false\nfund=false\nupdate-notifier=false\n' >>"$rootfs/usr/local/etc/npmrc"
  rm -rf "$rootfs/var/cache/apt/archives/"*.deb "$rootfs/var/lib/apt/lists/"*
  tar -C "$rootfs" -cf "$tarball.tmp" .
  mv "$tarball.tmp" "$tarball"
fi

if ! docker image inspect "$tag" >/dev/null 2>&1; then
  docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["node"]' \
    "$tarball" "$tag" >/dev/null
  echo "base image: imported $tag ($node_version)"
fi
