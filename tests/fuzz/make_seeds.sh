#!/bin/sh
# make_seeds.sh QONNX_RTL SHARED_DIR CORPUS_DIR [BAD_GEN] - assemble the seed
# corpora for the fuzz targets: CORPUS_DIR/{onnx,compile,npy,foldjson}/.
#   onnx     every shipped model, the fixed examples, random mlp/cnn examples
#            (and the small --extras cnns of compile),
#            the broken models of tests/bad (when BAD_GEN, the bad_gen binary,
#            is given), and the committed seeds/onnx
#   compile  the shipped MLPs, tfc examples, small random mlps, seeds/compile,
#            and the CNNs: cnv-w1a1/cnv-w2a2, the shipped espcn and residual
#            models, small random cnns with --extras 1 (residual, concat,
#            dilation, avgpool, GAP) on 3x8x8 and other small inputs
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
for n in tfc-w1a1 tfc-w1a2 tfc-w2a2 cnv-w1a1 cnv-w2a2; do
  "$tool" -q example $n -o "$out/onnx/ex_$n.onnx"
done
cp "$out/onnx/ex_tfc-w1a1.onnx" "$out/onnx/ex_tfc-w2a2.onnx" "$out/compile/"
# CNNs (conv lowering: swg, pools, residual Add, Concat, GAP, Resize/DepthToSpace)
cp "$out/onnx/ex_cnv-w1a1.onnx" "$out/onnx/ex_cnv-w2a2.onnx" "$out/compile/"
for m in espcn/espcn_nn_resize_quant espcn/espcn_subpixel_quant residual/eltwise_chanlast_testcase \
         residual/residual_block_clean gscv2-kws/kwsmlp_w3a3; do
  [ -f "$shared/models/$m.onnx" ] && cp "$shared/models/$m.onnx" "$out/compile/shipped_$(basename $m).onnx"
done
for s in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24; do
  case $((s % 3)) in 0) in=3,8,8 ;; 1) in=2,6,6 ;; *) in=4,9,7 ;; esac
  "$tool" -q example cnn --seed $s --extras 1 --input $in -o "$out/compile/cnn_small_$s.onnx" 2>/dev/null || continue
  cp "$out/compile/cnn_small_$s.onnx" "$out/onnx/"
done
for s in 25 26 27 28 29 30; do  # power-of-two scales: residual Adds that compile
  "$tool" -q example cnn --seed $s --extras 1 --scale pow2 --input 3,8,8 -o "$out/compile/cnn_pow2_$s.onnx" 2>/dev/null || continue
  cp "$out/compile/cnn_pow2_$s.onnx" "$out/onnx/"
done
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
for m in "$out"/compile/mlp_small_*.onnx "$out/compile/ex_tfc-w1a1.onnx" "$out"/compile/cnn_small_[1-4].onnx; do
  i=$((i + 1))
  "$tool" -q "$m" -o "$tmp/c$i" --fold=auto 2>/dev/null && cp "$tmp/c$i/folding.json" "$out/foldjson/folding_$i.json"
  "$tool" -q "$m" -o "$tmp/n$i" --fold=none 2>/dev/null && cp "$tmp/n$i/folding.json" "$out/foldjson/folding_none_$i.json"
done
# the folding of fuzz_foldjson's CNN design (its CNN_OPTS), auto and none
"$tool" -q example cnn --seed 3 --input 4,8,8 --convs 8:3:1:1,res:8:3:1:1,8:1:1:0,cat:4:3:1:1,12:3:1:1:12 \
  --pool 0 --avgpool 4 --gap 1 --scale pow2 --wbits 2 --abits 2 --ibits 4 --fc 5 -o "$tmp/fold_cnn.onnx"
for f in auto none; do
  "$tool" -q "$tmp/fold_cnn.onnx" -o "$tmp/fold_cnn_$f" --fold=$f && cp "$tmp/fold_cnn_$f/folding.json" "$out/foldjson/folding_cnn_$f.json"
done
echo "seeds: $(ls "$out/onnx" | wc -l) onnx, $(ls "$out/compile" | wc -l) compile," \
     "$(ls "$out/npy" | wc -l) npy, $(ls "$out/foldjson" | wc -l) foldjson in $out"
