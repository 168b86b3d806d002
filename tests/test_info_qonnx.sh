#!/bin/sh
# test_info_qonnx.sh VENV QONNX-RTL SHARED - cross-check `qonnx-rtl info --qonnx`
# against qonnx's own inference_cost (dense and sparse) on the example models
# and the shipped ones.  Optional: skips (77) when the venv with qonnx is missing.
venv=$1 exe=$2 shared=$3
py="$venv/bin/python"
if [ ! -x "$py" ]; then
  echo "SKIP: no Python venv at $venv (setup.sh creates build/venv; or cmake -DQR_VENV=...)"
  exit 77
fi
if ! "$py" -c "import qonnx.util.inference_cost, onnxruntime" 2>/dev/null; then
  echo "SKIP: $py cannot import qonnx and onnxruntime"
  exit 77
fi
dir=$(mktemp -d "${TMPDIR:-/tmp}/qr_info_qonnx_XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT
for m in tfc-w1a1 tfc-w1a2 tfc-w2a2 cnv-w1a1 cnv-w2a2; do
  "$exe" -q example $m -o "$dir/$m.onnx" || exit 1
done
for s in 1 2 3 4 5 6 7 8 9 10 11 12; do
  "$exe" -q example mlp --seed $s -o "$dir/mlp$s.onnx" || exit 1
  "$exe" -q example cnn --seed $s -o "$dir/cnn$s.onnx" || exit 1
done
models="$dir/*.onnx"
if [ -d "$shared/models" ]; then
  models="$models $(find "$shared/models" -name '*.onnx' | sort | tr '\n' ' ')"
else
  echo "note: $shared/models not found; checking the example models only"
fi
# not `exec`: the EXIT trap must still remove $dir
"$py" "$(dirname "$0")/test_info_qonnx.py" "$exe" $models
