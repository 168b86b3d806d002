/* ops_nn.c - dense neural-network ops: MatMul, Gemm, BatchNormalization,
 * Softmax/LogSoftmax, ArgMax, TopK (shape rules + executors).
 *
 * Dot products accumulate in double and round once to float32, which is as
 * close to onnxruntime's float32 result as any fixed summation order can be.
 * BatchNormalization instead reproduces onnxruntime's float32 sequence step by
 * step, because QONNX graphs quantize right after it and a last-bit difference
 * can move a value across a rounding boundary.  Convolution and pooling live in
 * ir/ops_window.c, Resize/DepthToSpace/Pad in ir/ops_resize.c. */
#include <stdlib.h>
#include <string.h>

#include "ir/ops_nn_util.h"

/* ------------------------------------------------------------ MatMul -- */

/* numpy matmul geometry: a 1-D A is [1,K] with that 1 dropped from the result,
 * a 1-D B is [K,1] likewise; leading (batch) dims broadcast. */
typedef struct {
  int rank;                   /* of the result */
  int64_t dims[IR_MAX_RANK];
  int brank;                  /* batch rank of the result */
  int64_t m, k, n;
} mm_geom;

static int matmul_geom(const char *file, const ir_node *nd, ir_arena *a, int ra,
                       const int64_t *da, int rb, const int64_t *db, mm_geom *gm) {
  if (ra < 1 || rb < 1)
    return ir_errorf(file, nd, "MatMul of a scalar (shapes %s x %s)",
                     ou_shape_str(a, ra, da), ou_shape_str(a, rb, db));
  int64_t ka = da[ra - 1], kb = rb == 1 ? db[0] : db[rb - 2];
  if (ka >= 0 && kb >= 0 && ka != kb)
    return ir_errorf(file, nd, "MatMul inner dimensions differ: %s x %s",
                     ou_shape_str(a, ra, da), ou_shape_str(a, rb, db));
  gm->m = ra == 1 ? 1 : da[ra - 2];
  gm->k = ka >= 0 ? ka : kb;
  gm->n = rb == 1 ? 1 : db[rb - 1];
  int bra = ra > 2 ? ra - 2 : 0, brb = rb > 2 ? rb - 2 : 0;
  if (ou_broadcast2(bra, da, brb, db, &gm->brank, gm->dims))
    return ir_errorf(file, nd, "MatMul batch dimensions do not broadcast: %s x %s",
                     ou_shape_str(a, ra, da), ou_shape_str(a, rb, db));
  gm->rank = gm->brank;
  if (ra > 1) gm->dims[gm->rank++] = gm->m;
  if (rb > 1) gm->dims[gm->rank++] = gm->n;
  if (gm->rank > IR_MAX_RANK)
    return ir_errorf(file, nd, "output rank exceeds %d", IR_MAX_RANK);
  return 0;
}

int shape_matmul(ir_graph *g, ir_node *n) {
  ir_tensor *a = n->in[0], *b = n->in[1];
  mm_geom gm;
  if (a->rank < 0 || b->rank < 0) {
    ou_set_shape(n->out[0], a->onnx_type, -1, NULL);
    return 0;
  }
  if (matmul_geom(g->file, n, g->arena, a->rank, a->dims, b->rank, b->dims, &gm))
    return -1;
  ou_set_shape(n->out[0], a->onnx_type, gm.rank, gm.dims);
  return 0;
}

/* One [m,k] x [k,n] product, row by row into a double (or int64) accumulator
 * row so that the inner loop runs over contiguous memory. */
static void matmul_f32(const float *a, const float *b, float *y, int64_t m, int64_t k,
                       int64_t n, double *acc) {
  for (int64_t i = 0; i < m; i++) {
    for (int64_t j = 0; j < n; j++) acc[j] = 0;
    for (int64_t p = 0; p < k; p++) {
      double av = a[i * k + p];
      const float *brow = b + p * n;
      for (int64_t j = 0; j < n; j++) acc[j] += av * brow[j];
    }
    for (int64_t j = 0; j < n; j++) y[i * n + j] = (float)acc[j];
  }
}

static void matmul_i64(const int64_t *a, const int64_t *b, int64_t *y, int64_t m,
                       int64_t k, int64_t n) {
  for (int64_t i = 0; i < m; i++)
    for (int64_t j = 0; j < n; j++) {
      uint64_t s = 0; /* wraps like the fixed-width integer it stands for */
      for (int64_t p = 0; p < k; p++) s += (uint64_t)a[i * k + p] * (uint64_t)b[p * n + j];
      y[i * n + j] = (int64_t)s;
    }
}

