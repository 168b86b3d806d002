/* dtype_infer.c - QONNX datatype inference, after qonnx's InferDataTypes.
 *
 * Every tensor gets an ir_dtype, in topological order:
 *  - annotations (graph.quantization_annotation finn_datatype) are kept; a
 *    FLOAT32 annotation on a node output only means "nothing known" and is
 *    re-inferred (qonnx tools write FLOAT32 on every tensor they touch);
 *  - initializers whose values are all integers get the smallest integer type
 *    holding them (qonnx's candidate order: BINARY, UINTn, BIPOLAR, TERNARY,
 *    INTn), others FLOAT32;
 *  - Quant: INT/UINT b (narrow kept) when scale is 1 and zero point 0, a
 *    scaled integer otherwise; BipolarQuant: BIPOLAR (scaled when scale != 1);
 *    MultiThreshold: out_dtype; Trunc: like Quant with its output bits;
 *  - MatMul/Gemm/Conv/Add/Sub/Mul of integer tensors: the exact range, by
 *    interval arithmetic over the input types and the actual values of
 *    constant operands (constant subgraphs such as Quant(W) -> Transpose are
 *    evaluated with the executor), as the smallest type holding it;
 *  - Div of an integer tensor by an integer constant that divides every value
 *    it can hold: ranges also carry a lattice (all values lo + k * mod), so
 *    that (BIPOLAR + 1) / 2, UNSW-NB15's input, is {0, 1}: BINARY;
 *  - layout ops pass the type through, Relu/Clip/Pad/Concat/MaxPool adjust
 *    the range, everything else is FLOAT32.
 * With ir_dtype_opts.qonnx the rules are exactly qonnx's instead (see
 * dtype_infer.h); info uses that to reproduce qonnx's inference cost. */
#include <math.h>
#include <string.h>

#include "ir/dtype_infer.h"

typedef struct range {
  bool known;       /* integer-valued with these bounds */
  double lo, hi;
  double mod;       /* >= 2: every value is lo + k * mod (BIPOLAR: -1, 1 is
                     * mod 2); 0: nothing known beyond the bounds */
} range;

typedef struct ictx {
  ir_graph *g;
  const ir_dtype_opts *o;
  range *r;         /* per tensor id */
  ir_buf **val;     /* constant values found so far, per tensor id */
  char *tried;      /* constant evaluation attempted */
  char *keep;       /* a binding annotation: not re-inferred */
  ir_exec_ctx ex;
} ictx;

static const ir_dtype FLOAT32 = {QDT_FLOAT32, 32, true, false, 0};

static bool is_op(const ir_node *n, const char *op) { return !strcmp(n->op_type, op); }

int ir_dtype_bits(ir_dtype dt) {
  switch (dt.kind) {
  case QDT_FLOAT32: return 32;
  case QDT_BIPOLAR: return 1;
  case QDT_TERNARY: return 2;
  case QDT_INT: case QDT_FIXED: case QDT_SCALED: return dt.bits;
  default: return 0;
  }
}

/* ------------------------------------------------------------- ranges -- */

static ir_dtype int_dtype(int bits, bool sgn, bool narrow) {
  ir_dtype d = {QDT_INT, bits, sgn, narrow, 0};
  return d;
}

/* Smallest type holding [lo, hi] in qonnx's order (BINARY, UINTn, BIPOLAR,
 * TERNARY, INTn); BIPOLAR only when we know zero does not occur. */
static ir_dtype smallest_dtype(double lo, double hi, bool no_zero) {
  if (lo >= 0) {
    int b = 1;
    while (b < 64 && ldexp(1, b) - 1 < hi) b++;
    return int_dtype(b, false, false);
  }
  if (lo >= -1 && hi <= 1) {
    ir_dtype d = {no_zero ? QDT_BIPOLAR : QDT_TERNARY, no_zero ? 1 : 2, true, false, 0};
    return d;
  }
  int b = 2;
  while (b < 64 && (-ldexp(1, b - 1) > lo || ldexp(1, b - 1) - 1 < hi)) b++;
  return int_dtype(b, true, false);
}

