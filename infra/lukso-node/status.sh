#!/usr/bin/env bash
#
# Reports a LUKSO node's state: whether the execution client (JSON-RPC) and the consensus client
# (beacon API) answer, their sync state, head and peers. Hosts and ports come from flags, then
# the environment, then a config file, then the defaults. A readable summary, or JSON (--json).
set -Eeuo pipefail
trap 'printf "%s:%s: failed: %s\n" "${BASH_SOURCE[0]:-$0}" "$LINENO" "$BASH_COMMAND" >&2' ERR

PROG=status.sh
DRY_RUN=${BERTH_DRY_RUN:-0}
JSON=0
CONFIG=${LUKSO_STATUS_CONFIG:-/etc/berth/lukso-status.conf}
CONFIG_GIVEN=0
TIMEOUT=${LUKSO_STATUS_TIMEOUT:-5}
EXECUTION_HOST=${LUKSO_EXECUTION_HOST:-}
EXECUTION_PORT=${LUKSO_EXECUTION_PORT:-}
CONSENSUS_HOST=${LUKSO_CONSENSUS_HOST:-}
CONSENSUS_PORT=${LUKSO_CONSENSUS_PORT:-}

usage() {
  cat <<EOF
Usage: $PROG [--execution HOST:PORT] [--consensus HOST:PORT] [--config FILE] [--json]
             [--timeout SECS] [--dry-run] [--help]

Shows whether a LUKSO node's clients answer, and how far they are synced.

Options:
  --execution HOST:PORT  execution client JSON-RPC (default: 127.0.0.1:8545)
  --consensus HOST:PORT  consensus client beacon API (default: 127.0.0.1:4000, LUKSO's Lighthouse)
  --config FILE          KEY=VALUE file with EXECUTION_HOST, EXECUTION_PORT, CONSENSUS_HOST,
                         CONSENSUS_PORT (default: $CONFIG, read when present)
  --json                 print JSON instead of a summary
  --timeout SECS         per request (default: $TIMEOUT)
  --dry-run              print the requests it would make and make none
  -h, --help             show this help

Environment: LUKSO_EXECUTION_HOST, LUKSO_EXECUTION_PORT, LUKSO_CONSENSUS_HOST,
LUKSO_CONSENSUS_PORT, LUKSO_STATUS_CONFIG, LUKSO_STATUS_TIMEOUT, BERTH_DRY_RUN=1.

Exit codes: 0 both clients answer, 64 usage error, 69 unavailable (curl or jq missing),
75 a client does not answer (yet; retry later), 1 unexpected error.
EOF
}

die() { printf '%s: error: %s\n' "$PROG" "${*:2}" >&2; exit "$1"; }

split_endpoint() { # split_endpoint VALUE HOSTVAR PORTVAR
  [[ $1 == *:* ]] || die 64 "expected HOST:PORT, got '$1'"
  printf -v "$2" '%s' "${1%:*}"
  printf -v "$3" '%s' "${1##*:}"
}

parse_args() {
  while (($#)); do
    case $1 in
      --execution | --consensus | --config | --timeout)
        (($# >= 2)) || die 64 "$1 needs a value"
        case $1 in
          --execution) split_endpoint "$2" EXECUTION_HOST EXECUTION_PORT ;;
          --consensus) split_endpoint "$2" CONSENSUS_HOST CONSENSUS_PORT ;;
          --config) CONFIG=$2; CONFIG_GIVEN=1 ;;
          *) TIMEOUT=$2 ;;
        esac
        shift
        ;;
      --json) JSON=1 ;;
      --dry-run) DRY_RUN=1 ;;
      -h | --help) usage; exit 0 ;;
      *) die 64 "unknown argument: $1 (see --help)" ;;
    esac
    shift
  done
}

# Fills the settings still empty from the config file. It is parsed, never sourced.
load_config() {
  local key value
  if [[ ! -f $CONFIG ]]; then
    ((CONFIG_GIVEN == 0)) || die 64 "config file not found: $CONFIG"
    return 0
  fi
  while IFS='=' read -r key value || [[ -n $key ]]; do
    key=${key//[[:space:]]/}
    value=${value%%#*}
    value=${value//[[:space:]\"\']/}
    case $key in
      '' | '#'*) ;;
      EXECUTION_HOST | EXECUTION_PORT | CONSENSUS_HOST | CONSENSUS_PORT)
        if [[ -z ${!key} ]]; then printf -v "$key" '%s' "$value"; fi ;;
      *) die 64 "$CONFIG: unknown setting '$key'" ;;
    esac
  done <"$CONFIG"
}

