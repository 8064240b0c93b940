#!/usr/bin/env bash
# berth-template-script: lukso-node/start
#
# Runs the LUKSO node under systemd: writes lukso-node.service (which calls 'lukso start' and
# 'lukso stop' in the node's working directory), enables it, starts it, and waits until the
# execution client's JSON-RPC port accepts connections. Idempotent: the node is restarted only
# when the unit changed, and started only when it is not running.
set -Eeuo pipefail
trap 'printf "%s:%s: failed: %s\n" "${BASH_SOURCE[0]:-$0}" "$LINENO" "$BASH_COMMAND" >&2' ERR

PROG=start.sh
DRY_RUN=${BERTH_DRY_RUN:-0}
NETWORK=${BERTH_INPUT_NETWORK:-${LUKSO_NETWORK:-mainnet}}
CHECKPOINT_SYNC=${BERTH_INPUT_CHECKPOINT_SYNC:-${LUKSO_CHECKPOINT_SYNC:-true}}
LUKSO_DIR=${LUKSO_DIR:-/opt/lukso-node}
LUKSO_START_FLAGS=${LUKSO_START_FLAGS:-}
LUKSO_RPC_PORT=${LUKSO_RPC_PORT:-8545}
LUKSO_WAIT_SECS=${LUKSO_WAIT_SECS:-180}
UNIT_NAME='lukso-node.service'
UNIT=/etc/systemd/system/$UNIT_NAME

usage() {
  cat <<EOF
Usage: $PROG [--network mainnet|testnet] [--dry-run] [--help]

Starts the LUKSO node installed by install.sh as the systemd service $UNIT_NAME. Run as root.

Environment:
  BERTH_INPUT_NETWORK, LUKSO_NETWORK  same as --network (default: mainnet)
  BERTH_INPUT_CHECKPOINT_SYNC, LUKSO_CHECKPOINT_SYNC  true: sync from a recent checkpoint (default)
  LUKSO_START_FLAGS  extra flags for 'lukso start'
  LUKSO_DIR          the node's working directory (default: /opt/lukso-node)
  LUKSO_RPC_PORT     the JSON-RPC port waited for (default: 8545)
  LUKSO_WAIT_SECS    how long to wait for it (default: 180; 0 = do not wait)
  BERTH_DRY_RUN=1    same as --dry-run

Exit codes: 0 running, 64 usage error, 69 unavailable (not root, no systemd, node not installed),
75 temporary failure (the RPC port did not open in time; retry later), 1 unexpected error.
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
      --network) (($# >= 2)) || die 64 "--network needs a value"; NETWORK=$2; shift ;;
      --dry-run) DRY_RUN=1 ;;
      -h | --help) usage; exit 0 ;;
      *) die 64 "unknown argument: $1 (see --help)" ;;
    esac
    shift
  done
  [[ $NETWORK == mainnet || $NETWORK == testnet ]] || die 64 "network must be mainnet or testnet, not '$NETWORK'"
  [[ $CHECKPOINT_SYNC == true || $CHECKPOINT_SYNC == false ]] || die 64 "checkpoint sync must be true or false"
  [[ $LUKSO_WAIT_SECS =~ ^[0-9]+$ && $LUKSO_RPC_PORT =~ ^[1-9][0-9]{0,4}$ ]] ||
    die 64 "LUKSO_WAIT_SECS and LUKSO_RPC_PORT must be numbers"
  [[ $LUKSO_START_FLAGS =~ ^[A-Za-z0-9\ ./:=_-]*$ ]] || die 64 "LUKSO_START_FLAGS has characters systemd would misread"
}

require_system() {
  ((DRY_RUN || EUID == 0)) || die 69 "must run as root"
  ((DRY_RUN)) && return 0
  [[ -d /run/systemd/system ]] || die 69 "systemd is not running"
  command -v lukso >/dev/null || die 69 "the LUKSO CLI is not installed (run install.sh first)"
  [[ -d $LUKSO_DIR/configs ]] || die 69 "$LUKSO_DIR is not initialised (run install.sh first)"
}

unit_content() {
  local lukso flags="--$NETWORK"
  lukso=$(command -v lukso || echo /usr/local/bin/lukso)
  if [[ $CHECKPOINT_SYNC == true ]]; then flags+=" --checkpoint-sync"; fi
  if [[ -n $LUKSO_START_FLAGS ]]; then flags+=" $LUKSO_START_FLAGS"; fi
  cat <<EOF
# Managed by Berth (lukso-node).
[Unit]
Description=LUKSO node ($NETWORK)
After=network-online.target
Wants=network-online.target

[Service]
Type=oneshot
RemainAfterExit=yes
WorkingDirectory=$LUKSO_DIR
ExecStart=$lukso start $flags
ExecStop=$lukso stop
TimeoutStartSec=300
TimeoutStopSec=300

[Install]
WantedBy=multi-user.target
EOF
}

wait_for_rpc() {
  local deadline=$((SECONDS + LUKSO_WAIT_SECS))
  ((LUKSO_WAIT_SECS > 0)) || return 0
  if ((DRY_RUN)); then log "[dry-run] would wait up to ${LUKSO_WAIT_SECS}s for port $LUKSO_RPC_PORT"; return 0; fi
  until (exec 3<>"/dev/tcp/127.0.0.1/$LUKSO_RPC_PORT") 2>/dev/null; do
    ((SECONDS < deadline)) || die 75 "port $LUKSO_RPC_PORT did not open within ${LUKSO_WAIT_SECS}s (see 'lukso logs')"
    sleep 5
  done
  log "the execution client answers on port $LUKSO_RPC_PORT"
}

main() {
  parse_args "$@"
  require_system
  local content changed=0
  content=$(unit_content)$'\n'
  if [[ -f $UNIT ]] && cmp -s -- "$UNIT" <(printf '%s' "$content"); then
    log "$UNIT is up to date"
  elif ((DRY_RUN)); then
    log "[dry-run] would write $UNIT:"
    printf '%s' "$content"
    changed=1
  else
    printf '%s' "$content" >"$UNIT.tmp"
    mv -f -- "$UNIT.tmp" "$UNIT"
    systemctl daemon-reload
    changed=1
  fi
  if ((DRY_RUN)) || ! systemctl is-enabled --quiet "$UNIT_NAME" 2>/dev/null; then run systemctl enable "$UNIT_NAME"; fi
  if ((changed)); then
    run systemctl restart "$UNIT_NAME"
  elif ! systemctl is-active --quiet "$UNIT_NAME"; then
    run systemctl start "$UNIT_NAME"
  else
    log "$UNIT_NAME is running"
  fi
  wait_for_rpc
  if ((DRY_RUN)); then log "dry run: nothing was changed"; fi
}

if [[ "${BASH_SOURCE[0]:-$0}" == "$0" ]]; then
  main "$@"
fi
