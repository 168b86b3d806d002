/* streamline.c - cleaned QONNX graph -> hardware IR (hw_design).
 *
 * The hardware starts at the first integer tensor a compute node (MatMul,
 * Gemm, Conv) reads: an activation quantizer's output with a per-tensor scale
 * or an integer-annotated graph input.  Everything it depends on is host
 * pre-processing.  From there the graph is walked in topological order; every
 * tensor the hardware carries is a *stream* of integer levels (value = level *
 * scale) in some element order: NCHW tensors stream NHWC (channels innermost),
 * and layout ops (Transpose, Reshape, Flatten, ...) only change which logical
 * element each stream position holds, so they cost nothing.  Each node that
 * reads a stream is lowered to units:
 *
 *   MatMul/Gemm/Conv with quantized constant weights, then a chain of monotone
 *   element-wise ops with constant operands (BatchNormalization, Add, Mul,
 *   Relu, ...) and an activation quantizer
 *       -> [pad] [swg] mvu with fused thresholds   (vvu for depthwise Conv)
 *   MaxPool                      -> [pad] swg maxpool
 *   AveragePool / GlobalAveragePool + chain + quantizer -> [swg] avgpool threshold
 *   Add of two streams + chain + quantizer              -> add threshold
 *   Concat (channels), Resize (nearest, integer factors), DepthToSpace
 *                                -> concat, upsample, depth2space
 *   a chain + quantizer on a stream                     -> threshold
 *   ArgMax / TopK at the end                            -> labelselect
 *   a tensor read by two hardware nodes                 -> dup
 *
 * Thresholds are not derived by algebra: each is the smallest accumulator
 * value for which the float32 evaluation of the original chain (the
 * executor's own kernels) reaches the next output level, found by binary
 * search over the accumulator's exact range (DESIGN.md, "Exactness").  A
 * channel whose chain is decreasing gets its weight row negated.
 *
 * The first node that cannot be lowered ends the hardware: its input stream
 * is the hardware output and it and everything after it is host
 * post-processing.  There must be exactly one such stream.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ir/hw.h"

/* An activation or weight quantizer, decoded. */
typedef struct quant_info {
  bool bipolar;
  int bits;
  bool is_signed, narrow;
  int64_t min_int, max_int;
  int nscale;              /* 1: per tensor; else per channel */
  const float *scale;
} quant_info;

/* How the float value at the start of a chain follows from an integer
 * accumulator a of channel j, exactly as the executor computes it:
 *   bias_double: (float)(bias[j] + mult[j] * a)               (Conv: double sums)
 *   else:        v = (float)(mult[j] * a / div); v = alpha * v; v = v + beta * bias[j]
 * then the chain ops and the activation quantizer run in the executor. */
typedef struct requant {
  ir_tensor *start;        /* the tensor whose value the chain reads */
  int nch;
  const double *mult;
  int nmult;               /* 1 or nch */
  double div;
  float alpha, beta;
  const float *bias;
  int nbias;
  bool bias_double;
  int nchain;
  ir_node **chain;         /* element-wise value ops */
  int nmoved;
  ir_node **moved;         /* layout ops crossed (applied after the quantizer) */
  ir_node *act;            /* the activation quantizer, or NULL */
  quant_info yq;
} requant;

/* A tensor carried by the hardware. */
typedef struct stream {
  int unit, port;          /* producing unit and its output port; unit -1: design input */
  hw_etype et;
  quant_info q;            /* value = level * q.scale */
  bool acc;                /* an accumulator (no quantizer), only the design output */
  int rank;
  int64_t dims[IR_MAX_RANK];
  int perm[IR_MAX_RANK];   /* stream order: row-major over logical axes perm[] */
  int64_t *order;          /* or explicitly: position -> logical flat index */
  int ncons, taken;        /* hardware consumers; branches handed out */
  struct stream *branches; /* one per consumer when ncons > 1 (dup outputs) */
} stream;

typedef struct lower_ctx {
  ir_graph *g;
  ir_arena *tmp;
  hw_design *d;
  ir_buf **consts;
  stream **S;              /* by tensor id */
  char *done;              /* by node id: lowered */
  hw_unit *units;
  int nunits, cap;
  int count[HW_NKINDS];
} lower_ctx;

static const char *const layout_ops[] = {"Reshape", "Flatten", "Squeeze", "Unsqueeze",
                                         "Identity", "Transpose"};
static const char *const monotone_ops[] = {"Add", "Sub", "Mul", "Div", "BatchNormalization",
                                           "Relu", "Clip", "Sigmoid", "Tanh",
                                           "MultiThreshold", "Identity"};
/* Layout ops a chain may cross when its constants are per tensor. */
static const char *const movable_ops[] = {"DepthToSpace", "Resize", "Transpose", "Reshape",
                                          "Flatten"};

static bool in_list(const char *s, const char *const *list, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!strcmp(s, list[i])) return true;
  return false;
}
#define IN_LIST(s, l) in_list((s), (l), sizeof(l) / sizeof((l)[0]))

static bool is_op(const ir_node *n, const char *op) {
  return n->dom == IR_DOM_ONNX && !strcmp(n->op_type, op);
}

static bool is_quantizer(const ir_node *n) {
  return n->dom == IR_DOM_QONNX &&
         (!strcmp(n->op_type, "Quant") || !strcmp(n->op_type, "IntQuant") ||
          !strcmp(n->op_type, "BipolarQuant"));
}

static ir_node *sole_consumer(const ir_graph *g, const ir_tensor *t) {
  ir_node *c[2];
  if (t->is_output) return NULL;
  return ir_consumers(g, t, c, 2) == 1 ? c[0] : NULL;
}

static double scalar_of(const ir_tensor *t) {
  return t && t->init && t->init->n == 1 ? ir_buf_get(t->init, 0) : NAN;
}

static const ir_buf *const_of(const lower_ctx *X, const ir_tensor *t) {
  if (!t) return NULL;
  return t->init ? t->init : X->consts[t->id];
}

/* Decode a quantizer whose parameter inputs are constants. */
static int decode_quant(const ir_graph *g, const ir_node *n, quant_info *q) {
  memset(q, 0, sizeof *q);
  for (int i = 1; i < n->nin; i++)
    if (!n->in[i] || !n->in[i]->init)
      return ir_errorf(g->file, n, "quantizer parameter input %d is not a constant", i);
  const ir_buf *s = n->in[1]->init;
  if (s->store != IR_F32) return ir_errorf(g->file, n, "scale is not float");
  q->nscale = (int)s->n;
  q->scale = s->f;
  for (int64_t i = 0; i < s->n; i++)
    if (!(s->f[i] > 0)) return ir_errorf(g->file, n, "scale must be positive for hardware");
  if (!strcmp(n->op_type, "BipolarQuant")) {
    q->bipolar = true;
    q->bits = 1;
    q->is_signed = true;
    q->min_int = -1;
    q->max_int = 1;
    return 0;
  }
  const ir_buf *zp = n->in[2]->init;
  for (int64_t i = 0; i < zp->n; i++)
    if (ir_buf_get(zp, i) != 0)
      return ir_errorf(g->file, n, "non-zero zero-point is not supported in hardware yet");
  double bw = scalar_of(n->in[3]);
  if (!(bw >= 1 && bw <= 32 && bw == floor(bw)))
    return ir_errorf(g->file, n, "bitwidth must be a scalar integer in 1..32");
  q->bits = (int)bw;
  q->is_signed = ir_attr_int(n, "signed", 1) != 0;
  q->narrow = ir_attr_int(n, "narrow", 0) != 0;
  if (q->bits == 1 && q->is_signed) {
    q->bipolar = true;
    q->min_int = -1;
    q->max_int = 1;
    return 0;
  }
  if (q->is_signed) {
    q->min_int = -((int64_t)1 << (q->bits - 1)) + (q->narrow ? 1 : 0);
    q->max_int = ((int64_t)1 << (q->bits - 1)) - 1;
  } else {
    q->min_int = 0;
    q->max_int = ((int64_t)1 << q->bits) - 1 - (q->narrow ? 1 : 0);
  }
  return 0;
}

static hw_etype etype_of(const quant_info *q) {
  hw_etype t = {q->bits, q->is_signed, q->bipolar};
  return t;
}

/* Integer level of a quantizer output value y = (q - 0) * s. */
static int64_t level_of(const quant_info *q, float y, int channel) {
  if (q->bipolar) return y >= 0 ? 1 : -1;
  float s = q->scale[q->nscale == 1 ? 0 : channel];
  return (int64_t)llrint((double)y / (double)s);
}

static int bits_for_range(int64_t lo, int64_t hi) {
  int b = 1;
  while (b < 63 && (lo < -((int64_t)1 << (b - 1)) || hi > ((int64_t)1 << (b - 1)) - 1)) b++;
  return b;
}

/* Narrowest element type holding [lo, hi]. */
static hw_etype range_type(int64_t lo, int64_t hi) {
  hw_etype t = {0};
  if (lo >= 0) {
    t.bits = bits_for_range(0, hi) - 1;
    if (t.bits < 1) t.bits = 1;
  } else {
    t.bits = bits_for_range(lo, hi);
    t.is_signed = true;
  }
  return t;
}

/* Narrowest element type holding the integer weights. */
static hw_etype weight_type(const int32_t *w, int64_t n, bool bipolar_ok) {
  int64_t lo = 0, hi = 0;
  bool pm1 = true;
  for (int64_t i = 0; i < n; i++) {
    if (w[i] < lo) lo = w[i];
    if (w[i] > hi) hi = w[i];
    if (w[i] != 1 && w[i] != -1) pm1 = false;
  }
  if (pm1 && bipolar_ok) {
    hw_etype t = {1, true, true};
    return t;
  }
  return range_type(lo, hi);
}

/* ------------------------------------------------------------ units ----- */

static hw_unit *new_unit(lower_ctx *X, hw_kind kind, const ir_node *from) {
  if (X->nunits == X->cap) {
    int cap = X->cap * 2 + 16;
    hw_unit *u = ir_alloc_array(X->g->arena, (size_t)cap, sizeof(hw_unit));
    if (X->nunits) memcpy(u, X->units, (size_t)X->nunits * sizeof(hw_unit));
    X->units = u;
    X->cap = cap;
  }
  hw_unit *u = &X->units[X->nunits++];
  memset(u, 0, sizeof *u);
  u->kind = kind;
  u->name = ir_sprintf(X->g->arena, "%s_%d", hw_kind_name(kind), X->count[kind]++);
  u->onnx_node = from ? from->name : NULL;
  u->numvec = 1;
  u->pe = u->simd = 1;
  u->leader = -1;
  u->ram_style = "auto";
  u->kh = u->kw = u->sh = u->sw = u->dh = u->dw = 1;
  return u;
}

static int unit_index(const lower_ctx *X, const hw_unit *u) { return (int)(u - X->units); }

