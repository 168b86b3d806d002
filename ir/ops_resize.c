/* ops_resize.c - spatial rearrangement ops: Resize/Upsample, DepthToSpace, Pad
 * (shape rules + executors).
 *
 * Resize reduces every mode to "taps": for each axis and output coordinate, up
 * to four (input index, weight) pairs (nearest 1, linear 2, cubic 4); an
 * output element is the weighted sum over the product of its axes' taps.
 * Coordinates are computed in float32 as onnxruntime does (nearest-mode ties
 * then agree with it), with the ONNX reference's resized length scale *
 * input_length (onnxruntime uses the integer output length, which differs for
 * align_corners when that product is not whole).  Upsample (opset 7/9) and
 * Resize-10 use onnxruntime's legacy rule: asymmetric coordinates, nearest =
 * floor when enlarging, ceil when shrinking. */
#include <string.h>

#include "ir/ops_nn_util.h"

/* ------------------------------------------------------------ Resize -- */

typedef enum { RS_NEAREST, RS_LINEAR, RS_CUBIC } rs_mode;

typedef struct {
  int rank;
  int64_t in[IR_MAX_RANK], out[IR_MAX_RANK];
  double scale[IR_MAX_RANK];          /* output / input along each axis */
  double roi_s[IR_MAX_RANK], roi_e[IR_MAX_RANK];
  bool legacy;                        /* Upsample, Resize-10 */
  rs_mode mode;
} rs_geom;

/* Which inputs hold roi, scales and sizes for this op and opset (-1: none). */
static void resize_slots(const ir_node *n, int64_t opset, int *roi, int *scales,
                         int *sizes) {
  *roi = *scales = *sizes = -1;
  if (!strcmp(n->op_type, "Upsample") || opset < 11) {
    if (n->nin > 1) *scales = 1;
    return;
  }
  *roi = n->nin > 1 ? 1 : -1;
  *scales = n->nin > 2 ? 2 : -1;
  *sizes = n->nin > 3 ? 3 : -1;
}

static int resize_mode(const char *file, const ir_node *n, rs_geom *r) {
  const char *m = ir_attr_str(n, "mode", "nearest");
  if (!strcmp(m, "nearest")) r->mode = RS_NEAREST;
  else if (!strcmp(m, "linear") || !strcmp(m, "bilinear")) r->mode = RS_LINEAR;
  else if (!strcmp(m, "cubic") && !r->legacy) r->mode = RS_CUBIC;
  else return ir_errorf(file, n, "unknown mode \"%s\"", m);
  if (ir_attr_int(n, "antialias", 0))
    return ir_errorf(file, n, "antialias=1 is not supported");
  const char *k = ir_attr_str(n, "keep_aspect_ratio_policy", "stretch");
  if (strcmp(k, "stretch"))
    return ir_errorf(file, n, "keep_aspect_ratio_policy \"%s\" is not supported", k);
  return 0;
}

/* Fill r from the input dims and the scales / sizes / roi values (each NULL or
 * empty when not given).  Dims may be -1 (shape rules): outputs then are too. */
