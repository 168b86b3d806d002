/* resources.c - analytic cycles per frame and the resource cost model of each
 * hardware unit (hw_estimate): LUT, FF, BRAM18, URAM and DSP as functions of
 * the folding, the element widths and the memory depths and styles.
 *
 * Cycles (DESIGN.md, "Hardware IR"):
 *   mvu          NumVec * (MH/PE) * (MW/SIMD)
 *   threshold    NumVec * C/PE                  (C = MH)
 *   labelselect  NumVec * C/PE                  (C = MW classes)
 *   fifo         0  (never limits the rate)
 *   dwc          NumVec * frame / min(in, out)  (beats on its narrow side; frame = MW)
 *
 * LUT and FF are linear in a few structural features of the unit:
 *     LUT = sum_k lut_coef[k] * feature[k],   FF = sum_k ff_coef[k] * feature[k]
 * with the features and coefficients in the one table HW_COST_FEATURES below,
 * so a calibration (issue #8: Yosys synth_xilinx on generated units, see
 * bench/mvu_yosys.sh) is a least-squares refit of two columns.  The features
 * follow the RTL (rtl-lib/qr_mvu.sv):
 *   XW, WW     two's complement widths of input / weight (bits, +1 if unsigned;
 *              1 if bipolar); PW = XW + WW the lane product width (1 for xnor)
 *   datapath   both bipolar: xnor lanes + popcount trees + a 2p-n fix-up;
 *              one bipolar: conditional negation (PW LUTs per lane);
 *              IBits, WBits <= 4: LUT multiply (~XW*WW LUTs per lane);
 *              else `*` on DSP blocks (DSPs per lane, below)
 *   adder bits exact: qr_mvu_addtree splits N lanes into N/2 and N-N/2 and
 *              each adder is as wide as its partial sum
 *   accumulator PE * AccBits;  thresholds PE * T comparators of TBits = AccBits+1
 * Memories are counted exactly for their style, which is the unit's ram_style
 * for the weights of an mvu and the thresholds of a threshold unit, and "auto"
 * for the rest (input double buffer, output FIFO, an mvu's fused thresholds):
 *   registers    depth 1: constants folded into the logic (free); else
 *                depth*width FFs + a read mux of width*ceil((depth-1)/3) LUTs
 *   distributed  ROM: width * ceil(depth/64) LUT6 (+ width*(ceil(depth/256)-1)
 *                LUT muxes beyond the F7/F8 muxes), depth 1: constants;
 *                RAM (buffers): dual-port LUTRAM, width * ceil(depth/32) * 2/3
 *   block        BRAM18 of 16Kx1, 8Kx2, 4Kx4, 2Kx9, 1Kx18 or 512x36 (one
 *                aspect ratio per memory, the cheapest):
 *                min over (d, w) of ceil(depth/d) * ceil(width/w)
 *   ultra        URAM288 (4K x 72): ceil(depth/4096) * ceil(width/72)
 * "auto" picks the style with the least LUT-equivalent cost at the part's
 * exchange rate (LUTs per FF / BRAM18 / URAM on the device; URAM only if the
 * part has any; ties go to registers, distributed, block, ultra in order).
 * DSPs: one DSP48 multiplies 25x18 (7-series) or 27x18 (UltraScale+) signed;
 * wider products take ceil(a/A) * ceil(b/18) of them.
 * Every estimate is rounded up to a whole number.
 *
 * The coefficients are hand-set, then nudged against bench/mvu_yosys.sh
 * (Yosys 0.23 synth_xilinx, 7-series; LUT incl. LUTRAM / FF / BRAM18 / DSP):
 *   config                              Yosys                model
 *   784x64 PE16 SIMD49 bip/bip T1 block 2345 / 419 / 22 / 0   2290 / 633 / 22 / 0
 *   same, auto (ROM in LUTs)            3135 / 1203 / 0 / 0   3074 / 1221 / 0 / 0
 *   64x64 PE16 SIMD16 bip/bip T1 auto   1195 / 524 / 0 / 0    1216 / 607 / 0 / 0
 *   64x64 PE4 SIMD8 s8/s8 T0 auto       1154 / 519 / 0 / 32   1264 / 563 / 0 / 32
 *   49x10 PE1 SIMD7 u3/s3 T0 auto        346 / 126 / 0 / 0     326 / 135 / 0 / 0
 *   49x10 PE10 SIMD49 u4/bip T0 auto    5804 / 460 / 0 / 0    7255 / 633 / 0 / 0
 * A proper least-squares fit over many units is issue #8.
 */