static void connect(hw_unit *u, int k, const stream *s) {
  u->src[k] = s->unit;
  u->src_port[k] = s->port;
  if (u->nsrc < k + 1) u->nsrc = k + 1;
}

/* ------------------------------------------------------ stream layout --- */

static void perm_identity(stream *s) {
  for (int i = 0; i < s->rank; i++) s->perm[i] = i;
}

/* Position -> logical flat index, or NULL when the stream is in logical order. */
static int64_t *stream_order(lower_ctx *X, const stream *s) {
  if (s->order) return s->order;
  /* Axes of size > 1 in stream order must be increasing for identity. */
  int last = -1;
  bool identity = true;
  for (int k = 0; k < s->rank; k++) {
    if (s->dims[s->perm[k]] == 1) continue;
    if (s->perm[k] < last) identity = false;
    last = s->perm[k];
  }
  if (identity) return NULL;
  int64_t n = ir_shape_numel(s->rank, s->dims);
  int64_t *o = ir_alloc_array(X->g->arena, (size_t)n, sizeof(int64_t));
  int64_t stride[IR_MAX_RANK], idx[IR_MAX_RANK] = {0};
  int64_t st = 1;
  for (int a = s->rank - 1; a >= 0; a--) {
    stride[a] = st;
    st *= s->dims[a];
  }
  for (int64_t p = 0; p < n; p++) {
    int64_t f = 0;
    for (int a = 0; a < s->rank; a++) f += idx[a] * stride[a];
    o[p] = f;
    for (int k = s->rank - 1; k >= 0; k--) { /* next position: odometer over perm */
      int a = s->perm[k];
      if (++idx[a] < s->dims[a]) break;
      idx[a] = 0;
    }
  }
  return o;
}

/* Is the stream an NCHW tensor of batch 1 in NHWC order?  Gives C, H, W. */
static bool spatial(lower_ctx *X, const stream *s, int *C, int *H, int *W) {
  if (s->rank != 4 || s->dims[0] != 1) return false;
  *C = (int)s->dims[1];
  *H = (int)s->dims[2];
  *W = (int)s->dims[3];
  stream t = *s;
  t.order = NULL;
  int nhwc[4] = {0, 2, 3, 1};
  memcpy(t.perm, nhwc, sizeof nhwc);
  int64_t *want = stream_order(X, &t), *have = stream_order(X, s);
  int64_t n = ir_shape_numel(4, s->dims);
  for (int64_t p = 0; p < n; p++)
    if ((want ? want[p] : p) != (have ? have[p] : p)) return false;
  return true;
}

static void set_nchw(stream *s, int C, int H, int W) {
  s->rank = 4;
  s->dims[0] = 1;
  s->dims[1] = C;
  s->dims[2] = H;
  s->dims[3] = W;
  s->perm[0] = 0;
  s->perm[1] = 2;
  s->perm[2] = 3;
  s->perm[3] = 1;
  s->order = NULL;
}

/* A fresh stream out of port 0 of unit u. */
static stream *out_stream(lower_ctx *X, const hw_unit *u, const stream *like) {
  stream *s = ir_alloc(X->tmp, sizeof *s);
  if (like) *s = *like;
  s->unit = unit_index(X, u);
  s->port = 0;
  s->ncons = s->taken = 0;
  s->branches = NULL;
  s->acc = false;
  return s;
}

static int count_consumers(const lower_ctx *X, const ir_tensor *t) {
  ir_node *c[64];
  return ir_consumers(X->g, t, c, 64) + (t->is_output ? 1 : 0);
}

static void bind(lower_ctx *X, ir_tensor *t, stream *s) {
  s->ncons = count_consumers(X, t);
  X->S[t->id] = s;
}

/* The stream a consumer reads from tensor t: the stream itself, or, when t has
 * several consumers, the next output of a chain of dups. */
static stream *take(lower_ctx *X, ir_tensor *t, const ir_node *by) {
  stream *s = X->S[t->id];
  if (s->ncons <= 1) return s;
  if (!s->branches) {
    s->branches = ir_alloc_array(X->tmp, (size_t)s->ncons, sizeof(stream));
    stream cur = *s;
    for (int b = 0; b < s->ncons - 1; b++) {
      hw_unit *u = new_unit(X, HW_DUP, by);
      int C, H, W;
      if (spatial(X, &cur, &C, &H, &W)) {
        u->mh = C;
        u->numvec = H * W;
      } else {
        u->mh = (int)ir_shape_numel(cur.rank, cur.dims);
        u->numvec = 1;
      }
      u->in = u->out = cur.et;
      connect(u, 0, &cur);
      s->branches[b] = cur;
      s->branches[b].unit = unit_index(X, u);
      s->branches[b].port = 0;
      cur.unit = unit_index(X, u);
      cur.port = 1;
    }
    s->branches[s->ncons - 1] = cur;
    for (int b = 0; b < s->ncons; b++) {
      s->branches[b].ncons = 1;
      s->branches[b].branches = NULL;
    }
  }
  if (s->taken >= s->ncons) return &s->branches[s->ncons - 1];
  return &s->branches[s->taken++];
}

/* ------------------------------------------------------------ weights ---- */

/* Integer weights of a constant weight tensor: a quantizer of an initializer
 * (its output values divided by the scale) or an integer-annotated
 * initializer (scale 1).  w[i] and the scale of element i's `axis` index. */
typedef struct weights {
  int64_t n;
  int32_t *q;
  float *scale;            /* per element */
  bool bipolar;
} weights;

static int decode_weights(lower_ctx *X, const ir_node *user, ir_tensor *t, weights *W) {
  ir_graph *g = X->g;
  ir_node *p = t->producer;
  memset(W, 0, sizeof *W);
  if (!p && t->init && ir_dtype_is_integer(t->dtype)) {
    const ir_buf *b = t->init;
    W->n = b->n;
    W->q = ir_alloc_array(X->tmp, (size_t)b->n, sizeof(int32_t));
    W->scale = ir_alloc_array(X->tmp, (size_t)b->n, sizeof(float));
    W->bipolar = t->dtype.kind == QDT_BIPOLAR;
    for (int64_t i = 0; i < b->n; i++) {
      double v = ir_buf_get(b, i);
      if (v != floor(v) || fabs(v) > 1e9)
        return ir_errorf(g->file, user, "integer-annotated weights '%s' hold a non-integer value",
                         t->name);
      W->q[i] = (int32_t)v;
      W->scale[i] = 1.0f;
    }
    return 0;
  }
  if (!p || !is_quantizer(p) || !p->in[0]->init || !X->consts[t->id])
    return ir_errorf(g->file, user, "weights are not a quantized constant "
                                    "(expected Quant/BipolarQuant of an initializer)");
  quant_info wq;
  if (decode_quant(g, p, &wq)) return -1;
  const ir_buf *v = X->consts[t->id], *s = p->in[1]->init;
  W->n = v->n;
  W->bipolar = wq.bipolar;
  W->q = ir_alloc_array(X->tmp, (size_t)v->n, sizeof(int32_t));
  W->scale = ir_alloc_array(X->tmp, (size_t)v->n, sizeof(float));
  /* scale broadcast to the weight shape (numpy rules, right-aligned) */
  int64_t vst[IR_MAX_RANK], sst[IR_MAX_RANK];
  int64_t a = 1, b = 1;
  for (int i = v->rank - 1; i >= 0; i--) {
    vst[i] = a;
    a *= v->dims[i];
  }
  for (int i = s->rank - 1; i >= 0; i--) {
    sst[i] = b;
    b *= s->dims[i];
  }
  int off = v->rank - s->rank;
  if (off < 0) return ir_errorf(g->file, p, "weight scale has a higher rank than the weights");
  for (int64_t i = 0; i < v->n; i++) {
    int64_t si = 0;
    for (int k = 0; k < s->rank; k++) {
      int64_t idx = (i / vst[k + off]) % v->dims[k + off];
      if (s->dims[k] != 1) si += idx * sst[k];
    }
    float sc = s->f[si], x = v->f[i];
    W->scale[i] = sc;
    W->q[i] = wq.bipolar ? (x >= 0 ? 1 : -1) : (int32_t)llrint((double)x / (double)sc);
  }
  return 0;
}

/* One linear layer: mh output channels, mw inputs per output (in the order
 * the hardware streams them), weights qw[mh][mw], per-channel scales sw. */
typedef struct layer {
  ir_node *mm;
  int mw, mh;
  int32_t *qw;
  float *sw;
  bool bipolar_w;
  requant rq;
} layer;

/* MatMul / Gemm weights [mw][mh] (or [mh][mw] with transB / a Transpose). */
static int matmul_weights(lower_ctx *X, layer *L) {
  ir_graph *g = X->g;
  ir_node *mm = L->mm;
  bool gemm = !strcmp(mm->op_type, "Gemm");
  bool trans = gemm && ir_attr_int(mm, "transB", 0);
  if (gemm && ir_attr_int(mm, "transA", 0))
    return ir_errorf(g->file, mm, "Gemm with transA=1 is not supported in hardware");
  ir_tensor *b = mm->in[1];
  ir_node *p = b->producer;
  if (p && !strcmp(p->op_type, "Transpose") && p->in[0]->rank == 2) {
    const ir_attr *perm = ir_attr_find(p, "perm");
    if (perm && perm->n == 2 && perm->ints[0] == 0)
      return ir_errorf(g->file, p, "identity Transpose on weights is unexpected");
    trans = !trans;
    b = p->in[0];
  }
  if (b->rank != 2) return ir_errorf(g->file, mm, "weights must be a 2-D matrix");
  weights W;
  if (decode_weights(X, mm, b, &W)) return -1;
  int64_t r = b->dims[0], c = b->dims[1];
  L->mh = (int)(trans ? r : c);
  L->mw = (int)(trans ? c : r);
  L->bipolar_w = W.bipolar;
  L->qw = ir_alloc_array(g->arena, (size_t)(r * c), sizeof(int32_t));
  L->sw = ir_alloc_array(g->arena, (size_t)L->mh, sizeof(float));
  for (int64_t i = 0; i < r; i++)
    for (int64_t k = 0; k < c; k++) {
      int64_t j = trans ? i : k, col = trans ? k : i; /* output channel, input index */
      float sc = W.scale[i * c + k];
      L->qw[j * L->mw + col] = W.q[i * c + k];
      if (col == 0) {
        L->sw[j] = sc;
      } else if (L->sw[j] != sc) {
        return ir_errorf(g->file, mm, "weight scale varies along the input dimension; "
                                      "only per-output-channel scales can go to hardware");
      }
    }
  requant *rq = &L->rq;
  rq->alpha = rq->beta = 1.0f;
  rq->div = 1;
  if (gemm) {
    rq->alpha = ir_attr_float(mm, "alpha", 1.0f);
    rq->beta = ir_attr_float(mm, "beta", 1.0f);
    if (mm->nin > 2 && mm->in[2]) {
      const ir_buf *cb = const_of(X, mm->in[2]);
      if (!cb || cb->store != IR_F32 || (cb->n != 1 && cb->n != L->mh))
        return ir_errorf(g->file, mm, "Gemm bias must be a constant per-channel vector");
      rq->bias = cb->f;
      rq->nbias = (int)cb->n;
    }
  }
  return 0;
}

