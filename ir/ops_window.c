/* ops_window.c - sliding-window ops: Conv, MaxPool, AveragePool and the global
 * pools (shape rules + executors).
 *
 * One geometry (win_geom) serves them all: kernel, strides, dilations, pads
 * from `pads` or `auto_pad` (NOTSET/SAME_UPPER/SAME_LOWER/VALID) and ceil_mode
 * give the output size per spatial axis exactly as ONNX/onnxruntime define it.
 * The kernels handle 1, 2 and 3 spatial dims by treating the data as 3-D with
 * leading axes of length 1.  Conv reproduces onnxruntime's float32
 * summation order exactly (MLAS im2col + SGEMM, see exec_conv). */
#include <float.h>
#include <math.h>
#include <stdbool.h>
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

/* Conv executor: onnxruntime's float32 result, bit for bit.
 *
 * QONNX graphs quantize right after a Conv, so being close is not enough: a
 * last-bit difference moves a value across a rounding tie of the next Quant
 * (the ESPCN models showed ~0.03% of their outputs one step off when this
 * kernel accumulated in double).  The reference, qonnx's execute_onnx, runs
 * every Conv as a one-node onnxruntime session whose weights are graph
 * inputs, so no layout transformer (NCHWc) applies and the CPU provider's
 * Conv<float> calls MlasConv (onnxruntime/core/mlas/lib/convolve.cpp):
 * Y = W x im2col(X) by MLAS SGEMM per (batch item, group), then Y += bias.
 * The value of one output element is fixed by
 *   - how MlasConvPrepare / MlasConv / MlasConvOperation and MlasGemmBatch
 *     (sgemm.cpp) cut the work into MlasSgemmOperation calls: the algorithm
 *     (GemmDirect for pointwise convolutions, ExpandThenGemm when there are
 *     more filters than output positions, else ExpandThenGemmSegmented), the
 *     thread segments, and the K slices (StrideK 128, widened when a call has
 *     few columns; K runs over input channel, then kernel taps, as im2col);
 *   - the x86-64 kernel that runs a call: the FMA3 SGEMM kernel
 *     (FgemmKernelFma3Common.h) sums each K slice from 0 with one fused
 *     multiply-add per k in K order and then adds it to C (the first slice is
 *     stored); with a single filter (M = 1) MlasSgemmKernelM1Avx instead adds
 *     rounded products in groups of 4 and each group to C; with a single
 *     output position (N = 1) MlasSgemmKernelM1TransposeBAvx keeps 8 lane sums
 *     (lane = k mod 8) and reduces them by a tree that depends on whether the
 *     row is processed in a block of 4, 2 or 1 rows.
 * All of this is mirrored below.  fmaf is correctly rounded, so the result
 * does not depend on this CPU having FMA (only the speed does).  Thread
 * splits change the K slicing only for small outputs (a segment of <= 64
 * positions); they follow onnxruntime's default intra-op pool on the project's
 * machines, one thread per physical core: ORT_THREADS = 2. */
enum {
  ORT_THREADS = 2,         /* MlasGetMaximumThreadCount of the reference */
  MLAS_STRIDEN = 128,      /* MLAS_SGEMM_STRIDEN */
  MLAS_STRIDEK = 128,      /* MLAS_SGEMM_STRIDEK */
  MLAS_ALIGN_N = 16,       /* MLAS_SGEMM_STRIDEN_THREAD_ALIGN */
  MLAS_MAX_THREADS = 16,   /* MLAS_MAXIMUM_THREAD_COUNT */
  CONV_TILE_FLOATS = 65536 /* slice accumulators per tile (filters x positions) */
};
#define MLAS_THREAD_COMPLEXITY (64.0 * 1024.0) /* MLAS_SGEMM_THREAD_COMPLEXITY */

typedef enum { ALG_GEMM_DIRECT, ALG_EXPAND_GEMM, ALG_SEGMENTED } conv_alg;

/* One (batch item, group) of a Conv: C = W [mg x K] x im2col(X) [K x osz]. */
typedef struct {
  const win3 *t;
  const float *x;            /* first input channel of the group */
  const float *w;            /* first filter of the group, rows of K */
  float *c;                  /* first output channel of the group */
  int64_t isz, ksz, k, osz;  /* input plane, taps, K, output positions */
  const int64_t *lo, *hi;    /* valid output columns per kernel column */
  int64_t tile;              /* positions per tile */
  float *acc, *xrow, *t4;    /* scratch: mg x tile, tile, tile */
  float *col;                /* scratch: K (one im2col column) */
} conv_run;

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