int exec_matmul(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  const char *file = nu_file(ctx);
  const ir_buf *a = in[0], *b = in[1];
  mm_geom gm;
  if (a->store != b->store)
    return ir_errorf(file, n, "inputs have different element types (%s and %s)",
                     ir_onnx_type_name(a->onnx_type), ir_onnx_type_name(b->onnx_type));
  if (matmul_geom(file, n, ctx->arena, a->rank, a->dims, b->rank, b->dims, &gm)) return -1;
  ir_buf *y = ou_buf_new(ctx, n, a->store, a->onnx_type, gm.rank, gm.dims);
  if (!y) return -1;
  /* Batch offsets: views of A's and B's batch dims, iterated over the result's. */
  ir_buf va = {0}, vb = {0};
  va.rank = a->rank > 2 ? a->rank - 2 : 0;
  vb.rank = b->rank > 2 ? b->rank - 2 : 0;
  memcpy(va.dims, a->dims, sizeof(int64_t) * (size_t)va.rank);
  memcpy(vb.dims, b->dims, sizeof(int64_t) * (size_t)vb.rank);
  ou_iter it;
  ou_iter_init(&it, gm.brank, gm.dims, 2, (const ir_buf *[]){&va, &vb});
  int64_t nbatch = nu_prod(gm.dims, 0, gm.brank);
  int64_t sa = gm.m * gm.k, sb = gm.k * gm.n, sy = gm.m * gm.n;
  double *acc = ir_alloc_array(ctx->arena, (size_t)(gm.n ? gm.n : 1), sizeof(double));
  for (int64_t t = 0; t < nbatch; t++, ou_iter_next(&it)) {
    if (a->store == IR_F32)
      matmul_f32(a->f + it.off[0] * sa, b->f + it.off[1] * sb, y->f + t * sy, gm.m, gm.k,
                 gm.n, acc);
    else
      matmul_i64(a->i + it.off[0] * sa, b->i + it.off[1] * sb, y->i + t * sy, gm.m, gm.k,
                 gm.n);
  }
  out[0] = y;
  return 0;
}

/* -------------------------------------------------------------- Gemm -- */

/* Y[M,N] = alpha * A' B' + beta * C, A' = transA ? A^T : A (likewise B). */
static int gemm_geom(const char *file, const ir_node *nd, ir_arena *a, int ra,
                     const int64_t *da, int rb, const int64_t *db, int rc,
                     const int64_t *dc, int64_t *mn, int64_t *kk) {
  if (ra != 2 || rb != 2)
    return ir_errorf(file, nd, "Gemm needs 2-D A and B, got %s and %s",
                     ou_shape_str(a, ra, da), ou_shape_str(a, rb, db));
  bool ta = ir_attr_int(nd, "transA", 0) != 0, tb = ir_attr_int(nd, "transB", 0) != 0;
  int64_t m = ta ? da[1] : da[0], k1 = ta ? da[0] : da[1];
  int64_t k2 = tb ? db[1] : db[0], nn = tb ? db[0] : db[1];
  if (k1 >= 0 && k2 >= 0 && k1 != k2)
    return ir_errorf(file, nd, "Gemm inner dimensions differ: %s%s x %s%s",
                     ou_shape_str(a, ra, da), ta ? "^T" : "", ou_shape_str(a, rb, db),
                     tb ? "^T" : "");
  mn[0] = m;
  mn[1] = nn;
  *kk = k1 >= 0 ? k1 : k2;
  if (rc >= 0) { /* C broadcasts one way onto [M,N] */
    int r;
    int64_t d[IR_MAX_RANK];
    if (rc > 2 || ou_broadcast2(2, mn, rc, dc, &r, d) ||
        (d[0] >= 0 && mn[0] >= 0 && d[0] != mn[0]) ||
        (d[1] >= 0 && mn[1] >= 0 && d[1] != mn[1]))
      return ir_errorf(file, nd, "Gemm bias C %s does not broadcast to the result %s",
                       ou_shape_str(a, rc, dc), ou_shape_str(a, 2, mn));
  }
  return 0;
}

