#!/usr/bin/env bash
# Creates (or updates) the ignored venv .venv-parity with the Hugging Face
# reference stack from scripts/python/requirements.txt: used by `npm run parity`
# and by tests that compare the app's image pipeline with Pillow or build
# models from Hugging Face checkpoints. The app itself never needs Python.
# `--genai` also installs scripts/python/requirements-genai.txt (onnxruntime and
# onnxruntime-genai with its model builder), which only `npm run bench:model` uses.
# Usage: bash scripts/setup-python.sh [--genai]   (prints the venv's python path last)
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv-parity
PY=${PYTHON:-python3}
if [ ! -x "$VENV/bin/python" ]; then
  echo "setup-python: creating $VENV" >&2
  "$PY" -m venv "$VENV"
fi
# Installs one requirements file, again only when it changed since its last successful install.
install() {
  local req=$1 stamp=$2 check=$3
  local want
  want=$(sha256sum "$req" | cut -d' ' -f1)
  if [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
    echo "setup-python: installing $req into $VENV" >&2
    # pip's exit status decides (PIPESTATUS); the grep only drops this machine's
    # noise about local index folders that do not exist.
    "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$req" 2>&1 | { grep -v "is ignored: it is neither a file nor a directory" >&2 || true; }
    "$VENV/bin/python" -c "$check"
    echo "$want" > "$stamp"
  fi
}
install scripts/python/requirements.txt "$VENV/.requirements.sha256" "import torch, transformers, PIL, numpy, safetensors"
if [ "${1:-}" = "--genai" ]; then
  install scripts/python/requirements-genai.txt "$VENV/.requirements-genai.sha256" "import onnxruntime, onnxruntime_genai, onnxruntime_genai.models.builder"
fi
echo "$VENV/bin/python"