static int resize_geom(const char *file, const ir_node *n, int64_t opset, int rank,
                       const int64_t *dims, const ir_buf *scales, const ir_buf *sizes,
                       const ir_buf *roi, rs_geom *r) {
  memset(r, 0, sizeof *r);
  r->rank = rank;
  r->legacy = !strcmp(n->op_type, "Upsample") || opset < 11;
  if (resize_mode(file, n, r)) return -1;
  memcpy(r->in, dims, sizeof(int64_t) * (size_t)rank);
  int64_t axes[IR_MAX_RANK];
  int na;
  if (ou_attr_ints(file, n, "axes", axes, IR_MAX_RANK, &na)) return -1;
  if (na == 0)
    for (int i = 0; i < rank; i++) axes[na++] = i;
  for (int j = 0; j < na; j++) {
    int a;
    if (ou_axis(file, n, axes[j], rank, &a)) return -1;
    axes[j] = a;
  }
  for (int i = 0; i < rank; i++) {
    r->scale[i] = 1;
    r->out[i] = dims[i];
    r->roi_s[i] = 0;
    r->roi_e[i] = 1;
  }
  float sattr[IR_MAX_RANK];
  int ns = 0;
  if (!scales && !strcmp(n->op_type, "Upsample")) {
    if (ou_attr_floats(file, n, "scales", sattr, IR_MAX_RANK, &ns)) return -1;
  } else if (scales && scales->n > 0) {
    if (scales->store != IR_F32 || scales->n > IR_MAX_RANK)
      return ir_errorf(file, n, "scales must be float32 with at most %d values",
                       IR_MAX_RANK);
    ns = (int)scales->n;
    memcpy(sattr, scales->f, sizeof(float) * (size_t)ns);
  }
  bool have_sizes = sizes && sizes->n > 0;
  if (ns && have_sizes) return ir_errorf(file, n, "only one of scales and sizes may be given");
  if (!ns && !have_sizes) return ir_errorf(file, n, "neither scales nor sizes is given");
  if (ns) {
    if (ns != na)
      return ir_errorf(file, n, "scales has %d values for %d axes", ns, na);
    for (int j = 0; j < na; j++) {
      int a = (int)axes[j];
      if (!(sattr[j] > 0)) return ir_errorf(file, n, "scales must be positive");
      r->scale[a] = sattr[j];
      double len = floor((double)dims[a] * (double)sattr[j]);
      if (dims[a] >= 0 && !(len <= (double)IR_MAX_ELEMS)) /* before the cast: no UB, no wrap */
        return ir_errorf(file, n, "scales[%d] = %g makes output axis %d %g elements long, more "
                         "than the %lld we handle", j, (double)sattr[j], a, len, (long long)IR_MAX_ELEMS);
      r->out[a] = dims[a] < 0 ? -1 : (int64_t)len;
    }
  } else {
    int64_t sz[IR_MAX_RANK];
    int cnt;
    if (nu_buf_ints(file, n, sizes, "sizes", sz, IR_MAX_RANK, &cnt)) return -1;
    if (cnt != na) return ir_errorf(file, n, "sizes has %d values for %d axes", cnt, na);
    for (int j = 0; j < na; j++) {
      int a = (int)axes[j];
      if (sz[j] < 0) return ir_errorf(file, n, "sizes must not be negative");
      r->out[a] = sz[j];
      r->scale[a] = dims[a] > 0 ? (double)sz[j] / (double)dims[a] : 1.0;
    }
  }
  if (roi && roi->n > 0 && !strcmp(ir_attr_str(n, "coordinate_transformation_mode", ""),
                                   "tf_crop_and_resize")) {
    if (roi->n != 2 * na)
      return ir_errorf(file, n, "roi has %lld values for %d axes", (long long)roi->n, na);
    for (int j = 0; j < na; j++) {
      r->roi_s[axes[j]] = ir_buf_get(roi, j);
      r->roi_e[axes[j]] = ir_buf_get(roi, j + na);
    }
  }
  return 0;
}

/* Up to 4 input taps for one output coordinate along one axis. */
typedef struct {
  int nt;
  bool extrapolate;          /* outside the crop box: output extrapolation_value */
  int64_t off[4];            /* input index * stride */
  double w[4];
} rs_taps;

/* Input coordinate of output coordinate x along axis a, in float32 arithmetic
 * as onnxruntime computes it (so nearest-mode ties fall the same way).  The
 * resized length is scale * input length, as in the ONNX reference. */
