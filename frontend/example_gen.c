/* example_gen.c - builds the built-in QONNX example models with onnx_build.
 *
 * tfc-* and cnv-* mirror the Brevitas BNN-PYNQ exports op for op (Brevitas'
 * brevitas_examples/bnn_pynq FC.py and CNV.py as exported to QONNX): input
 * 2x-1 and input quantizer, Quant/BipolarQuant on the float weights
 * (+ Transpose for linear layers), MatMul/Conv, BatchNormalization, activation
 * Quant/BipolarQuant, MaxPool, the torch x.view(N, -1) Shape/Gather/Unsqueeze/
 * Concat/Reshape chain, and TensorNorm (Sub, Pow, Div, Mul, Add) at the end.
 * Random models (mlp, cnn) use the same pieces with every choice drawn from
 * the seed; CNNs add Brevitas-style residual blocks (Add of two quantized
 * tensors, then Relu? + Quant), Concats of convs quantized alike, dilated
 * convs, AveragePool/GlobalAveragePool + Quant.
 *
 * Plausible parameters: we follow every channel's mean and variance through the
 * network (exact sums over the quantized weights for accumulators, a small
 * Monte Carlo through each activation quantizer) and set BatchNorm running
 * statistics to them, as training would, so activations spread over their
 * levels instead of saturating. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "frontend/example.h"
#include "frontend/example_rng.h"

/* ----------------------------------------------------------- generator -- */

typedef struct gen {
  ob_model *m;
  ir_arena *a;
  qr_rng w;         /* parameter values */
  int nodes;        /* node numbering: OpType_N */
  const char *qdom; /* domain written on Quant/BipolarQuant */
} gen;

static gen *gen_new(const char *graph_name, uint64_t seed, const char *qdom) {
  ob_model *m = ob_new(graph_name);
  gen *g = ir_alloc(ob_arena(m), sizeof *g);
  g->m = m;
  g->a = ob_arena(m);
  g->w.s = seed ^ 0x51ED2701F00DULL;
  g->qdom = qdom;
  return g;
}

static Onnx__NodeProto *node(gen *g, const char *op, const char *dom, const char *ins,
                             const char *out) {
  const char *name = ir_sprintf(g->a, "%s_%d", op, g->nodes++);
  return ob_node(g->m, name, op, dom, ins, out);
}

static const char *cscalar(gen *g, const char *name, float v) {
  ob_init_scalar_f32(g->m, name, v);
  return name;
}

static const char *cvec(gen *g, const char *name, int n, const float *v) {
  ob_init_f32(g->m, name, 1, (int64_t[]){n}, v);
  return name;
}

static double *dalloc(gen *g, int64_t n) {
  return ir_alloc_array(g->a, (size_t)(n > 0 ? n : 1), sizeof(double));
}
static float *falloc(gen *g, int64_t n) {
  return ir_alloc_array(g->a, (size_t)(n > 0 ? n : 1), sizeof(float));
}

/* ----------------------------------------------------------- quantizers -- */

/* A quantizer as the generator models it (zero point always 0). */
typedef struct qz {
  int bits, sgn, narrow, rounding; /* rounding: index into qr_ex_rounding_names */
  double scale;
} qz;

static int is_bipolar(const qz *q) { return q->bits == 1 && q->sgn; }

/* Narrow range, except on a 1-bit unsigned quantizer where it would leave a
 * single level. */
static int qnarrow(const qz *q) { return q->narrow && !(q->bits == 1 && !q->sgn); }

/* Integer levels [lo, hi] (bipolar: -1, +1). */
static void qlevels(const qz *q, double *lo, double *hi) {
  if (is_bipolar(q)) {
    *lo = -1, *hi = 1;
  } else if (q->sgn) {
    *hi = ldexp(1, q->bits - 1) - 1;
    *lo = -ldexp(1, q->bits - 1) + (qnarrow(q) ? 1 : 0);
  } else {
    *lo = 0;
    *hi = ldexp(1, q->bits) - 1 - (qnarrow(q) ? 1 : 0);
  }
}

static double qround(double x, int mode) {
  double s = x < 0 ? -1 : 1, ax = fabs(x);
  switch (mode) {
  case 1: return ceil(x);
  case 2: return floor(x);
  case 3: return s * ceil(ax);
  case 4: return trunc(x);
  case 5: return s * floor(ax + 0.5);
  case 6: return s * ceil(ax - 0.5);
  default: return nearbyint(x); /* half to even */
  }
}

/* Quant / BipolarQuant of one value with scale s (QONNX: clamp, then round). */
static double qapply(const qz *q, double s, double x) {
  if (is_bipolar(q)) return (x >= 0 ? 1 : -1) * s;
  double lo, hi, v = x / s;
  qlevels(q, &lo, &hi);
  v = v < lo ? lo : v > hi ? hi : v;
  return qround(v, q->rounding) * s;
}

/* Emit the quantizer node: BipolarQuant for signed 1-bit, Quant otherwise.
 * `scale` names an existing tensor.  Attributes in the order Brevitas writes. */
static const char *quant_node(gen *g, const char *x, const char *out, const char *scale,
                              const qz *q) {
  if (is_bipolar(q)) {
    node(g, "BipolarQuant", g->qdom, ir_sprintf(g->a, "%s,%s", x, scale), out);
    return out;
  }
  const char *zp = cscalar(g, ir_sprintf(g->a, "%s.zeropt", out), 0.0f);
  const char *bw = cscalar(g, ir_sprintf(g->a, "%s.bitwidth", out), (float)q->bits);
  Onnx__NodeProto *n =
      node(g, "Quant", g->qdom, ir_sprintf(g->a, "%s,%s,%s,%s", x, scale, zp, bw), out);
  ob_attr_int(g->m, n, "narrow", qnarrow(q));
  ob_attr_str(g->m, n, "rounding_mode", qr_ex_rounding_names[q->rounding]);
  ob_attr_int(g->m, n, "signed", q->sgn);
  return out;
}

/* ------------------------------------------------------ channel stats -- */

/* Mean and variance of every channel (or feature) of a tensor. */
typedef struct chst {
  int n;
  double *m, *v;
} chst;

