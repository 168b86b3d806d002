#!/usr/bin/env bash
# bench/results.sh - issue #8's benchmark table: one command, one Markdown file.
#
#   bench/results.sh [--budget=SECONDS] [--all] [--no-cache] [-j 1|2] [--out=FILE] [--keep]
#
# Per model (TFC-w1a1/w1a2/w2a2, KWS, jet tagger, UNSW-NB15, CNV-w1a1/w2a2, both
# ESPCN) at --fold=auto --part=xc7z020, and at FINN's published foldings
# (UNSW-NB15 (16,40)(1,64)(1,64)(1,1), CNV-w1a1 from finn-examples):
#   compile time (best of 3, no simulation), folding, cycles/frame analytic and
#   measured (--verify in Verilator, no-stall run), latency, FPS at 100/200 MHz,
#   estimated LUT/FF/BRAM18/DSP (report.json) and Yosys synth_xilinx's, the
#   estimate's error, total FIFO bits, and the published figure where one exists.
# Then FINN's SetFolding greedy (bench/setfolding.c) against --fold=auto at the
# same LUT budget, and the largest LUT consumers at FINN's foldings.
# Writes bench/results.md (or --out) and prints it.
#
# Jobs (one Yosys run and one --verify per design) run at most 2 at a time
# (-j 1 for one), under `nice -n 10`.  Each result is cached in bench/.cache/
# (gitignored) under a hash of the generated RTL and the command, so a re-run
# redoes only what changed.  A cold run needs more CPU than 15 minutes on two
# cores give (Yosys on the whole CNV is ~5 CPU-min): with --budget=S (default
# 840) a job is started only if its predicted time ends within S seconds of the
# start, the most important first (FINN-folding rows, then measured cycles,
# then Yosys small to large); what is left says "not run (budget)" and the next
# run continues from the cache.  --all runs everything (also the ESPCN
# simulations, minutes each).  The ESPCN designs' --verify is not part of the
# budgeted run: see "ESPCN" in results.md.
#
# Environment: BUILD_DIR (default build-bench), SHARED_DIR (default ../shared),
# ONLY="id ..." to run some designs only (ids: tfc_w1a1 tfc_w1a2 tfc_w2a2 kws jet unsw
# cnv_w1a1 cnv_w2a2 espcn_nn espcn_sp unsw_finn cnv_finn).
#
# Yosys: `synth_xilinx -flatten -noiopad` on the generated top, as bench/calib/run.sh
# (the flow the cost model is fitted to).  Counting as there:
#   LUT    = LUT1..LUT6 + SRL16E/SRLC32E + LUTs in LUTRAM (RAM32M/RAM64M/RAM128X1D/
#            RAM256X1S: 4, RAM32X1D/RAM64X1D/RAM128X1S: 2, RAM32X1S/RAM64X1S: 1)
#   FF     = FDRE + FDSE + FDCE + FDPE
#   BRAM18 = RAMB18E1 + 2 x RAMB36E1   (BRAM36 equivalents = BRAM18 / 2)
#   DSP    = DSP48E1
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=${BUILD_DIR:-$root/build-bench}
case $build in /*) ;; *) build=$root/$build ;; esac
shared=${SHARED_DIR:-$root/../shared}
cache=$here/.cache
out_md=$here/results.md
budget=840 all=0 use_cache=1 slots=2 keep=0

args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  a=${args[$i]}
  case $a in
    --budget=*) budget=${a#--budget=} ;;
    --all) all=1 ;;
    --no-cache) use_cache=0 ;;
    -j1|-j2) slots=${a#-j} ;;
    -j) i=$((i + 1)); slots=${args[$i]:-2} ;;
    --out=*) out_md=${a#--out=} ;;
    --keep) keep=1 ;;
    -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "results.sh: unknown option $a" >&2; exit 2 ;;
  esac
done
[ "$slots" = 1 ] || slots=2

log() { printf 'results.sh: %s\n' "$*" >&2; }
t_start=$(date +%s)
elapsed() { echo $(($(date +%s) - t_start)); }

command -v yosys >/dev/null || { log "yosys not found"; exit 1; }
command -v verilator >/dev/null || { log "verilator not found"; exit 1; }
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null || exit 1
fi
log "building qonnx-rtl and bench_setfolding in $build"
nice -n 10 cmake --build "$build" --target qonnx-rtl bench_setfolding -j1 >/dev/null || { log "build failed"; exit 1; }
tool=$build/qonnx-rtl
sfbin=$build/bench_setfolding
mkdir -p "$cache"
[ -f "$cache/.gitignore" ] || echo '*' > "$cache/.gitignore"   # the cache ignores itself

work=$(mktemp -d "${TMPDIR:-/tmp}/qr_results.XXXXXX")
if [ "$keep" = 1 ]; then log "work directory $work"; else trap 'rm -rf "$work"' EXIT; fi
mkdir -p "$work/d" "$work/v" "$work/res"

"$tool" -q example cnv-w1a1 -o "$work/cnv-w1a1.onnx" || exit 1
"$tool" -q example cnv-w2a2 -o "$work/cnv-w2a2.onnx" || exit 1

# FINN's foldings in our unit names.  UNSW-NB15: the issue's (PE,SIMD) per
# MVAU.  CNV-w1a1: finn-examples build/bnn-pynq/folding_config/
# cnv-w1a1_folding_config.json, MatrixVectorActivation_0..8 -> mvu_0..8 (its
# ConvolutionInputGenerator SIMDs 3,32,32,32,32,32 are what our swg followers
# take from these mvus).  Our maxpools have a PE that FINN's config does not
# set (its StreamingMaxPool takes a whole pixel per beat): the least PE that
# keeps them under FINN's bottleneck of 32768 cycles (maxpool_0 at PE 2: 25088).
# mvu_0's memories in block RAM (ram_style block), as FINN's 22 BRAM36 say
# its build had them; the rest as auto picks.
cat > "$work/unsw_finn.json" <<'J'
{"Defaults": {}, "mvu_0": {"PE": 16, "SIMD": 40, "ram_style": "block"}, "mvu_1": {"PE": 1, "SIMD": 64},
 "mvu_2": {"PE": 1, "SIMD": 64}, "mvu_3": {"PE": 1, "SIMD": 1}}
J
cat > "$work/cnv_w1a1_finn.json" <<'J'
{"Defaults": {},
 "mvu_0": {"PE": 16, "SIMD": 3}, "mvu_1": {"PE": 32, "SIMD": 32}, "maxpool_0": {"PE": 2},
 "mvu_2": {"PE": 16, "SIMD": 32}, "mvu_3": {"PE": 16, "SIMD": 32}, "maxpool_1": {"PE": 1},
 "mvu_4": {"PE": 4, "SIMD": 32}, "mvu_5": {"PE": 1, "SIMD": 32}, "mvu_6": {"PE": 1, "SIMD": 4},
 "mvu_7": {"PE": 1, "SIMD": 8}, "mvu_8": {"PE": 5, "SIMD": 1}}
J

m=$shared/models
# id | label | model | --fold | verify frames | cnn (stream the verify, -O2) | big (ESPCN)
designs=(
  "tfc_w1a1|TFC-w1a1|$m/mnist-tfc/TFC_1W1A.onnx|auto|8|0|0"
  "tfc_w1a2|TFC-w1a2|$m/mnist-tfc/TFC_1W2A.onnx|auto|8|0|0"
  "tfc_w2a2|TFC-w2a2|$m/mnist-tfc/TFC_2W2A.onnx|auto|8|0|0"
  "kws|KWS MLP w3a3|$m/gscv2-kws/kwsmlp_w3a3.onnx|auto|8|0|0"
  "jet|jet tagger (QKeras)|$m/jet-tagging/qkeras_jettagging.onnx|auto|8|0|0"
  "unsw|UNSW-NB15 w2a2|$m/unsw-nb15/unsw_nb15-mlp-w2a2.onnx|auto|8|0|0"
  "cnv_w1a1|CNV-w1a1|$work/cnv-w1a1.onnx|auto|4|1|0"
  "cnv_w2a2|CNV-w2a2|$work/cnv-w2a2.onnx|auto|4|1|0"
  "espcn_nn|ESPCN nn-resize|$m/espcn/espcn_nn_resize_quant.onnx|auto|3|1|1"
  "espcn_sp|ESPCN subpixel|$m/espcn/espcn_subpixel_quant.onnx|auto|3|1|1"
  "unsw_finn|UNSW-NB15 w2a2 @ FINN (16,40)(1,64)(1,64)(1,1)|$m/unsw-nb15/unsw_nb15-mlp-w2a2.onnx|$work/unsw_finn.json|8|0|0"
  "cnv_finn|CNV-w1a1 @ FINN (finn-examples folding)|$work/cnv-w1a1.onnx|$work/cnv_w1a1_finn.json|4|1|0"
)

yosys_ver=$(yosys -V 2>/dev/null | head -1)
verilator_ver=$(verilator --version 2>/dev/null | head -1)
YOSYS_FLOW="synth_xilinx -flatten -noiopad"

# The RTL as a whole: file names and contents, without // comment lines (the
# generated top's header names the model file, whose path differs per run).
rtl_hash() {
  (cd "$1" && for f in $(ls | LC_ALL=C sort); do echo "== $f"; grep -v '^[[:space:]]*//' "$f"; done) | sha1sum | cut -c1-16
}

