/* ops_shape.c - layout and shape ops: Reshape, Flatten, Transpose, Concat,
 * Split, Shape, Gather, Unsqueeze, Squeeze, Constant.
 *
 * Each op has a geometry function (output dims from input dims, attributes and
 * constant values; -1 = unknown) shared by its shape rule and its executor.
 * These ops move elements without arithmetic, so every executor works on both
 * stores (float32 and int64) and keeps the input's ONNX element type. */
#include <string.h>

#include "ir/ops_nn_util.h"

/* Copy `count` elements between same-store buffers (element offsets). */
static void copy_elems(ir_buf *dst, int64_t doff, const ir_buf *src, int64_t soff,
                       int64_t count) {
  size_t es = nu_esize(src->store);
  if (count > 0)
    memcpy(nu_data(dst) + (size_t)doff * es, nu_data(src) + (size_t)soff * es,
           (size_t)count * es);
}

/* Executor output with the input's store and type, and the given shape. */
static ir_buf *out_like(ir_exec_ctx *ctx, const ir_node *n, const ir_buf *x, int rank,
                        const int64_t *dims) {
  return ou_buf_new(ctx, n, x->store, x->onnx_type, rank, dims);
}

/* Same elements, new shape (Reshape, Flatten, Squeeze, Unsqueeze). */
static ir_buf *reshaped_copy(ir_exec_ctx *ctx, const ir_node *n, const ir_buf *x,
                             int rank, const int64_t *dims) {
  ir_buf *y = out_like(ctx, n, x, rank, dims);
  if (!y) return NULL;
  if (y->n != x->n) {
    ir_errorf(nu_file(ctx), n, "internal: reshape of %lld elements to %lld",
              (long long)x->n, (long long)y->n);
    return NULL;
  }
  copy_elems(y, 0, x, 0, x->n);
  return y;
}

/* ----------------------------------------------------------- Reshape -- */

/* A requested shape as written, e.g. "[7,-1]" (ou_shape_str would print ? for -1). */
static const char *ints_str(ir_arena *a, int cnt, const int64_t *v) {
  char *s = ir_strdup(a, "[");
  for (int i = 0; i < cnt; i++)
    s = ir_sprintf(a, "%s%s%lld", s, i ? "," : "", (long long)v[i]);
  return ir_sprintf(a, "%s]", s);
}

/* Output dims of Reshape(x of rank/in, shape shp[0..cnt-1]).  rank < 0 means
 * the input shape is unknown. */
static int reshape_geom(const char *file, const ir_node *n, ir_arena *a, int rank,
                        const int64_t *in, const int64_t *shp, int cnt, bool allowzero,
                        int64_t *out) {
  int neg = -1;
  for (int i = 0; i < cnt; i++) {
    int64_t v = shp[i];
    if (v == -1) {
      if (neg >= 0)
        return ir_errorf(file, n, "shape %s has more than one -1",
                         ints_str(a, cnt, shp));
      neg = i;
      out[i] = -1;
    } else if (v == 0 && !allowzero) {
      if (rank >= 0 && i >= rank)
        return ir_errorf(file, n, "shape %s copies dimension %d (0) but the input %s has "
                         "rank %d", ints_str(a, cnt, shp), i,
                         ou_shape_str(a, rank, in), rank);
      out[i] = rank >= 0 ? in[i] : -1;
    } else if (v < -1) {
      return ir_errorf(file, n, "shape %s has a negative dimension",
                       ints_str(a, cnt, shp));
    } else {
      out[i] = v;
    }
  }
  int64_t total = rank >= 0 ? nu_prod(in, 0, rank) : -1;
  int64_t known = 1; /* product of the dims other than the -1 one */
  for (int i = 0; i < cnt && known >= 0; i++) {
    if (i == neg) continue;
    if (out[i] < 0 || (out[i] && known > INT64_MAX / out[i]))
      known = -1;
    else
      known *= out[i];
  }
  if (total < 0 || known < 0) return 0;
  if (neg >= 0) {
    if (known == 0 || total % known)
      return ir_errorf(file, n, "Reshape to %s cannot hold %lld elements (input %s)",
                       ints_str(a, cnt, shp), (long long)total,
                       ou_shape_str(a, rank, in));
    out[neg] = total / known;
  } else if (known != total) {
    return ir_errorf(file, n, "Reshape to %s cannot hold %lld elements (input %s)",
                     ints_str(a, cnt, shp), (long long)total,
                     ou_shape_str(a, rank, in));
  }
  return 0;
}