/* --------------------------------------------------------- thresholds --- */

/* Follow single consumers from rq->start through monotone element-wise ops
 * with constant operands (and, when every constant is per tensor, layout ops)
 * to an activation quantizer.  Without a quantizer the chain is empty. */
static int find_chain(lower_ctx *X, requant *rq) {
  ir_graph *g = X->g;
  ir_tensor *t = rq->start;
  int64_t numel = ir_shape_numel(t->rank, t->dims);
  rq->chain = ir_alloc_array(X->tmp, 16, sizeof(ir_node *));
  rq->moved = ir_alloc_array(X->tmp, 16, sizeof(ir_node *));
  rq->nchain = rq->nmoved = 0;
  rq->act = NULL;
  for (;;) {
    ir_node *c = sole_consumer(g, t);
    if (!c || c->in[0] != t) break;
    bool consts = true, scalars = true;
    for (int i = 1; i < c->nin; i++) {
      if (!c->in[i]) continue;
      const ir_buf *v = const_of(X, c->in[i]);
      if (!v) consts = false;
      else if (v->n != 1 && !(i > 1 && is_quantizer(c))) scalars = false;
    }
    if (!consts) break;
    if (is_quantizer(c)) {
      quant_info q;
      if (decode_quant(g, c, &q)) return -1;
      if (rq->nmoved && q.nscale != 1) break;
      rq->yq = q;
      rq->act = c;
      return 0;
    }
    if (rq->nchain + rq->nmoved == 16) break;
    if (c->dom == IR_DOM_ONNX && IN_LIST(c->op_type, movable_ops) &&
        ir_shape_numel(c->out[0]->rank, c->out[0]->dims) == numel) {
      rq->moved[rq->nmoved++] = c;
      t = c->out[0];
      continue;
    }
    if (!IN_LIST(c->op_type, monotone_ops)) break;
    if (!strcmp(c->op_type, "Div") && c->in[1] == t) break;
    if (rq->nmoved && !scalars) break;
    if (ir_shape_numel(c->out[0]->rank, c->out[0]->dims) != numel) break;
    rq->chain[rq->nchain++] = c;
    t = c->out[0];
  }
  rq->nchain = rq->nmoved = 0;
  rq->act = NULL;
  return 0;
}

static float rq_value(const requant *rq, int j, int64_t acc) {
  double m = rq->mult[rq->nmult == 1 ? 0 : j];
  const float *b = rq->bias ? &rq->bias[rq->nbias == 1 ? 0 : j] : NULL;
  if (rq->bias_double) return (float)((b ? (double)*b : 0.0) + m * (double)acc);
  float v = rq->div != 1 ? (float)(m * (double)acc / rq->div) : (float)(m * (double)acc);
  if (rq->alpha != 1.0f) v = rq->alpha * v;
  if (b) v = v + rq->beta * *b;
  return v;
}

/* Evaluate chain + quantizer for one accumulator per channel. */
static int eval_levels(lower_ctx *X, const requant *rq, const int64_t *acc, int64_t *level) {
  ir_graph *g = X->g;
  ir_arena *a = ir_arena_new();
  ir_exec_ctx ctx = {a, g};
  ir_buf **vals = ir_alloc_array(a, (size_t)g->ntensors, sizeof(ir_buf *));
  memcpy(vals, X->consts, (size_t)g->ntensors * sizeof(ir_buf *));
  const ir_tensor *m = rq->start;
  int64_t dims[IR_MAX_RANK];
  int cax = m->rank == 4 ? 1 : m->rank - 1;
  for (int i = 0; i < m->rank; i++) dims[i] = i == cax ? rq->nch : 1;
  ir_buf *v = ir_buf_new(a, IR_F32, ONNX_FLOAT, m->rank, dims);
  for (int j = 0; j < rq->nch; j++) v->f[j] = rq_value(rq, j, acc[j]);
  vals[m->id] = v;
  int rc = 0;
  /* The value ops read the previous op's output; moved layout ops are skipped. */
  const ir_tensor *cur = m;
  for (int k = 0; k <= rq->nchain && !rc; k++) {
    ir_node *n = k < rq->nchain ? rq->chain[k] : rq->act;
    ir_buf *saved = vals[n->in[0]->id];
    vals[n->in[0]->id] = vals[cur->id];
    rc = ir_exec_nodes(&ctx, &n, 1, vals);
    if (n->in[0] != cur) vals[n->in[0]->id] = saved;
    cur = n->out[0];
  }
  if (!rc) {
    const ir_buf *y = vals[rq->act->out[0]->id];
    for (int j = 0; j < rq->nch; j++) level[j] = level_of(&rq->yq, y->f[j], j);
  }
  ir_arena_free(a);
  return rc;
}

/* Thresholds of u (nthresh, thresholds, out_bias, out) for channels with
 * accumulator ranges [lo, hi] by binary search over the executor.  A channel
 * whose levels decrease is flipped: neg[j] = 1 and lo/hi are negated (the
 * caller negates that weight row); without neg that is an error. */
static int search_thresholds(lower_ctx *X, const requant *rq, int64_t *lo, int64_t *hi,
                             int8_t *neg, hw_unit *u) {
  ir_graph *g = X->g;
  int nch = rq->nch;
  ir_arena *tmp = X->tmp;
  int64_t *flo = ir_alloc_array(tmp, (size_t)nch, sizeof(int64_t));
  int64_t *fhi = ir_alloc_array(tmp, (size_t)nch, sizeof(int64_t));
  int8_t *ng = neg ? neg : ir_alloc(tmp, (size_t)nch);
  if (eval_levels(X, rq, lo, flo) || eval_levels(X, rq, hi, fhi)) return -1;
  for (int j = 0; j < nch; j++) {
    ng[j] = 0;
    if (flo[j] > fhi[j]) {
      if (!neg)
        return ir_errorf(g->file, rq->act, "activation of channel %d decreases with its input; "
                                           "only increasing activations can follow this unit", j);
      ng[j] = 1;
      int64_t t = lo[j];
      lo[j] = -hi[j];
      hi[j] = -t;
    }
  }
  const quant_info *yq = &rq->yq;
  int T = (int)(yq->bipolar ? 1 : yq->max_int - yq->min_int);
  if (T > 65535) return ir_errorf(g->file, rq->act, "%d thresholds per channel are too many", T);
  u->nthresh = T;
  u->out_bias = yq->bipolar ? 0 : (int)yq->min_int;
  u->out = etype_of(yq);
  u->thresholds = ir_alloc_array(g->arena, (size_t)nch * (size_t)T, sizeof(int64_t));
  int64_t *a = ir_alloc_array(tmp, (size_t)nch, sizeof(int64_t));
  int64_t *lv = ir_alloc_array(tmp, (size_t)nch, sizeof(int64_t));
  int64_t *blo = ir_alloc_array(tmp, (size_t)nch, sizeof(int64_t));
  int64_t *bhi = ir_alloc_array(tmp, (size_t)nch, sizeof(int64_t));
  for (int k = 1; k <= T; k++) {
    /* Smallest a in [lo, hi+1] with level(a) >= target (hi+1: never). */
    int64_t target = yq->bipolar ? 1 : yq->min_int + k;
    for (int j = 0; j < nch; j++) {
      blo[j] = lo[j];
      bhi[j] = hi[j] + 1;
    }
    for (;;) {
      bool busy = false;
      for (int j = 0; j < nch; j++) {
        a[j] = blo[j] + (bhi[j] - blo[j]) / 2;
        if (blo[j] < bhi[j]) busy = true;
        a[j] = ng[j] ? -a[j] : a[j];
      }
      if (!busy) break;
      if (eval_levels(X, rq, a, lv)) return -1;
      for (int j = 0; j < nch; j++) {
        if (blo[j] >= bhi[j]) continue;
        int64_t mid = blo[j] + (bhi[j] - blo[j]) / 2;
        if (lv[j] >= target) bhi[j] = mid;
        else blo[j] = mid + 1;
      }
    }
    for (int j = 0; j < nch; j++) u->thresholds[(size_t)j * T + (k - 1)] = blo[j];
  }
  /* Check monotonicity where it matters: just below and at every threshold. */
  for (int k = 1; k <= T; k++) {
    int64_t target = yq->bipolar ? 1 : yq->min_int + k;
    for (int side = 0; side < 2; side++) {
      for (int j = 0; j < nch; j++) {
        int64_t t = u->thresholds[(size_t)j * T + (k - 1)] - (side ? 0 : 1);
        if (t < lo[j]) t = lo[j];
        if (t > hi[j]) t = hi[j];
        a[j] = ng[j] ? -t : t;
      }
      if (eval_levels(X, rq, a, lv)) return -1;
      for (int j = 0; j < nch; j++) {
        int64_t t = u->thresholds[(size_t)j * T + (k - 1)] - (side ? 0 : 1);
        if (t < lo[j] || t > hi[j]) continue;
        if ((lv[j] >= target) != (side == 1))
          return ir_errorf(g->file, rq->act, "activation of channel %d is not monotone in the "
                                             "accumulator; cannot express it as thresholds", j);
      }
    }
  }
  return 0;
}

static void acc_range(hw_etype in, const int32_t *w, int mw, int64_t *lo, int64_t *hi) {
  int64_t xmin = (int64_t)hw_etype_min(in), xmax = (int64_t)hw_etype_max(in);
  *lo = *hi = 0;
  for (int i = 0; i < mw; i++) {
    int64_t a = w[i] * xmin, b = w[i] * xmax;
    *lo += a < b ? a : b;
    *hi += a < b ? b : a;
  }
}

static void set_acc_width(hw_unit *u, const int64_t *lo, const int64_t *hi, int n) {
  int64_t amin = lo[0], amax = hi[0];
  for (int j = 1; j < n; j++) {
    if (lo[j] < amin) amin = lo[j];
    if (hi[j] > amax) amax = hi[j];
  }
  if (amin > 0) amin = 0;
  if (amax < 0) amax = 0;
  u->acc_min = amin;
  u->acc_max = amax;
  u->acc_bits = bits_for_range(amin, amax);
}

/* ------------------------------------------------------ layout ops ------ */

