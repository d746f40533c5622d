#!/usr/bin/env bash
# Installs Keras 3 with its TensorFlow backend into target/tools/keras-venv for KerasToJsonScriptTest, which runs
# scripts/keras_to_json.py over the Keras fixtures. Idempotent. Prints the venv's python for KERAS_PYTHON.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="$ROOT/target/tools/keras-venv"
if ! "$VENV/bin/python" -c "import keras" >/dev/null 2>&1; then
    python3 -m venv "$VENV" >&2
    # --retries 0: where only a local package index answers, the default index fails at once instead of after retries
    "$VENV/bin/pip" install --quiet --retries 0 "keras==3.15.1" tensorflow-cpu h5py >&2
fi
echo "$VENV/bin/python"
