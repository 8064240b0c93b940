# shellcheck shell=bash
# Sourced by config-manager, which runs under `set -Eeuo pipefail` with its ERR trap: a library
# leaves its caller's shell options alone, so it sets none of its own.
# dnf (Fedora, RHEL and relatives). Entries: name or name=version; dnf spells a pin name-version.

pkg_dnf_detect() { command -v dnf >/dev/null && command -v rpm >/dev/null; }

pkg_dnf_install() {
  local entry specs=()
  for entry in "$@"; do specs+=("${entry/=/-}"); done
  dnf install -y -q "${specs[@]}"
}

pkg_dnf_remove() { dnf remove -y -q "$@"; }
pkg_dnf_list_installed() { rpm -qa --qf '%{NAME}=%{VERSION}-%{RELEASE}\n'; }
