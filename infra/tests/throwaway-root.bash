# shellcheck shell=bash
# A throwaway root for running the installers for real: an overlay over this machine's / (so
# the scripts find bash, coreutils, dpkg, useradd…) whose changes land in a per-test upper
# directory, entered with chroot in a private mount namespace. The network and system tools are
# replaced by stubs/fake, so a run is fast, offline and recorded. Needs root and overlayfs;
# root_setup skips the test, saying why, where that is impossible.

INFRA_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
export INFRA_DIR

# The tools stubs/fake stands in for.
FAKE_TOOLS=(curl systemctl apt-get dpkg-query npm git python3 docker ss nvidia-smi)

# root_setup [TOOL...]: a fresh throwaway root in $TR; the fake is linked under FAKE_TOOLS minus
# the tools named (nvidia-smi only when asked for: its presence means a GPU).
root_setup() {
  local tool
  ((EUID == 0)) || skip "the throwaway root needs root (overlayfs, chroot)"
  command -v unshare >/dev/null || skip "unshare (util-linux) is missing"
  TR=$BATS_TEST_TMPDIR/tr
  BT=$TR/upper/berth-test
  mkdir -p "$TR/work" "$TR/root" "$BT/bin" "$BT/fixtures" "$BT/state" "$TR/upper/run/systemd/system"
  for tool in "${FAKE_TOOLS[@]}"; do
    if [[ $tool != nvidia-smi && " $* " != *" $tool "* ]]; then ln -s "$INFRA_DIR/tests/stubs/fake" "$BT/bin/$tool"; fi
  done
  export TR BT FAKE_STATE=/berth-test/state FAKE_LOG=/berth-test/calls.log FAKE_FIXTURES=/berth-test/fixtures
  unset BERTH_DRY_RUN FAKE_HTTP_CODE
  in_root true 2>/dev/null || skip "cannot mount an overlay over / here"
}

# with_gpu: nvidia-smi is there and lists a GPU.
with_gpu() { ln -s "$INFRA_DIR/tests/stubs/fake" "$BT/bin/nvidia-smi"; }

# in_root COMMAND...: runs COMMAND inside the throwaway root, with the fakes first on PATH.
in_root() { unshare --mount -- "$INFRA_DIR/tests/enter-root" "$TR" "$INFRA_DIR" "$@"; }

# root_digest: what the runs changed (the overlay's upper directory without the fakes' own
# records), as one line per entry with content checksums: equal digests, equal changes.
root_digest() {
  (cd -- "$TR/upper" && find . \( -path ./berth-test -o -path ./tmp \) -prune -o -printf '%p %y %m %u %g %s %l\n' | sort &&
    find . \( -path ./berth-test -o -path ./tmp \) -prune -o -type f -print0 | sort -z | xargs -0r sha256sum)
}

# root_calls PATTERN: the recorded tool calls matching PATTERN (grep -E).
root_calls() { grep -E -- "$1" "$BT/calls.log" 2>/dev/null || true; }

# root_forget_calls: empties the call record (between a first and a second run).
root_forget_calls() { : >"$BT/calls.log"; }

# root_file PATH: PATH as the throwaway root has it (changed or not).
root_file() {
  if [[ -e $TR/upper$1 || -L $TR/upper$1 ]]; then printf '%s' "$TR/upper$1"; else printf '%s' "$1"; fi
}

# fake_tarball NAME MEMBER... -- creates fixture NAME (.tar.gz or .tar.xz) whose members are
# copies of the fake under the given paths.
fake_tarball() {
  local name=$1 dir=$BATS_TEST_TMPDIR/tarball member tops
  shift
  rm -rf -- "$dir"
  for member in "$@"; do
    mkdir -p -- "$dir/$(dirname -- "$member")"
    cp -- "$INFRA_DIR/tests/stubs/fake" "$dir/$member"
  done
  mapfile -t tops < <(printf '%s\n' "${@%%/*}" | sort -u)
  case $name in
    *.tar.xz) tar -cJf "$BT/fixtures/$name" -C "$dir" "${tops[@]}" ;;
    *) tar -czf "$BT/fixtures/$name" -C "$dir" "${tops[@]}" ;;
  esac
}

# fixture NAME CONTENT: a download with this content.
fixture() { printf '%s' "$2" >"$BT/fixtures/$1"; }

# root_uid USER: USER's uid in the throwaway root (users it created are unknown outside).
root_uid() { awk -F: -v user="$1" '$1 == user { print $3 }' "$(root_file /etc/passwd)"; }

# run_twice COMMAND...: runs COMMAND in the root twice; both runs must succeed and the second
# must change nothing. Prints the second run's output; afterwards root_calls answers for the
# second run and first_calls PATTERN for the first.
run_twice() {
  local first out
  out=$(in_root "$@" 2>&1) || { printf 'the first run failed:\n%s\n' "$out"; return 1; }
  first=$(root_digest)
  mv -- "$BT/calls.log" "$BT/first-calls.log"
  out=$(in_root "$@" 2>&1) || { printf 'the second run failed:\n%s\n' "$out"; return 1; }
  printf '%s\n' "$out"
  [[ $first == "$(root_digest)" ]] || { echo "the second run changed the root"; return 1; }
}

first_calls() { grep -E -- "$1" "$BT/first-calls.log" 2>/dev/null || true; }
