/* ops_elementwise.c - ONNX element-wise ops: Add Sub Mul Div Pow (numpy
 * broadcasting), the unary math ops, Clip, Identity, Dropout (inference) and Cast.
 * Float tensors compute in float32 as onnxruntime does; integer tensors are held
 * as int64 and compute in integers (Div truncates toward zero, like ONNX). */
#include <float.h>
#include <math.h>
#include <string.h>

#include "ir/ops_impl.h"
#include "ir/ops_util.h"

/* Type of an op's result when its input has type t (unknown stays float). */
static int type_or_float(int t) { return t == ONNX_UNDEFINED ? ONNX_FLOAT : t; }

static ir_store store_of_type(int t) {
  int s = ir_store_of(t);
  return s == IR_I64 ? IR_I64 : IR_F32;
}

/* --------------------------------------------------------------- binary -- */

typedef enum { B_ADD, B_SUB, B_MUL, B_DIV, B_POW } binop;

static int binop_of(const char *op) {
  static const char *const names[] = {"Add", "Sub", "Mul", "Div", "Pow"};
  for (int i = 0; i < 5; i++)
    if (!strcmp(op, names[i])) return i;
  return -1;
}

int shape_binary(ir_graph *g, ir_node *n) {
  int rank;
  int64_t dims[IR_MAX_RANK];
  if (binop_of(n->op_type) < 0) return ir_errorf(g->file, n, "not a binary op");
  if (ou_broadcast_inputs(g, n, 0, 2, &rank, dims)) return -1;
  int t = n->in[0]->onnx_type;
  if (t == ONNX_UNDEFINED && binop_of(n->op_type) != B_POW) t = n->in[1]->onnx_type;
  ou_set_shape(n->out[0], type_or_float(t), rank, dims);
  return 0;
}

/* onnxruntime's float Pow: x*x and x*x*x for exponents 2 and 3, else powf. */
static float powf_ort(float x, float e) {
  if (e == 2.0f) return x * x;
  if (e == 3.0f) return x * x * x;
  return powf(x, e);
}

static float binf(binop op, float a, float b) {
  switch (op) {
  case B_ADD: return a + b;
  case B_SUB: return a - b;
  case B_MUL: return a * b;
  case B_DIV: return a / b;
  case B_POW: return powf_ort(a, b);
  }
  return 0.0f;
}

/* Integer arithmetic wraps like two's complement (no UB on overflow).
 * -1 on division by zero. */
static int bini(binop op, int64_t a, int64_t b, int64_t *r) {
  uint64_t ua = (uint64_t)a, ub = (uint64_t)b;
  switch (op) {
  case B_ADD: *r = (int64_t)(ua + ub); return 0;
  case B_SUB: *r = (int64_t)(ua - ub); return 0;
  case B_MUL: *r = (int64_t)(ua * ub); return 0;
  case B_DIV:
    if (b == 0) return -1;
    *r = (a == INT64_MIN && b == -1) ? INT64_MIN : a / b;
    return 0;
  case B_POW: {
    double p = pow((double)a, (double)b);
    *r = (p >= 9.2e18 || p <= -9.2e18 || isnan(p)) ? INT64_MIN : (int64_t)p;
    return 0;
  }
  }
  return 0;
}

int exec_binary(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  binop op = (binop)binop_of(n->op_type);
  const ir_buf *a = in[0], *b = in[1];
  int rank;
  int64_t dims[IR_MAX_RANK];
  if (ou_broadcast2(a->rank, a->dims, b->rank, b->dims, &rank, dims))
    return ir_errorf(ctx->g->file, n, "shapes %s and %s do not broadcast",
                     ou_shape_str(ctx->arena, a->rank, a->dims),
                     ou_shape_str(ctx->arena, b->rank, b->dims));
  ir_buf *y = ou_buf_new(ctx, n, a->store, a->onnx_type, rank, dims);
  if (!y) return -1;
  ou_iter it;
  ou_iter_init(&it, rank, dims, 2, (const ir_buf *[]){a, b});
  bool ints = a->store == IR_I64 && b->store == IR_I64;
  for (int64_t k = 0; k < y->n; k++, ou_iter_next(&it)) {
    if (ints) {
      if (bini(op, a->i[it.off[0]], b->i[it.off[1]], &y->i[k]))
        return ir_errorf(ctx->g->file, n, "integer division by zero");
    } else {
      float r = binf(op, ou_getf(a, it.off[0]), ou_getf(b, it.off[1]));
      if (y->store == IR_F32)
        y->f[k] = r;
      else
        y->i[k] = isfinite(r) && fabsf(r) < 9.2e18f ? (int64_t)r : INT64_MIN;
    }
  }
  out[0] = y;
  return 0;
}

/* ---------------------------------------------------------------- unary -- */