/* Reshape-like ops keep the logical flat order; Transpose permutes axes. */
static stream *relayout(lower_ctx *X, const ir_node *n, const stream *in) {
  const ir_tensor *o = n->out[0];
  stream *s = ir_alloc(X->tmp, sizeof *s);
  *s = *in;
  s->branches = NULL;
  s->ncons = s->taken = 0;
  s->rank = o->rank;
  memcpy(s->dims, o->dims, sizeof(int64_t) * (size_t)o->rank);
  if (!strcmp(n->op_type, "Transpose") && !in->order) {
    int p[IR_MAX_RANK], pinv[IR_MAX_RANK];
    const ir_attr *pa = ir_attr_find(n, "perm");
    for (int i = 0; i < in->rank; i++) p[i] = pa && pa->n == in->rank ? (int)pa->ints[i] : in->rank - 1 - i;
    for (int i = 0; i < in->rank; i++) pinv[p[i]] = i;
    for (int k = 0; k < in->rank; k++) s->perm[k] = pinv[in->perm[k]];
    s->order = NULL;
    return s;
  }
  if (!strcmp(n->op_type, "Transpose")) {
    /* explicit order: map old flat index -> new flat index */
    int p[IR_MAX_RANK];
    const ir_attr *pa = ir_attr_find(n, "perm");
    for (int i = 0; i < in->rank; i++) p[i] = pa && pa->n == in->rank ? (int)pa->ints[i] : in->rank - 1 - i;
    int64_t n_el = ir_shape_numel(in->rank, in->dims);
    int64_t ist[IR_MAX_RANK], ost[IR_MAX_RANK], a = 1, b = 1;
    for (int i = in->rank - 1; i >= 0; i--) {
      ist[i] = a;
      a *= in->dims[i];
      ost[i] = b;
      b *= o->dims[i];
    }
    int64_t *ord = ir_alloc_array(X->g->arena, (size_t)n_el, sizeof(int64_t));
    for (int64_t q = 0; q < n_el; q++) {
      int64_t f = in->order[q], nf = 0;
      for (int i = 0; i < in->rank; i++) nf += ((f / ist[p[i]]) % in->dims[p[i]]) * ost[i];
      ord[q] = nf;
    }
    s->order = ord;
    return s;
  }
  /* flat order kept */
  s->order = stream_order(X, in);
  perm_identity(s);
  return s;
}

/* ------------------------------------------------------------ lowering -- */

static int need_quantized(lower_ctx *X, const ir_node *n, const stream *x) {
  if (x->acc)
    return ir_errorf(X->g->file, n, "its input is an accumulator without an activation "
                                    "quantizer; hardware layers need quantized inputs");
  return 0;
}

static int need_spatial(lower_ctx *X, const ir_node *n, const stream *x, int *C, int *H, int *W) {
  if (!spatial(X, x, C, H, W))
    return ir_errorf(X->g->file, n, "input must be a [1, C, H, W] tensor for hardware "
                                    "(layout of '%s' not supported)", n->in[0]->name);
  return 0;
}

/* ints attribute with a default for each of n entries. */
static void attr_ints(const ir_node *n, const char *name, int64_t *v, int cnt, int64_t dflt) {
  const ir_attr *a = ir_attr_find(n, name);
  for (int i = 0; i < cnt; i++) v[i] = a && a->n == cnt ? a->ints[i] : dflt;
}

static int window_attrs(lower_ctx *X, const ir_node *n, int64_t k[2], int64_t s[2], int64_t d[2],
                        int64_t p[4]) {
  const char *ap = ir_attr_str(n, "auto_pad", "NOTSET");
  if (strcmp(ap, "NOTSET") && strcmp(ap, "VALID"))
    return ir_errorf(X->g->file, n, "auto_pad=%s is not supported in hardware; "
                                    "give explicit pads", ap);
  attr_ints(n, "strides", s, 2, 1);
  attr_ints(n, "dilations", d, 2, 1);
  int64_t pads[4];
  attr_ints(n, "pads", pads, 4, 0);
  p[0] = pads[0]; /* top */
  p[1] = pads[2]; /* bottom */
  p[2] = pads[1]; /* left */
  p[3] = pads[3]; /* right */
  (void)k;
  return 0;
}

/* [pad] [swg] in front of a unit reading windows: returns the stream the
 * unit reads (the swg's output, or x itself for 1x1 windows). */
static stream *window_front(lower_ctx *X, const ir_node *n, stream *x, int C, int H, int W,
                            const int64_t k[2], const int64_t s[2], const int64_t d[2],
                            const int64_t p[4], int64_t pad_value, bool dw_order, int *first) {
  *first = X->nunits;
  stream *cur = x;
  int h = H, w = W;
  if (p[0] || p[1] || p[2] || p[3]) {
    hw_unit *u = new_unit(X, HW_PAD, n);
    u->c = C;
    u->ih = H;
    u->iw = W;
    for (int i = 0; i < 4; i++) u->pad[i] = (int)p[i];
    u->pad_value = pad_value;
    u->in = u->out = x->et;
    connect(u, 0, cur);
    cur = out_stream(X, u, cur);
    h = H + (int)(p[0] + p[1]);
    w = W + (int)(p[2] + p[3]);
  }
  if (k[0] == 1 && k[1] == 1 && s[0] == 1 && s[1] == 1) return cur;
  hw_unit *u = new_unit(X, HW_SWG, n);
  u->c = C;
  u->ih = h;
  u->iw = w;
  u->kh = (int)k[0];
  u->kw = (int)k[1];
  u->sh = (int)s[0];
  u->sw = (int)s[1];
  u->dh = (int)d[0];
  u->dw = (int)d[1];
  u->dw_order = dw_order;
  u->in = u->out = x->et;
  int oh = (h - (u->kh - 1) * u->dh - 1) / u->sh + 1, ow = (w - (u->kw - 1) * u->dw - 1) / u->sw + 1;
  u->numvec = oh * ow;
  u->mw = u->kh * u->kw * C;
  connect(u, 0, cur);
  return out_stream(X, u, cur);
}

/* The units [first, leader) follow the folding of `leader`. */
static void set_leader(lower_ctx *X, int first, int leader) {
  for (int i = first; i < leader; i++)
    if (X->units[i].kind == HW_PAD || X->units[i].kind == HW_SWG) X->units[i].leader = leader;
}

static double *mults(lower_ctx *X, int n, double xs, const float *sw) {
  double *m = ir_alloc_array(X->tmp, (size_t)n, sizeof(double));
  for (int j = 0; j < n; j++) m[j] = (double)xs * (double)(sw ? sw[j] : 1.0f);
  return m;
}

/* The stream after the quantizer of rq: bound to the quantizer's output, with
 * the moved layout ops applied.  `u` produced the quantized levels in the
 * layout of rq->start. */
static int lower_node_shape(lower_ctx *X, ir_node *n, stream *x, stream **out);

static int finish_chain(lower_ctx *X, const requant *rq, hw_unit *u, stream *at_start) {
  stream *s = out_stream(X, u, at_start);
  s->et = u->out;
  s->q = rq->yq;
  /* The per-unit check (hw_check_float) compares u's levels with the
   * quantizer's output; after moved layout ops only the end result can be. */
  if (rq->nmoved) u->act_out = NULL;
  else u->act_order = stream_order(X, s);
  for (int k = 0; k < rq->nchain; k++) X->done[rq->chain[k]->id] = 1;
  for (int k = 0; k < rq->nmoved; k++) {
    stream *o;
    if (lower_node_shape(X, rq->moved[k], s, &o)) return -1;
    s = o;
    X->done[rq->moved[k]->id] = 1;
  }
  X->done[rq->act->id] = 1;
  s->rank = rq->act->out[0]->rank;
  memcpy(s->dims, rq->act->out[0]->dims, sizeof(int64_t) * (size_t)s->rank);
  bind(X, rq->act->out[0], s);
  return 0;
}

