/* ops_window.c - sliding-window ops: Conv, MaxPool, AveragePool and the global
 * pools (shape rules + executors).
 *
 * One geometry (win_geom) serves them all: kernel, strides, dilations, pads
 * from `pads` or `auto_pad` (NOTSET/SAME_UPPER/SAME_LOWER/VALID) and ceil_mode
 * give the output size per spatial axis exactly as ONNX/onnxruntime define it.
 * The kernels handle 1, 2 and 3 spatial dims by treating the data as 3-D with
 * leading axes of length 1.  Conv accumulates in double, scattering each
 * weight over a row of outputs whose valid range is computed once, so the
 * inner loop has no bounds checks and no calls. */
#include <float.h>
#include <string.h>

#include "ir/ops_nn_util.h"

enum { WIN_MAX = IR_MAX_RANK - 2 }; /* spatial axes */

typedef struct {
  int ns;                                 /* number of spatial axes */
  int64_t in[WIN_MAX], k[WIN_MAX], s[WIN_MAX], d[WIN_MAX];
  int64_t pb[WIN_MAX], pe[WIN_MAX];       /* padding at begin / end */
  int64_t out[WIN_MAX];                   /* -1 if in[] is unknown */
} win_geom;

/* Read an int-list attribute of exactly `ns` values (or 2*ns for pads), with a
 * default for every entry when absent. */
static int win_attr(const char *file, const ir_node *n, const char *name, int want,
                    int64_t dflt, int64_t *out) {
  int cnt;
  if (ou_attr_ints(file, n, name, out, IR_MAX_RANK * 2, &cnt)) return -1;
  if (cnt == 0) {
    for (int i = 0; i < want; i++) out[i] = dflt;
    return 0;
  }
  if (cnt != want)
    return ir_errorf(file, n, "attribute %s has %d values, expected %d", name, cnt, want);
  return 0;
}

/* Geometry of a window op over input x (rank, dims) with kernel sizes kern[]
 * (from the weight or kernel_shape).  `pool` enables ceil_mode. */
static int win_geom_make(const char *file, const ir_node *n, ir_arena *a, int rank,
                         const int64_t *dims, const int64_t *kern, bool pool,
                         win_geom *w) {
  if (rank < 3 || rank - 2 > WIN_MAX)
    return ir_errorf(file, n, "input %s must be [N, C, spatial...] with 1 to %d spatial "
                     "axes", ou_shape_str(a, rank, dims), WIN_MAX);
  int ns = w->ns = rank - 2;
  int64_t pads[2 * WIN_MAX];
  memcpy(w->k, kern, sizeof(int64_t) * (size_t)ns);
  memcpy(w->in, dims + 2, sizeof(int64_t) * (size_t)ns);
  if (win_attr(file, n, "strides", ns, 1, w->s) ||
      win_attr(file, n, "dilations", ns, 1, w->d) ||
      win_attr(file, n, "pads", 2 * ns, 0, pads))
    return -1;
  const char *ap = ir_attr_str(n, "auto_pad", "NOTSET");
  bool ceil_mode = pool && ir_attr_int(n, "ceil_mode", 0) != 0;
  for (int i = 0; i < ns; i++) {
    if (w->k[i] < 1 || w->s[i] < 1 || w->d[i] < 1)
      return ir_errorf(file, n, "kernel, strides and dilations must be positive");
    if (pads[i] < 0 || pads[i + ns] < 0)
      return ir_errorf(file, n, "negative pads are not supported");
    int64_t eff = (w->k[i] - 1) * w->d[i] + 1, in = w->in[i], s = w->s[i];
    w->pb[i] = pads[i];
    w->pe[i] = pads[i + ns];
    if (!strcmp(ap, "SAME_UPPER") || !strcmp(ap, "SAME_LOWER")) {
      if (in < 0) {
        w->out[i] = w->pb[i] = w->pe[i] = -1;
        continue;
      }
      int64_t out = (in + s - 1) / s, total = (out - 1) * s + eff - in;
      if (total < 0) total = 0;
      bool upper = !strcmp(ap, "SAME_UPPER");
      w->pb[i] = upper ? total / 2 : total - total / 2;
      w->pe[i] = total - w->pb[i];
      w->out[i] = out;
      continue;
    }
    if (!strcmp(ap, "VALID")) {
      w->pb[i] = w->pe[i] = 0;
    } else if (strcmp(ap, "NOTSET")) {
      return ir_errorf(file, n, "unknown auto_pad \"%s\"", ap);
    }
    if (in < 0) {
      w->out[i] = -1;
      continue;
    }
    int64_t span = in + w->pb[i] + w->pe[i] - eff;
    if (span < 0)
      return ir_errorf(file, n, "kernel %lld (dilated %lld) is larger than the padded "
                       "input %lld along spatial axis %d", (long long)w->k[i],
                       (long long)eff, (long long)(in + w->pb[i] + w->pe[i]), i);
    int64_t out = (ceil_mode ? (span + s - 1) / s : span / s) + 1;
    /* ceil_mode: a last window that would start in the end padding is dropped */
    if (ceil_mode && (out - 1) * s >= in + w->pb[i]) out--;
    w->out[i] = out;
  }
  return 0;
}