check_settings() {
  : "${EXECUTION_HOST:=127.0.0.1}" "${EXECUTION_PORT:=8545}" "${CONSENSUS_HOST:=127.0.0.1}" "${CONSENSUS_PORT:=4000}"
  local host
  for host in "$EXECUTION_HOST" "$CONSENSUS_HOST"; do
    [[ $host =~ ^[][A-Za-z0-9.:-]+$ ]] || die 64 "bad host '$host'"
  done
  [[ $EXECUTION_PORT =~ ^[1-9][0-9]{0,4}$ && $CONSENSUS_PORT =~ ^[1-9][0-9]{0,4}$ ]] || die 64 "ports must be numbers"
  [[ $TIMEOUT =~ ^[1-9][0-9]*$ ]] || die 64 "bad timeout '$TIMEOUT'"
}

rpc() { # rpc METHOD: the JSON result, or a failure
  curl -fsS --max-time "$TIMEOUT" -H 'Content-Type: application/json' \
    --data "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$1\",\"params\":[]}" \
    "http://$EXECUTION_HOST:$EXECUTION_PORT" 2>/dev/null |
    jq -c 'if has("result") then .result else error("no result") end' 2>/dev/null
}

beacon() { # beacon PATH: the JSON answer, or a failure
  curl -fsS --max-time "$TIMEOUT" "http://$CONSENSUS_HOST:$CONSENSUS_PORT$1" 2>/dev/null | jq -c . 2>/dev/null
}

probe() {
  local peers block=null syncing=null sync cpeers=null execution consensus
  if peers=$(rpc net_peerCount); then
    block=$(rpc eth_blockNumber) || block=null
    syncing=$(rpc eth_syncing) || syncing=null
    execution=$(jq -n --argjson n "$peers" --argjson b "$block" --argjson s "$syncing" '
      def num: if type == "string" then ltrimstr("0x") | ascii_downcase | explode
        | reduce .[] as $c (0; . * 16 + (if $c >= 97 then $c - 87 else $c - 48 end)) else . end;
      {reachable: true, block: ($b | num), peers: ($n | num),
       syncing: (if $s == null then null else $s != false end)}')
  else
    execution='{"reachable":false}'
  fi
  if sync=$(beacon /eth/v1/node/syncing); then
    cpeers=$(beacon /eth/v1/node/peer_count) || cpeers=null
    # is_syncing is tested for a boolean: jq's `//` would turn an honest false into null.
    consensus=$(jq -n --argjson s "$sync" --argjson n "$cpeers" '
      {reachable: true, head_slot: ($s.data.head_slot // null | tonumber? // null),
       syncing: ($s.data.is_syncing | if type == "boolean" then . else null end), peers: ($n.data.connected // null | tonumber? // null)}')
  else
    consensus='{"reachable":false}'
  fi
  jq -n --argjson e "$execution" --argjson c "$consensus" \
    --arg eh "$EXECUTION_HOST" --argjson ep "$EXECUTION_PORT" --arg ch "$CONSENSUS_HOST" --argjson cp "$CONSENSUS_PORT" \
    '{execution: ({host: $eh, port: $ep} + $e), consensus: ({host: $ch, port: $cp} + $c)}'
}

summary() {
  jq -r 'to_entries[] | .key as $k | .value
    | "\($k | . + "          " | .[:10]) \(.host):\(.port)  "
      + if .reachable | not then "no answer"
        else "up, " + (if .block != null then "block \(.block)" else "slot \(.head_slot // "?")" end)
          + ", \(.peers // "?") peers, " + (if .syncing == null then "sync state unknown"
            elif .syncing then "syncing" else "in sync" end) end'
}

main() {
  parse_args "$@"
  load_config
  check_settings
  if ((DRY_RUN)); then
    printf '%s: [dry-run] would ask %s (net_peerCount, eth_blockNumber, eth_syncing)\n' "$PROG" "http://$EXECUTION_HOST:$EXECUTION_PORT"
    printf '%s: [dry-run] would ask %s (/eth/v1/node/syncing, /eth/v1/node/peer_count)\n' "$PROG" "http://$CONSENSUS_HOST:$CONSENSUS_PORT"
    return 0
  fi
  if ! command -v curl >/dev/null || ! command -v jq >/dev/null; then die 69 "curl and jq are needed"; fi
  local report
  report=$(probe)
  if ((JSON)); then printf '%s\n' "$report"; else summary <<<"$report"; fi
  jq -e '.execution.reachable and .consensus.reachable' <<<"$report" >/dev/null || exit 75
}

if [[ "${BASH_SOURCE[0]:-$0}" == "$0" ]]; then
  main "$@"
fi
