/* exec.c - the golden executor and `qonnx-rtl exec` (placeholder until implemented). */
#include <stdio.h>
#include "cli.h"
#include "ir/ir.h"
int ir_execute(ir_exec_ctx *ctx, const ir_graph *g, ir_buf *const *inputs, ir_buf **outputs,
               ir_buf **all) {
  (void)ctx; (void)inputs; (void)outputs; (void)all;
  return ir_errorf(g->file, NULL, "executor is not implemented yet");
}
int qr_cmd_exec(int argc, char **argv) {
  (void)argc; (void)argv;
  fprintf(stderr, "qonnx-rtl: error: 'exec' is not implemented yet\n");
  return 1;
}
