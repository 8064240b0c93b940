# shellcheck shell=bash
# Sourced by config-manager, which runs under `set -Eeuo pipefail` with its ERR trap: a library
# leaves its caller's shell options alone, so it sets none of its own.
# The directory backend, for containers on any filesystem: a copy (cp -a: content, mode, owner,
# times, links) of the managed paths: the files of the last and of the coming bundle, and the
# extra paths in CM_SNAPSHOT_PATHS (colon-separated). Package contents are not covered; the
# filesystem backends cover everything on their volume.

snap_directory_available() { return 0; }

# directory_paths: the paths to copy, one a line, sorted.
directory_paths() {
  local path extra=()
  {
    if [[ -f $MANAGED/files ]]; then cut -d' ' -f4- "$MANAGED/files"; fi
    if [[ -n ${BUNDLE:-} ]]; then bundle_files "$BUNDLE" | cut -d' ' -f4-; fi
    IFS=: read -r -a extra <<<"$CM_SNAPSHOT_PATHS"
    for path in ${extra[@]+"${extra[@]}"}; do printf '%s\n' "${path%/}"; done
  } | sort -u
}

# missing_top PATH: PATH's topmost ancestor (or PATH itself) that does not exist, so that a
# restore removes whole directories an apply created.
missing_top() {
  local path=$1
  while [[ ${path%/*} != '' ]] && [[ ! -e $(target "${path%/*}") ]]; do path=${path%/*}; done
  printf '%s' "$path"
}

snap_directory_create() {
  local dir=$2 path
  mkdir -p -- "$dir/tree"
  while IFS= read -r path; do
    [[ $path == /* ]] || { warn "CM_SNAPSHOT_PATHS: '$path' is not absolute"; return 1; }
    if [[ -e $(target "$path") || -L $(target "$path") ]]; then
      (cd -- "${CM_ROOT:-/}" && cp -a --parents -- ".$path" "$dir/tree/") || return
      printf 'present %s\n' "$path"
    else
      printf 'absent %s\n' "$(missing_top "$path")"
    fi
  done < <(directory_paths) | sort -u >"$dir/paths"
}

# A path is copied back beside itself first and then swapped in, so that a failing copy leaves
# the path as it was instead of gone.
snap_directory_restore() {
  local dir=$2 state path dest
  while read -r state path; do
    dest=$(target "$path")
    if [[ $state == present ]]; then
      mkdir -p -- "$(dirname -- "$dest")"
      rm -rf -- "$dest.cm-restore"
      cp -a -- "$dir/tree$path" "$dest.cm-restore" || return
    fi
    rm -rf -- "$dest"
    if [[ $state == present ]]; then mv -T -- "$dest.cm-restore" "$dest"; fi
  done <"$dir/paths"
}

snap_directory_verify() {
  local dir=$2 state path dest
  while read -r state path; do
    dest=$(target "$path")
    if [[ $state == absent ]]; then
      [[ ! -e $dest && ! -L $dest ]] || return 1
    else
      diff -r --no-dereference -- "$dir/tree$path" "$dest" >/dev/null || return 1
      [[ $(stat -c '%a %u %g' -- "$dir/tree$path") == $(stat -c '%a %u %g' -- "$dest") ]] || return 1
    fi
  done <"$dir/paths"
}

snap_directory_delete() { return 0; }
