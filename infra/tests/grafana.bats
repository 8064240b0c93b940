#!/usr/bin/env bats
# The sample Grafana dashboard only plots metrics that Berth records: each berth_* name in its
# queries is a metric name in the Rust sources (histogram suffixes stripped).

setup() {
  REPO=$(cd -- "$BATS_TEST_DIRNAME/../.." && pwd)
  DASHBOARD=$REPO/infra/grafana/berth-dashboard.json
}

plotted() {
  jq -r '.panels[].targets[].expr' "$DASHBOARD" | grep -oE 'berth_[a-z_]+' |
    sed -E 's/_(bucket|count|sum)$//' | sort -u
}

recorded() {
  grep -rhoE '"berth_[a-z_]+"' "$REPO/server/src" "$REPO/worker/src" "$REPO/app/src" \
    "$REPO/crates" --include='*.rs' | tr -d '"' | sort -u
}

@test "the dashboard is JSON with panels" {
  run jq -e '.panels | length > 10' "$DASHBOARD"
  [ "$status" -eq 0 ]
}

@test "every plotted metric is recorded by the code" {
  local missing=()
  local recorded_names
  recorded_names=$(recorded)
  while read -r name; do
    grep -qxF "$name" <<<"$recorded_names" || missing+=("$name")
  done < <(plotted)
  [ "$(plotted | wc -l)" -ge 10 ]
  if ((${#missing[@]})); then
    printf 'not recorded anywhere: %s\n' "${missing[@]}" >&2
    return 1
  fi
}
