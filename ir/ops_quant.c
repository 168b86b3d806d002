/* ops_quant.c - the QONNX operators: Quant (IntQuant), BipolarQuant, Trunc (v1 and
 * v2), FloatQuant and MultiThreshold.  Shape rules validate constant parameters;
 * executors compute exactly what qonnx's numpy code computes (qonnx/custom_op/
 * general/), every step in float32 and in numpy's order, so that results are
 * bit-identical to the reference. */
#include <float.h>
#include <math.h>
#include <string.h>

#include "ir/ops_impl.h"
#include "ir/ops_util.h"

/* ------------------------------------------------------------- helpers -- */

/* min_int/max_int of qonnx's intquant.py, exact. */
static double qmin_int(bool is_signed, bool narrow, double bits) {
  if (!is_signed) return 0.0;
  double p = ldexp(1.0, (int)bits - 1);
  return narrow ? -p + 1.0 : -p;
}

static double qmax_int(bool is_signed, bool narrow, double bits) {
  if (is_signed) return ldexp(1.0, (int)bits - 1) - 1.0;
  double p = ldexp(1.0, (int)bits);
  return narrow ? p - 2.0 : p - 1.0;
}

/* Every element of b (named `what`) is an integer in [lo, hi]. */
static int check_bits_buf(const char *file, const ir_node *n, const ir_buf *b,
                          const char *what, double lo, double hi) {
  for (int64_t k = 0; k < b->n; k++) {
    double v = ir_buf_get(b, k);
    if (v != floor(v) || !isfinite(v))
      return ir_errorf(file, n, "%s %g is not an integer", what, v);
    if (v < lo || v > hi)
      return ir_errorf(file, n, "%s %g is out of range %g..%g", what, v, lo, hi);
  }
  return 0;
}

/* Every element of b (named `what`) is finite and, if nonzero, not zero. */
static int check_finite_buf(const char *file, const ir_node *n, const ir_buf *b,
                            const char *what, bool nonzero) {
  for (int64_t k = 0; k < b->n; k++) {
    double v = ir_buf_get(b, k);
    if (!isfinite(v)) return ir_errorf(file, n, "%s %g is not finite", what, v);
    if (nonzero && v == 0.0) return ir_errorf(file, n, "%s 0 is not allowed", what);
  }
  return 0;
}

/* Shape-rule checks on an input that may or may not be constant. */
static int check_bits_in(const ir_graph *g, const ir_node *n, int i, const char *what,
                         double lo, double hi) {
  const ir_buf *b = ou_const_input(n, i);
  return b ? check_bits_buf(g->file, n, b, what, lo, hi) : 0;
}

static int check_finite_in(const ir_graph *g, const ir_node *n, int i, const char *what,
                           bool nonzero) {
  const ir_buf *b = ou_const_input(n, i);
  return b ? check_finite_buf(g->file, n, b, what, nonzero) : 0;
}

/* Output of an element-wise QONNX op: float32, broadcast of all inputs. */
static int shape_broadcast_float(ir_graph *g, ir_node *n) {
  int rank;
  int64_t dims[IR_MAX_RANK];
  if (ou_broadcast_inputs(g, n, 0, n->nin, &rank, dims)) return -1;
  ou_set_shape(n->out[0], ONNX_FLOAT, rank, dims);
  return 0;
}

/* Allocate the float32 output broadcast from in[0..k-1]; NULL after an error. */
static ir_buf *new_broadcast_out(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in,
                                 int k, int *rank, int64_t *dims) {
  int r = 0;
  for (int i = 0; i < k; i++) {
    if (!in[i]) continue;
    if (ou_broadcast2(r, dims, in[i]->rank, in[i]->dims, &r, dims)) {
      ir_errorf(ctx->g->file, n, "shapes %s and %s do not broadcast",
                ou_shape_str(ctx->arena, r, dims),
                ou_shape_str(ctx->arena, in[i]->rank, in[i]->dims));
      return NULL;
    }
  }
  *rank = r;
  return ou_buf_new(ctx, n, IR_F32, ONNX_FLOAT, r, dims);
}

/* ---------------------------------------------------------------- Quant -- */

typedef struct quant_attrs {
  bool is_signed, narrow;
  ou_round_mode mode;
} quant_attrs;

static int quant_read_attrs(const char *file, const ir_node *n, quant_attrs *qa) {
  qa->is_signed = ir_attr_int(n, "signed", 1) != 0;
  qa->narrow = ir_attr_int(n, "narrow", 0) != 0;
  return ou_attr_round_mode(file, n, "ROUND", &qa->mode);
}

