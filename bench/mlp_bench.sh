#!/usr/bin/env bash
# bench/mlp_bench.sh - issue #5 figures (a benchmark, not a test):
#   compile time ONNX -> RTL per shipped MLP (no simulation), the folding
#   --fold=auto picks on xc7z020 and its FPS at 100 MHz, and the Verilator
#   build + run time of --verify=10000 on TFC-w2a2.
# Usage: bench/mlp_bench.sh [BUILD_DIR] [SHARED_DIR]
set -u
cd "$(dirname "$0")/.."
build=${1:-build}
shared=${2:-../shared}
tool=$build/qonnx-rtl
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

printf '%-28s %10s %8s %14s  %s\n' model compile_s cycles fps@100MHz "folding (PE,SIMD) per mvu"
for m in mnist-tfc/TFC_1W1A mnist-tfc/TFC_1W2A mnist-tfc/TFC_2W2A gscv2-kws/kwsmlp_w3a3 \
         jet-tagging/qkeras_jettagging unsw-nb15/unsw_nb15-mlp-w2a2; do
  f=$shared/models/$m.onnx
  [ -f "$f" ] || { echo "skip $m (not found)"; continue; }
  # best of 3 wall-clock compile times
  best=
  for i in 1 2 3; do
    s=$(date +%s.%N)
    "$tool" -q "$f" --fold=auto --part=xc7z020 -o "$tmp/o" --force >/dev/null 2>&1 || { echo "FAIL $m"; break; }
    e=$(date +%s.%N)
    t=$(echo "$e - $s" | bc)
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
  done
  python3 - "$tmp/o/report.json" "$(basename $m)" "$best" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
fold = " ".join(f"({u['pe']},{u['simd']})" for u in r["units"] if u["kind"] == "mvu")
print(f"{sys.argv[2]:<28} {float(sys.argv[3]):10.3f} {r['bottleneck']['cycles_per_frame']:8} "
      f"{r['frames_per_second']:14.0f}  {fold}")
PY
done

f=$shared/models/mnist-tfc/TFC_2W2A.onnx
if [ -f "$f" ]; then
  echo
  echo "TFC-w2a2 --verify=10000 (Verilator, FINN folding (16,49)(8,8)(8,8)(10,8)):"
  cat > "$tmp/fold.json" <<'J'
{"mvu_0": {"PE": 16, "SIMD": 49}, "mvu_1": {"PE": 8, "SIMD": 8},
 "mvu_2": {"PE": 8, "SIMD": 8}, "mvu_3": {"PE": 10, "SIMD": 8}}
J
  s=$(date +%s.%N)
  "$tool" -v "$f" --fold="$tmp/fold.json" --verify=10000 -o "$tmp/v" --force 2>&1 | grep -E "verify|wrote"
  e=$(date +%s.%N)
  echo "total wall time: $(echo "$e - $s" | bc) s"
fi