# --------------------------------------------------------------- compile ---
ids=()
for row in "${designs[@]}"; do
  IFS='|' read -r id label model spec frames cnn big <<<"$row"
  if [ -n "${ONLY:-}" ] && [[ " $ONLY " != *" $id "* ]]; then continue; fi
  if [ ! -f "$model" ]; then log "$label: $model not found, skipped"; continue; fi
  d=$work/d/$id
  best=
  for i in 1 2 3; do
    s=$(date +%s.%N)
    if ! "$tool" -q "$model" --fold="$spec" --part=xc7z020 -o "$d" --force 2>"$work/res/$id.compile.err"; then
      log "$label: compile failed: $(head -3 "$work/res/$id.compile.err")"; best=; break
    fi
    e=$(date +%s.%N)
    t=$(echo "$e - $s" | bc)
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
  done
  [ -n "$best" ] || continue
  ids+=("$id")
  echo "$best" > "$work/res/$id.compile_s"
  printf '%s\n' "$label" > "$work/res/$id.label"
  printf '%s\n' "$model" > "$work/res/$id.model"
  printf '%s\n' "$spec" > "$work/res/$id.spec"
  rtlhash=$(rtl_hash "$d/rtl")
  echo "$rtlhash" > "$work/res/$id.rtlhash"
  log "$label: compiled in ${best}s, RTL $rtlhash"
