/* streamline.c - cleaned QONNX graph -> hardware IR (hw_design), MLP family.
 *
 * The graph is cut into layers.  A layer is
 *
 *     X (integer tensor: x = sx * q) -> MatMul/Gemm with quantized constant
 *     weights (w = sw[j] * qw) -> a chain of monotone element-wise ops with
 *     constant operands (BatchNormalization, Add, Mul, Relu, ...) -> an
 *     activation quantizer (Quant / BipolarQuant) -> Y (integer tensor)
 *
 * and becomes one mvu: acc[j] = sum_i q[i] * qw[j][i] exactly in integers, then
 * fused thresholds out[j] = #{k : acc[j] >= thr[j][k]} + bias.  Thresholds are
 * not derived by algebra: each is the smallest accumulator value for which the
 * float32 evaluation of the original chain (the executor's own kernels) reaches
 * the next output level, found by binary search over the accumulator's exact
 * range (DESIGN.md, "Exactness").  A channel whose chain is decreasing gets its
 * weight row negated, so every threshold compares acc >= t.
 *
 * Nodes before the first integer tensor the hardware consumes are host
 * pre-processing; nodes after the last hardware tensor are host
 * post-processing.  An op in the middle that cannot be lowered is an error
 * naming the node.
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
  int nscale;              /* 1: per tensor; else per channel of the last axis */
  const float *scale;
} quant_info;

/* One layer as found in the graph. */
typedef struct layer {
  ir_node *mm;             /* MatMul or Gemm */
  ir_tensor *x;            /* integer input tensor (before layout ops) */
  quant_info xq;
  int mw, mh;
  int32_t *qw;             /* mh x mw integer weights */
  float *sw;               /* mh weight scales */
  float alpha, beta;
  const float *bias;       /* Gemm C per channel (mh) or NULL */
  int nbias;
  int nchain;
  ir_node **chain;         /* element-wise ops after mm, before the quantizer */
  ir_node *act;            /* the activation quantizer, or NULL */
  quant_info yq;
  ir_buf **consts;         /* values of constant subgraphs (e.g. quantized biases), by tensor id */
} layer;

/* The constant value of t: an initializer, or computed from constants only. */
static const ir_buf *const_of(const layer *L, const ir_tensor *t) {
  if (!t) return NULL;
  return t->init ? t->init : L->consts[t->id];
}

static const char *const layout_ops[] = {"Reshape", "Flatten", "Squeeze", "Unsqueeze",
                                         "Identity"};
static const char *const monotone_ops[] = {"Add", "Sub", "Mul", "Div", "BatchNormalization",
                                           "Relu", "Clip", "Sigmoid", "Tanh",
                                           "MultiThreshold", "Identity"};

static bool in_list(const char *s, const char *const *list, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!strcmp(s, list[i])) return true;
  return false;
}
#define IN_LIST(s, l) in_list((s), (l), sizeof(l) / sizeof((l)[0]))

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

/* ------------------------------------------------------------ weights ---- */