/* Row k of im2col(X) for output positions [n0, n0 + nc): the input value
 * under kernel tap k, 0 in the padding (as MlasConvIm2Col writes it). */
static void im2col_row(const conv_run *r, int64_t k, int64_t n0, int64_t nc, float *out) {
  const win3 *t = r->t;
  int64_t OH = t->out[1], OW = t->out[2], IH = t->in[1], IW = t->in[2], sw = t->s[2];
  int64_t tap = k % r->ksz, kw = tap % t->k[2], kh = tap / t->k[2] % t->k[1];
  int64_t kd = tap / (t->k[2] * t->k[1]);
  const float *xc = r->x + k / r->ksz * r->isz;
  int64_t off = kw * t->d[2] - t->p[2], lo = r->lo[kw], hi = r->hi[kw];
  for (int64_t n = n0, end = n0 + nc; n < end;) {
    int64_t row = n / OW, ow = n % OW, cnt = OW - ow < end - n ? OW - ow : end - n;
    int64_t id = row / OH * t->s[0] + kd * t->d[0] - t->p[0];
    int64_t ih = row % OH * t->s[1] + kh * t->d[1] - t->p[1];
    if (id < 0 || id >= t->in[0] || ih < 0 || ih >= IH) {
      memset(out, 0, sizeof(float) * (size_t)cnt);
    } else {
      const float *xr = xc + (id * IH + ih) * IW + off;
      for (int64_t j = 0; j < cnt; j++) {
        int64_t o = ow + j;
        out[j] = o >= lo && o < hi ? xr[o * sw] : 0.0f;
      }
    }
    out += cnt;
    n += cnt;
  }
}

/* acc[m][p] = fma(w[m * ldw], xrow[p], acc[m][p]) for nm filters and np
 * positions (acc rows np apart): one k of the FMA3 kernel. */
static inline __attribute__((always_inline)) void fma_step_body(const float *w, int64_t ldw,
                                                                 int64_t nm, const float *xrow,
                                                                 int64_t np, float *acc) {
  int64_t m = 0;
  for (; m + 4 <= nm; m += 4) {
    float w0 = w[m * ldw], w1 = w[(m + 1) * ldw], w2 = w[(m + 2) * ldw], w3 = w[(m + 3) * ldw];
    float *a0 = acc + m * np, *a1 = a0 + np, *a2 = a1 + np, *a3 = a2 + np;
    for (int64_t p = 0; p < np; p++) {
      float xv = xrow[p];
      a0[p] = fmaf(w0, xv, a0[p]);
      a1[p] = fmaf(w1, xv, a1[p]);
      a2[p] = fmaf(w2, xv, a2[p]);
      a3[p] = fmaf(w3, xv, a3[p]);
    }
  }
  for (; m < nm; m++) {
    float wv = w[m * ldw], *a = acc + m * np;
    for (int64_t p = 0; p < np; p++) a[p] = fmaf(wv, xrow[p], a[p]);
  }
}

static void fma_step_generic(const float *w, int64_t ldw, int64_t nm, const float *xrow,
                             int64_t np, float *acc) {
  fma_step_body(w, ldw, nm, xrow, np, acc);
}

#if defined(__x86_64__) && defined(__GNUC__)
/* The same with the FMA instructions (fmaf inlined and vectorized). */
__attribute__((target("fma"))) static void fma_step_fma(const float *w, int64_t ldw, int64_t nm,
                                                        const float *xrow, int64_t np,
                                                        float *acc) {
  fma_step_body(w, ldw, nm, xrow, np, acc);
}

static void fma_step(const float *w, int64_t ldw, int64_t nm, const float *xrow, int64_t np,
                     float *acc) {
  if (__builtin_cpu_supports("fma"))
    fma_step_fma(w, ldw, nm, xrow, np, acc);
  else
    fma_step_generic(w, ldw, nm, xrow, np, acc);
}
#else
#define fma_step fma_step_generic
#endif

/* The K slice length MlasSgemmOperation (and MlasConvOperation) use for a
 * call with n columns and k rows of B; *stride_n gets the column stride. */
static int64_t mlas_stride_k(int64_t n, int64_t k, int64_t *stride_n) {
  int64_t sn = MLAS_STRIDEN, sk = MLAS_STRIDEK;
  if (n >= k) {
    while (sk / 2 >= k) {
      sn *= 2;
      sk /= 2;
    }
  } else {
    while (sn > 16 && sn / 2 >= n) {
      sk *= 2;
      sn /= 2;
    }
  }
  if (stride_n) *stride_n = sn;
  return sk;
}

