# shellcheck shell=bash
# Sourced by config-manager, which runs under `set -Eeuo pipefail` with its ERR trap: a library
# leaves its caller's shell options alone, so it sets none of its own.
# The bundle: the directory the worker pushes into the container, describing the whole desired
# state (the README documents its layout). Everything here reads it; nothing here changes the system.

PACKAGE_MANAGERS=(apt apk dnf pip npm custom)

# entries FILE: the meaningful lines of a list file (no blanks, no # comments, trimmed).
entries() {
  local line
  [[ -f $1 ]] || return 0
  while IFS= read -r line || [[ -n $line ]]; do
    line=${line%%#*}
    line=${line//[[:space:]]/}
    [[ -z $line ]] || printf '%s\n' "$line"
  done <"$1"
}

# bundle_packages BUNDLE MANAGER: the wanted entries (name or name=version) for one manager.
# Custom packages are the scripts in packages/custom/, versioned by their checksum so that a
# changed script counts as a new version.
bundle_packages() {
  local script
  if [[ $2 != custom ]]; then
    entries "$1/packages/$2.list"
    return 0
  fi
  for script in "$1"/packages/custom/*; do
    [[ -f $script ]] || continue
    printf '%s=%s\n' "${script##*/}" "$(sha256sum <"$script" | cut -c1-16)"
  done
}

# bundle_files BUNDLE: the manifest as "MODE OWNER GROUP PATH" lines.
bundle_files() {
  local mode owner group path
  [[ -f $1/files/manifest ]] || return 0
  while read -r mode owner group path || [[ -n $mode ]]; do
    [[ -n $mode && $mode != '#'* ]] || continue
    printf '%s %s %s %s\n' "$mode" "$owner" "$group" "$path"
  done <"$1/files/manifest"
}

# bundle_has_file BUNDLE PATH: whether the manifest lists PATH.
bundle_has_file() { bundle_files "$1" | cut -d' ' -f4- | grep -qxF -- "$2"; }

bundle_scripts() {
  local script
  for script in "$1"/scripts/*; do
    if [[ -f $script ]]; then printf '%s\n' "$script"; fi
  done
}

# bundle_check BUNDLE: dies with 65 (bad bundle) on the first thing that is wrong.
bundle_check() {
  local dir=$1 file manager entry mode owner group path
  [[ -d $dir ]] || die 65 "bundle not found: $dir"
  [[ -f $dir/bundle.conf ]] || die 65 "$dir/bundle.conf is missing"
  [[ $(kv_get "$dir/bundle.conf" name) =~ ^[a-z0-9][a-z0-9-]*$ ]] || die 65 "bundle.conf: name must be a slug"
  for file in "$dir"/packages/*.list; do
    [[ -f $file ]] || continue
    manager=${file##*/}
    manager=${manager%.list}
    [[ " ${PACKAGE_MANAGERS[*]} " == *" $manager "* && $manager != custom ]] ||
      die 65 "packages/${file##*/}: unknown package manager '$manager'"
    while IFS= read -r entry; do
      [[ $entry =~ ^[A-Za-z0-9@][A-Za-z0-9@/._+-]*(=[A-Za-z0-9._+:~-]+)?$ ]] ||
        die 65 "packages/${file##*/}: bad entry '$entry'"
    done < <(entries "$file")
  done
  while read -r mode owner group path; do
    [[ $mode =~ ^0?[0-7]{3,4}$ ]] || die 65 "files/manifest: bad mode '$mode' for $path"
    [[ $owner =~ ^[a-z_][a-z0-9_-]*$|^[0-9]+$ && $group =~ ^[a-z_][a-z0-9_-]*$|^[0-9]+$ ]] ||
      die 65 "files/manifest: bad owner or group for $path"
    [[ $path == /* && $path != */ && $path != *'/../'* && $path != */.. ]] ||
      die 65 "files/manifest: the path must be absolute and plain: '$path'"
    [[ -f $dir/files/content$path ]] || die 65 "files/content$path is missing"
  done < <(bundle_files "$dir")
  bundle_env "$dir" >/dev/null
}

# bundle_env BUNDLE: the KEY=VALUE lines of the bundle's env file, checked (it is never sourced).
bundle_env() {
  local line
  [[ -f $1/env ]] || return 0
  while IFS= read -r line || [[ -n $line ]]; do
    [[ -n $line && $line != '#'* ]] || continue
    [[ $line =~ ^[A-Z_][A-Z0-9_]*= ]] || die 65 "env: bad line '${line%%=*}=…'"
    printf '%s\n' "$line"
  done <"$1/env"
}
