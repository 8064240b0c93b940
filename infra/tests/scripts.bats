#!/usr/bin/env bats
# What every shell script in infra/ promises (strict mode, ERR trap, --help, usage errors, a
# source guard so that suites can load its functions), and a check of the throwaway root itself.

setup() {
  load throwaway-root
  mapfile -t SCRIPTS < <(find "$INFRA_DIR" -name '*.sh' -not -path '*/tests/*' -not -path '*/lib/*' | sort)
  SCRIPTS+=("$INFRA_DIR/lxc/scripts/config-manager/config-manager")
}

@test "there are scripts to check" {
  [ "${#SCRIPTS[@]}" -ge 11 ]
}

@test "every script: bash shebang, strict mode, an ERR trap naming file and line, a source guard" {
  for script in "${SCRIPTS[@]}"; do
    [ "$(head -n 1 "$script")" = '#!/usr/bin/env bash' ] || { echo "$script: shebang"; false; }
    grep -qx 'set -Eeuo pipefail' "$script" || { echo "$script: strict mode"; false; }
    grep -Eq "^trap '.*LINENO.*' ERR$" "$script" || { echo "$script: ERR trap"; false; }
    grep -Eqx 'if \[\[ "\$\{BASH_SOURCE\[0\](:-\$0)?\}" == "\$0" \]\]; then' "$script" || { echo "$script: source guard"; false; }
  done
}

@test "every script: --help exits 0 and documents the exit codes" {
  for script in "${SCRIPTS[@]}"; do
    run bash "$script" --help
    [ "$status" -eq 0 ] || { echo "$script: $output"; false; }
    [[ $output == *"xit codes"* && $output == *64* && $output == *69* && $output == *75* ]] ||
      { echo "$script: exit codes not documented"; false; }
  done
}

@test "every script: an unknown option is a usage error (64)" {
  for script in "${SCRIPTS[@]}"; do
    run bash "$script" --no-such-option
    [ "$status" -eq 64 ] || { echo "$script: $status $output"; false; }
  done
}

@test "every script: sourcing it defines main and runs nothing" {
  for script in "${SCRIPTS[@]}"; do
    run bash -c 'source "$1" && declare -F main parse_args' _ "$script"
    [ "$status" -eq 0 ] || { echo "$script: $output"; false; }
    [ "$output" = "main
parse_args" ]
  done
}

@test "the ERR trap of a template script prints file:line:command" {
  script=$INFRA_DIR/lxc/templates/web3-dev/install-opencode.sh
  run bash -c 'source "$1"; require_system() { :; }; installed_version() { false; }; main' _ "$script"
  [ "$status" -ne 0 ]
  [[ $output =~ install-opencode\.sh:[0-9]+:\ failed: ]]
}

@test "the throwaway root: changes land in it, not in /, and the digest sees them" {
  root_setup
  before=$(root_digest)
  in_root bash -c 'echo hi >/etc/berth-throwaway-check; command -v curl'
  [ ! -e /etc/berth-throwaway-check ]
  [ "$(cat "$TR/upper/etc/berth-throwaway-check")" = hi ]
  [ "$before" != "$(root_digest)" ]
  in_root curl -sS -o /dev/null https://example.com/x
  [ "$(root_calls '^curl')" = "curl -sS -o /dev/null https://example.com/x" ]
}
