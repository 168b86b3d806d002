/* ops_impl.h - shape rules and executors of every op in ir/ops.def. */
#ifndef QR_OPS_IMPL_H
#define QR_OPS_IMPL_H
#include "ir/ir.h"

#define OP(dom, name, fn, a, b, c, d)                                          \
  int shape_##fn(ir_graph *g, ir_node *n);                                     \
  int exec_##fn(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out);
#include "ir/ops.def"
#undef OP

#endif
