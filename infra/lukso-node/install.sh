#!/usr/bin/env bash
# berth-template-script: lukso-node/install
#
# Installs the LUKSO CLI, initialises the node's working directory (network configs for mainnet
# and testnet) and installs an execution and a consensus client into it, answering the CLI's
# client menus. Then makes the execution client's JSON-RPC reachable from outside the container.
# Idempotent: each step is skipped when its result is already there.
set -Eeuo pipefail
trap 'printf "%s:%s: failed: %s\n" "${BASH_SOURCE[0]:-$0}" "$LINENO" "$BASH_COMMAND" >&2' ERR

PROG=install.sh
DRY_RUN=${BERTH_DRY_RUN:-0}
NETWORK=${BERTH_INPUT_NETWORK:-${LUKSO_NETWORK:-mainnet}}
LUKSO_DIR=${LUKSO_DIR:-/opt/lukso-node}
LUKSO_CLI_VERSION=${LUKSO_CLI_VERSION:-}
LUKSO_INSTALLER_URL=${LUKSO_INSTALLER_URL:-https://install.lukso.network}
LUKSO_RELEASES_URL=${LUKSO_RELEASES_URL:-https://github.com/lukso-network/tools-lukso-cli/releases/download}
LUKSO_EXECUTION=${LUKSO_EXECUTION:-geth}
LUKSO_CONSENSUS=${LUKSO_CONSENSUS:-lighthouse}
LUKSO_INSTALL_FLAGS=${LUKSO_INSTALL_FLAGS:-}
LUKSO_INSTALL_TIMEOUT=${LUKSO_INSTALL_TIMEOUT:-1200}
LUKSO_RPC_HOST=${LUKSO_RPC_HOST:-0.0.0.0}
LUKSO_RPC_MODULES=${LUKSO_RPC_MODULES:-net,eth,web3}
TMP_DIR=

usage() {
  cat <<EOF
Usage: $PROG [--network mainnet|testnet] [--dry-run] [--help]

Installs a LUKSO node (LUKSO CLI, $LUKSO_EXECUTION and $LUKSO_CONSENSUS) in $LUKSO_DIR. Run as root.

Environment:
  BERTH_INPUT_NETWORK, LUKSO_NETWORK  same as --network (default: mainnet)
  LUKSO_CLI_VERSION    pin the CLI to a release tag such as v0.24.0 (checksum verified);
                       empty: the release https://install.lukso.network serves
  LUKSO_EXECUTION      geth, erigon, nethermind or besu (default: geth)
  LUKSO_CONSENSUS      prysm, lighthouse, teku or nimbus (default: lighthouse)
  LUKSO_INSTALL_FLAGS  extra flags for 'lukso install', e.g. client tags: --geth-tag 1.14.13
  LUKSO_RPC_HOST, LUKSO_RPC_MODULES  geth JSON-RPC address and APIs (default: 0.0.0.0, net,eth,web3)
  LUKSO_DIR            the node's working directory (default: /opt/lukso-node)
  BERTH_DRY_RUN=1      same as --dry-run

Exit codes: 0 done (or nothing to do), 64 usage error, 69 unavailable (unsupported OS or
architecture, not root, release not published, checksum mismatch), 75 temporary failure
(download, init or client install failed or timed out; retry later), 1 unexpected error.
EOF
}

log() { printf '%s: %s\n' "$PROG" "$*"; }
die() { printf '%s: error: %s\n' "$PROG" "${*:2}" >&2; exit "$1"; }
cleanup() { if [[ -n $TMP_DIR ]]; then rm -rf -- "$TMP_DIR"; fi; }
trap cleanup EXIT

parse_args() {
  while (($#)); do
    case $1 in
      --network) (($# >= 2)) || die 64 "--network needs a value"; NETWORK=$2; shift ;;
      --dry-run) DRY_RUN=1 ;;
      -h | --help) usage; exit 0 ;;
      *) die 64 "unknown argument: $1 (see --help)" ;;
    esac
    shift
  done
  [[ $NETWORK == mainnet || $NETWORK == testnet ]] || die 64 "network must be mainnet or testnet, not '$NETWORK'"
  CONSENSUS_ITEM=$(menu_item "$LUKSO_CONSENSUS" prysm lighthouse teku nimbus) ||
    die 64 "unknown consensus client '$LUKSO_CONSENSUS'"
  EXECUTION_ITEM=$(menu_item "$LUKSO_EXECUTION" geth erigon nethermind besu) ||
    die 64 "unknown execution client '$LUKSO_EXECUTION'"
  [[ $LUKSO_RPC_HOST =~ ^[0-9A-Za-z.:-]+$ ]] || die 64 "bad LUKSO_RPC_HOST '$LUKSO_RPC_HOST'"
  [[ $LUKSO_RPC_MODULES =~ ^[a-z0-9]+(,[a-z0-9]+)*$ ]] || die 64 "bad LUKSO_RPC_MODULES '$LUKSO_RPC_MODULES'"
  [[ -z $LUKSO_CLI_VERSION || $LUKSO_CLI_VERSION =~ ^v?[0-9]+\.[0-9]+\.[0-9]+$ ]] ||
    die 64 "bad LUKSO_CLI_VERSION '$LUKSO_CLI_VERSION'"
}

# menu_item NAME CHOICE...: the 1-based number the CLI's menu shows for NAME.
menu_item() {
  local name=$1 i
  for ((i = 2; i <= $#; i++)); do [[ ${!i} == "$name" ]] && { echo $((i - 1)); return 0; }; done
  return 1
}

require_system() {
  local ids
  ids=$(grep -Es '^(ID|ID_LIKE)=' /etc/os-release | cut -d= -f2 | tr -d '"' | tr '\n' ' ') || true
  [[ " $ids " == *" debian "* ]] || die 69 "unsupported OS (Debian or Ubuntu needed): ${ids:-unknown}"
  ((DRY_RUN || EUID == 0)) || die 69 "must run as root"
  command -v curl >/dev/null || die 69 "curl is missing"
}

fetch() { # fetch URL FILE: HTTP 404 means not published (69); other failures are worth a retry (75)
  local code
  code=$(curl -sSL --retry 3 --connect-timeout 20 -w '%{http_code}' -o "$2" "$1") || code=000
  [[ $code != 404 && $code != 410 ]] || die 69 "not published: $1"
  [[ $code == 200 ]] || die 75 "download failed (HTTP $code): $1"
}

install_cli() {
  local tag=${LUKSO_CLI_VERSION:+v${LUKSO_CLI_VERSION#v}} asset
  if command -v lukso >/dev/null && { [[ -z $tag ]] || lukso version 2>/dev/null | grep -qF "$tag"; }; then
    log "LUKSO CLI is installed: $(lukso version 2>/dev/null | tail -n 1)"
    return 0
  fi
  case $(uname -m) in
    x86_64) asset=lukso-x86_64-unknown-linux-musl.tar.gz ;;
    aarch64) asset=lukso-aarch64-unknown-linux-musl.tar.gz ;;
    *) die 69 "no LUKSO CLI build for $(uname -m)" ;;
  esac
  if ((DRY_RUN)); then
    if [[ -n $tag ]]; then asset=$LUKSO_RELEASES_URL/$tag/$asset; else asset=$LUKSO_INSTALLER_URL; fi
    log "[dry-run] would install the LUKSO CLI from $asset"
    return 0
  fi
  TMP_DIR=$(mktemp -d)
  if [[ -z $tag ]]; then
    fetch "$LUKSO_INSTALLER_URL" "$TMP_DIR/install.sh"
    sh "$TMP_DIR/install.sh" --yes </dev/null || die 75 "the LUKSO CLI installer failed"
    return 0
  fi
  fetch "$LUKSO_RELEASES_URL/$tag/$asset" "$TMP_DIR/$asset"
  fetch "$LUKSO_RELEASES_URL/$tag/$asset.sha256" "$TMP_DIR/$asset.sha256"
  printf '%s  %s\n' "$(tr -d '[:space:]' <"$TMP_DIR/$asset.sha256")" "$TMP_DIR/$asset" |
    sha256sum --check --quiet - || die 69 "checksum mismatch for $asset"
  tar -xzf "$TMP_DIR/$asset" -C "$TMP_DIR" lukso
  install -m 0755 "$TMP_DIR/lukso" /usr/local/bin/lukso
}

# The CLI's own config (cli-config.yml; older releases wrote cli-config.yaml), or nothing.
config_file() {
  local f
  for f in "$LUKSO_DIR/cli-config.yml" "$LUKSO_DIR/cli-config.yaml"; do
    if [[ -f $f ]]; then echo "$f"; return 0; fi
  done
}

init_dir() {
  if [[ -n $(config_file) ]]; then log "$LUKSO_DIR is initialised"; return 0; fi
  if ((DRY_RUN)); then log "[dry-run] would run 'lukso init' in $LUKSO_DIR"; return 0; fi
  install -d -m 0750 "$LUKSO_DIR"
  (cd "$LUKSO_DIR" && lukso init </dev/null) || die 75 "lukso init failed (it downloads the network configs)"
}

install_clients() {
  local extra rc=0
  if grep -Eqs '^[[:space:]]*executionclient:[[:space:]]*[a-z]' "$(config_file)"; then
    log "clients are installed ($(grep -Eh 'client:[[:space:]]*[a-z]' "$(config_file)" | tr -s ' \n' ' '))"
    return 0
  fi
  read -r -a extra <<<"$LUKSO_INSTALL_FLAGS"
  if ((DRY_RUN)); then
    log "[dry-run] would run 'lukso install --agree-terms${extra[*]:+ ${extra[*]}}' choosing $LUKSO_CONSENSUS and $LUKSO_EXECUTION"
    return 0
  fi
  # The CLI reads each menu answer with a fresh reader, so the answers are fed one at a time.
  (cd "$LUKSO_DIR" && timeout "$LUKSO_INSTALL_TIMEOUT" lukso install --agree-terms "${extra[@]}" \
    < <(echo "$CONSENSUS_ITEM"; sleep 3; echo "$EXECUTION_ITEM"; sleep 3)) || rc=$?
  ((rc != 124)) || die 75 "lukso install did not finish within ${LUKSO_INSTALL_TIMEOUT}s"
  ((rc == 0)) || die 75 "lukso install failed (exit $rc)"
}

expose_rpc() {
  local toml=$LUKSO_DIR/configs/$NETWORK/geth/geth.toml host mods
  if [[ $LUKSO_EXECUTION != geth ]]; then log "RPC settings are only managed for geth"; return 0; fi
  host="HTTPHost = \"$LUKSO_RPC_HOST\""
  mods="HTTPModules = [\"${LUKSO_RPC_MODULES//,/\", \"}\"]"
  if grep -qxF "$host" "$toml" 2>/dev/null && grep -qxF "$mods" "$toml"; then log "$toml is up to date"; return 0; fi
  if ((DRY_RUN)); then log "[dry-run] would set '$host' and '$mods' in $toml"; return 0; fi
  [[ -f $toml ]] || die 1 "$toml is missing after 'lukso init'"
  sed -i -e "s|^HTTPHost *=.*|$host|" -e "s|^HTTPModules *=.*|$mods|" "$toml"
  if ! grep -qxF "$host" "$toml" || ! grep -qxF "$mods" "$toml"; then die 1 "could not set the RPC settings in $toml"; fi
  log "geth JSON-RPC: $LUKSO_RPC_HOST:8545 ($LUKSO_RPC_MODULES)"
}

main() {
  parse_args "$@"
  require_system
  install_cli
  init_dir
  install_clients
  expose_rpc
  if ((DRY_RUN)); then log "dry run: nothing was changed"; else log "LUKSO node installed in $LUKSO_DIR ($NETWORK)"; fi
}

if [[ "${BASH_SOURCE[0]:-$0}" == "$0" ]]; then
  main "$@"
fi
