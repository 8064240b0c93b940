# shellcheck shell=bash
# Sourced by config-manager, which runs under `set -Eeuo pipefail` with its ERR trap: a library
# leaves its caller's shell options alone, so it sets none of its own.
# Rollback: back to a snapshot, by default the newest one taken while the container was in a good
# state (after a successful apply or rollback, or before the first apply); then verify and report.

# health: good or bad, what the last apply or rollback left behind. Kept outside the managed
# records so that restoring a snapshot does not rewrite it.
health() { cat -- "$CM_STATE/health" 2>/dev/null || printf unknown; }
health_set() { printf '%s\n' "$1" >"$CM_STATE/health"; }

# rollback_last_good: the id of the newest good snapshot, or nothing.
rollback_last_good() {
  local id good=
  while IFS= read -r id; do
    if [[ $(snapshot_meta "$id" good) == yes ]]; then good=$id; fi
  done < <(snapshot_ids)
  printf '%s' "$good"
}

# rollback_to ID: restores and verifies; records the outcome in the health file.
rollback_to() {
  info "rolling back to snapshot $1"
  if snapshot_restore "$1"; then
    health_set good
    return 0
  fi
  health_set bad
  return 1
}

# rollback_command [ID] [--json]: the `rollback` subcommand.
rollback_command() {
  local id=${1:-} result=rolled_back code=0
  [[ -n $id ]] || id=$(rollback_last_good)
  [[ -n $id ]] || die 69 "there is no good snapshot to roll back to"
  snapshot_require "$id"
  if ((CM_DRY_RUN)); then
    info "would roll back to snapshot $id ($(snapshot_meta "$id" backend))"
    return 0
  fi
  rollback_to "$id" || { result=rollback_failed code=5; }
  if ((CM_JSON)); then
    printf '{"command":"rollback","result":"%s","exit_code":%d,"snapshot":%s,"verified":%s}\n' \
      "$result" "$code" "$(json_str "$id")" "$([[ $code == 0 ]] && echo true || echo false)"
  fi
  return "$code"
}
