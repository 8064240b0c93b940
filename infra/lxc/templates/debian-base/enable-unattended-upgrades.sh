#!/usr/bin/env bash
# berth-template-script: debian-base/enable-unattended-upgrades
#
# Turns on unattended security upgrades in a Debian or Ubuntu container: makes sure the
# unattended-upgrades package is present, writes the APT periodic settings and Berth's reboot
# policy, and enables the apt timers. Idempotent: a file is rewritten only when it differs.
set -Eeuo pipefail
trap 'printf "%s:%s: failed: %s\n" "${BASH_SOURCE[0]:-$0}" "$LINENO" "$BASH_COMMAND" >&2' ERR

PROG=enable-unattended-upgrades.sh
DRY_RUN=${BERTH_DRY_RUN:-0}
AUTO_REBOOT=${BERTH_INPUT_AUTO_REBOOT:-${UNATTENDED_AUTO_REBOOT:-false}}
REBOOT_TIME=${UNATTENDED_REBOOT_TIME:-04:00}
APT_CONF_DIR=${APT_CONF_DIR:-/etc/apt/apt.conf.d}

usage() {
  cat <<EOF
Usage: $PROG [--auto-reboot true|false] [--dry-run] [--help]

Enables unattended security upgrades on Debian or Ubuntu. Run as root.

Options:
  --auto-reboot BOOL  reboot by itself when an upgrade needs it (default: false)
  --dry-run           print what would change and change nothing
  -h, --help          show this help

Environment:
  BERTH_INPUT_AUTO_REBOOT, UNATTENDED_AUTO_REBOOT  same as --auto-reboot
  UNATTENDED_REBOOT_TIME  when an automatic reboot happens (default: 04:00)
  APT_CONF_DIR            where the settings go (default: /etc/apt/apt.conf.d)
  BERTH_DRY_RUN=1         same as --dry-run

Exit codes: 0 done (or nothing to do), 64 usage error, 69 unavailable (not Debian or Ubuntu,
not root), 75 temporary failure (apt could not install; retry later), 1 unexpected error.
EOF
}

log() { printf '%s: %s\n' "$PROG" "$*"; }
die() { printf '%s: error: %s\n' "$PROG" "${*:2}" >&2; exit "$1"; }

# Runs a command, or only prints it under --dry-run.
run() {
  if ((DRY_RUN)); then printf '%s: [dry-run]%s\n' "$PROG" "$(printf ' %q' "$@")"; return 0; fi
  "$@"
}

parse_args() {
  while (($#)); do
    case $1 in
      --auto-reboot)
        (($# >= 2)) || die 64 "--auto-reboot needs a value"
        AUTO_REBOOT=$2
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
  [[ $AUTO_REBOOT == true || $AUTO_REBOOT == false ]] ||
    die 64 "auto-reboot must be true or false, not '$AUTO_REBOOT'"
  [[ $REBOOT_TIME =~ ^([01][0-9]|2[0-3]):[0-5][0-9]$ ]] ||
    die 64 "UNATTENDED_REBOOT_TIME must look like 04:00, not '$REBOOT_TIME'"
}

require_system() {
  local ids
  ids=$(grep -Es '^(ID|ID_LIKE)=' /etc/os-release | cut -d= -f2 | tr -d '"' | tr '\n' ' ') || true
  [[ " $ids " == *" debian "* ]] || die 69 "unsupported OS (Debian or Ubuntu needed): ${ids:-unknown}"
  command -v apt-get >/dev/null || die 69 "apt-get not found"
  ((DRY_RUN || EUID == 0)) || die 69 "must run as root"
}

ensure_package() {
  if dpkg-query -W -f="\${Status}" "$1" 2>/dev/null | grep -q 'install ok installed'; then
    log "$1 is installed"
    return 0
  fi
  run env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$1" ||
    die 75 "apt-get could not install $1"
}

# put_file PATH MODE CONTENT: writes the file when its content or mode differ.
put_file() {
  local path=$1 mode=$2 content=$3 tmp
  if [[ -f $path ]] && cmp -s -- "$path" <(printf '%s' "$content") &&
    [[ $(stat -c '%a' -- "$path") == "${mode#0}" ]]; then
    log "$path is up to date"
    return 0
  fi
  if ((DRY_RUN)); then
    log "[dry-run] would write $path (mode $mode)"
    return 0
  fi
  mkdir -p -- "${path%/*}"
  tmp=$(mktemp "${path%/*}/.berth.XXXXXX")
  printf '%s' "$content" >"$tmp"
  chmod "$mode" "$tmp"
  mv -f -- "$tmp" "$path"
  log "wrote $path"
}

enable_timers() {
  local unit
  if [[ ! -d /run/systemd/system ]]; then
    log "systemd is not running here; leaving the apt timers alone"
    return 0
  fi
  for unit in apt-daily.timer apt-daily-upgrade.timer; do
    if systemctl is-enabled --quiet "$unit" && systemctl is-active --quiet "$unit"; then
      log "$unit is enabled and active"
      continue
    fi
    run systemctl enable --now "$unit"
  done
}

main() {
  parse_args "$@"
  require_system
  ensure_package unattended-upgrades
  put_file "$APT_CONF_DIR/20auto-upgrades" 0644 "// Managed by Berth (debian-base).
APT::Periodic::Update-Package-Lists \"1\";
APT::Periodic::Unattended-Upgrade \"1\";
"
  put_file "$APT_CONF_DIR/52berth-unattended-upgrades" 0644 "// Managed by Berth (debian-base).
Unattended-Upgrade::Automatic-Reboot \"$AUTO_REBOOT\";
Unattended-Upgrade::Automatic-Reboot-Time \"$REBOOT_TIME\";
Unattended-Upgrade::Remove-Unused-Dependencies \"true\";
"
  enable_timers
  if ((DRY_RUN)); then
    log "dry run: nothing was changed"
  else
    log "unattended upgrades are on (automatic reboot: $AUTO_REBOOT)"
  fi
}

if [[ "${BASH_SOURCE[0]:-$0}" == "$0" ]]; then
  main "$@"
fi