/* Decode the weight input of a MatMul/Gemm: Quant(const) [-> Transpose]. */
static int layer_weights(ir_graph *g, ir_arena *tmp, layer *L) {
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
    p = p->in[0]->producer;
  }
  if (!p || !is_quantizer(p) || !p->in[0]->init)
    return ir_errorf(g->file, mm, "weights are not a quantized constant "
                                  "(expected Quant/BipolarQuant of an initializer)");
  quant_info wq;
  if (decode_quant(g, p, &wq)) return -1;
  const ir_buf *wc = p->in[0]->init;
  if (wc->rank != 2) return ir_errorf(g->file, p, "weights must be a 2-D matrix");
  /* Evaluate the quantizer with its own kernel: the values the float graph uses. */
  ir_exec_ctx ctx = {tmp, g};
  ir_buf *vals_in[4] = {0}, *wv[1] = {0};
  for (int i = 0; i < p->nin; i++) vals_in[i] = p->in[i]->init;
  if (p->op->exec(&ctx, p, vals_in, wv)) return -1;
  int64_t r = wc->dims[0], c = wc->dims[1];
  L->mh = (int)(trans ? r : c);
  L->mw = (int)(trans ? c : r);
  L->qw = ir_alloc_array(g->arena, (size_t)(r * c), sizeof(int32_t));
  L->sw = ir_alloc_array(g->arena, (size_t)L->mh, sizeof(float));
  const ir_buf *s = p->in[1]->init;
  for (int64_t i = 0; i < r; i++)
    for (int64_t k = 0; k < c; k++) {
      /* scale broadcast to [r, c]: scalar, [r,1], [1,c], [c] or [r,c] */
      float sc;
      if (s->n == 1) sc = s->f[0];
      else if (s->n == r * c) sc = s->f[i * c + k];
      else if (s->rank == 2 && s->dims[1] == 1 && s->dims[0] == r) sc = s->f[i];
      else if (s->n == c) sc = s->f[k];
      else return ir_errorf(g->file, p, "weight scale shape does not broadcast to the weights");
      int64_t j = trans ? i : k, col = trans ? k : i; /* output channel, input index */
      float v = wv[0]->f[i * c + k];
      int64_t q = wq.bipolar ? (v >= 0 ? 1 : -1) : llrint((double)v / (double)sc);
      L->qw[j * L->mw + col] = (int32_t)q;
      if (col == 0) {
        L->sw[j] = sc;
      } else if (L->sw[j] != sc) {
        return ir_errorf(g->file, p, "weight scale varies along the input dimension; "
                                     "only per-output-channel scales can go to hardware");
      }
    }
  if (gemm) {
    L->alpha = ir_attr_float(mm, "alpha", 1.0f);
    L->beta = ir_attr_float(mm, "beta", 1.0f);
    if (mm->nin > 2 && mm->in[2]) {
      const ir_buf *cb = const_of(L, mm->in[2]);
      if (!cb || cb->store != IR_F32 || (cb->n != 1 && cb->n != L->mh))
        return ir_errorf(g->file, mm, "Gemm bias must be a constant per-channel vector");
      L->bias = cb->f;
      L->nbias = (int)cb->n;
    }
  } else {
    L->alpha = L->beta = 1.0f;
  }
  return 0;
}

/* The float value the graph holds at the MatMul/Gemm output for channel j when
 * the integer accumulator is acc. */
static float layer_value(const layer *L, int j, int64_t acc) {
  float v = (float)((double)L->xq.scale[0] * (double)L->sw[j] * (double)acc);
  if (L->alpha != 1.0f) v = L->alpha * v;
  if (L->bias) v = v + L->beta * L->bias[L->nbias == 1 ? 0 : j];
  return v;
}

/* ------------------------------------------------------------- chains ---- */

/* Follow single consumers from the MatMul output through monotone element-wise
 * ops with constant operands to an activation quantizer. */
static int find_chain(ir_graph *g, layer *L) {
  ir_tensor *t = L->mm->out[0];
  ir_node **chain = ir_alloc_array(g->arena, 16, sizeof(ir_node *));
  L->chain = chain;
  for (;;) {
    ir_node *c = sole_consumer(g, t);
    if (!c) return 0;
    bool consts = true;
    for (int i = 0; i < c->nin; i++)
      if (c->in[i] && c->in[i] != t && !const_of(L, c->in[i])) consts = false;
    if (!consts || c->in[0] != t) return 0;
    if (is_quantizer(c)) {
      if (decode_quant(g, c, &L->yq)) return -1;
      L->act = c;
      return 0;
    }
    if (!IN_LIST(c->op_type, monotone_ops) || L->nchain == 16) return 0;
    if (!strcmp(c->op_type, "Div") && c->in[1] == t) return 0;
    if (ir_shape_numel(c->out[0]->rank, c->out[0]->dims) != L->mh) return 0;
    chain[L->nchain++] = c;
    t = c->out[0];
  }
}

