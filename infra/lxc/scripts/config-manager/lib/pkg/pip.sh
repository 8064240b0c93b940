# shellcheck shell=bash
# Sourced by config-manager, which runs under `set -Eeuo pipefail` with its ERR trap: a library
# leaves its caller's shell options alone, so it sets none of its own.
# pip, system-wide (CM_PIP, default pip3). Entries: name or name=version (pip spells it ==).

pkg_pip_detect() { command -v "${CM_PIP:-pip3}" >/dev/null; }

# A container is the whole system: PEP 668's guard against mixing pip and apt is lifted on
# purpose (newer pips read the variable, older ones ignore it).
pkg_pip() { PIP_BREAK_SYSTEM_PACKAGES=1 "${CM_PIP:-pip3}" "$@" --no-input --disable-pip-version-check; }

pkg_pip_install() {
  local entry specs=()
  for entry in "$@"; do specs+=("${entry/=/==}"); done
  pkg_pip install --quiet "${specs[@]}"
}

pkg_pip_remove() { pkg_pip uninstall --yes --quiet "$@"; }

# Names are compared as pip normalises them: lower case, - for _ and .
pkg_pip_list_installed() {
  local name version
  pkg_pip list --format=freeze 2>/dev/null | while IFS='=' read -r name _ version; do
    name=${name,,}
    name=${name//[_.]/-}
    printf '%s=%s\n' "$name" "$version"
  done
}