/* The target shape: input 1 (opset >= 5) or the `shape` attribute. */
static int reshape_target(const char *file, const ir_node *n, const ir_buf *shape_in,
                          int64_t *shp, int *cnt) {
  if (nu_has_in(n, 1))
    return nu_buf_ints(file, n, shape_in, "Reshape's shape input", shp, IR_MAX_RANK, cnt);
  if (!ir_attr_find(n, "shape"))
    return ir_errorf(file, n, "Reshape has neither a shape input nor a shape attribute");
  return ou_attr_ints(file, n, "shape", shp, IR_MAX_RANK, cnt);
}

int shape_reshape(ir_graph *g, ir_node *n) {
  ir_tensor *x = n->in[0], *y = n->out[0];
  int64_t shp[IR_MAX_RANK], out[IR_MAX_RANK];
  int cnt;
  if (nu_has_in(n, 1) && !n->in[1]->init) {
    ir_tensor *s = n->in[1];
    int r = (s->rank == 1 && s->dims[0] >= 0 && s->dims[0] <= IR_MAX_RANK)
                ? (int)s->dims[0] : -1;
    for (int i = 0; i < r; i++) out[i] = -1;
    ou_set_shape(y, x->onnx_type, r, out);
    return 0;
  }
  if (reshape_target(g->file, n, nu_const_in(n, 1), shp, &cnt)) return -1;
  bool allowzero = ir_attr_int(n, "allowzero", 0) != 0;
  if (reshape_geom(g->file, n, g->arena, x->rank, x->dims, shp, cnt, allowzero, out))
    return -1;
  ou_set_shape(y, x->onnx_type, cnt, out);
  return 0;
}

int exec_reshape(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  const char *file = nu_file(ctx);
  int64_t shp[IR_MAX_RANK], dims[IR_MAX_RANK];
  int cnt;
  if (reshape_target(file, n, in[1], shp, &cnt)) return -1;
  bool allowzero = ir_attr_int(n, "allowzero", 0) != 0;
  if (reshape_geom(file, n, ctx->arena, in[0]->rank, in[0]->dims, shp, cnt, allowzero,
                   dims))
    return -1;
  return (out[0] = reshaped_copy(ctx, n, in[0], cnt, dims)) ? 0 : -1;
}

/* ----------------------------------------------------------- Flatten -- */

static int flatten_geom(const char *file, const ir_node *n, int rank, const int64_t *in,
                        int64_t *out) {
  int64_t axis = ir_attr_int(n, "axis", 1);
  if (axis < -(int64_t)rank || axis > rank)
    return ir_errorf(file, n, "axis %lld is out of range for rank %d", (long long)axis,
                     rank);
  int ax = (int)(axis < 0 ? axis + rank : axis);
  out[0] = nu_prod(in, 0, ax);
  out[1] = nu_prod(in, ax, rank);
  return 0;
}

int shape_flatten(ir_graph *g, ir_node *n) {
  ir_tensor *x = n->in[0];
  int64_t out[2];
  if (x->rank < 0) {
    ou_set_shape(n->out[0], x->onnx_type, -1, NULL);
    return 0;
  }
  if (flatten_geom(g->file, n, x->rank, x->dims, out)) return -1;
  ou_set_shape(n->out[0], x->onnx_type, 2, out);
  return 0;
}

int exec_flatten(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  int64_t dims[2];
  if (flatten_geom(nu_file(ctx), n, in[0]->rank, in[0]->dims, dims)) return -1;
  return (out[0] = reshaped_copy(ctx, n, in[0], 2, dims)) ? 0 : -1;
}

/* --------------------------------------------------------- Transpose -- */

