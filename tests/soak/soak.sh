#!/bin/sh
# tests/soak/soak.sh QONNX_RTL EXAMPLE FRAMES [SEED]
#
# EXAMPLE is a built-in example with its options ("tfc-w2a2", "mlp --seed 3 ...").
# Soak test: compile a built-in example with --fold=auto and stream FRAMES random
# frames through the Verilated design in one continuous run with random input gaps
# and output backpressure, every output beat compared with the integer model as it
# comes out (qonnx-rtl --verify=FRAMES: above 100,000 frames sim/driver/verify.c
# generates the frames from the seed on the fly instead of storing them).
# Prints frames, mismatches, measured cycles/frame vs analytic and wall time, and
# `1 passed, 0 failed` or `0 passed, 1 failed`.
set -u
tool=$1
example=$2
frames=$3
seed=${4:-1}
t=$(mktemp -d "${TMPDIR:-/tmp}/qr_soak_XXXXXX") || exit 1
trap 'rm -rf "$t"' EXIT INT TERM
start=$(date +%s)
# shellcheck disable=SC2086 # EXAMPLE carries the example's options
"$tool" -q example $example -o "$t/m.onnx" || exit 1
"$tool" "$t/m.onnx" --fold=auto --verify="$frames" --sim=verilator --seed="$seed" -o "$t/out" \
  > "$t/log" 2>&1 &
pid=$!
# Show progress while it runs (ctest prints the output at the end; a terminal sees it live).
tail -f "$t/log" --pid=$pid 2>/dev/null
wait $pid
rc=$?
wall=$(( $(date +%s) - start ))
echo "---- soak: $example, $frames frames, seed $seed"
line=$(grep 'verify: streamed' "$t/log" | tail -1)
[ -n "$line" ] && echo "$line" | sed 's/^qonnx-rtl: /  /'
grep -E 'verify: PASS|FAILED|error' "$t/log" | sed 's/^qonnx-rtl: /  /'
if [ -f "$t/out/report.json" ]; then
  python3 - "$t/out/report.json" <<'PY' 2>/dev/null || true
import json, sys
v = json.load(open(sys.argv[1]))["verify"]
print("  report.json verify: pass=%s frames=%d mismatches=%d cycles/frame (no stalls) %.3f, analytic %d"
      % (v["pass"], v["frames"], v["mismatches"], v["cycles_per_frame"], v["analytic_cycles_per_frame"]))
PY
fi
echo "  wall time: $wall s (whole command: example, compile, float check, Verilator build and run)"
if [ $rc -eq 0 ] && [ -n "$line" ]; then
  echo "1 passed, 0 failed"
  exit 0
fi
echo "soak: qonnx-rtl exited $rc"
echo "0 passed, 1 failed"
exit 1
