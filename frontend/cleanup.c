/* cleanup.c - make a loaded graph plain: drop Identity/Dropout, fold
 * everything computable from constants (the Shape/Gather/Unsqueeze/Concat/
 * Reshape chains exporters write, Constant, Cast of constants), infer every
 * tensor's shape with the registry's shape rules, infer QONNX datatypes, then
 * compact and verify.
 *
 * Folding and shape inference run as one walk in topological order: a node's
 * shape rule runs first (so a Shape of a non-constant tensor can be folded
 * from its now-known shape), then the node is folded if all its inputs are
 * constant.  Quantizers on constants (Quant/BipolarQuant/Trunc/FloatQuant on
 * weights) are kept: streamlining has to see them. */
#include <string.h>

#include "frontend/fe_priv.h"

static bool is_op(const ir_node *n, ir_domain dom, const char *op) {
  return n->dom == dom && !strcmp(n->op_type, op);
}

/* ------------------------------------------------ Identity and Dropout -- */

static bool used(const ir_graph *g, const ir_tensor *t) {
  ir_node *dummy;
  return t && (t->is_output || ir_consumers(g, t, &dummy, 1) > 0);
}

/* Rewire around a pass-through node: its output becomes its input.  A graph
 * output keeps its name (the producer of the input writes it directly) when
 * the input is an ordinary intermediate tensor. */
static void bypass(ir_graph *g, ir_node *n) {
  ir_tensor *x = n->in[0], *y = n->out[0];
  n->dead = true;
  if (!y) return;
  ir_node *p = x->producer;
  if (y->is_output && p && !x->is_output && !x->init) {
    ir_replace_uses(g, x, y);
    for (int k = 0; k < p->nout; k++)
      if (p->out[k] == x) p->out[k] = y;
    y->producer = p;
    x->producer = NULL;
    return;
  }
  y->producer = NULL;
  ir_replace_uses(g, y, x);
}

static int remove_passthrough(ir_graph *g) {
  for (int i = 0; i < g->nnodes; i++) {
    ir_node *n = g->nodes[i];
    if (n->dead || !n->in[0]) continue;
    if (is_op(n, IR_DOM_ONNX, "Identity")) {
      bypass(g, n);
    } else if (is_op(n, IR_DOM_ONNX, "Dropout")) {
      /* Inference: output = input; a used mask output keeps the node. */
      if (n->nout > 1 && used(g, n->out[1])) continue;
      bypass(g, n);
    }
  }
  return 0;
}

/* ----------------------------------------------------------- folding -- */

/* Quantizers on constants stay: later passes turn them into integer weights. */
static bool keep_quantizer(const ir_node *n) {
  static const char *const q[] = {"Quant", "IntQuant", "BipolarQuant", "Trunc", "FloatQuant"};
  if (n->dom != IR_DOM_QONNX) return false;
  for (size_t k = 0; k < sizeof q / sizeof q[0]; k++)
    if (!strcmp(n->op_type, q[k])) return true;
  return false;
}

static bool all_inputs_constant(const ir_node *n) {
  for (int k = 0; k < n->nin; k++)
    if (n->in[k] && !n->in[k]->init) return false;
  return true;
}

static bool shape_known(const ir_tensor *t) {
  if (t->rank < 0) return false;
  for (int k = 0; k < t->rank; k++)
    if (t->dims[k] < 0) return false;
  return true;
}

/* The tensor now holds value b; its producer is gone. */
static void set_constant(ir_tensor *t, ir_buf *b) {
  t->init = b;
  t->producer = NULL;
  t->onnx_type = b->onnx_type;
  t->rank = b->rank;
  for (int k = 0; k < IR_MAX_RANK; k++) t->dims[k] = k < b->rank ? b->dims[k] : 0;
}

/* Shape of a tensor whose shape is known but whose value is not, as ONNX
 * Shape computes it (start/end attributes of opset 15, clamped). */
static int fold_shape_of(ir_graph *g, ir_node *n) {
  const ir_tensor *x = n->in[0];
  int64_t r = x->rank, s = ir_attr_int(n, "start", 0), e = ir_attr_int(n, "end", r);
  if (s < 0) s += r;
  if (e < 0) e += r;
  s = s < 0 ? 0 : s > r ? r : s;
  e = e < 0 ? 0 : e > r ? r : e;
  int64_t len = e > s ? e - s : 0;
  ir_buf *b = ir_buf_new(g->arena, IR_I64, ONNX_INT64, 1, &len);
  for (int64_t k = 0; k < len; k++) b->i[k] = x->dims[s + k];
  if (n->out[0]) set_constant(n->out[0], b);
  n->dead = true;
  return 0;
}

static int fold_node(ir_graph *g, ir_node *n) {
  ir_buf *in[1024] = {0}, *out[1024] = {0};
  if (n->nin > 1024 || n->nout > 1024)
    return ir_errorf(g->file, n, "more than 1024 inputs or outputs");
  for (int k = 0; k < n->nin; k++) in[k] = n->in[k] ? n->in[k]->init : NULL;
  ir_exec_ctx ctx = {g->arena, g};
  if (n->op->exec(&ctx, n, in, out)) return -1;
  for (int k = 0; k < n->nout; k++) {
    if (!n->out[k]) continue;
    if (!out[k]) return ir_errorf(g->file, n, "executor gave no value for output #%d", k);
    set_constant(n->out[k], out[k]);
  }
  n->dead = true;
  return 0;
}

static bool foldable(const ir_node *n) {
  return n->op && n->op->exec && !keep_quantizer(n) && all_inputs_constant(n);
}

static int check_outputs(ir_graph *g, const ir_node *n) {
  for (int k = 0; k < n->nout; k++)
    if (fe_check_tensor_size(g->file, n, n->out[k])) return -1;
  return 0;
}

static int shape_node(ir_graph *g, ir_node *n) {
  if (!n->op || !n->op->shape)
    return ir_errorf(g->file, n, "op has no shape rule");
  if (n->op->shape(g, n)) return -1;
  return check_outputs(g, n);
}

/* One walk in topological order: shape rule, then fold if possible. */
static int fold_and_infer(ir_graph *g) {
  for (int i = 0; i < g->nnodes; i++) {
    ir_node *n = g->nodes[i];
    if (n->dead) continue;
    if (shape_node(g, n)) return -1;
    if (foldable(n)) {
      if (fold_node(g, n)) return -1;
    } else if (is_op(n, IR_DOM_ONNX, "Shape") && shape_known(n->in[0])) {
      if (fold_shape_of(g, n)) return -1;
    }
  }
  return 0;
}

int fe_infer_shapes(ir_graph *g) {
  for (int i = 0; i < g->nnodes; i++) {
    ir_node *n = g->nodes[i];
    if (!n->dead && shape_node(g, n)) return -1;
  }
  return 0;
}

int fe_cleanup(ir_graph *g) {
  if (remove_passthrough(g) || fold_and_infer(g)) return -1;
  ir_compact(g);
  if (ir_infer_dtypes(g)) return -1;
  return ir_verify(g, "cleanup");
}
