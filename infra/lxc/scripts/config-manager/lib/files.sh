# shellcheck shell=bash
# Sourced by config-manager, which runs under `set -Eeuo pipefail` with its ERR trap: a library
# leaves its caller's shell options alone, so it sets none of its own.
# Managed files: written from the bundle with their mode and owner, atomically (a temporary file
# in the same directory, then a rename), and only when something differs. A copy of what was
# written is kept for conflict detection; files a later bundle drops are removed again.

# file_matches SOURCE TARGET MODE OWNER GROUP: whether TARGET already is SOURCE with that mode
# and owner.
file_matches() {
  local uid gid
  if [[ ! -f $2 ]] || ! cmp -s -- "$1" "$2"; then return 1; fi
  uid=$(id -u "$4" 2>/dev/null) || uid=$4
  gid=$(getent group "$5" | cut -d: -f3) || gid=$5
  [[ $(stat -c '%a %u %g' -- "$2") == "$(printf '%o' "$((8#$3))") ${uid:-$4} ${gid:-$5}" ]]
}

# file_write SOURCE TARGET MODE OWNER GROUP
file_write() {
  local dir=${2%/*} tmp
  mkdir -p -- "$dir"
  tmp=$(mktemp "$dir/.config-manager.XXXXXX")
  cp -- "$1" "$tmp"
  chown -- "$4:$5" "$tmp"
  chmod -- "$3" "$tmp"
  mv -f -- "$tmp" "$2"
}

# files_apply BUNDLE: the files step of an apply.
files_apply() {
  local bundle=$1 mode owner group path source dest
  mkdir -p -- "$MANAGED/content"
  while read -r mode owner group path; do
    source=$bundle/files/content$path
    dest=$(target "$path")
    if file_matches "$source" "$dest" "$mode" "$owner" "$group"; then
      info "$path is up to date"
    elif ((CM_DRY_RUN)); then
      info "would write $path (mode $mode, $owner:$group)"
      continue
    else
      file_write "$source" "$dest" "$mode" "$owner" "$group"
      printf '%s\n' "$path" >>"$RUN/files_written"
      info "wrote $path"
    fi
    if ((!CM_DRY_RUN)); then
      mkdir -p -- "$(dirname -- "$MANAGED/content$path")"
      cp -- "$source" "$MANAGED/content$path"
    fi
  done < <(bundle_files "$bundle")
  files_drop "$bundle"
  if ((!CM_DRY_RUN)); then bundle_files "$bundle" >"$MANAGED/files"; fi
}

# files_drop BUNDLE: managed files the bundle no longer lists are removed when unchanged since
# config-manager wrote them, and otherwise left in place and no longer managed.
files_drop() {
  local path dest
  [[ -f $MANAGED/files ]] || return 0
  while read -r _ _ _ path; do
    bundle_has_file "$1" "$path" && continue
    dest=$(target "$path")
    if ((CM_DRY_RUN)); then
      info "would stop managing $path"
      continue
    fi
    if local_change "$path"; then
      warn "$path left in place: changed in the container, and no longer in the bundle"
    elif [[ -e $dest ]]; then
      rm -f -- "$dest"
      printf '%s\n' "$path" >>"$RUN/files_removed"
      info "removed $path (no longer in the bundle)"
    fi
    rm -f -- "$MANAGED/content$path"
  done <"$MANAGED/files"
}
