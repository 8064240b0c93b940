# shellcheck shell=bash
# Sourced by config-manager, which runs under `set -Eeuo pipefail` with its ERR trap: a library
# leaves its caller's shell options alone, so it sets none of its own.
# Conflict detection. config-manager keeps a copy of every file as it last wrote it; a managed
# file whose content differs from that copy was changed inside the container, by hand or by a
# program. Such a file is reported with a diff and left alone unless the apply is forced.

# local_change PATH: whether the managed file at PATH differs from what config-manager last wrote
# (deleted counts as changed).
local_change() {
  local recorded=$MANAGED/content$1
  [[ -f $recorded ]] || return 1
  ! cmp -s -- "$recorded" "$(target "$1")"
}

# conflict_diff PATH: a unified diff from the last written content to the file as it is now.
conflict_diff() {
  local now
  now=$(target "$1")
  [[ -e $now ]] || now=/dev/null
  diff -u --label "$1 (as config-manager wrote it)" --label "$1 (in the container now)" \
    -- "$MANAGED/content$1" "$now" || true
}

# conflicts_find [BUNDLE]: writes the conflicting paths to $RUN/conflicts, one a line, and says
# whether there are any. With a bundle, a changed file is a conflict only if the apply would
# overwrite it: the bundle still has it, with content other than what the file has now.
conflicts_find() {
  local bundle=${1:-} path
  mkdir -p -- "$RUN"
  : >"$RUN/conflicts"
  [[ -f $MANAGED/files ]] || return 1
  while read -r _ _ _ path; do
    local_change "$path" || continue
    if [[ -n $bundle ]]; then
      bundle_has_file "$bundle" "$path" || continue
      ! cmp -s -- "$bundle/files/content$path" "$(target "$path")" || continue
    fi
    printf '%s\n' "$path" >>"$RUN/conflicts"
  done <"$MANAGED/files"
  [[ -s $RUN/conflicts ]]
}

# conflicts_report: every conflict with its diff, for the run log.
conflicts_report() {
  local path
  while IFS= read -r path; do
    warn "conflict: $path was changed in the container since the last apply:"
    conflict_diff "$path" >&2
  done <"$RUN/conflicts"
}

# conflicts_json: the conflicts as a JSON array of {path, diff}.
conflicts_json() {
  local path sep=
  printf '['
  if [[ -f $RUN/conflicts ]]; then
    while IFS= read -r path; do
      printf '%s{"path":%s,"diff":%s}' "$sep" "$(json_str "$path")" "$(json_str "$(conflict_diff "$path")")"
      sep=,
    done <"$RUN/conflicts"
  fi
  printf ']'
}