static chst chst_new(gen *g, int n) { return (chst){n, dalloc(g, n), dalloc(g, n)}; }

static double chst_avg(const double *x, int n) {
  double s = 0;
  for (int i = 0; i < n; i++) s += x[i];
  return n ? s / n : 0;
}

/* All channels alike: the statistics of samples drawn by `draw`. */
typedef double (*sampler)(gen *g, const void *ctx);
static chst chst_sampled(gen *g, int n, sampler draw, const void *ctx) {
  double s = 0, s2 = 0;
  const int k = 4096;
  for (int i = 0; i < k; i++) {
    double x = draw(g, ctx);
    s += x, s2 += x * x;
  }
  chst c = chst_new(g, n);
  for (int i = 0; i < n; i++) c.m[i] = s / k, c.v[i] = s2 / k - (s / k) * (s / k);
  return c;
}

/* Pre-activation N(mu[j], sd[j]^2) per channel through optional Relu, the
 * quantizer and optional 2x2 max pooling: Monte Carlo statistics per channel. */
static chst act_mc(gen *g, const double *mu, const double *sd, int n, int relu, const qz *q,
                   int pool) {
  chst c = chst_new(g, n);
  const int k = 256;
  for (int j = 0; j < n; j++) {
    double s = 0, s2 = 0;
    for (int i = 0; i < k; i++) {
      double best = -INFINITY;
      for (int p = 0; p < (pool ? 4 : 1); p++) {
        double x = mu[j] + sd[j] * qr_rnorm(&g->w);
        if (relu && x < 0) x = 0;
        double y = qapply(q, q->scale, x);
        if (y > best) best = y;
      }
      s += best, s2 += best * best;
    }
    c.m[j] = s / k;
    c.v[j] = s2 / k - c.m[j] * c.m[j];
  }
  return c;
}

/* ------------------------------------------------------------- weights -- */

typedef struct wspec {
  int bits, sgn, narrow, mode; /* mode: qr_ex_scale */
} wspec;

/* A quantized weight tensor: float weights drawn over the quantizer's range,
 * the scale(s), the Quant node, and the quantized values (for statistics). */
typedef struct qweight {
  const char *name; /* quantizer output */
  int oc;
  int64_t per;      /* weights per output channel */
  double *q;        /* quantized values, [oc][per] */
} qweight;

static int weight_scales(gen *g, const wspec *w, int oc, float *scale) {
  switch (w->mode) {
  case QR_SC_POW2: scale[0] = (float)ldexp(1, qr_rint(&g->w, -4, 1)); return 1;
  case QR_SC_FLOAT: scale[0] = (float)qr_runif2(&g->w, 0.01, 0.5); return 1;
  case QR_SC_CHAN:
    for (int i = 0; i < oc; i++) scale[i] = (float)qr_runif2(&g->w, 0.01, 0.5);
    return oc;
  default: scale[0] = 1.0f; return 1;
  }
}

/* Weights of shape dims (output channels on axis 0) named `base`.weight.  With
 * store_t (2-D only) the initializer is written transposed, [in,out], and
 * per-channel scales as [1,out], so MatMul can use the quantizer's output
 * directly; otherwise per-channel scales are [oc,1,...]. */
static qweight make_weight(gen *g, const char *base, const wspec *ws, int rank,
                           const int64_t *dims, int store_t) {
  qz q = {ws->bits, ws->sgn, ws->narrow, 0, 1.0};
  double lo, hi;
  qlevels(&q, &lo, &hi);
  qweight r;
  int64_t n = ir_shape_numel(rank, dims);
  r.oc = (int)dims[0];
  r.per = n / r.oc;
  r.q = dalloc(g, n);
  float *w = falloc(g, n), *sc = falloc(g, r.oc);
  int nsc = weight_scales(g, ws, r.oc, sc);
  for (int64_t i = 0; i < n; i++) {
    double s = sc[nsc > 1 ? i / r.per : 0];
    w[i] = (float)(qr_runif2(&g->w, lo - 0.45, hi + 0.45) * s);
    r.q[i] = qapply(&q, s, w[i]);
  }
  const char *wname = ir_sprintf(g->a, "%s.weight", base);
  const char *sname = ir_sprintf(g->a, "%s.weight_scale", base);
  if (store_t) {
    float *wt = falloc(g, n);
    for (int o = 0; o < r.oc; o++)
      for (int64_t i = 0; i < r.per; i++) wt[i * r.oc + o] = w[o * r.per + i];
    ob_init_f32(g->m, wname, 2, (int64_t[]){r.per, r.oc}, wt);
    if (nsc > 1) ob_init_f32(g->m, sname, 2, (int64_t[]){1, r.oc}, sc);
  } else {
    ob_init_f32(g->m, wname, rank, dims, w);
    int64_t sd[IR_MAX_RANK] = {r.oc, 1, 1, 1, 1, 1, 1, 1};
    if (nsc > 1) ob_init_f32(g->m, sname, rank, sd, sc);
  }
  if (nsc == 1) cscalar(g, sname, sc[0]);
  r.name = quant_node(g, wname, ir_sprintf(g->a, "%s.weight_q", base), sname, &q);
  return r;
}

/* Accumulator statistics of out = W x for independent inputs: a linear layer
 * (in_ch(o, i) = i) or a conv (input channel of tap i in output channel o's
 * group).  mean_o = sum_i E[x] w, var_o = sum_i Var[x] w^2. */
static chst acc_stats(gen *g, chst x, const qweight *w, int groups, int taps) {
  chst c = chst_new(g, w->oc);
  int icg = taps ? (int)(w->per / taps) : 0, ocg = w->oc / (groups ? groups : 1);
  for (int o = 0; o < w->oc; o++) {
    double m = 0, v = 0;
    for (int64_t i = 0; i < w->per; i++) {
      int ch = taps ? (o / ocg) * icg + (int)(i / taps) : (int)i;
      double q = w->q[(int64_t)o * w->per + i];
      m += x.m[ch] * q;
      v += x.v[ch] * q * q;
    }
    c.m[o] = m;
    c.v[o] = v > 1e-6 ? v : 1e-6;
  }
  return c;
}

