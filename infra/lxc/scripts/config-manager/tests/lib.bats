#!/usr/bin/env bats
# The small libraries on their own: JSON strings, logging, settings files, bundle lists. Each
# test sources config-manager in a fresh bash, so its traps and options stay out of bats.

setup() {
  load helpers
  cm_setup
}

# in_cm CODE: runs CODE in a bash that has sourced config-manager (with its strict mode).
in_cm() { bash -c "source '$CM'; $1"; }

@test "json_str escapes quotes, backslashes and control characters" {
  run in_cm 'json_str "$(printf "a\"b\\\\c\td\ne\x01f")"'
  [ "$output" = '"a\"b\\c\td\ne\u0001f"' ]
  run in_cm 'json_str_or_null ""; json_str_or_null x'
  [ "$output" = 'null"x"' ]
}

@test "json_lines makes an array of a file's lines" {
  printf 'one\ntwo "2"\n' >"$BATS_TEST_TMPDIR/lines"
  run in_cm "json_lines '$BATS_TEST_TMPDIR/lines'; json_lines /nonexistent"
  [ "$output" = '["one","two \"2\""][]' ]
}

@test "log writes to stderr only, with the level; CM_LOG_FILE keeps a timestamped copy" {
  export CM_LOG_FILE=$BATS_TEST_TMPDIR/cm.log
  run in_cm 'info hello 2>/dev/null; warn careful 2>&1 >/dev/null'
  [ "$output" = "config-manager: warning: careful" ]
  grep -Eq '^[0-9T:-]+Z info hello$' "$CM_LOG_FILE"
  grep -Eq '^[0-9T:-]+Z warning careful$' "$CM_LOG_FILE"
}

@test "die exits with its code" {
  run in_cm 'die 69 gone'
  [ "$status" -eq 69 ]
  [ "$output" = "config-manager: error: gone" ]
}

@test "the ERR trap names file, line and command" {
  printf 'source "%s"\n\nfalse\n' "$CM" >"$BATS_TEST_TMPDIR/fails.sh"
  run bash "$BATS_TEST_TMPDIR/fails.sh"
  [ "$status" -eq 1 ]
  [ "$output" = "$BATS_TEST_TMPDIR/fails.sh:3: failed: false" ]
}

@test "entries drops comments and blanks" {
  printf '# head\ncurl  # the tool\n\n  git\n' >"$BATS_TEST_TMPDIR/list"
  run in_cm "entries '$BATS_TEST_TMPDIR/list'"
  [ "$output" = "curl
git" ]
}

@test "settings files are parsed, never run" {
  printf 'CM_STATE=$(touch %s/pwned)\n' "$BATS_TEST_TMPDIR" >"$CM_CONFIG"
  unset CM_STATE
  run in_cm "settings_load '$CM_CONFIG'"
  [ "$status" -eq 64 ] # not an absolute path: taken as text
  [ ! -e "$BATS_TEST_TMPDIR/pwned" ]
}

@test "bundle env lines are checked, never run" {
  printf 'GOOD=1\n$(touch x)=2\n' >"$BUNDLE/env"
  run in_cm "bundle_env '$BUNDLE'"
  [ "$status" -eq 65 ]
}

@test "an apk version is split from a name that has dashes" {
  stub apk
  mkdir -p "$STUB_DB"
  printf 'ca-certificates=20240226-r0\nmusl=1.2.5\n' >"$STUB_DB/apk"
  run in_cm 'pkg_apk_list_installed'
  [ "$output" = "ca-certificates=20240226-r0
musl=1.2.5-r0" ]
}