/* The FMA3 kernel on filters [m0, m0+mc), positions [n0, n0+nc), K [k0, k0+kc):
 * each slice of mlas_stride_k(nc, kc) summed from 0 by fma, then stored into C
 * (first slice of a zero-mode call) or added to it. */
static void call_fma3(const conv_run *r, int64_t m0, int64_t mc, int64_t n0, int64_t nc,
                      int64_t k0, int64_t kc, bool zero) {
  int64_t sk = mlas_stride_k(nc, kc, NULL), K = r->k;
  for (int64_t p0 = n0; p0 < n0 + nc; p0 += r->tile) {
    int64_t np = n0 + nc - p0 < r->tile ? n0 + nc - p0 : r->tile;
    for (int64_t ks = k0; ks < k0 + kc; ks += sk) {
      int64_t ke = ks + sk < k0 + kc ? ks + sk : k0 + kc;
      memset(r->acc, 0, sizeof(float) * (size_t)(mc * np));
      for (int64_t k = ks; k < ke; k++) {
        im2col_row(r, k, p0, np, r->xrow);
        fma_step(r->w + m0 * K + k, K, mc, r->xrow, np, r->acc);
      }
      bool store = zero && ks == k0;
      for (int64_t m = 0; m < mc; m++) {
        float *cp = r->c + (m0 + m) * r->osz + p0;
        const float *a = r->acc + m * np;
        if (store)
          memcpy(cp, a, sizeof(float) * (size_t)np);
        else
          for (int64_t p = 0; p < np; p++) cp[p] = a[p] + cp[p];
      }
    }
  }
}

/* MlasSgemmKernelM1Avx (one filter m0, B not transposed): rounded products
 * summed in groups of 4 rows of B (then 2, then 1), each group added to C; a
 * zero-mode call ignores C for its first group. */
static void call_m1(const conv_run *r, int64_t m0, int64_t n0, int64_t nc, int64_t k0,
                    int64_t kc, bool zero) {
  const float *w = r->w + m0 * r->k;
  for (int64_t p0 = n0; p0 < n0 + nc; p0 += r->tile) {
    int64_t np = n0 + nc - p0 < r->tile ? n0 + nc - p0 : r->tile;
    float *cp = r->c + m0 * r->osz + p0, *t = r->t4;
    bool zm = zero;
    for (int64_t k = k0; k < k0 + kc;) {
      int64_t left = k0 + kc - k, g = left >= 4 ? 4 : left >= 2 ? 2 : 1;
      for (int64_t j = 0; j < g; j++, k++) {
        float wv = w[k];
        im2col_row(r, k, p0, np, r->xrow);
        for (int64_t p = 0; p < np; p++) {
          float prod = wv * r->xrow[p];
          t[p] = j ? t[p] + prod : prod;
        }
      }
      for (int64_t p = 0; p < np; p++) cp[p] = t[p] + (zm ? 0.0f : cp[p]);
      zm = false;
    }
  }
}

/* MlasSgemmKernelM1TransposeBAvx for one row: a . b over kc, lanes k mod 8
 * (mul, then add), reduced as the kernel does for a row of a block of
 * `rows` = 4, 2 or 1 rows. */
static float m1t_dot(const float *a, const float *b, int64_t kc, int rows) {
  float l[8] = {0};
  for (int64_t k = 0; k < kc; k++) {
    float prod = a[k] * b[k];
    l[k % 8] = l[k % 8] + prod;
  }
  if (rows == 4) {
    float lo = l[0] + l[1], hi = l[4] + l[5];
    lo = lo + l[2];
    hi = hi + l[6];
    lo = lo + l[3];
    hi = hi + l[7];
    return lo + hi;
  }
  if (rows == 2) {
    float e = l[0] + l[2], o = l[1] + l[3], e2 = l[4] + l[6], o2 = l[5] + l[7];
    e = e + e2;
    o = o + o2;
    return e + o;
  }
  float a01 = l[0] + l[1], a23 = l[2] + l[3], a45 = l[4] + l[5], a67 = l[6] + l[7];
  float lo = a01 + a23, hi = a45 + a67;
  return lo + hi;
}

/* The kernel processes its rows in blocks of 4, then 2, then 1. */
static int m1t_block(int64_t i, int64_t rows) {
  int64_t full = rows / 4 * 4;
  if (i < full) return 4;
  return (rows & 2) && i < full + 2 ? 2 : 1;
}