/* ------------------------------------------------------------- layers -- */

/* BatchNormalization set to the accumulator's statistics, scaled so that its
 * output spreads over the activation quantizer's range; a tenth of the
 * channels get a negative scale.  Fills the pre-activation mean/sd. */
static const char *batchnorm(gen *g, const char *in, const char *base, chst acc,
                             const qz *act, float eps, int graph_inputs, double *mu,
                             double *sd) {
  int c = acc.n;
  double lo, hi;
  qlevels(act, &lo, &hi);
  double center = (lo + hi) / 2 * act->scale, half = (hi - lo) / 2 * act->scale;
  float *p[4] = {falloc(g, c), falloc(g, c), falloc(g, c), falloc(g, c)};
  for (int i = 0; i < c; i++) {
    double gam = qr_runif2(&g->w, 0.4, 1.0) * half * (qr_rchance(&g->w, 0.1) ? -1 : 1);
    double bet = center + qr_runif2(&g->w, -0.3, 0.3) * half;
    double rm = acc.m[i] + 0.1 * sqrt(acc.v[i]) * qr_rnorm(&g->w);
    double rv = acc.v[i] * qr_runif2(&g->w, 0.7, 1.3);
    p[0][i] = (float)gam, p[1][i] = (float)bet, p[2][i] = (float)rm, p[3][i] = (float)rv;
    double den = sqrt(rv + eps);
    mu[i] = gam * (acc.m[i] - rm) / den + bet;
    sd[i] = fabs(gam) * sqrt(acc.v[i]) / den;
  }
  const char *suffix[4] = {"weight", "bias", "running_mean", "running_var"};
  const char *names[4];
  for (int i = 0; i < 4; i++) {
    names[i] = cvec(g, ir_sprintf(g->a, "%s.%s", base, suffix[i]), c, p[i]);
    if (graph_inputs) ob_input(g->m, names[i], ONNX_FLOAT, 1, (int64_t[]){c});
  }
  const char *out = ir_sprintf(g->a, "%s.bn_out", base);
  Onnx__NodeProto *n =
      node(g, "BatchNormalization", "",
           ir_sprintf(g->a, "%s,%s,%s,%s,%s", in, names[0], names[1], names[2], names[3]),
           out);
  ob_attr_float(g->m, n, "epsilon", eps);
  ob_attr_float(g->m, n, "momentum", 0.9f);
  return out;
}

/* torch's x.view(x.shape[0], -1): Shape, Gather, Unsqueeze, Concat, Reshape. */
static const char *view_flatten(gen *g, const char *x, const char *base) {
  const char *shp = ir_sprintf(g->a, "%s.shape", base);
  node(g, "Shape", "", x, shp);
  const char *idx = ir_sprintf(g->a, "%s.idx0", base);
  ob_init_i64(g->m, idx, 0, NULL, (int64_t[]){0});
  const char *bs = ir_sprintf(g->a, "%s.batch", base);
  ob_attr_int(g->m, node(g, "Gather", "", ir_sprintf(g->a, "%s,%s", shp, idx), bs), "axis",
              0);
  const char *bs1 = ir_sprintf(g->a, "%s.batch1", base);
  ob_attr_ints(g->m, node(g, "Unsqueeze", "", bs, bs1), "axes", 1, (int64_t[]){0});
  const char *m1 = ir_sprintf(g->a, "%s.minus1", base);
  ob_init_i64(g->m, m1, 1, (int64_t[]){1}, (int64_t[]){-1});
  const char *cat = ir_sprintf(g->a, "%s.newshape", base);
  ob_attr_int(g->m, node(g, "Concat", "", ir_sprintf(g->a, "%s,%s", bs1, m1), cat), "axis",
              0);
  const char *out = ir_sprintf(g->a, "%s.flat", base);
  node(g, "Reshape", "", ir_sprintf(g->a, "%s,%s", x, cat), out);
  return out;
}

/* x * 2 - 1, as the BNN-PYNQ models preprocess their [0, 1] input. */
static const char *two_x_minus_one(gen *g, const char *x) {
  cscalar(g, "pre.two", 2.0f);
  cvec(g, "pre.one", 1, (float[]){1.0f});
  node(g, "Mul", "", ir_sprintf(g->a, "%s,pre.two", x), "pre.scaled");
  node(g, "Sub", "", "pre.scaled,pre.one", "pre.centered");
  return "pre.centered";
}

/* Brevitas TensorNorm as exported: (x - mean) / (var + eps)^0.5 * weight + bias,
 * one statistic for the whole tensor. */
static const char *tensor_norm(gen *g, const char *x, chst acc, const char *out) {
  double am = chst_avg(acc.m, acc.n), av = chst_avg(acc.v, acc.n);
  float mean = (float)(am + 0.1 * sqrt(av) * qr_rnorm(&g->w));
  float wt = (float)qr_runif2(&g->w, 0.5, 1.0), b = (float)qr_runif2(&g->w, -1.5, 1.5);
  float vpe = (float)(av * qr_runif2(&g->w, 0.8, 1.2) + 1e-4);
  cvec(g, "tn.weight", 1, &wt);
  cvec(g, "tn.bias", 1, &b);
  cvec(g, "tn.running_mean", 1, &mean);
  ob_input(g->m, "tn.weight", ONNX_FLOAT, 1, (int64_t[]){1});
  ob_input(g->m, "tn.bias", ONNX_FLOAT, 1, (int64_t[]){1});
  ob_input(g->m, "tn.running_mean", ONNX_FLOAT, 1, (int64_t[]){1});
  cvec(g, "tn.var_eps", 1, &vpe);
  cscalar(g, "tn.half", 0.5f);
  node(g, "Sub", "", ir_sprintf(g->a, "%s,tn.running_mean", x), "tn.centered");
  node(g, "Pow", "", "tn.var_eps,tn.half", "tn.std");
  node(g, "Div", "", "tn.centered,tn.std", "tn.normed");
  node(g, "Mul", "", "tn.normed,tn.weight", "tn.scaled");
  node(g, "Add", "", "tn.scaled,tn.bias", out);
  return out;
}