#include <math.h>
#include <string.h>

#include "ir/hw.h"

/*   id              LUT    FF    what the feature counts */
#define HW_COST_FEATURES(X)                                                                      \
  X(UNIT,           40.0,  25.0, "1 per unit: stream handshakes, valid pipeline, control")      \
  X(CTRL_BITS,       1.0,   1.0, "counter and address bits")                                    \
  X(XNOR_LANES,     0.17,   0.0, "xnor lanes (input and weight both bipolar)")                  \
  X(POPCOUNT_BITS,  0.55,   0.0, "adder bits of the popcount trees")                            \
  X(ADDER_BITS,      1.0,   0.0, "adder bits: signed SIMD trees, 2p-n fix-ups, vote counts")    \
  X(LUTMUL_BITS,     1.5,   0.0, "XW*WW per LUT-multiply lane")                                 \
  X(NEGMUL_BITS,     1.0,   0.0, "product bits per conditional-negate lane")                    \
  X(DSP_LANES,       0.0,   0.0, "lanes multiplied on DSP blocks (glue)")                       \
  X(ACC_BITS,        1.0,   1.0, "accumulator bits (adder and register)")                       \
  X(CMP_BITS,        0.5,   0.0, "threshold / label comparator bits")                           \
  X(ROM_BITS64,      1.0,   0.0, "distributed ROM: width x 64-word LUT6 slices and wide muxes") \
  X(REG_MUX_BITS,    1.0,   0.0, "register memories and converters: read mux LUTs")            \
  X(REG_MEM_BITS,    0.0,   1.0, "register memories: stored bits")                              \
  X(LUTRAM_BITS32, 0.667,   0.0, "dual-port LUTRAM: width x 32-word slices")                    \
  X(PIPE_BITS,       0.0,  0.75, "pipeline and output register bits")

enum {
#define X(id, lut, ff, what) F_##id,
  HW_COST_FEATURES(X)
#undef X
  NFEAT
};

static const double lut_coef[NFEAT] = {
#define X(id, lut, ff, what) lut,
    HW_COST_FEATURES(X)
#undef X
};
static const double ff_coef[NFEAT] = {
#define X(id, lut, ff, what) ff,
    HW_COST_FEATURES(X)
#undef X
};

/* BRAM18 aspect ratios (depth x width, parity bits used as data). */
static const int bram_cfg[][2] = {{16384, 1}, {8192, 2}, {4096, 4}, {2048, 9}, {1024, 18}, {512, 36}};
#define URAM_DEPTH 4096
#define URAM_WIDTH 72

typedef enum { ST_REGISTERS, ST_DISTRIBUTED, ST_BLOCK, ST_ULTRA, NSTYLES } mem_style;
static const char *const style_names[NSTYLES] = {"registers", "distributed", "block", "ultra"};

/* The default part when none is given (the budget's default too). */
static const hw_part default_part = {"xc7z020clg400-1", "zynq", 53200, 106400, 280, 0, 220};

typedef struct est {
  double f[NFEAT];
  double bram18, uram, dsp;
} est;

static int64_t cdiv(int64_t a, int64_t b) { return b > 0 ? (a + b - 1) / b : a; }

static int clog2(int64_t n) {
  int b = 0;
  while (b < 62 && ((int64_t)1 << b) < n) b++;
  return b;
}