static double rs_coord(const rs_geom *r, const char *ctm, int a, int64_t x, bool *outside) {
  float s = (float)r->scale[a], in = (float)r->in[a], xf = (float)x;
  float len = (float)(r->scale[a] * (double)r->in[a]);
  *outside = false;
  if (r->legacy || !strcmp(ctm, "asymmetric")) return xf / s;
  if (!strcmp(ctm, "half_pixel")) return (xf + 0.5f) / s - 0.5f;
  if (!strcmp(ctm, "half_pixel_symmetric")) {
    float adj = (float)r->out[a] / len, center = in / 2;
    float off = center * (1 - adj);
    return off + (xf + 0.5f) / s - 0.5f;
  }
  if (!strcmp(ctm, "pytorch_half_pixel")) return len > 1 ? (xf + 0.5f) / s - 0.5f : 0.0f;
  if (!strcmp(ctm, "align_corners")) return len == 1 ? 0.0f : xf * (in - 1) / (len - 1);
  if (!strcmp(ctm, "tf_half_pixel_for_nn")) return (xf + 0.5f) / s;
  /* tf_crop_and_resize */
  float st = (float)r->roi_s[a], en = (float)r->roi_e[a], v;
  if (len > 1)
    v = st * (in - 1) + xf * (en - st) * (in - 1) / (len - 1);
  else
    v = 0.5f * (st + en) * (in - 1);
  *outside = v < 0 || v > in - 1;
  return v;
}

static int64_t clampi(int64_t v, int64_t hi) {
  return v < 0 ? 0 : (v > hi ? hi : v);
}

/* Taps for every output coordinate of axis a (stride: the input's stride). */
static int rs_axis_taps(const char *file, const ir_node *n, const rs_geom *r, int a,
                        int64_t stride, rs_taps *t) {
  const char *ctm = ir_attr_str(n, "coordinate_transformation_mode", "half_pixel");
  const char *nm = ir_attr_str(n, "nearest_mode", "round_prefer_floor");
  static const char *const known[] = {"asymmetric", "half_pixel", "half_pixel_symmetric",
                                      "pytorch_half_pixel", "align_corners",
                                      "tf_half_pixel_for_nn", "tf_crop_and_resize"};
  bool ok = r->legacy;
  for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) ok |= !strcmp(ctm, known[i]);
  if (!ok) return ir_errorf(file, n, "unknown coordinate_transformation_mode \"%s\"", ctm);
  double A = ir_attr_float(n, "cubic_coeff_a", -0.75f);
  bool excl = ir_attr_int(n, "exclude_outside", 0) != 0;
  int64_t hi = r->in[a] - 1;
  for (int64_t x = 0; x < r->out[a]; x++) {
    rs_taps *tp = &t[x];
    double c = rs_coord(r, ctm, a, x, &tp->extrapolate);
    /* A roi (tf_crop_and_resize) can put c anywhere, or make it NaN.  Every tap
     * is clamped to [0, hi], so moving c to a whole number 4 beyond the edge
     * gives the same output and keeps the int64 conversions below defined. */
    if (c != c) tp->extrapolate = true, c = 0;
    if (c < -4) c = -4;
    if (c > (double)hi + 4) c = (double)hi + 4;
    double f = floor(c), ratio = c - f;
    int64_t i0 = (int64_t)f;
    if (r->mode == RS_NEAREST) {
      int64_t i = i0;
      if (r->legacy)
        i = r->scale[a] < 1 ? (int64_t)ceil(c) : i0;
      else if (ratio == 0) i = i0;
      else if (!strcmp(nm, "round_prefer_floor")) i = ratio <= 0.5 ? i0 : i0 + 1;
      else if (!strcmp(nm, "round_prefer_ceil")) i = ratio < 0.5 ? i0 : i0 + 1;
      else if (!strcmp(nm, "floor")) i = i0;
      else if (!strcmp(nm, "ceil")) i = i0 + 1;
      else return ir_errorf(file, n, "unknown nearest_mode \"%s\"", nm);
      tp->nt = 1;
      tp->off[0] = clampi(i, hi) * stride;
      tp->w[0] = 1;
    } else if (r->mode == RS_LINEAR) {
      tp->nt = 2;
      tp->off[0] = clampi(i0, hi) * stride;
      tp->off[1] = clampi(i0 + 1, hi) * stride;
      tp->w[0] = 1 - ratio;
      tp->w[1] = ratio;
    } else {
      double r1 = ratio + 1, q = 1 - ratio, q1 = q + 1;
      double w[4] = {((A * r1 - 5 * A) * r1 + 8 * A) * r1 - 4 * A,
                     ((A + 2) * ratio - (A + 3)) * ratio * ratio + 1,
                     ((A + 2) * q - (A + 3)) * q * q + 1,
                     ((A * q1 - 5 * A) * q1 + 8 * A) * q1 - 4 * A};
      double sum = 0;
      for (int k = 0; k < 4; k++) {
        int64_t i = i0 - 1 + k;
        if (excl && (i < 0 || i > hi)) w[k] = 0;
        sum += w[k];
      }
      tp->nt = 4;
      for (int k = 0; k < 4; k++) {
        tp->off[k] = clampi(i0 - 1 + k, hi) * stride;
        tp->w[k] = excl && sum != 0 ? w[k] / sum : w[k];
      }
    }
  }
  return 0;
}

