/* ops_elementwise.c - shape rules and executors (placeholders until implemented). */
#include "ir/ops_impl.h"

int shape_binary(ir_graph *g, ir_node *n) {
  return ir_errorf(g->file, n, "shape rule not implemented yet");
}

int exec_binary(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  (void)in; (void)out;
  return ir_errorf(ctx->g->file, n, "executor not implemented yet");
}

int shape_unary(ir_graph *g, ir_node *n) {
  return ir_errorf(g->file, n, "shape rule not implemented yet");
}

int exec_unary(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  (void)in; (void)out;
  return ir_errorf(ctx->g->file, n, "executor not implemented yet");
}

int shape_clip(ir_graph *g, ir_node *n) {
  return ir_errorf(g->file, n, "shape rule not implemented yet");
}

int exec_clip(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  (void)in; (void)out;
  return ir_errorf(ctx->g->file, n, "executor not implemented yet");
}

int shape_identity(ir_graph *g, ir_node *n) {
  return ir_errorf(g->file, n, "shape rule not implemented yet");
}

int exec_identity(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  (void)in; (void)out;
  return ir_errorf(ctx->g->file, n, "executor not implemented yet");
}

int shape_dropout(ir_graph *g, ir_node *n) {
  return ir_errorf(g->file, n, "shape rule not implemented yet");
}

int exec_dropout(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  (void)in; (void)out;
  return ir_errorf(ctx->g->file, n, "executor not implemented yet");
}

int shape_cast(ir_graph *g, ir_node *n) {
  return ir_errorf(g->file, n, "shape rule not implemented yet");
}

int exec_cast(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  (void)in; (void)out;
  return ir_errorf(ctx->g->file, n, "executor not implemented yet");
}