int shape_gemm(ir_graph *g, ir_node *n) {
  ir_tensor *a = n->in[0], *b = n->in[1], *c = nu_has_in(n, 2) ? n->in[2] : NULL;
  int64_t mn[2], k;
  if (a->rank < 0 || b->rank < 0) {
    ou_set_shape(n->out[0], a->onnx_type, -1, NULL);
    return 0;
  }
  if (gemm_geom(g->file, n, g->arena, a->rank, a->dims, b->rank, b->dims,
                c ? c->rank : -1, c ? c->dims : NULL, mn, &k))
    return -1;
  ou_set_shape(n->out[0], a->onnx_type, 2, mn);
  return 0;
}

int exec_gemm(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  const char *file = nu_file(ctx);
  const ir_buf *a = in[0], *b = in[1], *c = n->nin > 2 ? in[2] : NULL;
  int64_t mn[2], k = 0;
  if (a->store != IR_F32 || b->store != IR_F32 || (c && c->store != IR_F32))
    return ir_errorf(file, n, "Gemm is supported on float32 values only");
  if (gemm_geom(file, n, ctx->arena, a->rank, a->dims, b->rank, b->dims,
                c ? c->rank : -1, c ? c->dims : NULL, mn, &k))
    return -1;
  ir_buf *y = ou_buf_new(ctx, n, IR_F32, a->onnx_type, 2, mn);
  if (!y) return -1;
  bool ta = ir_attr_int(n, "transA", 0) != 0, tb = ir_attr_int(n, "transB", 0) != 0;
  double alpha = ir_attr_float(n, "alpha", 1.0f), beta = ir_attr_float(n, "beta", 1.0f);
  int64_t m = mn[0], nn = mn[1];
  /* element (i,p) of A' is a->f[i*ai + p*ap]; (p,j) of B' is b->f[p*bp + j*bj] */
  int64_t ai = ta ? 1 : k, ap = ta ? m : 1, bp = tb ? 1 : nn, bj = tb ? k : 1;
  int64_t ci = 0, cj = 0; /* C's strides after broadcasting */
  if (c && c->rank == 2) {
    ci = c->dims[0] == 1 ? 0 : c->dims[1];
    cj = c->dims[1] == 1 ? 0 : 1;
  } else if (c && c->rank == 1) {
    cj = c->dims[0] == 1 ? 0 : 1;
  }
  double *acc = ir_alloc_array(ctx->arena, (size_t)(nn ? nn : 1), sizeof(double));
  for (int64_t i = 0; i < m; i++) {
    if (bj == 1) { /* B' rows contiguous: accumulate a whole output row */
      for (int64_t j = 0; j < nn; j++) acc[j] = 0;
      for (int64_t p = 0; p < k; p++) {
        double av = a->f[i * ai + p * ap];
        const float *brow = b->f + p * bp;
        for (int64_t j = 0; j < nn; j++) acc[j] += av * brow[j];
      }
    } else { /* B' columns contiguous (transB): one dot product per output */
      for (int64_t j = 0; j < nn; j++) {
        double s = 0;
        const float *bcol = b->f + j * bj;
        for (int64_t p = 0; p < k; p++) s += (double)a->f[i * ai + p * ap] * bcol[p];
        acc[j] = s;
      }
    }
    for (int64_t j = 0; j < nn; j++) {
      double v = alpha * acc[j];
      if (c) v += beta * (double)c->f[i * ci + j * cj];
      y->f[i * nn + j] = (float)v;
    }
  }
  out[0] = y;
  return 0;
}

/* ------------------------------------------------ BatchNormalization -- */

static int batchnorm_check(const char *file, const ir_node *n, ir_arena *a, int rx,
                           const int64_t *dx, const int *rp, const int64_t *const *dp) {
  if (ir_attr_int(n, "training_mode", 0))
    return ir_errorf(file, n, "training_mode=1 is not supported (inference form only)");
  if (ir_attr_find(n, "spatial") && ir_attr_int(n, "spatial", 1) == 0)
    return ir_errorf(file, n, "spatial=0 is not supported");
  if (rx < 2)
    return ir_errorf(file, n, "input %s has no channel axis", ou_shape_str(a, rx, dx));
  static const char *const what[] = {"scale", "bias", "mean", "var"};
  for (int j = 0; j < 4; j++) {
    if (rp[j] < 0) continue;
    if (rp[j] != 1 || (dp[j][0] >= 0 && dx[1] >= 0 && dp[j][0] != dx[1]))
      return ir_errorf(file, n, "%s has shape %s, expected [%lld] for input %s", what[j],
                       ou_shape_str(a, rp[j], dp[j]), (long long)dx[1],
                       ou_shape_str(a, rx, dx));
  }
  return 0;
}