/* Evaluate chain + quantizer for a vector of accumulators (one per channel). */
static int eval_levels(ir_graph *g, ir_arena *tmp, const layer *L, const int64_t *acc,
                       int64_t *level) {
  ir_exec_ctx ctx = {tmp, g};
  ir_buf **vals = ir_alloc_array(tmp, (size_t)g->ntensors, sizeof(ir_buf *));
  memcpy(vals, L->consts, (size_t)g->ntensors * sizeof(ir_buf *));
  ir_tensor *m = L->mm->out[0];
  ir_buf *v = ir_buf_new(tmp, IR_F32, ONNX_FLOAT, m->rank, m->dims);
  for (int j = 0; j < L->mh; j++) v->f[j] = layer_value(L, j, acc[j]);
  vals[m->id] = v;
  if (ir_exec_nodes(&ctx, L->chain, L->nchain, vals)) return -1;
  if (ir_exec_nodes(&ctx, (ir_node *const *)&L->act, 1, vals)) return -1;
  const ir_buf *y = vals[L->act->out[0]->id];
  for (int j = 0; j < L->mh; j++) level[j] = level_of(&L->yq, y->f[j], j);
  return 0;
}

/* ------------------------------------------------------------- lowering -- */

static void acc_range(const hw_etype *in, const int32_t *w, int mw, int64_t *lo, int64_t *hi) {
  int64_t xmin = (int64_t)hw_etype_min(*in), xmax = (int64_t)hw_etype_max(*in);
  *lo = *hi = 0;
  for (int i = 0; i < mw; i++) {
    int64_t a = w[i] * xmin, b = w[i] * xmax;
    *lo += a < b ? a : b;
    *hi += a < b ? b : a;
  }
}

static int bits_for_range(int64_t lo, int64_t hi) {
  int b = 1;
  while (b < 63 && (lo < -((int64_t)1 << (b - 1)) || hi > ((int64_t)1 << (b - 1)) - 1)) b++;
  return b;
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
  hw_etype t = {0};
  if (pm1 && bipolar_ok) {
    t.bits = 1;
    t.bipolar = true;
    t.is_signed = true;
  } else if (lo >= 0) {
    t.bits = bits_for_range(0, hi) - 1;
    if (t.bits < 1) t.bits = 1;
  } else {
    t.bits = bits_for_range(lo, hi);
    t.is_signed = true;
  }
  return t;
}