/* Total adder bits of qr_mvu_addtree over n lanes of w bits: a node of n > 1
 * lanes adds its halves at width w + clog2(n).  Only two sizes occur per
 * level (floor and ceil), so this is O(log n). */
static double adder_bits(int64_t n, int w) {
  double total = 0;
  int64_t lo = n, c0 = 1, c1 = 0; /* c0 nodes of lo lanes, c1 nodes of lo+1 lanes */
  while (lo > 1 || (lo == 1 && c1 > 0)) {
    if (lo > 1) total += (double)c0 * (w + clog2(lo));
    total += (double)c1 * (w + clog2(lo + 1));
    int64_t h = lo / 2, n0 = 0, n1 = 0; /* children have h or h+1 lanes */
    if (lo > 1) {
      n0 += lo % 2 ? c0 : 2 * c0;
      n1 += lo % 2 ? c0 : 0;
    }
    n0 += (lo + 1) % 2 ? c1 : 0;
    n1 += (lo + 1) % 2 ? c1 : 2 * c1;
    lo = h;
    c0 = n0;
    c1 = n1;
  }
  return total;
}

static int64_t bram18_count(int64_t depth, int64_t width) {
  int64_t best = -1;
  for (size_t i = 0; i < sizeof bram_cfg / sizeof bram_cfg[0]; i++) {
    int64_t c = cdiv(depth, bram_cfg[i][0]) * cdiv(width, bram_cfg[i][1]);
    if (best < 0 || c < best) best = c;
  }
  return best;
}

/* A memory of depth x width in the given style; rom: read-only (weights,
 * thresholds), else a buffer written and read at once (dual-port). */
static void memory(est *e, int64_t depth, int64_t width, mem_style s, bool rom) {
  if (depth <= 0 || width <= 0) return;
  switch (s) {
  case ST_REGISTERS:
    if (rom && depth == 1) return;
    e->f[F_REG_MEM_BITS] += (double)(depth * width);
    e->f[F_REG_MUX_BITS] += (double)(width * cdiv(depth - 1, 3));
    e->f[F_PIPE_BITS] += (double)width;
    break;
  case ST_DISTRIBUTED:
    if (rom) {
      if (depth == 1) return;
      e->f[F_ROM_BITS64] += (double)(width * cdiv(depth, 64));
      if (depth > 256) e->f[F_ROM_BITS64] += (double)(width * (cdiv(depth, 256) - 1));
    } else {
      e->f[F_LUTRAM_BITS32] += (double)(width * cdiv(depth, 32));
    }
    e->f[F_PIPE_BITS] += (double)width;
    break;
  case ST_BLOCK: e->bram18 += (double)bram18_count(depth, width); break;
  case ST_ULTRA: e->uram += (double)(cdiv(depth, URAM_DEPTH) * cdiv(width, URAM_WIDTH)); break;
  default: break;
  }
}

static double lut_of(const est *e) {
  double s = 0;
  for (int k = 0; k < NFEAT; k++) s += lut_coef[k] * e->f[k];
  return s;
}

static double ff_of(const est *e) {
  double s = 0;
  for (int k = 0; k < NFEAT; k++) s += ff_coef[k] * e->f[k];
  return s;
}

/* LUT-equivalent cost at the part's exchange rate (for "auto"). */
static double lut_equiv(const est *e, const hw_part *p) {
  double c = lut_of(e) + ff_of(e) * (p->lut / p->ff) + e->bram18 * (p->lut / p->bram18);
  if (e->uram > 0) c += p->uram > 0 ? e->uram * (p->lut / p->uram) : INFINITY;
  return c;
}

static mem_style auto_style(int64_t depth, int64_t width, bool rom, const hw_part *p) {
  mem_style best = ST_DISTRIBUTED;
  double best_c = INFINITY;
  for (int s = 0; s < NSTYLES; s++) {
    if (s == ST_ULTRA && !(p->uram > 0)) continue;
    est e = {0};
    memory(&e, depth, width, (mem_style)s, rom);
    double c = lut_equiv(&e, p);
    if (c < best_c) {
      best_c = c;
      best = (mem_style)s;
    }
  }
  return best;
}

