#!/usr/bin/env bash
# bench/calib/run.sh: the calibration sweep of the resource model (issue #8).
#
#   bench/calib/run.sh [--quick] [--no-fit] [NAME...]
#
# Synthesizes every unit configuration of bench/calib/sweep.txt (or those tagged
# `quick`, or the NAMEs given) with Yosys `synth_xilinx -flatten -noiopad`
# (7-series cells, like bench/mvu_yosys.sh), appends one row per configuration to
# bench/calib/data.csv (columns: bench/calib/calib.h), then runs the fit
# (bench/calib/fit.c) over the whole file, which prints the coefficient table for
# ir/resources.c and every row's error.
#
# Cache: a configuration whose row in data.csv has the same sweep line (cfg hash),
# the same RTL sources (rtl hash) and the same parameter columns (what calib_gen
# makes of the line now: a style "auto" resolves through the current model) is
# not synthesized again; otherwise its row is replaced.  So after an RTL change
# the script re-runs exactly the units that use the changed files.
#
# Environment:
#   BUILD_DIR   CMake build directory for calib_gen / calib_fit (default: build)
#   KEEP=1      keep the work directory (.mem files, Yosys logs, stat.txt)
#   HIER=1      also print Yosys `stat` per submodule (a second, hierarchical
#               synth_xilinx run: where the LUTs go); not stored in data.csv
#
# Counting (as bench/mvu_yosys.sh):
#   LUT    = LUT1..LUT6 + LUTs in LUTRAM (RAM32M/RAM64M/RAM128X1D/RAM256X1S: 4,
#            RAM32X1D/RAM64X1D/RAM128X1S: 2, RAM32X1S/RAM64X1S: 1) + SRL16E/SRLC32E;
#            lutram = the LUTRAM part alone
#   FF     = FDRE + FDSE + FDCE + FDPE
#   BRAM18 = RAMB18E1 + 2 x RAMB36E1
#   DSP    = DSP48E1
# Yosys runs under `nice -n 10`, one at a time; seconds = its user + system CPU.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
lib=$root/rtl-lib
csv=$here/data.csv
build=${BUILD_DIR:-$root/build}
case $build in /*) ;; *) build=$root/$build ;; esac
header="name,unit,mw,mh,pe,simd,in,w,out,acc,t,obias,k,depth,in_elems,out_elems,ram_style,style,lut,lutram,ff,bram18,dsp,seconds,cfg,rtl"

quick=0 fit=1 names=()
for a in "$@"; do
  case $a in
    --quick) quick=1 ;;
    --no-fit) fit=0 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "run.sh: unknown option $a" >&2; exit 2 ;;
    *) names+=("$a") ;;
  esac
done

command -v yosys >/dev/null || { echo "run.sh: yosys not found" >&2; exit 1; }
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
nice -n 10 cmake --build "$build" --target calib_gen calib_fit -j1 >/dev/null
gen=$build/tests/calib_gen
[ -x "$gen" ] || gen=$(find "$build" -name calib_gen -type f -perm -u+x | head -1)
fitbin=$(dirname "$gen")/calib_fit

[ -f "$csv" ] || echo "$header" > "$csv"
if [ "$(head -1 "$csv")" != "$header" ]; then
  echo "run.sh: $csv has another header; move it away to start over" >&2; exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/calib.XXXXXX")
if [ "${KEEP:-0}" = 1 ]; then echo "run.sh: work directory $tmp"; else trap 'rm -rf "$tmp"' EXIT; fi

# Replace (or add) the row of configuration $1 by line $2, keeping the file's order.
put_row() {
  awk -F, -v n="$1" -v row="$2" 'BEGIN { done = 0 }
    NR > 1 && $1 == n { if (!done) print row; done = 1; next }
    { print } END { if (!done) print row }' "$csv" > "$csv.tmp" && mv "$csv.tmp" "$csv"
}

cnt() { awk -v re="^($1)\$" '$1 ~ re { n += $2 } END { print n + 0 }' "$2"; }

want=" ${names[*]:-} "
total=0 ran=0 cached=0 failed=0 cpu=0
while read -r line; do
  line=${line%%#*}
  read -r unit name rest <<<"$line" || true
  [ -n "${unit:-}" ] || continue
  [ ${#names[@]} -gt 0 ] && [[ "$want" != *" $name "* ]] && continue
  tags=" $rest "
  [ "$quick" = 1 ] && [[ "$tags" != *" quick "* ]] && continue
  total=$((total + 1))
  kv=()
  for t in $rest; do [[ $t == *=* ]] && kv+=("$t"); done
  d=$tmp/$name; mkdir -p "$d"
  if ! "$gen" "$d" "$unit" "$name" "${kv[@]}" > "$d/gen.txt" < /dev/null; then
    echo "run.sh: $name: calib_gen failed" >&2; failed=$((failed + 1)); continue
  fi
  top=$(sed -n 's/^TOP //p' "$d/gen.txt")
  srcs=$(sed -n 's/^SRCS //p' "$d/gen.txt")
  params=$(sed -n 's/^PARAMS //p' "$d/gen.txt")
  rowp=$(sed -n 's/^ROW //p' "$d/gen.txt")
  cfg=$(printf '%s %s %s' "$unit" "$name" "${kv[*]}" | sha1sum | cut -c1-8)
  files=() ; for s in $srcs; do files+=("$lib/$s"); done
  rtl=$(cat "${files[@]}" | sha1sum | cut -c1-8)
  # cached: same sweep line, same RTL, and the same unit as calib_gen sees it now
  # (e.g. auto resolved to the same style by the current model)
  if awk -F, -v n="$name" -v c="$cfg" -v r="$rtl" -v p="$rowp" 'NR > 1 && $1 == n && $25 == c && $26 == r {
         q = $1; for (i = 2; i <= 18; i++) q = q "," $i; if (q == p) f = 1 }
       END { exit !f }' "$csv"; then
    cached=$((cached + 1)); continue
  fi
  printf 'run.sh: %-24s %s ... ' "$name" "$unit"
  t0=$(date +%s)
  if ! /usr/bin/time -f '%U %S' -o "$d/time.txt" nice -n 10 yosys -q -l "$d/yosys.log" -p \
      "read_verilog -sv ${files[*]}; chparam $params $top; synth_xilinx -flatten -noiopad -top $top;
       tee -q -o $d/stat.txt stat" < /dev/null > /dev/null 2>&1; then
    echo "yosys failed (log: $d/yosys.log)"; failed=$((failed + 1))
    KEEP=1; trap - EXIT; continue
  fi
  secs=$(awk '{ printf "%.1f", $1 + $2 }' "$d/time.txt")
  cpu=$(awk -v a="$cpu" -v b="$secs" 'BEGIN { printf "%.1f", a + b }')
  st=$d/stat.txt
  lutram=$(( 4 * $(cnt 'RAM32M|RAM64M|RAM128X1D|RAM256X1S' "$st") + 2 * $(cnt 'RAM32X1D|RAM64X1D|RAM128X1S' "$st") \
             + $(cnt 'RAM32X1S|RAM64X1S' "$st") ))
  lut=$(( $(cnt 'LUT[1-6]' "$st") + $(cnt 'SRL16E|SRLC32E' "$st") + lutram ))
  ff=$(cnt 'FDRE|FDSE|FDCE|FDPE' "$st")
  bram=$(( $(cnt RAMB18E1 "$st") + 2 * $(cnt RAMB36E1 "$st") ))
  dsp=$(cnt DSP48E1 "$st")
  put_row "$name" "$rowp,$lut,$lutram,$ff,$bram,$dsp,$secs,$cfg,$rtl"
  ran=$((ran + 1))
  echo "LUT $lut (LUTRAM $lutram) FF $ff BRAM18 $bram DSP $dsp  ${secs}s CPU, $(( $(date +%s) - t0 ))s wall"
  if [ "${HIER:-0}" = 1 ]; then
    nice -n 10 yosys -q -p "read_verilog -sv ${files[*]}; chparam $params $top; synth_xilinx -top $top -noiopad;
       tee -q -o $d/hier.txt stat" < /dev/null > /dev/null 2>&1 && grep -E "^=== |LUT[1-6]|Number of cells|RAM|DSP48|CARRY4" "$d/hier.txt"
  fi
done < "$here/sweep.txt"

echo "run.sh: $total configurations: $ran synthesized (${cpu}s Yosys CPU), $cached cached, $failed failed"
[ "$fit" = 1 ] && "$fitbin" "$csv"
[ "$failed" = 0 ]