/* MatMul / Gemm / Conv with constant quantized weights. */
static int lower_linear(lower_ctx *X, ir_node *mm) {
  ir_graph *g = X->g;
  layer L;
  memset(&L, 0, sizeof L);
  L.mm = mm;
  stream *x0 = X->S[mm->in[0]->id];
  if (need_quantized(X, mm, x0)) return -1;
  if (x0->q.nscale != 1)
    return ir_errorf(g->file, mm, "input '%s' has per-channel scales; hardware layers need "
                                  "a per-tensor input scale", mm->in[0]->name);
  bool conv = is_op(mm, "Conv");
  int C = 0, H = 0, W = 0, OC = 0, OH = 1, OW = 1, group = 1, KK = 1;
  int64_t k[2] = {1, 1}, st[2], dl[2], pd[4];
  weights Wt;
  bool depthwise = false;
  if (conv) {
    if (need_spatial(X, mm, x0, &C, &H, &W)) return -1;
    ir_tensor *wt = mm->in[1];
    if (wt->rank != 4) return ir_errorf(g->file, mm, "only 2-D convolutions go to hardware");
    if (window_attrs(X, mm, k, st, dl, pd)) return -1;
    k[0] = wt->dims[2];
    k[1] = wt->dims[3];
    KK = (int)(k[0] * k[1]);
    OC = (int)wt->dims[0];
    group = (int)ir_attr_int(mm, "group", 1);
    if (group < 1 || C % group || OC % group || wt->dims[1] != C / group)
      return ir_errorf(g->file, mm, "group=%d does not divide the channels", group);
    OH = (int)mm->out[0]->dims[2];
    OW = (int)mm->out[0]->dims[3];
    if (decode_weights(X, mm, wt, &Wt)) return -1;
    depthwise = group == C && OC == C && C > 1;
    int64_t per = wt->dims[1] * KK;
    L.mh = OC;
    L.sw = ir_alloc_array(g->arena, (size_t)OC, sizeof(float));
    for (int j = 0; j < OC; j++) {
      L.sw[j] = Wt.scale[j * per];
      for (int64_t i = 1; i < per; i++)
        if (Wt.scale[j * per + i] != L.sw[j])
          return ir_errorf(g->file, mm, "weight scale varies within output channel %d; only "
                                        "per-output-channel scales can go to hardware", j);
    }
    L.bipolar_w = Wt.bipolar;
    if (depthwise) {
      L.mw = KK;
      L.qw = ir_alloc_array(g->arena, (size_t)OC * KK, sizeof(int32_t));
      memcpy(L.qw, Wt.q, (size_t)OC * KK * sizeof(int32_t));
    } else {
      /* im2col columns in (kh, kw, c) order, zeros outside the channel group */
      L.mw = KK * C;
      L.qw = ir_alloc_array(g->arena, (size_t)OC * L.mw, sizeof(int32_t));
      int cg = C / group, og = OC / group;
      for (int j = 0; j < OC; j++)
        for (int ci = 0; ci < cg; ci++)
          for (int t = 0; t < KK; t++) {
            int c = (j / og) * cg + ci;
            L.qw[(size_t)j * L.mw + (size_t)t * C + c] = Wt.q[((int64_t)j * cg + ci) * KK + t];
          }
    }
    if (x0->et.bipolar && (pd[0] || pd[1] || pd[2] || pd[3]))
      return ir_errorf(g->file, mm, "zero padding of a bipolar input cannot be represented "
                                    "in hardware");
    L.rq.bias_double = true;
    if (mm->nin > 2 && mm->in[2]) {
      const ir_buf *cb = const_of(X, mm->in[2]);
      if (!cb || cb->store != IR_F32 || cb->n != OC)
        return ir_errorf(g->file, mm, "Conv bias must be a constant per-channel vector");
      L.rq.bias = cb->f;
      L.rq.nbias = (int)cb->n;
    }
    L.rq.div = 1;
    L.rq.alpha = L.rq.beta = 1.0f;
  } else {
    if (matmul_weights(X, &L)) return -1;
    if (ir_shape_numel(x0->rank, x0->dims) != L.mw || mm->in[0]->dims[0] != 1)
      return ir_errorf(g->file, mm, "hardware layers take a [1, N] input matching the weights");
  }
  requant *rq = &L.rq;
  rq->start = mm->out[0];
  rq->nch = L.mh;
  rq->mult = mults(X, L.mh, x0->q.scale[0], L.sw);
  rq->nmult = L.mh;
  if (find_chain(X, rq)) return -1;

  /* Units: take the input (a dup branch if shared), windows, then the mvu/vvu. */
  stream *x = take(X, mm->in[0], mm);
  int first = X->nunits;
  stream *win = x;
  if (conv) win = window_front(X, mm, x, C, H, W, k, st, dl, pd, 0, depthwise, &first);
  hw_unit *u = new_unit(X, depthwise ? HW_VVU : HW_MVU, mm);
  int ui = unit_index(X, u);
  connect(u, 0, win);
  u->in = x->et;
  u->mw = L.mw;
  u->mh = L.mh;
  u->numvec = conv ? OH * OW : 1;
  u->weights = L.qw;
  if (conv) set_leader(X, first, ui);
  if (!conv) {
    /* the stream's order permutes the weight columns */
    int64_t *ord = stream_order(X, x);
    if (ord) {
      int32_t *pw = ir_alloc_array(g->arena, (size_t)L.mh * L.mw, sizeof(int32_t));
      for (int j = 0; j < L.mh; j++)
        for (int p = 0; p < L.mw; p++) pw[(size_t)j * L.mw + p] = L.qw[(size_t)j * L.mw + ord[p]];
      u->weights = L.qw = pw;
    }
  }
  u->lane_memo = hw_lane_memo_new(g->arena);
  int64_t *lo = ir_alloc_array(X->tmp, (size_t)L.mh, sizeof(int64_t));
  int64_t *hi = ir_alloc_array(X->tmp, (size_t)L.mh, sizeof(int64_t));
  for (int j = 0; j < L.mh; j++) acc_range(u->in, L.qw + (size_t)j * L.mw, L.mw, &lo[j], &hi[j]);
  ir_progress("streamline: %s %s (%d -> %d%s)%s", u->name, mm->name, L.mw, L.mh,
              conv ? ir_sprintf(X->tmp, ", %dx%d pixels", OH, OW) : "",
              rq->act ? ", thresholds by search" : "");
  if (rq->act) {
    int8_t *neg = ir_alloc(X->tmp, (size_t)L.mh);
    if (search_thresholds(X, rq, lo, hi, neg, u)) return -1;
    for (int j = 0; j < L.mh; j++)
      if (neg[j])
        for (int i = 0; i < L.mw; i++) L.qw[(size_t)j * L.mw + i] = -L.qw[(size_t)j * L.mw + i];
  }
  set_acc_width(u, lo, hi, L.mh);
  u->w = weight_type(L.qw, (int64_t)L.mh * L.mw, true);
  u->onnx_act = rq->act ? rq->act->name : NULL;
  if (rq->act) {
    u->act_out = rq->act->out[0];
    u->act_scale = rq->yq.scale;
    u->act_nscale = rq->yq.nscale;
  }
  stream at = *x;
  if (conv) set_nchw(&at, OC, OH, OW);
  else {
    at.rank = mm->out[0]->rank;
    memcpy(at.dims, mm->out[0]->dims, sizeof(int64_t) * (size_t)at.rank);
    perm_identity(&at);
    at.order = NULL;
  }
  X->done[mm->id] = 1;
  if (rq->act) return finish_chain(X, rq, u, &at);
  /* No activation: the accumulators leave the hardware (post_acc). */
  if (conv) return ir_errorf(g->file, mm, "a Conv without an activation quantizer cannot end "
                                          "the hardware yet");
  u->nthresh = 0;
  u->out.bits = u->acc_bits;
  u->out.is_signed = true;
  stream *s = out_stream(X, u, &at);
  s->et = u->out;
  s->acc = true;
  bind(X, mm->out[0], s);
  X->d->post_acc = true;
  X->d->post_sx = x->q.scale[0];
  X->d->post_sw = L.sw;
  X->d->post_alpha = rq->alpha;
  X->d->post_beta = rq->beta;
  X->d->post_bias = rq->bias;
  X->d->post_nbias = rq->nbias;
  return 0;
}

/* Level range of a stream's elements. */
static void level_range(const stream *x, int64_t *lo, int64_t *hi) {
  *lo = (int64_t)hw_etype_min(x->et);
  *hi = (int64_t)hw_etype_max(x->et);
}

/* Channels of a stream for per-channel constants: C of a spatial stream,
 * else the element count (one "channel" per element). */
static int stream_channels(lower_ctx *X, const stream *x, int64_t *pixels) {
  int C, H, W;
  if (spatial(X, x, &C, &H, &W)) {
    *pixels = (int64_t)H * W;
    return C;
  }
  *pixels = 1;
  return (int)ir_shape_numel(x->rank, x->dims);
}

/* A standalone threshold unit reading accumulators `acc_type` in [lo, hi]
 * per channel of stream x's layout, for the chain in rq. */
static int threshold_after(lower_ctx *X, const requant *rq, const ir_node *from, stream *x,
                           int64_t lo, int64_t hi) {
  int64_t pixels;
  int nch = stream_channels(X, x, &pixels);
  if (nch != rq->nch) return ir_errorf(X->g->file, from, "channel count mismatch in lowering");
  hw_unit *u = new_unit(X, HW_THRESHOLD, from);
  connect(u, 0, x);
  u->in = x->et;
  u->mh = u->mw = nch;
  u->numvec = (int)pixels;
  int64_t *l = ir_alloc_array(X->tmp, (size_t)nch, sizeof(int64_t));
  int64_t *h = ir_alloc_array(X->tmp, (size_t)nch, sizeof(int64_t));
  for (int j = 0; j < nch; j++) {
    l[j] = lo;
    h[j] = hi;
  }
  if (search_thresholds(X, rq, l, h, NULL, u)) return -1;
  u->acc_min = lo;
  u->acc_max = hi;
  u->acc_bits = hw_etype_bits(x->et);
  u->onnx_act = rq->act->name;
  u->act_out = rq->act->out[0];
  u->act_scale = rq->yq.scale;
  u->act_nscale = rq->yq.nscale;
  /* A flat stream in another order: thresholds follow the stream positions. */
  int64_t *ord = pixels == 1 ? stream_order(X, x) : NULL;
  if (ord) {
    int T = u->nthresh;
    int64_t *t = ir_alloc_array(X->g->arena, (size_t)nch * T, sizeof(int64_t));
    for (int p = 0; p < nch; p++)
      memcpy(t + (size_t)p * T, u->thresholds + (size_t)ord[p] * T, (size_t)T * sizeof(int64_t));
    u->thresholds = t;
  }
  ir_progress("streamline: %s %s (%d channels, %d thresholds)", u->name, rq->act->name, nch,
              u->nthresh);
  return finish_chain(X, rq, u, x);
}

/* A chain + quantizer directly on a quantized stream: a threshold unit. */
static int lower_requant(lower_ctx *X, ir_node *n) {
  stream *x0 = X->S[n->in[0]->id];
  if (x0->acc || x0->et.bipolar) return 1;
  requant rq;
  memset(&rq, 0, sizeof rq);
  rq.start = n->in[0];
  int64_t pixels;
  rq.nch = stream_channels(X, x0, &pixels);
  rq.div = 1;
  rq.alpha = rq.beta = 1.0f;
  double *m = ir_alloc_array(X->tmp, (size_t)rq.nch, sizeof(double));
  for (int j = 0; j < rq.nch; j++) m[j] = x0->q.scale[x0->q.nscale == 1 ? 0 : j];
  rq.mult = m;
  rq.nmult = rq.nch;
  /* find_chain starts at the consumer of start: it must be n */
  if (find_chain(X, &rq)) return -1;
  if (!rq.act) return 1;
  if (rq.nchain ? rq.chain[0] != n : rq.act != n) return 1;
  stream *x = take(X, n->in[0], n);
  int64_t lo, hi;
  level_range(x, &lo, &hi);
  return threshold_after(X, &rq, n, x, lo, hi);
}

static int lower_maxpool(lower_ctx *X, ir_node *n) {
  ir_graph *g = X->g;
  stream *x0 = X->S[n->in[0]->id];
  int C, H, W;
  if (need_quantized(X, n, x0) || need_spatial(X, n, x0, &C, &H, &W)) return -1;
  if (n->nout > 1 && n->out[1]) return ir_errorf(g->file, n, "MaxPool indices output is not supported");
  int64_t k[2], s[2], d[2], p[4];
  attr_ints(n, "kernel_shape", k, 2, 1);
  if (window_attrs(X, n, k, s, d, p)) return -1;
  int OH = (int)n->out[0]->dims[2], OW = (int)n->out[0]->dims[3];
  /* ceil_mode: pad bottom/right (with the minimum) so that the floor rule gives OH x OW */
  int64_t need_h = (int64_t)(OH - 1) * s[0] + (k[0] - 1) * d[0] + 1;
  int64_t need_w = (int64_t)(OW - 1) * s[1] + (k[1] - 1) * d[1] + 1;
  if (need_h > H + p[0] + p[1]) p[1] = need_h - H - p[0];
  if (need_w > W + p[2] + p[3]) p[3] = need_w - W - p[2];
  stream *x = take(X, n->in[0], n);
  int first;
  stream *win = window_front(X, n, x, C, H, W, k, s, d, p, (int64_t)hw_etype_min(x->et), true,
                             &first);
  if (win == x && k[0] * k[1] == 1) { /* 1x1 stride 1: identity */
    stream *o = ir_alloc(X->tmp, sizeof *o);
    *o = *x;
    X->done[n->id] = 1;
    bind(X, n->out[0], o);
    return 0;
  }
  hw_unit *u = new_unit(X, HW_MAXPOOL, n);
  connect(u, 0, win);
  u->in = u->out = x->et;
  u->mh = C;
  u->mw = (int)(k[0] * k[1]);
  u->numvec = OH * OW;
  set_leader(X, first, unit_index(X, u));
  stream *o = out_stream(X, u, x);
  set_nchw(o, C, OH, OW);
  X->done[n->id] = 1;
  bind(X, n->out[0], o);
  return 0;
}