/* M1TransposeB over positions [n0, n0+nc) of filter m0 (M = 1, B transposed),
 * or over filters [m0, m0+mc) of the single position n0 (N = 1). */
static void call_m1t(const conv_run *r, int64_t m0, int64_t mc, int64_t n0, int64_t nc,
                     int64_t k0, int64_t kc, bool zero) {
  bool by_pos = mc == 1 && nc > 1;
  int64_t rows = by_pos ? nc : mc;
  for (int64_t i = 0; i < rows; i++) {
    int64_t m = by_pos ? m0 : m0 + i, n = by_pos ? n0 + i : n0;
    for (int64_t k = k0; k < k0 + kc; k++) im2col_row(r, k, n, 1, r->col + (k - k0));
    float s = m1t_dot(r->w + m * r->k + k0, r->col, kc, m1t_block(i, rows));
    float *cp = r->c + m * r->osz + n;
    *cp = s + (zero ? 0.0f : *cp);
  }
}

/* MlasSgemmOperation(NoTrans, transb, mc, nc, kc, alpha 1, ..., ldb, beta, ...,
 * ldc = osz): pick the kernel as it does. */
static void sgemm_op(const conv_run *r, int64_t m0, int64_t mc, int64_t n0, int64_t nc,
                     int64_t k0, int64_t kc, bool zero, bool transb, int64_t ldb) {
  if (mc == 1 && !transb)
    call_m1(r, m0, n0, nc, k0, kc, zero);
  else if (mc == 1 || (nc == 1 && ldb == 1 && r->osz == 1))
    call_m1t(r, m0, mc, n0, nc, k0, kc, zero);
  else
    call_fma3(r, m0, mc, n0, nc, k0, kc, zero);
}

/* MlasPartitionWork. */
static void mlas_partition(int64_t id, int64_t count, int64_t total, int64_t *start,
                           int64_t *len) {
  int64_t per = total / count, extra = total % count;
  *start = id < extra ? (per + 1) * id : per * id + extra;
  *len = id < extra ? per + 1 : per;
}

/* MlasGemm -> MlasGemmBatch (one GEMM): threads split N in blocks of 16
 * columns when N > M, else M; each part is one MlasSgemmOperation. */
static void gemm_threaded(const conv_run *r, int64_t m, int64_t n, bool transb, int64_t ldb) {
  double cx = (double)m * (double)n * (double)r->k / MLAS_THREAD_COMPLEXITY;
  int64_t th = cx >= ORT_THREADS ? ORT_THREADS : (int64_t)cx + 1; /* <= ORT_THREADS */
  if (n > m) {
    int64_t blocks = (n + MLAS_ALIGN_N - 1) / MLAS_ALIGN_N, s, c;
    if (th > blocks) th = blocks;
    for (int64_t i = 0; i < th; i++) {
      mlas_partition(i, th, blocks, &s, &c);
      s *= MLAS_ALIGN_N;
      c *= MLAS_ALIGN_N;
      if (c > n - s) c = n - s;
      if (c > 0) sgemm_op(r, 0, m, s, c, 0, r->k, true, transb, ldb);
    }
  } else {
    int64_t s, c;
    if (th > m) th = m;
    for (int64_t i = 0; i < th; i++) {
      mlas_partition(i, th, m, &s, &c);
      if (c > 0) sgemm_op(r, s, c, 0, n, 0, r->k, true, transb, ldb);
    }
  }
}

/* MlasConvOperation on positions [s0, s0+sn): im2col slices of StrideK rows
 * for column blocks of StrideN, one MlasSgemmOperation each. */
static void conv_operation(const conv_run *r, int64_t mg, int64_t s0, int64_t sn) {
  int64_t stride_n, stride_k = mlas_stride_k(sn, r->k, &stride_n);
  for (int64_t n = 0; n < sn; n += stride_n) {
    int64_t cn = sn - n < stride_n ? sn - n : stride_n;
    for (int64_t k = 0; k < r->k; k += stride_k) {
      int64_t ck = r->k - k < stride_k ? r->k - k : stride_k;
      sgemm_op(r, 0, mg, s0 + n, cn, k, ck, k == 0, false, cn);
    }
  }
}

