#!/usr/bin/env bash
# bench/unit_yosys.sh: where does the resource estimate miss on a whole design?
# Synthesizes a compiled design with Yosys, each unit instance of the top on its
# own (keep_hierarchy on the top's children, everything inside a unit flattened),
# and prints per unit the estimate of report.json next to Yosys's LUT / FF /
# BRAM18 / DSP.  A diagnostic, not a test: nothing here passes or fails.
#
#   bench/unit_yosys.sh OUT_DIR        OUT_DIR: what `qonnx-rtl M -o OUT_DIR` wrote
#   KEEP=1 bench/unit_yosys.sh OUT_DIR keep the Yosys log and stat and print where
#
# It costs about what Yosys on the whole design costs (bench/results.md, table 2:
# 1-8 CPU-minutes).  The sum over the units is near, not equal to, the flat
# `synth_xilinx -flatten` figure of bench/results.sh (nothing is optimized
# across a unit boundary): TFC-w1a1 32,310 vs 32,846 LUT, ESPCN subpixel
# 40,690 vs 44,375.  Counting as bench/results.sh:
#   LUT = LUT1..6 + SRL16E/SRLC32E + LUTs in LUTRAM, FF = FDRE/FDSE/FDCE/FDPE,
#   BRAM18 = RAMB18E1 + 2 x RAMB36E1, DSP = DSP48E1.
set -euo pipefail
[ $# -eq 1 ] && [ -f "$1/report.json" ] && [ -d "$1/rtl" ] || {
  echo "usage: bench/unit_yosys.sh OUT_DIR   (a directory qonnx-rtl wrote: report.json, rtl/)" >&2
  exit 2
}
out=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
command -v yosys >/dev/null || { echo "unit_yosys: yosys not found" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/unit_yosys.XXXXXX")
if [ "${KEEP:-0}" = 1 ]; then echo "unit_yosys: log and stat in $tmp" >&2; else trap 'rm -rf "$tmp"' EXIT; fi

top=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["top"])' "$out/report.json")
files=$(cd "$out/rtl" && ls *.sv | LC_ALL=C sort | tr '\n' ' ')
echo "unit_yosys: synth_xilinx of $top, one unit at a time (minutes for a large design)" >&2
(cd "$out/rtl" && /usr/bin/time -f '%U %S' -o "$tmp/time" yosys -q -l "$tmp/yosys.log" -p \
  "read_verilog -sv $files; hierarchy -top $top; setattr -mod -set keep_hierarchy 1 $top/c:* %M;
   synth_xilinx -flatten -noiopad -top $top; tee -q -o $tmp/stat stat; tee -q -o $tmp/cells dump $top/c:*" \
  </dev/null >/dev/null 2>&1) || { echo "unit_yosys: yosys failed (KEEP=1 keeps its log)" >&2; exit 1; }

python3 - "$here" "$out/report.json" "$tmp/stat" "$tmp/cells" "$tmp/time" <<'PY'
import json, re, sys
sys.path.insert(0, sys.argv[1])
from yosys_cells import parse_stat, totals as measured
report, stat, cells, tfile = sys.argv[2:6]
r = json.load(open(report))
inst = {}  # instance name -> module
for line in open(cells):
    m = re.match(r"\s+cell (\S+) \\(\S+)", line)
    if m: inst[m.group(2)] = m.group(1)
mods = parse_stat(stat)

keys = ("lut", "ff", "bram18", "dsp")
tot_e, tot_y = dict.fromkeys(keys, 0), dict.fromkeys(keys, 0)
def err(e, y): return f"{100.0 * (e - y) / y:+.0f} %" if y else ("" if e == 0 else "-")
print(f"## {r['top']}: estimate (report.json) against Yosys, per unit\n")
print("| unit | kind | PE | SIMD | ram_style | LUT est | LUT Yosys | error | FF est | FF Yosys | BRAM18 est | BRAM18 Yosys | DSP est | DSP Yosys |")
print("|---|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for u in r["units"]:
    mod = inst.get(u["name"])
    if mod is None or mod not in mods:
        print(f"| {u['name']} | {u['kind']} | | | | | not found in the netlist | | | | | | | |")
        continue
    y, e = measured(mods[mod]), u["estimate"]
    for k in keys:
        tot_e[k] += e[k]
        tot_y[k] += y[k]
    print(f"| {u['name']} | {u['kind']} | {u.get('pe', '')} | {u.get('simd', '')} | {u.get('ram_style') or '-'} | "
          f"{e['lut']:,} | {y['lut']:,} | {err(e['lut'], y['lut'])} | {e['ff']:,} | {y['ff']:,} | "
          f"{e['bram18']:g} | {y['bram18']} | {e['dsp']:g} | {y['dsp']} |")
print(f"| **total** | | | | | {tot_e['lut']:,} | {tot_y['lut']:,} | {err(tot_e['lut'], tot_y['lut'])} | "
      f"{tot_e['ff']:,} | {tot_y['ff']:,} | {tot_e['bram18']:g} | {tot_y['bram18']} | {tot_e['dsp']:g} | {tot_y['dsp']} |")
u_s, s_s = (float(x) for x in open(tfile).read().split()[:2])
print(f"\nYosys 0.23 synth_xilinx, units synthesized apart (keep_hierarchy), {u_s + s_s:.0f} CPU-s.")
PY
