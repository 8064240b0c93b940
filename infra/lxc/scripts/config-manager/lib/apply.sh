# shellcheck shell=bash
# Sourced by config-manager, which runs under `set -Eeuo pipefail` with its ERR trap: a library
# leaves its caller's shell options alone, so it sets none of its own.
# apply: conflicts check → snapshot → packages → files → scripts; on a failing step, the snapshot
# is restored and verified. Each step runs in a subshell with errexit of its own, so that a
# failure anywhere in it ends the step (and only the step) with the failing command's status.

APPLY_STEPS=(packages files scripts)

# apply_step STEP BUNDLE: sets STEP_RC. The ERR trap is lifted around the subshell so that a
# failed step is reported once, by the trap inside it, and not again out here.
apply_step() {
  trap - ERR
  set +e
  (
    set -e
    trap 'on_error "$LINENO" "$BASH_COMMAND"' ERR
    # What the step starts must not inherit the lock: a daemon a script leaves running would
    # hold it, and every later run would be told to retry. This process keeps holding it.
    exec {CM_LOCK_FD}>&-
    # A step that dies is reported in the apply's JSON, not by die's own.
    CM_JSON=0 "$1_apply" "$2"
  )
  STEP_RC=$?
  set -e
  trap 'on_error "$LINENO" "$BASH_COMMAND"' ERR
}

# apply_finish RESULT CODE: records the outcome, reports it and exits with CODE.
apply_finish() {
  APPLY_RESULT=$1
  if ((!CM_DRY_RUN)); then
    printf 'result=%s\nexit_code=%s\nfailed_step=%s\nstep_exit_code=%s\nstarted=%s\nfinished=%s\nsnapshot=%s\nbundle=%s\n' \
      "$1" "$2" "${FAILED_STEP:-}" "${STEP_RC:-}" "$STARTED" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "${SNAPSHOT_ID:-}" \
      "$(kv_get "$BUNDLE/bundle.conf" name)" >"$CM_STATE/last-apply"
  fi
  if ((CM_JSON)); then apply_json "$2"; fi
  case $1 in
    applied) info "applied $(kv_get "$BUNDLE/bundle.conf" name) $(kv_get "$BUNDLE/bundle.conf" version)" ;;
    dry_run) info "dry run: nothing was changed" ;;
    *) log error "apply: $1${FAILED_STEP:+ (step $FAILED_STEP, exit code $STEP_RC)}" ;;
  esac
  exit "$2"
}

apply_json() {
  local list sep='' step_rc=null
  if [[ -n ${FAILED_STEP:-} ]]; then step_rc=$STEP_RC; fi
  printf '{"command":"apply","result":"%s","exit_code":%d,"dry_run":%s,' "$APPLY_RESULT" "$1" \
    "$( ((CM_DRY_RUN)) && echo true || echo false)"
  printf '"bundle":{"name":%s,"version":%s},"snapshot":%s,"failed_step":%s,"step_exit_code":%s,' \
    "$(json_str_or_null "$(kv_get "$BUNDLE/bundle.conf" name)")" "$(json_str_or_null "$(kv_get "$BUNDLE/bundle.conf" version)")" \
    "$(json_str_or_null "${SNAPSHOT_ID:-}")" "$(json_str_or_null "${FAILED_STEP:-}")" "$step_rc"
  if [[ -n ${ROLLBACK_VERIFIED:-} ]]; then
    printf '"rollback":{"snapshot":%s,"verified":%s},' "$(json_str "$SNAPSHOT_ID")" "$ROLLBACK_VERIFIED"
  else
    printf '"rollback":null,'
  fi
  printf '"changes":{'
  for list in packages_installed packages_removed files_written files_removed scripts_run; do
    printf '%s"%s":%s' "$sep" "$list" "$(json_lines "$RUN/$list")"
    sep=,
  done
  printf '},"conflicts":%s}\n' "$(cat -- "$RUN/conflicts.json" 2>/dev/null || printf '[]')"
}

# apply_run BUNDLE: the `apply` subcommand.
apply_run() {
  BUNDLE=$(cd -- "$1" 2>/dev/null && pwd) || die 65 "bundle not found: $1"
  bundle_check "$BUNDLE"
  state_lock
  rm -rf -- "$RUN"
  mkdir -p -- "$RUN"
  STARTED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  packages_preflight "$BUNDLE"
  if conflicts_find "$BUNDLE"; then
    conflicts_report
    conflicts_json >"$RUN/conflicts.json"
    ((CM_FORCE)) || apply_finish conflicts 3
    warn "overwriting the files above (--force)"
  fi
  snapshot_backend
  if ((CM_DRY_RUN)); then
    info "would take a $BACKEND snapshot"
  elif [[ $BACKEND != none ]]; then
    snapshot_create "$BACKEND" pre-apply || apply_finish snapshot_failed 73
  fi
  local step
  for step in "${APPLY_STEPS[@]}"; do
    apply_step "$step" "$BUNDLE"
    if ((STEP_RC)); then FAILED_STEP=$step; break; fi
  done
  if ((CM_DRY_RUN)); then apply_finish dry_run "$STEP_RC"; fi
  if ((STEP_RC == 0)); then
    cp -- "$BUNDLE/bundle.conf" "$MANAGED/bundle.conf"
    health_set good
    snapshot_prune
    apply_finish applied 0
  fi
  health_set bad
  [[ $BACKEND != none ]] || apply_finish failed 5
  if rollback_to "$SNAPSHOT_ID"; then
    ROLLBACK_VERIFIED=true
    if ((STEP_RC == 75)); then apply_finish rolled_back 75; fi
    apply_finish rolled_back 4
  fi
  ROLLBACK_VERIFIED=false
  apply_finish rollback_failed 5
}