/* Weighted sum over the product of the axes' taps (linear and cubic). */
static float rs_weighted(const rs_taps *const *tp, int rank, const float *x) {
  int t[IR_MAX_RANK] = {0};
  double sum = 0;
  for (;;) {
    double w = 1;
    int64_t off = 0;
    for (int a = 0; a < rank; a++) {
      w *= tp[a]->w[t[a]];
      off += tp[a]->off[t[a]];
    }
    if (w != 0) sum += w * x[off];
    int a = rank - 1;
    for (; a >= 0; a--) { /* next combination of taps */
      if (++t[a] < tp[a]->nt) break;
      t[a] = 0;
    }
    if (a < 0) return (float)sum;
  }
}

int shape_resize(ir_graph *g, ir_node *n) {
  ir_tensor *x = n->in[0];
  int slot[3];
  const ir_buf *val[3] = {NULL, NULL, NULL};
  resize_slots(n, g->opset, &slot[0], &slot[1], &slot[2]);
  bool unknown = x->rank < 0;
  for (int j = 0; j < 3; j++) {
    if (slot[j] < 0 || !n->in[slot[j]]) continue;
    ir_tensor *t = n->in[slot[j]];
    if (t->init)
      val[j] = t->init;
    else if (j > 0 && !(t->rank == 1 && t->dims[0] == 0))
      unknown = true; /* scales or sizes computed at run time */
  }
  if (unknown) {
    int64_t d[IR_MAX_RANK];
    for (int i = 0; i < x->rank; i++) d[i] = -1;
    ou_set_shape(n->out[0], x->onnx_type, x->rank, d);
    return 0;
  }
  rs_geom r;
  if (resize_geom(g->file, n, g->opset, x->rank, x->dims, val[1], val[2], val[0], &r))
    return -1;
  ou_set_shape(n->out[0], x->onnx_type, x->rank, r.out);
  return 0;
}