/* perm from the attribute (default: reversed axes), checked to be a permutation. */
static int transpose_perm(const char *file, const ir_node *n, int rank, int *perm) {
  int64_t p[IR_MAX_RANK];
  int cnt;
  if (ou_attr_ints(file, n, "perm", p, IR_MAX_RANK, &cnt)) return -1;
  if (cnt == 0) {
    for (int i = 0; i < rank; i++) perm[i] = rank - 1 - i;
    return 0;
  }
  if (cnt != rank)
    return ir_errorf(file, n, "perm has %d entries but the input has rank %d", cnt, rank);
  bool seen[IR_MAX_RANK] = {false};
  for (int i = 0; i < rank; i++) {
    int64_t v = p[i] < 0 ? p[i] + rank : p[i];
    if (v < 0 || v >= rank || seen[v])
      return ir_errorf(file, n, "perm is not a permutation of 0..%d", rank - 1);
    seen[v] = true;
    perm[i] = (int)v;
  }
  return 0;
}

int shape_transpose(ir_graph *g, ir_node *n) {
  ir_tensor *x = n->in[0];
  int perm[IR_MAX_RANK];
  int64_t out[IR_MAX_RANK];
  if (x->rank < 0) {
    ou_set_shape(n->out[0], x->onnx_type, -1, NULL);
    return 0;
  }
  if (transpose_perm(g->file, n, x->rank, perm)) return -1;
  for (int i = 0; i < x->rank; i++) out[i] = x->dims[perm[i]];
  ou_set_shape(n->out[0], x->onnx_type, x->rank, out);
  return 0;
}

/* Strided gather: walk the output in C order; the innermost output axis moves
 * the input by istr[rank-1].  T is the element type of both buffers. */
#define TRANSPOSE_LOOP(T, src, dst)                                                  \
  do {                                                                               \
    int64_t idx[IR_MAX_RANK] = {0}, off = 0, k = 0;                                  \
    int64_t last = r ? y->dims[r - 1] : 1, ls = r ? istr[r - 1] : 0;                 \
    while (k < y->n) {                                                               \
      const T *s = (src) + off;                                                      \
      for (int64_t j = 0; j < last; j++) (dst)[k++] = s[j * ls];                     \
      int a = r - 2;                                                                 \
      for (; a >= 0; a--) {                                                          \
        off += istr[a];                                                              \
        if (++idx[a] < y->dims[a]) break;                                            \
        off -= istr[a] * y->dims[a];                                                 \
        idx[a] = 0;                                                                  \
      }                                                                              \
      if (a < 0) break;                                                              \
    }                                                                                \
  } while (0)

int exec_transpose(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  const ir_buf *x = in[0];
  int r = x->rank, perm[IR_MAX_RANK];
  int64_t dims[IR_MAX_RANK], xs[IR_MAX_RANK], istr[IR_MAX_RANK];
  if (transpose_perm(nu_file(ctx), n, r, perm)) return -1;
  ou_strides(r, x->dims, xs);
  for (int i = 0; i < r; i++) {
    dims[i] = x->dims[perm[i]];
    istr[i] = xs[perm[i]];
  }
  ir_buf *y = out_like(ctx, n, x, r, dims);
  if (!y) return -1;
  if (y->n > 0) {
    if (x->store == IR_F32)
      TRANSPOSE_LOOP(float, x->f, y->f);
    else
      TRANSPOSE_LOOP(int64_t, x->i, y->i);
  }
  out[0] = y;
  return 0;
}

/* ------------------------------------------------------------ Concat -- */

static int concat_axis(const char *file, const ir_node *n, int64_t opset, int rank,
                       int *ax) {
  if (!ir_attr_find(n, "axis")) {
    if (opset >= 4) return ir_errorf(file, n, "attribute axis is required");
    *ax = 1; /* Concat-1 default */
    if (*ax >= rank) return ir_errorf(file, n, "axis 1 is out of range for rank %d", rank);
    return 0;
  }
  return ou_axis(file, n, ir_attr_int(n, "axis", 0), rank, ax);
}

