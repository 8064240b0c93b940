# shellcheck shell=bash
# Sourced by config-manager, which runs under `set -Eeuo pipefail` with its ERR trap: a library
# leaves its caller's shell options alone, so it sets none of its own.
# Settings: flags win over the environment, the environment over the config file, the file over
# the defaults. The config file is KEY=VALUE lines; it is parsed, never sourced.

CM_SETTINGS=(CM_ROOT CM_STATE CM_SNAPSHOT_BACKEND CM_SNAPSHOT_TARGET CM_SNAPSHOT_PATHS
  CM_SNAPSHOT_KEEP CM_BTRFS_SNAPSHOTS CM_LVM_MOUNT CM_SCRIPT_TIMEOUT CM_LOG_FILE)

# settings_load FILE: fills every setting the environment left empty; GIVEN=1 means the file
# was asked for by name and must exist.
settings_load() {
  local file=$1 given=${2:-0} key value
  if [[ -f $file ]]; then
    while IFS='=' read -r key value || [[ -n $key ]]; do
      key=${key//[[:space:]]/}
      [[ -n $key && $key != '#'* ]] || continue
      value=${value#"${value%%[![:space:]]*}"}
      value=${value%"${value##*[![:space:]]}"}
      value=${value#[\"\']}
      value=${value%[\"\']}
      [[ " ${CM_SETTINGS[*]} " == *" $key "* ]] || die 64 "$file: unknown setting '$key'"
      if [[ -z ${!key:-} ]]; then printf -v "$key" '%s' "$value"; fi
    done <"$file"
  elif ((given)); then
    die 64 "config file not found: $file"
  fi
  : "${CM_ROOT:=/}" "${CM_STATE:=/var/lib/berth/config-manager}" "${CM_SNAPSHOT_BACKEND:=auto}"
  : "${CM_SNAPSHOT_TARGET:=}" "${CM_SNAPSHOT_PATHS:=}" "${CM_SNAPSHOT_KEEP:=5}" "${CM_BTRFS_SNAPSHOTS:=}"
  : "${CM_LVM_MOUNT:=}" "${CM_SCRIPT_TIMEOUT:=1800}" "${CM_LOG_FILE:=}"
  CM_ROOT=${CM_ROOT%/}
  [[ $CM_SNAPSHOT_BACKEND =~ ^(auto|btrfs|lvm-thin|zfs|directory|none)$ ]] ||
    die 64 "CM_SNAPSHOT_BACKEND must be auto, btrfs, lvm-thin, zfs, directory or none"
  [[ $CM_SNAPSHOT_KEEP =~ ^[1-9][0-9]*$ ]] || die 64 "CM_SNAPSHOT_KEEP must be a number above 0"
  [[ $CM_SCRIPT_TIMEOUT =~ ^[1-9][0-9]*$ ]] || die 64 "CM_SCRIPT_TIMEOUT must be a number of seconds"
  [[ $CM_STATE == /* ]] || die 64 "CM_STATE must be an absolute path"
  MANAGED=$CM_STATE/managed
  SNAPSHOTS=$CM_STATE/snapshots
  RUN=$CM_STATE/run
}

# target PATH: where a managed path (absolute, as the bundle names it) lives on this machine.
target() { printf '%s%s' "$CM_ROOT" "$1"; }

# state_lock: one config-manager at a time; a second one is told to come back later (75).
state_lock() {
  mkdir -p -- "$CM_STATE" "$MANAGED" "$SNAPSHOTS" "$RUN"
  exec {CM_LOCK_FD}>"$CM_STATE/lock"
  flock -n "$CM_LOCK_FD" || die 75 "another config-manager run holds $CM_STATE/lock; retry later"
}

# kv_get FILE KEY: the value of KEY in a KEY=VALUE file, or nothing.
kv_get() {
  local key value
  [[ -f $1 ]] || return 0
  while IFS='=' read -r key value; do
    if [[ $key == "$2" ]]; then printf '%s' "$value"; return 0; fi
  done <"$1"
}
