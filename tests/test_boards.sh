#!/usr/bin/env bash
# test_boards.sh - --board=NAME for every board, checked without Vivado: each
# DIR/boards/<board>/build.tcl runs under tclsh against tests/tcl_mock/
# (vivado_mock.tcl records the design, check_board.tcl checks it: our IP and
# the DMA exist, every stream connected with equal widths through the
# converters, clock and reset reach the IP, every address assigned; Vitis
# kernel packaging and link config for the U250), for models whose streams
# need no converter, padding only, and padding plus a width converter on
# either side; with and without board files.  Then the errors: unknown board
# or part, --part contradicting --board, a part missing from the Vivado
# installation, a missing IP repository, and two broken scripts that the
# checker must reject.
#
# usage: test_boards.sh QONNX_RTL SOURCE_DIR WORKDIR     (exit 77: no tclsh)
set -u
qr=$1 src=$2 work=$3
mock=$src/tests/tcl_mock
command -v tclsh >/dev/null || { echo "skip: tclsh not installed (Debian package tcl)"; exit 77; }
rm -rf "$work" && mkdir -p "$work" || exit 1
passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok  : $*"; }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }

# Models: tfc-w1a1 auto (input padded 14 -> 16 bytes), tfc-w2a2 with mvu_0
# SIMD 784 (196-byte input: DMA 128 bytes -> width converter -> 256 -> pad ->
# 196) and 10 outputs per beat (10 -> 16 bytes), a wide-output MLP (250-byte
# output: pad to 256, converter to 128) and an odd MLP unfolded (1-byte beats:
# DMA straight to the IP).
"$qr" -q example tfc-w1a1 -o "$work/tfc1.onnx" || exit 1
"$qr" -q example tfc-w2a2 -o "$work/tfc2.onnx" || exit 1
"$qr" -q example mlp --seed 5 --layers 24,200 --wbits 3 --abits 4 --ibits 4 -o "$work/wide.onnx" || exit 1
"$qr" -q example mlp --seed 7 --layers 37,13,5 --wbits 3 --abits 3 --ibits 5 -o "$work/odd.onnx" || exit 1
cat >"$work/tfc2_fold.json" <<'EOF'
{"mvu_0": {"PE": 16, "SIMD": 784}, "mvu_1": {"PE": 16, "SIMD": 64},
 "mvu_2": {"PE": 16, "SIMD": 64}, "mvu_3": {"PE": 10, "SIMD": 64}}
EOF
echo '{"mvu_0": {"PE": 200, "SIMD": 24}}' >"$work/wide_fold.json"
models=("tfc1 " "tfc2 --fold=$work/tfc2_fold.json" "wide --fold=$work/wide_fold.json" "odd --fold=none")