/* kernel_shape attribute of a pool (required). */
static int pool_kernel(const char *file, const ir_node *n, int rank, int64_t *kern) {
  int cnt;
  if (ou_attr_ints(file, n, "kernel_shape", kern, IR_MAX_RANK, &cnt)) return -1;
  if (cnt == 0) return ir_errorf(file, n, "attribute kernel_shape is required");
  if (cnt != rank - 2)
    return ir_errorf(file, n, "kernel_shape has %d values for %d spatial axes", cnt,
                     rank - 2);
  return 0;
}

/* Output dims [N, Cout, out...]. */
static void win_out_dims(const win_geom *w, int64_t nb, int64_t c, int64_t *dims) {
  dims[0] = nb;
  dims[1] = c;
  for (int i = 0; i < w->ns; i++) dims[2 + i] = w->out[i];
}

/* The geometry as exactly 3 spatial axes (leading ones of length 1). */
typedef struct {
  int64_t in[3], k[3], s[3], d[3], p[3], out[3];
} win3;

static void win_to3(const win_geom *w, win3 *t) {
  int off = 3 - w->ns;
  for (int i = 0; i < 3; i++) {
    int j = i - off;
    t->in[i] = j >= 0 ? w->in[j] : 1;
    t->k[i] = j >= 0 ? w->k[j] : 1;
    t->s[i] = j >= 0 ? w->s[j] : 1;
    t->d[i] = j >= 0 ? w->d[j] : 1;
    t->p[i] = j >= 0 ? w->pb[j] : 0;
    t->out[i] = j >= 0 ? w->out[j] : 1;
  }
}

/* -------------------------------------------------------------- Conv -- */

/* Check X [N,C,...], W [M, C/group, k...], B [M]; kernel from W. */
static int conv_geom(const char *file, const ir_node *n, ir_arena *a, int rx,
                     const int64_t *dx, int rw, const int64_t *dw, int rb,
                     const int64_t *db, win_geom *w) {
  int64_t group = ir_attr_int(n, "group", 1);
  if (group < 1) return ir_errorf(file, n, "group must be positive");
  if (rw != rx)
    return ir_errorf(file, n, "Conv weight %s and input %s have different ranks",
                     ou_shape_str(a, rw, dw), ou_shape_str(a, rx, dx));
  if (dx[1] >= 0 && dw[1] >= 0 && dw[1] * group != dx[1]) {
    if (group == 1)
      return ir_errorf(file, n, "Conv weight has %lld input channels, input has %lld",
                       (long long)dw[1], (long long)dx[1]);
    return ir_errorf(file, n, "Conv weight has %lld input channels per group x %lld "
                     "groups, input has %lld", (long long)dw[1], (long long)group,
                     (long long)dx[1]);
  }
  if (dw[0] >= 0 && dw[0] % group)
    return ir_errorf(file, n, "Conv has %lld output channels, not divisible by group %lld",
                     (long long)dw[0], (long long)group);
  if (rb >= 0 && (rb != 1 || (db[0] >= 0 && dw[0] >= 0 && db[0] != dw[0])))
    return ir_errorf(file, n, "Conv bias %s does not match %lld output channels",
                     ou_shape_str(a, rb, db), (long long)dw[0]);
  int64_t kern[IR_MAX_RANK];
  int cnt;
  if (ou_attr_ints(file, n, "kernel_shape", kern, IR_MAX_RANK, &cnt)) return -1;
  for (int i = 0; i < cnt && i + 2 < rw; i++)
    if (dw[i + 2] >= 0 && kern[i] != dw[i + 2])
      return ir_errorf(file, n, "kernel_shape does not match the weight %s",
                       ou_shape_str(a, rw, dw));
  if (cnt && cnt != rw - 2)
    return ir_errorf(file, n, "kernel_shape has %d values for %d spatial axes", cnt,
                     rw - 2);
  for (int i = 2; i < rw; i++)
    if (dw[i] < 0)
      return ir_errorf(file, n, "Conv weight shape %s is not known",
                       ou_shape_str(a, rw, dw));
  return win_geom_make(file, n, a, rx, dx, dw + 2, false, w);
}