static int lower_avgpool(lower_ctx *X, ir_node *n) {
  ir_graph *g = X->g;
  stream *x0 = X->S[n->in[0]->id];
  int C, H, W;
  if (need_quantized(X, n, x0) || need_spatial(X, n, x0, &C, &H, &W)) return -1;
  bool global = is_op(n, "GlobalAveragePool");
  int64_t k[2] = {H, W}, s[2] = {1, 1}, d[2] = {1, 1}, p[4] = {0, 0, 0, 0};
  int OH = (int)n->out[0]->dims[2], OW = (int)n->out[0]->dims[3];
  if (!global) {
    attr_ints(n, "kernel_shape", k, 2, 1);
    if (window_attrs(X, n, k, s, d, p)) return -1;
    if ((p[0] || p[1] || p[2] || p[3]) && !ir_attr_int(n, "count_include_pad", 0))
      return ir_errorf(g->file, n, "AveragePool with pads and count_include_pad=0 divides by a "
                                   "varying count; not supported in hardware");
    if (ir_attr_int(n, "ceil_mode", 0))
      return ir_errorf(g->file, n, "AveragePool with ceil_mode=1 is not supported in hardware");
  }
  if (x0->et.bipolar) return ir_errorf(g->file, n, "average of bipolar values is not supported");
  requant rq;
  memset(&rq, 0, sizeof rq);
  rq.start = n->out[0];
  rq.nch = C;
  rq.div = (double)(k[0] * k[1]);
  rq.alpha = rq.beta = 1.0f;
  double *m = ir_alloc_array(X->tmp, (size_t)C, sizeof(double));
  for (int j = 0; j < C; j++) m[j] = x0->q.scale[x0->q.nscale == 1 ? 0 : j];
  rq.mult = m;
  rq.nmult = C;
  if (find_chain(X, &rq)) return -1;
  if (!rq.act)
    return ir_errorf(g->file, n, "%s must be followed by an activation quantizer in hardware",
                     n->op_type);
  stream *x = take(X, n->in[0], n);
  int first = X->nunits;
  stream *win = x;
  if (!global) win = window_front(X, n, x, C, H, W, k, s, d, p, 0, true, &first);
  hw_unit *u = new_unit(X, HW_AVGPOOL, n);
  connect(u, 0, win);
  u->in = x->et;
  u->mh = C;
  u->global = global;
  int64_t K = k[0] * k[1];
  if (global) {
    u->pixels = (int64_t)H * W;
    u->mw = 1;
    u->numvec = 1;
  } else {
    u->mw = (int)K;
    u->numvec = OH * OW;
    set_leader(X, first, unit_index(X, u));
  }
  int64_t lo, hi;
  level_range(x, &lo, &hi);
  lo *= K;
  hi *= K;
  u->out = range_type(lo, hi);
  u->acc_min = lo;
  u->acc_max = hi;
  u->acc_bits = bits_for_range(lo < 0 ? lo : 0, hi);
  stream *o = out_stream(X, u, x);
  o->et = u->out;
  set_nchw(o, C, OH, OW);
  X->done[n->id] = 1;
  return threshold_after(X, &rq, n, o, lo, hi);
}

/* Integer mantissa and exponent: v = m * 2^e with m odd (v > 0). */
static void mant_exp(double v, int64_t *m, int *e) {
  int ex;
  double f = frexp(v, &ex); /* v = f * 2^ex, 0.5 <= f < 1 */
  int64_t mm = (int64_t)ldexp(f, 53);
  ex -= 53;
  while (mm && !(mm & 1)) {
    mm >>= 1;
    ex++;
  }
  *m = mm;
  *e = ex;
}

static int lower_add(lower_ctx *X, ir_node *n) {
  ir_graph *g = X->g;
  stream *a0 = X->S[n->in[0]->id], *b0 = X->S[n->in[1]->id];
  if (need_quantized(X, n, a0) || need_quantized(X, n, b0)) return -1;
  if (a0->q.nscale != 1 || b0->q.nscale != 1)
    return ir_errorf(g->file, n, "residual Add needs per-tensor scales on both inputs");
  if (a0->rank != b0->rank || ir_shape_numel(a0->rank, a0->dims) != ir_shape_numel(n->out[0]->rank, n->out[0]->dims) ||
      ir_shape_numel(b0->rank, b0->dims) != ir_shape_numel(a0->rank, a0->dims))
    return ir_errorf(g->file, n, "residual Add with broadcasting is not supported in hardware");
  int64_t *oa = stream_order(X, a0), *ob = stream_order(X, b0);
  int64_t ne = ir_shape_numel(a0->rank, a0->dims);
  for (int64_t p = 0; p < ne; p++)
    if ((oa ? oa[p] : p) != (ob ? ob[p] : p))
      return ir_errorf(g->file, n, "the two inputs of the residual Add stream in different orders");
  if (a0->et.bipolar || b0->et.bipolar)
    return ir_errorf(g->file, n, "residual Add of bipolar values is not supported");
  /* value = sa*qa + sb*qb = u * (ma*qa + mb*qb) exactly, u = 2^e */
  int64_t Ma, Mb;
  int ea, eb;
  mant_exp(a0->q.scale[0], &Ma, &ea);
  mant_exp(b0->q.scale[0], &Mb, &eb);
  int e = ea < eb ? ea : eb;
  if (ea - e > 24 || eb - e > 24)
    return ir_errorf(g->file, n, "the input scales of the residual Add differ too much");
  int64_t ma = Ma << (ea - e), mb = Mb << (eb - e);
  int64_t alo, ahi, blo, bhi;
  level_range(a0, &alo, &ahi);
  level_range(b0, &blo, &bhi);
  int64_t lo = ma * alo + mb * blo, hi = ma * ahi + mb * bhi;
  /* float32 computes sa*qa, sb*qb and their sum exactly only if they fit 24 bits */
  int64_t amax = Ma * (alo < 0 ? -alo > ahi ? -alo : ahi : ahi);
  int64_t bmax = Mb * (blo < 0 ? -blo > bhi ? -blo : bhi : bhi);
  int64_t smax = -lo > hi ? -lo : hi;
  if (amax >= (1 << 24) || bmax >= (1 << 24) || smax >= (1 << 24) || ma > INT32_MAX || mb > INT32_MAX)
    return ir_errorf(g->file, n, "residual Add is not exact in float32 for these scales (%g, %g); "
                                 "hardware could not reproduce the float graph",
                     a0->q.scale[0], b0->q.scale[0]);
  requant rq;
  memset(&rq, 0, sizeof rq);
  rq.start = n->out[0];
  int64_t pixels;
  rq.nch = stream_channels(X, a0, &pixels);
  rq.div = 1;
  rq.alpha = rq.beta = 1.0f;
  double *m = ir_alloc_array(X->tmp, 1, sizeof(double));
  m[0] = ldexp(1.0, e);
  rq.mult = m;
  rq.nmult = 1;
  if (find_chain(X, &rq)) return -1;
  if (!rq.act) return ir_errorf(g->file, n, "residual Add must be followed by an activation "
                                           "quantizer in hardware");
  stream *a = take(X, n->in[0], n), *b = take(X, n->in[1], n);
  hw_unit *u = new_unit(X, HW_ADD, n);
  connect(u, 0, a);
  connect(u, 1, b);
  u->in = a->et;
  u->in2 = b->et;
  u->mul_a = ma;
  u->mul_b = mb;
  u->mh = rq.nch;
  u->numvec = (int)pixels;
  u->out = range_type(lo, hi);
  u->acc_min = lo;
  u->acc_max = hi;
  u->acc_bits = u->out.bits + (u->out.is_signed ? 0 : 1);
  stream *o = out_stream(X, u, a);
  o->et = u->out;
  X->done[n->id] = 1;
  return threshold_after(X, &rq, n, o, lo, hi);
}

static int lower_concat(lower_ctx *X, ir_node *n) {
  ir_graph *g = X->g;
  if (n->nin != 2) return ir_errorf(g->file, n, "Concat of %d inputs: only 2 in hardware", n->nin);
  stream *a0 = X->S[n->in[0]->id], *b0 = X->S[n->in[1]->id];
  if (!a0 || !b0) return 1;
  int Ca, Ha, Wa, Cb, Hb, Wb;
  if (need_quantized(X, n, a0) || need_quantized(X, n, b0) || need_spatial(X, n, a0, &Ca, &Ha, &Wa) ||
      need_spatial(X, n, b0, &Cb, &Hb, &Wb))
    return -1;
  int64_t axis = ir_attr_int(n, "axis", 1);
  if (axis != 1 && axis != -3) return ir_errorf(g->file, n, "only channel Concat goes to hardware");
  if (Ha != Hb || Wa != Wb) return ir_errorf(g->file, n, "Concat inputs differ in size");
  if (a0->q.nscale != 1 || b0->q.nscale != 1 || a0->q.scale[0] != b0->q.scale[0] ||
      memcmp(&a0->et, &b0->et, sizeof a0->et))
    return ir_errorf(g->file, n, "Concat inputs must have the same quantizer (type and scale) "
                                 "in hardware");
  stream *a = take(X, n->in[0], n), *b = take(X, n->in[1], n);
  hw_unit *u = new_unit(X, HW_CONCAT, n);
  connect(u, 0, a);
  connect(u, 1, b);
  u->in = u->in2 = u->out = a->et;
  u->ca = Ca;
  u->cb = Cb;
  u->mh = Ca + Cb;
  u->numvec = Ha * Wa;
  stream *o = out_stream(X, u, a);
  set_nchw(o, Ca + Cb, Ha, Wa);
  X->done[n->id] = 1;
  bind(X, n->out[0], o);
  return 0;
}

/* Resize (nearest, integer factors) and DepthToSpace on stream x (which need
 * not be bound to n's input: moved ops of a chain). */