int exec_resize(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  const char *file = nu_file(ctx);
  const ir_buf *x = in[0];
  int64_t opset = ctx->g ? ctx->g->opset : 13;
  int slot[3];
  resize_slots(n, opset, &slot[0], &slot[1], &slot[2]);
  const ir_buf *val[3];
  for (int j = 0; j < 3; j++) val[j] = slot[j] >= 0 ? in[slot[j]] : NULL;
  rs_geom r;
  if (resize_geom(file, n, opset, x->rank, x->dims, val[1], val[2], val[0], &r)) return -1;
  if (r.mode != RS_NEAREST && x->store != IR_F32)
    return ir_errorf(file, n, "linear and cubic Resize need float32 input");
  ir_buf *y = ou_buf_new(ctx, n, x->store, x->onnx_type, x->rank, r.out);
  if (!y) return -1;
  if (y->n == 0) {
    out[0] = y;
    return 0;
  }
  for (int a = 0; a < r.rank; a++)
    if (r.in[a] == 0) return ir_errorf(file, n, "cannot resize an empty axis");
  int64_t st[IR_MAX_RANK];
  rs_taps *taps[IR_MAX_RANK];
  ou_strides(x->rank, x->dims, st);
  for (int a = 0; a < r.rank; a++) {
    taps[a] = ir_alloc_array(ctx->arena, (size_t)r.out[a], sizeof(rs_taps));
    if (rs_axis_taps(file, n, &r, a, st[a], taps[a])) return -1;
  }
  double extrap = ir_attr_float(n, "extrapolation_value", 0.0f);
  int64_t idx[IR_MAX_RANK] = {0};
  for (int64_t k = 0; k < y->n; k++) {
    const rs_taps *tp[IR_MAX_RANK] = {NULL};
    bool ext = false;
    for (int a = 0; a < r.rank; a++) {
      tp[a] = &taps[a][idx[a]];
      ext |= tp[a]->extrapolate;
    }
    if (r.mode == RS_NEAREST && !ext) {
      int64_t off = 0;
      for (int a = 0; a < r.rank; a++) off += tp[a]->off[0];
      if (x->store == IR_F32) y->f[k] = x->f[off];
      else y->i[k] = x->i[off];
    } else if (ext) {
      ir_buf_set(y, k, extrap);
    } else {
      y->f[k] = rs_weighted(tp, r.rank, x->f);
    }
    for (int a = r.rank - 1; a >= 0; a--) {
      if (++idx[a] < r.out[a]) break;
      idx[a] = 0;
    }
  }
  out[0] = y;
  return 0;
}

/* ------------------------------------------------------ DepthToSpace -- */

static int d2s_geom(const char *file, const ir_node *n, ir_arena *a, int rank,
                    const int64_t *dims, int64_t *bs, int64_t *out) {
  *bs = ir_attr_int(n, "blocksize", 0);
  if (*bs < 1) return ir_errorf(file, n, "attribute blocksize is required (positive)");
  const char *mode = ir_attr_str(n, "mode", "DCR");
  if (strcmp(mode, "DCR") && strcmp(mode, "CRD"))
    return ir_errorf(file, n, "unknown mode \"%s\" (DCR or CRD)", mode);
  if (rank != 4)
    return ir_errorf(file, n, "input %s must be 4-D [N, C, H, W]", ou_shape_str(a, rank, dims));
  int64_t b2 = *bs * *bs;
  if (dims[1] >= 0 && dims[1] % b2)
    return ir_errorf(file, n, "%lld channels are not divisible by blocksize^2 = %lld",
                     (long long)dims[1], (long long)b2);
  out[0] = dims[0];
  out[1] = dims[1] < 0 ? -1 : dims[1] / b2;
  out[2] = dims[2] < 0 ? -1 : dims[2] * *bs;
  out[3] = dims[3] < 0 ? -1 : dims[3] * *bs;
  return 0;
}

int shape_depth2space(ir_graph *g, ir_node *n) {
  ir_tensor *x = n->in[0];
  int64_t bs, out[4];
  if (x->rank < 0) {
    ou_set_shape(n->out[0], x->onnx_type, -1, NULL);
    return 0;
  }
  if (d2s_geom(g->file, n, g->arena, x->rank, x->dims, &bs, out)) return -1;
  ou_set_shape(n->out[0], x->onnx_type, 4, out);
  return 0;
}

