#!/usr/bin/env bash
# bench/fifo_bench.sh - issue #8 FIFO sizing figures (a benchmark, not a test): for every
# shipped model (the MLPs and CNNs in ../shared/models, the built-in CNV examples) and a
# few generated CNNs with residual adds and concats,
#   FIFOs, total FIFO bits before sizing (the formula) and after (--fifo=sim, the
#   default), compile time (qonnx-rtl, no verification), and the cycle simulation
#   (ir/fifo_sim.c, without the compile's work budget): cycles/frame at the formula's
#   depths and at the sized ones against the analytic bottleneck, beats and seconds of
#   one run.
# Usage: bench/fifo_bench.sh [BUILD_DIR] [SHARED_DIR]   (BUILD_DIR has qonnx-rtl and
#        tests/test_fifo_sim)
set -u
cd "$(dirname "$0")/.."
build=${1:-build}
shared=${2:-../shared}
tool=$build/qonnx-rtl
simtool=$build/tests/test_fifo_sim
[ -x "$tool" ] && [ -x "$simtool" ] || { echo "need $tool and $simtool (make qonnx-rtl test_fifo_sim)"; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

models=()
for m in mnist-tfc/TFC_1W1A mnist-tfc/TFC_1W2A mnist-tfc/TFC_2W2A unsw-nb15/unsw_nb15-mlp-w2a2 \
         gscv2-kws/kwsmlp_w3a3 jet-tagging/qkeras_jettagging residual/eltwise_chanlast_testcase \
         espcn/espcn_subpixel_quant espcn/espcn_nn_resize_quant; do
  [ -f "$shared/models/$m.onnx" ] && models+=("$shared/models/$m.onnx|auto")
done
for ex in cnv-w1a1 cnv-w1a2 cnv-w2a2; do
  "$tool" -q example $ex -o "$tmp/$ex.onnx" && models+=("$tmp/$ex.onnx|auto")
done
# generated joins (as tests/fifo.cmake): residual adds, concats, at three foldings
gen() { "$tool" -q example cnn $2 -o "$tmp/$1.onnx" && models+=("$tmp/$1.onnx|$3"); }
gen res-auto "--seed 3 --input 3,16,16 --convs 8:3:1:1,res2:8:3:1:1,8:3:1:1 --scale pow2 --abits 4 --fc 10" auto
gen res-none "--seed 3 --input 3,16,16 --convs 8:3:1:1,res2:8:3:1:1,8:3:1:1 --scale pow2 --abits 4 --fc 10" none
gen res2-fps "--seed 4 --input 4,14,14 --convs 6:3:1:1,res:6:3:1:1,8:3:2:1,res:8:3:1:1 --scale pow2 --abits 3 --fc 5" auto:fps=20000
gen cat-auto "--seed 5 --input 3,12,12 --convs 8:3:1:1,6:3:1:1,cat:5:1:1:0 --abits 2 --fc 4" auto
gen catres-none "--seed 6 --input 2,18,18 --convs 6:5:1:2,4:3:1:1,cat:4:1:1:0,res:8:3:1:1 --scale pow2 --abits 3 --fc 4" none

printf '%-26s %-15s %5s %11s %10s %9s | %11s %11s %10s %7s %7s %6s\n' model fold FIFOs bits_before \
  bits_after compile_s sim_before sim_after analytic diff% Mbeats sim_s
for mf in "${models[@]}"; do
  m=${mf%|*}; fold=${mf##*|}
  name=$(basename "$m" .onnx)
  s=$(date +%s.%N)
  if ! "$tool" -q "$m" --fold="$fold" -o "$tmp/o" --force >/dev/null 2>"$tmp/err"; then
    printf '%-26s %-15s compile failed: %s\n' "$name" "$fold" "$(head -1 "$tmp/err")"
    continue
  fi
  e=$(date +%s.%N)
  row=$("$simtool" model "$m" "$fold" | grep '^row:')
  python3 - "$tmp/o/report.json" "$name" "$fold" "$(echo "$e - $s" | bc)" "$row" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
t = r["totals"]
row = dict(kv.split("=") for kv in sys.argv[5].split()[1:]) if sys.argv[5] else {}
b, a, ana = (float(row.get(k, 0)) for k in ("sim_before", "sim_after", "analytic"))
diff = 100 * (max(a, b) - ana) / ana if ana else float("nan")
print(f"{sys.argv[2]:<26} {sys.argv[3]:<15} {row.get('fifos', '?'):>5} {t['fifo_bits_before']:>11} "
      f"{t['fifo_bits_after']:>10} {float(sys.argv[4]):9.3f} | {b:11.1f} {a:11.1f} {ana:10.0f} {diff:7.3f} "
      f"{int(row.get('beats', 0)) / 1e6:7.2f} {float(row.get('sim_s', 0)):6.3f}")
PY
done
