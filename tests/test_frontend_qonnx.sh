#!/bin/sh
# test_frontend_qonnx.sh VENV TEST_FRONTEND_MODELS SHARED_DIR - optional
# cross-check of our shapes after cleanup against Python qonnx; skips (77)
# when the venv with qonnx is missing.
venv=$1; tool=$2; shared=$3
py="$venv/bin/python"
if [ ! -x "$py" ] || ! "$py" -c "import qonnx" 2>/dev/null; then
  echo "SKIP: no Python venv with qonnx at $venv (setup.sh makes build/venv)"
  exit 77
fi
exec "$py" "$(dirname "$0")/frontend_qonnx_shapes.py" "$tool" "$shared"