int shape_batchnorm(ir_graph *g, ir_node *n) {
  ir_tensor *x = n->in[0];
  int rp[4];
  const int64_t *dp[4];
  for (int j = 0; j < 4; j++) {
    rp[j] = n->in[j + 1]->rank;
    dp[j] = n->in[j + 1]->dims;
  }
  if (x->rank >= 0 && batchnorm_check(g->file, n, g->arena, x->rank, x->dims, rp, dp))
    return -1;
  ou_set_shape(n->out[0], x->onnx_type, x->rank, x->dims);
  return 0;
}

int exec_batchnorm(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  const char *file = nu_file(ctx);
  const ir_buf *x = in[0];
  int rp[4];
  const int64_t *dp[4];
  for (int j = 0; j < 5; j++)
    if (in[j]->store != IR_F32)
      return ir_errorf(file, n, "BatchNormalization is supported on float32 values only");
  for (int j = 0; j < 4; j++) {
    rp[j] = in[j + 1]->rank;
    dp[j] = in[j + 1]->dims;
  }
  if (batchnorm_check(file, n, ctx->arena, x->rank, x->dims, rp, dp)) return -1;
  ir_buf *y = ou_buf_new(ctx, n, IR_F32, x->onnx_type, x->rank, x->dims);
  if (!y) return -1;
  int64_t c = x->dims[1], inner = nu_prod(x->dims, 2, x->rank);
  float eps = ir_attr_float(n, "epsilon", 1e-5f);
  const float *sc = in[1]->f, *bi = in[2]->f, *mean = in[3]->f, *var = in[4]->f;
  for (int64_t ch = 0; ch < c; ch++) {
    /* onnxruntime: inv_std = 1/sqrt(var+eps); s = inv_std*scale;
     * b = bias - mean*s; y = x*s + b, each step rounded to float32. */
    volatile float t = var[ch] + eps;
    t = sqrtf(t);
    t = 1.0f / t;
    volatile float s = t * sc[ch];
    volatile float ms = mean[ch] * s;
    float b = bi[ch] - ms, sv = s;
    for (int64_t o = 0; o < x->dims[0]; o++) {
      const float *xp = x->f + (o * c + ch) * inner;
      float *yp = y->f + (o * c + ch) * inner;
      for (int64_t k = 0; k < inner; k++) {
        float p = xp[k] * sv; /* C11 without FP_CONTRACT: no fused multiply-add */
        yp[k] = p + b;
      }
    }
  }
  out[0] = y;
  return 0;
}

/* ----------------------------------------------- Softmax, LogSoftmax -- */

/* The data as [outer, d, inner] around the softmax axis.  Before opset 13 the
 * input is flattened to 2-D at `axis` (default 1) and each row normalised;
 * from 13 on only `axis` (default -1) is. */
static int softmax_geom(const char *file, const ir_node *n, int64_t opset, int rank,
                        const int64_t *dims, int64_t *outer, int64_t *d, int64_t *inner) {
  int ax;
  if (opset < 13) {
    int64_t axis = ir_attr_int(n, "axis", 1);
    if (axis < -(int64_t)rank || axis > rank)
      return ir_errorf(file, n, "axis %lld is out of range for rank %d", (long long)axis,
                       rank);
    ax = (int)(axis < 0 ? axis + rank : axis);
    *outer = nu_prod(dims, 0, ax);
    *d = nu_prod(dims, ax, rank);
    *inner = 1;
    return 0;
  }
  if (ou_axis(file, n, ir_attr_int(n, "axis", -1), rank, &ax)) return -1;
  *outer = nu_prod(dims, 0, ax);
  *d = dims[ax];
  *inner = nu_prod(dims, ax + 1, rank);
  return 0;
}

int shape_softmax(ir_graph *g, ir_node *n) {
  ir_tensor *x = n->in[0];
  int64_t o, d, i;
  if (x->rank >= 0 && softmax_geom(g->file, n, g->opset, x->rank, x->dims, &o, &d, &i))
    return -1;
  ou_set_shape(n->out[0], x->onnx_type, x->rank, x->dims);
  return 0;
}