/* Output dims of Concat over inputs with (rank, dims) given in rk[]/ds[]. */
static int concat_geom(const char *file, const ir_node *n, ir_arena *a, int k,
                       const int *rk, const int64_t (*ds)[IR_MAX_RANK], int ax,
                       int64_t *out) {
  int r = rk[0];
  memcpy(out, ds[0], sizeof ds[0]);
  for (int j = 1; j < k; j++) {
    if (rk[j] != r)
      return ir_errorf(file, n, "inputs have different ranks: %s and %s",
                       ou_shape_str(a, r, ds[0]), ou_shape_str(a, rk[j], ds[j]));
    for (int i = 0; i < r; i++) {
      if (i == ax) {
        out[i] = (out[i] < 0 || ds[j][i] < 0) ? -1 : out[i] + ds[j][i];
      } else if (out[i] < 0) {
        out[i] = ds[j][i];
      } else if (ds[j][i] >= 0 && ds[j][i] != out[i]) {
        return ir_errorf(file, n, "cannot concatenate %s and %s along axis %d",
                         ou_shape_str(a, r, ds[0]), ou_shape_str(a, rk[j], ds[j]), ax);
      }
    }
  }
  return 0;
}

int shape_concat(ir_graph *g, ir_node *n) {
  int rk[64];
  int64_t ds[64][IR_MAX_RANK], out[IR_MAX_RANK];
  int k = 0, type = ONNX_UNDEFINED;
  for (int j = 0; j < n->nin && k < 64; j++) {
    ir_tensor *t = n->in[j];
    if (!t) continue;
    if (type == ONNX_UNDEFINED) type = t->onnx_type;
    if (t->rank < 0) {
      ou_set_shape(n->out[0], type, -1, NULL);
      return 0;
    }
    rk[k] = t->rank;
    memcpy(ds[k], t->dims, sizeof ds[k]);
    k++;
  }
  if (k == 0) return ir_errorf(g->file, n, "Concat has no inputs");
  int ax;
  if (concat_axis(g->file, n, g->opset, rk[0], &ax)) return -1;
  if (concat_geom(g->file, n, g->arena, k, rk, (const int64_t(*)[IR_MAX_RANK])ds, ax, out))
    return -1;
  ou_set_shape(n->out[0], type, rk[0], out);
  return 0;
}

int exec_concat(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  const char *file = nu_file(ctx);
  int rk[64];
  int64_t ds[64][IR_MAX_RANK], dims[IR_MAX_RANK];
  const ir_buf *xs[64];
  int k = 0;
  for (int j = 0; j < n->nin && k < 64; j++) {
    if (!in[j]) continue;
    if (k && in[j]->store != xs[0]->store)
      return ir_errorf(file, n, "inputs have different element types (%s and %s)",
                       ir_onnx_type_name(xs[0]->onnx_type),
                       ir_onnx_type_name(in[j]->onnx_type));
    xs[k] = in[j];
    rk[k] = in[j]->rank;
    memcpy(ds[k], in[j]->dims, sizeof ds[k]);
    k++;
  }
  if (k == 0) return ir_errorf(file, n, "Concat has no inputs");
  int ax;
  if (concat_axis(file, n, ctx->g ? ctx->g->opset : 13, rk[0], &ax)) return -1;
  if (concat_geom(file, n, ctx->arena, k, rk, (const int64_t(*)[IR_MAX_RANK])ds, ax, dims))
    return -1;
  ir_buf *y = out_like(ctx, n, xs[0], rk[0], dims);
  if (!y) return -1;
  int64_t outer = nu_prod(dims, 0, ax), inner = nu_prod(dims, ax + 1, rk[0]);
  int64_t pos = 0;
  for (int64_t o = 0; o < outer; o++)
    for (int j = 0; j < k; j++) {
      int64_t chunk = xs[j]->dims[ax] * inner;
      copy_elems(y, pos, xs[j], o * chunk, chunk);
      pos += chunk;
    }
  out[0] = y;
  return 0;
}

/* ------------------------------------------------------------- Split -- */

/* Sizes of the nout parts along an axis of length d (d may be -1): from the
 * split list (sp/cnt, cnt < 0 = none) or equal parts (last one smaller when
 * num_outputs does not divide d, as Split-18 allows). */
