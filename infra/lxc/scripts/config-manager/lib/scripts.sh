# shellcheck shell=bash
# Sourced by config-manager, which runs under `set -Eeuo pipefail` with its ERR trap: a library
# leaves its caller's shell options alone, so it sets none of its own.
# Bundle scripts: run in name order, each with bash, the bundle's env file as environment and a
# time limit. Scripts must be idempotent (Berth's template scripts are): they run on every apply.

# scripts_apply BUNDLE: the scripts step; stops at the first failing script with its exit code.
scripts_apply() {
  local bundle=$1 script name rc env=()
  mapfile -t env < <(bundle_env "$bundle")
  while IFS= read -r script; do
    name=${script##*/}
    if ((CM_DRY_RUN)); then
      info "would run script $name"
      continue
    fi
    info "running script $name"
    rc=0
    (cd "$bundle" && env ${env[@]+"${env[@]}"} timeout "$CM_SCRIPT_TIMEOUT" bash "$script" </dev/null) >&2 || rc=$?
    if ((rc == 124)); then
      warn "script $name did not finish within ${CM_SCRIPT_TIMEOUT}s"
      return 75
    fi
    if ((rc)); then
      warn "script $name failed with exit code $rc"
      return "$rc"
    fi
    printf '%s\n' "$name" >>"$RUN/scripts_run"
  done < <(bundle_scripts "$bundle")
}