static int lower_node_shape(lower_ctx *X, ir_node *n, stream *x, stream **out) {
  ir_graph *g = X->g;
  if (IN_LIST(n->op_type, layout_ops)) {
    *out = relayout(X, n, x);
    return 0;
  }
  int C, H, W;
  if (need_spatial(X, n, x, &C, &H, &W)) return -1;
  const ir_tensor *o = n->out[0];
  hw_unit *u;
  if (is_op(n, "DepthToSpace")) {
    int B = (int)ir_attr_int(n, "blocksize", 0);
    const char *mode = ir_attr_str(n, "mode", "DCR");
    if (B < 1 || C % (B * B)) return ir_errorf(g->file, n, "bad blocksize %d", B);
    u = new_unit(X, HW_D2S, n);
    u->block = B;
    u->mode = !strcmp(mode, "CRD");
    u->c = C / (B * B);
    u->ih = H;
    u->iw = W;
    u->mh = u->c;
  } else if (is_op(n, "Resize") || is_op(n, "Upsample")) {
    if (o->rank != 4 || o->dims[1] != C || o->dims[2] % H || o->dims[3] % W)
      return ir_errorf(g->file, n, "only integer up-scaling of H and W goes to hardware");
    if (strcmp(ir_attr_str(n, "mode", "nearest"), "nearest"))
      return ir_errorf(g->file, n, "only mode \"nearest\" goes to hardware");
    int sh = (int)(o->dims[2] / H), sw = (int)(o->dims[3] / W);
    /* The executor itself must map output (y, x) to input (y/sh, x/sw). */
    ir_arena *a = ir_arena_new();
    ir_exec_ctx ctx = {a, g};
    ir_buf **vals = ir_alloc_array(a, (size_t)g->ntensors, sizeof(ir_buf *));
    memcpy(vals, X->consts, (size_t)g->ntensors * sizeof(ir_buf *));
    ir_buf *idx = ir_buf_new(a, IR_F32, ONNX_FLOAT, n->in[0]->rank, n->in[0]->dims);
    int64_t plane = (int64_t)H * W;
    for (int64_t i = 0; i < idx->n; i++) idx->f[i] = (float)(i % plane);
    vals[n->in[0]->id] = idx;
    int rc = ir_exec_nodes(&ctx, &n, 1, vals);
    bool ok = !rc;
    if (ok) {
      const ir_buf *y = vals[o->id];
      int64_t OW = o->dims[3], op = o->dims[2] * OW;
      for (int64_t i = 0; i < op && ok; i++) {
        int64_t yy = i / OW, xx = i % OW;
        if (y->f[i] != (float)((yy / sh) * W + xx / sw)) ok = false;
      }
    }
    ir_arena_free(a);
    if (rc) return -1;
    if (!ok)
      return ir_errorf(g->file, n, "this Resize is not a plain nearest-neighbour repeat "
                                   "(out[y][x] = in[y/%d][x/%d]); not supported in hardware", sh, sw);
    u = new_unit(X, HW_UPSAMPLE, n);
    u->c = C;
    u->ih = H;
    u->iw = W;
    u->sh = sh;
    u->sw = sw;
    u->mh = C;
  } else {
    return 1;
  }
  connect(u, 0, x);
  u->in = u->out = x->et;
  stream *s = out_stream(X, u, x);
  set_nchw(s, (int)o->dims[1], (int)o->dims[2], (int)o->dims[3]);
  *out = s;
  return 0;
}

/* ArgMax / TopK (indices only) over the classes of a flat stream at the end:
 * a labelselect unit; the hardware then outputs class indices. */
static int lower_labelselect(lower_ctx *X, ir_node *n) {
  stream *x0 = X->S[n->in[0]->id];
  int64_t N = ir_shape_numel(x0->rank, x0->dims);
  const ir_tensor *t = n->in[0];
  if (t->rank < 1 || t->dims[t->rank - 1] != N) return 1; /* not a plain vector of classes */
  int64_t axis = ir_attr_int(n, "axis", -1);
  if (axis != -1 && axis != t->rank - 1) return 1;
  int K = 1;
  bool topk = is_op(n, "TopK");
  if (topk) {
    const ir_buf *kb = const_of(X, n->in[1]);
    if (!kb || kb->n != 1 || ir_attr_int(n, "largest", 1) != 1 || ir_attr_int(n, "sorted", 1) != 1)
      return 1;
    if (n->out[0] && count_consumers(X, n->out[0]) > 0) return 1; /* values are used */
    K = (int)ir_buf_get(kb, 0);
    if (K < 1 || K > N) return 1;
  } else if (ir_attr_int(n, "select_last_index", 0)) {
    return 1;
  }
  /* Scores must order like the float values: one positive scale for all classes. */
  if (x0->acc) {
    const hw_design *d = X->d;
    for (int64_t j = 1; j < N; j++)
      if (d->post_sw[j] != d->post_sw[0]) return 1;
    if (d->post_bias || !(d->post_alpha > 0)) return 1;
  } else if (x0->q.nscale != 1) {
    return 1;
  }
  if (stream_order(X, x0)) return 1;
  stream *x = take(X, n->in[0], n);
  hw_unit *u = new_unit(X, HW_LABELSELECT, n);
  connect(u, 0, x);
  u->in = x->et;
  u->mw = (int)N;
  u->mh = (int)N;
  u->k = K;
  int ib = 1;
  while (((int64_t)1 << ib) < N) ib++;
  u->out.bits = ib;
  u->out.is_signed = false;
  u->out.bipolar = false;
  ir_tensor *o = topk ? n->out[1] : n->out[0];
  stream *s = out_stream(X, u, NULL);
  s->et = u->out;
  static const float one = 1.0f;
  memset(&s->q, 0, sizeof s->q);
  s->q.nscale = 1;
  s->q.scale = &one;
  s->rank = o->rank;
  memcpy(s->dims, o->dims, sizeof(int64_t) * (size_t)o->rank);
  perm_identity(s);
  X->done[n->id] = 1;
  X->d->post_index = true;
  X->d->post_acc = false;
  bind(X, o, s);
  return 0;
}

/* -------------------------------------------------------------- walker -- */

static bool is_linear(const ir_node *n) {
  return n->dom == IR_DOM_ONNX && (!strcmp(n->op_type, "MatMul") || !strcmp(n->op_type, "Gemm"));
}

static bool is_compute(const ir_node *n) { return is_linear(n) || is_op(n, "Conv"); }

/* Walk back from a tensor through order-preserving layout ops. */
static ir_tensor *through_layout_back(ir_tensor *t) {
  while (t->producer && t->producer->dom == IR_DOM_ONNX &&
         IN_LIST(t->producer->op_type, layout_ops) && strcmp(t->producer->op_type, "Transpose"))
    t = t->producer->in[0];
  return t;
}

/* The scalar constant operand of a Mul or Div by a power of two (as the
 * factor it applies to the other input), else 0. */
static double pow2_scaling(const lower_ctx *X, const ir_node *n, ir_tensor **from) {
  if (n->dom != IR_DOM_ONNX || (strcmp(n->op_type, "Mul") && strcmp(n->op_type, "Div")) || !n->in[1])
    return 0;
  bool div = !strcmp(n->op_type, "Div");
  for (int k = 0; k < 2; k++) {
    if (div && k == 0) continue; /* c / x is not a scaling */
    const ir_buf *c = const_of(X, n->in[div ? 1 : 1 - k]);
    if (!c || c->n != 1) continue;
    double v = ir_buf_get(c, 0);
    int e;
    if (!(v > 0) || frexp(v, &e) != 0.5) continue;
    *from = n->in[div ? 0 : k];
    return div ? 1.0 / v : v;
  }
  return 0;
}

/* Is t an integer tensor the hardware can take: output of an activation
 * quantizer with a per-tensor scale, or an integer-annotated graph input? */
static int integer_source(const ir_graph *g, ir_tensor *t, quant_info *q, bool *ok) {
  *ok = false;
  ir_node *p = t->producer;
  if (p && is_quantizer(p) && !p->in[0]->init) {
    if (decode_quant(g, p, q)) return -1;
    if (q->nscale != 1) return 0;
    *ok = true;
    return 0;
  }
  if ((!p && t->is_input && ir_dtype_is_integer(t->dtype)) ||
      (p && !t->init && t->dtype.kind == QDT_INT && t->onnx_type == ONNX_FLOAT)) {
    /* an integer-annotated graph input, or a float tensor whose values the
     * dtype pass proved integer (e.g. Add(bipolar, 1) in UNSW-NB15) */
    static const float one = 1.0f;
    memset(q, 0, sizeof *q);
    q->bipolar = t->dtype.kind == QDT_BIPOLAR;
    q->bits = t->dtype.bits;
    q->is_signed = t->dtype.is_signed;
    q->min_int = (int64_t)ir_dtype_min(t->dtype);
    q->max_int = (int64_t)ir_dtype_max(t->dtype);
    q->nscale = 1;
    q->scale = &one;
    *ok = t->dtype.kind != QDT_TERNARY;
  }
  return 0;
}

/* Lower one node reading a stream: 0 lowered, 1 not a hardware node (the
 * hardware ends before it), -1 error. */
static int lower_node(lower_ctx *X, ir_node *n) {
  if (n->dom == IR_DOM_ONNX) {
    if (is_compute(n)) {
      if (!X->S[n->in[0]->id]) return 1;
      for (int i = 1; i < n->nin; i++)
        if (n->in[i] && X->S[n->in[i]->id]) return 1;
      return lower_linear(X, n);
    }
    if (IN_LIST(n->op_type, layout_ops) || is_op(n, "DepthToSpace") || is_op(n, "Resize") ||
        is_op(n, "Upsample")) {
      stream *x0 = X->S[n->in[0]->id];
      if (!x0) return 1;
      if (x0->acc && !IN_LIST(n->op_type, layout_ops)) return 1;
      stream *x = take(X, n->in[0], n), *o;
      int rc = lower_node_shape(X, n, x, &o);
      if (rc) return rc;
      X->done[n->id] = 1;
      bind(X, n->out[0], o);
      return 0;
    }
    if (is_op(n, "MaxPool")) return X->S[n->in[0]->id] ? lower_maxpool(X, n) : 1;
    if (is_op(n, "AveragePool") || is_op(n, "GlobalAveragePool"))
      return X->S[n->in[0]->id] ? lower_avgpool(X, n) : 1;
    if (is_op(n, "Concat")) return lower_concat(X, n);
    if ((is_op(n, "ArgMax") || is_op(n, "TopK")) && X->S[n->in[0]->id])
      return lower_labelselect(X, n);
    if (is_op(n, "Add") && n->in[1] && X->S[n->in[0]->id] && X->S[n->in[1]->id])
      return lower_add(X, n);
  }
  /* Mul / Div by a power of two: the levels stay, the scale changes (exact) */
  ir_tensor *from = NULL;
  double f = pow2_scaling(X, n, &from);
  if (f > 0 && X->S[from->id] && !X->S[from->id]->acc && X->S[from->id]->q.nscale == 1 &&
      !X->S[from->id]->et.bipolar) {
    stream *x = take(X, from, n);
    stream *o = ir_alloc(X->tmp, sizeof *o);
    *o = *x;
    o->branches = NULL;
    o->ncons = o->taken = 0;
    float *sc = ir_alloc(X->g->arena, sizeof(float));
    *sc = (float)((double)x->q.scale[0] * f);
    o->q.scale = sc;
    X->done[n->id] = 1;
    bind(X, n->out[0], o);
    return 0;
  }
  /* a value chain + quantizer on a stream */
  if ((is_quantizer(n) || (n->dom == IR_DOM_ONNX && IN_LIST(n->op_type, monotone_ops))) &&
      X->S[n->in[0]->id])
    return lower_requant(X, n);
  return 1;
}