int shape_conv(ir_graph *g, ir_node *n) {
  ir_tensor *x = n->in[0], *wt = n->in[1], *b = nu_has_in(n, 2) ? n->in[2] : NULL;
  win_geom w;
  int64_t dims[IR_MAX_RANK];
  if (x->rank < 0 || wt->rank < 0) {
    ou_set_shape(n->out[0], x->onnx_type, -1, NULL);
    return 0;
  }
  if (conv_geom(g->file, n, g->arena, x->rank, x->dims, wt->rank, wt->dims,
                b ? b->rank : -1, b ? b->dims : NULL, &w))
    return -1;
  win_out_dims(&w, x->dims[0], wt->dims[0], dims);
  ou_set_shape(n->out[0], x->onnx_type, x->rank, dims);
  return 0;
}

/* Conv kernel.  Output rows (od, oh) are processed in tiles small enough that
 * the double accumulators of CONV_NM output channels stay in cache; for every
 * input channel and kernel tap each output row of the tile gets
 * acc[ow] += w * x[ow*sw + off] over the columns [lo, hi) where the tap lands
 * inside the input (precomputed per kernel column), so the inner loop has no
 * bounds checks, and each loaded x serves CONV_NM output channels. */
enum { CONV_NM = 4, CONV_TILE = 1024 /* accumulators per channel per tile */ };

typedef struct {
  const win3 *t;
  const float *xg;          /* first input channel of the group */
  int64_t isz, cg, ksz;     /* input plane size, channels per group, taps */
  const int64_t *lo, *hi;   /* valid output columns per kernel column */
} conv_job;

/* Rows [r0, r1) of the combined (od, oh) row index, nm <= CONV_NM channels
 * with filters w[j] ([cg][ksz]) accumulating into acc[j] (tile-relative). */
static void conv_tile(const conv_job *jb, const float *const *w, int nm, double *const *acc,
                      int64_t r0, int64_t r1) {
  const win3 *t = jb->t;
  int64_t IH = t->in[1], IW = t->in[2], OH = t->out[1], OW = t->out[2], sw = t->s[2];
  for (int64_t c = 0; c < jb->cg; c++) {
    const float *xin = jb->xg + c * jb->isz;
    for (int64_t r = r0; r < r1; r++) {
      int64_t od = r / OH, oh = r % OH;
      for (int64_t kd = 0; kd < t->k[0]; kd++) {
        int64_t id = od * t->s[0] + kd * t->d[0] - t->p[0];
        if (id < 0 || id >= t->in[0]) continue;
        for (int64_t kh = 0; kh < t->k[1]; kh++) {
          int64_t ih = oh * t->s[1] + kh * t->d[1] - t->p[1];
          if (ih < 0 || ih >= IH) continue;
          const float *xrow = xin + (id * IH + ih) * IW;
          int64_t kbase = c * jb->ksz + (kd * t->k[1] + kh) * t->k[2];
          for (int64_t kw = 0; kw < t->k[2]; kw++) {
            const float *xr = xrow + kw * t->d[2] - t->p[2];
            int64_t lo = jb->lo[kw], hi = jb->hi[kw], k = kbase + kw;
            if (nm == CONV_NM) {
              double w0 = w[0][k], w1 = w[1][k], w2 = w[2][k], w3 = w[3][k];
              double *a0 = acc[0] + (r - r0) * OW, *a1 = acc[1] + (r - r0) * OW;
              double *a2 = acc[2] + (r - r0) * OW, *a3 = acc[3] + (r - r0) * OW;
              for (int64_t ow = lo; ow < hi; ow++) {
                double xv = xr[ow * sw];
                a0[ow] += w0 * xv;
                a1[ow] += w1 * xv;
                a2[ow] += w2 * xv;
                a3[ow] += w3 * xv;
              }
            } else {
              for (int j = 0; j < nm; j++) {
                double wv = w[j][k], *a = acc[j] + (r - r0) * OW;
                for (int64_t ow = lo; ow < hi; ow++) a[ow] += wv * xr[ow * sw];
              }
            }
          }
        }
      }
    }
  }
}