/* MlasConvPrepare's thread stride over output positions (Segmented). */
static int64_t conv_thread_stride(int64_t mg, int64_t osz, int64_t k) {
  double cx = (double)mg * (double)osz * (double)k;
  int64_t th = cx < MLAS_THREAD_COMPLEXITY * MLAS_MAX_THREADS
                   ? (int64_t)(cx / MLAS_THREAD_COMPLEXITY) + 1 : MLAS_MAX_THREADS;
  if (th >= ORT_THREADS) th = ORT_THREADS;
  int64_t sn = osz / th;
  if (sn * th != osz) sn++;
  if (th > 1) sn = (sn + MLAS_ALIGN_N - 1) & ~(int64_t)(MLAS_ALIGN_N - 1);
  return sn;
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
  int64_t cg = C / group, mg = M / group, nb = x->dims[0];
  int64_t osz = t.out[0] * t.out[1] * t.out[2], ksz = t.k[0] * t.k[1] * t.k[2];
  int64_t K = cg * ksz;
  if (osz <= 0 || nb <= 0 || M <= 0) {
    out[0] = y;
    return 0;
  }
  if (K == 0) { /* no input channels: the sum is empty */
    for (int64_t i = 0; i < nb * M * osz; i++) y->f[i] = b ? 0.0f + b->f[i / osz % M] : 0.0f;
    out[0] = y;
    return 0;
  }

  /* MlasConvPrepare: the algorithm (1-D convolutions count as 2-D). */
  bool unit = true, nopad = true, undilated = true;
  for (int i = 0; i < w.ns; i++) {
    unit &= w.s[i] == 1;
    nopad &= w.pb[i] == 0 && w.pe[i] == 0;
    undilated &= w.d[i] == 1;
  }
  conv_alg alg = mg > osz ? ALG_EXPAND_GEMM : ALG_SEGMENTED;
  bool transb = false;
  int64_t ldb = osz;
  if (unit && nopad) {
    if (K == cg) {
      alg = ALG_GEMM_DIRECT;
    } else if (w.ns <= 2 && undilated && cg == 1) {
      if (t.k[2] == t.in[2]) {
        alg = ALG_GEMM_DIRECT;
        transb = true;
        ldb = t.in[2];
      } else if (t.k[1] == t.in[1] && t.k[2] == 1) {
        alg = ALG_GEMM_DIRECT;
        ldb = t.in[2];
      }
    }
  }

  int64_t tile = CONV_TILE_FLOATS / mg;
  if (tile > 1024) tile = 1024;
  if (tile < 16) tile = 16;
  if (tile > osz) tile = osz;
  conv_run r = {&t, NULL, NULL, NULL, t.in[0] * t.in[1] * t.in[2], ksz, K, osz, NULL, NULL,
                tile, NULL, NULL, NULL, NULL};
  int64_t *lo = ir_alloc_array(ctx->arena, (size_t)t.k[2], sizeof(int64_t));
  int64_t *hi = ir_alloc_array(ctx->arena, (size_t)t.k[2], sizeof(int64_t));
  conv_columns(&t, lo, hi);
  r.lo = lo;
  r.hi = hi;
  r.acc = ir_alloc_array(ctx->arena, (size_t)(mg * tile), sizeof(float));
  r.xrow = ir_alloc_array(ctx->arena, (size_t)tile, sizeof(float));
  r.t4 = ir_alloc_array(ctx->arena, (size_t)tile, sizeof(float));
  r.col = ir_alloc_array(ctx->arena, (size_t)K, sizeof(float));
  bool many = nb * group > 1; /* MlasConv's batch/group-threaded paths */
  int64_t tsn = conv_thread_stride(mg, osz, K);
  for (int64_t bi = 0; bi < nb; bi++)
    for (int64_t g = 0; g < group; g++) {
      r.x = x->f + (bi * C + g * cg) * r.isz;
      r.w = wt->f + g * mg * K;
      r.c = y->f + (bi * M + g * mg) * osz;
      if (alg == ALG_GEMM_DIRECT && many)
        sgemm_op(&r, 0, mg, 0, osz, 0, K, true, transb, ldb);
      else if (alg != ALG_SEGMENTED)
        gemm_threaded(&r, mg, osz, transb, ldb);
      else if (many || tsn >= osz)
        conv_operation(&r, mg, 0, osz);
      else
        for (int64_t s = 0; s < osz; s += tsn) conv_operation(&r, mg, s, osz - s < tsn ? osz - s : tsn);
      if (b) /* MlasActivation: Identity with bias */
        for (int64_t m = 0; m < mg; m++) {
          float bv = b->f[g * mg + m], *cp = r.c + m * osz;
          for (int64_t p = 0; p < osz; p++) cp[p] = cp[p] + bv;
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