/* A linear layer as Brevitas exports QuantLinear: Quant(W[out,in]), Transpose,
 * MatMul; or, with transpose 0, Quant(W[in,out]) and MatMul. */
static const char *linear(gen *g, const char *x, const char *base, int in, int out,
                          const wspec *ws, int transpose, qweight *w) {
  *w = make_weight(g, base, ws, 2, (int64_t[]){out, in}, !transpose);
  const char *wt = w->name;
  if (transpose) {
    wt = ir_sprintf(g->a, "%s.weight_t", base);
    ob_attr_ints(g->m, node(g, "Transpose", "", w->name, wt), "perm", 2, (int64_t[]){1, 0});
  }
  const char *mm = ir_sprintf(g->a, "%s.out", base);
  node(g, "MatMul", "", ir_sprintf(g->a, "%s,%s", x, wt), mm);
  return mm;
}

static Onnx__NodeProto *conv_node(gen *g, const char *ins, const char *out,
                                  const qr_ex_conv *cv) {
  Onnx__NodeProto *n = node(g, "Conv", "", ins, out);
  ob_attr_ints(g->m, n, "dilations", 2, (int64_t[]){cv->d, cv->d});
  ob_attr_int(g->m, n, "group", cv->g);
  ob_attr_ints(g->m, n, "kernel_shape", 2, (int64_t[]){cv->k, cv->k});
  ob_attr_ints(g->m, n, "pads", 4, (int64_t[]){cv->p, cv->p, cv->p, cv->p});
  ob_attr_ints(g->m, n, "strides", 2, (int64_t[]){cv->s, cv->s});
  return n;
}

static const char *maxpool2(gen *g, const char *x, const char *out) {
  Onnx__NodeProto *n = node(g, "MaxPool", "", x, out);
  ob_attr_ints(g->m, n, "kernel_shape", 2, (int64_t[]){2, 2});
  ob_attr_ints(g->m, n, "pads", 4, (int64_t[]){0, 0, 0, 0});
  ob_attr_ints(g->m, n, "strides", 2, (int64_t[]){2, 2});
  return out;
}

/* How an accumulator becomes an activation. */
typedef struct act_cfg {
  qz q;
  int bn, bias, relu, spatial;
  const char *conv_bias; /* bias went into the Conv as this (not yet written) input */
  int bn_inputs;         /* list BN parameters as graph inputs (Brevitas-era exports) */
  float eps;
} act_cfg;

/* Without BN: one float Mul (k) that brings the accumulator to the
 * quantizer's range, then the per-channel bias (Add, or written into the
 * Conv's bias input in accumulator units) or, without bias, a scalar offset
 * when the accumulator is off-centre. */
static const char *rescale(gen *g, const char *x, const char *base, chst acc,
                           const act_cfg *ac, double *mu, double *sd) {
  double lo, hi;
  qlevels(&ac->q, &lo, &hi);
  double center = (lo + hi) / 2 * ac->q.scale, half = (hi - lo) / 2 * ac->q.scale;
  double k = half / sqrt(chst_avg(acc.v, acc.n)) * qr_runif2(&g->w, 0.5, 1.0);
  int c = acc.n;
  float *b = falloc(g, c);
  double off = center - k * chst_avg(acc.m, c);
  for (int i = 0; i < c; i++) {
    double bi = ac->bias ? center - k * acc.m[i] + qr_runif2(&g->w, -0.3, 0.3) * half : off;
    b[i] = (float)(ac->conv_bias ? bi / k : bi);
    mu[i] = k * acc.m[i] + (double)(ac->conv_bias ? b[i] * k : b[i]);
    sd[i] = k * sqrt(acc.v[i]);
  }
  if (ac->conv_bias) cvec(g, ac->conv_bias, c, b);
  const char *kn = cscalar(g, ir_sprintf(g->a, "%s.rescale", base), (float)k);
  const char *out = ir_sprintf(g->a, "%s.rescaled", base);
  node(g, "Mul", "", ir_sprintf(g->a, "%s,%s", x, kn), out);
  if (ac->conv_bias || (!ac->bias && fabs(off) < 0.05 * half)) {
    if (!ac->conv_bias)
      for (int i = 0; i < c; i++) mu[i] -= b[i];
    return out;
  }
  const char *bn = ir_sprintf(g->a, "%s.bias", base);
  if (!ac->bias) cscalar(g, bn, b[0]);
  else if (ac->spatial) ob_init_f32(g->m, bn, 3, (int64_t[]){c, 1, 1}, b);
  else cvec(g, bn, c, b);
  const char *biased = ir_sprintf(g->a, "%s.biased", base);
  node(g, "Add", "", ir_sprintf(g->a, "%s,%s", out, bn), biased);
  return biased;
}

/* BN (or rescale), optional Relu, activation quantizer; *out gets the
 * statistics of the result (after a following 2x2 maxpool when pool). */
static const char *activation(gen *g, const char *acc_name, const char *base, chst acc,
                              const act_cfg *ac, int pool, chst *out) {
  double *mu = dalloc(g, acc.n), *sd = dalloc(g, acc.n);
  const char *x =
      ac->bn ? batchnorm(g, acc_name, ir_sprintf(g->a, "%s.bn", base), acc, &ac->q, ac->eps,
                         ac->bn_inputs, mu, sd)
             : rescale(g, acc_name, base, acc, ac, mu, sd);
  if (ac->relu) {
    const char *r = ir_sprintf(g->a, "%s.relu", base);
    node(g, "Relu", "", x, r);
    x = r;
  }
  const char *sc = cscalar(g, ir_sprintf(g->a, "%s.act_scale", base), (float)ac->q.scale);
  *out = act_mc(g, mu, sd, acc.n, ac->relu, &ac->q, pool);
  return quant_node(g, x, ir_sprintf(g->a, "%s.act", base), sc, &ac->q);
}

/* ---------------------------------------------------------- BNN-PYNQ ---- */