/* Valid output column range per kernel column: 0 <= ow*sw + kw*dw - pw < IW. */
static void conv_columns(const win3 *t, int64_t *lo, int64_t *hi) {
  int64_t sw = t->s[2], IW = t->in[2], OW = t->out[2];
  for (int64_t kw = 0; kw < t->k[2]; kw++) {
    int64_t off = kw * t->d[2] - t->p[2];
    int64_t l = off >= 0 ? 0 : (-off + sw - 1) / sw;
    int64_t h = IW - 1 - off < 0 ? 0 : (IW - 1 - off) / sw + 1;
    lo[kw] = l < OW ? l : OW;
    hi[kw] = h < OW ? h : OW;
    if (hi[kw] < lo[kw]) hi[kw] = lo[kw];
  }
}

int exec_conv(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  const char *file = nu_file(ctx);
  const ir_buf *x = in[0], *wt = in[1], *b = n->nin > 2 ? in[2] : NULL;
  win_geom w;
  win3 t;
  int64_t dims[IR_MAX_RANK];
  if (x->store != IR_F32 || wt->store != IR_F32 || (b && b->store != IR_F32))
    return ir_errorf(file, n, "Conv is supported on float32 values only");
  if (conv_geom(file, n, ctx->arena, x->rank, x->dims, wt->rank, wt->dims,
                b ? b->rank : -1, b ? b->dims : NULL, &w))
    return -1;
  win_out_dims(&w, x->dims[0], wt->dims[0], dims);
  ir_buf *y = ou_buf_new(ctx, n, IR_F32, x->onnx_type, x->rank, dims);
  if (!y) return -1;
  win_to3(&w, &t);
  int64_t group = ir_attr_int(n, "group", 1), M = wt->dims[0], C = x->dims[1];
  int64_t cg = C / group, mg = M / group, OW = t.out[2];
  int64_t rows = t.out[0] * t.out[1], osz = rows * OW;
  int64_t tile = OW ? (CONV_TILE / OW > 0 ? CONV_TILE / OW : 1) : 1; /* rows per tile */
  if (tile > rows) tile = rows;
  conv_job jb = {&t, NULL, t.in[0] * t.in[1] * t.in[2], cg, t.k[0] * t.k[1] * t.k[2], NULL, NULL};
  int64_t *lo = ir_alloc_array(ctx->arena, (size_t)t.k[2], sizeof(int64_t));
  int64_t *hi = ir_alloc_array(ctx->arena, (size_t)t.k[2], sizeof(int64_t));
  conv_columns(&t, lo, hi);
  jb.lo = lo;
  jb.hi = hi;
  int64_t tsz = tile * OW > 0 ? tile * OW : 1;
  double *accbuf = ir_alloc_array(ctx->arena, (size_t)(CONV_NM * tsz), sizeof(double));
  for (int64_t nb = 0; nb < x->dims[0] && osz > 0; nb++)
    for (int64_t m0 = 0, nm; m0 < M; m0 += nm) {
      /* a block of up to CONV_NM output channels, all within one group */
      int64_t g0 = m0 / mg, mend = (g0 + 1) * mg;
      nm = mend - m0 < CONV_NM ? mend - m0 : CONV_NM;
      const float *wj[CONV_NM];
      double *acc[CONV_NM];
      for (int j = 0; j < nm; j++) {
        wj[j] = wt->f + (m0 + j) * cg * jb.ksz;
        acc[j] = accbuf + j * tsz;
      }
      jb.xg = x->f + (nb * C + g0 * cg) * jb.isz;
      for (int64_t r0 = 0; r0 < rows; r0 += tile) {
        int64_t r1 = r0 + tile < rows ? r0 + tile : rows, cnt = (r1 - r0) * OW;
        for (int j = 0; j < nm; j++) {
          double bias = b ? b->f[m0 + j] : 0.0;
          for (int64_t p = 0; p < cnt; p++) acc[j][p] = bias;
        }
        conv_tile(&jb, wj, (int)nm, acc, r0, r1);
        for (int j = 0; j < nm; j++) {
          float *yp = y->f + (nb * M + m0 + j) * osz + r0 * OW;
          for (int64_t p = 0; p < cnt; p++) yp[p] = (float)acc[j][p];
        }
      }
    }
  out[0] = y;
  return 0;
}

