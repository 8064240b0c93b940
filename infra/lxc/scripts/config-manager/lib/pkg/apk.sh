# shellcheck shell=bash
# Sourced by config-manager, which runs under `set -Eeuo pipefail` with its ERR trap: a library
# leaves its caller's shell options alone, so it sets none of its own.
# apk (Alpine). Entries: name or name=version, apk's own pinning syntax.

pkg_apk_detect() { command -v apk >/dev/null; }
pkg_apk_install() { apk add --no-cache --quiet "$@"; }
pkg_apk_remove() { apk del --quiet "$@"; }

# `apk info -v` prints name-version-rN; the name itself may contain dashes.
pkg_apk_list_installed() {
  local line version
  apk info -v 2>/dev/null | while IFS= read -r line; do
    [[ $line =~ ^(.+)-([^-]+-r[0-9]+)$ ]] || continue
    version=${BASH_REMATCH[2]}
    printf '%s=%s\n' "${BASH_REMATCH[1]}" "$version"
  done
}