/* BNN-PYNQ activations (CommonActQuant): signed, narrow, scale 1. */
static act_cfg bnn_act(int abits, float eps) {
  act_cfg ac = {{abits, 1, 1, 0, 1.0}, 1, 0, 0, 0, NULL, 1, eps};
  return ac;
}

typedef struct in_sample {
  qz q;
} in_sample;

/* A [0, 1] pixel after 2x-1 and the input quantizer. */
static double draw_pixel(gen *g, const void *ctx) {
  const in_sample *s = ctx;
  return qapply(&s->q, s->q.scale, 2 * qr_runif(&g->w) - 1);
}

static ob_model *build_tfc(uint64_t seed, int wbits, int abits, int ibits) {
  gen *g = gen_new("torch-jit-export", seed, "onnx.brevitas");
  ob_set_ir_version(g->m, 6);
  ob_opset(g->m, "", 9);
  ob_opset(g->m, "onnx.brevitas", 1);
  ob_input(g->m, "input", ONNX_FLOAT, 4, (int64_t[]){1, 1, 28, 28});
  ob_metadata(g->m, "qonnx-rtl.input_range", "0,1");
  const char *x = view_flatten(g, "input", "in");
  x = two_x_minus_one(g, x);
  in_sample is = {{ibits, 1, 1, 0, 1.0}};
  x = quant_node(g, x, "in.act", cscalar(g, "in.act_scale", 1.0f), &is.q);
  chst xs = chst_sampled(g, 784, draw_pixel, &is);
  const int width[5] = {784, 64, 64, 64, 10};
  wspec ws = {wbits, 1, 1, QR_SC_UNIT};
  for (int l = 0; l < 4; l++) {
    qweight w;
    const char *base = ir_sprintf(g->a, "fc%d", l);
    const char *mm = linear(g, x, base, width[l], width[l + 1], &ws, 1, &w);
    chst acc = acc_stats(g, xs, &w, 1, 0);
    if (l == 3) {
      tensor_norm(g, mm, acc, "output");
      break;
    }
    act_cfg ac = bnn_act(abits, 1e-5f);
    x = activation(g, mm, ir_sprintf(g->a, "bn%d", l), acc, &ac, 0, &xs);
  }
  ob_output(g->m, "output", ONNX_FLOAT, 2, (int64_t[]){1, 10});
  return g->m;
}

/* Channel statistics repeated over H*W positions: features after flattening. */
static chst flatten_stats(gen *g, chst c, int hw) {
  chst f = chst_new(g, c.n * hw);
  for (int i = 0; i < f.n; i++) f.m[i] = c.m[i / hw], f.v[i] = c.v[i / hw];
  return f;
}

static ob_model *build_cnv(uint64_t seed, int wbits, int abits) {
  static const int out_ch[6] = {64, 64, 128, 128, 256, 256};
  static const int pool[6] = {0, 1, 0, 1, 0, 0};
  gen *g = gen_new("torch-jit-export", seed, "onnx.brevitas");
  ob_set_ir_version(g->m, 6);
  ob_opset(g->m, "", 9);
  ob_opset(g->m, "onnx.brevitas", 1);
  ob_input(g->m, "input", ONNX_FLOAT, 4, (int64_t[]){1, 3, 32, 32});
  ob_metadata(g->m, "qonnx-rtl.input_range", "0,1");
  const char *x = two_x_minus_one(g, "input");
  /* Q1.7 input: 8-bit signed, not narrow, scale 2^-7 (CNV.py) */
  in_sample is = {{8, 1, 0, 0, 0.0078125}};
  x = quant_node(g, x, "in.act", cscalar(g, "in.act_scale", 0.0078125f), &is.q);
  chst xs = chst_sampled(g, 3, draw_pixel, &is);
  wspec ws = {wbits, 1, 1, QR_SC_UNIT};
  int ic = 3, hw = 32;
  for (int l = 0; l < 6; l++) {
    const char *base = ir_sprintf(g->a, "conv%d", l);
    qweight w = make_weight(g, base, &ws, 4, (int64_t[]){out_ch[l], ic, 3, 3}, 0);
    const char *co = ir_sprintf(g->a, "%s.out", base);
    conv_node(g, ir_sprintf(g->a, "%s,%s", x, w.name), co,
              &(qr_ex_conv){out_ch[l], 3, 1, 0, 1, 1, 0, 0});
    chst acc = acc_stats(g, xs, &w, 1, 9);
    act_cfg ac = bnn_act(abits, 1e-4f);
    x = activation(g, co, ir_sprintf(g->a, "bn%d", l), acc, &ac, pool[l], &xs);
    ic = out_ch[l];
    hw -= 2;
    if (pool[l]) {
      x = maxpool2(g, x, ir_sprintf(g->a, "pool%d.out", l));
      hw /= 2;
    }
  }
  x = view_flatten(g, x, "flat");
  xs = flatten_stats(g, xs, hw * hw);
  const int width[4] = {256, 512, 512, 10};
  for (int l = 0; l < 3; l++) {
    qweight w;
    const char *base = ir_sprintf(g->a, "fc%d", l);
    const char *mm = linear(g, x, base, width[l], width[l + 1], &ws, 1, &w);
    chst acc = acc_stats(g, xs, &w, 1, 0);
    if (l == 2) {
      tensor_norm(g, mm, acc, "output");
      break;
    }
    act_cfg ac = bnn_act(abits, 1e-4f);
    x = activation(g, mm, ir_sprintf(g->a, "bnfc%d", l), acc, &ac, 0, &xs);
  }
  ob_output(g->m, "output", ONNX_FLOAT, 2, (int64_t[]){1, 10});
  return g->m;
}

const char *const qr_ex_names[] = {"tfc-w1a1", "tfc-w1a2", "tfc-w2a2", "cnv-w1a1",
                                   "cnv-w1a2", "cnv-w2a2", "mlp", "cnn", NULL};
