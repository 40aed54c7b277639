#!/usr/bin/env bash
# Creates (or updates) the ignored venv .venv-parity with the Hugging Face
# reference stack from scripts/python/requirements.txt: used by `npm run parity`
# and by tests that compare the app's image pipeline with Pillow or build
# models from Hugging Face checkpoints. The app itself never needs Python.
# Usage: bash scripts/setup-python.sh        (prints the venv's python path last)
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv-parity
REQ=scripts/python/requirements.txt
PY=${PYTHON:-python3}
if [ ! -x "$VENV/bin/python" ]; then
  echo "setup-python: creating $VENV" >&2
  "$PY" -m venv "$VENV"
fi
# Reinstall only when the requirements changed since the last successful install.
STAMP="$VENV/.requirements.sha256"
WANT=$(sha256sum "$REQ" | cut -d' ' -f1)
if [ "$(cat "$STAMP" 2>/dev/null || true)" != "$WANT" ]; then
  echo "setup-python: installing $REQ into $VENV" >&2
  # pip's exit status decides (PIPESTATUS); the grep only drops this machine's
  # noise about local index folders that do not exist.
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$REQ" 2>&1 | { grep -v "is ignored: it is neither a file nor a directory" >&2 || true; }
  "$VENV/bin/python" -c "import torch, transformers, PIL, numpy, safetensors"
  echo "$WANT" > "$STAMP"
fi
echo "$VENV/bin/python"
