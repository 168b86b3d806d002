/* ops_nn.c - shape rules and executors (placeholders until implemented). */
#include "ir/ops_impl.h"

int shape_matmul(ir_graph *g, ir_node *n) {
  return ir_errorf(g->file, n, "shape rule not implemented yet");
}

int exec_matmul(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  (void)in; (void)out;
  return ir_errorf(ctx->g->file, n, "executor not implemented yet");
}

int shape_gemm(ir_graph *g, ir_node *n) {
  return ir_errorf(g->file, n, "shape rule not implemented yet");
}

int exec_gemm(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  (void)in; (void)out;
  return ir_errorf(ctx->g->file, n, "executor not implemented yet");
}

int shape_conv(ir_graph *g, ir_node *n) {
  return ir_errorf(g->file, n, "shape rule not implemented yet");
}

int exec_conv(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  (void)in; (void)out;
  return ir_errorf(ctx->g->file, n, "executor not implemented yet");
}

int shape_batchnorm(ir_graph *g, ir_node *n) {
  return ir_errorf(g->file, n, "shape rule not implemented yet");
}

int exec_batchnorm(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  (void)in; (void)out;
  return ir_errorf(ctx->g->file, n, "executor not implemented yet");
}

int shape_maxpool(ir_graph *g, ir_node *n) {
  return ir_errorf(g->file, n, "shape rule not implemented yet");
}

int exec_maxpool(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  (void)in; (void)out;
  return ir_errorf(ctx->g->file, n, "executor not implemented yet");
}

int shape_avgpool(ir_graph *g, ir_node *n) {
  return ir_errorf(g->file, n, "shape rule not implemented yet");
}

int exec_avgpool(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  (void)in; (void)out;
  return ir_errorf(ctx->g->file, n, "executor not implemented yet");
}

int shape_gap(ir_graph *g, ir_node *n) {
  return ir_errorf(g->file, n, "shape rule not implemented yet");
}

int exec_gap(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  (void)in; (void)out;
  return ir_errorf(ctx->g->file, n, "executor not implemented yet");
}

int shape_gmp(ir_graph *g, ir_node *n) {
  return ir_errorf(g->file, n, "shape rule not implemented yet");
}

int exec_gmp(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  (void)in; (void)out;
  return ir_errorf(ctx->g->file, n, "executor not implemented yet");
}

int shape_softmax(ir_graph *g, ir_node *n) {
  return ir_errorf(g->file, n, "shape rule not implemented yet");
}

int exec_softmax(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  (void)in; (void)out;
  return ir_errorf(ctx->g->file, n, "executor not implemented yet");
}

int shape_argmax(ir_graph *g, ir_node *n) {
  return ir_errorf(g->file, n, "shape rule not implemented yet");
}

int exec_argmax(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  (void)in; (void)out;
  return ir_errorf(ctx->g->file, n, "executor not implemented yet");
}

int shape_topk(ir_graph *g, ir_node *n) {
  return ir_errorf(g->file, n, "shape rule not implemented yet");
}

int exec_topk(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  (void)in; (void)out;
  return ir_errorf(ctx->g->file, n, "executor not implemented yet");
}

int shape_resize(ir_graph *g, ir_node *n) {
  return ir_errorf(g->file, n, "shape rule not implemented yet");
}

int exec_resize(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  (void)in; (void)out;
  return ir_errorf(ctx->g->file, n, "executor not implemented yet");
}

int shape_depth2space(ir_graph *g, ir_node *n) {
  return ir_errorf(g->file, n, "shape rule not implemented yet");
}

int exec_depth2space(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  (void)in; (void)out;
  return ir_errorf(ctx->g->file, n, "executor not implemented yet");
}

int shape_pad(ir_graph *g, ir_node *n) {
  return ir_errorf(g->file, n, "shape rule not implemented yet");
}

int exec_pad(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  (void)in; (void)out;
  return ir_errorf(ctx->g->file, n, "executor not implemented yet");
}