const char *const qr_ex_descr[] = {
    "784-64-64-64-10 MNIST MLP, bipolar weights and activations (as TFC_1W1A)",
    "784-64-64-64-10 MNIST MLP, bipolar weights, 2-bit activations (as TFC_1W2A)",
    "784-64-64-64-10 MNIST MLP, 2-bit weights and activations (as TFC_2W2A)",
    "CIFAR-10 CNV (6 conv 64..256, 2 maxpool, FC 512,512,10), 8-bit input, 1/1 bits",
    "CIFAR-10 CNV, bipolar weights, 2-bit activations",
    "CIFAR-10 CNV, 2-bit weights and activations (QONNX paper CNV-w2a2)",
    "random MLP (options below; unset ones drawn from --seed)",
    "random CNN: convs (residual, concat, dilated), pools, FC layers (options below)",
    NULL};

ob_model *qr_ex_build_named(const char *name, uint64_t seed) {
  if (!strcmp(name, "tfc-w1a1")) return build_tfc(seed, 1, 1, 1);
  if (!strcmp(name, "tfc-w1a2")) return build_tfc(seed, 1, 2, 2);
  if (!strcmp(name, "tfc-w2a2")) return build_tfc(seed, 2, 2, 2);
  if (!strcmp(name, "cnv-w1a1")) return build_cnv(seed, 1, 1);
  if (!strcmp(name, "cnv-w1a2")) return build_cnv(seed, 1, 2);
  if (!strcmp(name, "cnv-w2a2")) return build_cnv(seed, 2, 2);
  ir_errorf(NULL, NULL, "unknown example '%s' (`qonnx-rtl example --list` names them)",
            name);
  return NULL;
}

/* -------------------------------------------------------- random build -- */

static double act_scale_for(gen *g, int mode, int bits) {
  if (mode == QR_SC_UNIT) return 1.0;
  if (mode == QR_SC_POW2) return ldexp(1, qr_rint(&g->w, -5, 0) - (bits > 4 ? 2 : 0));
  return (float)qr_runif2(&g->w, 0.02, 0.6);
}

static act_cfg act_of(gen *g, const qr_ex_spec *s, int spatial) {
  act_cfg ac = {{s->abits, s->asigned, s->narrow, s->rounding, 1.0},
                s->bn, s->bias, s->relu, spatial, NULL, 0, 1e-5f};
  ac.q.scale = act_scale_for(g, s->scale == QR_SC_CHAN ? QR_SC_FLOAT : s->scale, s->abits);
  return ac;
}

typedef struct int_sample {
  double lo, hi;
  int bipolar;
} int_sample;

static double draw_int(gen *g, const void *ctx) {
  const int_sample *s = ctx;
  if (s->bipolar) return qr_rchance(&g->w, 0.5) ? 1 : -1;
  return floor(qr_runif2(&g->w, s->lo, s->hi + 1));
}

typedef struct float_sample {
  qz q;
  double lo, hi;
} float_sample;

static double draw_float(gen *g, const void *ctx) {
  const float_sample *s = ctx;
  return qapply(&s->q, s->q.scale, qr_runif2(&g->w, s->lo, s->hi));
}

/* The graph input and its quantizer (or finn_datatype annotation); metadata
 * "qonnx-rtl.input_range" says where test inputs belong. */
static const char *random_input(gen *g, const qr_ex_spec *s, int rank, const int64_t *dims,
                                int nch, chst *xs, double *scale) {
  ob_input(g->m, "input", ONNX_FLOAT, rank, dims);
  qz q = {s->ibits, s->isigned, s->narrow, s->rounding, 1.0};
  double lo, hi;
  qlevels(&q, &lo, &hi);
  if (s->iquant) {
    q.scale = act_scale_for(g, s->scale == QR_SC_CHAN ? QR_SC_FLOAT : s->scale, s->ibits);
    float_sample fs = {q, (lo - 1) * q.scale, (hi + 1) * q.scale};
    ob_metadata(g->m, "qonnx-rtl.input_range", ir_sprintf(g->a, "%g,%g", fs.lo, fs.hi));
    *xs = chst_sampled(g, nch, draw_float, &fs);
    *scale = q.scale;
    return quant_node(g, "input", "in.act", cscalar(g, "in.act_scale", (float)q.scale), &q);
  }
  /* an annotated integer input (annotations name wide ranges: INT3 is -4..3) */
  ir_dtype dt = {QDT_INT, s->ibits, s->isigned != 0, false, 0};
  if (s->ibits == 1 && s->isigned) dt.kind = QDT_BIPOLAR;
  int_sample is = {ir_dtype_min(dt), ir_dtype_max(dt), dt.kind == QDT_BIPOLAR};
  ob_annotate(g->m, "input", "finn_datatype", ir_dtype_name(g->a, dt));
  ob_metadata(g->m, "qonnx-rtl.input_range", ir_sprintf(g->a, "%g,%g", is.lo, is.hi));
  ob_metadata(g->m, "qonnx-rtl.input_integer", "1");
  *xs = chst_sampled(g, nch, draw_int, &is);
  *scale = 1.0;
  return "input";
}

/* The FC stack shared by mlp and cnn: hidden layers with activations, then
 * the output layer (+ bias, + quantizer with --outq 1), named "output". */
static void fc_stack(gen *g, const qr_ex_spec *s, const char *x, int in, int first, chst xs,
                     const wspec *ws) {
  for (int l = first; l < s->nlayers; l++) {
    qweight w;
    int out = s->layers[l];
    const char *base = ir_sprintf(g->a, "fc%d", l);
    const char *mm = linear(g, x, base, in, out, ws, s->transpose, &w);
    chst acc = acc_stats(g, xs, &w, 1, 0);
    act_cfg ac = act_of(g, s, 0);
    if (l < s->nlayers - 1) {
      x = activation(g, mm, base, acc, &ac, 0, &xs);
      in = out;
      continue;
    }
    x = mm;
    if (s->outq) {
      ac.bn = 0, ac.relu = 0;
      x = activation(g, mm, ir_sprintf(g->a, "%s.out", base), acc, &ac, 0, &xs);
    } else if (s->bias) {
      float *b = falloc(g, out);
      for (int i = 0; i < out; i++)
        b[i] = (float)(qr_runif2(&g->w, -0.5, 0.5) * sqrt(acc.v[i]));
      const char *bn = cvec(g, ir_sprintf(g->a, "%s.bias", base), out, b);
      x = ir_sprintf(g->a, "%s.biased", base);
      node(g, "Add", "", ir_sprintf(g->a, "%s,%s", mm, bn), x);
    }
  }
  node(g, "Identity", "", x, "output");
}