int shape_quant(ir_graph *g, ir_node *n) {
  quant_attrs qa;
  if (quant_read_attrs(g->file, n, &qa)) return -1;
  if (check_finite_in(g, n, 1, "scale", true) || check_finite_in(g, n, 2, "zeropt", false) ||
      check_bits_in(g, n, 3, "bitwidth", 1, 32))
    return -1;
  return shape_broadcast_float(g, n);
}

/* One element of qonnx's int_quant(), float32 step by step; lo/hi are
 * min_int/max_int of the element's bit width, bipolar for 1-bit signed. */
static inline float quant_core(ou_round_mode m, bool bipolar, double lo, double hi, float x,
                               float s, float z) {
  float y = x / s;
  y = y + z;
  if (bipolar) {
    y = y >= 0.0f ? 1.0f : -1.0f;
  } else {
    if ((double)y > hi) y = (float)hi;
    if ((double)y < lo) y = (float)lo;
    y = ou_round(m, y);
  }
  float o = y - z;
  return o * s;
}

static float quant1(const quant_attrs *qa, float x, float s, float z, float b) {
  return quant_core(qa->mode, b == 1.0f && qa->is_signed, qmin_int(qa->is_signed, qa->narrow, b),
                    qmax_int(qa->is_signed, qa->narrow, b), x, s, z);
}

int exec_quant(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  const char *file = ctx->g->file;
  quant_attrs qa;
  if (quant_read_attrs(file, n, &qa) || check_bits_buf(file, n, in[3], "bitwidth", 1, 32))
    return -1;
  int rank;
  int64_t dims[IR_MAX_RANK];
  ir_buf *y = new_broadcast_out(ctx, n, in, 4, &rank, dims);
  if (!y) return -1;
  if (in[1]->n == 1 && in[2]->n == 1 && in[3]->n == 1 && y->n == in[0]->n) {
    /* scalar parameters (the common case): bounds computed once */
    float s = ou_getf(in[1], 0), z = ou_getf(in[2], 0), b = ou_getf(in[3], 0);
    bool bip = b == 1.0f && qa.is_signed;
    double lo = qmin_int(qa.is_signed, qa.narrow, b), hi = qmax_int(qa.is_signed, qa.narrow, b);
    for (int64_t k = 0; k < y->n; k++)
      y->f[k] = quant_core(qa.mode, bip, lo, hi, ou_getf(in[0], k), s, z);
  } else {
    ou_iter it;
    ou_iter_init(&it, rank, dims, 4, (const ir_buf *const *)in);
    for (int64_t k = 0; k < y->n; k++, ou_iter_next(&it))
      y->f[k] = quant1(&qa, ou_getf(in[0], it.off[0]), ou_getf(in[1], it.off[1]),
                       ou_getf(in[2], it.off[2]), ou_getf(in[3], it.off[3]));
  }
  out[0] = y;
  return 0;
}

/* --------------------------------------------------------- BipolarQuant -- */

int shape_bipolar_quant(ir_graph *g, ir_node *n) {
  if (check_finite_in(g, n, 1, "scale", false)) return -1;
  return shape_broadcast_float(g, n);
}

int exec_bipolar_quant(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  int rank;
  int64_t dims[IR_MAX_RANK] = {0};
  ir_buf *y = new_broadcast_out(ctx, n, in, 2, &rank, dims);
  if (!y) return -1;
  ou_iter it;
  ou_iter_init(&it, rank, dims, 2, (const ir_buf *const *)in);
  for (int64_t k = 0; k < y->n; k++, ou_iter_next(&it)) {
    float x = ou_getf(in[0], it.off[0]);
    y->f[k] = (x >= 0.0f ? 1.0f : -1.0f) * ou_getf(in[1], it.off[1]);
  }
  out[0] = y;
  return 0;
}

/* ---------------------------------------------------------------- Trunc -- */

/* v1: X, scale, zeropt, input_bit_width, output_bit_width (5 inputs);
 * v2: X, scale, zeropt, input_bit_width, output_scale, output_bit_width (6). */
static bool trunc_is_v2(const ir_node *n) { return n->nin >= 6 && n->in[5]; }

int shape_trunc(ir_graph *g, ir_node *n) {
  ou_round_mode mode;
  if (ou_attr_round_mode(g->file, n, "FLOOR", &mode)) return -1;
  int obits = trunc_is_v2(n) ? 5 : 4;
  if (check_finite_in(g, n, 1, "scale", true) || check_finite_in(g, n, 2, "zeropt", false) ||
      check_bits_in(g, n, 3, "input_bit_width", 1, 64) ||
      check_bits_in(g, n, obits, "output_bit_width", 1, 64))
    return -1;
  if (trunc_is_v2(n) && check_finite_in(g, n, 4, "output_scale", true)) return -1;
  return shape_broadcast_float(g, n);
}