int exec_depth2space(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in,
                     ir_buf **out) {
  const ir_buf *x = in[0];
  int64_t bs, d[4];
  if (d2s_geom(nu_file(ctx), n, ctx->arena, x->rank, x->dims, &bs, d)) return -1;
  ir_buf *y = ou_buf_new(ctx, n, x->store, x->onnx_type, 4, d);
  if (!y) return -1;
  bool crd = !strcmp(ir_attr_str(n, "mode", "DCR"), "CRD");
  int64_t C = x->dims[1], H = x->dims[2], W = x->dims[3], c2 = d[1];
  size_t es = nu_esize(x->store);
  char *yp = nu_data(y);
  const char *xp = nu_data(x);
  int64_t k = 0;
  /* y[b, c, h*bs+i, w*bs+j] = x[b, DCR ? (i*bs+j)*c2 + c : c*bs*bs + i*bs + j, h, w] */
  for (int64_t b = 0; b < d[0]; b++)
    for (int64_t c = 0; c < c2; c++)
      for (int64_t oh = 0; oh < d[2]; oh++)
        for (int64_t ow = 0; ow < d[3]; ow++, k++) {
          int64_t i = oh % bs, j = ow % bs;
          int64_t ic = crd ? (c * bs + i) * bs + j : (i * bs + j) * c2 + c;
          int64_t src = ((b * C + ic) * H + oh / bs) * W + ow / bs;
          memcpy(yp + (size_t)k * es, xp + (size_t)src * es, es);
        }
  out[0] = y;
  return 0;
}

/* --------------------------------------------------------------- Pad -- */

/* pads (begin..., end...) for every axis: attribute before opset 11, input 1
 * after (optionally for the axes of input 3).  *dynamic when they come from a
 * non-constant input (shape rules pass pads_in NULL). */
static int pad_amounts(const char *file, const ir_node *n, int64_t opset, int rank,
                       const ir_buf *pads_in, const ir_buf *axes_in, int64_t *pb,
                       int64_t *pe) {
  int64_t p[2 * IR_MAX_RANK], axes[IR_MAX_RANK];
  int cnt, na = rank;
  if (opset < 11 || !nu_has_in(n, 1)) {
    if (ou_attr_ints(file, n, "pads", p, 2 * IR_MAX_RANK, &cnt)) return -1;
  } else if (nu_buf_ints(file, n, pads_in, "pads", p, 2 * IR_MAX_RANK, &cnt)) {
    return -1;
  }
  if (nu_has_in(n, 3)) {
    if (nu_buf_ints(file, n, axes_in, "axes", axes, IR_MAX_RANK, &na)) return -1;
  } else {
    for (int i = 0; i < rank; i++) axes[i] = i;
  }
  if (cnt != 2 * na)
    return ir_errorf(file, n, "pads has %d values for %d axes", cnt, na);
  for (int i = 0; i < rank; i++) pb[i] = pe[i] = 0;
  for (int j = 0; j < na; j++) {
    int a;
    if (ou_axis(file, n, axes[j], rank, &a)) return -1;
    pb[a] = p[j];
    pe[a] = p[j + na];
  }
  return 0;
}

static int pad_geom(const char *file, const ir_node *n, ir_arena *ar, int rank,
                    const int64_t *dims, const int64_t *pb, const int64_t *pe,
                    int64_t *out) {
  const char *mode = ir_attr_str(n, "mode", "constant");
  if (strcmp(mode, "constant") && strcmp(mode, "reflect") && strcmp(mode, "edge") &&
      strcmp(mode, "wrap"))
    return ir_errorf(file, n, "unknown mode \"%s\"", mode);
  for (int i = 0; i < rank; i++) {
    out[i] = dims[i] < 0 ? -1 : dims[i] + pb[i] + pe[i];
    if (dims[i] >= 0 && out[i] < 0)
      return ir_errorf(file, n, "pads crop more than the input %s has along axis %d",
                       ou_shape_str(ar, rank, dims), i);
    if (dims[i] == 0 && strcmp(mode, "constant") && (pb[i] > 0 || pe[i] > 0))
      return ir_errorf(file, n, "cannot %s-pad an empty axis", mode);
  }
  return 0;
}

