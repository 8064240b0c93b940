#!/usr/bin/env bats
# enable-unattended-upgrades.sh in a throwaway root with a fake apt and systemd.

setup() {
  load "${BATS_TEST_DIRNAME%/infra/*}/infra/tests/throwaway-root"
  root_setup
  SCRIPT=$INFRA_DIR/lxc/templates/debian-base/enable-unattended-upgrades.sh
}

@test "installs the package, writes the settings, enables the timers; a second run changes nothing" {
  run_twice bash "$SCRIPT"
  [ "$(first_calls '^apt-get')" = "apt-get install -y --no-install-recommends unattended-upgrades" ]
  [ "$(first_calls '^systemctl enable')" = "systemctl enable --now apt-daily.timer
systemctl enable --now apt-daily-upgrade.timer" ]
  grep -qx 'APT::Periodic::Unattended-Upgrade "1";' "$TR/upper/etc/apt/apt.conf.d/20auto-upgrades"
  grep -qx 'Unattended-Upgrade::Automatic-Reboot "false";' "$TR/upper/etc/apt/apt.conf.d/52berth-unattended-upgrades"
  [ "$(stat -c %a "$TR/upper/etc/apt/apt.conf.d/20auto-upgrades")" = 644 ]
  [ -z "$(root_calls '^apt-get|systemctl enable')" ]
}

@test "--auto-reboot true rewrites only the reboot policy" {
  in_root bash "$SCRIPT"
  before=$(sha256sum <"$TR/upper/etc/apt/apt.conf.d/20auto-upgrades")
  BERTH_INPUT_AUTO_REBOOT=true UNATTENDED_REBOOT_TIME=03:30 run in_root bash "$SCRIPT"
  [ "$status" -eq 0 ]
  [[ $output == *"20auto-upgrades is up to date"* ]]
  grep -qx 'Unattended-Upgrade::Automatic-Reboot "true";' "$TR/upper/etc/apt/apt.conf.d/52berth-unattended-upgrades"
  grep -qx 'Unattended-Upgrade::Automatic-Reboot-Time "03:30";' "$TR/upper/etc/apt/apt.conf.d/52berth-unattended-upgrades"
  [ "$before" = "$(sha256sum <"$TR/upper/etc/apt/apt.conf.d/20auto-upgrades")" ]
}

@test "bad values are usage errors (64)" {
  run in_root bash "$SCRIPT" --auto-reboot maybe
  [ "$status" -eq 64 ]
  UNATTENDED_REBOOT_TIME=25:00 run in_root bash "$SCRIPT"
  [ "$status" -eq 64 ]
}

@test "apt-get failing is a temporary failure (75)" {
  FAKE_FAIL='apt-get install' run in_root bash "$SCRIPT"
  [ "$status" -eq 75 ]
}

@test "--dry-run changes nothing" {
  before=$(root_digest)
  run in_root bash "$SCRIPT" --dry-run
  [ "$status" -eq 0 ]
  [ "$before" = "$(root_digest)" ]
  [ -z "$(root_calls '^apt-get|systemctl enable')" ]
}
