# shellcheck shell=bash
# Sourced by config-manager, which runs under `set -Eeuo pipefail` with its ERR trap: a library
# leaves its caller's shell options alone, so it sets none of its own.
# Snapshots: a registry under $CM_STATE/snapshots/ID (a meta file, and a copy of config-manager's
# own records so that a restore brings those back too) over four backends with one interface:
# snap_<backend>_available, _create ID DIR, _restore ID DIR, _verify ID DIR, _delete ID DIR.

# snapshot_backend: sets BACKEND, with auto resolved; dies with 69 when it cannot work here.
snapshot_backend() {
  BACKEND=$CM_SNAPSHOT_BACKEND
  if [[ $BACKEND == auto && -z $CM_SNAPSHOT_TARGET ]]; then
    BACKEND=directory
  elif [[ $BACKEND == auto ]]; then
    if snap_zfs_available 2>/dev/null; then BACKEND=zfs
    elif snap_btrfs_available 2>/dev/null; then BACKEND=btrfs
    elif snap_lvm_thin_available 2>/dev/null; then BACKEND=lvm-thin
    else die 69 "no snapshot backend can snapshot '$CM_SNAPSHOT_TARGET'"
    fi
  elif [[ $BACKEND != none ]] && ! "snap_${BACKEND/-/_}_available"; then
    die 69 "the $BACKEND backend cannot snapshot '${CM_SNAPSHOT_TARGET:-the managed paths}' here"
  fi
}

# snapshot_ids: every snapshot id, oldest first (numerically: 10000 comes after 9999).
snapshot_ids() {
  local dir
  for dir in "$SNAPSHOTS"/*/; do
    if [[ -f $dir/meta ]]; then dir=${dir%/}; printf '%s\n' "${dir##*/}"; fi
  done | sort -n
}

snapshot_meta() { kv_get "$SNAPSHOTS/$1/meta" "$2"; }

snapshot_require() {
  [[ $1 =~ ^[0-9]{4,}$ && -f $SNAPSHOTS/$1/meta ]] || die 64 "no snapshot '$1' (see: config-manager snapshot list)"
}

# snapshot_create BACKEND REASON: takes a snapshot and sets SNAPSHOT_ID.
snapshot_create() {
  local backend=$1 reason=$2 seq dir good=yes
  mkdir -p -- "$SNAPSHOTS"
  seq=$(kv_get "$CM_STATE/counters" snapshot)
  printf -v SNAPSHOT_ID '%04d' "$((10#${seq:-0} + 1))"
  printf 'snapshot=%s\n' "$SNAPSHOT_ID" >"$CM_STATE/counters"
  dir=$SNAPSHOTS/$SNAPSHOT_ID
  mkdir -- "$dir"
  if [[ -d $MANAGED ]]; then cp -a -- "$MANAGED" "$dir/managed"; fi
  if ! "snap_${backend/-/_}_create" "$SNAPSHOT_ID" "$dir"; then
    rm -rf -- "$dir"
    return 73
  fi
  [[ $(cat -- "$CM_STATE/health" 2>/dev/null) != bad ]] || good=no
  printf 'id=%s\nbackend=%s\ntarget=%s\ncreated=%s\nreason=%s\ngood=%s\n' "$SNAPSHOT_ID" "$backend" \
    "$CM_SNAPSHOT_TARGET" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$reason" "$good" >"$dir/meta"
  info "snapshot $SNAPSHOT_ID taken ($backend, $reason)"
}

# snapshot_restore ID: puts the snapshot back and verifies it; fails when either does not work.
snapshot_restore() {
  local id=$1 dir=$SNAPSHOTS/$1 backend
  backend=$(snapshot_meta "$id" backend)
  "snap_${backend/-/_}_restore" "$id" "$dir" || { warn "restoring snapshot $id failed"; return 1; }
  rm -rf -- "$MANAGED"
  if [[ -d $dir/managed ]]; then cp -a -- "$dir/managed" "$MANAGED"; fi
  "snap_${backend/-/_}_verify" "$id" "$dir" || { warn "snapshot $id was restored but does not verify"; return 1; }
  info "restored snapshot $id ($backend) and verified it"
}

snapshot_delete() {
  local id=$1 dir=$SNAPSHOTS/$1 backend
  backend=$(snapshot_meta "$id" backend)
  "snap_${backend/-/_}_delete" "$id" "$dir" || return
  rm -rf -- "$dir"
  info "deleted snapshot $id"
}

# snapshot_prune: keeps the newest CM_SNAPSHOT_KEEP pre-apply snapshots; manual ones stay.
snapshot_prune() {
  local ids=() id
  while IFS= read -r id; do
    if [[ $(snapshot_meta "$id" reason) == pre-apply ]]; then ids+=("$id"); fi
  done < <(snapshot_ids)
  while ((${#ids[@]} > CM_SNAPSHOT_KEEP)); do
    snapshot_delete "${ids[0]}" || warn "could not delete old snapshot ${ids[0]}"
    ids=("${ids[@]:1}")
  done
}

snapshot_list() {
  local id
  printf '%-6s %-20s %-9s %-9s %s\n' ID CREATED BACKEND REASON GOOD
  while IFS= read -r id; do
    printf '%-6s %-20s %-9s %-9s %s\n' "$id" "$(snapshot_meta "$id" created)" "$(snapshot_meta "$id" backend)" \
      "$(snapshot_meta "$id" reason)" "$(snapshot_meta "$id" good)"
  done < <(snapshot_ids)
}

snapshots_json() {
  local id sep='' key
  printf '['
  while IFS= read -r id; do
    printf '%s{' "$sep"
    for key in id backend target created reason; do printf '"%s":%s,' "$key" "$(json_str "$(snapshot_meta "$id" "$key")")"; done
    printf '"good":%s}' "$([[ $(snapshot_meta "$id" good) == yes ]] && echo true || echo false)"
    sep=,
  done < <(snapshot_ids)
  printf ']'
}
