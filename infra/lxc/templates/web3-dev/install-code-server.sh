#!/usr/bin/env bash
# berth-template-script: web3-dev/install-code-server
#
# Installs code-server (VS Code in the browser) from its release .deb, creates the development
# user, writes that user's code-server config (password auth) and runs code-server@USER under
# systemd. Idempotent: the package, the config and the service change only when they differ.
set -Eeuo pipefail
trap 'printf "%s:%s: failed: %s\n" "${BASH_SOURCE[0]:-$0}" "$LINENO" "$BASH_COMMAND" >&2' ERR

PROG=install-code-server.sh
DRY_RUN=${BERTH_DRY_RUN:-0}
CODE_SERVER_VERSION=${CODE_SERVER_VERSION:-4.100.3}
CODE_SERVER_URL=${CODE_SERVER_URL:-https://github.com/coder/code-server/releases/download}
CODE_SERVER_BIND=${CODE_SERVER_BIND:-0.0.0.0:8080}
DEV_USER=${BERTH_INPUT_DEV_USER:-${DEV_USER:-dev}}
PASSWORD=${BERTH_INPUT_CODE_SERVER_PASSWORD:-${CODE_SERVER_PASSWORD:-}}
TMP_DIR=
CHANGED=0

usage() {
  cat <<EOF
Usage: $PROG [--version X.Y.Z] [--user NAME] [--dry-run] [--help]

Installs code-server and runs it for a development user. Run as root.

Options:
  --version X.Y.Z   code-server version (default: $CODE_SERVER_VERSION)
  --user NAME       the user code-server runs as; created when missing (default: $DEV_USER)
  --dry-run         print what would change and change nothing
  -h, --help        show this help

Environment:
  BERTH_INPUT_CODE_SERVER_PASSWORD, CODE_SERVER_PASSWORD  the login password (required)
  BERTH_INPUT_DEV_USER, DEV_USER  same as --user
  CODE_SERVER_VERSION  same as --version
  CODE_SERVER_BIND  where code-server listens (default: 0.0.0.0:8080)
  CODE_SERVER_URL  mirror of https://github.com/coder/code-server/releases/download
  BERTH_DRY_RUN=1  same as --dry-run

Exit codes: 0 done (or nothing to do), 64 usage error (bad option, no password), 69 unavailable
(unsupported OS or architecture, not root, no systemd, version not published), 75 temporary
failure (download or install failed; retry later), 1 unexpected error.
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
      --version | --user)
        (($# >= 2)) || die 64 "$1 needs a value"
        if [[ $1 == --user ]]; then DEV_USER=$2; else CODE_SERVER_VERSION=$2; fi
        shift
        ;;
      --dry-run) DRY_RUN=1 ;;
      -h | --help) usage; exit 0 ;;
      *) die 64 "unknown argument: $1 (see --help)" ;;
    esac
    shift
  done
  [[ $CODE_SERVER_VERSION =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die 64 "bad version '$CODE_SERVER_VERSION'"
  [[ $DEV_USER =~ ^[a-z_][a-z0-9_-]{0,31}$ ]] || die 64 "bad user name '$DEV_USER'"
  [[ $CODE_SERVER_BIND =~ ^[0-9a-zA-Z.:-]+:[0-9]{1,5}$ ]] || die 64 "bad CODE_SERVER_BIND '$CODE_SERVER_BIND'"
  [[ -n $PASSWORD ]] || die 64 "no password: set BERTH_INPUT_CODE_SERVER_PASSWORD"
  [[ $PASSWORD != *$'\n'* && $PASSWORD != *$'\r'* ]] || die 64 "the password must be one line"
}

require_system() {
  local ids
  ids=$(grep -Es '^(ID|ID_LIKE)=' /etc/os-release | cut -d= -f2 | tr -d '"' | tr '\n' ' ') || true
  [[ " $ids " == *" debian "* ]] || die 69 "unsupported OS (Debian or Ubuntu needed): ${ids:-unknown}"
  ((DRY_RUN || EUID == 0)) || die 69 "must run as root"
  command -v curl >/dev/null || die 69 "curl is missing"
}

fetch() { # fetch URL FILE: HTTP 404 means not published (69); other failures are worth a retry (75)
  local code
  code=$(curl -sSL --retry 3 --connect-timeout 20 -w '%{http_code}' -o "$2" "$1") || code=000
  [[ $code != 404 && $code != 410 ]] || die 69 "not published: $1"
  [[ $code == 200 ]] || die 75 "download failed (HTTP $code): $1"
}

ensure_user() {
  if id -u "$DEV_USER" >/dev/null 2>&1; then return 0; fi
  run useradd --create-home --shell /bin/bash "$DEV_USER"
}

install_package() {
  local arch deb installed
  installed=$(dpkg-query -W -f="\${Version}" code-server 2>/dev/null) || installed=
  if [[ $installed == "$CODE_SERVER_VERSION" ]]; then log "code-server $installed is installed"; return 0; fi
  arch=$(dpkg --print-architecture)
  [[ $arch == amd64 || $arch == arm64 ]] || die 69 "no code-server build for $arch"
  deb=code-server_${CODE_SERVER_VERSION}_$arch.deb
  CHANGED=1
  if ((DRY_RUN)); then log "[dry-run] would install $CODE_SERVER_URL/v$CODE_SERVER_VERSION/$deb"; return 0; fi
  TMP_DIR=$(mktemp -d)
  chmod 0755 "$TMP_DIR" # apt reads the .deb as its unprivileged user
  fetch "$CODE_SERVER_URL/v$CODE_SERVER_VERSION/$deb" "$TMP_DIR/$deb"
  DEBIAN_FRONTEND=noninteractive apt-get install -y "$TMP_DIR/$deb" || die 75 "could not install $deb"
}

write_config() {
  local home group file tmp q="'" content
  home=$(getent passwd "$DEV_USER" | cut -d: -f6) || home=/home/$DEV_USER
  group=$(id -gn "$DEV_USER" 2>/dev/null) || group=$DEV_USER
  file=$home/.config/code-server/config.yaml
  content="# Managed by Berth (web3-dev); rewritten on every apply.
bind-addr: $CODE_SERVER_BIND
auth: password
password: '${PASSWORD//$q/$q$q}'
cert: false
"
  if [[ -f $file ]] && cmp -s -- "$file" <(printf '%s' "$content") &&
    [[ $(stat -c '%a %U' -- "$file") == "600 $DEV_USER" ]]; then
    log "$file is up to date"
    return 0
  fi
  CHANGED=1
  if ((DRY_RUN)); then log "[dry-run] would write $file (mode 0600)"; return 0; fi
  install -d -m 0755 -o "$DEV_USER" -g "$group" "$home/.config"
  install -d -m 0700 -o "$DEV_USER" -g "$group" "${file%/*}"
  tmp=$(mktemp "${file%/*}/.config.XXXXXX") # mode 0600, created exclusively
  printf '%s' "$content" >"$tmp"
  chown "$DEV_USER:$group" "$tmp"
  mv -f -- "$tmp" "$file"
  log "wrote $file"
}

start_service() {
  local unit=code-server@$DEV_USER
  [[ -d /run/systemd/system ]] || ((DRY_RUN)) || die 69 "systemd is not running; cannot start $unit"
  if ((DRY_RUN)) || ! systemctl is-enabled --quiet "$unit" 2>/dev/null; then run systemctl enable "$unit"; fi
  if ((CHANGED)); then
    run systemctl restart "$unit"
  elif ! systemctl is-active --quiet "$unit"; then
    run systemctl start "$unit"
  else
    log "$unit is running"
  fi
}

main() {
  parse_args "$@"
  require_system
  ensure_user
  install_package
  write_config
  start_service
  if ((DRY_RUN)); then log "dry run: nothing was changed"; else log "code-server listens on $CODE_SERVER_BIND"; fi
}

if [[ "${BASH_SOURCE[0]:-$0}" == "$0" ]]; then
  main "$@"
fi
