/* ops_quant.c - shape rules and executors (placeholders until implemented). */
#include "ir/ops_impl.h"

int shape_quant(ir_graph *g, ir_node *n) {
  return ir_errorf(g->file, n, "shape rule not implemented yet");
}

int exec_quant(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  (void)in; (void)out;
  return ir_errorf(ctx->g->file, n, "executor not implemented yet");
}

int shape_bipolar_quant(ir_graph *g, ir_node *n) {
  return ir_errorf(g->file, n, "shape rule not implemented yet");
}

int exec_bipolar_quant(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  (void)in; (void)out;
  return ir_errorf(ctx->g->file, n, "executor not implemented yet");
}

int shape_trunc(ir_graph *g, ir_node *n) {
  return ir_errorf(g->file, n, "shape rule not implemented yet");
}

int exec_trunc(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  (void)in; (void)out;
  return ir_errorf(ctx->g->file, n, "executor not implemented yet");
}

int shape_float_quant(ir_graph *g, ir_node *n) {
  return ir_errorf(g->file, n, "shape rule not implemented yet");
}

int exec_float_quant(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  (void)in; (void)out;
  return ir_errorf(ctx->g->file, n, "executor not implemented yet");
}

int shape_multithreshold(ir_graph *g, ir_node *n) {
  return ir_errorf(g->file, n, "shape rule not implemented yet");
}

int exec_multithreshold(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in, ir_buf **out) {
  (void)in; (void)out;
  return ir_errorf(ctx->g->file, n, "executor not implemented yet");
}