typedef enum {
  U_RELU, U_SIGMOID, U_SIGN, U_ABS, U_NEG, U_SQRT, U_EXP, U_TANH, U_FLOOR, U_CEIL,
  U_ROUND
} unop;

static int unop_of(const char *op) {
  static const char *const names[] = {"Relu", "Sigmoid", "Sign",  "Abs",  "Neg",  "Sqrt",
                                      "Exp",  "Tanh",    "Floor", "Ceil", "Round"};
  for (int i = 0; i < (int)(sizeof names / sizeof names[0]); i++)
    if (!strcmp(op, names[i])) return i;
  return -1;
}

/* Ops defined on integer tensors too (the rest need float). */
static bool unop_int_ok(unop u) {
  return u == U_RELU || u == U_SIGN || u == U_ABS || u == U_NEG || u == U_FLOOR ||
         u == U_CEIL || u == U_ROUND;
}

int shape_unary(ir_graph *g, ir_node *n) {
  int u = unop_of(n->op_type);
  if (u < 0) return ir_errorf(g->file, n, "not a unary op");
  const ir_tensor *x = n->in[0];
  if (store_of_type(x->onnx_type) == IR_I64 && !unop_int_ok((unop)u))
    return ir_errorf(g->file, n, "%s needs a float input, not %s", n->op_type,
                     ir_onnx_type_name(x->onnx_type));
  ou_set_shape(n->out[0], type_or_float(x->onnx_type), x->rank, x->dims);
  return 0;
}

static float unf(unop u, float x) {
  switch (u) {
  case U_RELU: return x > 0.0f ? x : 0.0f;
  case U_SIGMOID: return (float)(1.0 / (1.0 + exp(-(double)x)));
  case U_SIGN: return ou_signf(x);
  case U_ABS: return fabsf(x);
  case U_NEG: return -x;
  case U_SQRT: return sqrtf(x);
  case U_EXP: return expf(x);
  case U_TANH: return tanhf(x);
  case U_FLOOR: return floorf(x);
  case U_CEIL: return ceilf(x);
  case U_ROUND: return nearbyintf(x);
  }
  return x;
}

static int64_t uni(unop u, int64_t x) {
  switch (u) {
  case U_RELU: return x > 0 ? x : 0;
  case U_SIGN: return (x > 0) - (x < 0);
  case U_ABS: return x < 0 ? (int64_t)(0 - (uint64_t)x) : x;
  case U_NEG: return (int64_t)(0 - (uint64_t)x);
  default: return x; /* Floor, Ceil, Round of an integer */
  }
}

int exec_unary(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  unop u = (unop)unop_of(n->op_type);
  const ir_buf *x = in[0];
  if (x->store == IR_I64 && !unop_int_ok(u))
    return ir_errorf(ctx->g->file, n, "%s needs a float input, not %s", n->op_type,
                     ir_onnx_type_name(x->onnx_type));
  ir_buf *y = ou_buf_new(ctx, n, x->store, x->onnx_type, x->rank, x->dims);
  if (!y) return -1;
  if (x->store == IR_I64)
    for (int64_t k = 0; k < x->n; k++) y->i[k] = uni(u, x->i[k]);
  else
    for (int64_t k = 0; k < x->n; k++) y->f[k] = unf(u, x->f[k]);
  out[0] = y;
  return 0;
}

/* ----------------------------------------------------------------- Clip -- */

/* Bounds come from inputs 1, 2 (opset >= 11) or attributes min, max (older). */
static int clip_bound_shape(const ir_graph *g, const ir_node *n, int i) {
  if (i >= n->nin || !n->in[i]) return 0;
  const ir_tensor *t = n->in[i];
  int64_t numel = ir_shape_numel(t->rank, t->dims);
  if (t->rank >= 0 && numel != 1 && numel != -1)
    return ir_errorf(g->file, n, "%s must be a scalar, not of shape %s", i == 1 ? "min" : "max",
                     ou_shape_str(g->arena, t->rank, t->dims));
  return 0;
}

int shape_clip(ir_graph *g, ir_node *n) {
  if (clip_bound_shape(g, n, 1) || clip_bound_shape(g, n, 2)) return -1;
  const ir_tensor *x = n->in[0];
  ou_set_shape(n->out[0], type_or_float(x->onnx_type), x->rank, x->dims);
  return 0;
}

static int clip_bound(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, int i,
                      double dflt, double *out) {
  *out = dflt;
  if (i < n->nin && in[i]) {
    if (in[i]->n != 1)
      return ir_errorf(ctx->g->file, n, "%s must be a scalar", i == 1 ? "min" : "max");
    *out = ir_buf_get(in[i], 0);
  } else {
    *out = ir_attr_float(n, i == 1 ? "min" : "max", (float)dflt);
  }
  return 0;
}