static void memory_auto(est *e, int64_t depth, int64_t width, bool rom, const hw_part *p) {
  memory(e, depth, width, auto_style(depth, width, rom, p), rom);
}

static int style_of(const char *name) {
  if (!name || !strcmp(name, "auto")) return -1;
  for (int s = 0; s < NSTYLES; s++)
    if (!strcmp(name, style_names[s])) return s;
  return -1; /* unknown names are rejected where they are read */
}

/* ------------------------------------------------------------- units ---- */

static int xw_of(hw_etype t) { return t.bipolar ? 1 : t.bits + (t.is_signed ? 0 : 1); }
static int max_i(int a, int b) { return a > b ? a : b; }

static double dsp_per_mult(int xw, int ww, const hw_part *p) {
  int amax = strstr(p->family, "uplus") ? 27 : 25, bmax = 18;
  int a = max_i(xw, ww), b = xw < ww ? xw : ww;
  if (a <= amax && b <= bmax) return 1;
  return (double)(cdiv(a, amax) * cdiv(b, bmax));
}

/* The main memory of a unit: (depth, width, rom) or depth 0 if none. */
static void main_memory(const hw_unit *u, int64_t *depth, int64_t *width, bool *rom) {
  int pe = u->pe > 0 ? u->pe : 1, simd = u->simd > 0 ? u->simd : 1;
  *depth = *width = 0;
  *rom = true;
  switch (u->kind) {
  case HW_MVU: case HW_VVU:
    *depth = cdiv(u->mh, pe) * cdiv(u->mw, simd);
    *width = (int64_t)pe * simd * hw_etype_bits(u->w);
    break;
  case HW_THRESHOLD: {
    int vbits = xw_of(u->in);
    *depth = cdiv(u->mh, pe);
    *width = (int64_t)pe * u->nthresh * (vbits + 1);
    break;
  }
  case HW_FIFO:
    *depth = u->depth;
    *width = (int64_t)(u->in_elems > 0 ? u->in_elems : 1) * hw_etype_bits(u->in);
    *rom = false;
    break;
  default: break;
  }
}

/* Output FIFO of qr_mvu / qr_threshold (qr_mvu_fifo). */
static void out_fifo(est *e, int64_t depth, int64_t width, const hw_part *p) {
  memory_auto(e, depth, width, false, p);
  e->f[F_CTRL_BITS] += 2 * clog2(depth) + 2;
}

static void est_mvu(est *e, const hw_unit *u, mem_style ws, const hw_part *p) {
  int64_t P = u->pe, S = u->simd, NF = cdiv(u->mh, P), SF = cdiv(u->mw, S);
  int xw = xw_of(u->in), ww = xw_of(u->w);
  bool xb = u->in.bipolar, wb = u->w.bipolar;
  int mode = xb && wb ? 0 : wb ? 1 : xb ? 2 : (u->in.bits <= 4 && u->w.bits <= 4) ? 3 : 4;
  int pw = mode == 0 ? 1 : xw + ww;
  int A = u->acc_bits > 0 ? u->acc_bits : xw + ww + clog2(u->mw);
  int T = u->nthresh, TB = A + 1;
  int OB = T > 0 ? hw_etype_bits(u->out) : A;
  int ibits = hw_etype_bits(u->in);

  e->f[F_UNIT] += 1;
  e->f[F_CTRL_BITS] += clog2(SF) + clog2(NF) + clog2(SF * NF) + 2 * clog2(2 * SF) + 4;
  if (mode == 0) {
    e->f[F_XNOR_LANES] += (double)(P * S);
    e->f[F_POPCOUNT_BITS] += (double)P * adder_bits(S, 1);
    e->f[F_ADDER_BITS] += (double)(P * A);
  } else {
    e->f[F_ADDER_BITS] += (double)P * adder_bits(S, pw);
    if (mode == 3) e->f[F_LUTMUL_BITS] += (double)(P * S * xw * ww);
    else if (mode == 4) {
      e->f[F_DSP_LANES] += (double)(P * S);
      e->dsp += (double)(P * S) * dsp_per_mult(xw, ww, p);
    } else {
      e->f[F_NEGMUL_BITS] += (double)(P * S * pw);
    }
  }
  e->f[F_ACC_BITS] += (double)(P * A);
  e->f[F_PIPE_BITS] += (double)(S * ibits + P * A); /* x_q, dot_q */
  /* weights (the unit's style), input double buffer, output FIFO (auto) */
  memory(e, NF * SF, P * S * hw_etype_bits(u->w), ws, true);
  memory_auto(e, 2 * SF, S * ibits, false, p);
  if (T > 0) {
    e->f[F_CMP_BITS] += (double)(P * T * TB);
    e->f[F_ADDER_BITS] += (double)P * adder_bits(T, 1);
    memory_auto(e, NF, P * T * TB, true, p);
  }
  int64_t need = 4 / SF + 1, fd = 2;
  while (fd < need) fd *= 2;
  out_fifo(e, fd, P * OB, p);
}