static int split_sizes(const char *file, const ir_node *n, int64_t opset, int64_t d,
                       const int64_t *sp, int cnt, int nout, int64_t *sizes) {
  if (cnt >= 0) {
    if (cnt != nout)
      return ir_errorf(file, n, "split has %d entries for %d outputs", cnt, nout);
    int64_t sum = 0;
    for (int j = 0; j < cnt; j++) {
      if (sp[j] < 0) return ir_errorf(file, n, "split has a negative entry");
      sizes[j] = sp[j];
      sum += sp[j];
    }
    if (d >= 0 && sum != d)
      return ir_errorf(file, n, "split sizes add up to %lld but the axis has %lld",
                       (long long)sum, (long long)d);
    return 0;
  }
  int64_t parts = ir_attr_int(n, "num_outputs", nout);
  if (parts != nout)
    return ir_errorf(file, n, "num_outputs is %lld but the node has %d outputs",
                     (long long)parts, nout);
  if (d < 0) {
    for (int j = 0; j < nout; j++) sizes[j] = -1;
    return 0;
  }
  if (d % nout && opset < 18)
    return ir_errorf(file, n, "axis of length %lld cannot be split into %d equal parts",
                     (long long)d, nout);
  int64_t chunk = (d + nout - 1) / nout;
  for (int j = 0; j < nout; j++) {
    int64_t left = d - (int64_t)j * chunk;
    sizes[j] = left < 0 ? 0 : (left < chunk ? left : chunk);
  }
  return 0;
}

/* The split list: input 1 (opset >= 13) or attribute; *cnt = -1 if none. */
static int split_list(const char *file, const ir_node *n, const ir_buf *split_in,
                      int64_t *sp, int *cnt) {
  *cnt = -1;
  if (nu_has_in(n, 1)) {
    if (!split_in) return 0; /* shape rule with a non-constant split: caller checks */
    return nu_buf_ints(file, n, split_in, "Split's split input", sp, 64, cnt);
  }
  if (!ir_attr_find(n, "split")) return 0;
  return ou_attr_ints(file, n, "split", sp, 64, cnt);
}

int shape_split(ir_graph *g, ir_node *n) {
  ir_tensor *x = n->in[0];
  int64_t sp[64], sizes[64], dims[IR_MAX_RANK];
  int cnt, ax;
  if (n->nout > 64) return ir_errorf(g->file, n, "more than 64 outputs");
  if (x->rank < 0) {
    for (int j = 0; j < n->nout; j++)
      if (n->out[j]) ou_set_shape(n->out[j], x->onnx_type, -1, NULL);
    return 0;
  }
  if (ou_axis(g->file, n, ir_attr_int(n, "axis", 0), x->rank, &ax)) return -1;
  bool dynamic = nu_has_in(n, 1) && !n->in[1]->init;
  if (split_list(g->file, n, nu_const_in(n, 1), sp, &cnt)) return -1;
  if (dynamic) {
    for (int j = 0; j < n->nout; j++) sizes[j] = -1;
  } else if (split_sizes(g->file, n, g->opset, x->dims[ax], sp, cnt, n->nout, sizes)) {
    return -1;
  }
  memcpy(dims, x->dims, sizeof dims);
  for (int j = 0; j < n->nout; j++) {
    dims[ax] = sizes[j];
    if (n->out[j]) ou_set_shape(n->out[j], x->onnx_type, x->rank, dims);
  }
  return 0;
}

int exec_split(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  const char *file = nu_file(ctx);
  const ir_buf *x = in[0];
  int64_t sp[64], sizes[64], dims[IR_MAX_RANK];
  int cnt, ax;
  if (n->nout > 64) return ir_errorf(file, n, "more than 64 outputs");
  if (ou_axis(file, n, ir_attr_int(n, "axis", 0), x->rank, &ax)) return -1;
  if (split_list(file, n, in[1], sp, &cnt)) return -1;
  if (split_sizes(file, n, ctx->g ? ctx->g->opset : 18, x->dims[ax], sp, cnt, n->nout,
                  sizes))
    return -1;
  int64_t outer = nu_prod(x->dims, 0, ax), inner = nu_prod(x->dims, ax + 1, x->rank);
  int64_t start = 0;
  memcpy(dims, x->dims, sizeof dims);
  for (int j = 0; j < n->nout; j++) {
    dims[ax] = sizes[j];
    ir_buf *y = out_like(ctx, n, x, x->rank, dims);
    if (!y) return -1;
    for (int64_t o = 0; o < outer; o++)
      copy_elems(y, o * sizes[j] * inner, x, (o * x->dims[ax] + start) * inner,
                 sizes[j] * inner);
    start += sizes[j];
    out[j] = y;
  }
  return 0;
}

