/* hw.h - the hardware IR: a pipeline of folded streaming units, and the split
 * of the ONNX graph into host pre-processing, hardware, host post-processing.
 *
 *   host pre  : ONNX nodes from the graph input up to the first integer tensor
 *               the hardware consumes (normalisation, input quantizer, reshape)
 *   hardware  : units[0] -> units[1] -> ... each reading and writing a stream of
 *               integer elements (NHWC / flat, channels innermost)
 *   host post : ONNX nodes after the last hardware tensor (final scale, BN of a
 *               last layer without activation, Softmax)
 *
 * Streamlining (ir/streamline.c) builds this from a cleaned graph; folding
 * (ir/fold.c) sets PE/SIMD; rtlgen/ writes it out as SystemVerilog.
 */
#ifndef QR_HW_H
#define QR_HW_H

#include <stdio.h>
#include <string.h>

#include "ir/ir.h"

typedef enum {
  HW_MVU, HW_THRESHOLD, HW_LABELSELECT, HW_FIFO, HW_DWC,
  /* convolutional networks */
  HW_SWG, HW_PAD, HW_VVU, HW_MAXPOOL, HW_AVGPOOL, HW_ADD, HW_DUP, HW_CONCAT, HW_UPSAMPLE,
  HW_D2S,
  HW_NKINDS
} hw_kind;

/* Short lower-case name of a kind ("mvu", "swg", ...), as in unit names. */
const char *hw_kind_name(hw_kind k);

/* Element type on a stream: integer of `bits`, signed or not, or bipolar
 * (1 bit, 1 means +1, 0 means -1). */
typedef struct hw_etype {
  int bits;
  bool is_signed;
  bool bipolar;
} hw_etype;

/* The cost model's per-unit memo (ir/resources.c). */
typedef struct hw_lane_memo hw_lane_memo;

typedef struct hw_unit {
  hw_kind kind;
  const char *name;        /* unique SV instance name, e.g. "mvu_0" */
  const char *onnx_node;   /* the ONNX node it came from (MatMul/Gemm name) */
  const char *onnx_act;    /* the activation quantizer fused into it, or NULL */
  ir_tensor *act_out;      /* its output tensor (float graph value = level * scale) */
  const float *act_scale;  /* per tensor (act_nscale 1) or per channel */
  const int64_t *act_order; /* output position -> flat index of act_out (NULL: same) */
  int act_nscale;

  /* mvu: MW inputs -> MH outputs per vector, NumVec vectors per frame.
   * threshold: MH == MW == channels.  labelselect: MW classes -> K indices. */
  int mw, mh, numvec;
  int pe, simd;            /* folding; 1 <= pe | mh, 1 <= simd | mw */
  hw_etype in, w, out;
  int acc_bits;            /* exact accumulator width (interval arithmetic) */
  int64_t acc_min, acc_max;
  int32_t *weights;        /* mh x mw, row-major (output channel major), integer */

  /* Fused or stand-alone thresholds: out = #{k : acc >= thr[c][k]} + out_bias. */
  int nthresh;             /* T (0: no thresholds, out = acc) */
  int64_t *thresholds;     /* mh x nthresh, ascending per channel */
  int out_bias;
  int k;                   /* labelselect: how many indices */

  /* fifo / dwc */
  int depth;
  const char *note;        /* why the depth (fifo), for the report */
  int in_elems, out_elems; /* elements per beat in and out (dwc) */

  /* Where the inputs come from: units[src[k]] output port src_port[k] (a dup
   * has ports 0 and 1), or the design input when src[k] < 0.  Units are in
   * topological order; add and concat have two inputs, the rest one. */
  int nsrc;
  int src[2], src_port[2];

  /* Spatial units.  Streams are NHWC frames, channels innermost.
   *   swg       input image c x ih x iw (padded), kernel kh x kw, stride sh/sw,
   *             dilation dh/dw; emits numvec = OH*OW windows of mw = kh*kw*c
   *             elements, in (kh, kw, c) order or, dw_order, (c group, kh, kw)
   *   pad       input c x ih x iw, pad[] = top, bottom, left, right, pad_value
   *   upsample  input c x ih x iw, factors sh x sw
   *   d2s       input ih x iw x (c*block*block), output (ih*block) x (iw*block) x c,
   *             mode 0 DCR, 1 CRD
   *   vvu       depthwise: mh = C channels, mw = K taps, numvec pixels, weights C x K
   *   maxpool, avgpool   mh = C, mw = K taps, numvec output pixels; avgpool
   *             `global`: sums over `pixels` pixels of a plain NHWC frame
   *   add       out = mul_a * a + mul_b * b, mh = C, numvec pixels; in2 = b's type
   *   dup       mh = C, numvec pixels; ports 0 and 1 carry the same stream
   *   concat    ca + cb channels (a then b) per pixel, numvec pixels; in2 = b's type
   * Folding: swg, pad, upsample, d2s have SIMD (channels per beat); vvu,
   * pools, add, dup, concat, threshold have PE.  A swg (and the pad before it)
   * follows the unit it feeds (`leader`): SIMD = gcd(leader's SIMD, C) for an
   * mvu, the leader's PE for a vvu or a pool. */
  int c, ih, iw;            /* channels, input height and width */
  int kh, kw, sh, sw, dh, dw;
  int pad[4];
  int64_t pad_value;
  bool dw_order;
  int block, mode;
  int ca, cb;
  int64_t mul_a, mul_b;
  hw_etype in2;
  bool global;
  int64_t pixels;
  int leader;              /* swg/pad: index of the unit whose folding it follows, else -1 */

  /* estimates filled by folding */
  double est_lut, est_ff, est_bram18, est_dsp;
  double est_uram;         /* UltraRAM blocks (288 kbit), UltraScale+ only */
  int64_t cycles;          /* analytic cycles per frame */
  const char *ram_style;   /* "auto", "distributed", "block", "ultra", "registers" */
  /* mvu with thresholds: how the activation is computed, "compare" (T
   * comparators per PE, qr_thresh_core) or "table" (per PE a ROM of the
   * activation of every accumulator value, in the unit's ram_style); NULL or
   * "auto" until folding resolves it (hw_thresh_table) */
  const char *thresh_style;
  /* mvu/vvu: the cost model's memo of its weight analysis per (PE, SIMD)
   * (hw_lane_memo_new; shared by the copies of the unit the folder tries);
   * NULL: none, the analysis is redone on every estimate */
  hw_lane_memo *lane_memo;
} hw_unit;

