# shellcheck shell=bash
# Sourced by config-manager, which runs under `set -Eeuo pipefail` with its ERR trap: a library
# leaves its caller's shell options alone, so it sets none of its own.
# apt (Debian, Ubuntu). Entries: name or name=version, apt's own pinning syntax.

pkg_apt_detect() { command -v apt-get >/dev/null && command -v dpkg-query >/dev/null; }

pkg_apt_install() {
  # The package lists of a fresh container are empty or stale: refresh them once per run.
  if [[ ! -e $RUN/apt-updated ]]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -q || return 75
    : >"$RUN/apt-updated"
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
}

pkg_apt_remove() { DEBIAN_FRONTEND=noninteractive apt-get remove -y -q "$@"; }

pkg_apt_list_installed() {
  dpkg-query -W -f='${Package}=${Version} ${db:Status-Status}\n' | while read -r entry status; do
    if [[ $status == installed ]]; then printf '%s\n' "$entry"; fi
  done
}