/* ----------------------------------------------- MaxPool, AveragePool -- */

static int pool_geom(const char *file, const ir_node *n, ir_arena *a, int rank,
                     const int64_t *dims, win_geom *w) {
  int64_t kern[IR_MAX_RANK];
  if (rank < 3)
    return ir_errorf(file, n, "input %s must be [N, C, spatial...]",
                     ou_shape_str(a, rank, dims));
  if (pool_kernel(file, n, rank, kern)) return -1;
  return win_geom_make(file, n, a, rank, dims, kern, true, w);
}

static int shape_pool(ir_graph *g, ir_node *n, bool indices) {
  ir_tensor *x = n->in[0];
  win_geom w;
  int64_t dims[IR_MAX_RANK];
  if (x->rank < 0) {
    ou_set_shape(n->out[0], x->onnx_type, -1, NULL);
    if (indices) ou_set_shape(n->out[1], ONNX_INT64, -1, NULL);
    return 0;
  }
  if (pool_geom(g->file, n, g->arena, x->rank, x->dims, &w)) return -1;
  win_out_dims(&w, x->dims[0], x->dims[1], dims);
  ou_set_shape(n->out[0], x->onnx_type, x->rank, dims);
  if (indices) ou_set_shape(n->out[1], ONNX_INT64, x->rank, dims);
  return 0;
}

int shape_maxpool(ir_graph *g, ir_node *n) {
  return shape_pool(g, n, n->nout > 1 && n->out[1]);
}

int shape_avgpool(ir_graph *g, ir_node *n) {
  return shape_pool(g, n, false);
}

/* Flat index (within one [N*C] plane offset `plane`) that MaxPool's Indices
 * output reports: row-major, or column-major with storage_order=1. */
static int64_t pool_index(const win3 *t, int64_t plane, int64_t id, int64_t ih,
                          int64_t iw, bool colmajor) {
  int64_t base = plane * t->in[0] * t->in[1] * t->in[2];
  if (colmajor) return base + ih + iw * t->in[1];
  return base + (id * t->in[1] + ih) * t->in[2] + iw;
}

/* Max over every window of one plane; T is the element type.  Windows that
 * hold only padding give the type's lowest value (index -1). */
#define MAXPOOL_PLANE(T, LOWEST, xp, yp)                                            \
  do {                                                                              \
    int64_t q = 0;                                                                  \
    for (int64_t od = 0; od < t.out[0]; od++)                                       \
      for (int64_t oh = 0; oh < t.out[1]; oh++)                                     \
        for (int64_t ow = 0; ow < t.out[2]; ow++, q++) {                            \
          T best = LOWEST;                                                          \
          int64_t bi = -1;                                                          \
          for (int64_t kd = 0; kd < t.k[0]; kd++) {                                 \
            int64_t id = od * t.s[0] + kd * t.d[0] - t.p[0];                        \
            if (id < 0 || id >= t.in[0]) continue;                                  \
            for (int64_t kh = 0; kh < t.k[1]; kh++) {                               \
              int64_t ih = oh * t.s[1] + kh * t.d[1] - t.p[1];                      \
              if (ih < 0 || ih >= t.in[1]) continue;                                \
              for (int64_t kw = 0; kw < t.k[2]; kw++) {                             \
                int64_t iw = ow * t.s[2] + kw * t.d[2] - t.p[2];                    \
                if (iw < 0 || iw >= t.in[2]) continue;                              \
                T v = (xp)[(id * t.in[1] + ih) * t.in[2] + iw];                     \
                if (bi < 0 || v > best) { /* first maximum wins */                 \
                  best = v;                                                         \
                  bi = pool_index(&t, plane, id, ih, iw, colmajor);                 \
                }                                                                   \
              }                                                                     \
            }                                                                       \
          }                                                                         \
          (yp)[q] = best;                                                           \
          if (ix) ix->i[plane * osz + q] = bi;                                      \
        }                                                                           \
  } while (0)