static void est_threshold(est *e, const hw_unit *u, mem_style ts, const hw_part *p) {
  int64_t P = u->pe, CF = cdiv(u->mh, P);
  int vbits = xw_of(u->in), TB = vbits + 1, T = u->nthresh;
  e->f[F_UNIT] += 1;
  e->f[F_CTRL_BITS] += clog2(CF) + 2;
  e->f[F_CMP_BITS] += (double)(P * T * TB);
  e->f[F_ADDER_BITS] += (double)P * adder_bits(T, 1);
  e->f[F_PIPE_BITS] += (double)(P * hw_etype_bits(u->in));
  memory(e, CF, P * T * TB, ts, true);
  out_fifo(e, 4, P * hw_etype_bits(u->out), p);
}

static void est_labelselect(est *e, const hw_unit *u) {
  int64_t P = u->pe, K = u->k > 0 ? u->k : 1;
  int ib = hw_etype_bits(u->in), idx = clog2(u->mw) > 0 ? clog2(u->mw) : 1;
  e->f[F_UNIT] += 1;
  e->f[F_CTRL_BITS] += clog2(cdiv(u->mw, P)) + idx;
  e->f[F_CMP_BITS] += (double)(P * K * (ib + 1));
  e->f[F_REG_MUX_BITS] += (double)(K * (ib + idx));
  e->f[F_PIPE_BITS] += (double)(K * (ib + idx) + P * ib);
}

static void est_fifo(est *e, const hw_unit *u, mem_style s) {
  int64_t depth, width;
  bool rom;
  main_memory(u, &depth, &width, &rom);
  e->f[F_UNIT] += 1;
  e->f[F_CTRL_BITS] += 2 * clog2(depth > 1 ? depth : 2) + 2;
  memory(e, depth, width, s, false);
}

static void est_dwc(est *e, const hw_unit *u) {
  int64_t in = u->in_elems > 0 ? u->in_elems : 1, out = u->out_elems > 0 ? u->out_elems : 1;
  int b = hw_etype_bits(u->in);
  int64_t wide = in > out ? in : out, narrow = in > out ? out : in;
  e->f[F_UNIT] += 1;
  e->f[F_CTRL_BITS] += clog2(cdiv(wide, narrow)) + 1;
  e->f[F_REG_MUX_BITS] += (double)(wide * b);
  e->f[F_PIPE_BITS] += (double)((in + out) * b);
}

/* ----- convolutional units (rough, not yet calibrated against Yosys) ----- */

