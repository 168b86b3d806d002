/* ops_util.c - helpers shared by the op kernels: broadcasting, index iteration,
 * rounding modes, attribute and constant readers (see ir/ops_util.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ir/ops_util.h"

/* ------------------------------------------------------------ shapes -- */

const char *ou_shape_str(ir_arena *a, int rank, const int64_t *dims) {
  if (rank < 0) return "?";
  char buf[IR_MAX_RANK * 24 + 4];
  size_t k = 0;
  buf[k++] = '[';
  for (int i = 0; i < rank && i < IR_MAX_RANK; i++) {
    if (i) buf[k++] = ',';
    if (dims[i] < 0)
      k += (size_t)snprintf(buf + k, sizeof buf - k, "?");
    else
      k += (size_t)snprintf(buf + k, sizeof buf - k, "%lld", (long long)dims[i]);
  }
  buf[k++] = ']';
  buf[k] = 0;
  return ir_strdup(a, buf);
}

/* One dimension of a broadcast: -1 unknown; returns -2 if incompatible. */
static int64_t bdim(int64_t a, int64_t b) {
  if (a == b) return a;
  if (a == 1) return b;
  if (b == 1) return a;
  if (a < 0) return b > 1 ? b : -1;
  if (b < 0) return a > 1 ? a : -1;
  return -2;
}

int ou_broadcast2(int ra, const int64_t *da, int rb, const int64_t *db, int *rout,
                  int64_t *dout) {
  if (ra < 0 || rb < 0 || ra > IR_MAX_RANK || rb > IR_MAX_RANK) return -1;
  int r = ra > rb ? ra : rb;
  int64_t tmp[IR_MAX_RANK];
  for (int i = 0; i < r; i++) {
    int ia = i - (r - ra), ib = i - (r - rb);
    int64_t x = ia >= 0 ? da[ia] : 1, y = ib >= 0 ? db[ib] : 1;
    int64_t d = bdim(x, y);
    if (d == -2) return -1;
    tmp[i] = d;
  }
  *rout = r;
  if (r) memcpy(dout, tmp, (size_t)r * sizeof tmp[0]);
  return 0;
}

int ou_broadcast_inputs(const ir_graph *g, const ir_node *n, int first, int count,
                        int *rank, int64_t *dims) {
  int r = 0;
  int64_t d[IR_MAX_RANK];
  for (int i = first; i < first + count && i < n->nin; i++) {
    const ir_tensor *t = n->in[i];
    if (!t) continue;
    if (t->rank < 0) {
      *rank = -1;
      return 0;
    }
    int r2;
    int64_t d2[IR_MAX_RANK];
    if (ou_broadcast2(r, d, t->rank, t->dims, &r2, d2))
      return ir_errorf(g->file, n, "shapes %s and %s do not broadcast",
                       ou_shape_str(g->arena, r, d),
                       ou_shape_str(g->arena, t->rank, t->dims));
    r = r2;
    if (r) memcpy(d, d2, (size_t)r * sizeof d[0]);
  }
  *rank = r;
  if (r) memcpy(dims, d, (size_t)r * sizeof d[0]);
  return 0;
}

void ou_set_shape(ir_tensor *t, int onnx_type, int rank, const int64_t *dims) {
  if (!t) return;
  t->onnx_type = onnx_type;
  t->rank = rank;
  for (int i = 0; i < IR_MAX_RANK; i++) t->dims[i] = (rank >= 0 && i < rank) ? dims[i] : 0;
}

int ou_axis(const char *file, const ir_node *n, int64_t axis, int rank, int *out) {
  if (axis < -(int64_t)rank || axis >= rank)
    return ir_errorf(file, n, "axis %lld is out of range for rank %d", (long long)axis,
                     rank);
  *out = (int)(axis < 0 ? axis + rank : axis);
  return 0;
}

/* ------------------------------------------------- index iteration -- */

void ou_strides(int rank, const int64_t *dims, int64_t *strides) {
  int64_t s = 1;
  for (int i = rank - 1; i >= 0; i--) {
    strides[i] = s;
    s *= dims[i];
  }
}

void ou_iter_init(ou_iter *it, int rank, const int64_t *dims, int k,
                  const ir_buf *const *bufs) {
  memset(it, 0, sizeof *it);
  it->rank = rank;
  it->k = k;
  if (rank) memcpy(it->dims, dims, (size_t)rank * sizeof dims[0]);
  for (int j = 0; j < k; j++) {
    const ir_buf *b = bufs[j];
    if (!b) continue;
    int64_t st[IR_MAX_RANK];
    ou_strides(b->rank, b->dims, st);
    for (int i = 0; i < rank; i++) {
      int ib = i - (rank - b->rank);
      it->strides[j][i] = (ib >= 0 && b->dims[ib] != 1) ? st[ib] : 0;
    }
  }
}

void ou_iter_next(ou_iter *it) {
  for (int i = it->rank - 1; i >= 0; i--) {
    if (++it->idx[i] < it->dims[i]) {
      for (int j = 0; j < it->k; j++) it->off[j] += it->strides[j][i];
      return;
    }
    it->idx[i] = 0;
    for (int j = 0; j < it->k; j++) it->off[j] -= it->strides[j][i] * (it->dims[i] - 1);
  }
}

/* --------------------------------------------------------- rounding -- */

static const char *const round_names[] = {"ROUND", "CEIL", "FLOOR", "UP",
                                          "DOWN", "HALF_UP", "HALF_DOWN"};

