# shellcheck shell=bash
# Sourced by config-manager, which runs under `set -Eeuo pipefail` with its ERR trap: a library
# leaves its caller's shell options alone, so it sets none of its own.
# Status: what config-manager manages here and how it stands, as a summary or as JSON.

# managed_file_state PATH: ok, changed (in the container since the last apply) or missing.
managed_file_state() {
  if [[ ! -e $(target "$1") ]]; then echo missing
  elif local_change "$1"; then echo changed
  else echo ok
  fi
}

status_json() {
  local path sep='' manager key
  printf '{"command":"status","health":%s,"bundle":{"name":%s,"version":%s},' "$(json_str "$(health)")" \
    "$(json_str_or_null "$(kv_get "$MANAGED/bundle.conf" name)")" "$(json_str_or_null "$(kv_get "$MANAGED/bundle.conf" version)")"
  printf '"last_apply":'
  if [[ -f $CM_STATE/last-apply ]]; then
    sep='{'
    for key in result failed_step started finished snapshot; do
      printf '%s"%s":%s' "$sep" "$key" "$(json_str_or_null "$(kv_get "$CM_STATE/last-apply" "$key")")"
      sep=,
    done
    printf ',"exit_code":%d' "$(kv_get "$CM_STATE/last-apply" exit_code)"
    printf '}'
  else
    printf null
  fi
  printf ',"managed_files":['
  sep=
  if [[ -f $MANAGED/files ]]; then
    while read -r _ _ _ path; do
      printf '%s{"path":%s,"state":"%s"}' "$sep" "$(json_str "$path")" "$(managed_file_state "$path")"
      sep=,
    done <"$MANAGED/files"
  fi
  printf '],"packages":{'
  sep=
  for manager in "${PACKAGE_MANAGERS[@]}"; do
    [[ -s $MANAGED/packages/$manager ]] || continue
    printf '%s"%s":%s' "$sep" "$manager" "$(json_lines "$MANAGED/packages/$manager")"
    sep=,
  done
  printf '},"snapshots":%s}\n' "$(snapshots_json)"
}

status_summary() {
  local path count=0 changed=0
  printf 'bundle:     %s %s\n' "$(kv_get "$MANAGED/bundle.conf" name)" "$(kv_get "$MANAGED/bundle.conf" version)"
  printf 'health:     %s\n' "$(health)"
  printf 'last apply: %s (exit %s) at %s\n' "$(kv_get "$CM_STATE/last-apply" result)" \
    "$(kv_get "$CM_STATE/last-apply" exit_code)" "$(kv_get "$CM_STATE/last-apply" finished)"
  if [[ -f $MANAGED/files ]]; then
    while read -r _ _ _ path; do
      count=$((count + 1))
      if [[ $(managed_file_state "$path") != ok ]]; then
        changed=$((changed + 1))
        printf '  %s: %s\n' "$path" "$(managed_file_state "$path")"
      fi
    done <"$MANAGED/files"
  fi
  printf 'files:      %d managed, %d changed in the container\n' "$count" "$changed"
  printf 'snapshots:  %d\n' "$(snapshot_ids | wc -l)"
}