static range dtype_range(ir_dtype d) {
  range r = {false, 0, 0, 0};
  if (!ir_dtype_is_integer(d) && d.kind != QDT_SCALED) return r;
  r.known = true;
  r.lo = ir_dtype_min(d);
  r.hi = ir_dtype_max(d);
  if (d.kind == QDT_BIPOLAR) r.mod = 2;
  return r;
}

/* The lattice of a + b (or a - b): a single value shifts the other's. */
static double sum_mod(range a, range b) {
  if (a.lo == a.hi) return b.mod;
  if (b.lo == b.hi) return a.mod;
  if (a.mod < 2 || b.mod < 2) return 0;
  double x = a.mod, y = b.mod; /* gcd */
  while (y > 0) {
    double t = fmod(x, y);
    x = y, y = t;
  }
  return x >= 2 ? x : 0;
}

/* Type and range of a tensor as an input of the node being inferred. */
static ir_dtype dt_of(const ictx *c, const ir_tensor *t) {
  (void)c;
  return t ? t->dtype : FLOAT32;
}
static range rg_of(const ictx *c, const ir_tensor *t) {
  range none = {false, 0, 0, 0};
  return t ? c->r[t->id] : none;
}

static void set_out(ictx *c, ir_tensor *t, ir_dtype d, range r) {
  if (!t) return;
  if (c->keep[t->id]) return; /* an annotation wins (qonnx overwrites it) */
  t->dtype = d;
  c->r[t->id] = r.known ? r : dtype_range(d);
}

/* Give the output the smallest integer type of range r (scaled if any input
 * was scaled), or FLOAT32 when r is unknown. */
static void set_range(ictx *c, ir_tensor *t, range r, bool scaled) {
  if (!r.known) {
    set_out(c, t, FLOAT32, r);
    return;
  }
  ir_dtype d = smallest_dtype(r.lo, r.hi, r.mod >= 2 && fmod(fabs(r.lo), r.mod) != 0);
  if (scaled) {
    d.kind = QDT_SCALED;
    if (!c->o->scaledint) d = FLOAT32;
  }
  set_out(c, t, d, r);
}

static range hull(range a, range b) {
  if (!a.known || !b.known) return (range){false, 0, 0, 0};
  return (range){true, fmin(a.lo, b.lo), fmax(a.hi, b.hi), 0};
}

static range mul_range(range a, range b) {
  if (!a.known || !b.known) return (range){false, 0, 0, 0};
  double p[4] = {a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi};
  range r = {true, p[0], p[0], 0};
  for (int i = 1; i < 4; i++) r.lo = fmin(r.lo, p[i]), r.hi = fmax(r.hi, p[i]);
  return r;
}

/* --------------------------------------------------- constant values -- */

static bool foldable(const ir_node *n) {
  static const char *const ops[] = {"Quant", "IntQuant", "BipolarQuant", "FloatQuant", "Trunc",
                                    "Transpose", "Reshape", "Flatten", "Identity", "Squeeze",
                                    "Unsqueeze", "Mul", "Div", "Add", "Sub", "Neg", "Cast"};
  for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
    if (is_op(n, ops[i])) return n->op && n->op->exec && n->nout == 1;
  return false;
}

/* The value of t if it is a constant or computable from constants by a chain
 * of cheap nodes (the weight quantizer subgraphs exporters write). */
static const ir_buf *const_value(ictx *c, const ir_tensor *t) {
  if (!t) return NULL;
  if (t->init) return t->init;
  if (c->val[t->id] || c->tried[t->id]) return c->val[t->id];
  c->tried[t->id] = 1;
  ir_node *p = t->producer;
  if (!p || p->dead || !foldable(p)) return NULL;
  for (int i = 0; i < p->nin; i++)
    if (p->in[i] && !const_value(c, p->in[i])) return NULL;
  ir_node *list[1] = {p};
  if (ir_exec_nodes(&c->ex, list, 1, c->val) < 0) return NULL;
  return c->val[t->id];
}

static bool all_equal(const ir_buf *b, double v) {
  for (int64_t k = 0; k < b->n; k++)
    if (ir_buf_get(b, k) != v) return false;
  return true;
}