static ob_model *build_mlp(const qr_ex_spec *s) {
  gen *g = gen_new("random_mlp", s->seed, "qonnx.custom_op.general");
  ob_opset(g->m, "", 11);
  ob_opset(g->m, "qonnx.custom_op.general", 1);
  chst xs;
  double xscale;
  const char *x =
      random_input(g, s, 2, (int64_t[]){1, s->layers[0]}, s->layers[0], &xs, &xscale);
  wspec ws = {s->wbits, s->wsigned, s->narrow, s->scale};
  fc_stack(g, s, x, s->layers[0], 1, xs, &ws);
  ob_output(g->m, "output", ONNX_FLOAT, 2, (int64_t[]){1, s->layers[s->nlayers - 1]});
  return g->m;
}

/* ------------------------------------------------ CNN structures ---- */

/* A scale for an activation quantizer after an Add or an average, fitted to
 * the values' statistics: 1 with --scale unit; else the value range
 * (mean + 2 sd, the largest over channels) over the top level, as a power of
 * two with pow2, as a float otherwise.  fallback when there is nothing to fit. */
static double fit_scale(gen *g, int mode, const qz *q, chst st, double fallback) {
  if (mode == QR_SC_UNIT) return 1.0;
  double lo, hi, top = 0;
  qlevels(q, &lo, &hi);
  for (int i = 0; i < st.n; i++) {
    double sd = 2 * sqrt(st.v[i] > 0 ? st.v[i] : 0);
    double t = q->sgn ? fmax(fabs(st.m[i] + sd), fabs(st.m[i] - sd)) : st.m[i] + sd;
    top = fmax(top, t);
  }
  double t = top / (hi > 0 ? hi : 1);
  if (!(t > 1e-6) || !isfinite(t)) t = fallback;
  if (mode == QR_SC_POW2) return ldexp(1, (int)lround(log2(t)));
  return (float)(t * qr_runif2(&g->w, 0.8, 1.25));
}

/* The largest magnitude of a quantizer's integer levels. */
static double qmaxabs(const qz *q) {
  double lo, hi;
  qlevels(q, &lo, &hi);
  return fmax(-lo, hi);
}

/* The random CNN's activation quantizer with the given scale. */
static qz act_qz(const qr_ex_spec *s, double scale) {
  return (qz){s->abits, s->asigned, s->narrow, s->rounding, scale};
}

/* Activation scales are floats with per-channel weight scales. */
static int scale_mode(const qr_ex_spec *s) {
  return s->scale == QR_SC_CHAN ? QR_SC_FLOAT : s->scale;
}

/* (optional Relu +) activation quantizer on x with pre-quantizer statistics
 * pre; *st gets the statistics of the result (after a 2x2 maxpool when pool). */
static const char *requant(gen *g, const char *x, const char *base, chst pre, const qz *q,
                           int relu, int pool, chst *st) {
  if (relu) {
    const char *r = ir_sprintf(g->a, "%s.relu", base);
    node(g, "Relu", "", x, r);
    x = r;
  }
  double *sd = dalloc(g, pre.n);
  for (int i = 0; i < pre.n; i++) sd[i] = sqrt(pre.v[i] > 0 ? pre.v[i] : 0);
  *st = act_mc(g, pre.m, sd, pre.n, relu, q, pool);
  const char *sc = cscalar(g, ir_sprintf(g->a, "%s.act_scale", base), (float)q->scale);
  return quant_node(g, x, ir_sprintf(g->a, "%s.act", base), sc, q);
}

/* Average pooling (2x2 stride 2, or global) of x and an activation quantizer
 * fitted to the averages; xs follows. */
static const char *avg_pool(gen *g, const qr_ex_spec *s, const char *x, const char *base,
                            int global, int hw, double *scale, chst *xs) {
  const char *out = ir_sprintf(g->a, "%s.out", base);
  Onnx__NodeProto *n = node(g, global ? "GlobalAveragePool" : "AveragePool", "", x, out);
  int k = global ? hw : 4;
  if (!global) {
    ob_attr_ints(g->m, n, "kernel_shape", 2, (int64_t[]){2, 2});
    ob_attr_ints(g->m, n, "pads", 4, (int64_t[]){0, 0, 0, 0});
    ob_attr_ints(g->m, n, "strides", 2, (int64_t[]){2, 2});
  }
  chst pre = chst_new(g, xs->n);
  for (int i = 0; i < pre.n; i++) pre.m[i] = xs->m[i], pre.v[i] = xs->v[i] / k;
  qz q = act_qz(s, 1.0);
  q.scale = fit_scale(g, scale_mode(s), &q, pre, *scale);
  *scale = q.scale;
  return requant(g, out, base, pre, &q, 0, 0, xs);
}

static chst chst_cat(gen *g, const chst *parts, int n) {
  int c = 0;
  for (int i = 0; i < n; i++) c += parts[i].n;
  chst r = chst_new(g, c);
  for (int i = 0, o = 0; i < n; o += parts[i++].n)
    for (int j = 0; j < parts[i].n; j++) r.m[o + j] = parts[i].m[j], r.v[o + j] = parts[i].v[j];
  return r;
}