/* ------------------------------------------------------------ host ---- */

/* Mark t and every node it depends on. */
static void mark_ancestors(const ir_tensor *t, char *mark) {
  ir_node *p = t->producer;
  if (!p || mark[p->id]) return;
  mark[p->id] = 1;
  for (int i = 0; i < p->nin; i++)
    if (p->in[i]) mark_ancestors(p->in[i], mark);
}

/* Values of every tensor computable from constants alone (quantizers of
 * initializers kept by cleanup, and what follows them), in the graph arena. */
static ir_buf **constant_values(ir_graph *g) {
  ir_buf **c = ir_alloc_array(g->arena, (size_t)g->ntensors + 1, sizeof(ir_buf *));
  ir_exec_ctx ctx = {g->arena, g};
  for (int i = 0; i < g->nnodes; i++) {
    ir_node *n = g->nodes[i];
    bool constant = !n->dead && n->nin > 0;
    for (int k = 0; k < n->nin && constant; k++)
      if (n->in[k] && !n->in[k]->init && !c[n->in[k]->id]) constant = false;
    if (constant && ir_exec_nodes(&ctx, &n, 1, c)) return NULL;
  }
  return c;
}

/* Host pre = everything hw_in depends on; host post = every node that
 * hw_out does not depend on.  Post nodes may read only hw_out, constants and
 * each other's outputs. */
static int partition_host(ir_graph *g, hw_design *d) {
  char *pre = ir_alloc(g->arena, (size_t)g->nnodes + 1);
  char *upto = ir_alloc(g->arena, (size_t)g->nnodes + 1);
  mark_ancestors(d->hw_in, pre);
  mark_ancestors(d->hw_out, upto);
  d->pre = ir_alloc_array(g->arena, (size_t)g->nnodes + 1, sizeof(ir_node *));
  d->post = ir_alloc_array(g->arena, (size_t)g->nnodes + 1, sizeof(ir_node *));
  char *post_made = ir_alloc(g->arena, (size_t)g->ntensors + 1);
  for (int i = 0; i < g->nnodes; i++) {
    ir_node *n = g->nodes[i];
    if (n->dead) continue;
    if (pre[n->id]) {
      d->pre[d->npre++] = n;
    } else if (!upto[n->id]) {
      for (int k = 0; k < n->nin; k++) {
        ir_tensor *t = n->in[k];
        if (t && !t->init && t != d->hw_out && !post_made[t->id])
          return ir_errorf(g->file, n, "reads tensor '%s' from inside the hardware part; "
                                       "only a straight pipeline can be lowered", t->name);
      }
      for (int k = 0; k < n->nout; k++)
        if (n->out[k]) post_made[n->out[k]->id] = 1;
      d->post[d->npost++] = n;
    }
  }
  for (int i = 0; i < g->noutputs; i++)
    if (g->outputs[i] != d->hw_out && !post_made[g->outputs[i]->id])
      return ir_errorf(g->file, g->outputs[i]->producer, "graph output '%s' is computed inside "
                       "the hardware part, not at its end", g->outputs[i]->name);
  return 0;
}

/* Is t (through layout ops) the output of a quantizer or an integer input? */
static bool is_quantized(const ir_tensor *t) {
  t = through_layout_back((ir_tensor *)t);
  if (t->producer) return is_quantizer(t->producer);
  return t->is_input && ir_dtype_is_integer(t->dtype);
}

/* Nothing can go to hardware: say why, naming the first compute node. */
static void no_hardware_error(const ir_graph *g) {
  for (int i = 0; i < g->nnodes; i++) {
    const ir_node *n = g->nodes[i];
    if (n->dead || !is_compute(n)) continue;
    if (!is_quantized(n->in[0])) {
      ir_errorf(g->file, n, "input tensor '%s' is not quantized (float32); only quantized "
                            "networks can go to hardware", n->in[0]->name);
      return;
    }
  }
  ir_errorf(g->file, NULL, "no MatMul, Gemm or Conv found; nothing can go to hardware");
}

/* Heavy compute may run on the host only as a float first layer (an
 * unquantized input, e.g. the jet tagger); anything else that the hardware
 * chain could not take is an error naming the node where it stopped. */
static int check_host_parts(const ir_graph *g, const hw_design *d) {
  for (int i = 0; i < d->npre; i++) {
    const ir_node *n = d->pre[i];
    if (!is_compute(n)) continue;
    if (is_quantized(n->in[0]))
      return ir_errorf(g->file, n, "this layer has a quantized input but could not be lowered");
    ir_progress("streamline: %s (%s) has a float input and runs on the host", n->name, n->op_type);
  }
  for (int i = 0; i < d->npost; i++) {
    const ir_node *n = d->post[i];
    if (!is_compute(n)) continue;
    /* Name the node the chain stopped at: the first post node. */
    const ir_node *stop = d->npost ? d->post[0] : n;
    return ir_errorf(g->file, stop, "cannot be lowered to hardware, so the pipeline ends here; "
                                    "%s \"%s\" after it would have to run on the host",
                     n->op_type, n->name);
  }
  return 0;
}

hw_design *hw_streamline(ir_graph *g) {
  lower_ctx X;
  memset(&X, 0, sizeof X);
  X.g = g;
  X.tmp = ir_arena_new();
  hw_design *d = ir_alloc(g->arena, sizeof *d);
  X.d = d;
  d->g = g;
  hw_design *result = NULL;
  X.consts = constant_values(g);
  if (!X.consts) goto out;
  d->consts = X.consts;
  X.S = ir_alloc_array(X.tmp, (size_t)g->ntensors + 1, sizeof(stream *));
  X.done = ir_alloc(X.tmp, (size_t)g->nnodes + 1);

  /* 1. The first compute node whose input is an integer tensor. */
  ir_tensor *hw_in = NULL;
  quant_info xq;
  for (int i = 0; i < g->nnodes && !hw_in; i++) {
    ir_node *n = g->nodes[i];
    if (n->dead || !is_compute(n)) continue;
    bool ok;
    ir_tensor *x = through_layout_back(n->in[0]), *from;
    if (integer_source(g, x, &xq, &ok)) goto out;
    while (!ok && x->producer && pow2_scaling(&X, x->producer, &from) > 0) {
      x = through_layout_back(from);
      if (integer_source(g, x, &xq, &ok)) goto out;
    }
    if (ok) hw_in = x;
  }
  if (!hw_in) {
    no_hardware_error(g);
    goto out;
  }
  d->hw_in = hw_in;
  d->in_scale = xq.scale[0];
  d->in_bipolar = xq.bipolar;
  char *pre = ir_alloc(X.tmp, (size_t)g->nnodes + 1);
  mark_ancestors(hw_in, pre);
  stream *s0 = ir_alloc(X.tmp, sizeof *s0);
  s0->unit = -1;
  s0->q = xq;
  s0->et = etype_of(&xq);
  s0->rank = hw_in->rank;
  memcpy(s0->dims, hw_in->dims, sizeof(int64_t) * (size_t)hw_in->rank);
  if (hw_in->rank == 4) set_nchw(s0, (int)hw_in->dims[1], (int)hw_in->dims[2], (int)hw_in->dims[3]);
  else perm_identity(s0);
  bind(&X, hw_in, s0);
  d->in_order = stream_order(&X, s0);
  d->in_type = s0->et;
  d->in_elems = ir_shape_numel(hw_in->rank, hw_in->dims);

  /* 2. Walk: lower every node that reads a stream until one cannot be. */
  char *stopped = ir_alloc(X.tmp, (size_t)g->nnodes + 1);
  for (int i = 0; i < g->nnodes; i++) {
    ir_node *n = g->nodes[i];
    if (n->dead || pre[n->id] || X.done[n->id]) continue;
    bool reads = false, blocked = false;
    for (int k = 0; k < n->nin; k++) {
      ir_tensor *t = n->in[k];
      if (!t) continue;
      if (X.S[t->id]) reads = true;
      else if (!const_of(&X, t)) blocked = true;
    }
    if (!reads) continue;
    int rc = blocked ? 1 : lower_node(&X, n);
    if (rc < 0) goto out;
    if (rc > 0) stopped[n->id] = 1;
  }

  /* 3. The output: the one stream read by the host (or a graph output). */
  ir_tensor *hw_out = NULL;
  for (int i = 0; i < g->nnodes; i++) {
    ir_node *n = g->nodes[i];
    if (!stopped[n->id]) continue;
    for (int k = 0; k < n->nin; k++) {
      ir_tensor *t = n->in[k];
      if (!t || !X.S[t->id] || t == hw_out) continue;
      if (hw_out) {
        ir_errorf(g->file, n, "cannot be lowered to hardware, but the hardware already ends at "
                              "'%s'; only one hardware output stream is supported", hw_out->name);
        goto out;
      }
      hw_out = t;
    }
  }
  for (int i = 0; i < g->noutputs; i++) {
    ir_tensor *t = g->outputs[i];
    if (!X.S[t->id] || t == hw_out) continue;
    if (hw_out) {
      ir_errorf(g->file, t->producer, "graph output '%s' is computed inside the hardware part, "
                                      "which already ends at '%s'", t->name, hw_out->name);
      goto out;
    }
    hw_out = t;
  }
  if (!hw_out || X.nunits == 0) {
    no_hardware_error(g);
    goto out;
  }
  stream *so = X.S[hw_out->id];
  if (so->ncons > 1) {
    ir_errorf(g->file, hw_out->producer, "'%s' feeds both the hardware and the host; only one "
                                         "hardware output stream is supported", hw_out->name);
    goto out;
  }
  if (so->unit != X.nunits - 1) {
    ir_errorf(g->file, hw_out->producer, "the hardware part has more than one output (a branch "
                                         "ends before '%s')", hw_out->name);
    goto out;
  }
  d->nunits = X.nunits;
  d->units = X.units;
  d->hw_out = hw_out;
  d->out_order = stream_order(&X, so);
  d->out_type = so->et;
  d->out_elems = ir_shape_numel(hw_out->rank, hw_out->dims);
  if (!so->acc) {
    d->post_acc = false;
    d->post_s = so->q.scale;
    d->post_ns = so->q.nscale;
  }
  if (hw_unit_out_frame(&d->units[d->nunits - 1]) != d->out_elems) {
    ir_errorf(g->file, hw_out->producer, "internal: hardware output size mismatch");
    goto out;
  }
  if (partition_host(g, d) || check_host_parts(g, d)) goto out;
  result = d;
out:
  ir_arena_free(X.tmp);
  return result;
}