/* ------------------------------------------------------------- Shape -- */

/* The [start, end) slice of the dimensions Shape-15 returns. */
static void shape_range(const ir_node *n, int rank, int *s, int *e) {
  int64_t start = ir_attr_int(n, "start", 0), end = ir_attr_int(n, "end", rank);
  if (start < 0) start += rank;
  if (end < 0) end += rank;
  start = start < 0 ? 0 : (start > rank ? rank : start);
  end = end < 0 ? 0 : (end > rank ? rank : end);
  *s = (int)start;
  *e = (int)(end > start ? end : start);
}

int shape_shape(ir_graph *g, ir_node *n) {
  (void)g;
  ir_tensor *x = n->in[0];
  int64_t d = -1;
  if (x->rank >= 0) {
    int s, e;
    shape_range(n, x->rank, &s, &e);
    d = e - s;
  }
  ou_set_shape(n->out[0], ONNX_INT64, 1, &d);
  return 0;
}

int exec_shape(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  int s, e;
  shape_range(n, in[0]->rank, &s, &e);
  int64_t d = e - s;
  ir_buf *y = ou_buf_new(ctx, n, IR_I64, ONNX_INT64, 1, &d);
  if (!y) return -1;
  for (int i = s; i < e; i++) y->i[i - s] = in[0]->dims[i];
  out[0] = y;
  return 0;
}

/* ------------------------------------------------------------ Gather -- */

static int gather_geom(const char *file, const ir_node *n, int rd, const int64_t *dd,
                       int ri, const int64_t *di, int *ax, int *rout, int64_t *out) {
  if (ou_axis(file, n, ir_attr_int(n, "axis", 0), rd, ax)) return -1;
  int r = rd - 1 + ri;
  if (r > IR_MAX_RANK)
    return ir_errorf(file, n, "output rank %d exceeds %d", r, IR_MAX_RANK);
  int k = 0;
  for (int i = 0; i < *ax; i++) out[k++] = dd[i];
  for (int i = 0; i < ri; i++) out[k++] = di[i];
  for (int i = *ax + 1; i < rd; i++) out[k++] = dd[i];
  *rout = r;
  return 0;
}

int shape_gather(ir_graph *g, ir_node *n) {
  ir_tensor *x = n->in[0], *idx = n->in[1];
  int64_t out[IR_MAX_RANK];
  int ax, r;
  if (x->rank < 0 || idx->rank < 0) {
    ou_set_shape(n->out[0], x->onnx_type, -1, NULL);
    return 0;
  }
  if (gather_geom(g->file, n, x->rank, x->dims, idx->rank, idx->dims, &ax, &r, out))
    return -1;
  ou_set_shape(n->out[0], x->onnx_type, r, out);
  return 0;
}

int exec_gather(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  const char *file = nu_file(ctx);
  const ir_buf *x = in[0], *idx = in[1];
  int64_t dims[IR_MAX_RANK];
  int ax, r;
  if (idx->store != IR_I64)
    return ir_errorf(file, n, "indices must be integers, not %s",
                     ir_onnx_type_name(idx->onnx_type));
  if (gather_geom(file, n, x->rank, x->dims, idx->rank, idx->dims, &ax, &r, dims))
    return -1;
  ir_buf *y = out_like(ctx, n, x, r, dims);
  if (!y) return -1;
  int64_t outer = nu_prod(x->dims, 0, ax), inner = nu_prod(x->dims, ax + 1, x->rank);
  int64_t d = x->dims[ax], pos = 0;
  for (int64_t o = 0; o < outer; o++)
    for (int64_t k = 0; k < idx->n; k++) {
      int64_t v = idx->i[k];
      if (v < -d || v >= d)
        return ir_errorf(file, n, "index %lld is out of range for axis %d of length %lld",
                         (long long)v, ax, (long long)d);
      if (v < 0) v += d;
      copy_elems(y, pos, x, (o * d + v) * inner, inner);
      pos += inner;
    }
  out[0] = y;
  return 0;
}