int exec_softmax(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  const char *file = nu_file(ctx);
  const ir_buf *x = in[0];
  int64_t outer, d, inner;
  if (x->store != IR_F32) return ir_errorf(file, n, "input must be float32");
  if (softmax_geom(file, n, ctx->g ? ctx->g->opset : 13, x->rank, x->dims, &outer, &d,
                   &inner))
    return -1;
  ir_buf *y = ou_buf_new(ctx, n, IR_F32, x->onnx_type, x->rank, x->dims);
  if (!y) return -1;
  bool logsm = !strcmp(n->op_type, "LogSoftmax");
  for (int64_t o = 0; o < outer; o++)
    for (int64_t i = 0; i < inner; i++) {
      const float *xp = x->f + o * d * inner + i;
      float *yp = y->f + o * d * inner + i;
      double mx = -INFINITY, sum = 0;
      for (int64_t k = 0; k < d; k++)
        if (xp[k * inner] > mx) mx = xp[k * inner];
      for (int64_t k = 0; k < d; k++) sum += exp((double)xp[k * inner] - mx);
      double lsum = log(sum);
      for (int64_t k = 0; k < d; k++) {
        double v = (double)xp[k * inner] - mx;
        yp[k * inner] = (float)(logsm ? v - lsum : exp(v) / sum);
      }
    }
  out[0] = y;
  return 0;
}

/* ------------------------------------------------------------ ArgMax -- */

static int argmax_geom(const char *file, const ir_node *n, int rank, const int64_t *dims,
                       int *ax, int *rout, int64_t *out) {
  if (ou_axis(file, n, ir_attr_int(n, "axis", 0), rank, ax)) return -1;
  bool keep = ir_attr_int(n, "keepdims", 1) != 0;
  int k = 0;
  for (int i = 0; i < rank; i++) {
    if (i != *ax)
      out[k++] = dims[i];
    else if (keep)
      out[k++] = 1;
  }
  *rout = k;
  return 0;
}

int shape_argmax(ir_graph *g, ir_node *n) {
  ir_tensor *x = n->in[0];
  int ax, r;
  int64_t out[IR_MAX_RANK];
  if (x->rank < 0) {
    ou_set_shape(n->out[0], ONNX_INT64, -1, NULL);
    return 0;
  }
  if (argmax_geom(g->file, n, x->rank, x->dims, &ax, &r, out)) return -1;
  ou_set_shape(n->out[0], ONNX_INT64, r, out);
  return 0;
}

int exec_argmax(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  const char *file = nu_file(ctx);
  const ir_buf *x = in[0];
  int ax, r;
  int64_t dims[IR_MAX_RANK];
  if (argmax_geom(file, n, x->rank, x->dims, &ax, &r, dims)) return -1;
  if (x->dims[ax] == 0) return ir_errorf(file, n, "ArgMax over an empty axis");
  ir_buf *y = ou_buf_new(ctx, n, IR_I64, ONNX_INT64, r, dims);
  if (!y) return -1;
  bool last = ir_attr_int(n, "select_last_index", 0) != 0;
  int64_t outer = nu_prod(x->dims, 0, ax), d = x->dims[ax];
  int64_t inner = nu_prod(x->dims, ax + 1, x->rank);
  for (int64_t o = 0; o < outer; o++)
    for (int64_t i = 0; i < inner; i++) {
      int64_t base = o * d * inner + i, best = 0;
      for (int64_t k = 1; k < d; k++) {
        int64_t p = base + k * inner, q = base + best * inner;
        bool gt = x->store == IR_F32 ? x->f[p] > x->f[q] : x->i[p] > x->i[q];
        bool eq = x->store == IR_F32 ? x->f[p] == x->f[q] : x->i[p] == x->i[q];
        if (gt || (last && eq)) best = k;
      }
      y->i[o * inner + i] = best;
    }
  out[0] = y;
  return 0;
}

/* -------------------------------------------------------------- TopK -- */

/* K: input 1 from opset 10 on, attribute k before. */
static int topk_k(const char *file, const ir_node *n, const ir_buf *kin, int64_t *k) {
  int cnt;
  if (nu_has_in(n, 1)) {
    if (nu_buf_ints(file, n, kin, "TopK's K input", k, 1, &cnt)) return -1;
    if (cnt != 1) return ir_errorf(file, n, "K must hold exactly one value");
    return 0;
  }
  if (!ir_attr_find(n, "k")) return ir_errorf(file, n, "TopK needs K");
  *k = ir_attr_int(n, "k", 0);
  return 0;
}

