#!/usr/bin/env bats
# The LUKSO node's install.sh and start.sh in a throwaway root, with a fake LUKSO CLI, downloads
# and systemd: what the first run does, and that a second run changes nothing.

setup() {
  load "${BATS_TEST_DIRNAME%/infra/*}/infra/tests/throwaway-root"
  root_setup
  DIR=$INFRA_DIR/lukso-node
  export LUKSO_CLI_VERSION=v0.24.0 LUKSO_WAIT_SECS=0
}

# cli_fixtures [SUM]: the pinned CLI release and its checksum file (SUM: a wrong checksum).
cli_fixtures() {
  local asset
  for asset in lukso-x86_64-unknown-linux-musl.tar.gz lukso-aarch64-unknown-linux-musl.tar.gz; do
    fake_tarball "$asset" lukso
    fixture "$asset.sha256" "${1:-$(sha256sum <"$BT/fixtures/$asset" | cut -d' ' -f1)}"
  done
}

@test "install: the pinned CLI, init, clients, RPC settings; a second run changes nothing" {
  cli_fixtures
  output=$(run_twice bash "$DIR/install.sh")
  [ -x "$TR/upper/usr/local/bin/lukso" ]
  grep -q '^executionclient: geth' "$TR/upper/opt/lukso-node/cli-config.yml"
  grep -qx 'HTTPHost = "0.0.0.0"' "$TR/upper/opt/lukso-node/configs/mainnet/geth/geth.toml"
  grep -qx 'HTTPModules = \["net", "eth", "web3"\]' "$TR/upper/opt/lukso-node/configs/mainnet/geth/geth.toml"
  [ -n "$(first_calls '^curl')" ] && [ -z "$(root_calls '^curl')" ]
  [[ $output == *"clients are installed"* ]]
}

@test "install: a checksum mismatch is 69; a failed download is 75" {
  cli_fixtures 0000000000000000000000000000000000000000000000000000000000000000
  run in_root bash "$DIR/install.sh"
  [ "$status" -eq 69 ]
  [ ! -e "$TR/upper/usr/local/bin/lukso" ]
  FAKE_HTTP_CODE=502 run in_root bash "$DIR/install.sh"
  [ "$status" -eq 75 ]
}

@test "install: unknown clients and networks are usage errors (64)" {
  LUKSO_EXECUTION=parity run in_root bash "$DIR/install.sh"
  [ "$status" -eq 64 ]
  run in_root bash "$DIR/install.sh" --network devnet
  [ "$status" -eq 64 ]
}

# installed_node: what start.sh needs from install.sh.
installed_node() {
  ln -s "$INFRA_DIR/tests/stubs/fake" "$BT/bin/lukso"
  mkdir -p "$TR/upper/opt/lukso-node/configs"
}

@test "start: writes the unit, enables and starts it; a second run changes nothing" {
  installed_node
  run_twice bash "$DIR/start.sh"
  unit=$TR/upper/etc/systemd/system/lukso-node.service
  grep -qx 'ExecStart=/berth-test/bin/lukso start --mainnet --checkpoint-sync' "$unit"
  grep -qx 'WorkingDirectory=/opt/lukso-node' "$unit"
  [ "$(first_calls '^systemctl (enable|restart)')" = "systemctl enable lukso-node.service
systemctl restart lukso-node.service" ]
  [ -z "$(root_calls '^systemctl (enable|restart|start)')" ]
}

@test "start: testnet without checkpoint sync, extra flags; a changed unit restarts the node" {
  installed_node
  in_root bash "$DIR/start.sh"
  root_forget_calls
  BERTH_INPUT_NETWORK=testnet BERTH_INPUT_CHECKPOINT_SYNC=false LUKSO_START_FLAGS='--logs-folder /var/log/lukso' \
    run in_root bash "$DIR/start.sh"
  [ "$status" -eq 0 ]
  grep -qx 'ExecStart=/berth-test/bin/lukso start --testnet --logs-folder /var/log/lukso' \
    "$TR/upper/etc/systemd/system/lukso-node.service"
  [ "$(root_calls '^systemctl restart')" = "systemctl restart lukso-node.service" ]
}

@test "start: not installed is unavailable (69); flags systemd would misread are usage errors (64)" {
  run in_root bash "$DIR/start.sh"
  [ "$status" -eq 69 ]
  installed_node
  LUKSO_START_FLAGS='--x "$(reboot)"' run in_root bash "$DIR/start.sh"
  [ "$status" -eq 64 ]
}

@test "install and start: --dry-run changes nothing" {
  cli_fixtures
  before=$(root_digest)
  run in_root bash "$DIR/install.sh" --dry-run
  [ "$status" -eq 0 ]
  run in_root bash "$DIR/start.sh" --dry-run
  [ "$status" -eq 0 ]
  [ "$before" = "$(root_digest)" ]
  [ -z "$(root_calls '^(curl|systemctl (enable|restart|start))')" ]
}