/* Range of a constant's values; known only if all are finite integers. */
static range buf_range(const ir_buf *b, bool *no_zero) {
  range r = {b->n > 0, 0, 0, 0};
  *no_zero = true;
  for (int64_t k = 0; k < b->n; k++) {
    double v = ir_buf_get(b, k);
    if (!isfinite(v) || v != floor(v)) return (range){false, 0, 0, 0};
    if (k == 0 || v < r.lo) r.lo = v;
    if (k == 0 || v > r.hi) r.hi = v;
    if (v == 0) *no_zero = false;
  }
  return r;
}

/* ------------------------------------------------------- quantizers -- */

static void infer_quant(ictx *c, ir_node *n) {
  const ir_buf *s = const_value(c, n->in[1]), *z = const_value(c, n->in[2]);
  const ir_buf *b = const_value(c, n->in[3]);
  bool sgn = ir_attr_int(n, "signed", 1) != 0, narrow = ir_attr_int(n, "narrow", 0) != 0;
  if (!s || !z || !b || b->n != 1 || !all_equal(z, 0.0)) {
    set_out(c, n->out[0], FLOAT32, (range){false, 0, 0, 0});
    return;
  }
  double bits = ir_buf_get(b, 0);
  if (bits != floor(bits) || bits < 1 || bits > 64 || (c->o->qonnx && b->rank != 0)) {
    set_out(c, n->out[0], FLOAT32, (range){false, 0, 0, 0});
    return;
  }
  ir_dtype d = int_dtype((int)bits, sgn, narrow && !c->o->qonnx);
  if (bits == 1 && sgn) d.kind = QDT_BIPOLAR;
  if (!all_equal(s, 1.0)) {
    d = int_dtype((int)bits, sgn, d.narrow);
    d.kind = QDT_SCALED;
    if (c->o->qonnx) d.is_signed = true; /* SCALEDINT<b> */
    if (!c->o->scaledint) d = FLOAT32;
  }
  set_out(c, n->out[0], d, (range){false, 0, 0, 0});
}

static void infer_bipolar(ictx *c, ir_node *n) {
  const ir_buf *s = const_value(c, n->in[1]);
  ir_dtype d = {QDT_BIPOLAR, 1, true, false, 0};
  if (!s || !all_equal(s, 1.0)) {
    /* qonnx: FLOAT32; we keep "one bit times a scale" */
    d.kind = (c->o->qonnx || !c->o->scaledint) ? QDT_FLOAT32 : QDT_SCALED;
    if (d.kind == QDT_FLOAT32) d = FLOAT32;
  }
  set_out(c, n->out[0], d, (range){false, 0, 0, 0});
}

static void infer_multithreshold(ictx *c, ir_node *n) {
  ir_dtype d;
  float scale = ir_attr_float(n, "out_scale", 1.0f), bias = ir_attr_float(n, "out_bias", 0.0f);
  if (scale != floorf(scale) || bias != floorf(bias) ||
      ir_dtype_parse(ir_attr_str(n, "out_dtype", "FLOAT32"), &d) < 0)
    d = FLOAT32;
  set_out(c, n->out[0], d, (range){false, 0, 0, 0});
}

/* Trunc v1 (X, scale, zeropt, in_bits, out_bits) and v2 (X, scale, zeropt,
 * in_bits, out_scale, out_bits): integers of out_bits when the output scale
 * is 1 and the zero point 0.  qonnx types it FLOAT32. */