/* qonnx trunc_v1, float32 step by step. */
static float trunc_v1(ou_round_mode m, float x, float s, float z, float ib, float ob) {
  float y = x / s;
  y = y + z;
  y = nearbyintf(y);
  float tb = ib - ob;
  float ts = exp2f(tb);
  y = y / ts;
  y = ou_round(m, y);
  y = y - z;
  return y * s;
}

/* qonnx trunc_v2, float32 step by step. */
static float trunc_v2(ou_round_mode m, bool is_signed, bool narrow, float x, float s,
                      float z, float os, float ob) {
  float y = x / s;
  y = y + z;
  y = nearbyintf(y);
  float r = os / s;
  float ts = exp2f(nearbyintf(log2f(r)));
  y = y / ts;
  double lo = qmin_int(is_signed, narrow, ob), hi = qmax_int(is_signed, narrow, ob);
  if ((double)y > hi) y = (float)hi;
  if ((double)y < lo) y = (float)lo;
  y = ou_round(m, y);
  float oz = z / ts;
  y = y - oz;
  return y * os;
}

int exec_trunc(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  const char *file = ctx->g->file;
  ou_round_mode m;
  if (ou_attr_round_mode(file, n, "FLOOR", &m)) return -1;
  bool v2 = trunc_is_v2(n);
  int k = v2 ? 6 : 5;
  if (check_bits_buf(file, n, in[3], "input_bit_width", 1, 64) ||
      check_bits_buf(file, n, in[k - 1], "output_bit_width", 1, 64))
    return -1;
  bool is_signed = ir_attr_int(n, "signed", 1) != 0;
  bool narrow = ir_attr_int(n, "narrow", 0) != 0;
  int rank;
  int64_t dims[IR_MAX_RANK];
  ir_buf *y = new_broadcast_out(ctx, n, in, k, &rank, dims);
  if (!y) return -1;
  ou_iter it;
  ou_iter_init(&it, rank, dims, k, (const ir_buf *const *)in);
  for (int64_t e = 0; e < y->n; e++, ou_iter_next(&it)) {
    float v[6];
    for (int j = 0; j < k; j++) v[j] = ou_getf(in[j], it.off[j]);
    y->f[e] = v2 ? trunc_v2(m, is_signed, narrow, v[0], v[1], v[2], v[4], v[5])
                 : trunc_v1(m, v[0], v[1], v[2], v[3], v[4]);
  }
  out[0] = y;
  return 0;
}

/* ----------------------------------------------------------- FloatQuant -- */

typedef struct fq_attrs {
  ou_round_mode mode;
  bool has_inf, has_nan, saturation;
} fq_attrs;

static int fq_read_attrs(const char *file, const ir_node *n, fq_attrs *fa) {
  fa->has_inf = ir_attr_int(n, "has_inf", 0) != 0;
  fa->has_nan = ir_attr_int(n, "has_nan", 0) != 0;
  fa->saturation = ir_attr_int(n, "saturation", 1) != 0;
  if (!fa->saturation && !fa->has_inf && !fa->has_nan)
    return ir_errorf(file, n, "saturation=0 needs has_inf or has_nan");
  return ou_attr_round_mode(file, n, "ROUND", &fa->mode);
}

int shape_float_quant(ir_graph *g, ir_node *n) {
  fq_attrs fa;
  if (fq_read_attrs(g->file, n, &fa)) return -1;
  if (check_finite_in(g, n, 1, "scale", true) ||
      check_bits_in(g, n, 2, "exponent_bitwidth", 1, 8) ||
      check_bits_in(g, n, 3, "mantissa_bitwidth", 0, 23) ||
      check_bits_in(g, n, 4, "exponent_bias", -1024, 1024))
    return -1;
  return shape_broadcast_float(g, n);
}

/* qonnx compute_max_val, then np.minimum with the max_val input. */
static double fq_max(float eb, float mb, float bias, float max_val) {
  float max_exp = exp2f(eb) - 1.0f;
  max_exp = max_exp - bias;
  double max_mant = 2.0 - ldexp(1.0, -(int)mb); /* sum of 2^0 .. 2^-mb */
  double mv = max_mant * exp2((double)max_exp);
  return isnan(max_val) ? (double)max_val : fmin(mv, (double)max_val);
}

