#!/usr/bin/env bats
# status.sh against a stub curl that plays a LUKSO node's JSON-RPC and beacon API, recording
# which host and port each request went to.

bats_require_minimum_version 1.5.0

setup() {
  command -v jq >/dev/null || skip "jq is not installed"
  SCRIPT=${BATS_TEST_DIRNAME%/tests}/status.sh
  export STUB_LOG=$BATS_TEST_TMPDIR/curl.log LUKSO_STATUS_CONFIG=$BATS_TEST_TMPDIR/none.conf DOWN=
  unset LUKSO_EXECUTION_HOST LUKSO_EXECUTION_PORT LUKSO_CONSENSUS_HOST LUKSO_CONSENSUS_PORT BERTH_DRY_RUN
  mkdir -p "$BATS_TEST_TMPDIR/bin"
  cat >"$BATS_TEST_TMPDIR/bin/curl" <<'STUB'
#!/usr/bin/env bash
# curl, pretended: answers as a synced node with 25 execution and 40 consensus peers, unless the
# host:port is listed in $DOWN.
url=${*: -1}
endpoint=${url#http://}
endpoint=${endpoint%%/*}
echo "$endpoint ${url#http://"$endpoint"} ${*}" >>"$STUB_LOG"
[[ " $DOWN " != *" $endpoint "* ]] || exit 7
case "$*" in
  *net_peerCount*) echo '{"jsonrpc":"2.0","id":1,"result":"0x19"}' ;;
  *eth_blockNumber*) echo '{"jsonrpc":"2.0","id":1,"result":"0x1b4"}' ;;
  *eth_syncing*) echo '{"jsonrpc":"2.0","id":1,"result":false}' ;;
  */eth/v1/node/syncing) echo '{"data":{"head_slot":"1234","is_syncing":false}}' ;;
  */eth/v1/node/peer_count) echo '{"data":{"connected":"40","disconnected":"3"}}' ;;
esac
STUB
  chmod +x "$BATS_TEST_TMPDIR/bin/curl"
  PATH=$BATS_TEST_TMPDIR/bin:$PATH
}

endpoints() { cut -d' ' -f1 "$STUB_LOG" | sort -u | tr '\n' ' '; }

@test "defaults: the local clients; a readable summary" {
  run "$SCRIPT"
  [ "$status" -eq 0 ]
  [ "$(endpoints)" = "127.0.0.1:4000 127.0.0.1:8545 " ]
  [[ ${lines[0]} == "execution  127.0.0.1:8545  up, block 436, 25 peers, in sync" ]]
  [[ ${lines[1]} == "consensus  127.0.0.1:4000  up, slot 1234, 40 peers, in sync" ]]
}

@test "--json: one object with both clients" {
  run --separate-stderr "$SCRIPT" --json
  [ "$status" -eq 0 ]
  [ "$(jq -c . <<<"$output")" = '{"execution":{"host":"127.0.0.1","port":8545,"reachable":true,"block":436,"peers":25,"syncing":false},"consensus":{"host":"127.0.0.1","port":4000,"reachable":true,"head_slot":1234,"syncing":false,"peers":40}}' ]
}

@test "hosts and ports from the environment" {
  LUKSO_EXECUTION_HOST=10.0.0.5 LUKSO_EXECUTION_PORT=18545 LUKSO_CONSENSUS_HOST=node.lan run "$SCRIPT"
  [ "$status" -eq 0 ]
  [ "$(endpoints)" = "10.0.0.5:18545 node.lan:4000 " ]
}

@test "hosts and ports from a config file; the environment and flags win over it" {
  cat >"$LUKSO_STATUS_CONFIG" <<'CONF'
# where the node is
EXECUTION_HOST=10.0.0.7
EXECUTION_PORT = 8546
CONSENSUS_HOST="10.0.0.8"   # the beacon node
CONSENSUS_PORT=5052
CONF
  run "$SCRIPT"
  [ "$(endpoints)" = "10.0.0.7:8546 10.0.0.8:5052 " ]
  : >"$STUB_LOG"
  LUKSO_EXECUTION_HOST=10.0.0.9 run "$SCRIPT" --consensus 10.0.0.10:3500
  [ "$(endpoints)" = "10.0.0.10:3500 10.0.0.9:8546 " ]
}

@test "a client that does not answer: reported, and 75 (retry later)" {
  DOWN=127.0.0.1:4000 run --separate-stderr "$SCRIPT" --json
  [ "$status" -eq 75 ]
  [ "$(jq -c .consensus <<<"$output")" = '{"host":"127.0.0.1","port":4000,"reachable":false}' ]
  [ "$(jq -c .execution.reachable <<<"$output")" = true ]
  DOWN=127.0.0.1:8545 run "$SCRIPT"
  [ "$status" -eq 75 ]
  [[ ${lines[0]} == *"no answer" ]]
}

@test "bad settings are usage errors (64)" {
  printf 'EXECUTION_HOSTNAME=x\n' >"$LUKSO_STATUS_CONFIG"
  run "$SCRIPT"
  [ "$status" -eq 64 ]
  run "$SCRIPT" --config "$BATS_TEST_TMPDIR/missing.conf"
  [ "$status" -eq 64 ]
  run "$SCRIPT" --execution no-port
  [ "$status" -eq 64 ]
  LUKSO_CONSENSUS_PORT=http run "$SCRIPT"
  [ "$status" -eq 64 ]
  LUKSO_EXECUTION_HOST='a;b' run "$SCRIPT"
  [ "$status" -eq 64 ]
}

@test "--dry-run names the endpoints and asks nothing" {
  run "$SCRIPT" --dry-run --execution 10.1.1.1:8545
  [ "$status" -eq 0 ]
  [[ $output == *"http://10.1.1.1:8545"* && $output == *"http://127.0.0.1:4000"* ]]
  [ ! -s "$STUB_LOG" ]
}
