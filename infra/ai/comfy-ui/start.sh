#!/usr/bin/env bash
# berth-template-script: comfyui/start
#
# Runs ComfyUI (installed by install.sh) as the systemd service comfyui.service on port 8188:
# on the CPU by default, on the NVIDIA GPU when asked for (or, with auto, when one is visible).
# Waits until the web UI answers. Idempotent: the service is restarted only when its unit
# changed, and started only when it is not running.
set -Eeuo pipefail
trap 'printf "%s:%s: failed: %s\n" "${BASH_SOURCE[0]:-$0}" "$LINENO" "$BASH_COMMAND" >&2' ERR

PROG=start.sh
DRY_RUN=${BERTH_DRY_RUN:-0}
DEVICE=${BERTH_INPUT_DEVICE:-${COMFYUI_DEVICE:-auto}}
COMFYUI_DIR=${COMFYUI_DIR:-/opt/comfyui}
COMFYUI_USER=${COMFYUI_USER:-comfyui}
COMFYUI_LISTEN=${COMFYUI_LISTEN:-0.0.0.0}
COMFYUI_PORT=${COMFYUI_PORT:-8188}
COMFYUI_EXTRA_ARGS=${COMFYUI_EXTRA_ARGS:-}
COMFYUI_WAIT_SECS=${COMFYUI_WAIT_SECS:-180}
UNIT=/etc/systemd/system/comfyui.service

usage() {
  cat <<EOF
Usage: $PROG [--device cpu|gpu|auto] [--dry-run] [--help]

Starts ComfyUI as comfyui.service and waits for its web UI. Run as root.

Options:
  --device D   cpu, gpu (NVIDIA) or auto: gpu when one is visible (default: $DEVICE)
  --dry-run    print what would change and change nothing
  -h, --help   show this help

Environment:
  BERTH_INPUT_DEVICE, COMFYUI_DEVICE  same as --device
  COMFYUI_LISTEN, COMFYUI_PORT  the address and port (default: 0.0.0.0, 8188)
  COMFYUI_EXTRA_ARGS   more arguments for ComfyUI's main.py
  COMFYUI_WAIT_SECS    how long to wait for the UI (default: 180; 0 = do not wait)
  COMFYUI_DIR, COMFYUI_USER  as for install.sh (default: /opt/comfyui, comfyui)
  BERTH_DRY_RUN=1      same as --dry-run

Exit codes: 0 running, 64 usage error, 69 unavailable (not root, no systemd, ComfyUI not
installed, gpu asked but none visible), 75 temporary failure (the UI did not answer in time;
retry later), 1 unexpected error.
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
      --device) (($# >= 2)) || die 64 "--device needs a value"; DEVICE=$2; shift ;;
      --dry-run) DRY_RUN=1 ;;
      -h | --help) usage; exit 0 ;;
      *) die 64 "unknown argument: $1 (see --help)" ;;
    esac
    shift
  done
  [[ $DEVICE =~ ^(cpu|gpu|auto)$ ]] || die 64 "device must be cpu, gpu or auto, not '$DEVICE'"
  [[ $COMFYUI_PORT =~ ^[1-9][0-9]{0,4}$ && $COMFYUI_WAIT_SECS =~ ^[0-9]+$ ]] ||
    die 64 "COMFYUI_PORT and COMFYUI_WAIT_SECS must be numbers"
  [[ $COMFYUI_LISTEN =~ ^[0-9A-Za-z.:,-]+$ ]] || die 64 "bad COMFYUI_LISTEN '$COMFYUI_LISTEN'"
  [[ $COMFYUI_EXTRA_ARGS =~ ^[A-Za-z0-9\ ./:=_,-]*$ ]] || die 64 "COMFYUI_EXTRA_ARGS has characters systemd would misread"
}

require_system() {
  ((DRY_RUN || EUID == 0)) || die 69 "must run as root"
  ((DRY_RUN)) && return 0
  [[ -d /run/systemd/system ]] || die 69 "systemd is not running"
  [[ -x $COMFYUI_DIR/venv/bin/python && -f $COMFYUI_DIR/ComfyUI/main.py ]] ||
    die 69 "ComfyUI is not installed in $COMFYUI_DIR (run install.sh first)"
}

resolve_device() {
  local visible=0
  if command -v nvidia-smi >/dev/null && nvidia-smi -L >/dev/null 2>&1; then visible=1; fi
  if [[ $DEVICE == auto ]]; then
    if ((visible)); then DEVICE=gpu; else DEVICE=cpu; fi
  elif [[ $DEVICE == gpu ]] && ((!visible)); then
    ((DRY_RUN)) || die 69 "device gpu: no NVIDIA GPU is visible here (pass it through on the host)"
    log "[dry-run] note: no NVIDIA GPU is visible here; a real run would stop"
  fi
  log "device: $DEVICE"
}

unit_content() {
  local args="--listen $COMFYUI_LISTEN --port $COMFYUI_PORT"
  if [[ $DEVICE == cpu ]]; then args+=" --cpu"; fi
  if [[ -n $COMFYUI_EXTRA_ARGS ]]; then args+=" $COMFYUI_EXTRA_ARGS"; fi
  cat <<EOF
# Managed by Berth (comfyui).
[Unit]
Description=ComfyUI ($DEVICE)
After=network-online.target
Wants=network-online.target

[Service]
User=$COMFYUI_USER
Group=$COMFYUI_USER
Environment=HOME=$COMFYUI_DIR
WorkingDirectory=$COMFYUI_DIR/ComfyUI
ExecStart=$COMFYUI_DIR/venv/bin/python main.py $args
Restart=on-failure
RestartSec=5

[Install]
WantedBy=multi-user.target
EOF
}

wait_for_ui() {
  local deadline=$((SECONDS + COMFYUI_WAIT_SECS))
  ((COMFYUI_WAIT_SECS > 0)) || return 0
  if ((DRY_RUN)); then log "[dry-run] would wait up to ${COMFYUI_WAIT_SECS}s for port $COMFYUI_PORT"; return 0; fi
  until curl -fsS -o /dev/null --max-time 5 "http://127.0.0.1:$COMFYUI_PORT/"; do
    ((SECONDS < deadline)) || die 75 "ComfyUI did not answer within ${COMFYUI_WAIT_SECS}s (journalctl -u comfyui)"
    sleep 5
  done
  log "ComfyUI answers on port $COMFYUI_PORT"
}

main() {
  parse_args "$@"
  require_system
  resolve_device
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
  if ((DRY_RUN)) || ! systemctl is-enabled --quiet comfyui 2>/dev/null; then run systemctl enable comfyui; fi
  if ((changed)); then
    run systemctl restart comfyui
  elif ! systemctl is-active --quiet comfyui; then
    run systemctl start comfyui
  else
    log "comfyui is running"
  fi
  wait_for_ui
  if ((DRY_RUN)); then log "dry run: nothing was changed"; fi
}

if [[ "${BASH_SOURCE[0]:-$0}" == "$0" ]]; then
  main "$@"
fi