static int topk_geom(const char *file, const ir_node *n, int rank, const int64_t *dims,
                     int64_t k, int *ax, int64_t *out) {
  if (ou_axis(file, n, ir_attr_int(n, "axis", -1), rank, ax)) return -1;
  if (k < 0 || (dims[*ax] >= 0 && k > dims[*ax]))
    return ir_errorf(file, n, "K = %lld is out of range for axis %d of length %lld",
                     (long long)k, *ax, (long long)dims[*ax]);
  memcpy(out, dims, sizeof(int64_t) * (size_t)rank);
  out[*ax] = k;
  return 0;
}

int shape_topk(ir_graph *g, ir_node *n) {
  ir_tensor *x = n->in[0];
  int64_t k = -1, out[IR_MAX_RANK];
  int ax;
  bool kconst = !nu_has_in(n, 1) || n->in[1]->init;
  if (x->rank < 0) {
    ou_set_shape(n->out[0], x->onnx_type, -1, NULL);
    if (n->nout > 1 && n->out[1]) ou_set_shape(n->out[1], ONNX_INT64, -1, NULL);
    return 0;
  }
  if (kconst && topk_k(g->file, n, nu_const_in(n, 1), &k)) return -1;
  if (topk_geom(g->file, n, x->rank, x->dims, kconst ? k : 0, &ax, out)) return -1;
  if (!kconst) out[ax] = -1;
  ou_set_shape(n->out[0], x->onnx_type, x->rank, out);
  if (n->nout > 1 && n->out[1]) ou_set_shape(n->out[1], ONNX_INT64, x->rank, out);
  return 0;
}

/* Sort key: larger key first, then smaller index (ONNX's tie rule).  For
 * "smallest" the keys are order-reversed (negated floats, ~ on integers). */
typedef struct {
  double kf;
  int64_t ki;
  int64_t idx;
} topk_item;

static int topk_cmp(const void *pa, const void *pb) {
  const topk_item *a = pa, *b = pb;
  if (a->ki != b->ki) return a->ki > b->ki ? -1 : 1;
  if (a->kf != b->kf) return a->kf > b->kf ? -1 : 1;
  return a->idx < b->idx ? -1 : a->idx > b->idx;
}

int exec_topk(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  const char *file = nu_file(ctx);
  const ir_buf *x = in[0];
  int64_t k, dims[IR_MAX_RANK];
  int ax;
  if (topk_k(file, n, in[1], &k)) return -1;
  if (topk_geom(file, n, x->rank, x->dims, k, &ax, dims)) return -1;
  ir_buf *v = ou_buf_new(ctx, n, x->store, x->onnx_type, x->rank, dims);
  ir_buf *ix = ou_buf_new(ctx, n, IR_I64, ONNX_INT64, x->rank, dims);
  if (!v || !ix) return -1;
  bool largest = ir_attr_int(n, "largest", 1) != 0;
  int64_t outer = nu_prod(x->dims, 0, ax), d = x->dims[ax];
  int64_t inner = nu_prod(x->dims, ax + 1, x->rank);
  topk_item *items = ir_alloc_array(ctx->arena, (size_t)(d ? d : 1), sizeof *items);
  for (int64_t o = 0; o < outer; o++)
    for (int64_t i = 0; i < inner; i++) {
      int64_t base = o * d * inner + i;
      for (int64_t e = 0; e < d; e++) {
        int64_t p = base + e * inner;
        items[e].idx = e;
        items[e].kf = x->store == IR_F32 ? (largest ? x->f[p] : -x->f[p]) : 0;
        items[e].ki = x->store == IR_I64 ? (largest ? x->i[p] : ~x->i[p]) : 0;
      }
      qsort(items, (size_t)d, sizeof *items, topk_cmp);
      for (int64_t e = 0; e < k; e++) {
        int64_t dst = o * k * inner + e * inner + i, src = base + items[e].idx * inner;
        if (x->store == IR_F32)
          v->f[dst] = x->f[src];
        else
          v->i[dst] = x->i[src];
        ix->i[dst] = items[e].idx;
      }
    }
  out[0] = v;
  out[1] = ix;
  return 0;
}