boards=(pynq-z1 pynq-z2 zcu104 kv260 ultra96-v2 u250)
for b in "${boards[@]}"; do
  for m in "${models[@]}"; do
    name=${m%% *} opts=${m#* }
    out="$work/${name}_$b"
    # shellcheck disable=SC2086
    if ! "$qr" -q "$work/$name.onnx" -o "$out" --board="$b" --clock-mhz=125 $opts 2>"$out.err"; then
      bad "$name compiles for $b"
      continue
    fi
    check "$name on $b: build.tcl under the Vivado mock" \
      tclsh "$mock/check_board.tcl" "$out/boards/$b" >"$out/check.log" 2>&1 || sed -n '/FAIL\|rror/p' "$out/check.log"
    grep -q "^FAIL" "$out/check.log" && sed -n '/^FAIL/p' "$out/check.log"
    part=$(sed -n 's/^set qr_part *"\(.*\)"/\1/p' "$out/boards/$b/build.tcl")
    check "$b: build.tcl's part $part is the part the compile used (report.json)" \
      grep -q "\"part\": {\"name\": \"$part\"" "$out/report.json"
  done
  if [ "$b" != u250 ]; then
    cp -r "$work/tfc1_$b" "$work/tfc1_${b}_bf"
    check "tfc1 on $b with board files installed (board preset applied)" \
      tclsh "$mock/check_board.tcl" "$work/tfc1_${b}_bf/boards/$b" -board-files >"$work/bf_$b.log" 2>&1
  fi
done
for c in in_dwc in_pad; do check "tfc2 (196-byte input) gets $c" grep -q "\] $c\$" "$work/tfc2_zcu104/boards/zcu104/build.tcl"; done
for c in out_pad out_dwc; do check "wide (250-byte output) gets $c" grep -q "\] $c\$" "$work/wide_kv260/boards/kv260/build.tcl"; done
check "odd (1-byte beats) needs no converter" \
  bash -c "! grep -q 'axis_subset_converter\|axis_dwidth_converter' '$work/odd_pynq-z2/boards/pynq-z2/build.tcl'"

# Spellings
for s in PYNQ_Z2 pynqz1 Ultra96 Kria-KV260 alveo_u250 ZCU-104; do
  check "--board=$s is accepted" "$qr" -q "$work/odd.onnx" -o "$work/spell_$s" --board="$s" --fold=none
done

# Usage errors: exit 2, one line, no output directory
usage_error() { # what expect-regexp args...
  local what=$1 re=$2; shift 2
  rm -rf "$work/err_out"
  "$qr" -q "$work/odd.onnx" -o "$work/err_out" "$@" 2>"$work/err.txt"
  local rc=$? n
  n=$(wc -l <"$work/err.txt")
  if [ $rc -eq 2 ] && [ "$n" -eq 1 ] && grep -Eq "$re" "$work/err.txt" && [ ! -e "$work/err_out" ]; then
    ok "$what: $(cat "$work/err.txt")"
  else
    bad "$what: exit $rc, $n line(s): $(cat "$work/err.txt")"
  fi
}
usage_error "unknown board" "^qonnx-rtl: error: unknown board 'zedboard'; known: PYNQ-Z1, PYNQ-Z2, ZCU104, KV260, Ultra96-V2, U250" --board=zedboard
usage_error "unknown part" "^qonnx-rtl: error: unknown part or board 'xc7a35t'" --part=xc7a35t
usage_error "--part contradicting --board" "is not the part of --board=PYNQ-Z2" --board=pynq-z2 --part=xczu7ev

# Errors inside build.tcl
check "a part not installed in Vivado stops build.tcl with a clear error" \
  tclsh "$mock/check_board.tcl" "$work/tfc1_zcu104/boards/zcu104" -parts xc7z020clg400-1 \
  -expect-error "part xczu7ev-ffvc1156-2-e \\(ZCU104\\) is not installed"
cp -r "$work/tfc1_pynq-z2" "$work/noip" && rm -rf "$work/noip/ip"
check "a missing IP repository stops build.tcl with a clear error" \
  tclsh "$mock/check_board.tcl" "$work/noip/boards/pynq-z2" -expect-error "qonnx-rtl.org:user:qr_tfc1:1.0 not found in"

# The checker catches broken scripts
mutant() { # what sed-expression
  rm -rf "$work/mut" && cp -r "$work/tfc2_pynq-z2" "$work/mut"
  sed -i "$2" "$work/mut/boards/pynq-z2/build.tcl"
  if tclsh "$mock/check_board.tcl" "$work/mut/boards/pynq-z2" >"$work/mut.log" 2>&1; then
    bad "the checker rejects a script with $1"
  else
    ok "the checker rejects a script with $1: $(grep -m1 -A1 'FAIL' "$work/mut.log" | tr -s '\n ' ' ' | cut -c1-220)"
  fi
}
mutant "the IP's reset left unconnected" 's#{qr_tfc2_0/ap_rst_n #{#'
mutant "a DMA stream narrower than the converter" 's/c_m_axis_mm2s_tdata_width 1024/c_m_axis_mm2s_tdata_width 512/'
mutant "the DMA registers left unmapped" '/S_AXI_LITE\/Reg/d; s/^assign_bd_address$//'
mutant "padding that drops the wrong bits" 's/tdata\[1567:0\]/tdata[1575:8]/'

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