/* ------------------------------------------------ Unsqueeze, Squeeze -- */

/* The axes: attribute before opset 13, input 1 from opset 13 on (either is
 * accepted whenever present).  *cnt = -1 if there are none; *dynamic if they
 * come from a non-constant input (shape rules only: axes_in is NULL). */
static int axes_list(const char *file, const ir_node *n, const ir_buf *axes_in,
                     int64_t *axes, int *cnt, bool *dynamic) {
  *cnt = -1;
  *dynamic = false;
  if (nu_has_in(n, 1)) {
    if (!axes_in) {
      *dynamic = true;
      return 0;
    }
    return nu_buf_ints(file, n, axes_in, "axes input", axes, IR_MAX_RANK, cnt);
  }
  if (!ir_attr_find(n, "axes")) return 0;
  return ou_attr_ints(file, n, "axes", axes, IR_MAX_RANK, cnt);
}

static int unsqueeze_geom(const char *file, const ir_node *n, int rank,
                          const int64_t *in, const int64_t *axes, int cnt, int *rout,
                          int64_t *out) {
  if (cnt < 0) return ir_errorf(file, n, "Unsqueeze needs axes");
  int r = rank + cnt;
  if (r > IR_MAX_RANK)
    return ir_errorf(file, n, "output rank %d exceeds %d", r, IR_MAX_RANK);
  bool ins[IR_MAX_RANK] = {false};
  for (int j = 0; j < cnt; j++) {
    int a;
    if (ou_axis(file, n, axes[j], r, &a)) return -1;
    if (ins[a]) return ir_errorf(file, n, "axis %lld is repeated", (long long)axes[j]);
    ins[a] = true;
  }
  for (int i = 0, k = 0; i < r; i++) out[i] = ins[i] ? 1 : in[k++];
  *rout = r;
  return 0;
}

int shape_unsqueeze(ir_graph *g, ir_node *n) {
  ir_tensor *x = n->in[0];
  int64_t axes[IR_MAX_RANK], out[IR_MAX_RANK];
  int cnt, r;
  bool dyn;
  if (axes_list(g->file, n, nu_const_in(n, 1), axes, &cnt, &dyn)) return -1;
  if (x->rank < 0 || dyn) {
    ou_set_shape(n->out[0], x->onnx_type, -1, NULL);
    return 0;
  }
  if (unsqueeze_geom(g->file, n, x->rank, x->dims, axes, cnt, &r, out)) return -1;
  ou_set_shape(n->out[0], x->onnx_type, r, out);
  return 0;
}

int exec_unsqueeze(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  const char *file = nu_file(ctx);
  int64_t axes[IR_MAX_RANK], dims[IR_MAX_RANK];
  int cnt, r;
  bool dyn;
  if (axes_list(file, n, in[1], axes, &cnt, &dyn)) return -1;
  if (unsqueeze_geom(file, n, in[0]->rank, in[0]->dims, axes, cnt, &r, dims)) return -1;
  return (out[0] = reshaped_copy(ctx, n, in[0], r, dims)) ? 0 : -1;
}

/* Squeeze: listed axes must have length 1 (unknown is accepted in shape
 * rules); without axes every length-1 axis goes. */
