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
 * The model follows the RTL (rtl-lib/) and how Yosys synth_xilinx maps it; it
 * is calibrated against Yosys 0.23 on a sweep of unit configurations
 * (bench/calib, see "Calibration" below).
 *
 * Memories are counted exactly, the way Yosys's memory_libmap maps them
 * (7-series: LUTRAM, RAMB18/RAMB36, or logic):
 *   - a memory with a style attribute: the unit's ram_style for an mvu's
 *     weights and a threshold unit's thresholds (ROMs; "distributed" and
 *     "registers" are LUT logic, "block" block RAM), "block" for a qr_fifo
 *     above 64 words;
 *   - every other memory (an mvu's input double buffer and fused thresholds,
 *     the output FIFOs, a small qr_fifo) gets what Yosys picks on its own: the
 *     least of its costs (mem_yosys below: logic = bits/64 for a ROM, bits
 *     for a RAM; LUTRAM RAM32M/RAM64M; BRAM by geometry; a RAM read at a
 *     registered address pays for the emulated read-after-write bypass).
 *   block RAM   the cheapest geometry Yosys finds: RAMB18 (16Kx1 .. 512x36) or
 *               RAMB36 (32Kx1 .. 512x72, counted as 2 BRAM18); a memory deeper
 *               than one block is folded into the width (ceil(m * width / w)
 *               blocks for m address ranges, an m:1 read multiplexer).  Exact.
 *   LUTRAM      RAM32M (32 words x 6 bits) or RAM64M (64 x 3) per 64-word bank,
 *               4 LUTs each, + a read multiplexer over the banks.
 *   ROM logic   per output bit ceil(depth/64) LUT6 (MUXF7/F8 join up to 4), a
 *               LUT per further 256 words; 1/2 a LUT for 2 words; depth 1 is a
 *               constant (free, and the datapath then sees constant weights);
 *               up to 4 words (8 in front of xnor counts) a bit is a function
 *               of so few address bits that its user's LUTs absorb it.
 *   URAM        URAM288 (4K x 72): ceil(depth/4096) * ceil(width/72).
 *   weights     Yosys drops the bit lanes of a weight memory that are the same
 *               in every word (pruned inputs, sparse layers: a block RAM only
 *               as wide as the rest) and merges identical lanes of a ROM in
 *               logic: from the unit's weights (weight_lanes); a weight that is
 *               0 in every word is no LUT product and no adder input (its DSP
 *               stays).  Sweep rows sp_* (sparse and pruned random weights).
 *   thresholds  Yosys drops the bit lanes that are equal in every word of a
 *               threshold memory (ascending thresholds share high bits) and
 *               merges identical ones: from the unit's thresholds when it has
 *               them (thresh_lanes); such a lane is a constant comparator input.
 *   tables      an mvu's threshold table (thresh_style "table"): per PE a ROM
 *               of NF << AccBits words of the output's bits, block RAM when
 *               the unit's ram_style is block/ultra, else LUT logic.  "auto"
 *               takes a table when its LUT-equivalent cost is below the
 *               comparators' (hw_thresh_table), e.g. 255 thresholds over an
 *               8-bit accumulator.
 * "auto" (the folder asks hw_resolve_ram_style) picks for a weight/threshold
 * memory the style with the least LUT-equivalent cost at the part's exchange
 * rate (LUTs per FF / BRAM18 / URAM on the device; URAM only if the part has
 * any): distributed, block or ultra, or registers for a one-word memory
 * (constants).  A qr_fifo's auto is its RTL rule: block above 64 words, else
 * distributed (rtlgen passes no style to qr_fifo).
 *
 * Logic: LUT and FF are linear in structural features of the unit,
 *     LUT = sum_k lut_coef[k] * feature[k],   FF = sum_k ff_coef[k] * feature[k]
 * (rounded up), the features and both coefficient columns in the one table
 * HW_COST_FEATURES below.  The datapath features follow rtl-lib/qr_mvu.sv:
 *   xnor       per PE ceil(SIMD/3) 3-lane counts (2 LUTs each; with constant
 *              weights absorbed), then an adder tree over the 2-bit counts
 *   bipolar w  per PE a gated tree over SIMD lanes + one shared input-sum tree
 *              and 2g - s; constant weights (one word) keep ~half the lanes
 *   bipolar x  per lane a conditional negation (WW + 1 bits), then a tree
 *   LUT mult   per PE and bit of the narrower operand (NB planes) a gated tree
 *              over SIMD lanes of the other operand (unsigned, or offset if it
 *              is signed), planes joined by NB - 1 accumulator-wide adders
 *   DSP        one DSP48 per lane (25x18 on 7-series, 27x18 on UltraScale+;
 *              wider products ceil(a/A) * ceil(b/18)), then a tree in LUTs
 *   trees      qr_mvu_addtree splits N lanes into N/2 and N - N/2, every adder
 *              as wide as its partial sum: adder_bits() counts them exactly;
 *              trees over signed lanes cost more in Yosys (a LUT compressor
 *              instead of carry chains), hence their own feature
 *   thresholds PE * T comparators of TBits = AccBits + 1, a vote count per PE
 * and the other units follow their RTL (per-kind constants, width converter
 * slice multiplexers and shifters, label-select insertion steps).
 *
 * Calibration (issue #8): bench/calib/run.sh synthesizes the configurations of
 * bench/calib/sweep.txt with Yosys 0.23 `synth_xilinx -flatten -noiopad` and
 * writes bench/calib/data.csv; bench/calib/fit.c (calib_fit) recomputes every
 * row's features through hw_cost_features and fits both columns by
 * non-negative least squares on relative errors.  The table below is that fit;
 * tests/test_resources.c checks it against the committed data (LUT within
 * 25 % on >= 90 % of the rows, BRAM18 and DSP exact on >= 90 %).  The model is
 * calibrated against Yosys, not Vivado (which packs LUTs and maps memories
 * somewhat differently), and against random weights.
 *
 * New unit kinds: one est_<kind>() function and one case in unit_est().
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ir/hw.h"

/* The table is the fit of 2026-12-06 (bench/calib/fit.c) to bench/calib/data.csv:
 * 128 configurations of qr_mvu (8 with threshold tables, 7 with sparse or
 * pruned weights), qr_threshold, qr_fifo, qr_dwc, qr_labelselect, qr_pad and
 * qr_depth2space, Yosys 0.23 synth_xilinx.  The model (these coefficients) is
 * within 25 % of Yosys's LUTs on 122/128 (median |error| 7.5 %, 90th
 * percentile 16.9 %; each row predicted by a fit without it: 113/128, median
 * 8.7 %), BRAM18 exact on 128/128, DSP on 128/128.  LUTRAM_LUTS is a count,
 * not fitted (1).
 * To refit: bench/calib/run.sh, then copy its coefficient table here.
 *   id               LUT        FF     what the feature counts */
#define HW_COST_FEATURES(X)                                                                              \
  X(UNIT,                8.621,    6.122, "1 per mvu (and CNN unit): handshakes, folds, control")        \
  X(THR_UNIT,                0,    9.432, "1 per threshold unit")                                        \
  X(FIFO_UNIT,           1.235,    8.366, "1 per qr_fifo: pointers, occupancy, handshakes")              \
  X(FIFO_BLOCK,          21.61,    8.678, "1 per block-RAM qr_fifo: read and output stages")             \
  X(DWC_UNIT,            3.851,    6.473, "1 per width converter")                                       \
  X(GEARBOX,              82.7,        0, "1 per gearbox width converter: fill-level arithmetic")        \
  X(LS_UNIT,                 0,    3.678, "1 per label select")                                          \
  X(CTRL_BITS,            1.23,   0.6517, "counter, address and decode bits")                            \
  X(XNOR_LUTS,          0.7632,        0, "3-lane xnor counts: 2 LUT6 per 3 lanes")                      \
  X(NEG_BITS,            1.251,        0, "conditionally negated lane bits (bipolar inputs)")            \
  X(TREE_BITS,           1.051,        0, "adder bits of SIMD trees over unsigned lanes")                \
  X(STREE_BITS,          1.768,    0.141, "adder bits of SIMD trees over signed lanes")                  \
  X(OTREE_BITS,          1.289, 0.003635, "adder bits of SIMD trees over offset (signed) plane lanes")   \
  X(DSP_TREE_BITS,       0.836,        0, "adder bits of the trees after DSP products")                  \
  X(ADDER_BITS,          1.496,   0.2339, "other adder bits: plane joins, 2g - s, pools, adds")          \
  X(VOTE_BITS,               0,        0, "adder bits of the threshold vote counts")                     \
  X(ACC_BITS,                0,    1.071, "accumulator bits (adder and register)")                       \
  X(CMP_BITS,           0.9384,        0, "comparator bits, both operands variable")                     \
  X(CMPK_BITS,          0.0774, 0.002774, "comparator bits against constants")                           \
  X(MUX_LUTS,            1.329,        0, "multiplexer LUTs (n:1 muxes of LUT6 + MUXF7/F8)")             \
  X(ROM_LUTS,            1.062,   0.1668, "ROM in logic: LUTs per output bit by depth")                  \
  X(SMALLROM_BITS,           0,  0.02497, "ROM in logic of 2..4 words (xnor: 8): bits, mostly absorbed") \
  X(TABLE_LUTS,         0.4888,  0.04166, "threshold table in logic: LUTs per output bit by depth")      \
  X(LUTRAM_LUTS,           1.0,      0.0, "LUTs in LUTRAM cells (RAM32M/RAM64M: 4)")                     \
  X(DSP_LANES,          0.4939,   0.7509, "lanes multiplied on DSP blocks (glue)")                       \
  X(DWC_LUTS,            1.167,   0.8181, "gather slot decode and bypass, scatter slice muxes")          \
  X(GEAR_SHIFT,         0.5591,  0.04589, "gearbox: 2:1 shifter stages (bits) + pop / OR per bit")       \
  X(LS_CMP,             0.8408,        0, "label select: comparator bits per insertion step")            \
  X(LS_MUX,              0.742,  0.02093, "label select: list value and index bits per step")            \
  X(LS_SHIFT,            1.059,        0, "label select: bits shifting down the list per step (K > 1)")  \
  X(STREAM_BITS,          1.98,    2.263, "pad, depth2space: data bits per beat (skid, registers)")      \
  X(D2S_ADDR_BITS,       1.298,        0, "depth2space: address bits per lane (a RAM per lane)")         \
  X(REG_MEM_BITS,            0,   0.7318, "memories in flip-flops: stored bits")                         \
  X(PIPE_BITS,               0,   0.6804, "pipeline and output register bits")

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

static int64_t max64(int64_t a, int64_t b) { return a > b ? a : b; }

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

/* LUTs of an n:1 multiplexer per bit: a LUT6 selects 1 of 4, MUXF7/F8 join
 * two/four of them for free, beyond 16 inputs a further level. */
static double mux_luts(int64_t n) {
  if (n <= 1) return 0;
  if (n <= 4) return 1;
  if (n <= 8) return 2;
  if (n <= 16) return 4;
  return 4.0 * (double)cdiv(n, 16) + mux_luts(cdiv(n, 16));
}

/* ------------------------------------------------------------ memories -- */

/* How a memory is read: a ROM or RAM with a registered read, or a RAM read
 * combinationally at a registered address (Yosys moves the address register
 * into the port: a registered read that must see a write of the cycle before,
 * emulated at a cost of 8). */
typedef enum { MU_ROM, MU_RAM, MU_RAM_AREG } mem_use;
typedef enum { YK_LOGIC, YK_LUTRAM, YK_BRAM, YK_URAM } mem_kind;

/* Yosys's cheapest block RAM geometry (memory_libmap with brams_xc4v.txt,
 * 7-series): RAMB18 cost 129, RAMB36 257 per block, + 1/2 per read bit per
 * extra address range, + 2 for the read port.  Returns the cost; *bram18
 * the blocks in BRAM18. */
static double yosys_bram(int64_t depth, int64_t width, double *bram18, int64_t *ranges) {
  static const int w18[] = {1, 2, 4, 9, 18, 36}, w36[] = {1, 2, 4, 9, 18, 36, 72};
  double best = INFINITY;
  *bram18 = 0;
  *ranges = 1;
  for (int half = 1; half >= 0; half--) {
    const int *ws = half ? w18 : w36;
    int nw = half ? 6 : 7;
    for (int i = 0; i < nw; i++) {
      int64_t d = (half ? 16384 : 32768) / (ws[i] >= 9 ? ws[i] / 9 * 8 : ws[i]);
      int64_t m = cdiv(depth, d), blocks = cdiv(m * width, ws[i]);
      double c = (half ? 129.0 : 257.0) * (double)blocks + 0.5 * (double)((m - 1) * width) + 2;
      if (c < best) {
        best = c;
        *bram18 = (double)(blocks * (half ? 1 : 2));
        *ranges = m;
      }
    }
  }
  return best;
}

/* Yosys's cost of LUTRAM (lutrams_xc5v.txt, simple dual port): RAM32M holds
 * 32 x 6, RAM64M 64 x 3; m banks of 32/64 words. */
static double yosys_lutram(int64_t depth, int64_t width, int *abits) {
  int64_t m5 = cdiv(depth, 32), m6 = cdiv(depth, 64);
  double c5 = (double)cdiv(m5 * width, 6) + 7.0 * (double)(m5 * width) / 6 + 0.5 * (double)((m5 - 1) * width) + 2;
  double c6 = (double)cdiv(m6 * width, 3) + 7.0 * (double)(m6 * width) / 3 + 0.5 * (double)((m6 - 1) * width) + 2;
  *abits = c5 <= c6 ? 5 : 6;
  return c5 <= c6 ? c5 : c6;
}

/* What Yosys maps a memory without a style attribute to: the least cost of
 * logic (a ROM's bits / 64, a RAM's bits), LUTRAM (RAMs) and block RAM; logic
 * wins ties, then LUTRAM. */
static mem_kind mem_yosys(int64_t depth, int64_t width, mem_use use) {
  double bits = (double)(depth * width), b18, emu = use == MU_RAM_AREG ? 6 : 0;
  mem_kind k = YK_LOGIC;
  double best = use == MU_ROM ? bits / 64 : bits; /* synth_xilinx: -logic-cost-rom 1/64 */
  int ab;
  double c = yosys_lutram(depth, width, &ab) + emu;
  if (use != MU_ROM && c < best) {
    best = c;
    k = YK_LUTRAM;
  }
  int64_t m;
  if (yosys_bram(depth, width, &b18, &m) + emu < best) k = YK_BRAM;
  return k;
}

/* LUTs per output bit of a ROM of `depth` random words built from LUTs. */
static double rom_luts_per_bit(int64_t depth) {
  if (depth <= 1) return 0;
  if (depth == 2) return 0.5;
  return (double)cdiv(depth, 64) + (depth > 256 ? (double)(cdiv(depth, 256) - 1) : 0);
}

/* The features of a memory mapped to kind k. */
static void mem_kind_cost(est *e, int64_t depth, int64_t width, mem_kind k, mem_use use) {
  if (depth <= 0 || width <= 0) return;
  double b18;
  int ab;
  switch (k) {
  case YK_LOGIC:
    if (use == MU_ROM) {
      /* up to 4 words a bit is a function of 2 address bits, which synthesis
       * mostly merges into the LUTs that use it */
      e->f[depth <= 4 ? F_SMALLROM_BITS : F_ROM_LUTS] += (double)width * rom_luts_per_bit(depth);
      if (depth > 8) e->f[F_PIPE_BITS] += (double)width; /* else the register moves to the address */
    } else {
      e->f[F_REG_MEM_BITS] += (double)(depth * width);
      e->f[F_MUX_LUTS] += (double)width * mux_luts(depth);
      e->f[F_CTRL_BITS] += (double)depth; /* write enables */
    }
    break;
  case YK_LUTRAM: {
    yosys_lutram(depth, width, &ab);
    int64_t m = cdiv(depth, (int64_t)1 << ab);
    e->f[F_LUTRAM_LUTS] += 4.0 * (double)cdiv(m * width, ab == 5 ? 6 : 3);
    e->f[F_MUX_LUTS] += (double)width * mux_luts(m);
    if (use == MU_RAM) e->f[F_PIPE_BITS] += (double)width; /* the registered read */
    break;
  }
  case YK_BRAM: {
    int64_t m;
    yosys_bram(depth, width, &b18, &m);
    e->bram18 += b18;
    e->f[F_MUX_LUTS] += (double)width * mux_luts(m); /* address ranges folded into the width */
    if (use == MU_RAM_AREG) { /* the emulated read-after-write bypass */
      e->f[F_MUX_LUTS] += (double)width;
      e->f[F_CTRL_BITS] += 2 * clog2(depth);
      e->f[F_PIPE_BITS] += (double)width;
    }
    break;
  }
  case YK_URAM: {
    double n = (double)(cdiv(depth, URAM_DEPTH) * cdiv(width, URAM_WIDTH));
    e->uram += n;
    break;
  }
  }
}

/* A weight or threshold ROM in the unit's style. */
static void rom_styled(est *e, int64_t depth, int64_t width, mem_style s) {
  mem_kind k = s == ST_BLOCK ? YK_BRAM : s == ST_ULTRA ? YK_URAM : YK_LOGIC;
  mem_kind_cost(e, depth, width, k, MU_ROM);
}

/* A memory without a style attribute: what Yosys picks.  rom: a ROM with a
 * registered read, else a RAM with a registered read (buffers). */
static void memory_auto(est *e, int64_t depth, int64_t width, bool rom, const hw_part *p) {
  (void)p;
  mem_use use = rom ? MU_ROM : MU_RAM;
  mem_kind_cost(e, depth, width, mem_yosys(depth, width, use), use);
}

/* A RAM read at a registered address (qr_mvu_fifo, qr_fifo's distributed path). */
static void memory_areg(est *e, int64_t depth, int64_t width) {
  mem_kind_cost(e, depth, width, mem_yosys(depth, width, MU_RAM_AREG), MU_RAM_AREG);
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

/* The memory of a unit in style s, alone (for "auto"); defined with the units. */
static void styled_memory(est *e, const hw_unit *u, mem_style s);

/* "auto" for a weight / threshold ROM: the cheapest style at the part's rate;
 * registers only for one word (constants: free), distributed otherwise (the
 * RTL builds both from LUTs). */
static mem_style auto_rom_style(const hw_unit *u, int64_t depth, const hw_part *p) {
  if (depth <= 1) return ST_REGISTERS;
  mem_style best = ST_DISTRIBUTED;
  double best_c = INFINITY;
  for (int s = ST_DISTRIBUTED; s < NSTYLES; s++) {
    if (s == ST_ULTRA && !(p->uram > 0)) continue;
    est e = {0};
    styled_memory(&e, u, (mem_style)s);
    double c = lut_equiv(&e, p);
    if (c < best_c) {
      best_c = c;
      best = (mem_style)s;
    }
  }
  return best;
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

/* Output FIFO of qr_mvu / qr_threshold (qr_mvu_fifo): LUTRAM read
 * asynchronously, pointers and credit counters. */
static void out_fifo(est *e, int64_t depth, int64_t width, const hw_part *p) {
  (void)p;
  memory_areg(e, depth, width);
  e->f[F_CTRL_BITS] += 4 * clog2(depth) + 4;
}

/* How many distinct values v[0 .. n-1] holds (an open-addressing set; -1 if
 * out of memory). */
static int64_t count_distinct(const uint64_t *v, int64_t n) {
  int64_t cap = 16;
  while (cap < 2 * n) cap *= 2;
  uint64_t *set = calloc((size_t)cap, sizeof *set); /* 0: empty; value x stored as x + 1 ... */
  if (!set) return -1;
  int64_t nd = 0;
  bool has_max = false; /* ... so ~0 (which would wrap to 0) is tracked apart */
  for (int64_t i = 0; i < n; i++) {
    if (v[i] == ~0ull) {
      nd += !has_max;
      has_max = true;
      continue;
    }
    uint64_t key = v[i] + 1, j = (key * 0x9e3779b97f4a7c15ull) >> 20;
    for (;; j++) {
      uint64_t *slot = &set[j & (uint64_t)(cap - 1)];
      if (*slot == key) break;
      if (!*slot) {
        *slot = key;
        nd++;
        break;
      }
    }
  }
  free(set);
  return nd;
}

/* A threshold memory (word f: P channels x T thresholds x TB bits, two's
 * complement) as Yosys sees it: opt_mem removes the bit lanes that are the
 * same in every word (ascending thresholds share many high bits), and the
 * identical lanes of a ROM built from LUTs are one net.  From the unit's
 * thresholds when it has them, else every lane varies.  *vary: lanes that
 * vary between words, *distinct: distinct ones among them. */
static void thresh_lanes(const hw_unit *u, int64_t P, int T, int TB, int64_t *vary, int64_t *distinct) {
  int64_t words = cdiv(u->mh, P), lanes = P * T * TB;
  *vary = *distinct = lanes;
  if (words <= 1) *vary = *distinct = 0; /* one word: constants */
  if (!u->thresholds || words <= 1 || lanes <= 0 || u->mh % P || TB > 63) return;
  uint64_t *h = malloc((size_t)lanes * sizeof *h);
  if (!h) return;
  int64_t nv = 0;
  for (int64_t p = 0; p < P; p++)
    for (int t = 0; t < T; t++)
      for (int b = 0; b < TB; b++) {
        uint64_t hash = 1469598103934665603ull, b0 = 0;
        bool same = true;
        for (int64_t f = 0; f < words; f++) {
          uint64_t bit = ((uint64_t)u->thresholds[(f * P + p) * T + t] >> b) & 1;
          if (f == 0) b0 = bit;
          same &= bit == b0;
          hash = (hash ^ (bit + 1)) * 1099511628211ull;
        }
        if (!same) h[nv++] = hash;
      }
  int64_t nd = count_distinct(h, nv);
  free(h);
  if (nd < 0) nd = nv;
  *vary = nv;
  *distinct = nd;
}

/* A weight memory (word nf*SF + sf: the P x S weights of that fold, WB bits
 * each; lanes as rtlgen lays them out) as Yosys sees it, like thresh_lanes:
 * opt_mem drops the bit lanes that are the same in every word (a block RAM is
 * only as wide as the rest: pruned or sparse weights), and a ROM built from
 * LUTs is one net per distinct lane.  From the unit's weights when it has
 * them and the folding divides MH and MW, else every lane varies. */
typedef struct wlanes {
  int64_t vary, distinct; /* bit lanes of the ROM word: not constant, and distinct among those */
  int64_t zero;           /* weights (p, l) that are 0 in every word: no product, no adder input */
} wlanes;

/* Auto folding estimates the same unit at the same (PE, SIMD) many times
 * and the analysis reads every weight: the unit's memo keeps it, direct
 * mapped on (PE, SIMD), keyed by the weights' address and shape too. */
#define LANE_MEMO_SLOTS 1024
struct hw_lane_memo {
  struct {
    const int32_t *weights;
    int64_t mh, mw, P, S;
    wlanes r;
  } slot[LANE_MEMO_SLOTS];
};

hw_lane_memo *hw_lane_memo_new(ir_arena *a) { return ir_alloc(a, sizeof(hw_lane_memo)); }

static void weight_lanes_scan(const hw_unit *u, int64_t P, int64_t S, wlanes *r) {
  int WB = hw_etype_bits(u->w);
  int64_t NF = cdiv(u->mh, P), SF = cdiv(u->mw, S), words = NF * SF, lanes = P * S * WB;
  r->vary = r->distinct = lanes;
  r->zero = 0;
  if (words <= 1) r->vary = r->distinct = 0; /* one word: constants */
  if (!u->weights || words <= 1 || lanes <= 0 || u->mh % P || u->mw % S || WB > 32) return;
  /* In the weights' own order: weight (n, k) is lane (n % P, k % S) of word
   * (n / P) * SF + k / S.  Per weight lane the OR and AND of its values over
   * the words; per bit lane its column of bits (up to 64 words exactly, else
   * hashed in word order). */
  uint64_t *orv = calloc((size_t)(P * S), sizeof *orv), *andv = malloc((size_t)(P * S) * sizeof *andv);
  uint64_t *sig = calloc((size_t)lanes, sizeof *sig);
  if (!orv || !andv || !sig) {
    free(orv);
    free(andv);
    free(sig);
    return;
  }
  memset(andv, 0xff, (size_t)(P * S) * sizeof *andv);
  uint64_t mask = u->w.bipolar ? 1 : WB >= 64 ? ~0ull : (1ull << WB) - 1;
  bool exact = words <= 64;
  if (!exact)
    for (int64_t i = 0; i < lanes; i++) sig[i] = 1469598103934665603ull;
  for (int64_t n = 0; n < u->mh; n++) {
    const int32_t *row = u->weights + n * u->mw;
    int64_t p = n % P, wbase = (n / P) * SF;
    for (int64_t sf = 0, k = 0; sf < SF; sf++) {
      int64_t word = wbase + sf;
      for (int64_t e = p * S, end = e + S; e < end; e++, k++) {
        int32_t w = row[k];
        uint64_t v = u->w.bipolar ? (uint64_t)(w > 0) : (uint64_t)(int64_t)w & mask;
        orv[e] |= v;
        andv[e] &= v;
        uint64_t *sg = sig + e * WB;
        if (exact)
          for (int b = 0; b < WB; b++) sg[b] |= ((v >> b) & 1) << word;
        else
          for (int b = 0; b < WB; b++) sg[b] = (sg[b] ^ (((v >> b) & 1) + 1)) * 1099511628211ull;
      }
    }
  }
  int64_t nv = 0;
  for (int64_t e = 0; e < P * S; e++) {
    uint64_t differs = (orv[e] ^ andv[e]) & mask;
    r->zero += orv[e] == 0 && !u->w.bipolar;
    for (int b = 0; b < WB; b++)
      if ((differs >> b) & 1) sig[nv++] = sig[e * WB + b]; /* nv <= e * WB + b */
  }
  int64_t nd = count_distinct(sig, nv);
  if (nd < 0) nd = nv;
  free(orv);
  free(andv);
  free(sig);
  r->vary = nv;
  r->distinct = nd;
}

static void weight_lanes(const hw_unit *u, int64_t P, int64_t S, wlanes *r) {
  hw_lane_memo *m = u->lane_memo;
  if (!m) {
    weight_lanes_scan(u, P, S, r);
    return;
  }
  uint64_t h = ((uint64_t)P * 1000003u + (uint64_t)S) * 0x9e3779b97f4a7c15ull;
  int i = (int)(h >> 54) % LANE_MEMO_SLOTS;
  if (m->slot[i].weights != u->weights || m->slot[i].mh != u->mh || m->slot[i].mw != u->mw ||
      m->slot[i].P != P || m->slot[i].S != S) {
    weight_lanes_scan(u, P, S, &m->slot[i].r);
    m->slot[i].weights = u->weights;
    m->slot[i].mh = u->mh;
    m->slot[i].mw = u->mw;
    m->slot[i].P = P;
    m->slot[i].S = S;
  }
  *r = m->slot[i].r;
}

/* The weight ROM of an mvu/vvu in style s: block/ultra RAM as wide as the
 * varying lanes, LUT logic one ROM per distinct lane (up to 4 words: the
 * absorbed small ROM, counted by its full width as calibrated). */
static void weight_rom(est *e, const hw_unit *u, int64_t P, int64_t S, const wlanes *wl, mem_style s) {
  int64_t depth = cdiv(u->mh, P) * cdiv(u->mw, S);
  if (depth <= 4) {
    rom_styled(e, depth, P * S * hw_etype_bits(u->w), s);
    return;
  }
  bool logic = s != ST_BLOCK && s != ST_ULTRA;
  rom_styled(e, depth, logic ? wl->distinct : wl->vary, s);
}

/* Thresholds: P values against T thresholds of TB bits each (a bit lane that
 * is the same in every word is a constant operand), a vote count per value,
 * and their memory of `words` words in style s (-1: no attribute, what Yosys
 * picks). */
static void thresholds(est *e, const hw_unit *u, int64_t P, int T, int TB, int s) {
  int64_t words = cdiv(u->mh, P), vary, dist;
  thresh_lanes(u, P, T, TB, &vary, &dist);
  e->f[F_CMP_BITS] += (double)vary;
  e->f[F_CMPK_BITS] += (double)(P * T * TB - vary);
  e->f[F_VOTE_BITS] += (double)P * adder_bits(T, 1);
  if (vary <= 0) return;
  mem_kind k = s < 0 ? mem_yosys(words, vary, MU_ROM) : s == ST_BLOCK ? YK_BRAM : s == ST_ULTRA ? YK_URAM : YK_LOGIC;
  mem_kind_cost(e, words, k == YK_LOGIC ? dist : vary, k, MU_ROM);
}

/* qr_mvu's threshold table (ThreshStyle 1): per PE a ROM of NF << AccBits
 * words of OB bits, in the unit's style (block and ultra: block RAM; else LUT
 * logic), each with its own read port. */
static void table_cost(est *e, int64_t P, int64_t words, int OB, mem_style s) {
  if (s == ST_BLOCK || s == ST_ULTRA) {
    for (int64_t i = 0; i < P; i++) mem_kind_cost(e, words, OB, YK_BRAM, MU_ROM); /* holds the read register */
    return;
  }
  /* in logic: a ROM, but a monotone step function of the address within each
   * fold, which synthesis shrinks: its own feature */
  e->f[F_TABLE_LUTS] += (double)(P * OB) * rom_luts_per_bit(words);
  e->f[F_PIPE_BITS] += (double)(P * OB);
}

int64_t hw_thresh_table_words(const hw_unit *u) {
  int pe = u->pe > 0 ? u->pe : 1;
  if (u->kind != HW_MVU || u->nthresh <= 0 || u->acc_bits < 1 || u->acc_bits > 16) return 0;
  return cdiv(u->mh, pe) << u->acc_bits;
}

/* Table or comparators for an mvu at ram_style s (see hw_thresh_table). */
static bool use_table(const hw_unit *u, mem_style s, const hw_part *p) {
  int64_t words = hw_thresh_table_words(u);
  if (words <= 0 || (u->pe > 0 ? u->pe : 1) > 10000) return false;
  if (u->thresh_style && !strcmp(u->thresh_style, "table")) return true;
  if (u->thresh_style && !strcmp(u->thresh_style, "compare")) return false;
  int64_t P = u->pe > 0 ? u->pe : 1;
  est c = {0}, t = {0};
  thresholds(&c, u, P, u->nthresh, u->acc_bits + 1, -1);
  table_cost(&t, P, words, hw_etype_bits(u->out), s);
  return lut_equiv(&t, p) < lut_equiv(&c, p);
}

static void est_mvu(est *e, const hw_unit *u, mem_style ws, const hw_part *p) {
  int64_t P = u->pe, S = u->simd, NF = cdiv(u->mh, P), SF = cdiv(u->mw, S);
  int xw = xw_of(u->in), ww = xw_of(u->w);
  bool xb = u->in.bipolar, wb = u->w.bipolar;
  int mode = xb && wb ? 0 : wb ? 1 : xb ? 2 : (u->in.bits <= 4 && u->w.bits <= 4) ? 3 : 4;
  int A = u->acc_bits > 0 ? u->acc_bits : xw + ww + clog2(u->mw);
  int T = u->nthresh, TB = A + 1;
  int OB = T > 0 ? hw_etype_bits(u->out) : A;
  int ibits = hw_etype_bits(u->in), wbits = hw_etype_bits(u->w);
  bool wconst = NF * SF == 1; /* one weight word: constants */
  wlanes wl;
  weight_lanes(u, P, S, &wl);
  /* lanes per PE whose weight is not 0 in every word (a zero weight is no
   * product and no adder input); with one word, constants: about half the
   * gated lanes survive */
  int64_t Sl = S - (wl.zero + P / 2) / P, Sg = wconst ? cdiv(S, 2) : Sl;

  e->f[F_UNIT] += 1;
  e->f[F_CTRL_BITS] += clog2(SF) + clog2(NF) + clog2(SF * NF) + 2 * clog2(2 * SF) + 4;
  /* value bits of a gated lane: an unsigned b-bit operand is zero-extended by
   * one (constant) bit, a signed one is offset to unsigned (LUT planes) */
  switch (mode) {
  case 0: { /* xnor, 3-lane counts (with constant weights a function of the 3
             * inputs alone, absorbed by the first adders), tree over 2-bit counts */
    int64_t G = cdiv(S, 3);
    if (!wconst) e->f[F_XNOR_LUTS] += (double)(P * 2 * G);
    e->f[F_TREE_BITS] += (double)P * adder_bits(G, 2);
    break;
  }
  case 1: /* gated trees per PE, one shared input sum, 2g - s */
    e->f[u->in.is_signed ? F_STREE_BITS : F_TREE_BITS] +=
        (double)P * adder_bits(Sg, ibits) + adder_bits(S, ibits);
    e->f[F_ADDER_BITS] += (double)(P * A);
    break;
  case 2: /* conditional negation per lane, tree over signed lanes */
    if (!wconst) e->f[F_NEG_BITS] += (double)(P * Sl * (ww + 1));
    e->f[F_STREE_BITS] += (double)P * adder_bits(Sl, ww + 1);
    break;
  case 3: { /* bit planes of the narrower operand: unsigned trees, or offset
             * ones for a signed gated operand; with constant weights the
             * planes are one sum (no joins) */
    bool pw = wbits <= ibits, asigned = pw ? u->in.is_signed : u->w.is_signed;
    int nb = pw ? wbits : ibits, ab = pw ? ibits : wbits;
    e->f[asigned ? F_OTREE_BITS : F_TREE_BITS] += (double)(P * nb) * adder_bits(Sg, ab);
    if (!wconst) e->f[F_ADDER_BITS] += (double)(P * (nb - 1) * A);
    break;
  }
  default: /* DSP products, tree in LUTs */
    /* a weight that is 0 in every word still gets its DSP (Yosys keeps the
     * product of the weight register; sweep row sp_64_u8s2_z90) */
    e->f[F_DSP_LANES] += (double)(P * S);
    e->f[F_DSP_TREE_BITS] += (double)P * adder_bits(S, xw + ww);
    e->dsp += (double)(P * S) * dsp_per_mult(xw, ww, p);
    break;
  }
  e->f[F_ACC_BITS] += (double)(P * A);
  e->f[F_PIPE_BITS] += (double)(S * ibits + P * A); /* x_q, dot_q */
  /* weights (the unit's style), input double buffer, fused thresholds, output FIFO */
  if (mode == 0 && ws != ST_BLOCK && ws != ST_ULTRA && NF * SF <= 8 && NF * SF > 1)
    e->f[F_SMALLROM_BITS] += (double)(P * S); /* 3 address bits + 3 inputs: one LUT6 per count bit */
  else
    weight_rom(e, u, P, S, &wl, ws);
  memory_auto(e, 2 * SF, S * ibits, false, p);
  bool table = T > 0 && use_table(u, ws, p);
  if (table) table_cost(e, P, hw_thresh_table_words(u), OB, ws);
  else if (T > 0) thresholds(e, u, P, T, TB, -1);
  int64_t need = (4 + table) / SF + 1, fd = 2;
  while (fd < need) fd *= 2;
  out_fifo(e, fd, P * OB, p);
}

static void est_threshold(est *e, const hw_unit *u, mem_style ts, const hw_part *p) {
  int64_t P = u->pe, CF = cdiv(u->mh, P);
  int vbits = xw_of(u->in), TB = vbits + 1, T = u->nthresh;
  e->f[F_THR_UNIT] += 1;
  e->f[F_CTRL_BITS] += clog2(CF) + 2;
  thresholds(e, u, P, T, TB, (int)ts);
  e->f[F_PIPE_BITS] += (double)(P * hw_etype_bits(u->in));
  out_fifo(e, 4, P * hw_etype_bits(u->out), p);
}

static void styled_memory(est *e, const hw_unit *u, mem_style s) {
  int64_t P = u->pe > 0 ? u->pe : 1, depth, width;
  bool rom;
  if (u->kind == HW_THRESHOLD) {
    est t = {0};
    thresholds(&t, u, P, u->nthresh, xw_of(u->in) + 1, (int)s);
    e->bram18 += t.bram18;
    e->uram += t.uram;
    for (int k = 0; k < NFEAT; k++)
      if (k != F_CMP_BITS && k != F_CMPK_BITS && k != F_VOTE_BITS) e->f[k] += t.f[k];
    return;
  }
  if (u->kind == HW_MVU || u->kind == HW_VVU) {
    int64_t S = u->simd > 0 ? u->simd : 1;
    wlanes wl;
    weight_lanes(u, P, S, &wl);
    weight_rom(e, u, P, S, &wl, s);
  } else {
    main_memory(u, &depth, &width, &rom);
    rom_styled(e, depth, width, s);
  }
  if (hw_uses_table(u))
    table_cost(e, P, hw_thresh_table_words(u), hw_etype_bits(u->out), s);
}

/* qr_labelselect: PE insertion steps into a K-entry list, each K comparators
 * and a 3:1 choice per list bit. */
static void est_labelselect(est *e, const hw_unit *u) {
  int64_t P = u->pe, K = u->k > 0 ? u->k : 1;
  int ib = hw_etype_bits(u->in), idx = clog2(u->mw) > 0 ? clog2(u->mw) : 1;
  e->f[F_LS_UNIT] += 1;
  e->f[F_CTRL_BITS] += clog2(cdiv(u->mw, P)) + idx;
  e->f[F_LS_CMP] += (double)(P * K * (ib + 1));
  e->f[F_LS_MUX] += (double)(P * K * (ib + idx));
  e->f[F_LS_SHIFT] += (double)(P * (K - 1) * (ib + idx));
  e->f[F_PIPE_BITS] += (double)(K * (ib + idx) * 2);
}

/* qr_fifo: distributed (LUTRAM or flip-flops, read asynchronously) or block
 * (block RAM + read and output registers). */
static void est_fifo(est *e, const hw_unit *u, mem_style s) {
  int64_t depth, width;
  bool rom;
  main_memory(u, &depth, &width, &rom);
  e->f[F_FIFO_UNIT] += 1;
  e->f[F_CTRL_BITS] += 3 * clog2(depth > 1 ? depth : 2) + 2;
  if (s == ST_BLOCK || s == ST_ULTRA) {
    e->f[F_FIFO_BLOCK] += 1;
    mem_kind_cost(e, depth, width, s == ST_BLOCK ? YK_BRAM : YK_URAM, MU_RAM);
    e->f[F_PIPE_BITS] += (double)(2 * width);
  } else {
    memory_areg(e, depth, width);
  }
}

/* qr_dwc: gather (k input beats into one), scatter (one into k; two input
 * registers, a 2k:1 output multiplexer) or gearbox (a shifter writes an input
 * beat at the fill level of a buffer of BufG groups). */
static void est_dwc(est *e, const hw_unit *u) {
  int64_t in = u->in_elems > 0 ? u->in_elems : 1, out = u->out_elems > 0 ? u->out_elems : 1;
  int b = hw_etype_bits(u->in);
  int64_t g = hw_gcd(in, out);
  int64_t ig = in / g, og = out / g;
  e->f[F_DWC_UNIT] += 1;
  if (og > 1 && ig == 1) { /* gather: slot enables, the last slot's bypass */
    e->f[F_CTRL_BITS] += clog2(og);
    e->f[F_DWC_LUTS] += (double)(og + in * b);
    e->f[F_PIPE_BITS] += (double)(2 * out * b);
  } else if (og == 1) { /* scatter: a Kr:1 slice mux of each register, then 2:1 */
    e->f[F_CTRL_BITS] += clog2(ig) + 4;
    e->f[F_DWC_LUTS] += (double)(out * b) * (2 * mux_luts(ig) + 1);
    e->f[F_PIPE_BITS] += (double)(2 * in * b);
  } else { /* gearbox: a shifter places an input beat at one of `range` group
            * positions (stage k is ig + 2^(k+1) - 1 groups wide, at most the
            * buffer), then every buffer bit takes its shifted (pop) or own
            * value ORed with it */
    int64_t maxg = max64(ig, og), ming = ig < og ? ig : og, bufg = maxg + 2 * ming - 1;
    int64_t range = bufg - ig + 1, groups = 0;
    for (int k = 0; k < clog2(range); k++) {
      int64_t w = ig + ((int64_t)2 << k) - 1;
      groups += w < bufg ? w : bufg;
    }
    e->f[F_GEARBOX] += 1;
    e->f[F_CTRL_BITS] += 3 * clog2(bufg + 1);
    e->f[F_GEAR_SHIFT] += (double)((groups + bufg) * g * b);
    e->f[F_PIPE_BITS] += (double)(bufg * g * b);
  }
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

/* qr_pad: per data bit of a beat a skid (two registers, a 2:1 choice) and an
 * output register loading the element or the pad value; counters over C/SIMD,
 * the padded width and height. */
static void est_pad(est *e, const hw_unit *u) {
  int64_t S = u->simd > 0 ? u->simd : 1;
  e->f[F_UNIT] += 1;
  e->f[F_CTRL_BITS] += clog2(cdiv(u->c, S)) + clog2(u->iw + u->pad[2] + u->pad[3] + 1) +
                       clog2(u->ih + u->pad[0] + u->pad[1] + 1) + 4;
  e->f[F_STREAM_BITS] += (double)(S * hw_etype_bits(u->in));
}

/* qr_depth2space: SIMD lanes, each its own RAM of two input rows
 * (2 W C B^2 / SIMD words of one element) with its own read address; the
 * read data rotated back into place (a SIMD:1 choice per bit) and registered. */
static void est_d2s(est *e, const hw_unit *u, const hw_part *p) {
  int64_t S = u->simd > 0 ? u->simd : 1, b = hw_etype_bits(u->in);
  int64_t words = 2 * (int64_t)u->iw * u->block * u->block * cdiv(u->c, S);
  e->f[F_UNIT] += 1;
  e->f[F_CTRL_BITS] += 2 * clog2(words) + clog2(u->ih + 1) + clog2(u->iw + 1) + 8;
  e->f[F_D2S_ADDR_BITS] += (double)(S * clog2(words));
  e->f[F_STREAM_BITS] += (double)(S * b);
  e->f[F_MUX_LUTS] += (double)(S * b) * mux_luts(S);
  for (int64_t l = 0; l < S; l++) memory_auto(e, words, b, false, p);
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
  case HW_PAD: est_pad(e, u); break;
  case HW_VVU: est_mvu(e, u, s, p); break; /* same datapath shape: PE lanes, C/PE*K weights */
  case HW_MAXPOOL: case HW_AVGPOOL: est_pool(e, u, p); break;
  case HW_ADD: est_add(e, u, p); break;
  case HW_DUP: est_stream_op(e, u, 2 * u->pe, 0, p); break;
  case HW_CONCAT: est_stream_op(e, u, u->pe, 0, p); break;
  case HW_UPSAMPLE: est_stream_op(e, u, u->simd, 2 * (int64_t)u->iw * cdiv(u->c, u->simd), p); break;
  case HW_D2S: est_d2s(e, u, p); break;
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
  if (!rom) return style_names[depth > 64 ? ST_BLOCK : ST_DISTRIBUTED]; /* qr_fifo's own rule */
  return style_names[auto_rom_style(u, depth, p ? p : &default_part)];
}

bool hw_thresh_table(const hw_unit *u, const hw_part *p) {
  hw_unit v = *u;
  if (v.pe < 1) v.pe = 1;
  if (v.simd < 1) v.simd = 1;
  if (!p) p = &default_part;
  const char *style = hw_resolve_ram_style(&v, p);
  return use_table(&v, (mem_style)(style ? style_of(style) : ST_DISTRIBUTED), p);
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