int exec_maxpool(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  const char *file = nu_file(ctx);
  const ir_buf *x = in[0];
  win_geom w;
  win3 t;
  int64_t dims[IR_MAX_RANK];
  if (pool_geom(file, n, ctx->arena, x->rank, x->dims, &w)) return -1;
  bool want_ix = n->nout > 1 && n->out[1];
  bool colmajor = ir_attr_int(n, "storage_order", 0) != 0;
  if (want_ix && colmajor && w.ns != 2)
    return ir_errorf(file, n, "storage_order=1 Indices are supported for 2-D pooling only");
  win_out_dims(&w, x->dims[0], x->dims[1], dims);
  ir_buf *y = ou_buf_new(ctx, n, x->store, x->onnx_type, x->rank, dims);
  ir_buf *ix = want_ix ? ou_buf_new(ctx, n, IR_I64, ONNX_INT64, x->rank, dims) : NULL;
  if (!y || (want_ix && !ix)) return -1;
  win_to3(&w, &t);
  int64_t planes = x->dims[0] * x->dims[1];
  int64_t isz = t.in[0] * t.in[1] * t.in[2], osz = t.out[0] * t.out[1] * t.out[2];
  for (int64_t plane = 0; plane < planes; plane++) {
    if (x->store == IR_F32)
      MAXPOOL_PLANE(float, -FLT_MAX, x->f + plane * isz, y->f + plane * osz);
    else
      MAXPOOL_PLANE(int64_t, INT64_MIN, x->i + plane * isz, y->i + plane * osz);
  }
  out[0] = y;
  if (want_ix) out[1] = ix;
  return 0;
}

/* Number of window taps along one axis that fall in [lo, hi). */
static int64_t taps_in(int64_t start, int64_t k, int64_t d, int64_t lo, int64_t hi) {
  int64_t c = 0;
  for (int64_t j = 0; j < k; j++) c += start + j * d >= lo && start + j * d < hi;
  return c;
}