static void infer_trunc(ictx *c, ir_node *n) {
  bool v2 = n->nin >= 6;
  const ir_buf *s = const_value(c, n->in[v2 ? 4 : 1]), *z = const_value(c, n->in[2]);
  const ir_buf *b = const_value(c, n->in[v2 ? 5 : 4]);
  if (c->o->qonnx || !s || !z || !b || b->n != 1 || !all_equal(z, 0.0)) {
    set_out(c, n->out[0], FLOAT32, (range){false, 0, 0, 0});
    return;
  }
  double bits = ir_buf_get(b, 0);
  if (bits != floor(bits) || bits < 1 || bits > 64) {
    set_out(c, n->out[0], FLOAT32, (range){false, 0, 0, 0});
    return;
  }
  bool sgn = v2 ? ir_attr_int(n, "signed", 1) != 0 : dt_of(c, n->in[0]).is_signed;
  bool narrow = v2 && ir_attr_int(n, "narrow", 0) != 0;
  ir_dtype d = int_dtype((int)bits, sgn, narrow);
  if (!all_equal(s, 1.0)) d.kind = c->o->scaledint ? QDT_SCALED : QDT_FLOAT32;
  if (d.kind == QDT_FLOAT32) d = FLOAT32;
  set_out(c, n->out[0], d, (range){false, 0, 0, 0});
}

/* ------------------------------------------------------ MAC-like ops -- */

static bool is_int(ir_dtype d) { return ir_dtype_is_integer(d); }
static bool is_scaled_int(ir_dtype d) {
  return is_int(d) || d.kind == QDT_FIXED || d.kind == QDT_SCALED;
}

/* qonnx's infer_mac_result_dtype: INT32/UINT32, SCALEDINT<32> or FLOAT32. */
static void mac_qonnx(ictx *c, ir_node *n) {
  bool all_int = true, all_scaled = true, any_signed = is_op(n, "Sub"), any_float = false;
  for (int i = 0; i < n->nin; i++) {
    if (!n->in[i]) continue;
    ir_dtype d = dt_of(c, n->in[i]);
    all_int &= is_int(d);
    all_scaled &= is_scaled_int(d);
    any_signed |= d.is_signed || d.kind == QDT_FLOAT32;
    any_float |= d.kind == QDT_FLOAT32;
  }
  ir_dtype d = n->out[0]->dtype.kind == QDT_UNKNOWN ? FLOAT32 : n->out[0]->dtype;
  if (all_int) d = int_dtype(32, any_signed, false);
  else if (all_scaled) d = (ir_dtype){QDT_SCALED, 32, true, false, 0};
  else if (any_float) d = FLOAT32;
  if (d.kind == QDT_SCALED && !c->o->scaledint) d = FLOAT32;
  n->out[0]->dtype = d; /* qonnx overwrites even annotations here */
  c->r[n->out[0]->id] = dtype_range(d);
}

/* The value of t if it is a constant holding only integers. */
static const ir_buf *int_const(ictx *c, const ir_tensor *t) {
  const ir_buf *b = const_value(c, t);
  bool nz;
  return b && buf_range(b, &nz).known ? b : NULL;
}

/* Range of an integer input: from an integer constant's values, else from its
 * type (a scaled integer's integer levels). */
static range in_range(ictx *c, const ir_tensor *t) {
  const ir_buf *b = int_const(c, t);
  bool nz;
  if (b) return buf_range(b, &nz);
  return rg_of(c, t);
}

/* sum_k x[k] * w[k][j] over the reduction axis for every output j: the
 * widest column.  w is [K, N] (or [N, K] with w_t). */
static range dot_range(range x, const ir_buf *w, int64_t K, int64_t N, bool w_t) {
  range r = {true, INFINITY, -INFINITY, 0};
  for (int64_t j = 0; j < N; j++) {
    double lo = 0, hi = 0;
    for (int64_t k = 0; k < K; k++) {
      double v = ir_buf_get(w, w_t ? j * K + k : k * N + j);
      lo += fmin(x.lo * v, x.hi * v);
      hi += fmax(x.lo * v, x.hi * v);
    }
    r.lo = fmin(r.lo, lo), r.hi = fmax(r.hi, hi);
  }
  if (N == 0) r.lo = r.hi = 0;
  return r;
}