/* A line/row buffer of depth x width (dual-port, "auto" style). */
static void est_swg(est *e, const hw_unit *u, const hw_part *p) {
  int64_t S = u->simd, b = hw_etype_bits(u->in);
  int64_t depth = hw_swg_buffer_beats(u);
  e->f[F_UNIT] += 1;
  e->f[F_CTRL_BITS] += 6 * clog2(depth > 1 ? depth : 2) + 4 * clog2(u->iw + 1) + 16;
  e->f[F_PIPE_BITS] += (double)(2 * S * b);
  memory_auto(e, depth, S * b, false, p);
}

static void est_stream_op(est *e, const hw_unit *u, int lanes, int64_t buf_depth, const hw_part *p) {
  int64_t b = hw_etype_bits(u->in);
  e->f[F_UNIT] += 1;
  e->f[F_CTRL_BITS] += 4 * clog2(buf_depth > 1 ? buf_depth : 2) + 12;
  e->f[F_PIPE_BITS] += (double)(2 * lanes * b);
  if (buf_depth > 1) memory_auto(e, buf_depth, lanes * b, false, p);
}

static void est_pool(est *e, const hw_unit *u, const hw_part *p) {
  int64_t P = u->pe, ob = hw_etype_bits(u->out);
  e->f[F_UNIT] += 1;
  e->f[F_CTRL_BITS] += clog2(cdiv(u->mh, P)) + clog2(u->mw + 1) + 4;
  if (u->kind == HW_MAXPOOL) e->f[F_CMP_BITS] += (double)(P * ob);
  else e->f[F_ADDER_BITS] += (double)(P * ob);
  e->f[F_ACC_BITS] += (double)(P * ob);
  if (u->global) memory_auto(e, 2 * cdiv(u->mh, P), P * ob, false, p);
  out_fifo(e, 4, P * ob, p);
}

static void est_add(est *e, const hw_unit *u, const hw_part *p) {
  int64_t P = u->pe, ob = hw_etype_bits(u->out);
  e->f[F_UNIT] += 1;
  e->f[F_CTRL_BITS] += 4;
  /* constant multiplies: about one adder per set bit of each multiplier */
  int ones = 0;
  for (int64_t m = u->mul_a < 0 ? -u->mul_a : u->mul_a; m; m >>= 1) ones += (int)(m & 1);
  for (int64_t m = u->mul_b < 0 ? -u->mul_b : u->mul_b; m; m >>= 1) ones += (int)(m & 1);
  e->f[F_ADDER_BITS] += (double)(P * ob * (ones > 1 ? ones - 1 : 1));
  out_fifo(e, 4, P * ob, p);
}

static void est_cnn(est *e, const hw_unit *u, mem_style s, const hw_part *p) {
  switch (u->kind) {
  case HW_SWG: est_swg(e, u, p); break;
  case HW_PAD: est_stream_op(e, u, u->simd, 0, p); break;
  case HW_VVU: est_mvu(e, u, s, p); break; /* same datapath shape: PE lanes, C/PE*K weights */
  case HW_MAXPOOL: case HW_AVGPOOL: est_pool(e, u, p); break;
  case HW_ADD: est_add(e, u, p); break;
  case HW_DUP: est_stream_op(e, u, 2 * u->pe, 0, p); break;
  case HW_CONCAT: est_stream_op(e, u, u->pe, 0, p); break;
  case HW_UPSAMPLE: est_stream_op(e, u, u->simd, 2 * (int64_t)u->iw * cdiv(u->c, u->simd), p); break;
  case HW_D2S:
    est_stream_op(e, u, u->simd, 2 * (int64_t)u->iw * u->block * u->block * cdiv(u->c, u->simd), p);
    break;
  default: break;
  }
}

