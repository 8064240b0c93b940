#!/usr/bin/env bash
# berth-template-script: web3-dev/install-opencode
#
# Installs the opencode CLI (npm package opencode-ai) globally under /usr/local with the npm that
# install-node.sh put in place. Idempotent: nothing changes when the pinned version is installed.
set -Eeuo pipefail
trap 'printf "%s:%s: failed: %s\n" "${BASH_SOURCE[0]:-$0}" "$LINENO" "$BASH_COMMAND" >&2' ERR

PROG=install-opencode.sh
DRY_RUN=${BERTH_DRY_RUN:-0}
OPENCODE_VERSION=${OPENCODE_VERSION:-1.18.33}
OPENCODE_PREFIX=${OPENCODE_PREFIX:-/usr/local}
NPM=${NPM:-npm}

usage() {
  cat <<EOF
Usage: $PROG [--version X.Y.Z] [--dry-run] [--help]

Installs the opencode CLI with npm (Node.js must be installed first). Run as root.

Options:
  --version X.Y.Z  opencode version (default: $OPENCODE_VERSION)
  --dry-run        print what would change and change nothing
  -h, --help       show this help

Environment:
  OPENCODE_VERSION  same as --version
  OPENCODE_PREFIX   npm global prefix (default: /usr/local; the command lands in PREFIX/bin)
  NPM               the npm command (default: npm)
  BERTH_DRY_RUN=1   same as --dry-run

Exit codes: 0 done (or nothing to do), 64 usage error, 69 unavailable (not root, npm missing),
75 temporary failure (npm could not install; retry later), 1 unexpected error.
EOF
}

log() { printf '%s: %s\n' "$PROG" "$*"; }
die() { printf '%s: error: %s\n' "$PROG" "${*:2}" >&2; exit "$1"; }

run() {
  if ((DRY_RUN)); then printf '%s: [dry-run]%s\n' "$PROG" "$(printf ' %q' "$@")"; return 0; fi
  "$@"
}

parse_args() {
  while (($#)); do
    case $1 in
      --version)
        (($# >= 2)) || die 64 "--version needs a value"
        OPENCODE_VERSION=$2
        shift
        ;;
      --dry-run) DRY_RUN=1 ;;
      -h | --help) usage; exit 0 ;;
      *) die 64 "unknown argument: $1 (see --help)" ;;
    esac
    shift
  done
  OPENCODE_VERSION=${OPENCODE_VERSION#v}
  [[ $OPENCODE_VERSION =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die 64 "bad version '$OPENCODE_VERSION'"
}

require_system() {
  ((DRY_RUN || EUID == 0)) || die 69 "must run as root"
  PATH=/usr/local/bin:$PATH
  command -v "$NPM" >/dev/null || die 69 "npm not found; install Node.js first (install-node.sh)"
}

# The version recorded in the installed package.json, or nothing.
installed_version() {
  local manifest=$OPENCODE_PREFIX/lib/node_modules/opencode-ai/package.json
  [[ -f $manifest ]] || return 0
  sed -n '/^[[:space:]]*"version":/{s/^[^:]*:[[:space:]]*"\([^"]*\)".*/\1/p;q}' "$manifest"
}

main() {
  parse_args "$@"
  require_system
  local current
  current=$(installed_version)
  if [[ $current == "$OPENCODE_VERSION" && -x $OPENCODE_PREFIX/bin/opencode ]]; then
    log "opencode $OPENCODE_VERSION is installed"
    return 0
  fi
  log "installing opencode $OPENCODE_VERSION (found: ${current:-none})"
  run "$NPM" install --global --prefix "$OPENCODE_PREFIX" --no-fund --no-audit --loglevel=error \
    "opencode-ai@$OPENCODE_VERSION" || die 75 "npm could not install opencode-ai@$OPENCODE_VERSION"
  if ((DRY_RUN)); then
    log "dry run: nothing was changed"
    return 0
  fi
  [[ -x $OPENCODE_PREFIX/bin/opencode ]] || die 1 "npm finished but $OPENCODE_PREFIX/bin/opencode is missing"
  log "opencode $OPENCODE_VERSION is in $OPENCODE_PREFIX/bin"
}

if [[ "${BASH_SOURCE[0]:-$0}" == "$0" ]]; then
  main "$@"
fi