done

# ------------------------------------------------------------------ jobs ---
# job kinds: yosys ID, verify ID.  A job writes $work/res/ID.<kind>.json
# ({"status": ..., ...}) and, when it ran, stores the same file in the cache.

job_yosys() {
  local id=$1 key=$2 d=$work/d/$1 res=$work/res/$1.yosys.json
  local top; top=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["top"])' "$d/report.json")
  local ydir=$work/y/$id; mkdir -p "$ydir"
  local files; files=$(cd "$d/rtl" && ls *.sv | LC_ALL=C sort | tr '\n' ' ')
  local t0; t0=$(date +%s)
  local lim=$(( budget - $(elapsed) + 30 )); [ "$all" = 1 ] && lim=86400; [ $lim -lt 60 ] && lim=60
  if (cd "$d/rtl" && /usr/bin/time -f '%U %S' -o "$ydir/time.txt" timeout "$lim" nice -n 10 yosys -q -l "$ydir/yosys.log" \
        -p "read_verilog -sv $files; $YOSYS_FLOW -top $top; tee -q -o $ydir/stat.txt stat" </dev/null >/dev/null 2>&1); then
    python3 - "$here" "$ydir/stat.txt" "$ydir/time.txt" "$(( $(date +%s) - t0 ))" > "$res" <<'PY'
import json, sys
sys.path.insert(0, sys.argv[1])
from yosys_cells import whole
u, s = (float(x) for x in open(sys.argv[3]).read().split()[:2])
print(json.dumps({"status": "ok", **whole(sys.argv[2]), "cpu_s": round(u + s, 1), "wall_s": int(sys.argv[4])}))
PY
    [ "$use_cache" = 1 ] && cp "$res" "$cache/yosys-$key.json"
  else
    echo '{"status": "failed"}' > "$res"
    log "$id: yosys failed or timed out (log: $ydir/yosys.log)"
  fi
}

job_verify() {
  local id=$1 key=$2 frames=$3 cnn=$4 res=$work/res/$1.verify.json
  local model spec; model=$(cat "$work/res/$id.model"); spec=$(cat "$work/res/$id.spec")
  local v=$work/v/$id t0; t0=$(date +%s)
  local lim=$(( budget - $(elapsed) + 30 )); [ "$all" = 1 ] && lim=86400; [ $lim -lt 60 ] && lim=60
  local env=()
  # CNNs: stream the frames (QR_VERIFY_STREAM_FRAMES=1), which builds the model
  # at -O2: a CNV frame is ~20x faster to simulate than at -O0.
  [ "$cnn" = 1 ] && env=(QR_VERIFY_STREAM_FRAMES=1)
  if env "${env[@]}" /usr/bin/time -f '%U %S' -o "$work/res/$id.verify.time" timeout "$lim" nice -n 10 \
       "$tool" "$model" --fold="$spec" --part=xc7z020 --verify="$frames" -j 1 -o "$v" --force \
       >"$work/res/$id.verify.log" 2>&1 </dev/null; then
    local h; h=$(rtl_hash "$v/rtl")
    python3 - "$v/report.json" "$work/res/$id.verify.time" "$(( $(date +%s) - t0 ))" "$h" \
        "$(cat "$work/res/$id.rtlhash")" > "$res" <<'PY'
import json, sys
v = json.load(open(sys.argv[1])).get("verify") or {}
u, s = (float(x) for x in open(sys.argv[2]).read().split()[:2])
v.update({"status": "ok" if v.get("pass") else "fail", "cpu_s": round(u + s, 1), "wall_s": int(sys.argv[3]),
          "same_rtl": sys.argv[4] == sys.argv[5]})
print(json.dumps(v))
PY
    [ "$use_cache" = 1 ] && cp "$res" "$cache/verify-$key.json"
  else
    echo '{"status": "failed"}' > "$res"
    log "$id: --verify failed or timed out: $(grep -E 'error|FAIL' "$work/res/$id.verify.log" | head -2)"
  fi
}

