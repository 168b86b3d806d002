#!/bin/sh
# exec_bench.sh - a benchmark, not a test: golden-executor throughput of
# `qonnx-rtl exec` on TFC-w2a2 and CNV-w2a2 (the built-in examples, same
# topology as the Brevitas models), and the time of `qonnx-rtl info`
# (load + cleanup + dtype inference + cost) on them and on the shipped TFC.
#
#   bench/exec_bench.sh [QONNX-RTL] [TFC_FRAMES] [CNV_FRAMES]
#
# Frames/s are the steady-state rate: (time for N frames - time for 1 frame)
# / (N - 1), so the one-off load and cleanup are not counted; the total for N
# frames is printed too.  Inputs are random uint8 images (exec converts them
# to the float input), written as .npy by this script (no Python needed).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
exe=${1:-$here/../build/qonnx-rtl}
ntfc=${2:-2000}
ncnv=${3:-20}
shared=${QR_SHARED_DIR:-$here/../../shared}
[ -x "$exe" ] || { echo "exec_bench: no qonnx-rtl at $exe (give its path)" >&2; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/qr_exec_bench_XXXXXX")
trap 'rm -rf "$tmp"' EXIT

now() { date +%s.%N; }

# write_npy FILE N C H W: N random uint8 images of C x H x W
write_npy() {
  local f=$1 n=$2 c=$3 h=$4 w=$5 dict len pad hlen
  dict="{'descr': '|u1', 'fortran_order': False, 'shape': ($n, $c, $h, $w), }"
  # magic (6) + version (2) + length (2) + dict + padding + newline: a multiple of 64
  len=${#dict}
  pad=$(( (64 - (10 + len + 1) % 64) % 64 ))
  hlen=$(( len + pad + 1 ))
  {
    printf '\223NUMPY\001\000'
    printf "\\$(printf %03o $((hlen % 256)))\\$(printf %03o $((hlen / 256)))"
    printf '%s%*s\n' "$dict" "$pad" ""
    head -c $((n * c * h * w)) /dev/urandom
  } > "$f"
}

# run_exec MODEL INPUT: seconds for one exec run (functions use `local`: dash and bash have it)
run_exec() {
  local t0 t1
  t0=$(now)
  "$exe" -q exec "$1" -i "$2" -o "$tmp/out.npy" >/dev/null
  t1=$(now)
  echo "$t0 $t1" | awk '{ printf "%.6f", $2 - $1 }'
}

bench_exec() {
  local name=$1 model=$2 n=$3 c=$4 h=$5 w=$6 t1 tn
  write_npy "$tmp/x1.npy" 1 "$c" "$h" "$w"
  write_npy "$tmp/xn.npy" "$n" "$c" "$h" "$w"
  t1=$(run_exec "$model" "$tmp/x1.npy")
  tn=$(run_exec "$model" "$tmp/xn.npy")
  echo "$name $n $t1 $tn" | awk '{
    per = ($4 - $3) / ($2 - 1); if (per <= 0) per = $4 / $2;
    printf "exec %-9s %6d frames in %8.3f s (1 frame incl. load: %.3f s): %10.1f frames/s, %.3f ms/frame\n",
           $1, $2, $4, $3, 1 / per, per * 1000 }'
}

# bench_info NAME MODEL RUNS: mean wall time of `info` (load + cleanup + cost)
bench_info() {
  local name=$1 model=$2 runs=$3 t0 t1 i
  t0=$(now)
  i=0
  while [ $i -lt "$runs" ]; do
    "$exe" -q info "$model" >/dev/null
    i=$((i + 1))
  done
  t1=$(now)
  echo "$name $runs $t0 $t1" | awk '{ printf "info %-9s load+cleanup+info: %8.2f ms (mean of %d runs)\n", $1, ($4 - $3) / $2 * 1000, $2 }'
}

"$exe" -q example tfc-w2a2 -o "$tmp/tfc.onnx"
"$exe" -q example cnv-w2a2 -o "$tmp/cnv.onnx"
echo "qonnx-rtl: $exe ($(uname -m), $(nproc 2>/dev/null || echo ?) cores)"
bench_exec TFC-w2a2 "$tmp/tfc.onnx" "$ntfc" 1 28 28
bench_exec CNV-w2a2 "$tmp/cnv.onnx" "$ncnv" 3 32 32
bench_info TFC-w2a2 "$tmp/tfc.onnx" 20
bench_info CNV-w2a2 "$tmp/cnv.onnx" 5
if [ -f "$shared/models/mnist-tfc/TFC_2W2A.onnx" ]; then
  bench_info TFC_2W2A "$shared/models/mnist-tfc/TFC_2W2A.onnx" 20
fi