/* Build the mvu of one layer, thresholds included when it has an activation. */
static int lower_layer(ir_graph *g, ir_arena *tmp, layer *L, hw_unit *u, int index) {
  u->kind = HW_MVU;
  u->name = ir_sprintf(g->arena, "mvu_%d", index);
  u->onnx_node = L->mm->name;
  u->onnx_act = L->act ? L->act->name : NULL;
  if (L->act) {
    u->act_out = L->act->out[0];
    u->act_scale = L->yq.scale;
    u->act_nscale = L->yq.nscale;
  }
  u->mw = L->mw;
  u->mh = L->mh;
  u->numvec = 1;
  u->pe = u->simd = 1;
  u->in = etype_of(&L->xq);
  u->weights = L->qw;
  int64_t *lo = ir_alloc_array(tmp, (size_t)L->mh, sizeof(int64_t));
  int64_t *hi = ir_alloc_array(tmp, (size_t)L->mh, sizeof(int64_t));
  for (int j = 0; j < L->mh; j++) acc_range(&u->in, L->qw + (size_t)j * L->mw, L->mw, &lo[j], &hi[j]);

  if (L->act) {
    /* Direction per channel; a decreasing channel gets its weight row negated. */
    int64_t *flo = ir_alloc_array(tmp, (size_t)L->mh, sizeof(int64_t));
    int64_t *fhi = ir_alloc_array(tmp, (size_t)L->mh, sizeof(int64_t));
    if (eval_levels(g, tmp, L, lo, flo) || eval_levels(g, tmp, L, hi, fhi)) return -1;
    int8_t *neg = ir_alloc(tmp, (size_t)L->mh);
    for (int j = 0; j < L->mh; j++)
      if (flo[j] > fhi[j]) {
        neg[j] = 1;
        for (int i = 0; i < L->mw; i++) L->qw[(size_t)j * L->mw + i] = -L->qw[(size_t)j * L->mw + i];
        acc_range(&u->in, L->qw + (size_t)j * L->mw, L->mw, &lo[j], &hi[j]);
      }
    /* Level of channel j at hardware accumulator a: chain(value(sign * a)). */
    quant_info *yq = &L->yq;
    int T = (int)(yq->bipolar ? 1 : yq->max_int - yq->min_int);
    u->nthresh = T;
    u->out_bias = yq->bipolar ? 0 : (int)yq->min_int;
    u->out = etype_of(yq);
    u->thresholds = ir_alloc_array(g->arena, (size_t)L->mh * (size_t)T, sizeof(int64_t));
    int64_t *a = ir_alloc_array(tmp, (size_t)L->mh, sizeof(int64_t));
    int64_t *lv = ir_alloc_array(tmp, (size_t)L->mh, sizeof(int64_t));
    int64_t *blo = ir_alloc_array(tmp, (size_t)L->mh, sizeof(int64_t));
    int64_t *bhi = ir_alloc_array(tmp, (size_t)L->mh, sizeof(int64_t));
    for (int k = 1; k <= T; k++) {
      /* Smallest a in [lo, hi+1] with level(a) >= target (hi+1: never). */
      int64_t target = yq->bipolar ? 1 : yq->min_int + k;
      for (int j = 0; j < L->mh; j++) {
        blo[j] = lo[j];
        bhi[j] = hi[j] + 1;
      }
      for (;;) {
        bool busy = false;
        for (int j = 0; j < L->mh; j++) {
          a[j] = blo[j] + (bhi[j] - blo[j]) / 2;
          if (blo[j] < bhi[j]) busy = true;
          a[j] = neg[j] ? -a[j] : a[j];
        }
        if (!busy) break;
        if (eval_levels(g, tmp, L, a, lv)) return -1;
        for (int j = 0; j < L->mh; j++) {
          if (blo[j] >= bhi[j]) continue;
          int64_t mid = blo[j] + (bhi[j] - blo[j]) / 2;
          if (lv[j] >= target) bhi[j] = mid;
          else blo[j] = mid + 1;
        }
      }
      for (int j = 0; j < L->mh; j++) u->thresholds[(size_t)j * T + (k - 1)] = blo[j];
    }
    /* Check monotonicity where it matters: just below and at every threshold. */
    for (int k = 1; k <= T; k++) {
      int64_t target = yq->bipolar ? 1 : yq->min_int + k;
      for (int side = 0; side < 2; side++) {
        for (int j = 0; j < L->mh; j++) {
          int64_t t = u->thresholds[(size_t)j * T + (k - 1)] - (side ? 0 : 1);
          if (t < lo[j]) t = lo[j];
          if (t > hi[j]) t = hi[j];
          a[j] = neg[j] ? -t : t;
        }
        if (eval_levels(g, tmp, L, a, lv)) return -1;
        for (int j = 0; j < L->mh; j++) {
          int64_t t = u->thresholds[(size_t)j * T + (k - 1)] - (side ? 0 : 1);
          if (t < lo[j] || t > hi[j]) continue;
          if ((lv[j] >= target) != (side == 1))
            return ir_errorf(g->file, L->act, "activation of channel %d is not monotone in the "
                                              "accumulator; cannot express it as thresholds", j);
        }
      }
    }
  } else {
    u->nthresh = 0;
  }
  int64_t amin = lo[0], amax = hi[0];
  for (int j = 1; j < L->mh; j++) {
    if (lo[j] < amin) amin = lo[j];
    if (hi[j] > amax) amax = hi[j];
  }
  u->acc_min = amin;
  u->acc_max = amax;
  u->acc_bits = bits_for_range(amin, amax);
  if (!L->act) {
    u->out.bits = u->acc_bits;
    u->out.is_signed = true;
  }
  u->w = weight_type(L->qw, (int64_t)L->mh * L->mw, true);
  u->cycles = (int64_t)u->mh * u->mw;
  u->ram_style = "auto";
  return 0;
}

/* ------------------------------------------------------ finding layers --- */

static bool is_linear(const ir_node *n) {
  return n->dom == IR_DOM_ONNX && (!strcmp(n->op_type, "MatMul") || !strcmp(n->op_type, "Gemm"));
}

