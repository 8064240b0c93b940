#!/usr/bin/env bash
# berth-template-script: comfyui/install
#
# Installs ComfyUI at a pinned release into /opt/comfyui: a service user, the source (git tag),
# a Python virtualenv with PyTorch for the chosen device (CPU wheels by default, CUDA wheels for
# an NVIDIA GPU) and ComfyUI's requirements. Idempotent: each part is left alone when it already
# matches (the requirements are re-installed only when requirements.txt or torch changed).
set -Eeuo pipefail
trap 'printf "%s:%s: failed: %s\n" "${BASH_SOURCE[0]:-$0}" "$LINENO" "$BASH_COMMAND" >&2' ERR

PROG=install.sh
DRY_RUN=${BERTH_DRY_RUN:-0}
DEVICE=${BERTH_INPUT_DEVICE:-${COMFYUI_DEVICE:-auto}}
COMFYUI_VERSION=${COMFYUI_VERSION:-v0.3.40}
COMFYUI_REPO=${COMFYUI_REPO:-https://github.com/comfyanonymous/ComfyUI.git}
COMFYUI_DIR=${COMFYUI_DIR:-/opt/comfyui}
COMFYUI_USER=${COMFYUI_USER:-comfyui}
TORCH_VERSION=${TORCH_VERSION:-2.7.0}
TORCHVISION_VERSION=${TORCHVISION_VERSION:-0.22.0}
TORCHAUDIO_VERSION=${TORCHAUDIO_VERSION:-2.7.0}
TORCH_CUDA=${TORCH_CUDA:-cu126}
TORCH_INDEX_URL=${TORCH_INDEX_URL:-https://download.pytorch.org/whl}
SRC=$COMFYUI_DIR/ComfyUI
VENV=$COMFYUI_DIR/venv
CHANGED=0

usage() {
  cat <<EOF
Usage: $PROG [--device cpu|gpu|auto] [--version vX.Y.Z] [--dry-run] [--help]

Installs ComfyUI $COMFYUI_VERSION with PyTorch $TORCH_VERSION in $COMFYUI_DIR. Run as root.

Options:
  --device D        cpu, gpu (NVIDIA, CUDA $TORCH_CUDA) or auto: gpu when one is visible (default: $DEVICE)
  --version vX.Y.Z  the ComfyUI release tag (default: $COMFYUI_VERSION)
  --dry-run         print what would change and change nothing
  -h, --help        show this help

Environment:
  BERTH_INPUT_DEVICE, COMFYUI_DEVICE  same as --device
  COMFYUI_VERSION, COMFYUI_REPO, COMFYUI_DIR, COMFYUI_USER  release, git URL, directory, user
  TORCH_VERSION, TORCHVISION_VERSION, TORCHAUDIO_VERSION, TORCH_CUDA, TORCH_INDEX_URL  PyTorch pins
  BERTH_DRY_RUN=1   same as --dry-run

Exit codes: 0 done (or nothing to do), 64 usage error, 69 unavailable (unsupported OS or
architecture, not root, python3-venv or git missing, gpu asked but none visible), 75 temporary
failure (git or pip download failed; retry later), 1 unexpected error.
EOF
}

log() { printf '%s: %s\n' "$PROG" "$*"; }
die() { printf '%s: error: %s\n' "$PROG" "${*:2}" >&2; exit "$1"; }

run() {
  if ((DRY_RUN)); then printf '%s: [dry-run]%s\n' "$PROG" "$(printf ' %q' "$@")"; return 0; fi
  "$@"
}

git_src() { git -c safe.directory="$SRC" -C "$SRC" "$@"; }

parse_args() {
  while (($#)); do
    case $1 in
      --device | --version)
        (($# >= 2)) || die 64 "$1 needs a value"
        if [[ $1 == --device ]]; then DEVICE=$2; else COMFYUI_VERSION=$2; fi
        shift
        ;;
      --dry-run) DRY_RUN=1 ;;
      -h | --help) usage; exit 0 ;;
      *) die 64 "unknown argument: $1 (see --help)" ;;
    esac
    shift
  done
  [[ $DEVICE =~ ^(cpu|gpu|auto)$ ]] || die 64 "device must be cpu, gpu or auto, not '$DEVICE'"
  [[ $COMFYUI_VERSION =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]] || die 64 "bad ComfyUI version '$COMFYUI_VERSION'"
  [[ $TORCH_CUDA =~ ^cu[0-9]+$ ]] || die 64 "bad TORCH_CUDA '$TORCH_CUDA'"
}

require_system() {
  local ids
  ids=$(grep -Es '^(ID|ID_LIKE)=' /etc/os-release | cut -d= -f2 | tr -d '"' | tr '\n' ' ') || true
  [[ " $ids " == *" debian "* ]] || die 69 "unsupported OS (Debian or Ubuntu needed): ${ids:-unknown}"
  [[ $(uname -m) == x86_64 ]] || die 69 "the pinned PyTorch wheels are for x86_64, not $(uname -m)"
  ((DRY_RUN || EUID == 0)) || die 69 "must run as root"
  command -v git >/dev/null || die 69 "git is missing"
  python3 -c 'import ensurepip, venv' 2>/dev/null || die 69 "python3 with venv is missing (package python3-venv)"
}

# cpu or gpu, from the request and from whether an NVIDIA GPU is visible in the container.
resolve_device() {
  local visible=0
  if command -v nvidia-smi >/dev/null && nvidia-smi -L >/dev/null 2>&1; then visible=1; fi
  if [[ $DEVICE == auto ]]; then
    if ((visible)); then DEVICE=gpu; else DEVICE=cpu; fi
  elif [[ $DEVICE == gpu ]] && ((!visible)); then
    ((DRY_RUN)) || die 69 "device gpu: no NVIDIA GPU is visible here (pass it through on the host)"
    log "[dry-run] note: no NVIDIA GPU is visible here; a real run would stop"
  fi
  if [[ $DEVICE == gpu ]]; then WHEELS=$TORCH_CUDA; else WHEELS=cpu; fi
  log "device: $DEVICE (PyTorch wheels: $WHEELS)"
}

ensure_user() {
  if id -u "$COMFYUI_USER" >/dev/null 2>&1; then return 0; fi
  run useradd --system --home-dir "$COMFYUI_DIR" --no-create-home --shell /usr/sbin/nologin "$COMFYUI_USER"
}

sync_source() {
  local current
  if [[ -d $SRC/.git ]]; then
    current=$(git_src describe --tags --exact-match 2>/dev/null) || current=
    if [[ $current == "$COMFYUI_VERSION" ]]; then log "ComfyUI $COMFYUI_VERSION is checked out"; return 0; fi
    CHANGED=1
    run git_src fetch --quiet --depth 1 origin tag "$COMFYUI_VERSION" || die 75 "git fetch failed"
    run git_src checkout --quiet "$COMFYUI_VERSION"
  else
    CHANGED=1
    run install -d -m 0755 "$COMFYUI_DIR"
    run git clone --quiet --depth 1 --branch "$COMFYUI_VERSION" "$COMFYUI_REPO" "$SRC" || die 75 "git clone failed"
  fi
}

ensure_torch() {
  local want=$TORCH_VERSION+$WHEELS have
  if [[ ! -x $VENV/bin/python ]]; then
    CHANGED=1
    run python3 -m venv "$VENV"
  fi
  have=$("$VENV/bin/python" -c 'import torch; print(torch.__version__)' 2>/dev/null) || have=
  if [[ $have == "$want" ]]; then log "torch $want is installed"; return 0; fi
  CHANGED=1
  run "$VENV/bin/pip" install --quiet --index-url "$TORCH_INDEX_URL/$WHEELS" "torch==$want" \
    "torchvision==$TORCHVISION_VERSION+$WHEELS" "torchaudio==$TORCHAUDIO_VERSION+$WHEELS" ||
    die 75 "pip could not install torch $want"
}

ensure_requirements() {
  local stamp=$VENV/.berth-requirements want
  if [[ ! -f $SRC/requirements.txt ]]; then
    ((DRY_RUN)) || die 1 "$SRC/requirements.txt is missing"
    log "[dry-run] would install $SRC/requirements.txt"
    return 0
  fi
  want="$(sha256sum <"$SRC/requirements.txt" | cut -d' ' -f1) torch=$TORCH_VERSION+$WHEELS"
  if [[ -f $stamp && $(<"$stamp") == "$want" ]]; then log "ComfyUI's requirements are installed"; return 0; fi
  CHANGED=1
  run "$VENV/bin/pip" install --quiet -r "$SRC/requirements.txt" || die 75 "pip could not install requirements.txt"
  if ((!DRY_RUN)); then printf '%s\n' "$want" >"$stamp"; fi
}

main() {
  parse_args "$@"
  require_system
  resolve_device
  ensure_user
  sync_source
  ensure_torch
  ensure_requirements
  if ((CHANGED)); then run chown -R "$COMFYUI_USER:$COMFYUI_USER" "$COMFYUI_DIR"; fi
  if ((DRY_RUN)); then log "dry run: nothing was changed"; else log "ComfyUI $COMFYUI_VERSION is installed in $SRC"; fi
}

if [[ "${BASH_SOURCE[0]:-$0}" == "$0" ]]; then
  main "$@"
fi