typedef struct hw_design {
  ir_graph *g;             /* the cleaned graph it came from */
  ir_tensor *hw_in;        /* integer tensor the hardware consumes */
  ir_tensor *hw_out;       /* tensor the hardware produces (integer) */
  ir_buf **consts;         /* values of constant-only subgraphs (weight quantizers,
                            * quantized biases), by tensor id; NULL where not constant */
  double in_scale;         /* hw_in = in_scale * integer */
  int nunits;
  hw_unit *units;          /* topological order; the last one produces the output */
  /* Stream order of the boundary tensors: position p of a frame holds the
   * tensor's element in_order[p] / out_order[p] (flat index of the ONNX
   * tensor); NULL = the tensor's own order (e.g. NCHW tensors stream NHWC). */
  const int64_t *in_order, *out_order;
  /* Host parts: lists of live nodes of g, in order. */
  int npre, npost;
  ir_node **pre, **post;
  /* How the host turns the hardware output (integers) into hw_out's float
   * value, before the `post` nodes run:
   *   post_acc == false: hw_out is an activation quantizer's output:
   *       value = level * post_s[c]  (bipolar level: -1/+1)
   *   post_acc == true: hw_out is the last MatMul/Gemm's output:
   *       value = alpha * (sx * sw[c] * acc) + beta * bias[c]   (float32) */
  bool post_acc;
  bool post_index;         /* hw_out holds class indices (labelselect): int64 as is */
  const float *post_s;
  int post_ns;
  float post_sx, post_alpha, post_beta;
  const float *post_sw, *post_bias;
  int post_nbias;
  /* hw_in's integer from its float value: level = round(value / in_s) */
  bool in_bipolar;
  /* Elements per frame at the boundary. */
  int64_t in_elems, out_elems;
  hw_etype in_type, out_type;
} hw_design;

/* Streamline + lower a cleaned graph into a design (units unfolded: PE=SIMD=1).
 * Errors name the ONNX node that cannot go to hardware. */
hw_design *hw_streamline(ir_graph *g);

/* Input k of units[i]: the producing unit (-1: design input).  A unit with
 * nsrc == 0 (built by hand, e.g. in tests) reads the unit before it. */
static inline int hw_nsrc(const hw_unit *u) { return u->nsrc ? u->nsrc : 1; }
static inline int hw_src(const hw_unit *u, int i, int k) { return u->nsrc ? u->src[k] : i - 1; }
static inline int hw_src_port(const hw_unit *u, int k) { return u->nsrc ? u->src_port[k] : 0; }
/* Does this unit (as folded: thresh_style resolved) look its activation up
 * in a threshold table (qr_mvu ThreshStyle 1)? */
static inline bool hw_uses_table(const hw_unit *u) {
  return u->kind == HW_MVU && u->nthresh > 0 && u->thresh_style && !strcmp(u->thresh_style, "table");
}

