#!/usr/bin/env bash
# berth-template-script: web3-dev/install-node
#
# Installs Node.js from the official nodejs.org tarball (checksum verified) into
# /usr/local/lib/nodejs/node-vX.Y.Z-linux-ARCH and links node, npm, npx and corepack into
# /usr/local/bin. Idempotent: nothing changes when the pinned version is already the active one.
set -Eeuo pipefail
trap 'printf "%s:%s: failed: %s\n" "${BASH_SOURCE[0]:-$0}" "$LINENO" "$BASH_COMMAND" >&2' ERR

PROG=install-node.sh
DRY_RUN=${BERTH_DRY_RUN:-0}
NODE_VERSION=${BERTH_INPUT_NODE_VERSION:-${NODE_VERSION:-22.11.0}}
NODE_DIST_URL=${NODE_DIST_URL:-https://nodejs.org/dist}
NODE_PREFIX=${NODE_PREFIX:-/usr/local/lib/nodejs}
NODE_BIN_DIR=${NODE_BIN_DIR:-/usr/local/bin}
TMP_DIR=

usage() {
  cat <<EOF
Usage: $PROG [--version X.Y.Z] [--dry-run] [--help]

Installs Node.js (with npm, npx and corepack) from nodejs.org. Run as root.

Options:
  --version X.Y.Z  the Node.js version (default: $NODE_VERSION)
  --dry-run        print what would change and change nothing
  -h, --help       show this help

Environment:
  BERTH_INPUT_NODE_VERSION, NODE_VERSION  same as --version
  NODE_DIST_URL   mirror of https://nodejs.org/dist
  NODE_PREFIX     where versions are unpacked (default: /usr/local/lib/nodejs)
  NODE_BIN_DIR    where the commands are linked (default: /usr/local/bin)
  BERTH_DRY_RUN=1 same as --dry-run

Exit codes: 0 done (or nothing to do), 64 usage error, 69 unavailable (unsupported OS or
architecture, not root, version not published, checksum mismatch), 75 temporary failure
(download failed; retry later), 1 unexpected error.
EOF
}

log() { printf '%s: %s\n' "$PROG" "$*"; }
die() { printf '%s: error: %s\n' "$PROG" "${*:2}" >&2; exit "$1"; }
cleanup() { if [[ -n $TMP_DIR ]]; then rm -rf -- "$TMP_DIR"; fi; }
trap cleanup EXIT

run() {
  if ((DRY_RUN)); then printf '%s: [dry-run]%s\n' "$PROG" "$(printf ' %q' "$@")"; return 0; fi
  "$@"
}

parse_args() {
  while (($#)); do
    case $1 in
      --version)
        (($# >= 2)) || die 64 "--version needs a value"
        NODE_VERSION=$2
        shift
        ;;
      --dry-run) DRY_RUN=1 ;;
      -h | --help)
        usage
        exit 0
        ;;
      *) die 64 "unknown argument: $1 (see --help)" ;;
    esac
    shift
  done
  NODE_VERSION=${NODE_VERSION#v}
  [[ $NODE_VERSION =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] ||
    die 64 "the Node.js version must look like 22.11.0, not '$NODE_VERSION'"
}

require_system() {
  local ids
  ids=$(grep -Es '^(ID|ID_LIKE)=' /etc/os-release | cut -d= -f2 | tr -d '"' | tr '\n' ' ') || true
  [[ " $ids " == *" debian "* ]] || die 69 "unsupported OS (Debian or Ubuntu needed): ${ids:-unknown}"
  ((DRY_RUN || EUID == 0)) || die 69 "must run as root"
  command -v curl >/dev/null || die 69 "curl is missing"
  command -v xz >/dev/null || die 69 "xz is missing (package xz-utils)"
}

node_arch() {
  case $(uname -m) in
    x86_64) echo x64 ;;
    aarch64) echo arm64 ;;
    *) die 69 "no Node.js build for $(uname -m)" ;;
  esac
}

fetch() { # fetch URL FILE: HTTP 404 means not published (69); other failures are worth a retry (75)
  local code
  code=$(curl -sSL --retry 3 --connect-timeout 20 -w '%{http_code}' -o "$2" "$1") || code=000
  [[ $code != 404 && $code != 410 ]] || die 69 "not published: $1"
  [[ $code == 200 ]] || die 75 "download failed (HTTP $code): $1"
}

install_version() {
  local dir=$1 name=${1##*/} sum
  if [[ -x $dir/bin/node ]] && [[ $("$dir/bin/node" --version 2>/dev/null) == "v$NODE_VERSION" ]]; then
    log "Node.js $NODE_VERSION is unpacked in $dir"
    return 0
  fi
  if ((DRY_RUN)); then
    log "[dry-run] would download $NODE_DIST_URL/v$NODE_VERSION/$name.tar.xz, check it and unpack it to $dir"
    return 0
  fi
  mkdir -p -- "$NODE_PREFIX"
  TMP_DIR=$(mktemp -d "$NODE_PREFIX/.berth-tmp.XXXXXX")
  fetch "$NODE_DIST_URL/v$NODE_VERSION/SHASUMS256.txt" "$TMP_DIR/SHASUMS256.txt"
  fetch "$NODE_DIST_URL/v$NODE_VERSION/$name.tar.xz" "$TMP_DIR/$name.tar.xz"
  sum=$(awk -v f="$name.tar.xz" '$2 == f { print $1 }' "$TMP_DIR/SHASUMS256.txt")
  [[ -n $sum ]] || die 69 "$name.tar.xz is not listed in SHASUMS256.txt"
  printf '%s  %s\n' "$sum" "$TMP_DIR/$name.tar.xz" | sha256sum --check --quiet - ||
    die 69 "checksum mismatch for $name.tar.xz"
  tar -xJf "$TMP_DIR/$name.tar.xz" -C "$TMP_DIR"
  rm -rf -- "$dir"
  mv -- "$TMP_DIR/$name" "$dir"
  log "unpacked Node.js $NODE_VERSION to $dir"
}

link_commands() {
  local dir=$1 cmd
  for cmd in node npm npx corepack; do
    [[ -e $dir/bin/$cmd ]] || ((DRY_RUN)) || continue
    if [[ $(readlink -- "$NODE_BIN_DIR/$cmd" 2>/dev/null) == "$dir/bin/$cmd" ]]; then
      continue
    fi
    run ln -sfn -- "$dir/bin/$cmd" "$NODE_BIN_DIR/$cmd"
  done
}

main() {
  parse_args "$@"
  require_system
  local dir
  dir=$NODE_PREFIX/node-v$NODE_VERSION-linux-$(node_arch)
  install_version "$dir"
  link_commands "$dir"
  if ((DRY_RUN)); then
    log "dry run: nothing was changed"
  else
    log "node $("$NODE_BIN_DIR/node" --version), npm $("$NODE_BIN_DIR/npm" --version)"
  fi
}

if [[ "${BASH_SOURCE[0]:-$0}" == "$0" ]]; then
  main "$@"
fi