int exec_avgpool(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  const char *file = nu_file(ctx);
  const ir_buf *x = in[0];
  win_geom w;
  win3 t;
  int64_t dims[IR_MAX_RANK], pe[3];
  if (x->store != IR_F32) return ir_errorf(file, n, "input must be float32");
  if (pool_geom(file, n, ctx->arena, x->rank, x->dims, &w)) return -1;
  win_out_dims(&w, x->dims[0], x->dims[1], dims);
  ir_buf *y = ou_buf_new(ctx, n, IR_F32, x->onnx_type, x->rank, dims);
  if (!y) return -1;
  win_to3(&w, &t);
  for (int i = 0; i < 3; i++) pe[i] = i < 3 - w.ns ? 0 : w.pe[i - (3 - w.ns)];
  /* count_include_pad counts taps inside the padded extent [-pb, in+pe) */
  bool incl = ir_attr_int(n, "count_include_pad", 0) != 0;
  int64_t planes = x->dims[0] * x->dims[1];
  int64_t isz = t.in[0] * t.in[1] * t.in[2], osz = t.out[0] * t.out[1] * t.out[2];
  for (int64_t plane = 0; plane < planes; plane++) {
    const float *xp = x->f + plane * isz;
    float *yp = y->f + plane * osz;
    int64_t q = 0;
    for (int64_t od = 0; od < t.out[0]; od++)
      for (int64_t oh = 0; oh < t.out[1]; oh++)
        for (int64_t ow = 0; ow < t.out[2]; ow++, q++) {
          int64_t st[3] = {od * t.s[0] - t.p[0], oh * t.s[1] - t.p[1], ow * t.s[2] - t.p[2]};
          double sum = 0;
          for (int64_t kd = 0; kd < t.k[0]; kd++) {
            int64_t id = st[0] + kd * t.d[0];
            if (id < 0 || id >= t.in[0]) continue;
            for (int64_t kh = 0; kh < t.k[1]; kh++) {
              int64_t ih = st[1] + kh * t.d[1];
              if (ih < 0 || ih >= t.in[1]) continue;
              for (int64_t kw = 0; kw < t.k[2]; kw++) {
                int64_t iw = st[2] + kw * t.d[2];
                if (iw >= 0 && iw < t.in[2]) sum += xp[(id * t.in[1] + ih) * t.in[2] + iw];
              }
            }
          }
          int64_t cnt = 1;
          for (int i = 0; i < 3; i++)
            cnt *= incl ? taps_in(st[i], t.k[i], t.d[i], -t.p[i], t.in[i] + pe[i])
                        : taps_in(st[i], t.k[i], t.d[i], 0, t.in[i]);
          yp[q] = cnt ? (float)(sum / (double)cnt) : 0.0f;
        }
  }
  out[0] = y;
  return 0;
}

/* ------------------------------------ GlobalAveragePool, GlobalMaxPool -- */

static int shape_global(ir_graph *g, ir_node *n) {
  ir_tensor *x = n->in[0];
  int64_t dims[IR_MAX_RANK];
  if (x->rank < 0) {
    ou_set_shape(n->out[0], x->onnx_type, -1, NULL);
    return 0;
  }
  if (x->rank < 2)
    return ir_errorf(g->file, n, "input %s must be [N, C, ...]",
                     ou_shape_str(g->arena, x->rank, x->dims));
  for (int i = 0; i < x->rank; i++) dims[i] = i < 2 ? x->dims[i] : 1;
  ou_set_shape(n->out[0], x->onnx_type, x->rank, dims);
  return 0;
}

int shape_gap(ir_graph *g, ir_node *n) { return shape_global(g, n); }
int shape_gmp(ir_graph *g, ir_node *n) { return shape_global(g, n); }

static int exec_global(ir_exec_ctx *ctx, const ir_node *n, const ir_buf *x, ir_buf **out,
                       bool avg) {
  const char *file = nu_file(ctx);
  int64_t dims[IR_MAX_RANK];
  if (x->rank < 2)
    return ir_errorf(file, n, "input %s must be [N, C, ...]",
                     ou_shape_str(ctx->arena, x->rank, x->dims));
  if (avg && x->store != IR_F32) return ir_errorf(file, n, "input must be float32");
  for (int i = 0; i < x->rank; i++) dims[i] = i < 2 ? x->dims[i] : 1;
  ir_buf *y = ou_buf_new(ctx, n, x->store, x->onnx_type, x->rank, dims);
  if (!y) return -1;
  int64_t planes = x->dims[0] * x->dims[1], inner = nu_prod(x->dims, 2, x->rank);
  for (int64_t p = 0; p < planes; p++) {
    if (avg) {
      double s = 0;
      for (int64_t k = 0; k < inner; k++) s += x->f[p * inner + k];
      y->f[p] = inner ? (float)(s / (double)inner) : 0.0f;
    } else if (x->store == IR_F32) {
      float m = -FLT_MAX;
      for (int64_t k = 0; k < inner; k++)
        if (x->f[p * inner + k] > m) m = x->f[p * inner + k];
      y->f[p] = m;
    } else {
      int64_t m = INT64_MIN;
      for (int64_t k = 0; k < inner; k++)
        if (x->i[p * inner + k] > m) m = x->i[p * inner + k];
      y->i[p] = m;
    }
  }
  out[0] = y;
  return 0;
}

int exec_gap(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  return exec_global(ctx, n, in[0], out, true);
}

int exec_gmp(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  return exec_global(ctx, n, in[0], out, false);
}
