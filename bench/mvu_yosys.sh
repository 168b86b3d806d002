#!/usr/bin/env bash
# bench/mvu_yosys.sh: synthesize representative qr_mvu configurations with Yosys
# (synth_xilinx, 7-series cells) and print LUT / FF / BRAM18 / DSP per
# configuration, next to FINN's published MVAU estimate where one matches.
# A benchmark, not a test: nothing here passes or fails.
#
#   bench/mvu_yosys.sh            all configurations (~5 min on 2 idle cores; the TFC ones
#                                 take ~30 s each, the 784-wide INT2 one ~2 min)
#   bench/mvu_yosys.sh NAME...    only these (names as in the table)
#   KEEP=1 bench/mvu_yosys.sh     keep the temp dir (Yosys logs) and print where
#
# Weights and thresholds are random .mem files of the right shape (the layouts
# of rtl-lib/qr_mvu.sv) in a temp dir: synthesis folds a ROM's contents into
# the logic, so the numbers are for random (incompressible) weights.
#   LUT    = LUT1..LUT6 + LUTs in LUTRAM (RAM32M/RAM64M: 4, RAM32X1D/RAM64X1D: 2,
#            RAM128X1D: 4, RAM32X1S/RAM64X1S: 1); the LUTRAM part also on its own
#   FF     = FDRE + FDSE + FDCE + FDPE
#   BRAM18 = RAMB18E1 + 2 x RAMB36E1
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
lib=$here/rtl-lib
command -v yosys >/dev/null || { echo "mvu_yosys: yosys not found" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mvu_yosys.XXXXXX")
if [ "${KEEP:-0}" = 1 ]; then echo "mvu_yosys: logs in $tmp"; else trap 'rm -rf "$tmp"' EXIT; fi

# name MW MH PE SIMD IBits ISigned IBipolar WBits WSigned WBipolar T OBias RamStyle "FINN reference"
configs=(
  "tfc_l0_w1a1 784 64 16 49 1 0 1 1 0 1 1 0 block FINN_MVAU_est:_5650_LUT,_22_BRAM18"
  "tfc_l0_w1a1_auto 784 64 16 49 1 0 1 1 0 1 1 0 auto -"
  "tfc_l1_w1a1 64 64 16 16 1 0 1 1 0 1 1 0 auto -"
  "tfc_l0_w2a2 784 64 16 49 2 1 0 2 1 0 3 -2 block -"
  "fc_w4a4_lut 600 64 8 24 4 0 0 4 1 0 15 -8 block -"
  "fc_w8a8_dsp 64 64 4 8 8 1 0 8 1 0 0 0 auto -"
  "fc_49x10_w3a3_nothr 49 10 1 7 3 0 0 3 1 0 0 0 auto -"
  "fc_49x10_full_w1a4 49 10 10 49 4 0 0 1 0 1 0 0 auto -"
)

clog2() { local n=$1 b=0; while [ $((1 << b)) -lt "$n" ]; do b=$((b + 1)); done; echo $b; }

# randmem FILE DEPTH BITS SEED: DEPTH random hex words of BITS bits.
randmem() {
  awk -v depth="$2" -v bits="$3" -v seed="$4" 'BEGIN {
    srand(seed); nd = int((bits + 3) / 4); top = bits - 4 * (nd - 1);
    for (i = 0; i < depth; i++) {
      s = sprintf("%x", int(rand() * (2 ^ top)));
      for (d = 1; d < nd; d++) s = s sprintf("%x", int(rand() * 16));
      print s;
    }
  }' > "$1"
}

want=" $* "
printf '%-22s %-38s %7s %7s %6s %6s %4s  %s\n' config params LUT LUTRAM FF BRAM18 DSP reference
for c in "${configs[@]}"; do
  read -r name mw mh pe simd ib is ibp wb ws wbp t ob style ref <<<"$c"
  [ $# -gt 0 ] && [[ "$want" != *" $name "* ]] && continue
  d=$tmp/$name; mkdir -p "$d"
  xw=$([ "$ibp" = 1 ] && echo 1 || echo $((ib + (is ? 0 : 1))))
  ww=$([ "$wbp" = 1 ] && echo 1 || echo $((wb + (ws ? 0 : 1))))
  acc=$((xw + ww + $(clog2 "$mw")))
  randmem "$d/w.mem" $(((mh / pe) * (mw / simd))) $((pe * simd * wb)) 1
  params="-set MW $mw -set MH $mh -set PE $pe -set SIMD $simd -set IBits $ib -set ISigned $is"
  params+=" -set IBipolar $ibp -set WBits $wb -set WSigned $ws -set WBipolar $wbp"
  params+=" -set WeightFile \"$d/w.mem\" -set RamStyle \"$style\""
  if [ "$t" -gt 0 ]; then
    randmem "$d/t.mem" $((mh / pe)) $((pe * t * (acc + 1))) 2
    # chparam cannot read "-2": give the bias as a 32-bit two's complement literal.
    params+=" -set NumThresholds $t -set OBias 32'sh$(printf %08x $((ob & 0xffffffff)))"
    params+=" -set ThreshFile \"$d/t.mem\""
  fi
  if ! yosys -q -l "$d/yosys.log" -p "read_verilog -sv $lib/qr_mvu.sv $lib/qr_mvu_mul.sv \
        $lib/qr_mvu_addtree.sv $lib/qr_mvu_fifo.sv $lib/qr_thresh_core.sv;
        chparam $params qr_mvu; synth_xilinx -flatten -top qr_mvu; tee -o $d/stat.txt stat" \
        >/dev/null 2>&1; then
    echo "mvu_yosys: $name: yosys failed, see $d/yosys.log" >&2; KEEP=1; trap - EXIT; continue
  fi
  cnt() { awk -v re="^($1)\$" '$1 ~ re { n += $2 } END { print n + 0 }' "$d/stat.txt"; }
  lut=$(cnt 'LUT[1-6]')
  lutram=$(( 4 * $(cnt 'RAM32M|RAM64M|RAM128X1D') + 2 * $(cnt 'RAM32X1D|RAM64X1D') + $(cnt 'RAM32X1S|RAM64X1S') ))
  ff=$(cnt 'FDRE|FDSE|FDCE|FDPE')
  bram=$(( $(cnt RAMB18E1) + 2 * $(cnt RAMB36E1) ))
  dsp=$(cnt 'DSP48E1')
  ty="i$([ "$ibp" = 1 ] && echo bip || echo "$([ "$is" = 1 ] && echo s || echo u)$ib")"
  ty+=" w$([ "$wbp" = 1 ] && echo bip || echo "$([ "$ws" = 1 ] && echo s || echo u)$wb")"
  printf '%-22s %-38s %7d %7d %6d %6d %4d  %s\n' "$name" \
    "${mw}x${mh} PE$pe SIMD$simd $ty T$t $style" $((lut + lutram)) "$lutram" "$ff" "$bram" "$dsp" \
    "${ref//_/ }"
done