# Predicted seconds of a job on a busy 2-core machine (from measured runs: Yosys
# ~4-10 ms per estimated LUT plus ~10 ms per FF; Verilator builds 40 s for an MLP,
# 90 s at -O2 for a CNV; an ESPCN frame ~5M cycles).
predict() { # kind id
  python3 - "$work/d/$2/report.json" "$1" "$3" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); t = r["totals"]; kind = sys.argv[2]; cnn = sys.argv[3] == "1"
if kind == "yosys":
    print(int(20 + 0.007 * t["lut"] + 0.012 * t["ff"] + 0.5 * t["bram18"]))
else:
    lat = r.get("latency_cycles_estimate") or 0
    print(int(120 + lat / 20000.0) if cnn else 45)
PY
}

# Job list: "prio pred kind id key frames cnn"; lower prio first, longer first.
joblist=$work/jobs.txt
: > "$joblist"
for id in "${ids[@]}"; do
  row=; for r in "${designs[@]}"; do [ "${r%%|*}" = "$id" ] && row=$r; done
  IFS='|' read -r _ label model spec frames cnn big <<<"$row"
  h=$(cat "$work/res/$id.rtlhash")
  ykey=$(printf '%s\n%s\n%s\n' "$yosys_ver" "$YOSYS_FLOW" "$h" | sha1sum | cut -c1-16)
  vkey=$(printf 'verify\n%s\n%s\n%s\n%s\n' "$verilator_ver" "$h" "$frames" "$cnn" | sha1sum | cut -c1-16)
  case $id in *_finn) py=0 pv=0 ;; *) py=3 pv=1 ;; esac
  [ "$big" = 1 ] && { py=4; pv=9; }
  echo "$py $(predict yosys "$id" "$cnn") yosys $id $ykey $frames $cnn" >> "$joblist"
  echo "$pv $(predict verify "$id" "$cnn") verify $id $vkey $frames $cnn" >> "$joblist"
done
sort -k1,1n -k2,2nr "$joblist" -o "$joblist"

ran=0 cached=0 skipped=0
while read -r prio pred kind id key frames cnn <&3; do
  res=$work/res/$id.$kind.json
  if [ "$use_cache" = 1 ] && [ -f "$cache/$kind-$key.json" ]; then
    cp "$cache/$kind-$key.json" "$res"
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["cached"]=True; json.dump(d,open(sys.argv[1],"w"))' "$res"
    cached=$((cached + 1)); continue
  fi
  if [ "$kind" = verify ] && [ "$prio" = 9 ] && [ "$all" != 1 ]; then
    echo '{"status": "skipped", "why": "ESPCN simulation only with --all"}' > "$res"; skipped=$((skipped + 1)); continue
  fi
  while [ "$(jobs -rp | wc -l)" -ge "$slots" ]; do sleep 1; done
  if [ "$all" != 1 ] && [ $(( $(elapsed) + pred )) -gt "$budget" ]; then
    echo "{\"status\": \"skipped\", \"why\": \"budget\", \"predicted_s\": $pred}" > "$res"
    log "$kind $id: predicted ${pred}s does not fit the budget (${budget}s, $(elapsed)s used): not run"
    skipped=$((skipped + 1)); continue
  fi
  log "$kind $id: starting (predicted ${pred}s, $(elapsed)s elapsed)"
  if [ "$kind" = yosys ]; then job_yosys "$id" "$key" & else job_verify "$id" "$key" "$frames" "$cnn" & fi
  ran=$((ran + 1))
done 3< "$joblist"
wait
log "jobs: $ran run, $cached from the cache, $skipped not run; $(elapsed)s"

# ------------------------------------------------------------ SetFolding ---
sfdir=$work/sf; mkdir -p "$sfdir"
sweep() { # name model targets...
  local name=$1 model=$2; shift 2
  [ -f "$model" ] || return 0
  "$sfbin" "$model" --part=xc7z020 "$@" > "$sfdir/$name.md" 2>"$sfdir/$name.err" || log "setfolding $name failed"
}
sweep "TFC-w2a2" "$m/mnist-tfc/TFC_2W2A.onnx" 50176 4096 1024 256 64
sweep "TFC-w1a1" "$m/mnist-tfc/TFC_1W1A.onnx" 4096 1024 256 64
sweep "UNSW-NB15 w2a2" "$m/unsw-nb15/unsw_nb15-mlp-w2a2.onnx" 4096 1024 256 64
sweep "CNV-w1a1" "$work/cnv-w1a1.onnx" 500000 100000 50000 32768 10000
sweep "CNV-w2a2" "$work/cnv-w2a2.onnx" 500000 100000 50000 32768 10000