/* x [.., K] @ w [K, N] (Gemm: transB, then + C). */
static range matmul_range(ictx *c, ir_node *n) {
  range x = in_range(c, n->in[0]), w = in_range(c, n->in[1]);
  const ir_tensor *wt = n->in[1];
  bool gemm = is_op(n, "Gemm"), tb = gemm && ir_attr_int(n, "transB", 0);
  if (gemm && (ir_attr_int(n, "transA", 0) || ir_attr_float(n, "alpha", 1.0f) != 1.0f ||
               ir_attr_float(n, "beta", 1.0f) != 1.0f))
    return (range){false, 0, 0, 0};
  if (!x.known || !w.known || wt->rank < 1) return (range){false, 0, 0, 0};
  const ir_buf *wb = int_const(c, wt);
  range r;
  if (wb && wb->rank == 2) {
    int64_t K = tb ? wb->dims[1] : wb->dims[0], N = tb ? wb->dims[0] : wb->dims[1];
    r = dot_range(x, wb, K, N, tb);
  } else {
    int64_t K = wt->rank >= 2 ? wt->dims[tb ? wt->rank - 1 : wt->rank - 2] : wt->dims[0];
    if (K < 0) return (range){false, 0, 0, 0};
    range p = mul_range(x, w);
    r = (range){true, fmin(0, p.lo) * (double)K, fmax(0, p.hi) * (double)K, 0};
  }
  if (gemm && n->nin >= 3 && n->in[2]) {
    range b = in_range(c, n->in[2]);
    if (!b.known) return b;
    r.lo += b.lo, r.hi += b.hi;
  }
  return r;
}

/* Conv: per output channel, the sum over its weights of the bound products;
 * with padding every term may also be 0.  Plus an integer bias. */
static range conv_range(ictx *c, ir_node *n) {
  range x = in_range(c, n->in[0]), w = in_range(c, n->in[1]);
  if (!x.known || !w.known) return (range){false, 0, 0, 0};
  const ir_attr *pa = ir_attr_find(n, "pads");
  bool padded = false;
  for (int i = 0; pa && i < pa->n && i < 8; i++) padded |= pa->ints[i] != 0;
  const char *ap = ir_attr_str(n, "auto_pad", "NOTSET");
  padded |= strcmp(ap, "NOTSET") && strcmp(ap, "VALID");
  if (padded) x.lo = fmin(x.lo, 0), x.hi = fmax(x.hi, 0);
  const ir_buf *wb = int_const(c, n->in[1]);
  range r;
  if (wb && wb->rank >= 1 && wb->dims[0] > 0) {
    int64_t oc = wb->dims[0];
    r = dot_range(x, wb, wb->n / oc, oc, true);
  } else {
    const ir_tensor *wt = n->in[1];
    int64_t k = 1;
    for (int i = 1; i < wt->rank; i++) k = wt->dims[i] < 0 ? -1 : k * wt->dims[i];
    if (wt->rank < 2 || k < 0) return (range){false, 0, 0, 0};
    range p = mul_range(x, w);
    r = (range){true, fmin(0, p.lo) * (double)k, fmax(0, p.hi) * (double)k, 0};
  }
  if (n->nin >= 3 && n->in[2]) {
    range b = in_range(c, n->in[2]);
    if (!b.known) return b;
    r.lo += b.lo, r.hi += b.hi;
  }
  return r;
}

static void infer_mac(ictx *c, ir_node *n) {
  if (c->o->qonnx) {
    mac_qonnx(c, n);
    return;
  }
  bool scaled = false;
  for (int i = 0; i < n->nin; i++) {
    if (!n->in[i]) continue;
    ir_dtype d = dt_of(c, n->in[i]);
    if (int_const(c, n->in[i])) continue; /* integer constant */
    if (!is_scaled_int(d)) {
      set_out(c, n->out[0], FLOAT32, (range){false, 0, 0, 0});
      return;
    }
    scaled |= !is_int(d);
  }
  range r;
  if (is_op(n, "MatMul") || is_op(n, "Gemm")) {
    r = matmul_range(c, n);
  } else if (is_op(n, "Conv")) {
    r = conv_range(c, n);
  } else {
    range a = in_range(c, n->in[0]), b = in_range(c, n->in[1]);
    if (is_op(n, "Mul")) {
      r = mul_range(a, b);
      if (r.known && (a.lo == a.hi || b.lo == b.hi)) { /* times a constant: scales the lattice */
        range x = a.lo == a.hi ? b : a;
        double k = fabs(a.lo == a.hi ? a.lo : b.lo);
        r.mod = k * (x.mod >= 2 ? x.mod : 1);
        if (r.mod < 2) r.mod = 0;
      }
    } else if (is_op(n, "Add")) {
      r = (range){a.known && b.known, a.lo + b.lo, a.hi + b.hi, sum_mod(a, b)};
    } else {
      r = (range){a.known && b.known, a.lo - b.hi, a.hi - b.lo, sum_mod(a, b)};
    }
  }
  set_range(c, n->out[0], r, scaled);
}