static ob_model *build_cnn(const qr_ex_spec *s) {
  gen *g = gen_new("random_cnn", s->seed, "qonnx.custom_op.general");
  ob_opset(g->m, "", 11);
  ob_opset(g->m, "qonnx.custom_op.general", 1);
  chst xs;
  double xscale; /* the scale of x (the input quantizer's; 1 for an integer input) */
  const char *x =
      random_input(g, s, 4, (int64_t[]){1, s->in_c, s->in_h, s->in_w}, s->in_c, &xs, &xscale);
  /* x's largest integer level (an integer input's range is its dtype's) */
  qz inq = {s->ibits, s->isigned, s->iquant ? s->narrow : 0, 0, 1.0};
  double xlev = qmaxabs(&inq), blev = 0;
  wspec ws = {s->wbits, s->wsigned, s->narrow, s->scale};
  int c = s->in_c, h = s->in_h, w = s->in_w;
  /* concat group: its input, the members' outputs and their shared quantizer */
  const char *gx = x, *cat_out[QR_EX_MAX_CONVS];
  chst gxs = xs, cat_st[QR_EX_MAX_CONVS];
  int gc = c, gh = h, gw = w, ncat = 0;
  act_cfg cat_ac;
  /* residual block: its input, and how many branch convs are left */
  const char *bx = NULL;
  chst bxs = xs;
  double bscale = 1.0;
  int left = 0;
  for (int l = 0; l < s->nconvs; l++) {
    const qr_ex_conv *cv = &s->conv[l];
    if (cv->res) bx = x, bxs = xs, bscale = xscale, blev = xlev, left = cv->res;
    if (!cv->cat) gx = x, gxs = xs, gc = c, gh = h, gw = w, ncat = 0;
    int end = l; /* the last conv of this conv's unit, where pools go */
    while (!left && end + 1 < s->nconvs && s->conv[end + 1].cat) end++;
    if (left) end = left == 1 ? l : -1;
    const char *base = ir_sprintf(g->a, "conv%d", l);
    qweight wt =
        make_weight(g, base, &ws, 4, (int64_t[]){cv->oc, gc / cv->g, cv->k, cv->k}, 0);
    const char *co = ir_sprintf(g->a, "%s.out", base);
    act_cfg ac = cv->cat ? cat_ac : act_of(g, s, 1);
    const char *ins = ir_sprintf(g->a, "%s,%s", gx, wt.name);
    if (!s->bn && s->bias) { /* the bias as the Conv's third input */
      ac.conv_bias = ir_sprintf(g->a, "%s.bias", base);
      ins = ir_sprintf(g->a, "%s,%s", ins, ac.conv_bias);
    }
    conv_node(g, ins, co, cv);
    chst acc = acc_stats(g, gxs, &wt, cv->g, cv->k * cv->k);
    int mp = end >= 0 && s->pool[end] && !(left == 1 && l == end);
    if (left == 1 && s->scale <= QR_SC_POW2) {
      /* the float32 sum of the block's two power-of-two-scaled inputs must be
       * exact: at the finer scale, both integer ranges fit in 24 bits */
      double fine = fmin(bscale, ac.q.scale);
      if (blev * bscale / fine + qmaxabs(&ac.q) * ac.q.scale / fine >= 0x1p24)
        ac.q.scale = bscale;
    }
    x = activation(g, co, base, acc, &ac, mp, &xs);
    xscale = ac.q.scale;
    xlev = qmaxabs(&ac.q);
    c = cv->oc;
    h = qr_ex_conv_out(gh, cv);
    w = qr_ex_conv_out(gw, cv);
    if (!left && (cv->cat || (l + 1 < s->nconvs && s->conv[l + 1].cat))) {
      if (!cv->cat) cat_ac = ac;
      cat_out[ncat] = x, cat_st[ncat++] = xs;
      if (l == end) { /* the group's Concat */
        const char *ins2 = cat_out[0];
        for (int i = 1; i < ncat; i++) ins2 = ir_sprintf(g->a, "%s,%s", ins2, cat_out[i]);
        x = ir_sprintf(g->a, "cat%d.out", l);
        ob_attr_int(g->m, node(g, "Concat", "", ins2, x), "axis", 1);
        xs = chst_cat(g, cat_st, ncat);
        c = xs.n;
      }
    }
    if (left && --left == 0) { /* the block's Add and activation */
      const char *base2 = ir_sprintf(g->a, "res%d", l);
      const char *sum = ir_sprintf(g->a, "%s.sum", base2);
      node(g, "Add", "", ir_sprintf(g->a, "%s,%s", bx, x), sum);
      chst pre = chst_new(g, c);
      for (int i = 0; i < c; i++) pre.m[i] = bxs.m[i] + xs.m[i], pre.v[i] = bxs.v[i] + xs.v[i];
      qz q = act_qz(s, 1.0);
      q.scale = fit_scale(g, scale_mode(s), &q, pre, fmax(bscale, xscale));
      x = requant(g, sum, base2, pre, &q, s->relu, s->pool[l], &xs);
      xscale = q.scale;
      xlev = qmaxabs(&q);
    }
    if (l != end) continue;
    if (s->pool[l]) {
      x = maxpool2(g, x, ir_sprintf(g->a, "pool%d.out", l));
      h /= 2, w /= 2;
    } else if (s->navgpool > 0 && s->avgpool[l]) {
      x = avg_pool(g, s, x, ir_sprintf(g->a, "avgpool%d", l), 0, 4, &xscale, &xs);
      qz aq = act_qz(s, xscale);
      xlev = qmaxabs(&aq);
      h /= 2, w /= 2;
    }
  }
  if (s->gap > 0) {
    x = avg_pool(g, s, x, "gap", 1, h * w, &xscale, &xs);
    h = w = 1;
  }
  const char *flat = "flat.out";
  if (qr_rchance(&g->w, 0.5)) {
    ob_attr_int(g->m, node(g, "Flatten", "", x, flat), "axis", 1);
  } else {
    ob_init_i64(g->m, "flat.shape", 1, (int64_t[]){2}, (int64_t[]){1, -1});
    node(g, "Reshape", "", ir_sprintf(g->a, "%s,flat.shape", x), flat);
  }
  fc_stack(g, s, flat, c * h * w, 0, flatten_stats(g, xs, h * w), &ws);
  ob_output(g->m, "output", ONNX_FLOAT, 2, (int64_t[]){1, s->layers[s->nlayers - 1]});
  return g->m;
}

ob_model *qr_ex_build(const qr_ex_spec *s) {
  ob_model *m = s->kind == QR_EX_CNN ? build_cnn(s) : build_mlp(s);
  ob_metadata(m, "qonnx-rtl.example", qr_ex_spec_str(ob_arena(m), s));
  return m;
}
