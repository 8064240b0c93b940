#!/usr/bin/env bats
# ComfyUI's install.sh and start.sh in a throwaway root with fake git, python venv, pip, systemd
# and (when a test asks for one) nvidia-smi: CPU by default, GPU when one is visible.

setup() {
  load "${BATS_TEST_DIRNAME%/infra/*}/infra/tests/throwaway-root"
  root_setup
  DIR=$INFRA_DIR/ai/comfy-ui
  [[ $(uname -m) == x86_64 ]] || skip "install.sh supports x86_64 only"
}

@test "install: user, source at the pinned tag, venv, CPU torch, requirements; a second run changes nothing" {
  output=$(run_twice bash "$DIR/install.sh")
  [[ $output == *"device: cpu (PyTorch wheels: cpu)"* ]]
  [ "$(cat "$TR/upper/opt/comfyui/ComfyUI/.git/tag")" = v0.3.40 ]
  [ -n "$(first_calls '^pip install --quiet --index-url https://download.pytorch.org/whl/cpu torch==2.7.0\+cpu torchvision==0.22.0\+cpu torchaudio==2.7.0\+cpu$')" ]
  [ -n "$(first_calls '^pip install --quiet -r /opt/comfyui/ComfyUI/requirements.txt')" ]
  grep -q '^comfyui:' "$TR/upper/etc/passwd"
  [ "$(stat -c %u "$TR/upper/opt/comfyui/ComfyUI/main.py")" = "$(root_uid comfyui)" ]
  [ -z "$(root_calls '^(git clone|pip install|python3 -m venv)')" ]
}

@test "install: CUDA wheels when a GPU is visible" {
  with_gpu
  run in_root bash "$DIR/install.sh"
  [ "$status" -eq 0 ]
  [[ $output == *"device: gpu (PyTorch wheels: cu126)"* ]]
  [ -n "$(root_calls '^pip install .*whl/cu126 torch==2\.7\.0\+cu126')" ]
}

@test "install: asking for the GPU without one is unavailable (69); a new tag is fetched" {
  run in_root bash "$DIR/install.sh" --device gpu
  [ "$status" -eq 69 ]
  in_root bash "$DIR/install.sh"
  root_forget_calls
  run in_root bash "$DIR/install.sh" --version v0.3.41
  [ "$status" -eq 0 ]
  [ "$(root_calls '^git ' | sed 's/.* -C [^ ]* //')" = "describe --tags --exact-match
fetch --quiet --depth 1 origin tag v0.3.41
checkout --quiet v0.3.41" ]
}

@test "install: git failing is a temporary failure (75)" {
  FAKE_FAIL='git clone' run in_root bash "$DIR/install.sh"
  [ "$status" -eq 75 ]
}

# installed: what start.sh needs from install.sh.
installed() {
  mkdir -p "$TR/upper/opt/comfyui/venv/bin" "$TR/upper/opt/comfyui/ComfyUI"
  ln -s "$INFRA_DIR/tests/stubs/fake" "$TR/upper/opt/comfyui/venv/bin/python"
  echo 'print("ComfyUI")' >"$TR/upper/opt/comfyui/ComfyUI/main.py"
}

@test "start: on the CPU by default; a second run changes nothing" {
  installed
  run_twice bash "$DIR/start.sh"
  unit=$TR/upper/etc/systemd/system/comfyui.service
  grep -qx 'ExecStart=/opt/comfyui/venv/bin/python main.py --listen 0.0.0.0 --port 8188 --cpu' "$unit"
  grep -qx 'Description=ComfyUI (cpu)' "$unit"
  [ "$(first_calls '^systemctl (enable|restart)')" = "systemctl enable comfyui
systemctl restart comfyui" ]
  [ -z "$(root_calls '^systemctl (enable|restart|start)')" ]
}

@test "start: on the GPU when one is visible; the changed unit restarts the service" {
  installed
  in_root bash "$DIR/start.sh"
  root_forget_calls
  with_gpu
  run in_root bash "$DIR/start.sh"
  [ "$status" -eq 0 ]
  grep -qx 'ExecStart=/opt/comfyui/venv/bin/python main.py --listen 0.0.0.0 --port 8188' "$TR/upper/etc/systemd/system/comfyui.service"
  [ "$(root_calls '^systemctl restart')" = "systemctl restart comfyui" ]
  BERTH_INPUT_DEVICE=cpu run in_root bash "$DIR/start.sh"
  grep -q -- '--cpu$' "$TR/upper/etc/systemd/system/comfyui.service"
}

@test "start: not installed, or the GPU asked for without one, is unavailable (69)" {
  run in_root bash "$DIR/start.sh"
  [ "$status" -eq 69 ]
  installed
  run in_root bash "$DIR/start.sh" --device gpu
  [ "$status" -eq 69 ]
}

@test "install and start: --dry-run changes nothing" {
  before=$(root_digest)
  run in_root bash "$DIR/install.sh" --dry-run
  [ "$status" -eq 0 ]
  run in_root bash "$DIR/start.sh" --dry-run
  [ "$status" -eq 0 ]
  [ "$before" = "$(root_digest)" ]
  [ -z "$(root_calls '^(git clone|pip|systemctl (enable|restart|start))')" ]
}