/* Div of an integer tensor by an integer constant c: integers again when c
 * divides every value the lattice allows (lo and the step), else FLOAT32. */
static void infer_div(ictx *c, ir_node *n) {
  range a = rg_of(c, n->in[0]);
  const ir_buf *b = int_const(c, n->in[1]);
  bool nz;
  range k = b ? buf_range(b, &nz) : (range){false, 0, 0, 0};
  double d = k.lo;
  if (!is_int(dt_of(c, n->in[0])) || !a.known || !k.known || k.lo != k.hi || d == 0 ||
      fmod(a.lo, d) != 0 || (a.lo != a.hi && (a.mod < 2 || fmod(a.mod, d) != 0))) {
    set_out(c, n->out[0], FLOAT32, (range){false, 0, 0, 0});
    return;
  }
  range r = {true, fmin(a.lo / d, a.hi / d), fmax(a.lo / d, a.hi / d), a.mod / fabs(d)};
  if (r.mod < 2) r.mod = 0;
  set_range(c, n->out[0], r, false);
}

/* ----------------------------------------------------- the other ops -- */

static bool in_list(const char *op, const char *const *list) {
  for (int i = 0; list[i]; i++)
    if (!strcmp(op, list[i])) return true;
  return false;
}

/* Output = input 0's type (qonnx's dt_identity_optypes + Resize nearest). */
static bool infer_identity_like(ictx *c, ir_node *n) {
  static const char *const ident[] = {
      "Reshape", "Transpose", "Flatten", "Slice", "Gather", "GatherElements", "GatherND",
      "Identity", "Expand", "MaxPool", "GlobalMaxPool", "Scatter", "ScatterElements",
      "ScatterND", "Squeeze", "Unsqueeze", "Tile", "Pad", "Concat", "Clip", "Split", NULL};
  bool resize = (is_op(n, "Resize") || is_op(n, "Upsample")) &&
                !strcmp(ir_attr_str(n, "mode", "nearest"), "nearest");
  bool ours = !c->o->qonnx && (is_op(n, "DepthToSpace") || is_op(n, "Dropout"));
  if (!in_list(n->op_type, ident) && !resize && !ours) return false;
  ir_dtype d = dt_of(c, n->in[0]);
  range r = rg_of(c, n->in[0]);
  if (is_op(n, "Concat") || is_op(n, "Pad") || is_op(n, "Clip") || is_op(n, "Expand") ||
      !strncmp(n->op_type, "Scatter", 7))
    r.mod = 0; /* may add or clip values: the bounds below, no lattice */
  if (!c->o->qonnx) {
    if (is_op(n, "Concat"))
      for (int i = 1; i < n->nin; i++) {
        if (!n->in[i]) continue;
        r = hull(r, in_range(c, n->in[i]));
        if (!r.known || dt_of(c, n->in[i]).kind != d.kind) d = FLOAT32;
      }
    if (is_op(n, "Pad") && r.known) {
      const ir_buf *pv = n->nin >= 3 ? const_value(c, n->in[2]) : NULL;
      double v = pv && pv->n ? ir_buf_get(pv, 0) : 0;
      if (!strcmp(ir_attr_str(n, "mode", "constant"), "constant"))
        r = hull(r, (range){v == floor(v), v, v, 0});
      if (!r.known) d = FLOAT32;
    }
    if (is_op(n, "Clip") && r.known) {
      const ir_buf *lo = n->nin >= 2 ? const_value(c, n->in[1]) : NULL;
      const ir_buf *hi = n->nin >= 3 ? const_value(c, n->in[2]) : NULL;
      if (lo && lo->n) r.lo = fmax(r.lo, ceil(ir_buf_get(lo, 0)));
      if (hi && hi->n) r.hi = fmin(r.hi, floor(ir_buf_get(hi, 0)));
      if (r.hi < r.lo) r.hi = r.lo;
    }
    if (r.known && (is_op(n, "Concat") || is_op(n, "Pad") || is_op(n, "Clip")) &&
        d.kind != QDT_SCALED && d.kind != QDT_FLOAT32 && d.kind != QDT_FIXED) {
      ir_dtype s = smallest_dtype(r.lo, r.hi, false);
      if (ir_dtype_bits(s) < ir_dtype_bits(d) || r.lo < ir_dtype_min(d) || r.hi > ir_dtype_max(d))
        d = s;
    }
  }
  for (int o = 0; o < n->nout; o++) {
    if (!n->out[o]) continue;
    if (o > 0 && is_op(n, "Dropout")) set_out(c, n->out[o], FLOAT32, (range){false, 0, 0, 0});
    else set_out(c, n->out[o], d, r);
  }
  return true;
}