/* qonnx float_quant() for one element, float32 where numpy is float32. */
static float fq1(const fq_attrs *fa, float x0, float s, float eb, float mb, float bias,
                 float max_val) {
  float x = x0 / s;
  float smin = 1.0f - bias;
  smin = smin - mb;
  float a = fabsf(x) + FLT_MIN;
  float isc = floorf(log2f(a)) - mb;
  if (!isnan(isc) && isc < smin) isc = smin; /* np.maximum keeps NaN */
  isc = exp2f(isc);
  float q = isc * ou_round(fa->mode, x / isc);
  double hi = fq_max(eb, mb, bias, max_val), lo = -hi;
  bool was_inf = isinf(q), over = (double)q > hi, under = (double)q < lo;
  if ((double)q < lo) q = (float)lo;
  if ((double)q > hi) q = (float)hi;
  if (!fa->saturation) {
    if (fa->has_inf) {
      if (over) q = INFINITY;
      if (under) q = -INFINITY;
    } else if (over || under || was_inf) {
      q = NAN;
    }
  }
  return q * s;
}

int exec_float_quant(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  fq_attrs fa;
  if (fq_read_attrs(ctx->g->file, n, &fa)) return -1;
  int rank;
  int64_t dims[IR_MAX_RANK];
  ir_buf *y = new_broadcast_out(ctx, n, in, 6, &rank, dims);
  if (!y) return -1;
  ou_iter it;
  ou_iter_init(&it, rank, dims, 6, (const ir_buf *const *)in);
  for (int64_t e = 0; e < y->n; e++, ou_iter_next(&it)) {
    float v[6];
    for (int j = 0; j < 6; j++) v[j] = ou_getf(in[j], it.off[j]);
    y->f[e] = fq1(&fa, v[0], v[1], v[2], v[3], v[4], v[5]);
  }
  out[0] = y;
  return 0;
}

/* ------------------------------------------------------- MultiThreshold -- */

/* The channel axis as qonnx picks it: "C" in data_layout, else by rank
 * (2: NC, 3: NWC, 4: NCHW), else 1. */
static int mt_channel_axis(const ir_node *n, int rank) {
  const char *layout = ir_attr_str(n, "data_layout", "");
  if (!layout || !*layout) {
    if (rank == 3) return 2;
    return 1;
  }
  const char *c = strchr(layout, 'C');
  return c ? (int)(c - layout) : 1;
}

/* Thresholds (C or 1, T) against input channels c; -1 after an error. */
static int mt_check(const char *file, const ir_node *n, int rank, const int64_t *dims,
                    int trank, const int64_t *tdims) {
  if (rank < 0 || trank < 0) return 0;
  if (trank != 2)
    return ir_errorf(file, n, "thresholds must be 2-D (channels x steps), not %d-D", trank);
  if (rank < 2) return ir_errorf(file, n, "input of rank %d has no channel axis", rank);
  int ax = mt_channel_axis(n, rank);
  if (ax >= rank)
    return ir_errorf(file, n, "data_layout \"%s\" does not fit an input of rank %d",
                     ir_attr_str(n, "data_layout", ""), rank);
  if (tdims[0] != 1 && dims[ax] >= 0 && tdims[0] >= 0 && tdims[0] != dims[ax])
    return ir_errorf(file, n, "thresholds have %lld channels, input has %lld (axis %d)",
                     (long long)tdims[0], (long long)dims[ax], ax);
  return 0;
}

int shape_multithreshold(ir_graph *g, ir_node *n) {
  const ir_tensor *v = n->in[0], *t = n->in[1];
  if (mt_check(g->file, n, v->rank, v->dims, t->rank, t->dims)) return -1;
  ou_set_shape(n->out[0], ONNX_FLOAT, v->rank, v->dims);
  return 0;
}

int exec_multithreshold(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  const ir_buf *v = in[0], *t = in[1];
  if (mt_check(ctx->g->file, n, v->rank, v->dims, t->rank, t->dims)) return -1;
  ir_buf *y = ou_buf_new(ctx, n, IR_F32, ONNX_FLOAT, v->rank, v->dims);
  if (!y) return -1;
  int ax = mt_channel_axis(n, v->rank);
  int64_t inner = 1;
  for (int i = ax + 1; i < v->rank; i++) inner *= v->dims[i];
  int64_t nch = v->dims[ax], nt = t->dims[1];
  float os = ir_attr_float(n, "out_scale", 1.0f), ob = ir_attr_float(n, "out_bias", 0.0f);
  for (int64_t k = 0; k < v->n; k++) {
    int64_t c = t->dims[0] == 1 ? 0 : (k / inner) % nch;
    double x = ir_buf_get(v, k);
    int64_t cnt = 0;
    for (int64_t j = 0; j < nt; j++) cnt += x >= ir_buf_get(t, c * nt + j);
    float r = os * (float)cnt;
    y->f[k] = r + ob;
  }
  out[0] = y;
  return 0;
}
