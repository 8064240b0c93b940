# shellcheck shell=bash
# Sourced by config-manager, which runs under `set -Eeuo pipefail` with its ERR trap: a library
# leaves its caller's shell options alone, so it sets none of its own.
# npm, global packages. Entries: name or name=version (scoped names like @scope/tool work).

pkg_npm_detect() { command -v npm >/dev/null; }

pkg_npm_install() {
  local entry specs=()
  for entry in "$@"; do specs+=("${entry/=/@}"); done
  npm install --global --no-fund --no-audit --loglevel=error "${specs[@]}"
}

pkg_npm_remove() { npm uninstall --global --loglevel=error "$@"; }

# `npm ls --parseable --long` prints PATH:NAME@VERSION per package; the first line is the prefix.
pkg_npm_list_installed() {
  local line spec
  npm ls --global --depth=0 --parseable --long 2>/dev/null | while IFS= read -r line; do
    [[ $line == */node_modules/* ]] || continue
    spec=${line##*:}
    printf '%s=%s\n' "${spec%@*}" "${spec##*@}"
  done
}
