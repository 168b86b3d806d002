#!/usr/bin/env bash
# bench/cnn_bench.sh - issue #6 figures (a benchmark, not a test):
#   compile time ONNX -> RTL (no simulation, best of 3) for the CNV examples,
#   the ESPCN models and the eltwise test case; the folding --fold=auto picks on
#   xc7z020 and its FPS at 100 MHz next to finn-examples' CNV-w1a1 figure
#   (3,020 FPS on PYNQ-Z1 at 100 MHz); Verilator build and time per frame for
#   --verify=N (N=4 for CNV, 1 for the big models).
# Usage: bench/cnn_bench.sh [BUILD_DIR] [SHARED_DIR] [--no-sim]
set -u
cd "$(dirname "$0")/.."
build=${1:-build}
shared=${2:-../shared}
nosim=${3:-}
tool=$build/qonnx-rtl
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$tool" -q example cnv-w1a1 -o "$tmp/cnv-w1a1.onnx"
"$tool" -q example cnv-w2a2 -o "$tmp/cnv-w2a2.onnx"

printf '%-26s %9s %10s %12s %9s %9s %6s %5s  %s\n' model compile_s cycles fps@100MHz LUT FF BRAM18 DSP \
  "published"
for m in "$tmp/cnv-w1a1.onnx" "$tmp/cnv-w2a2.onnx" "$shared/models/espcn/espcn_nn_resize_quant.onnx" \
         "$shared/models/espcn/espcn_subpixel_quant.onnx" \
         "$shared/models/residual/eltwise_chanlast_testcase.onnx"; do
  [ -f "$m" ] || { echo "skip $m (not found)"; continue; }
  name=$(basename "$m" .onnx)
  best=
  for i in 1 2 3; do
    s=$(date +%s.%N)
    "$tool" -q "$m" --fold=auto --part=xc7z020 -o "$tmp/o" --force >/dev/null 2>&1 || { echo "FAIL $name"; break; }
    e=$(date +%s.%N)
    t=$(echo "$e - $s" | bc)
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
  done
  pub=""
  [ "$name" = cnv-w1a1 ] && pub="finn-examples CNV-w1a1: 3,020 FPS (PYNQ-Z1, 100 MHz)"
  python3 - "$tmp/o/report.json" "$name" "$best" "$pub" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
t = r.get("totals", r.get("total", {}))
def g(k):
    for kk in (k, k.lower()):
        if kk in t: return t[kk]
    return "?"
print(f"{sys.argv[2]:<26} {float(sys.argv[3]):9.3f} {r['bottleneck']['cycles_per_frame']:10} "
      f"{r['frames_per_second']:12.1f} {g('LUT'):>9} {g('FF'):>9} {g('BRAM18'):>6} {g('DSP'):>5}  {sys.argv[4]}")
PY
done
[ "$nosim" = --no-sim ] && exit 0
echo
echo "Verilator (auto folding): build time and simulated time per frame"
for m in "$tmp/cnv-w1a1.onnx:4" "$tmp/cnv-w2a2.onnx:4" "$shared/models/espcn/espcn_subpixel_quant.onnx:1"; do
  f=${m%:*}; n=${m##*:}
  [ -f "$f" ] || continue
  echo "== $(basename "$f" .onnx), $n frames"
  "$tool" -v "$f" --fold=auto --verify="$n" -o "$tmp/v" --force 2>&1 | grep -E "Verilator build took|simulation took|PASS|FAIL|error" \
    | sed 's/^qonnx-rtl: //'
done