int ou_round_mode_parse(const char *s, ou_round_mode *out) {
  if (!s) return -1;
  if (!strcasecmp(s, "HALF_EVEN")) {
    *out = OU_ROUND_HALF_EVEN;
    return 0;
  }
  for (int i = 0; i < (int)(sizeof round_names / sizeof round_names[0]); i++)
    if (!strcasecmp(s, round_names[i])) {
      *out = (ou_round_mode)i;
      return 0;
    }
  return -1;
}

const char *ou_round_mode_name(ou_round_mode m) {
  return (unsigned)m < sizeof round_names / sizeof round_names[0] ? round_names[m] : "?";
}

float ou_signf(float x) {
  if (x > 0) return 1.0f;
  if (x < 0) return -1.0f;
  if (x == 0) return 0.0f;
  return x; /* NaN */
}

float ou_round(ou_round_mode m, float x) {
  /* volatile temporaries keep every step in float32 whatever the compiler does */
  volatile float t;
  switch (m) {
  case OU_ROUND_HALF_EVEN: return nearbyintf(x);
  case OU_ROUND_CEIL: return ceilf(x);
  case OU_ROUND_FLOOR: return floorf(x);
  case OU_ROUND_UP: return ou_signf(x) * ceilf(fabsf(x));
  case OU_ROUND_DOWN: return truncf(x);
  case OU_ROUND_HALF_UP:
    t = fabsf(x) + 0.5f;
    return ou_signf(x) * floorf(t);
  case OU_ROUND_HALF_DOWN:
    t = fabsf(x) - 0.5f;
    return ou_signf(x) * ceilf(t);
  }
  return x;
}

int ou_attr_round_mode(const char *file, const ir_node *n, const char *dflt,
                       ou_round_mode *out) {
  const char *s = ir_attr_str(n, "rounding_mode", dflt);
  if (ou_round_mode_parse(s, out))
    return ir_errorf(file, n,
                     "unknown rounding_mode \"%s\" (ROUND, HALF_EVEN, CEIL, FLOOR, UP, "
                     "DOWN, HALF_UP, HALF_DOWN)",
                     s);
  return 0;
}

/* ------------------------------------------ attributes and constants -- */

int ou_attr_ints(const char *file, const ir_node *n, const char *name, int64_t *out,
                 int max, int *count) {
  const ir_attr *a = ir_attr_find(n, name);
  *count = 0;
  if (!a) return 0;
  if (a->kind == IR_ATTR_INT) {
    if (max < 1) return ir_errorf(file, n, "attribute %s: too many values", name);
    out[0] = a->i;
    *count = 1;
    return 0;
  }
  if (a->kind != IR_ATTR_INTS)
    return ir_errorf(file, n, "attribute %s should be a list of integers", name);
  if (a->n > max)
    return ir_errorf(file, n, "attribute %s has %d values (at most %d accepted)", name,
                     a->n, max);
  for (int i = 0; i < a->n; i++) out[i] = a->ints[i];
  *count = a->n;
  return 0;
}

int ou_attr_floats(const char *file, const ir_node *n, const char *name, float *out,
                   int max, int *count) {
  const ir_attr *a = ir_attr_find(n, name);
  *count = 0;
  if (!a) return 0;
  if (a->kind == IR_ATTR_FLOAT) {
    if (max < 1) return ir_errorf(file, n, "attribute %s: too many values", name);
    out[0] = a->f;
    *count = 1;
    return 0;
  }
  if (a->kind != IR_ATTR_FLOATS)
    return ir_errorf(file, n, "attribute %s should be a list of floats", name);
  if (a->n > max)
    return ir_errorf(file, n, "attribute %s has %d values (at most %d accepted)", name,
                     a->n, max);
  for (int i = 0; i < a->n; i++) out[i] = a->floats[i];
  *count = a->n;
  return 0;
}

const ir_buf *ou_const_input(const ir_node *n, int i) {
  if (i < 0 || i >= n->nin || !n->in[i]) return NULL;
  return n->in[i]->init;
}

int ou_const_ints(const char *file, const ir_node *n, int i, int64_t *out, int max,
                  int *count) {
  *count = 0;
  if (i >= n->nin || !n->in[i]) return ir_errorf(file, n, "input %d is missing", i);
  const ir_buf *b = n->in[i]->init;
  if (!b)
    return ir_errorf(file, n, "input '%s' must be a constant", n->in[i]->name);
  if (b->n > max)
    return ir_errorf(file, n, "input '%s' has %lld values (at most %d accepted)",
                     n->in[i]->name, (long long)b->n, max);
  for (int64_t k = 0; k < b->n; k++) {
    if (b->store == IR_I64) {
      out[k] = b->i[k];
      continue;
    }
    float v = b->f[k];
    if (!(v == floorf(v)) || fabsf(v) > 9.0e15f)
      return ir_errorf(file, n, "input '%s' holds %g, not an integer", n->in[i]->name,
                       (double)v);
    out[k] = (int64_t)v;
  }
  *count = (int)b->n;
  return 0;
}

/* ---------------------------------------------- executor conveniences -- */

ir_buf *ou_buf_new(ir_exec_ctx *ctx, const ir_node *n, ir_store store, int onnx_type,
                   int rank, const int64_t *dims) {
  ir_buf *b = ir_buf_new(ctx->arena, store, onnx_type, rank, dims);
  if (!b)
    ir_errorf(ctx->g ? ctx->g->file : NULL, n, "output of shape %s is too large",
              ou_shape_str(ctx->arena, rank, dims));
  return b;
}
