# shellcheck shell=bash
# Sourced by config-manager, which runs under `set -Eeuo pipefail` with its ERR trap: a library
# leaves its caller's shell options alone, so it sets none of its own.
# Package buckets. Every manager is a handler with the same four functions, pkg_<manager>_detect,
# _install ENTRY..., _remove NAME... and _list_installed (NAME=VERSION lines), so that this file
# plans the same way for all: install what is wanted and missing, remove what an earlier bundle
# installed and this one dropped, touch nothing else.

# pkg MANAGER ACTION ARGS...: calls one handler function.
pkg() {
  local manager=$1 action=$2
  shift 2
  "pkg_${manager}_${action}" "$@"
}

# packages_preflight BUNDLE: every manager the bundle (or the last one) uses must be here (69).
packages_preflight() {
  local manager
  for manager in "${PACKAGE_MANAGERS[@]}"; do
    if [[ -n $(bundle_packages "$1" "$manager") || -s $MANAGED/packages/$manager ]]; then
      pkg "$manager" detect || die 69 "the bundle has $manager packages but $manager is not available here"
    fi
  done
}

# satisfied ENTRY: whether the installed list (the INSTALLED map) has it; name=1.2 is met by 1.2
# and by a packaging revision of it such as 1.2-1.
satisfied() {
  local name=${1%%=*} want=${1#*=}
  [[ -v INSTALLED[$name] ]] || return 1
  [[ $1 != *=* || ${INSTALLED[$name]} == "$want" || ${INSTALLED[$name]} == "$want"-* ]]
}

# packages_plan BUNDLE MANAGER: sets TO_INSTALL (entries) and TO_REMOVE (names).
packages_plan() {
  local entry name
  local -A wanted=()
  declare -gA INSTALLED=()
  TO_INSTALL=()
  TO_REMOVE=()
  while IFS= read -r entry; do INSTALLED[${entry%%=*}]=${entry#*=}; done < <(pkg "$2" list_installed)
  while IFS= read -r entry; do
    wanted[${entry%%=*}]=1
    satisfied "$entry" || TO_INSTALL+=("$entry")
  done < <(bundle_packages "$1" "$2")
  while IFS= read -r entry; do
    name=${entry%%=*}
    if [[ ! -v wanted[$name] && -v INSTALLED[$name] ]]; then TO_REMOVE+=("$name"); fi
  done < <(entries "$MANAGED/packages/$2")
}

# packages_apply BUNDLE: the packages step of an apply.
packages_apply() {
  local bundle=$1 manager entry
  mkdir -p -- "$MANAGED/packages"
  for manager in "${PACKAGE_MANAGERS[@]}"; do
    [[ -n $(bundle_packages "$bundle" "$manager") || -s $MANAGED/packages/$manager ]] || continue
    packages_plan "$bundle" "$manager"
    if ((${#TO_INSTALL[@]} == 0 && ${#TO_REMOVE[@]} == 0)); then
      info "$manager: every package is installed"
    elif ((CM_DRY_RUN)); then
      info "$manager: would install: ${TO_INSTALL[*]:-nothing}; would remove: ${TO_REMOVE[*]:-nothing}"
      continue
    fi
    if ((${#TO_INSTALL[@]})); then
      info "$manager: installing ${TO_INSTALL[*]}"
      pkg "$manager" install "${TO_INSTALL[@]}" || return
      for entry in "${TO_INSTALL[@]}"; do printf '%s:%s\n' "$manager" "$entry" >>"$RUN/packages_installed"; done
    fi
    if ((${#TO_REMOVE[@]})); then
      info "$manager: removing ${TO_REMOVE[*]} (no longer in the bundle)"
      pkg "$manager" remove "${TO_REMOVE[@]}" || return
      for entry in "${TO_REMOVE[@]}"; do printf '%s:%s\n' "$manager" "$entry" >>"$RUN/packages_removed"; done
    fi
    bundle_packages "$bundle" "$manager" >"$MANAGED/packages/$manager"
  done
}
