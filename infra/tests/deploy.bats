#!/usr/bin/env bats
# The deployment files stay in step with the code: every BERTH_* setting the Rust configuration
# reads is in the example environment file and in the README's configuration reference, both
# systemd units keep their hardening, and the compose file has its four services.

setup() {
  REPO=$(cd -- "$BATS_TEST_DIRNAME/../.." && pwd)
  DEPLOY=$REPO/infra/deploy
  ENV_EXAMPLE=$DEPLOY/systemd/berth.env.example
  README=$REPO/README.md
}

# The Rust sources that read settings, without their test modules (which use made-up names).
config_sources() {
  find "$REPO/crates/runtime/src" "$REPO/server/src" "$REPO/worker/src" -name '*.rs' \
    ! -name '*tests.rs' ! -path '*/tests/*' -print0 |
    xargs -0 awk '/^#\[cfg\(test\)\]/ { nextfile } { print }'
}

# Every "BERTH_..." string literal (prefixes such as "BERTH_OIDC_" excepted), plus each
# per-provider variable as BERTH_OIDC_<ID>_<SUFFIX>.
settings() {
  config_sources | grep -oE '"BERTH_[A-Z0-9_]+"' | tr -d '"' | grep -v '_$' | sort -u
  config_sources | grep -oE 'suffix: "[A-Z_]+"' | sed -E 's/suffix: "(.*)"/BERTH_OIDC_<ID>_\1/' | sort -u
}

# The README's "## Configuration reference" section, up to the next level-2 heading.
reference() {
  awk '/^## / { inside = ($0 == "## Configuration reference") } inside' "$1"
}

@test "the settings are found in the code" {
  run settings
  [ "$status" -eq 0 ]
  [ "${#lines[@]}" -ge 30 ]
  [[ " ${lines[*]} " == *" BERTH_DATABASE_URL "* ]]
  [[ " ${lines[*]} " == *" BERTH_OIDC_<ID>_ISSUER "* ]]
}

@test "every setting is in berth.env.example" {
  missing=()
  while read -r name; do
    if [[ $name == BERTH_OIDC_\<ID\>_* ]]; then
      grep -Eq "^#?BERTH_OIDC_[A-Z0-9_]+_${name#BERTH_OIDC_<ID>_}=" "$ENV_EXAMPLE" || missing+=("$name")
    else
      grep -Eq "^#?${name}=" "$ENV_EXAMPLE" || missing+=("$name")
    fi
  done < <(settings)
  [ "${#missing[@]}" -eq 0 ] || { echo "not in $ENV_EXAMPLE: ${missing[*]}"; false; }
}

@test "every setting is in the README's configuration reference" {
  ref=$(reference "$README")
  [ -n "$ref" ] || { echo "README.md has no '## Configuration reference' section"; false; }
  missing=()
  while read -r name; do
    [[ $ref == *"\`$name\`"* ]] || missing+=("$name")
  done < <(settings)
  [ "${#missing[@]}" -eq 0 ] || { echo "not in README.md's reference: ${missing[*]}"; false; }
}

@test "both systemd units keep their hardening" {
  directives=(
    'User=berth' 'EnvironmentFile=/etc/berth/berth.env' 'Restart=on-failure'
    'NoNewPrivileges=yes' 'ProtectSystem=strict' 'ProtectHome=yes' 'PrivateTmp=yes'
    'PrivateDevices=yes' 'ProtectKernelTunables=yes' 'ProtectKernelModules=yes'
    'ProtectKernelLogs=yes' 'ProtectControlGroups=yes'
    'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX' 'RestrictNamespaces=yes'
    'LockPersonality=yes' 'MemoryDenyWriteExecute=yes' 'SystemCallArchitectures=native'
    'CapabilityBoundingSet=' 'KillSignal=SIGTERM'
  )
  for unit in berth-server berth-worker; do
    file=$DEPLOY/systemd/$unit.service
    for directive in "${directives[@]}"; do
      grep -qxF "$directive" "$file" || { echo "$unit.service: no '$directive'"; false; }
    done
    grep -qE '^TimeoutStopSec=[0-9]+$' "$file" || { echo "$unit.service: no TimeoutStopSec"; false; }
  done
  grep -qxF 'StateDirectory=berth-worker' "$DEPLOY/systemd/berth-worker.service"
  grep -qxF 'ReadWritePaths=/var/lib/berth-worker' "$DEPLOY/systemd/berth-worker.service"
}

@test "the worker's stop timeout covers its grace periods" {
  # crates/jobs RunnerConfig: 30 s shutdown grace + 5 s cancel grace; then sign-off (2 s) and
  # Redis quit (2 s) in worker/src/run.rs.
  grep -q 'shutdown_grace: Duration::from_secs(30)' "$REPO/crates/jobs/src/runner/mod.rs"
  grep -q 'cancel_grace: Duration::from_secs(5)' "$REPO/crates/jobs/src/runner/mod.rs"
  timeout=$(sed -n 's/^TimeoutStopSec=//p' "$DEPLOY/systemd/berth-worker.service")
  [ "$timeout" -gt $((30 + 5 + 2 + 2)) ]
}

@test "the compose file names the four services" {
  compose=$DEPLOY/compose/docker-compose.yml
  services=$(awk '/^services:/ { inside = 1; next } /^[^ #]/ { inside = 0 } inside && /^  [a-z]+:$/ { sub(/:$/, ""); print $1 }' "$compose" | sort | tr '\n' ' ')
  [ "$services" = "postgres redis server worker " ] || { echo "services: $services"; false; }
}

@test "no secrets committed: the examples hold placeholders only" {
  run grep -E '^[^#]*(PASSWORD|TOKEN|SECRET)[A-Z_]*=' "$ENV_EXAMPLE" "$DEPLOY/compose/.env.example"
  for line in "${lines[@]}"; do
    [[ $line == *CHANGE-ME* ]] || { echo "a value that is not a placeholder: $line"; false; }
  done
}
