/* ops_nn_util.h - small helpers private to the neural-network and shape kernels
 * (ir/ops_nn.c, ir/ops_window.c, ir/ops_resize.c, ir/ops_shape.c), on top of
 * the shared ir/ops_util.h: reading integer lists out of runtime values,
 * "is this shape fully known", element sizes, and the file name for errors.
 *
 * The kernels follow one pattern: a geometry function computes the output
 * shape from input dims (-1 = unknown, shape rules only) plus attributes and
 * constant values; the shape rule calls it with tensor dims and constant
 * initializers, the executor with the concrete buffers it was handed. */
#ifndef QR_OPS_NN_UTIL_H
#define QR_OPS_NN_UTIL_H

#include <math.h>
#include <string.h>

#include "ir/ops_impl.h"
#include "ir/ops_util.h"

/* The model file, for error lines from executors. */
static inline const char *nu_file(const ir_exec_ctx *ctx) {
  return ctx && ctx->g ? ctx->g->file : NULL;
}

/* True if rank >= 0 and every dimension is known. */
static inline bool nu_known(int rank, const int64_t *dims) {
  if (rank < 0) return false;
  for (int i = 0; i < rank; i++)
    if (dims[i] < 0) return false;
  return true;
}

/* Bytes per stored element. */
static inline size_t nu_esize(ir_store s) {
  return s == IR_F32 ? sizeof(float) : sizeof(int64_t);
}

/* Address of element k of a buffer, whatever the store (for memcpy-style ops). */
static inline char *nu_data(const ir_buf *b) {
  return b->store == IR_F32 ? (char *)b->f : (char *)b->i;
}

/* Integer values of a value (e.g. Reshape's shape, TopK's K, Pad's pads) as
 * int64: up to max of them, *count set.  `what` names it in errors.  A float
 * store must hold whole numbers. */
static inline int nu_buf_ints(const char *file, const ir_node *n, const ir_buf *b,
                              const char *what, int64_t *out, int max, int *count) {
  *count = 0;
  if (!b) return ir_errorf(file, n, "%s is missing", what);
  if (b->n > max)
    return ir_errorf(file, n, "%s has %lld values (at most %d accepted)", what,
                     (long long)b->n, max);
  for (int64_t k = 0; k < b->n; k++) {
    if (b->store == IR_I64) {
      out[k] = b->i[k];
      continue;
    }
    float v = b->f[k];
    if (!(v == floorf(v)) || fabsf(v) > 9.0e15f)
      return ir_errorf(file, n, "%s holds %g, not an integer", what, (double)v);
    out[k] = (int64_t)v;
  }
  *count = (int)b->n;
  return 0;
}

/* The constant value of input i when present and constant, else NULL. */
static inline const ir_buf *nu_const_in(const ir_node *n, int i) {
  return i < n->nin && n->in[i] ? n->in[i]->init : NULL;
}

/* Input i is present (an optional input left empty is NULL). */
static inline bool nu_has_in(const ir_node *n, int i) {
  return i < n->nin && n->in[i] != NULL;
}

/* Product of dims[from..to-1]; -1 if any is unknown or it overflows. */
static inline int64_t nu_prod(const int64_t *dims, int from, int to) {
  int64_t p = 1;
  for (int i = from; i < to; i++) {
    if (dims[i] < 0) return -1;
    if (dims[i] && p > INT64_MAX / dims[i]) return -1;
    p *= dims[i];
  }
  return p;
}

#endif