static int64_t unit_cycles(const hw_unit *u) {
  int64_t nv = u->numvec > 0 ? u->numvec : 1;
  int pe = u->pe > 0 ? u->pe : 1, simd = u->simd > 0 ? u->simd : 1;
  switch (u->kind) {
  case HW_MVU: return nv * cdiv(u->mh, pe) * cdiv(u->mw, simd);
  case HW_THRESHOLD: return nv * cdiv(u->mh, pe);
  case HW_LABELSELECT: return nv * cdiv(u->mw, pe);
  case HW_FIFO: return 0;
  case HW_DWC: {
    int64_t in = u->in_elems > 0 ? u->in_elems : 1, out = u->out_elems > 0 ? u->out_elems : 1;
    return nv * cdiv(u->mw, in < out ? in : out);
  }
  case HW_SWG: {
    int64_t in = cdiv((int64_t)u->c * u->ih * u->iw, simd), out = cdiv(nv * u->mw, simd);
    return in > out ? in : out;
  }
  case HW_PAD: case HW_UPSAMPLE: case HW_D2S: return cdiv(hw_unit_out_frame(u), simd);
  case HW_VVU: return nv * cdiv(u->mh, pe) * cdiv(u->mw, simd);
  case HW_MAXPOOL: return nv * cdiv(u->mh, pe) * u->mw;
  case HW_AVGPOOL: return u->global ? u->pixels * cdiv(u->mh, pe) : nv * cdiv(u->mh, pe) * u->mw;
  case HW_ADD: case HW_DUP: return nv * cdiv(u->mh, pe);
  case HW_CONCAT: return nv * cdiv(u->ca + u->cb, pe);
  case HW_NKINDS: break;
  }
  return 0;
}

const char *hw_resolve_ram_style(const hw_unit *u, const hw_part *p) {
  int64_t depth, width;
  bool rom;
  main_memory(u, &depth, &width, &rom);
  if (depth <= 0) return NULL;
  int s = style_of(u->ram_style);
  if (s >= 0) return style_names[s];
  return style_names[auto_style(depth, width, rom, p ? p : &default_part)];
}

static double whole(double x) { return x > 1e-9 ? ceil(x - 1e-9) : 0; }

/* The features and exact block counts of a unit at its folding and style. */
static void unit_est(est *e, const hw_unit *u, const hw_part *p) {
  hw_unit v = *u;
  if (v.pe < 1) v.pe = 1;
  if (v.simd < 1) v.simd = 1;
  memset(e, 0, sizeof *e);
  const char *style = hw_resolve_ram_style(&v, p);
  mem_style s = (mem_style)(style ? style_of(style) : ST_DISTRIBUTED);
  switch (v.kind) {
  case HW_MVU: est_mvu(e, &v, s, p); break;
  case HW_THRESHOLD: est_threshold(e, &v, s, p); break;
  case HW_LABELSELECT: est_labelselect(e, &v); break;
  case HW_FIFO: est_fifo(e, &v, s); break;
  case HW_DWC: est_dwc(e, &v); break;
  default: est_cnn(e, &v, s, p); break;
  }
}

void hw_estimate_part(hw_unit *u, const hw_part *p) {
  if (!p) p = &default_part;
  est e;
  unit_est(&e, u, p);
  u->est_lut = whole(lut_of(&e));
  u->est_ff = whole(ff_of(&e));
  u->est_bram18 = whole(e.bram18);
  u->est_uram = whole(e.uram);
  u->est_dsp = whole(e.dsp);
  u->cycles = unit_cycles(u);
}

int hw_cost_features(const hw_unit *u, const hw_part *p, double *f) {
  est e;
  unit_est(&e, u, p ? p : &default_part);
  for (int k = 0; k < NFEAT && k < HW_COST_MAXFEAT; k++) f[k] = e.f[k];
  return NFEAT;
}

const char *hw_cost_feature(int k, double *lut, double *ff) {
  static const char *const names[NFEAT] = {
#define X(id, lut, ff, what) #id,
      HW_COST_FEATURES(X)
#undef X
  };
  if (k < 0 || k >= NFEAT) return NULL;
  if (lut) *lut = lut_coef[k];
  if (ff) *ff = ff_coef[k];
  return names[k];
}

void hw_estimate(hw_unit *u) { hw_estimate_part(u, NULL); }