int exec_clip(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  const ir_buf *x = in[0];
  bool ints = x->store == IR_I64;
  double lo, hi;
  if (clip_bound(ctx, n, in, 1, ints ? -9.2e18 : -FLT_MAX, &lo) ||
      clip_bound(ctx, n, in, 2, ints ? 9.2e18 : FLT_MAX, &hi))
    return -1;
  ir_buf *y = ou_buf_new(ctx, n, x->store, x->onnx_type, x->rank, x->dims);
  if (!y) return -1;
  if (ints) {
    for (int64_t k = 0; k < x->n; k++) {
      int64_t v = x->i[k];
      if ((double)v < lo) v = (int64_t)lo;
      if (hi < (double)v) v = (int64_t)hi;
      y->i[k] = v;
    }
  } else {
    float flo = (float)lo, fhi = (float)hi;
    for (int64_t k = 0; k < x->n; k++) { /* std::min(std::max(x, lo), hi) */
      float v = x->f[k];
      v = v < flo ? flo : v;
      y->f[k] = fhi < v ? fhi : v;
    }
  }
  out[0] = y;
  return 0;
}

/* ------------------------------------------------------ Identity, Dropout -- */

int shape_identity(ir_graph *g, ir_node *n) {
  (void)g;
  const ir_tensor *x = n->in[0];
  ou_set_shape(n->out[0], x->onnx_type, x->rank, x->dims);
  return 0;
}

int exec_identity(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  (void)ctx;
  (void)n;
  out[0] = in[0]; /* values are never modified in place */
  return 0;
}

int shape_dropout(ir_graph *g, ir_node *n) {
  (void)g;
  const ir_tensor *x = n->in[0];
  ou_set_shape(n->out[0], x->onnx_type, x->rank, x->dims);
  if (n->nout > 1) ou_set_shape(n->out[1], ONNX_BOOL, x->rank, x->dims);
  return 0;
}

/* Inference: output = input, mask (if asked) all true. */
int exec_dropout(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  out[0] = in[0];
  if (n->nout > 1 && n->out[1]) {
    ir_buf *m = ou_buf_new(ctx, n, IR_I64, ONNX_BOOL, in[0]->rank, in[0]->dims);
    if (!m) return -1;
    for (int64_t k = 0; k < m->n; k++) m->i[k] = 1;
    out[1] = m;
  }
  return 0;
}

/* ----------------------------------------------------------------- Cast -- */

static int cast_target(const char *file, const ir_node *n, int *to) {
  const ir_attr *a = ir_attr_find(n, "to");
  if (!a || a->kind != IR_ATTR_INT) return ir_errorf(file, n, "attribute 'to' is missing");
  *to = (int)a->i;
  if (ir_store_of(*to) < 0 || a->i != *to)
    return ir_errorf(file, n, "Cast to %s (ONNX type %lld) is not supported",
                     ir_onnx_type_name(*to), (long long)a->i);
  return 0;
}

int shape_cast(ir_graph *g, ir_node *n) {
  int to = 0;
  if (cast_target(g->file, n, &to)) return -1;
  ou_set_shape(n->out[0], to, n->in[0]->rank, n->in[0]->dims);
  return 0;
}

/* Wrap an int64 into the range of an integer ONNX type (C conversion rules). */
static int64_t wrap_int(int to, int64_t v) {
  switch (to) {
  case ONNX_INT8: return (int8_t)(uint8_t)v;
  case ONNX_UINT8: return (uint8_t)v;
  case ONNX_INT16: return (int16_t)(uint16_t)v;
  case ONNX_UINT16: return (uint16_t)v;
  case ONNX_INT32: return (int32_t)(uint32_t)v;
  case ONNX_UINT32: return (uint32_t)v;
  case ONNX_BOOL: return v != 0;
  default: return v;
  }
}

/* float -> integer as a C cast does on x86 (truncation; NaN/overflow -> INT64_MIN). */
static int64_t f2i(float f) {
  if (!(fabsf(f) < 9.2e18f)) return INT64_MIN;
  return (int64_t)f;
}

int exec_cast(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  int to = 0;
  if (cast_target(ctx->g->file, n, &to)) return -1;
  const ir_buf *x = in[0];
  ir_store s = (ir_store)ir_store_of(to);
  ir_buf *y = ou_buf_new(ctx, n, s, to, x->rank, x->dims);
  if (!y) return -1;
  for (int64_t k = 0; k < x->n; k++) {
    if (s == IR_F32)
      y->f[k] = ou_getf(x, k);
    else if (to == ONNX_BOOL && x->store == IR_F32)
      y->i[k] = x->f[k] != 0.0f;
    else
      y->i[k] = wrap_int(to, x->store == IR_I64 ? x->i[k] : f2i(x->f[k]));
  }
  out[0] = y;
  return 0;
}
