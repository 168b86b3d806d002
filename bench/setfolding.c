/* setfolding.c - FINN's SetFolding greedy applied to our design, as a
 * baseline for --fold=auto (issue #8).  A benchmark tool: built by CMake as
 * bench_setfolding, never part of the compiler.
 *
 *   bench_setfolding MODEL.onnx [--part=P] [--clock-mhz=F] [--json=PREFIX] T1 [T2 ...]
 *
 * For every target Tk (cycles per frame) it folds the design the way
 * finn/transformation/fpgadataflow/set_folding.py (SetFolding, FINN v0.10+)
 * does, with its defaults mvau_wwidth_max = 36 and two_pass_relaxation:
 *
 *   mvu (MVAU)    PE = SIMD = 1; SIMD through the divisors of MW until the
 *                 unit's cycles are < T, stopping (and stepping back one) when
 *                 SIMD * weight bits would exceed 36; then PE from 1 through
 *                 the divisors of MH until cycles < T (else PE = MH)
 *   threshold, add, dup, global avgpool (pe_ops), labelselect
 *                 PE through the divisors of the channels until cycles < T
 *   vvu, avgpool (depthwise_op_exceptions / Pool), maxpool
 *                 the same on PE (our vvu has no SIMD to raise after PE;
 *                 FINN's StreamingMaxPool is in none of SetFolding's lists and
 *                 takes a whole pixel per beat, ours gets the Pool rule)
 *   swg, pad without a leader, upsample, d2s (simd_ops)
 *                 SIMD through the divisors of the channels until cycles < T
 *   concat        PE as pe_ops (FINN's SetFolding does not list it)
 *   swg, pad with a leader: SIMD follows the unit they feed, as the compiler
 *                 builds them: gcd(mvu SIMD, C).  FINN sets a non-depthwise
 *                 SWG's SIMD on its own (divisors of C until cycles < T) and
 *                 puts a width converter behind it; our swg has no such
 *                 freedom, so an mvu that leads a swg steps SIMD only through
 *                 the divisors of MW that divide C or are multiples of C
 *                 (gcd = min(SIMD, C)), which keeps the swg as fast as FINN's
 *                 would be.  Without that rule CNV-w1a1's mvu_1 takes SIMD 36
 *                 (the 36-bit weight width limit) and its swg gcd(36, 64) = 4.
 *   two-pass relaxation: when the slowest unit is above T, the whole pass is
 *                 run again with T = that unit's cycles.
 * Cycles are our units' analytic cycles (hw_estimate_part), the same numbers
 * --fold=auto and report.json use.  FINN stops at cycles < T (strict).
 *
 * Then the resources of that folding by our cost model on the part (ram_style
 * "auto" resolved as the compiler resolves it), summed over the compute units
 * as --fold=auto's budget counts them (no FIFOs / width converters), and the
 * comparison at the same budget: --fold=auto:lut=N with N = SetFolding's LUTs
 * (the other resources at auto's default 70 % of the part), and
 * --fold=auto:lut=N,bram=B,dsp=D with SetFolding's BRAM18 and DSP as well.
 * Prints one Markdown table row per target; --json=PREFIX also writes
 * PREFIX<T>.json, the SetFolding folding in --fold=FILE.json form.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontend/frontend.h"
#include "ir/hw.h"
#include "ir/ir.h"

#define MVAU_WWIDTH_MAX 36

typedef struct totals {
  int64_t cycles;
  const char *bottleneck;
  double lut, ff, bram18, dsp;
} totals;

static bool has_memory(const hw_unit *u) {
  return u->kind == HW_MVU || u->kind == HW_THRESHOLD || u->kind == HW_FIFO || u->kind == HW_VVU;
}

static bool is_follower(const hw_unit *u) {
  return (u->kind == HW_SWG || u->kind == HW_PAD) && u->leader >= 0;
}

/* Cycles of u at its current PE/SIMD (our analytic model). */
static int64_t cycles_of(hw_design *d, hw_unit *u, const hw_part *p) {
  (void)d;
  hw_estimate_part(u, p);
  return u->cycles;
}

/* FINN's optimize_attribute_val: *attr from 1 through the divisors of max
 * until cycles < target (else the last divisor, max). */
static void optimize(hw_design *d, hw_unit *u, const hw_part *p, int max, int *attr, int64_t target) {
  if (max < 1) max = 1;
  *attr = 1;
  for (int v = 1; v <= max; v++) {
    if (max % v) continue;
    *attr = v;
    if (cycles_of(d, u, p) < target) break;
  }
}