static void infer_other(ictx *c, ir_node *n) {
  if (is_op(n, "Sign")) {
    ir_dtype d = {QDT_BIPOLAR, 1, true, false, 0};
    set_out(c, n->out[0], d, (range){false, 0, 0, 0});
    return;
  }
  if (!c->o->qonnx && is_op(n, "Relu") && is_int(dt_of(c, n->in[0]))) {
    range r = rg_of(c, n->in[0]);
    if (r.lo < 0 && (r.mod < 2 || fmod(-r.lo, r.mod) != 0)) r.mod = 0; /* 0 off the lattice */
    r.lo = fmax(r.lo, 0), r.hi = fmax(r.hi, 0);
    set_range(c, n->out[0], r, false);
    return;
  }
  if (!c->o->qonnx && (is_op(n, "Shape") || is_op(n, "ArgMax"))) {
    set_out(c, n->out[0], int_dtype(64, true, false), (range){false, 0, 0, 0});
    return;
  }
  if (!c->o->qonnx && is_op(n, "Cast") && is_int(dt_of(c, n->in[0]))) {
    set_out(c, n->out[0], dt_of(c, n->in[0]), rg_of(c, n->in[0]));
    return;
  }
  for (int o = 0; o < n->nout; o++) {
    ir_tensor *t = n->out[o];
    if (!t) continue;
    if (c->o->qonnx && t->dtype.kind != QDT_UNKNOWN && t->dtype.kind != QDT_FLOAT32) continue;
    set_out(c, t, FLOAT32, (range){false, 0, 0, 0});
  }
}

static void infer_node(ictx *c, ir_node *n) {
  if (n->dom == IR_DOM_QONNX) {
    if (is_op(n, "Quant") || is_op(n, "IntQuant")) infer_quant(c, n);
    else if (is_op(n, "BipolarQuant")) infer_bipolar(c, n);
    else if (is_op(n, "MultiThreshold")) infer_multithreshold(c, n);
    else if (is_op(n, "Trunc")) infer_trunc(c, n);
    else infer_other(c, n); /* FloatQuant and others: FLOAT32 */
    return;
  }
  static const char *const mac[] = {"MatMul", "Gemm", "Conv", "Add", "Sub", "Mul", NULL};
  if (in_list(n->op_type, mac) && n->nout >= 1 && n->out[0] && n->nin >= 2) {
    infer_mac(c, n);
    return;
  }
  if (!c->o->qonnx && is_op(n, "Div") && n->nin >= 2 && n->out[0]) {
    infer_div(c, n);
    return;
  }
  if (!infer_identity_like(c, n)) infer_other(c, n);
}

/* ------------------------------------------------------------ sources -- */

