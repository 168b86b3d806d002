/* exec_nodes.c - run a list of nodes over a value table (the executor's core step). */
#include "ir/ir.h"

int ir_exec_nodes(ir_exec_ctx *ctx, ir_node *const *nodes, int n, ir_buf **vals) {
  for (int k = 0; k < n; k++) {
    const ir_node *nd = nodes[k];
    ir_buf *in[64] = {0}, *out[64] = {0};
    if (nd->nin > 64 || nd->nout > 64)
      return ir_errorf(ctx->g->file, nd, "more than 64 inputs or outputs");
    if (!nd->op || !nd->op->exec) return ir_errorf(ctx->g->file, nd, "op has no executor");
    for (int i = 0; i < nd->nin; i++) {
      const ir_tensor *t = nd->in[i];
      if (!t) continue;
      in[i] = vals[t->id] ? vals[t->id] : t->init;
      if (!in[i]) return ir_errorf(ctx->g->file, nd, "input '%s' has no value", t->name);
    }
    if (nd->op->exec(ctx, nd, in, out)) return -1;
    for (int o = 0; o < nd->nout; o++)
      if (nd->out[o]) vals[nd->out[o]->id] = out[o];
  }
  return 0;
}
