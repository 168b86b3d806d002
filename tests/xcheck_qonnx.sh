#!/bin/sh
# xcheck_qonnx.sh - run tests/xcheck_qonnx.py (or, with --script, another helper) in the
# optional qonnx venv; skip (77) with a message when the venv (setup.sh: build/venv with
# qonnx + onnxruntime) is absent.
# usage: xcheck_qonnx.sh VENV QONNX_RTL SHARED_DIR [SAMPLES] [MODEL_SUBSTRING]
#        xcheck_qonnx.sh VENV --script HELPER.py ARGS...  (another helper in tests/)
venv=$1; shift
script=xcheck_qonnx.py
if [ "$1" = "--script" ]; then script=$2; shift 2; fi
py="$venv/bin/python"
if [ ! -x "$py" ] || ! "$py" -c 'import qonnx, onnxruntime' >/dev/null 2>&1; then
  echo "SKIP: no Python venv with qonnx + onnxruntime at $venv (setup.sh creates build/venv;"
  echo "      or configure with -DQR_VENV=/path/to/venv)"
  exit 77
fi
exec "$py" "$(dirname "$0")/$script" "$@"