# ---------------------------------------------------------------- report ---
total_s=$(elapsed)
{
  echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "uname=$(uname -a)"
  echo "cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores"
  echo "load=$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "yosys=$yosys_ver"
  echo "verilator=$verilator_ver"
  echo "gcc=$(gcc --version | head -1)"
  if git -C "$root" rev-parse --git-dir >/dev/null 2>&1; then
    echo "git=$(git -C "$root" rev-parse --short HEAD) ($(git -C "$root" log -1 --format=%cd --date=short))"
    echo "dirty=$(git -C "$root" status --porcelain -- ir rtlgen rtl-lib sim frontend boards ipxact main.c | awk '{print $2}' | tr '\n' ' ')"
  else # an export (git archive): the commit it came from, if recorded
    echo "git=$(cat "$root/.git-commit" 2>/dev/null || echo unknown), an exported tree"
    echo "dirty="
  fi
  echo "total_s=$total_s"
  echo "budget=$budget"
  echo "all=$all"
  echo "slots=$slots"
  echo "jobs=$ran run, $cached cached, $skipped not run"
} > "$work/meta.txt"

python3 - "$work" "$out_md" "${ids[@]}" <<'PY'
import json, os, sys

work, out, ids = sys.argv[1], sys.argv[2], sys.argv[3:]
meta = dict(l.rstrip("\n").split("=", 1) for l in open(os.path.join(work, "meta.txt")))

def res(id, kind):
    p = os.path.join(work, "res", f"{id}.{kind}.json")
    return json.load(open(p)) if os.path.exists(p) else {"status": "missing"}

def txt(id, what):
    return open(os.path.join(work, "res", f"{id}.{what}")).read().strip()

def report(id):
    return json.load(open(os.path.join(work, "d", id, "report.json")))

def fmt(n):
    return f"{n:,.0f}" if isinstance(n, (int, float)) else str(n)

def err(est, meas):
    if not isinstance(meas, (int, float)) or meas == 0:
        return "-" if est == meas else "n/a"
    return f"{100.0 * (est - meas) / meas:+.0f} %"

def fifo_bits(r):
    t = r.get("totals", {})
    if t.get("fifo_bits_after") is not None:
        a, b = t["fifo_bits_after"], t.get("fifo_bits_before")
        return fmt(a) + (f" (formula {fmt(b)})" if b is not None and b != a else "")
    return fmt(sum((u.get("buffer") or {}).get("bits", 0) for u in r["units"] if u["kind"] == "fifo"))

def folding(r):
    f = [f"({u['pe']},{u['simd']})" for u in r["units"] if u["kind"] in ("mvu", "vvu")]
    return " ".join(f)

def yosys_cell(y, key):
    if y.get("status") == "ok": return fmt(y[key])
    if y.get("status") == "skipped": return "not run"
    return y.get("status", "?")

published = {
    "tfc_w1a1": "837k FPS @ 100 MHz (FINN, as quoted in issue #8)",
    "cnv_w1a1": "3,020 FPS @ 100 MHz (finn-examples, PYNQ-Z1); 21,135 LUT, 98 BRAM36 at FINN's folding (table 3)",
    "jet": "hls4ml: 42,160 LUT, 34 DSP at II 1 (as quoted in issue #8; another quantization)",
    "unsw": "FINN at (16,40)(1,64)(1,64)(1,1): 7,234 LUT, 22 BRAM36, 213 cycles latency (table 3)",
    "cnv_w2a2": "finn-examples: CNV-w2a2 (no figure at hand)",
}

L = []
L.append("# Benchmarks: qonnx-rtl against FINN (issue #8)")
L.append("")
L.append("Generated by `bench/results.sh` (do not edit by hand; re-run it).")
L.append("")
L.append(f"- Date: {meta['date']}")
L.append(f"- Machine: `{meta['uname']}`")
L.append(f"- CPU: {meta['cpu']}; load average at the end of the run: {meta['load']} (the machine is shared)")
L.append(f"- Tools: {meta['yosys']}; {meta['verilator']}; {meta['gcc']}")
L.append(f"- Source: git {meta['git']}" + (f"; uncommitted changes in the working tree at run time: `{meta['dirty'].strip()}`" if meta['dirty'].strip() else ""))
L.append(f"- This run: {meta['total_s']} s wall ({meta['jobs']}; budget {meta['budget']} s, {meta['slots']} jobs at a time)")
L.append("")
L.append("Part xc7z020 (PYNQ-Z1/Z2) for every folding; `--fold=auto` fits 70 % of it. Cycles and")
L.append("latency are in clock cycles; FPS = clock / cycles per frame (measured where measured).")
L.append("")

