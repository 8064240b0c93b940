# shellcheck shell=bash
# Sourced by config-manager, which runs under `set -Eeuo pipefail` with its ERR trap: a library
# leaves its caller's shell options alone, so it sets none of its own.
# Custom packages: a bundle script packages/custom/NAME that takes `install` or `remove`. What is
# installed is what config-manager remembers installing; the script is kept so that it can still
# remove its package after a later bundle dropped it.

pkg_custom_detect() { return 0; }

pkg_custom_install() {
  local entry name
  mkdir -p -- "$MANAGED/custom"
  for entry in "$@"; do
    name=${entry%%=*}
    bash "$BUNDLE/packages/custom/$name" install || return
    cp -- "$BUNDLE/packages/custom/$name" "$MANAGED/custom/$name"
    printf '%s\n' "$entry" >"$MANAGED/custom/$name.installed"
  done
}

pkg_custom_remove() {
  local name
  for name in "$@"; do
    bash "$MANAGED/custom/$name" remove || return
    rm -f -- "$MANAGED/custom/$name" "$MANAGED/custom/$name.installed"
  done
}

pkg_custom_list_installed() {
  local file
  for file in "$MANAGED"/custom/*.installed; do
    if [[ -f $file ]]; then cat -- "$file"; fi
  done
}
