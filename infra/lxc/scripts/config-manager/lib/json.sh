# shellcheck shell=bash
# Sourced by config-manager, which runs under `set -Eeuo pipefail` with its ERR trap: a library
# leaves its caller's shell options alone, so it sets none of its own.
# JSON output in plain bash: containers need not have jq for config-manager to report.

# json_str TEXT: TEXT as a JSON string, quotes included.
json_str() {
  local s=$1 out='' c i code
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}
  s=${s//$'\r'/\\r}
  s=${s//$'\t'/\\t}
  # Other control characters are rare (diffs of binary files); escape them one by one.
  if [[ $s == *[$'\x01'-$'\x1f']* ]]; then
    for ((i = 0; i < ${#s}; i++)); do
      c=${s:i:1}
      if [[ $c == [$'\x01'-$'\x1f'] ]]; then
        printf -v code '%d' "'$c"
        printf -v c '\\u%04x' "$code"
      fi
      out+=$c
    done
    s=$out
  fi
  printf '"%s"' "$s"
}

# json_str_or_null TEXT: null for an empty TEXT.
json_str_or_null() {
  if [[ -z $1 ]]; then printf null; else json_str "$1"; fi
}

# json_lines FILE: the lines of FILE (missing: none) as a JSON array of strings.
json_lines() {
  local line sep=
  printf '['
  if [[ -f $1 ]]; then
    while IFS= read -r line || [[ -n $line ]]; do
      printf '%s' "$sep"
      json_str "$line"
      sep=,
    done <"$1"
  fi
  printf ']'
}