/* The channels of the swg/pad that follow units[i] (0: none). */
static int follower_channels(const hw_design *d, int i) {
  for (int f = 0; f < d->nunits; f++)
    if (is_follower(&d->units[f]) && d->units[f].leader == i) return d->units[f].c;
  return 0;
}

/* Set every follower's SIMD from its leader. */
static void follow(hw_design *d) {
  for (int i = 0; i < d->nunits; i++)
    if (is_follower(&d->units[i])) hw_follow_leader(d, &d->units[i]);
}

static void set_folding_pass(hw_design *d, const hw_part *p, int64_t target) {
  for (int i = 0; i < d->nunits; i++) {
    hw_unit *u = &d->units[i];
    if (has_memory(u)) u->ram_style = "auto";
    switch (u->kind) {
    case HW_MVU: {
      int wbits = hw_etype_bits(u->w), fc = follower_channels(d, i);
      u->pe = 1;
      u->simd = 1;
      for (int v = 1; v <= u->mw; v++) {
        if (u->mw % v) continue;
        if (fc && (int)hw_gcd(v, fc) != (v < fc ? v : fc)) continue; /* its swg could not keep pace */
        int prev = u->simd;
        u->simd = v;
        if (cycles_of(d, u, p) < target) break;
        if (wbits * u->simd > MVAU_WWIDTH_MAX) {
          u->simd = prev;
          break;
        }
      }
      optimize(d, u, p, u->mh, &u->pe, target);
      break;
    }
    case HW_THRESHOLD: case HW_ADD: case HW_DUP: case HW_VVU: case HW_MAXPOOL: case HW_AVGPOOL:
      optimize(d, u, p, u->mh, &u->pe, target);
      break;
    case HW_LABELSELECT:
      optimize(d, u, p, u->mw, &u->pe, target);
      break;
    case HW_CONCAT:
      optimize(d, u, p, (int)hw_gcd(u->ca, u->cb), &u->pe, target);
      break;
    case HW_SWG: case HW_PAD:
      if (u->leader < 0) optimize(d, u, p, u->c, &u->simd, target);
      break;
    case HW_UPSAMPLE: case HW_D2S:
      optimize(d, u, p, u->c, &u->simd, target);
      break;
    default: /* fifo, dwc: inserted after folding */
      break;
    }
  }
  follow(d);
}

static totals sum_units(hw_design *d, const hw_part *p) {
  totals t = {0, "none", 0, 0, 0, 0};
  for (int i = 0; i < d->nunits; i++) {
    hw_unit *u = &d->units[i];
    if (has_memory(u)) u->ram_style = hw_resolve_ram_style(u, p);
    hw_estimate_part(u, p);
    t.lut += llround(u->est_lut);
    t.ff += llround(u->est_ff);
    t.bram18 += llround(u->est_bram18);
    t.dsp += llround(u->est_dsp);
    if (u->cycles > t.cycles) {
      t.cycles = u->cycles;
      t.bottleneck = u->name;
    }
  }
  return t;
}

static int64_t max_cycles(hw_design *d, const hw_part *p) {
  int64_t m = 0;
  for (int i = 0; i < d->nunits; i++) {
    int64_t c = cycles_of(d, &d->units[i], p);
    if (c > m) m = c;
  }
  return m;
}

/* "(PE,SIMD) ..." of the mvus, for the table. */
static void mvu_folds(const hw_design *d, char *buf, size_t n) {
  size_t k = 0;
  buf[0] = 0;
  for (int i = 0; i < d->nunits && k < n; i++) {
    const hw_unit *u = &d->units[i];
    if (u->kind != HW_MVU && u->kind != HW_VVU) continue;
    k += (size_t)snprintf(buf + k, n - k, "%s(%d,%d)", k ? " " : "", u->pe, u->simd);
  }
}

static ir_graph *load(const char *model, hw_design **d) {
  ir_graph *g = fe_load(model);
  if (!g) return NULL;
  if (fe_cleanup(g) || !(*d = hw_streamline(g))) {
    ir_graph_free(g);
    return NULL;
  }
  return g;
}

static int write_json(const hw_design *d, const char *path) {
  if (hw_write_folding_json(d, path)) {
    fprintf(stderr, "bench_setfolding: cannot write %s\n", path);
    return -1;
  }
  return 0;
}