static int squeeze_geom(const char *file, const ir_node *n, ir_arena *a, int rank,
                        const int64_t *in, const int64_t *axes, int cnt, int *rout,
                        int64_t *out) {
  bool drop[IR_MAX_RANK] = {false};
  if (cnt < 0) {
    for (int i = 0; i < rank; i++) drop[i] = in[i] == 1;
  } else {
    for (int j = 0; j < cnt; j++) {
      int ax;
      if (ou_axis(file, n, axes[j], rank, &ax)) return -1;
      if (in[ax] >= 0 && in[ax] != 1)
        return ir_errorf(file, n, "cannot squeeze axis %d of length %lld (input %s)", ax,
                         (long long)in[ax], ou_shape_str(a, rank, in));
      drop[ax] = true;
    }
  }
  int k = 0;
  for (int i = 0; i < rank; i++)
    if (!drop[i]) out[k++] = in[i];
  *rout = k;
  return 0;
}

int shape_squeeze(ir_graph *g, ir_node *n) {
  ir_tensor *x = n->in[0];
  int64_t axes[IR_MAX_RANK], out[IR_MAX_RANK];
  int cnt, r;
  bool dyn;
  if (axes_list(g->file, n, nu_const_in(n, 1), axes, &cnt, &dyn)) return -1;
  if (x->rank < 0 || dyn || (cnt < 0 && !nu_known(x->rank, x->dims))) {
    ou_set_shape(n->out[0], x->onnx_type, -1, NULL);
    return 0;
  }
  if (squeeze_geom(g->file, n, g->arena, x->rank, x->dims, axes, cnt, &r, out)) return -1;
  ou_set_shape(n->out[0], x->onnx_type, r, out);
  return 0;
}

int exec_squeeze(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  const char *file = nu_file(ctx);
  int64_t axes[IR_MAX_RANK], dims[IR_MAX_RANK];
  int cnt, r;
  bool dyn;
  if (axes_list(file, n, in[1], axes, &cnt, &dyn)) return -1;
  if (squeeze_geom(file, n, ctx->arena, in[0]->rank, in[0]->dims, axes, cnt, &r, dims))
    return -1;
  return (out[0] = reshaped_copy(ctx, n, in[0], r, dims)) ? 0 : -1;
}

/* ---------------------------------------------------------- Constant -- */

/* The value a Constant node holds, built in arena a (NULL after an error). */
static ir_buf *constant_value(const char *file, const ir_node *n, ir_arena *a) {
  for (int k = 0; k < n->nattrs; k++) {
    const ir_attr *at = &n->attrs[k];
    int64_t len = at->n;
    ir_buf *b = NULL;
    if (!strcmp(at->name, "value") && at->kind == IR_ATTR_TENSOR && at->t) {
      b = ir_buf_clone(a, at->t);
    } else if (!strcmp(at->name, "value_float") && at->kind == IR_ATTR_FLOAT) {
      if ((b = ir_buf_new(a, IR_F32, ONNX_FLOAT, 0, NULL))) b->f[0] = at->f;
    } else if (!strcmp(at->name, "value_int") && at->kind == IR_ATTR_INT) {
      if ((b = ir_buf_new(a, IR_I64, ONNX_INT64, 0, NULL))) b->i[0] = at->i;
    } else if (!strcmp(at->name, "value_floats") && at->kind == IR_ATTR_FLOATS) {
      if ((b = ir_buf_new(a, IR_F32, ONNX_FLOAT, 1, &len)))
        for (int i = 0; i < at->n; i++) b->f[i] = at->floats[i];
    } else if (!strcmp(at->name, "value_ints") && at->kind == IR_ATTR_INTS) {
      if ((b = ir_buf_new(a, IR_I64, ONNX_INT64, 1, &len)))
        for (int i = 0; i < at->n; i++) b->i[i] = at->ints[i];
    } else {
      continue;
    }
    if (!b) ir_errorf(file, n, "constant value is too large");
    return b;
  }
  ir_errorf(file, n, "Constant needs a value, value_float(s) or value_int(s) attribute "
            "(sparse and string constants are not supported)");
  return NULL;
}

int shape_constant(ir_graph *g, ir_node *n) {
  ir_buf *b = constant_value(g->file, n, g->arena);
  if (!b) return -1;
  ou_set_shape(n->out[0], b->onnx_type, b->rank, b->dims);
  return 0;
}

int exec_constant(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  (void)in;
  return (out[0] = constant_value(nu_file(ctx), n, ctx->arena)) ? 0 : -1;
}
