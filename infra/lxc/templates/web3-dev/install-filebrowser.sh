#!/usr/bin/env bash
# berth-template-script: web3-dev/install-filebrowser
#
# Installs File Browser from its release tarball, creates its database with an admin account on
# the first run, and serves the development user's home directory under systemd. Idempotent: the
# binary, the database and the unit change only when they are missing or differ.
set -Eeuo pipefail
trap 'printf "%s:%s: failed: %s\n" "${BASH_SOURCE[0]:-$0}" "$LINENO" "$BASH_COMMAND" >&2' ERR

PROG=install-filebrowser.sh
DRY_RUN=${BERTH_DRY_RUN:-0}
FILEBROWSER_VERSION=${FILEBROWSER_VERSION:-2.32.0}
FILEBROWSER_URL=${FILEBROWSER_URL:-https://github.com/filebrowser/filebrowser/releases/download}
FILEBROWSER_PORT=${FILEBROWSER_PORT:-8081}
FILEBROWSER_ADMIN=${FILEBROWSER_ADMIN:-admin}
FILEBROWSER_DB=${FILEBROWSER_DB:-/var/lib/filebrowser/filebrowser.db}
DEV_USER=${BERTH_INPUT_DEV_USER:-${DEV_USER:-dev}}
PASSWORD=${FILEBROWSER_PASSWORD:-${BERTH_INPUT_CODE_SERVER_PASSWORD:-}}
BIN=/usr/local/bin/filebrowser
UNIT=/etc/systemd/system/filebrowser.service
TMP_DIR=
CHANGED=0

usage() {
  cat <<EOF
Usage: $PROG [--version X.Y.Z] [--dry-run] [--help]

Installs File Browser and serves the development user's home with it. Run as root.

Options:
  --version X.Y.Z  File Browser version (default: $FILEBROWSER_VERSION)
  --dry-run        print what would change and change nothing
  -h, --help       show this help

Environment:
  FILEBROWSER_PASSWORD, else BERTH_INPUT_CODE_SERVER_PASSWORD  the admin password; needed
                   on the first run, which creates the database (admin name: FILEBROWSER_ADMIN)
  BERTH_INPUT_DEV_USER, DEV_USER  whose home is served, and who runs it (default: dev)
  FILEBROWSER_PORT  the port (default: 8081)
  FILEBROWSER_URL  mirror of https://github.com/filebrowser/filebrowser/releases/download
  BERTH_DRY_RUN=1  same as --dry-run

Exit codes: 0 done (or nothing to do), 64 usage error, 69 unavailable (unsupported OS or
architecture, not root, no systemd, user missing, version not published), 75 temporary failure
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
        FILEBROWSER_VERSION=$2
        shift
        ;;
      --dry-run) DRY_RUN=1 ;;
      -h | --help) usage; exit 0 ;;
      *) die 64 "unknown argument: $1 (see --help)" ;;
    esac
    shift
  done
  FILEBROWSER_VERSION=${FILEBROWSER_VERSION#v}
  [[ $FILEBROWSER_VERSION =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die 64 "bad version '$FILEBROWSER_VERSION'"
  [[ $DEV_USER =~ ^[a-z_][a-z0-9_-]{0,31}$ ]] || die 64 "bad user name '$DEV_USER'"
  [[ $FILEBROWSER_PORT =~ ^[1-9][0-9]{0,4}$ ]] || die 64 "bad FILEBROWSER_PORT '$FILEBROWSER_PORT'"
  [[ -f $FILEBROWSER_DB || -n $PASSWORD ]] ||
    die 64 "no admin password: set FILEBROWSER_PASSWORD or BERTH_INPUT_CODE_SERVER_PASSWORD"
}

require_system() {
  local ids
  ids=$(grep -Es '^(ID|ID_LIKE)=' /etc/os-release | cut -d= -f2 | tr -d '"' | tr '\n' ' ') || true
  [[ " $ids " == *" debian "* ]] || die 69 "unsupported OS (Debian or Ubuntu needed): ${ids:-unknown}"
  ((DRY_RUN || EUID == 0)) || die 69 "must run as root"
  command -v curl >/dev/null || die 69 "curl is missing"
  id -u "$DEV_USER" >/dev/null 2>&1 || ((DRY_RUN)) || die 69 "user $DEV_USER does not exist"
}

fetch() { # fetch URL FILE: HTTP 404 means not published (69); other failures are worth a retry (75)
  local code
  code=$(curl -sSL --retry 3 --connect-timeout 20 -w '%{http_code}' -o "$2" "$1") || code=000
  [[ $code != 404 && $code != 410 ]] || die 69 "not published: $1"
  [[ $code == 200 ]] || die 75 "download failed (HTTP $code): $1"
}

install_binary() {
  local arch tarball
  if [[ -x $BIN ]] && "$BIN" version 2>/dev/null | grep -qE "v${FILEBROWSER_VERSION//./\\.}([^0-9.]|\$)"; then
    log "File Browser $FILEBROWSER_VERSION is installed"
    return 0
  fi
  arch=$(dpkg --print-architecture)
  [[ $arch == amd64 || $arch == arm64 ]] || die 69 "no File Browser build for $arch"
  tarball=linux-$arch-filebrowser.tar.gz
  CHANGED=1
  if ((DRY_RUN)); then log "[dry-run] would install $FILEBROWSER_URL/v$FILEBROWSER_VERSION/$tarball"; return 0; fi
  TMP_DIR=$(mktemp -d)
  fetch "$FILEBROWSER_URL/v$FILEBROWSER_VERSION/$tarball" "$TMP_DIR/$tarball"
  tar -xzf "$TMP_DIR/$tarball" -C "$TMP_DIR" filebrowser
  install -m 0755 "$TMP_DIR/filebrowser" "$BIN"
}

# The database is created once, with the admin account; later runs leave it (and its users) alone.
create_database() {
  local group
  if [[ -f $FILEBROWSER_DB ]]; then log "$FILEBROWSER_DB exists"; return 0; fi
  CHANGED=1
  if ((DRY_RUN)); then log "[dry-run] would create $FILEBROWSER_DB with admin account $FILEBROWSER_ADMIN"; return 0; fi
  group=$(id -gn "$DEV_USER")
  install -d -m 0750 -o "$DEV_USER" -g "$group" "${FILEBROWSER_DB%/*}"
  rm -f -- "$FILEBROWSER_DB.new" # built aside, so a failed run leaves no half-made database
  "$BIN" --database "$FILEBROWSER_DB.new" config init >/dev/null
  "$BIN" --database "$FILEBROWSER_DB.new" users add "$FILEBROWSER_ADMIN" "$PASSWORD" --perm.admin >/dev/null
  chown "$DEV_USER:$group" "$FILEBROWSER_DB.new"
  chmod 0600 "$FILEBROWSER_DB.new"
  mv -f -- "$FILEBROWSER_DB.new" "$FILEBROWSER_DB"
  log "created $FILEBROWSER_DB"
}

write_unit() {
  local home content
  home=$(getent passwd "$DEV_USER" | cut -d: -f6) || home=/home/$DEV_USER
  content="# Managed by Berth (web3-dev).
[Unit]
Description=File Browser
After=network-online.target
Wants=network-online.target

[Service]
User=$DEV_USER
ExecStart=$BIN --database $FILEBROWSER_DB --address 0.0.0.0 --port $FILEBROWSER_PORT --root $home
Restart=on-failure

[Install]
WantedBy=multi-user.target
"
  if [[ -f $UNIT ]] && cmp -s -- "$UNIT" <(printf '%s' "$content"); then log "$UNIT is up to date"; return 0; fi
  CHANGED=1
  if ((DRY_RUN)); then log "[dry-run] would write $UNIT"; return 0; fi
  printf '%s' "$content" >"$UNIT.tmp"
  mv -f -- "$UNIT.tmp" "$UNIT"
  systemctl daemon-reload
}

start_service() {
  [[ -d /run/systemd/system ]] || ((DRY_RUN)) || die 69 "systemd is not running; cannot start filebrowser"
  if ((DRY_RUN)) || ! systemctl is-enabled --quiet filebrowser 2>/dev/null; then run systemctl enable filebrowser; fi
  if ((CHANGED)); then
    run systemctl restart filebrowser
  elif ! systemctl is-active --quiet filebrowser; then
    run systemctl start filebrowser
  else
    log "filebrowser is running"
  fi
}

main() {
  parse_args "$@"
  require_system
  install_binary
  create_database
  write_unit
  start_service
  if ((DRY_RUN)); then log "dry run: nothing was changed"; else log "File Browser listens on port $FILEBROWSER_PORT"; fi
}

if [[ "${BASH_SOURCE[0]:-$0}" == "$0" ]]; then
  main "$@"
fi