/* Greatest common divisor (of folding factors and element counts); hw_gcd(a, 0) = a. */
static inline int64_t hw_gcd(int64_t a, int64_t b) {
  while (b) {
    int64_t t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/* Elements per frame a unit takes (on input k) and produces. */
int64_t hw_unit_in_frame(const hw_unit *u, int k);
int64_t hw_unit_out_frame(const hw_unit *u);
/* Elements per beat a unit takes (on any input) and produces at its folding. */
int hw_unit_in_per_beat(const hw_unit *u);
int hw_unit_out_per_beat(const hw_unit *u);
/* qr_swg's buffer in beats (formula in hw_model.c and rtl-lib/qr_swg.sv). */
int64_t hw_swg_buffer_beats(const hw_unit *u);
/* A unit's buffer in bits and the formula that gives it (NULL: none). */
const char *hw_unit_buffer(const hw_unit *u, ir_arena *a, int64_t *bits);
/* Upper bound on the part of a frame a unit holds inside (for FIFO sizing). */
double hw_unit_hold_frames(const hw_unit *u);
/* Set a swg/pad unit's SIMD from its leader's folding. */
void hw_follow_leader(hw_design *d, hw_unit *u);

/* Integer model of the hardware (bit-exact with the RTL): frame in -> frame out. */
void hw_run_frame(const hw_design *d, const int64_t *in, int64_t *out);
/* Every unit's output frame (index = unit); free with hw_free_frame_all. */
int64_t **hw_run_frame_all(const hw_design *d, const int64_t *in);
void hw_free_frame_all(const hw_design *d, int64_t **all);
/* One unit on one frame (values: integer meaning, bipolar -1/+1); returns the
 * number of output elements. */
int64_t hw_run_unit(const hw_unit *u, const int64_t *in, int64_t n_in, int64_t *out);
/* The same with the second input of an add / concat. */
int64_t hw_run_unit2(const hw_unit *u, const int64_t *in, const int64_t *in2, int64_t n_in,
                     int64_t *out);
/* The channel of flat element i of a tensor (axis 1 of NCHW, else the last axis). */
int64_t hw_channel_of(const ir_tensor *t, int64_t i);
/* Host pre-processing: float input tensor(s) -> integer hw input frame. */
int hw_host_pre(const hw_design *d, ir_exec_ctx *ctx, ir_buf *const *inputs, int64_t *hw_in);
/* Host post-processing: hw output frame -> graph outputs. */
int hw_host_post(const hw_design *d, ir_exec_ctx *ctx, const int64_t *hw_out, ir_buf **outputs);

/* ------------------------------------------------------------ folding -- */

/* A device budget: --part=NAME or --board=NAME (boards/ maps boards to parts). */
typedef struct hw_part {
  const char *part;        /* e.g. "xc7z020clg400-1" */
  const char *family;      /* Vivado family name, e.g. "zynq" */
  double lut, ff, bram18, uram, dsp;
} hw_part;
const hw_part *hw_find_part(const char *name); /* part name, prefix or board name */
/* "xc7z020clg400-1 (PYNQ-Z1, PYNQ-Z2), ...": for the unknown-part error. */
const char *hw_known_parts(void);

typedef struct hw_fold_opts {
  const char *spec;        /* "none" | "auto" | "auto:fps=N" | "auto:lut=N" | FILE.json */
  const hw_part *part;     /* budget for auto (default xc7z020) */
  double clock_mhz;        /* for fps targets and reports (default 100) */
} hw_fold_opts;

/* Set PE/SIMD (and ram_style) of every unit, fill est_* and cycles.
 * Errors: bad spec, unknown unit in JSON, PE/SIMD not dividing, no fit. */
int hw_fold(hw_design *d, const hw_fold_opts *o);
/* Resource estimate and analytic cycles of one unit at its current folding. */
void hw_estimate(hw_unit *u);
/* The same for a target part (NULL: xc7z020): ram_style "auto" then trades
 * LUTs against BRAM18/URAM at the part's ratio; DSP widths follow the family. */
void hw_estimate_part(hw_unit *u, const hw_part *p);
/* The concrete style "auto" stands for at the unit's current folding
 * ("registers", "distributed", "block", "ultra"); NULL for units without a
 * memory.  Non-"auto" styles are returned as they are. */
const char *hw_resolve_ram_style(const hw_unit *u, const hw_part *p);
/* Does this mvu compute its activation by table?  "table"/"compare" as set
 * (a table needs AccBits <= 16); "auto": the one of the two with the smaller
 * LUT-equivalent cost at the unit's folding and resolved ram_style on p. */
bool hw_thresh_table(const hw_unit *u, const hw_part *p);
/* The table's size: per PE NF << AccBits words of the output's bits. */
int64_t hw_thresh_table_words(const hw_unit *u);
/* An empty memo for hw_unit.lane_memo, in arena a.  Set it once the unit's
 * weights are final: the memo is keyed by their address and the shape. */
hw_lane_memo *hw_lane_memo_new(ir_arena *a);
/* The cost model behind hw_estimate_part, for its calibration (bench/calib):
 * LUT = sum_k lut_k * f[k] and FF = sum_k ff_k * f[k] (then rounded up) over
 * the unit's structural features f.  hw_cost_features fills f[0 .. n-1] for u
 * at its folding and ram_style on p (NULL: the default part) and returns n
 * (<= HW_COST_MAXFEAT); hw_cost_feature gives feature k's name and current
 * coefficients (NULL past the last). */
#define HW_COST_MAXFEAT 40
int hw_cost_features(const hw_unit *u, const hw_part *p, double *f);
const char *hw_cost_feature(int k, double *lut, double *ff);
/* The budget auto folding works against: the part's resources times the
 * utilisation fraction, or the spec's explicit lut=/ff=/bram=/uram=/dsp=. */
int hw_fold_budget(const hw_fold_opts *o, hw_part *budget);
/* DIR/folding.json in FINN's folding-config shape; reading it back with
 * --fold=FILE reproduces the same folding. */
int hw_write_folding_json(const hw_design *d, const char *path);

/* A random hardware input frame (uniform over the input element type). */
void hw_random_frame(const hw_design *d, uint64_t *seed, int64_t *q);
/* Integer design + host post vs the float graph from hw_in on, over random
 * frames: counts frames whose outputs differ in any bit (first one printed). */
int hw_check_float(const hw_design *d, int64_t frames, uint64_t seed, int64_t *mismatches);
/* Readable listing, as --dump-after=streamline|fold prints it. */
void hw_dump(const hw_design *d, FILE *f);

/* ------------------------------------------------------ FIFO sizing -- */

/* A cycle-level simulation of the design (after plumbing) at beat granularity
 * (ir/fifo_sim.c): every unit's rtl-lib timing as a rule for when it can take
 * an input beat and offer an output beat, the source always valid, the sink
 * always ready.  Event-driven: the work is the number of beats, not cycles. */
typedef struct hw_sim_result {
  bool done;               /* every frame left the design */
  bool deadlock;           /* the pipeline stopped for good before that */
  double cycles_per_frame; /* steady state: mean of the last two frame intervals */
  int64_t first_frame;     /* cycle the first frame's last beat left */
  int64_t latency;         /* cycles from the first input beat to the last output beat of
                            * frame 1, both counted (as --verify measures it) */
  int64_t events;          /* beats simulated (the work) */
  const char *why;         /* not done and no deadlock: why it could not run */
  int stalled;             /* deadlock: a unit holding a beat it cannot hand on, or -1 */
} hw_sim_result;
/* frames >= 3; max_events bounds the work (0: no bound).  Returns 0, or -1
 * when the design cannot be simulated (r->why says why). */
int hw_fifo_sim(const hw_design *d, int frames, int64_t max_events, hw_sim_result *r);

/* What hw_size_fifos did (bits = depth x beat width, summed over FIFOs). */
typedef struct hw_fifo_sizing {
  int nfifo, ndeep, nsized; /* FIFOs, those deeper than 2 by the formula, those sized */
  int64_t bits_before;     /* at the formula depths (hw_insert_plumbing) */
  int64_t bits_after;      /* at the chosen depths */
  int64_t analytic;        /* the bottleneck's cycles per frame */
  double sim_before, sim_after; /* simulated cycles/frame at both (0: not simulated) */
  int64_t sim_latency;     /* simulated cycles from the first input beat to the last output
                            * beat of frame 1 at the chosen depths (0: not simulated) */
  int sims;                /* simulations run */
  int64_t events;          /* beats simulated in all of them */
  bool grown;              /* the formula's depths failed the simulation: deepened first */
  const char *fallback;    /* NULL, or why the formula depths were kept (nothing
                            * simulated, or the simulation could not decide) */
} hw_fifo_sizing;
/* With use_sim, shrink every FIFO deeper than 2 to the smallest depth at which
 * the simulation still reaches the analytic bottleneck (within 1 %) without
 * deadlock, plus a margin, and say why in its note; without, only count.  A
 * design with no FIFO deeper than 2 is simulated once if that is cheap, as a
 * check.  Falls back to the formula depths when the simulation cannot decide
 * (a unit without a model, the work budget). */
int hw_size_fifos(hw_design *d, bool use_sim, hw_fifo_sizing *r);

int hw_etype_bits(hw_etype t);
const char *hw_etype_name(ir_arena *a, hw_etype t);
double hw_etype_min(hw_etype t);
double hw_etype_max(hw_etype t);

#endif
