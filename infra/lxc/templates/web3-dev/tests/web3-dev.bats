#!/usr/bin/env bats
# web3-dev's installers, run for real in a throwaway root with faked downloads, package manager,
# npm and systemd: what the first run does, and that a second run changes nothing.

setup() {
  load "${BATS_TEST_DIRNAME%/infra/*}/infra/tests/throwaway-root"
  root_setup
  DIR=$INFRA_DIR/lxc/templates/web3-dev
}

# node_fixtures [SUM]: the Node.js tarball and its SHASUMS256.txt (with SUM, a wrong checksum).
node_fixtures() {
  local name=node-v22.11.0-linux-x64 sum
  fake_tarball $name.tar.xz $name/bin/node $name/bin/npm $name/bin/npx $name/bin/corepack
  sum=${1:-$(sha256sum <"$BT/fixtures/$name.tar.xz" | cut -d' ' -f1)}
  fixture SHASUMS256.txt "$sum  $name.tar.xz
0000  node-v22.11.0-linux-arm64.tar.xz
"
}

@test "install-node: unpacks the checked tarball, links the commands; a second run changes nothing" {
  [[ $(uname -m) == x86_64 ]] || skip "the fixtures are for x86_64"
  node_fixtures
  output=$(run_twice bash "$DIR/install-node.sh")
  [ "$(readlink "$TR/upper/usr/local/bin/npm")" = /usr/local/lib/nodejs/node-v22.11.0-linux-x64/bin/npm ]
  [ -x "$TR/upper/usr/local/lib/nodejs/node-v22.11.0-linux-x64/bin/corepack" ]
  [ -z "$(root_calls '^curl')" ]
  [[ $output == *"node v22.11.0, npm 10.9.0"* ]]
}

@test "install-node: a checksum mismatch is unavailable (69), nothing installed" {
  node_fixtures 1111111111111111111111111111111111111111111111111111111111111111
  run in_root bash "$DIR/install-node.sh"
  [ "$status" -eq 69 ]
  [[ $output == *"checksum mismatch"* ]]
  [ ! -e "$TR/upper/usr/local/bin/node" ]
}

@test "install-node: a version that is not published is 69; a failed download is 75" {
  node_fixtures
  run in_root bash "$DIR/install-node.sh" --version 20.1.0
  [ "$status" -eq 69 ]
  FAKE_HTTP_CODE=503 run in_root bash "$DIR/install-node.sh"
  [ "$status" -eq 75 ]
  [[ $output == *"HTTP 503"* ]]
}

@test "install-code-server: user, package, config and service; a second run changes nothing" {
  fixture code-server_4.100.3_amd64.deb 'not really a deb'
  fixture code-server_4.100.3_arm64.deb 'not really a deb'
  export BERTH_INPUT_CODE_SERVER_PASSWORD="it's secret"
  run_twice bash "$DIR/install-code-server.sh"
  config=$TR/upper/home/dev/.config/code-server/config.yaml
  [ "$(stat -c '%a %u' "$config")" = "600 $(root_uid dev)" ]
  grep -qx "password: 'it''s secret'" "$config"
  grep -q '^dev:' "$TR/upper/etc/passwd"
  [ -z "$(root_calls '^(curl|apt-get|useradd)|systemctl (enable|restart|start)')" ]
}

@test "install-code-server: a new password rewrites the config and restarts the service" {
  fixture code-server_4.100.3_amd64.deb x
  fixture code-server_4.100.3_arm64.deb x
  BERTH_INPUT_CODE_SERVER_PASSWORD=one in_root bash "$DIR/install-code-server.sh"
  root_forget_calls
  BERTH_INPUT_CODE_SERVER_PASSWORD=two run in_root bash "$DIR/install-code-server.sh"
  [ "$status" -eq 0 ]
  [ "$(root_calls '^(apt-get|systemctl restart)')" = "systemctl restart code-server@dev" ]
}

@test "install-code-server: no password is a usage error (64)" {
  run in_root bash "$DIR/install-code-server.sh"
  [ "$status" -eq 64 ]
}

@test "install-filebrowser: binary, database with the admin, unit; a second run changes nothing" {
  fake_tarball linux-amd64-filebrowser.tar.gz filebrowser
  cp "$BT/fixtures/linux-amd64-filebrowser.tar.gz" "$BT/fixtures/linux-arm64-filebrowser.tar.gz"
  in_root useradd --create-home dev
  FILEBROWSER_PASSWORD=secret run_twice bash "$DIR/install-filebrowser.sh"
  [ "$(stat -c '%a %u' "$TR/upper/var/lib/filebrowser/filebrowser.db")" = "600 $(root_uid dev)" ]
  grep -qx 'user admin' "$TR/upper/var/lib/filebrowser/filebrowser.db"
  grep -q -- '--port 8081 --root /home/dev$' "$TR/upper/etc/systemd/system/filebrowser.service"
  [ -z "$(root_calls '^curl|systemctl (enable|restart|start)')" ]
}

@test "install-opencode: npm installs the pinned version once" {
  export NPM=/berth-test/bin/npm
  run_twice bash "$DIR/install-opencode.sh"
  grep -q '"version": "1.18.33"' "$TR/upper/usr/local/lib/node_modules/opencode-ai/package.json"
  [ -z "$(root_calls '^npm install')" ]
  OPENCODE_VERSION=1.19.0 run in_root bash "$DIR/install-opencode.sh"
  [ "$status" -eq 0 ]
  [[ $(root_calls '^npm install') == *"opencode-ai@1.19.0" ]]
}

@test "every web3-dev script: --dry-run changes nothing" {
  fixture code-server_4.100.3_amd64.deb x
  before=$(root_digest)
  for script in install-node install-code-server install-filebrowser install-opencode; do
    BERTH_INPUT_CODE_SERVER_PASSWORD=x NPM=/berth-test/bin/npm run in_root bash "$DIR/$script.sh" --dry-run
    [ "$status" -eq 0 ] || { echo "$script: $output"; false; }
    [[ $output == *"dry run: nothing was changed"* ]]
  done
  [ "$before" = "$(root_digest)" ]
  [ -z "$(root_calls '^(curl|apt-get|npm install|systemctl (enable|restart|start))')" ]
}