int shape_pad(ir_graph *g, ir_node *n) {
  ir_tensor *x = n->in[0];
  int64_t pb[IR_MAX_RANK], pe[IR_MAX_RANK], out[IR_MAX_RANK];
  if (x->rank < 0) {
    ou_set_shape(n->out[0], x->onnx_type, -1, NULL);
    return 0;
  }
  bool dynamic = g->opset >= 11 && ((nu_has_in(n, 1) && !n->in[1]->init) ||
                                    (nu_has_in(n, 3) && !n->in[3]->init));
  if (dynamic) {
    for (int i = 0; i < x->rank; i++) out[i] = -1;
  } else if (pad_amounts(g->file, n, g->opset, x->rank, nu_const_in(n, 1),
                         nu_const_in(n, 3), pb, pe) ||
             pad_geom(g->file, n, g->arena, x->rank, x->dims, pb, pe, out)) {
    return -1;
  }
  ou_set_shape(n->out[0], x->onnx_type, x->rank, out);
  return 0;
}

/* Source index along one axis for output index o, or -1 for the fill value. */
static int64_t pad_src(const char *mode, int64_t o, int64_t before, int64_t d) {
  int64_t i = o - before;
  if (i >= 0 && i < d) return i;
  if (mode[0] == 'c') return -1;             /* constant */
  if (mode[0] == 'e') return i < 0 ? 0 : d - 1; /* edge */
  if (mode[0] == 'w') return ((i % d) + d) % d; /* wrap */
  if (d == 1) return 0;                      /* reflect */
  int64_t p = 2 * (d - 1), j = ((i % p) + p) % p;
  return j < d ? j : p - j;
}

int exec_pad(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  const char *file = nu_file(ctx);
  const ir_buf *x = in[0];
  int64_t opset = ctx->g ? ctx->g->opset : 18;
  int64_t pb[IR_MAX_RANK], pe[IR_MAX_RANK], d[IR_MAX_RANK], st[IR_MAX_RANK];
  int r = x->rank;
  if (pad_amounts(file, n, opset, r, in[1], n->nin > 3 ? in[3] : NULL, pb, pe) ||
      pad_geom(file, n, ctx->arena, r, x->dims, pb, pe, d))
    return -1;
  double value = opset < 11 ? ir_attr_float(n, "value", 0.0f)
                            : (n->nin > 2 && in[2] && in[2]->n ? ir_buf_get(in[2], 0) : 0);
  ir_buf *y = ou_buf_new(ctx, n, x->store, x->onnx_type, r, d);
  if (!y) return -1;
  if (y->n == 0) {
    out[0] = y;
    return 0;
  }
  const char *mode = ir_attr_str(n, "mode", "constant");
  ou_strides(r, x->dims, st);
  int64_t *src[IR_MAX_RANK]; /* per axis: source offset, or -1 */
  for (int a = 0; a < r; a++) {
    src[a] = ir_alloc_array(ctx->arena, (size_t)d[a], sizeof(int64_t));
    for (int64_t o = 0; o < d[a]; o++) {
      int64_t s = pad_src(mode, o, pb[a], x->dims[a]);
      src[a][o] = s < 0 ? -1 : s * st[a];
    }
  }
  int64_t idx[IR_MAX_RANK] = {0};
  for (int64_t k = 0; k < y->n; k++) {
    int64_t off = 0;
    for (int a = 0; a < r && off >= 0; a++)
      off = src[a][idx[a]] < 0 ? -1 : off + src[a][idx[a]];
    if (x->store == IR_F32)
      y->f[k] = off < 0 ? (float)value : x->f[off];
    else
      y->i[k] = off < 0 ? (int64_t)value : x->i[off];
    for (int a = r - 1; a >= 0; a--) {
      if (++idx[a] < d[a]) break;
      idx[a] = 0;
    }
  }
  out[0] = y;
  return 0;
}