/* Graph inputs and constants: annotation, else values / container type. */
static void infer_source(ictx *c, ir_tensor *t) {
  if (t->dtype_annotated) {
    c->r[t->id] = dtype_range(t->dtype);
    return;
  }
  bool float_type = t->onnx_type == ONNX_FLOAT || t->onnx_type == ONNX_DOUBLE ||
                    t->onnx_type == ONNX_FLOAT16 || t->onnx_type == ONNX_UNDEFINED;
  t->dtype = FLOAT32;
  if (c->o->qonnx) return;
  if (t->init) {
    bool nz;
    range r = buf_range(t->init, &nz);
    if (r.known) {
      t->dtype = smallest_dtype(r.lo, r.hi, nz);
      c->r[t->id] = r;
    }
  } else if (!float_type) {
    int bits = t->onnx_type == ONNX_INT8 || t->onnx_type == ONNX_UINT8 ? 8
             : t->onnx_type == ONNX_INT16 || t->onnx_type == ONNX_UINT16 ? 16
             : t->onnx_type == ONNX_INT32 || t->onnx_type == ONNX_UINT32 ? 32
             : t->onnx_type == ONNX_BOOL ? 1 : 64;
    bool sgn = t->onnx_type != ONNX_UINT8 && t->onnx_type != ONNX_UINT16 &&
               t->onnx_type != ONNX_UINT32 && t->onnx_type != ONNX_UINT64 &&
               t->onnx_type != ONNX_BOOL;
    t->dtype = int_dtype(bits, sgn, false);
    c->r[t->id] = dtype_range(t->dtype);
  }
}

int ir_infer_dtypes_opts(ir_graph *g, const ir_dtype_opts *o) {
  ictx c = {.g = g, .o = o, .ex = {NULL, g}};
  int nt = g->ntensors;
  c.ex.arena = ir_arena_new();
  c.r = ir_alloc_array(c.ex.arena, (size_t)(nt ? nt : 1), sizeof(range));
  c.val = ir_alloc_array(c.ex.arena, (size_t)(nt ? nt : 1), sizeof(ir_buf *));
  c.tried = ir_alloc(c.ex.arena, (size_t)(nt ? nt : 1));
  c.keep = ir_alloc(c.ex.arena, (size_t)(nt ? nt : 1));
  for (int i = 0; i < nt; i++) {
    ir_tensor *t = g->tensors[i];
    c.keep[i] = !o->qonnx && t->dtype_annotated && t->dtype.kind != QDT_FLOAT32;
    bool produced = t->producer && !t->producer->dead;
    if (!produced) {
      infer_source(&c, t);
    } else if (t->dtype_annotated && t->dtype.kind != QDT_FLOAT32) {
      c.r[t->id] = dtype_range(t->dtype);
    } else {
      /* a FLOAT32 annotation on a node output says nothing: forget it, so
       * that a later run sees the tensor as unannotated too */
      t->dtype = o->qonnx && t->dtype_annotated ? FLOAT32
                                                 : (ir_dtype){QDT_UNKNOWN, 0, false, false, 0};
      t->dtype_annotated = false;
    }
  }
  for (int i = 0; i < g->nnodes; i++)
    if (!g->nodes[i]->dead) infer_node(&c, g->nodes[i]);
  ir_arena_free(c.ex.arena);
  return 0;
}

struct ir_constfold {
  ictx c;
};

ir_constfold *ir_constfold_new(ir_graph *g) {
  ir_arena *a = ir_arena_new();
  ir_constfold *cf = ir_alloc(a, sizeof *cf);
  int nt = g->ntensors ? g->ntensors : 1;
  cf->c.g = g;
  cf->c.ex.arena = a;
  cf->c.ex.g = g;
  cf->c.val = ir_alloc_array(a, (size_t)nt, sizeof(ir_buf *));
  cf->c.tried = ir_alloc(a, (size_t)nt);
  cf->c.keep = ir_alloc(a, (size_t)nt);
  return cf;
}

const ir_buf *ir_constfold_value(ir_constfold *cf, const ir_tensor *t) {
  if (t && t->id >= cf->c.g->ntensors) return NULL;
  return const_value(&cf->c, t);
}

void ir_constfold_free(ir_constfold *cf) {
  if (cf) ir_arena_free(cf->c.ex.arena);
}

int ir_infer_dtypes(ir_graph *g) {
  ir_dtype_opts o = {false, true};
  return ir_infer_dtypes_opts(g, &o);
}
