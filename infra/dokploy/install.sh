#!/usr/bin/env bash
# berth-template-script: dokploy/install
#
# Installs Dokploy (a self-hosted PaaS on Docker Swarm) with its official installer, pinned to a
# Dokploy release, then waits for its web UI on port 3000. In an LXC container, Docker needs the
# container's nesting feature. Idempotent: when the dokploy service exists, nothing is done (the
# installer would reset the swarm, so it is never run twice).
set -Eeuo pipefail
trap 'printf "%s:%s: failed: %s\n" "${BASH_SOURCE[0]:-$0}" "$LINENO" "$BASH_COMMAND" >&2' ERR

PROG=install.sh
DRY_RUN=${BERTH_DRY_RUN:-0}
DOKPLOY_VERSION=${DOKPLOY_VERSION:-v0.29.4}
DOKPLOY_INSTALLER_URL=${DOKPLOY_INSTALLER_URL:-https://dokploy.com/install.sh}
DOKPLOY_INSTALLER_SHA256=${DOKPLOY_INSTALLER_SHA256:-}
DOKPLOY_PORT=3000
DOKPLOY_WAIT_SECS=${DOKPLOY_WAIT_SECS:-240}
TMP_DIR=

usage() {
  cat <<EOF
Usage: $PROG [--version vX.Y.Z] [--dry-run] [--help]

Installs Dokploy and Docker (when missing). Needs ports 80, 443 and 3000 free. Run as root.

Options:
  --version vX.Y.Z  the Dokploy release (image tag; default: $DOKPLOY_VERSION)
  --dry-run         print what would change and change nothing
  -h, --help        show this help

Environment:
  DOKPLOY_VERSION           same as --version
  DOKPLOY_INSTALLER_URL     the installer (default: https://dokploy.com/install.sh)
  DOKPLOY_INSTALLER_SHA256  when set, the installer must have this SHA-256
  DOKPLOY_WAIT_SECS         how long to wait for the UI (default: 240; 0 = do not wait)
  ADVERTISE_ADDR            passed to the installer: the swarm's advertised address
  BERTH_DRY_RUN=1           same as --dry-run

Exit codes: 0 installed (or already installed), 64 usage error, 69 unavailable (unsupported OS,
not root, port in use, installer checksum mismatch), 75 temporary failure (download or
installer failed, UI not up in time; retry later), 1 unexpected error.
EOF
}

log() { printf '%s: %s\n' "$PROG" "$*"; }
die() { printf '%s: error: %s\n' "$PROG" "${*:2}" >&2; exit "$1"; }
cleanup() { if [[ -n $TMP_DIR ]]; then rm -rf -- "$TMP_DIR"; fi; }
trap cleanup EXIT

parse_args() {
  while (($#)); do
    case $1 in
      --version) (($# >= 2)) || die 64 "--version needs a value"; DOKPLOY_VERSION=$2; shift ;;
      --dry-run) DRY_RUN=1 ;;
      -h | --help) usage; exit 0 ;;
      *) die 64 "unknown argument: $1 (see --help)" ;;
    esac
    shift
  done
  [[ $DOKPLOY_VERSION =~ ^v[0-9]+\.[0-9]+\.[0-9]+$|^(latest|canary)$ ]] ||
    die 64 "the version must be a release tag such as v0.29.4, not '$DOKPLOY_VERSION'"
  [[ -z $DOKPLOY_INSTALLER_SHA256 || $DOKPLOY_INSTALLER_SHA256 =~ ^[0-9a-f]{64}$ ]] ||
    die 64 "DOKPLOY_INSTALLER_SHA256 must be 64 hex digits"
  [[ $DOKPLOY_WAIT_SECS =~ ^[0-9]+$ ]] || die 64 "DOKPLOY_WAIT_SECS must be a number"
}

require_system() {
  local ids
  ids=$(grep -Es '^(ID|ID_LIKE)=' /etc/os-release | cut -d= -f2 | tr -d '"' | tr '\n' ' ') || true
  [[ " $ids " == *" debian "* ]] || die 69 "unsupported OS (Debian or Ubuntu needed): ${ids:-unknown}"
  ((DRY_RUN || EUID == 0)) || die 69 "must run as root"
  command -v curl >/dev/null || die 69 "curl is missing"
  command -v ss >/dev/null || die 69 "ss is missing (package iproute2)"
}

installed() { command -v docker >/dev/null && docker service inspect dokploy >/dev/null 2>&1; }

check_ports() {
  local port
  for port in 80 443 "$DOKPLOY_PORT"; do
    if [[ -n $(ss -Htln "sport = :$port") ]]; then
      die 69 "port $port is already in use; Dokploy needs 80, 443 and $DOKPLOY_PORT"
    fi
  done
}

fetch_installer() {
  local code file=$TMP_DIR/dokploy-install.sh
  code=$(curl -sSL --retry 3 --connect-timeout 20 -w '%{http_code}' -o "$file" "$DOKPLOY_INSTALLER_URL") || code=000
  [[ $code == 200 ]] || die 75 "could not download the installer (HTTP $code): $DOKPLOY_INSTALLER_URL"
  if [[ -n $DOKPLOY_INSTALLER_SHA256 ]]; then
    printf '%s  %s\n' "$DOKPLOY_INSTALLER_SHA256" "$file" | sha256sum --check --quiet - ||
      die 69 "the installer does not match DOKPLOY_INSTALLER_SHA256"
  fi
}

wait_for_ui() {
  local deadline=$((SECONDS + DOKPLOY_WAIT_SECS))
  ((DOKPLOY_WAIT_SECS > 0)) || return 0
  until curl -fsS -o /dev/null --max-time 5 "http://127.0.0.1:$DOKPLOY_PORT/"; do
    ((SECONDS < deadline)) || die 75 "the Dokploy UI did not answer within ${DOKPLOY_WAIT_SECS}s"
    sleep 5
  done
  log "Dokploy answers on port $DOKPLOY_PORT"
}

main() {
  parse_args "$@"
  require_system
  if installed; then
    log "Dokploy is installed (the dokploy service exists); to upgrade, use Dokploy's own updater"
    return 0
  fi
  check_ports
  if ((DRY_RUN)); then
    log "[dry-run] would download $DOKPLOY_INSTALLER_URL${DOKPLOY_INSTALLER_SHA256:+ (checking its SHA-256)}"
    log "[dry-run] would run it with DOKPLOY_VERSION=$DOKPLOY_VERSION and wait for port $DOKPLOY_PORT"
    log "dry run: nothing was changed"
    return 0
  fi
  TMP_DIR=$(mktemp -d)
  fetch_installer
  log "running the Dokploy installer ($DOKPLOY_VERSION)"
  DOKPLOY_VERSION=$DOKPLOY_VERSION bash "$TMP_DIR/dokploy-install.sh" </dev/null || die 75 "the Dokploy installer failed"
  installed || die 75 "the installer finished but the dokploy service does not exist"
  wait_for_ui
}

if [[ "${BASH_SOURCE[0]:-$0}" == "$0" ]]; then
  main "$@"
fi
