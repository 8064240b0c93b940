# shellcheck shell=bash
# Shared by the config-manager suites: a throwaway root, state and bundle per test, stub package
# managers on PATH, and a digest of a directory tree to compare trees byte for byte.

CM_DIR=$(cd -- "$BATS_TEST_DIRNAME/.." && pwd)
export CM=$CM_DIR/config-manager

cm_setup() {
  export CM_ROOT=$BATS_TEST_TMPDIR/root CM_STATE=$BATS_TEST_TMPDIR/state
  export CM_CONFIG=$BATS_TEST_TMPDIR/config-manager.conf
  export STUB_LOG=$BATS_TEST_TMPDIR/calls.log STUB_DB=$BATS_TEST_TMPDIR/db
  unset CM_SNAPSHOT_BACKEND CM_SNAPSHOT_TARGET CM_SNAPSHOT_PATHS CM_SNAPSHOT_KEEP CM_LOG_FILE BERTH_DRY_RUN
  BUNDLE=$BATS_TEST_TMPDIR/bundle
  # Managed files belong to whoever runs the suite, so that it runs without root too.
  export ME MY_GROUP
  ME=$(id -un) MY_GROUP=$(id -gn)
  mkdir -p -- "$CM_ROOT" "$BATS_TEST_TMPDIR/bin"
  : >"$STUB_LOG"
  PATH=$BATS_TEST_TMPDIR/bin:$PATH
  make_bundle demo 1
}

# stub TOOL...: the stub package manager on PATH under each name.
stub() {
  local tool
  for tool in "$@"; do ln -sf -- "$CM_DIR/tests/stubs/package-manager" "$BATS_TEST_TMPDIR/bin/$tool"; done
}

# make_bundle NAME VERSION: an empty bundle at $BUNDLE.
make_bundle() {
  rm -rf -- "$BUNDLE"
  mkdir -p -- "$BUNDLE"
  printf 'name=%s\nversion=%s\n' "$1" "$2" >"$BUNDLE/bundle.conf"
}

# add_file PATH MODE OWNER GROUP CONTENT
add_file() {
  mkdir -p -- "$(dirname -- "$BUNDLE/files/content$1")"
  printf '%s' "$5" >"$BUNDLE/files/content$1"
  printf '%s %s %s %s\n' "$2" "$3" "$4" "$1" >>"$BUNDLE/files/manifest"
}

# drop_file PATH: takes PATH out of the bundle.
drop_file() {
  grep -v -- " $1\$" "$BUNDLE/files/manifest" >"$BUNDLE/files/manifest.new" || true
  mv -- "$BUNDLE/files/manifest.new" "$BUNDLE/files/manifest"
  rm -f -- "$BUNDLE/files/content$1"
}

# set_packages MANAGER ENTRY...: the bundle's list for one manager.
set_packages() {
  mkdir -p -- "$BUNDLE/packages"
  printf '%s\n' "${@:2}" >"$BUNDLE/packages/$1.list"
}

# add_script NAME BODY
add_script() {
  mkdir -p -- "$BUNDLE/scripts"
  printf '%s\n' "$2" >"$BUNDLE/scripts/$1"
}

# tree_digest DIR: every entry under DIR with its type, mode, owner, size, link target and, for
# files, content checksum: equal digests mean byte-for-byte equal trees.
tree_digest() {
  (cd -- "$1" && find . -printf '%p %y %m %u %g %s %l\n' | sort &&
    find . -type f -print0 | sort -z | xargs -0r sha256sum)
}

# calls PATTERN: the recorded stub calls that match PATTERN (grep -E).
calls() { grep -E -- "$1" "$STUB_LOG" || true; }