/* --fold=SPEC on a fresh design; false if it does not fit. */
static bool run_auto(const char *model, const char *spec, const hw_part *p, double mhz, totals *t,
                     char *folds, size_t nf) {
  hw_design *d;
  ir_graph *g = load(model, &d);
  if (!g) return false;
  hw_fold_opts o = {spec, p, mhz};
  bool ok = hw_fold(d, &o) == 0;
  if (ok) {
    *t = sum_units(d, p);
    mvu_folds(d, folds, nf);
  }
  ir_graph_free(g);
  return ok;
}

int main(int argc, char **argv) {
  const char *model = NULL, *partname = "xc7z020", *prefix = NULL;
  double mhz = 100;
  int64_t targets[64];
  int nt = 0;
  for (int i = 1; i < argc; i++) {
    if (!strncmp(argv[i], "--part=", 7)) partname = argv[i] + 7;
    else if (!strncmp(argv[i], "--clock-mhz=", 12)) mhz = atof(argv[i] + 12);
    else if (!strncmp(argv[i], "--json=", 7)) prefix = argv[i] + 7;
    else if (!model) model = argv[i];
    else if (nt < 64 && atoll(argv[i]) > 0) targets[nt++] = atoll(argv[i]);
    else {
      fprintf(stderr, "bench_setfolding: bad argument %s\n", argv[i]);
      return 2;
    }
  }
  if (!model || !nt || mhz <= 0) {
    fprintf(stderr, "usage: bench_setfolding MODEL.onnx [--part=P] [--clock-mhz=F] [--json=PREFIX] "
            "TARGET_CYCLES...\n");
    return 2;
  }
  const hw_part *p = hw_find_part(partname);
  if (!p) {
    fprintf(stderr, "bench_setfolding: unknown part %s\n", partname);
    return 2;
  }
  ir_verbosity = 0;

  printf("| target cycles | SetFolding (PE,SIMD) per mvu | SF cycles | SF FPS | SF LUT | SF BRAM18 | "
         "SF DSP | auto:lut=SF (PE,SIMD) | auto cycles | auto FPS | auto LUT | auto BRAM18 | "
         "auto DSP | FPS auto/SF | auto at SF's LUT+BRAM+DSP: FPS | ratio |\n");
  printf("|---:|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  int rc = 0;
  for (int k = 0; k < nt; k++) {
    hw_design *d;
    ir_graph *g = load(model, &d);
    if (!g) return 1;
    int64_t target = targets[k];
    set_folding_pass(d, p, target);
    int64_t got = max_cycles(d, p);
    if (got > target) set_folding_pass(d, p, got); /* two-pass relaxation */
    totals sf = sum_units(d, p);
    char sff[1024], af[1024] = "-", bf[1024];
    mvu_folds(d, sff, sizeof sff);
    if (prefix) {
      char path[4096];
      snprintf(path, sizeof path, "%s%lld.json", prefix, (long long)target);
      if (write_json(d, path)) rc = 1;
    }
    ir_graph_free(g);

    double sf_fps = mhz * 1e6 / (double)sf.cycles;
    char spec[256];
    snprintf(spec, sizeof spec, "auto:lut=%.0f", sf.lut);
    totals au = {0, "-", 0, 0, 0, 0};
    bool ok = run_auto(model, spec, p, mhz, &au, af, sizeof af);
    snprintf(spec, sizeof spec, "auto:lut=%.0f,bram=%.0f,dsp=%.0f", sf.lut, sf.bram18, sf.dsp);
    totals au2 = {0, "-", 0, 0, 0, 0};
    bool ok2 = run_auto(model, spec, p, mhz, &au2, bf, sizeof bf);

    printf("| %lld | %s | %lld | %.0f | %.0f | %.0f | %.0f |", (long long)target, sff,
           (long long)sf.cycles, sf_fps, sf.lut, sf.bram18, sf.dsp);
    if (ok)
      printf(" %s | %lld | %.0f | %.0f | %.0f | %.0f | %.2fx |", af, (long long)au.cycles,
             mhz * 1e6 / (double)au.cycles, au.lut, au.bram18, au.dsp,
             (double)sf.cycles / (double)au.cycles);
    else
      printf(" no fit | - | - | - | - | - | - |");
    if (ok2)
      printf(" %.0f | %.2fx |\n", mhz * 1e6 / (double)au2.cycles, (double)sf.cycles / (double)au2.cycles);
    else
      printf(" no fit | - |\n");
    fflush(stdout);
  }
  return rc;
}