# ---- table 1
L.append("## 1. Throughput, latency, compile time")
L.append("")
L.append("| model | folding (PE,SIMD) per mvu | cycles/frame analytic | cycle model | Verilator | latency cycle model (upper bound) | latency Verilator | FPS @ 100 MHz | FPS @ 200 MHz | FIFO bits | compile s | published |")
L.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
for id in ids:
    r = report(id); v = res(id, "verify")
    an = r["bottleneck"]["cycles_per_frame"]
    sim = r["bottleneck"].get("simulated_cycles_per_frame")
    if v.get("status") == "ok":
        mc, lat = v.get("cycles_per_frame"), v.get("latency_cycles")
        mcs, lats = fmt(mc), fmt(lat)
        if not v.get("same_rtl", True): mcs += " (RTL differed!)"
    else:
        mc = None
        mcs = lats = "not run" if v.get("status") == "skipped" else v.get("status", "?")
    if isinstance(mc, (int, float)) and mc > 0: cyc, mark = mc, ""
    elif isinstance(sim, (int, float)) and sim > 0: cyc, mark = sim, "+"
    else: cyc, mark = an, "*"
    L.append(f"| {txt(id, 'label')} | {folding(r)} | {fmt(an)} | {fmt(sim) if sim else '-'} | {mcs} | "
             f"{fmt(r.get('latency_cycles_simulated')) if r.get('latency_cycles_simulated') else '-'} ({fmt(r.get('latency_cycles_estimate'))}) | {lats} | {fmt(100e6 / cyc)}{mark} | {fmt(200e6 / cyc)}{mark} | "
             f"{fifo_bits(r)} | {float(txt(id, 'compile_s')):.2f} | {published.get(id, '')} |")
L.append("")
L.append("FPS from the Verilator cycles; `+` from the cycle model, `*` from the analytic cycles where Verilator")
L.append("did not run. Verilator: `--verify=N` (N = 8 for MLPs, 4 for CNV, 3 for ESPCN), the no-stall run:")
L.append("cycles/frame between the ends of frame 2 and frame N, latency from the first input beat to the last")
L.append("output beat of frame 1. Cycle model: report.json's `simulated_cycles_per_frame` and `latency_cycles_simulated`, the compiler's")
L.append("beat-level simulation of the units' timing (ir/fifo_sim.c, used for FIFO sizing). FIFO bits: total")
L.append("depth x width of the FIFOs as built (and by the depth formula where sizing changed it).")
L.append("Compile time: best of 3, ONNX to RTL without simulation.")
L.append("")

# ---- table 2
L.append("## 2. Resources: estimate (report.json) against Yosys")
L.append("")
L.append("| model | LUT est | LUT Yosys | error | FF est | FF Yosys | error | BRAM18 est | BRAM18 Yosys | DSP est | DSP Yosys | Yosys CPU s |")
L.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for id in ids:
    t = report(id)["totals"]; y = res(id, "yosys")
    ok = y.get("status") == "ok"
    cpu = (fmt(y["cpu_s"]) + (" (cached)" if y.get("cached") else "")) if ok else ""
    L.append(f"| {txt(id, 'label')} | {fmt(t['lut'])} | {yosys_cell(y, 'lut')} | {err(t['lut'], y['lut']) if ok else ''} | "
             f"{fmt(t['ff'])} | {yosys_cell(y, 'ff')} | {err(t['ff'], y['ff']) if ok else ''} | {fmt(t['bram18'])} | "
             f"{yosys_cell(y, 'bram18')} | {fmt(t['dsp'])} | {yosys_cell(y, 'dsp')} | {cpu} |")
L.append("")
L.append("Error = (estimate - Yosys) / Yosys. Yosys 0.23 `synth_xilinx -flatten -noiopad` on the whole")
L.append("generated design (FIFOs and width converters included), 7-series cells; LUT counts LUTRAM and SRLs")
L.append("as LUTs, BRAM18 = RAMB18E1 + 2 x RAMB36E1. FINN's figures below are Vivado's, a different mapper.")
L.append("")