/* Walk back from a tensor through order-preserving layout ops. */
static ir_tensor *through_layout_back(ir_tensor *t) {
  while (t->producer && IN_LIST(t->producer->op_type, layout_ops) && t->producer->dom == IR_DOM_ONNX)
    t = t->producer->in[0];
  return t;
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
  if (!p && t->is_input && ir_dtype_is_integer(t->dtype)) {
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

static bool is_compute(const ir_node *n) {
  return is_linear(n) || (n->dom == IR_DOM_ONNX && !strcmp(n->op_type, "Conv"));
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
    if (!strcmp(n->op_type, "Conv")) {
      ir_errorf(g->file, n, "unsupported op 'Conv' in hardware: convolutions are not lowered "
                            "to RTL yet");
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
    if (!strcmp(n->op_type, "Conv"))
      return ir_errorf(g->file, n, "unsupported op 'Conv' in hardware: convolutions are not "
                                   "lowered to RTL yet");
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
  ir_arena *tmp = ir_arena_new();
  hw_design *d = ir_alloc(g->arena, sizeof *d);
  d->g = g;
  layer *L = ir_alloc_array(tmp, (size_t)g->nnodes + 1, sizeof(layer));
  int nl = 0;
  hw_design *result = NULL;
  ir_buf **consts = constant_values(g);
  if (!consts) goto out;
  for (int i = 0; i <= g->nnodes; i++) L[i].consts = consts;
  d->consts = consts;

  /* 1. The first linear layer whose input is an integer tensor. */
  int start = -1;
  for (int i = 0; i < g->nnodes && start < 0; i++) {
    ir_node *n = g->nodes[i];
    if (!is_linear(n)) continue;
    bool ok;
    ir_tensor *x = through_layout_back(n->in[0]);
    if (integer_source(g, x, &L[0].xq, &ok)) goto out;
    if (ok) start = i;
  }
  if (start < 0) {
    no_hardware_error(g);
    goto out;
  }

  /* 2. Follow layer to layer while the activation output feeds the next one. */
  ir_node *mm = g->nodes[start];
  for (;;) {
    layer *l = &L[nl];
    l->mm = mm;
    l->x = through_layout_back(mm->in[0]);
    bool ok;
    if (integer_source(g, l->x, &l->xq, &ok)) goto out;
    if (!ok) break;
    if (mm->in[0]->rank != 2 || mm->in[0]->dims[0] != 1) {
      ir_errorf(g->file, mm, "hardware layers take a [1, N] input (got rank %d)", mm->in[0]->rank);
      goto out;
    }
    if (layer_weights(g, tmp, l) || find_chain(g, l)) goto out;
    if (l->mw != mm->in[0]->dims[1]) {
      ir_errorf(g->file, mm, "weight matrix does not match the input length %lld",
                (long long)mm->in[0]->dims[1]);
      goto out;
    }
    nl++;
    if (!l->act) break;
    /* Next layer: the activation's consumer through layout ops. */
    ir_tensor *y = l->act->out[0];
    ir_node *c;
    while ((c = sole_consumer(g, y)) && IN_LIST(c->op_type, layout_ops) && c->in[0] == y)
      y = c->out[0];
    if (!c || !is_linear(c) || c->in[0] != y || l->yq.nscale != 1) break;
    mm = c;
  }

  /* 3. Units. */
  d->nunits = nl;
  d->units = ir_alloc_array(g->arena, (size_t)nl, sizeof(hw_unit));
  for (int i = 0; i < nl; i++) {
    ir_progress("streamline: layer %d/%d %s (%d -> %d)%s", i + 1, nl, L[i].mm->name, L[i].mw,
                L[i].mh, L[i].act ? ", thresholds by search" : "");
    if (lower_layer(g, tmp, &L[i], &d->units[i], i)) goto out;
  }

  /* 4. The boundary with the host. */
  layer *first = &L[0], *last = &L[nl - 1];
  d->hw_in = first->x;
  d->in_scale = first->xq.scale[0];
  d->in_bipolar = first->xq.bipolar;
  d->in_type = d->units[0].in;
  d->in_elems = first->mw;
  d->out_type = d->units[nl - 1].out;
  d->out_elems = last->mh;
  if (last->act) {
    d->hw_out = last->act->out[0];
    d->post_s = last->yq.scale;
    d->post_ns = last->yq.nscale;
  } else {
    d->hw_out = last->mm->out[0];
    d->post_acc = true;
    d->post_sx = last->xq.scale[0];
    d->post_sw = last->sw;
    d->post_alpha = last->alpha;
    d->post_beta = last->beta;
    d->post_bias = last->bias;
    d->post_nbias = last->nbias;
  }
  if (partition_host(g, d) || check_host_parts(g, d)) goto out;
  result = d;
out:
  ir_arena_free(tmp);
  return result;
}
