#!/bin/sh
# make_seeds.sh QONNX_RTL SHARED_DIR CORPUS_DIR [BAD_GEN] - assemble the seed
# corpora for the fuzz targets: CORPUS_DIR/{onnx,compile,npy,foldjson}/.
#   onnx     every shipped model, the fixed examples, random mlp/cnn examples,
#            the broken models of tests/bad (when BAD_GEN, the bad_gen binary,
#            is given), and the committed seeds/onnx
#   compile  the shipped MLPs, tfc examples, small random mlps, seeds/compile
#   npy      seeds/npy (written by make_npy_seeds.py)
#   foldjson seeds/foldjson and the folding.json of compiled examples
# Everything is regenerated from the tool, so nothing large is committed.
set -eu
tool=$(realpath "$1"); shared=$2; out=$3; badgen=${4:+$(realpath "$4")}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out/onnx" "$out/compile" "$out/npy" "$out/foldjson"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cp "$here"/seeds/onnx/* "$out/onnx/"; cp "$here"/seeds/compile/* "$out/compile/"
cp "$here"/seeds/npy/* "$out/npy/"; cp "$here"/seeds/foldjson/* "$out/foldjson/"
for m in "$shared"/models/*/*.onnx; do
  [ -f "$m" ] && cp "$m" "$out/onnx/shipped_$(basename "$m")"
done
for m in mnist-tfc/TFC_1W1A mnist-tfc/TFC_2W2A jet-tagging/qkeras_jettagging unsw-nb15/unsw_nb15-mlp-w2a2; do
  [ -f "$shared/models/$m.onnx" ] && cp "$shared/models/$m.onnx" "$out/compile/shipped_$(basename $m).onnx"
done
for n in tfc-w1a1 tfc-w1a2 tfc-w2a2 cnv-w1a1; do
  "$tool" -q example $n -o "$out/onnx/ex_$n.onnx"
done
cp "$out/onnx/ex_tfc-w1a1.onnx" "$out/onnx/ex_tfc-w2a2.onnx" "$out/compile/"
for s in 1 2 3 4 5 6 7 8; do
  "$tool" -q example mlp --seed $s -o "$out/onnx/mlp_$s.onnx"
  "$tool" -q example cnn --seed $s -o "$out/onnx/cnn_$s.onnx" 2>/dev/null || true
  "$tool" -q example mlp --seed $s --layers $((s + 3)),$((s + 2)),3 -o "$out/compile/mlp_small_$s.onnx"
done
if [ -n "$badgen" ]; then
  (cd "$tmp" && "$badgen" >/dev/null && for f in *.onnx; do cp "$f" "$out/onnx/bad_$f"; done)
fi
# folding files of compiles of the small models, auto and none
i=0
for m in "$out"/compile/mlp_small_*.onnx "$out/compile/ex_tfc-w1a1.onnx"; do
  i=$((i + 1))
  "$tool" -q "$m" -o "$tmp/c$i" --fold=auto && cp "$tmp/c$i/folding.json" "$out/foldjson/folding_$i.json"
  "$tool" -q "$m" -o "$tmp/n$i" --fold=none && cp "$tmp/n$i/folding.json" "$out/foldjson/folding_none_$i.json"
done
echo "seeds: $(ls "$out/onnx" | wc -l) onnx, $(ls "$out/compile" | wc -l) compile," \
     "$(ls "$out/npy" | wc -l) npy, $(ls "$out/foldjson" | wc -l) foldjson in $out"
