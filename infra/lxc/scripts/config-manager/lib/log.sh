# shellcheck shell=bash
# Sourced by config-manager, which runs under `set -Eeuo pipefail` with its ERR trap: a library
# leaves its caller's shell options alone, so it sets none of its own.
# Logging for config-manager: every human-readable line goes to stderr (the worker's run log),
# so stdout stays free for the JSON report. One helper, so the format is the same everywhere.

# log LEVEL MESSAGE...: LEVEL is info, warning or error; info lines carry no level word.
log() {
  local level=$1 prefix=
  shift
  [[ $level == info ]] || prefix="$level: "
  printf 'config-manager: %s%s\n' "$prefix" "$*" >&2
  if [[ -n ${CM_LOG_FILE:-} ]]; then
    printf '%s %s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$level" "$*" >>"$CM_LOG_FILE"
  fi
}

info() { log info "$@"; }
warn() { log warning "$@"; }

# die CODE MESSAGE...: logs an error and exits with CODE (the README lists the codes). Under
# --json the worker gets the reason as JSON too, on the stdout config-manager started with (a
# check whose own output is discarded may be the one that dies).
die() {
  local code=$1
  shift
  log error "$@"
  if [[ ${CM_JSON:-0} == 1 ]]; then
    printf '{"command":%s,"result":"error","exit_code":%d,"error":%s}\n' \
      "$(json_str "${CM_COMMAND:-}")" "$code" "$(json_str "$*")" >&"${CM_REPORT_FD:-1}"
  fi
  exit "$code"
}
