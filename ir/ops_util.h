/* ops_util.h - helpers shared by the op kernels (ir/ops_*.c): numpy broadcasting
 * of shapes and the index iteration that goes with it, QONNX rounding modes in
 * float32 exactly as numpy computes them, attribute and constant-input readers,
 * and small shape-rule / executor conveniences that print node-named errors.
 *
 * Conventions: a dimension of -1 is unknown (shape rules only; executors always
 * see concrete shapes).  Functions taking `file` print one error line naming the
 * node and return -1 (or NULL); the others are silent. */
#ifndef QR_OPS_UTIL_H
#define QR_OPS_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#include "ir/ir.h"

/* ------------------------------------------------------------ shapes -- */

/* "[3,4]" ("[?,4]" for unknown dims, "[]" for scalars, "?" for unknown rank),
 * allocated in a. */
const char *ou_shape_str(ir_arena *a, int rank, const int64_t *dims);

/* numpy broadcast of two shapes (right-aligned, 1 stretches, -1 unknown).
 * Returns 0 and the result in *rout/dout, or -1 (silent) if incompatible. */
int ou_broadcast2(int ra, const int64_t *da, int rb, const int64_t *db, int *rout,
                  int64_t *dout);

/* Shape rule helper: broadcast the shapes of inputs n->in[first .. first+count-1]
 * (absent inputs skipped).  Unknown rank of any input -> *rank = -1, return 0.
 * Incompatible -> error `shapes [3,4] and [5] do not broadcast`, -1. */
int ou_broadcast_inputs(const ir_graph *g, const ir_node *n, int first, int count,
                        int *rank, int64_t *dims);

/* Set an output tensor's type and shape (rank -1 = unknown). */
void ou_set_shape(ir_tensor *t, int onnx_type, int rank, const int64_t *dims);

/* Normalise an axis attribute in [-rank, rank) to [0, rank); error naming the node. */
int ou_axis(const char *file, const ir_node *n, int64_t axis, int rank, int *out);

/* ------------------------------------------------- index iteration -- */

#define OU_ITER_MAX 8 /* operands one iterator can follow */

/* Walk every index of an output shape in C order and keep, for each operand
 * buffer (broadcastable to that shape), the flat offset of the matching element.
 *
 *   ou_iter it;
 *   ou_iter_init(&it, out->rank, out->dims, 2, (const ir_buf *[]){a, b});
 *   for (int64_t k = 0; k < out->n; k++, ou_iter_next(&it))
 *     out->f[k] = ou_getf(a, it.off[0]) + ou_getf(b, it.off[1]);
 */
typedef struct ou_iter {
  int rank, k;
  int64_t dims[IR_MAX_RANK];
  int64_t idx[IR_MAX_RANK];
  int64_t strides[OU_ITER_MAX][IR_MAX_RANK]; /* 0 on broadcast dimensions */
  int64_t off[OU_ITER_MAX];
} ou_iter;

/* The operands must broadcast to (rank, dims) (check with ou_broadcast2 first);
 * k <= OU_ITER_MAX; a NULL operand gets offset 0 throughout. */
void ou_iter_init(ou_iter *it, int rank, const int64_t *dims, int k,
                  const ir_buf *const *bufs);
void ou_iter_next(ou_iter *it);

/* Row-major strides of a shape (stride of the last dim is 1). */
void ou_strides(int rank, const int64_t *dims, int64_t *strides);

/* Element as float / as int64 whatever the store. */
static inline float ou_getf(const ir_buf *b, int64_t i) {
  return b->store == IR_F32 ? b->f[i] : (float)b->i[i];
}
static inline int64_t ou_geti(const ir_buf *b, int64_t i) {
  return b->store == IR_I64 ? b->i[i] : (int64_t)b->f[i];
}

/* --------------------------------------------------------- rounding -- */

typedef enum {
  OU_ROUND_HALF_EVEN = 0, /* "ROUND" / "HALF_EVEN": np.round */
  OU_ROUND_CEIL,
  OU_ROUND_FLOOR,
  OU_ROUND_UP,            /* away from zero: sign(x) * ceil(|x|) */
  OU_ROUND_DOWN,          /* toward zero: np.fix */
  OU_ROUND_HALF_UP,       /* sign(x) * floor(|x| + 0.5) */
  OU_ROUND_HALF_DOWN      /* sign(x) * ceil(|x| - 0.5) */
} ou_round_mode;

/* Case-insensitive name -> mode; -1 (silent) if unknown. */
int ou_round_mode_parse(const char *s, ou_round_mode *out);
const char *ou_round_mode_name(ou_round_mode m);
/* Round one float32 value exactly as qonnx's numpy expression does in float32
 * (e.g. HALF_UP computes fabsf(x) + 0.5f in float32, as numpy does). */
float ou_round(ou_round_mode m, float x);
/* np.sign in float32: +1, -1, 0 for +-0, NaN for NaN. */
float ou_signf(float x);
/* Read the node's rounding_mode attribute (default dflt); error if unknown. */
int ou_attr_round_mode(const char *file, const ir_node *n, const char *dflt,
                       ou_round_mode *out);

/* ------------------------------------------ attributes and constants -- */

/* Integer-list attribute: copies up to max values, *count = number present.
 * Absent -> *count = 0, returns 0.  Too many or wrong kind -> error, -1. */
int ou_attr_ints(const char *file, const ir_node *n, const char *name, int64_t *out,
                 int max, int *count);
/* Float-list attribute, same contract. */
int ou_attr_floats(const char *file, const ir_node *n, const char *name, float *out,
                   int max, int *count);

/* The constant value of input i (initializer or folded), or NULL if the input
 * is absent or not constant. */
const ir_buf *ou_const_input(const ir_node *n, int i);
/* Values of a constant integer-valued input (e.g. Reshape's shape, Unsqueeze's
 * axes) as int64: up to max values, *count set.  Errors (naming the node and
 * the input) if absent, not constant, too long, or not integer-valued. */
int ou_const_ints(const char *file, const ir_node *n, int i, int64_t *out, int max,
                  int *count);

/* ---------------------------------------------- executor conveniences -- */

/* ir_buf_new in ctx->arena; prints `output too large` naming the node on failure. */
ir_buf *ou_buf_new(ir_exec_ctx *ctx, const ir_node *n, ir_store store, int onnx_type,
                   int rank, const int64_t *dims);
/* The ONNX element type an output of `store` has when nothing else says so. */
static inline int ou_default_type(ir_store s) {
  return s == IR_F32 ? ONNX_FLOAT : ONNX_INT64;
}

#endif