# ---- table 3
L.append("## 3. At FINN's published foldings")
L.append("")
finn = {
    "unsw_finn": dict(lut=7234, bram36=22, dsp=0, lat=213, cpf=64,
                      src="FINN cybersecurity end-to-end example (UNSW-NB15 MLP w2a2), Vivado out-of-context synthesis on xc7z020, "
                          "rtlsim latency; figures as quoted in issue #8"),
    "cnv_finn": dict(lut=21135, bram36=98, dsp=None, lat=None, cpf=32768,
                     src="CNV-w1a1 at finn-examples' folding_config/cnv-w1a1_folding_config.json; LUT and BRAM36 as quoted in "
                         "issue #8; cycles/frame = FINN's analytic bottleneck at that folding (MVAU_6/7: 32,768)"),
}
L.append("| design | cycles/frame ours (FINN) | latency ours measured (FINN) | LUT ours Yosys (estimate) | LUT FINN | ours / FINN | goal <= 0.8x | BRAM36 ours (FINN) | DSP ours (FINN) |")
L.append("|---|---:|---:|---:|---:|---:|---|---:|---:|")
for id in ids:
    if id not in finn: continue
    f = finn[id]; r = report(id); y = res(id, "yosys"); v = res(id, "verify")
    ok = y.get("status") == "ok"
    lut = y["lut"] if ok else None
    ratio = f"{lut / f['lut']:.2f}x" if ok else "-"
    goal = ("met" if lut <= 0.8 * f["lut"] else "**not met**") if ok else "-"
    lat = v.get("latency_cycles") if v.get("status") == "ok" else None
    latc = fmt(lat) if lat else "not run"
    if lat and f["lat"]:
        latc += f" ({fmt(f['lat'])}: {'no more' if lat <= f['lat'] else '**more**'})"
    else:
        latc += " (-)"
    cpf = v.get("cycles_per_frame") if v.get("status") == "ok" else r["bottleneck"]["cycles_per_frame"]
    b36 = (f"{y['bram18'] / 2:g}" if ok else "-") + f" ({f['bram36']})"
    dsp = (fmt(y["dsp"]) if ok else "-") + f" ({f['dsp'] if f['dsp'] is not None else '-'})"
    L.append(f"| {txt(id, 'label')} | {fmt(cpf)} ({fmt(f['cpf'])}) | {latc} | {fmt(lut) if ok else 'not run'} ({fmt(r['totals']['lut'])}) | "
             f"{fmt(f['lut'])} | {ratio} | {goal} | {b36} | {dsp} |")
L.append("")
for id in ids:
    if id in finn: L.append(f"- {txt(id, 'label')}: {finn[id]['src']}.")
L.append("")

# ---- table 4: where the LUTs go
L.append("## 4. Largest LUT consumers at FINN's foldings (per-unit estimates)")
L.append("")
for id in ids:
    if id not in finn: continue
    r = report(id); y = res(id, "yosys")
    units = sorted(r["units"], key=lambda u: -u["estimate"]["lut"])
    tot = r["totals"]["lut"]
    scale = (y["lut"] / tot) if y.get("status") == "ok" and tot else None
    L.append(f"**{txt(id, 'label')}** (estimate {fmt(tot)} LUT" + (f", Yosys {fmt(y['lut'])}: x{scale:.2f})" if scale else ")"))
    L.append("")
    L.append("| unit | kind | shape | PE | SIMD | in x weight -> out | thresholds (comparators PE x T, or table) | ram_style | LUT est | share |")
    L.append("|---|---|---|---:|---:|---|---:|---|---:|---:|")
    for u in units[:6]:
        shape = f"{u['mw']}x{u['mh']} x{u['numvec']}" if u["kind"] == "mvu" else f"{u['mw']}x{u['mh']}"
        L.append(f"| {u['name']} | {u['kind']} | {shape} | {u['pe']} | {u['simd']} | {u['in']} x {u['weight'] or '-'} -> {u['out']} | "
                 f"{(str(u.get('thresholds') or 0) + (' (table)' if u.get('thresh_style') == 'table' else ' (' + fmt(u['pe'] * u['thresholds']) + ')')) if u.get('thresholds') else '-'} | "
                 f"{u['ram_style']} | {fmt(u['estimate']['lut'])} | {100.0 * u['estimate']['lut'] / tot:.0f} % |")
    L.append("")

# ---- table 5: SetFolding
L.append("## 5. FINN's SetFolding greedy against `--fold=auto` at the same LUT budget")
L.append("")
L.append("`bench/setfolding.c`: FINN's SetFolding (finn/transformation/fpgadataflow/set_folding.py: per MVAU SIMD through")
L.append("the divisors of MW until cycles < target or SIMD x weight bits > 36, then PE through the divisors of MH;")
L.append("PE for thresholds/pools/adds, SIMD for windows; second pass at the reached bottleneck) applied to our units")
L.append("with our analytic cycles, resources by our cost model on xc7z020 (compute units only, as auto's budget counts).")
L.append("Then `--fold=auto:lut=N` with N = SetFolding's LUTs (BRAM/DSP at auto's 70 % of the part), and the last two")
L.append("columns with SetFolding's BRAM18 and DSP as the budget too. Estimates, not Yosys.")
L.append("")
sfdir = os.path.join(work, "sf")
for name in ("TFC-w2a2", "TFC-w1a1", "UNSW-NB15 w2a2", "CNV-w1a1", "CNV-w2a2"):
    p = os.path.join(sfdir, name + ".md")
    if not os.path.exists(p) or not os.path.getsize(p): continue
    L.append(f"**{name}**")
    L.append("")
    L.extend(open(p).read().rstrip("\n").split("\n"))
    L.append("")

# ---- notes
cpu = 0.0
for id in ids:
    for k in ("yosys", "verify"):
        j = res(id, k)
        if j.get("status") in ("ok", "fail"): cpu += j.get("cpu_s", 0)
