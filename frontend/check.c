/* check.c - the checks a freshly loaded graph must pass before any pass runs:
 * opset range, ops we know with input/output counts their registry row
 * accepts, one producer per tensor, no dangling tensor names, sizes within
 * IR_MAX_ELEMS.  (Cycles are found by ir_toposort() right after.)  Each
 * failure is one error line naming the file and, where there is one, the node. */
#include <stdio.h>
#include <string.h>

#include "frontend/fe_priv.h"

enum { OPSET_MIN = 7, OPSET_MAX = 21 };

int fe_check_tensor_size(const char *file, const ir_node *n, const ir_tensor *t) {
  if (!t || t->rank < 0) return 0;
  int64_t numel = 1;
  bool over = false;
  for (int k = 0; k < t->rank; k++) {
    if (t->dims[k] < 0) return 0; /* not fully known yet */
    over |= __builtin_mul_overflow(numel, t->dims[k], &numel);
  }
  if (over)
    return ir_errorf(file, n, "tensor \"%s\" has more than 2^63 elements, more than the "
                     "%lld we handle", t->name, (long long)IR_MAX_ELEMS);
  if (numel > IR_MAX_ELEMS)
    return ir_errorf(file, n, "tensor \"%s\" has %lld elements, more than the %lld we handle",
                     t->name, (long long)numel, (long long)IR_MAX_ELEMS);
  return 0;
}

static int check_opset(ir_graph *g) {
  if (g->opset < 0) {
    for (int i = 0; i < g->nnodes; i++)
      if (g->nodes[i]->dom == IR_DOM_ONNX)
        return ir_errorf(g->file, NULL, "the model imports no opset of the default ONNX "
                         "domain");
    g->opset = 0;
    return 0;
  }
  if (g->opset < OPSET_MIN || g->opset > OPSET_MAX)
    return ir_errorf(g->file, NULL, "opset %lld of the default ONNX domain is not "
                     "supported (accepted: %d..%d)", (long long)g->opset, OPSET_MIN,
                     OPSET_MAX);
  return 0;
}

static const char *domain_name(const ir_node *n) {
  return n->domain && *n->domain ? n->domain : "ai.onnx";
}

/* Count of tensors up to the last one given (trailing empty names are absent). */
static int given(ir_tensor *const *ts, int n) {
  while (n > 0 && !ts[n - 1]) n--;
  return n;
}

static int check_counts(const ir_graph *g, const ir_node *n) {
  const ir_opinfo *op = n->op;
  int nin = given(n->in, n->nin), nout = given(n->out, n->nout);
  if (nin < op->min_in || nin > op->max_in) {
    if (op->min_in == op->max_in)
      return ir_errorf(g->file, n, "has %d inputs, but %s takes %d", nin, n->op_type,
                       op->min_in);
    return ir_errorf(g->file, n, "has %d inputs, but %s takes %d to %d", nin, n->op_type,
                     op->min_in, op->max_in);
  }
  for (int k = 0; k < op->min_in; k++)
    if (!n->in[k]) return ir_errorf(g->file, n, "required input #%d is empty", k);
  if (nout < op->min_out || nout > op->max_out) {
    if (op->min_out == op->max_out)
      return ir_errorf(g->file, n, "has %d outputs, but %s gives %d", nout, n->op_type,
                       op->min_out);
    return ir_errorf(g->file, n, "has %d outputs, but %s gives %d to %d", nout, n->op_type,
                     op->min_out, op->max_out);
  }
  return 0;
}

static int check_ops(ir_graph *g) {
  for (int i = 0; i < g->nnodes; i++) {
    const ir_node *n = g->nodes[i];
    if (!n->op)
      return ir_errorf(g->file, n, "unsupported op '%s' in domain '%s'", n->op_type,
                       domain_name(n));
    if (check_counts(g, n)) return -1;
  }
  return 0;
}

static int set_producers(ir_graph *g) {
  for (int i = 0; i < g->nnodes; i++) {
    ir_node *n = g->nodes[i];
    for (int k = 0; k < n->nout; k++) {
      ir_tensor *t = n->out[k];
      if (!t) continue;
      if (t->producer == n)
        return ir_errorf(g->file, n, "output \"%s\" is listed twice", t->name);
      if (t->producer)
        return ir_errorf(g->file, n, "output \"%s\" is also produced by node \"%s\" (%s)",
                         t->name, t->producer->name, t->producer->op_type);
      if (t->init)
        return ir_errorf(g->file, n, "output \"%s\" has the name of an initializer",
                         t->name);
      if (t->is_input)
        return ir_errorf(g->file, n, "output \"%s\" has the name of a graph input", t->name);
      t->producer = n;
    }
  }
  return 0;
}

static int check_dangling(ir_graph *g) {
  for (int i = 0; i < g->nnodes; i++) {
    const ir_node *n = g->nodes[i];
    for (int k = 0; k < n->nin; k++) {
      const ir_tensor *t = n->in[k];
      if (t && !t->producer && !t->init && !t->is_input)
        return ir_errorf(g->file, n, "input \"%s\" is not produced by any node and is "
                         "neither an initializer nor a graph input", t->name);
    }
  }
  if (g->noutputs == 0) return ir_errorf(g->file, NULL, "the graph has no outputs");
  for (int i = 0; i < g->noutputs; i++) {
    const ir_tensor *t = g->outputs[i];
    if (!t->producer && !t->init && !t->is_input)
      return ir_errorf(g->file, NULL, "graph output \"%s\" is not produced by any node",
                       t->name);
  }
  return 0;
}

static int check_sizes(const ir_graph *g) {
  for (int i = 0; i < g->ntensors; i++)
    if (fe_check_tensor_size(g->file, g->tensors[i]->producer, g->tensors[i])) return -1;
  return 0;
}

int fe_check(ir_graph *g) {
  if (check_opset(g) || check_ops(g) || set_producers(g) || check_dangling(g) ||
      check_sizes(g))
    return -1;
  return 0;
}
