# shellcheck shell=bash
# A loop device over a sparse image file, for the suites that need a real filesystem. Needs root;
# the callers skip with the reason when it cannot be had.

# loop_attach SIZE: sets LOOP_DEV, or fails with the reason in LOOP_WHY.
loop_attach() {
  LOOP_IMAGE=$BATS_FILE_TMPDIR/disk.img
  LOOP_DEV=
  if ((EUID != 0)); then export LOOP_WHY="needs root for loop devices"; return 1; fi
  truncate -s "$1" "$LOOP_IMAGE"
  LOOP_DEV=$(losetup --find --show "$LOOP_IMAGE" 2>/dev/null) || {
    export LOOP_WHY="no loop device could be set up here"
    return 1
  }
}

loop_detach() {
  if [[ -n ${LOOP_DEV:-} ]]; then losetup -d "$LOOP_DEV" 2>/dev/null || true; fi
  if [[ -n ${LOOP_IMAGE:-} ]]; then rm -f -- "$LOOP_IMAGE"; fi
}

# unmount DIR: unmounts when mounted, lazily if it is busy, so that teardown always goes on.
unmount() {
  if mountpoint -q -- "$1"; then umount -- "$1" 2>/dev/null || umount -l -- "$1"; fi
}