L.append("## Notes")
L.append("")
L.append(f"- Cost: the Yosys and Verilator jobs behind these tables took {cpu / 60:.1f} CPU-minutes in all (cached ones at")
L.append("  the time they ran), so a cold run on two idle cores needs at least half that in wall time, more than 15")
L.append("  minutes; `--budget` (default 840 s) runs what fits, the most important first, and a re-run continues from")
L.append("  bench/.cache. Yosys on one whole CNV takes ~5 CPU-minutes, on one TFC ~2.")
L.append("- ESPCN: `--verify` simulates one 128x128 frame in 5-11 M cycles (report.json's latency estimate) after a")
nm = nsame = 0
for id in ids:
    v = res(id, "verify"); sim = report(id)["bottleneck"].get("simulated_cycles_per_frame")
    if v.get("status") == "ok" and sim:
        nm += 1; nsame += abs(v["cycles_per_frame"] - sim) <= 0.01 * sim
L.append("  Verilator -O2 build: minutes per model, so only `--all` runs it; without it the Verilator columns say")
L.append(f"  `not run` and FPS comes from the cycle model (`+`); where both ran here, they agree within 1 % on {nsame} of {nm} designs.")
L.append("- Estimates: the cost model reads each unit's weights (ROM bit lanes that never change are dropped, identical")
L.append("  ones merged, a weight that is 0 in every word is no product) and is calibrated on 128 unit configurations")
L.append("  (bench/calib: mvu with dense, sparse and pruned weights, threshold, fifo, dwc, labelselect, pad, depth2space;")
L.append("  not yet swg, upsample, pools, add). `bench/unit_yosys.sh DIR` puts the estimate next to Yosys per unit of a")
L.append("  compiled design; for ESPCN subpixel (2026-12-06, units synthesized apart: 40,690 LUT against 38,050")
L.append("  estimated) the pads are within 1 %, the misses are its mvus (-3,972, +1,664, -678) and swgs (+30 %).")
L.append("- UNSW-NB15: the shared model (unsw_nb15-mlp-w2a2.onnx) is not FINN's cybersecurity MLP bit for bit: its first")
L.append("  activation quantizer is 8-bit, so mvu_0 has 255 thresholds per neuron (we look them up in a table per PE,")
L.append("  `thresh_style` table: one BRAM18 each at FINN's folding, instead of 255 comparators) and mvu_1 takes UINT8")
L.append("  inputs (its 64 products go to DSPs: 64 DSP where FINN has 0). The input (x + 1) / 2 of a bipolar x is")
L.append("  1 bit per element, as in FINN. mvu_0 has ram_style block at FINN's folding (FINN's 22 BRAM36 say it used")
L.append("  block RAM too); the other units as auto picks.")
L.append("- CNV-w1a1 at FINN's folding: FINN's SWG SIMDs (3, 32, 32, 32, 32, 32) are what our swg units follow from the")
L.append("  mvus; our maxpools get the least PE under FINN's 32,768-cycle bottleneck (maxpool_0 PE 2, maxpool_1 PE 1).")
L.append("  FINN's CNV-w1a1 latency is not in the sources at hand, so only ours is shown.")
L.append("- Published figures: finn-examples CNV-w1a1 3,020 FPS on PYNQ-Z1 at 100 MHz as quoted in bench/cnn_bench.sh")
L.append("  (FINN's analytic bottleneck at its folding, 32,768 cycles, gives 3,052); the CNV-w1a1 folding from finn-examples")
L.append("  build/bnn-pynq/folding_config/cnv-w1a1_folding_config.json; SetFolding from FINN's")
L.append("  src/finn/transformation/fpgadataflow/set_folding.py. The UNSW-NB15 (7,234 LUT, 22 BRAM36, 0 DSP, 213 cycles),")
L.append("  CNV-w1a1 (21,135 LUT, 98 BRAM36), TFC-w1a1 (837k FPS) and hls4ml jet tagger (42,160 LUT, 34 DSP, II 1)")
L.append("  figures are as quoted in issue #8; their original reports were not found in the reference corpus used")
L.append("  here. An older version of FINN's cybersecurity notebook (3-build-accelerator-with-finn.ipynb) reports,")
L.append("  at folding (32,15)(4,16)(4,16)(1,1): 7,073 LUT, 7,534 FF, 18 BRAM, 0 DSP out of context on xc7z020, and")
L.append("  229 cycles latency in rtlsim. BNN-PYNQ's lfcW1A1 (28,360 LUT, as quoted in issue #8) is LFC,")
L.append("  784-1024-1024-1024-10, not TFC (784-64-64-64-10): not the same network, so not in the tables.")
L.append("- Latency: FINN's figure is rtlsim's `latency_cycles` (first frame); ours is the no-stall run's first input")
L.append("  beat to the last output beat of frame 1. The `latency cycle model` column is report.json's")
L.append("  `latency_cycles_simulated` (the same span in the compiler's cycle model), in brackets its analytic upper bound.")
open(out, "w").write("\n".join(L) + "\n")
PY
cat "$out_md"
log "wrote $out_md in $(elapsed)s"
