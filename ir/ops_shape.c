/* ops_shape.c - shape rules and executors (placeholders until implemented). */
#include "ir/ops_impl.h"

int shape_reshape(ir_graph *g, ir_node *n) {
  return ir_errorf(g->file, n, "shape rule not implemented yet");
}

int exec_reshape(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  (void)in; (void)out;
  return ir_errorf(ctx->g->file, n, "executor not implemented yet");
}

int shape_flatten(ir_graph *g, ir_node *n) {
  return ir_errorf(g->file, n, "shape rule not implemented yet");
}

int exec_flatten(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  (void)in; (void)out;
  return ir_errorf(ctx->g->file, n, "executor not implemented yet");
}

int shape_transpose(ir_graph *g, ir_node *n) {
  return ir_errorf(g->file, n, "shape rule not implemented yet");
}

int exec_transpose(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  (void)in; (void)out;
  return ir_errorf(ctx->g->file, n, "executor not implemented yet");
}

int shape_concat(ir_graph *g, ir_node *n) {
  return ir_errorf(g->file, n, "shape rule not implemented yet");
}

int exec_concat(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  (void)in; (void)out;
  return ir_errorf(ctx->g->file, n, "executor not implemented yet");
}

int shape_split(ir_graph *g, ir_node *n) {
  return ir_errorf(g->file, n, "shape rule not implemented yet");
}

int exec_split(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  (void)in; (void)out;
  return ir_errorf(ctx->g->file, n, "executor not implemented yet");
}

int shape_shape(ir_graph *g, ir_node *n) {
  return ir_errorf(g->file, n, "shape rule not implemented yet");
}

int exec_shape(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  (void)in; (void)out;
  return ir_errorf(ctx->g->file, n, "executor not implemented yet");
}

int shape_gather(ir_graph *g, ir_node *n) {
  return ir_errorf(g->file, n, "shape rule not implemented yet");
}

int exec_gather(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  (void)in; (void)out;
  return ir_errorf(ctx->g->file, n, "executor not implemented yet");
}

int shape_unsqueeze(ir_graph *g, ir_node *n) {
  return ir_errorf(g->file, n, "shape rule not implemented yet");
}

int exec_unsqueeze(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  (void)in; (void)out;
  return ir_errorf(ctx->g->file, n, "executor not implemented yet");
}

int shape_squeeze(ir_graph *g, ir_node *n) {
  return ir_errorf(g->file, n, "shape rule not implemented yet");
}

int exec_squeeze(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  (void)in; (void)out;
  return ir_errorf(ctx->g->file, n, "executor not implemented yet");
}

int shape_constant(ir_graph *g, ir_node *n) {
  return ir_errorf(g->file, n, "shape rule not implemented yet");
}

int exec_constant(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  (void)in; (void)out;
  return ir_errorf(ctx->g->file, n, "executor not implemented yet");
}

