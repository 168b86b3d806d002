/* verify.c - the IR verifier (ir_verify: structural invariants of ir.h, run
 * after every pass in tests), the readable dump (ir_dump, as --dump-after
 * prints it) and the --dump-after stage helper (qr_dump_after). */
#include <stdio.h>
#include <string.h>

#include "ir/ir.h"

/* ------------------------------------------------------------ verifier -- */

#define VFAIL(node, ...) ir_errorf(g->file, node, "IR invalid after " __VA_ARGS__)

/* Fully known shape. */
static bool known(const ir_tensor *t) {
  if (t->rank < 0) return false;
  for (int k = 0; k < t->rank; k++)
    if (t->dims[k] < 0) return false;
  return true;
}

static int verify_tensor(const ir_graph *g, const char *pass, int i) {
  const ir_tensor *t = g->tensors[i];
  if (!t || t->id != i) return VFAIL(NULL, "%s: tensor #%d has id %d", pass, i, t ? t->id : -1);
  if (t->rank < -1 || t->rank > IR_MAX_RANK)
    return VFAIL(NULL, "%s: tensor \"%s\" has rank %d", pass, t->name, t->rank);
  for (int k = 0; k < t->rank; k++)
    if (t->dims[k] < -1)
      return VFAIL(NULL, "%s: tensor \"%s\" has dimension %lld", pass, t->name,
                   (long long)t->dims[k]);
  if (t->init) {
    const ir_buf *b = t->init;
    bool same = b->rank == t->rank;
    for (int k = 0; same && k < b->rank; k++) same = b->dims[k] == t->dims[k];
    if (!same)
      return VFAIL(NULL, "%s: constant \"%s\": tensor shape differs from its value's", pass,
                   t->name);
    if (t->producer && !t->producer->dead)
      return VFAIL(t->producer, "%s: constant \"%s\" also has a producer", pass, t->name);
    if (t->is_input) return VFAIL(NULL, "%s: graph input \"%s\" is a constant", pass, t->name);
  }
  if (t->producer && !t->producer->dead) {
    const ir_node *p = t->producer;
    bool found = false;
    for (int k = 0; k < p->nout; k++) found |= p->out[k] == t;
    if (!found)
      return VFAIL(p, "%s: tensor \"%s\" names this node as producer, but it is not an "
                   "output", pass, t->name);
    if (t->is_input) return VFAIL(p, "%s: graph input \"%s\" has a producer", pass, t->name);
  }
  return 0;
}

static int verify_io(const ir_graph *g, const char *pass) {
  for (int i = 0; i < g->ninputs; i++) {
    const ir_tensor *t = g->inputs[i];
    if (!t->is_input) return VFAIL(NULL, "%s: graph input \"%s\" not marked", pass, t->name);
  }
  for (int i = 0; i < g->noutputs; i++) {
    const ir_tensor *t = g->outputs[i];
    if (!t->is_output) return VFAIL(NULL, "%s: graph output \"%s\" not marked", pass, t->name);
    bool produced = t->producer && !t->producer->dead;
    if (!produced && !t->init && !t->is_input)
      return VFAIL(NULL, "%s: graph output \"%s\" has no value", pass, t->name);
  }
  return 0;
}

static int verify_counts(const ir_graph *g, const char *pass, const ir_node *n) {
  int nin = n->nin, nout = n->nout;
  while (nin > 0 && !n->in[nin - 1]) nin--;
  while (nout > 0 && !n->out[nout - 1]) nout--;
  if (nin < n->op->min_in || nin > n->op->max_in || nout < n->op->min_out ||
      nout > n->op->max_out)
    return VFAIL(n, "%s: %d inputs and %d outputs do not fit the op (%d..%d, %d..%d)", pass,
                 nin, nout, n->op->min_in, n->op->max_in, n->op->min_out, n->op->max_out);
  return 0;
}

/* Inputs come from constants, graph inputs or live nodes earlier in order;
 * outputs name this node as their producer. */
static int verify_edges(const ir_graph *g, const char *pass, const ir_node *n, int pos) {
  for (int k = 0; k < n->nin; k++) {
    const ir_tensor *t = n->in[k];
    if (!t) continue;
    if (t->id < 0 || t->id >= g->ntensors || g->tensors[t->id] != t)
      return VFAIL(n, "%s: input #%d is not a tensor of this graph", pass, k);
    if (t->init || t->is_input) continue;
    const ir_node *p = t->producer;
    if (!p || p->dead)
      return VFAIL(n, "%s: input \"%s\" has no value (no live producer, not a constant "
                   "or graph input)", pass, t->name);
    if (p->id >= pos || g->nodes[p->id] != p)
      return VFAIL(n, "%s: input \"%s\" is produced later, by node \"%s\"", pass, t->name,
                   p->name);
  }
  for (int k = 0; k < n->nout; k++) {
    const ir_tensor *t = n->out[k];
    if (!t) continue;
    if (t->producer != n)
      return VFAIL(n, "%s: output \"%s\" has another producer (%s)", pass, t->name,
                   t->producer ? t->producer->name : "none");
  }
  return 0;
}

/* Shapes agree with the op's shape rule where both are known.  The rule is
 * run on a saved copy of the outputs' shapes, which is restored afterwards. */
typedef struct saved { int type, rank; int64_t dims[IR_MAX_RANK]; } saved;

static bool compatible(const saved *s, const ir_tensor *t) {
  if (s->rank < 0 || t->rank < 0) return true;
  if (s->rank != t->rank) return false;
  if (s->type != ONNX_UNDEFINED && t->onnx_type != ONNX_UNDEFINED && s->type != t->onnx_type)
    return false;
  for (int k = 0; k < s->rank; k++)
    if (s->dims[k] >= 0 && t->dims[k] >= 0 && s->dims[k] != t->dims[k]) return false;
  return true;
}

static int verify_shape(const ir_graph *g, const char *pass, ir_node *n) {
  saved sv[64];
  if (!n->op->shape || n->nout > 64) return 0;
  for (int k = 0; k < n->nin; k++)
    if (n->in[k] && !known(n->in[k])) return 0; /* nothing to compare yet */
  for (int k = 0; k < n->nout; k++) {
    const ir_tensor *t = n->out[k];
    if (!t) continue;
    sv[k].type = t->onnx_type;
    sv[k].rank = t->rank;
    memcpy(sv[k].dims, t->dims, sizeof sv[k].dims);
  }
  int rc = n->op->shape((ir_graph *)g, n), bad = -1;
  for (int k = 0; k < n->nout; k++) {
    ir_tensor *t = n->out[k];
    if (!t) continue;
    if (rc == 0 && bad < 0 && !compatible(&sv[k], t)) bad = k;
    t->onnx_type = sv[k].type;
    t->rank = sv[k].rank;
    memcpy(t->dims, sv[k].dims, sizeof t->dims);
  }
  if (rc) return -1; /* the rule printed why */
  if (bad >= 0)
    return VFAIL(n, "%s: output \"%s\" does not have the shape its rule gives", pass,
                 n->out[bad]->name);
  return 0;
}

int ir_verify(const ir_graph *g, const char *after_pass) {
  const char *pass = after_pass ? after_pass : "?";
  for (int i = 0; i < g->ntensors; i++)
    if (verify_tensor(g, pass, i)) return -1;
  if (verify_io(g, pass)) return -1;
  for (int i = 0; i < g->nnodes; i++) {
    ir_node *n = g->nodes[i];
    if (n->id != i) return VFAIL(n, "%s: node #%d has id %d", pass, i, n->id);
    if (n->dead) continue;
    if (!n->op) return VFAIL(n, "%s: op is not in the registry", pass);
    if (verify_counts(g, pass, n) || verify_edges(g, pass, n, i) || verify_shape(g, pass, n))
      return -1;
  }
  return 0;
}

/* ---------------------------------------------------------------- dump -- */

static void put_shape(FILE *f, int rank, const int64_t *dims) {
  if (rank < 0) {
    fputs("[?]", f);
    return;
  }
  fputc('[', f);
  for (int k = 0; k < rank; k++) {
    if (k) fputc(',', f);
    if (dims[k] < 0) fputc('?', f);
    else fprintf(f, "%lld", (long long)dims[k]);
  }
  fputc(']', f);
}

/* A value: all of it when short, else count, min and max. */
static void put_value(FILE *f, const ir_buf *b) {
  if (b->n <= 8) {
    fputs(" = {", f);
    for (int64_t k = 0; k < b->n; k++)
      fprintf(f, "%s%.9g", k ? ", " : "", ir_buf_get(b, k));
    fputc('}', f);
    return;
  }
  double lo = ir_buf_get(b, 0), hi = lo;
  for (int64_t k = 1; k < b->n; k++) {
    double v = ir_buf_get(b, k);
    lo = v < lo ? v : lo;
    hi = v > hi ? v : hi;
  }
  fprintf(f, " = {%lld values in [%.9g, %.9g]}", (long long)b->n, lo, hi);
}

static void put_tensor(FILE *f, const ir_graph *g, const ir_tensor *t) {
  fprintf(f, "\"%s\": %s ", t->name, ir_onnx_type_name(t->onnx_type));
  put_shape(f, t->rank, t->dims);
  if (t->dtype.kind != QDT_UNKNOWN)
    fprintf(f, " %s%s", ir_dtype_name(g->arena, t->dtype), t->dtype_annotated ? " (annotated)"
                                                                             : "");
  if (t->layout) fprintf(f, " layout %s", t->layout);
  if (t->init) {
    fputs(" const", f);
    put_value(f, t->init);
  }
}

static void put_attr(FILE *f, const ir_attr *a) {
  fprintf(f, " %s=", a->name);
  switch (a->kind) {
  case IR_ATTR_FLOAT: fprintf(f, "%.9g", a->f); break;
  case IR_ATTR_INT: fprintf(f, "%lld", (long long)a->i); break;
  case IR_ATTR_STRING: fprintf(f, "\"%s\"", a->s); break;
  case IR_ATTR_TENSOR:
    fprintf(f, "tensor %s ", ir_onnx_type_name(a->t->onnx_type));
    put_shape(f, a->t->rank, a->t->dims);
    put_value(f, a->t);
    break;
  case IR_ATTR_FLOATS:
  case IR_ATTR_INTS:
  case IR_ATTR_STRINGS:
    fputc('[', f);
    for (int k = 0; k < a->n; k++) {
      if (k) fputc(',', f);
      if (a->kind == IR_ATTR_FLOATS) fprintf(f, "%.9g", a->floats[k]);
      else if (a->kind == IR_ATTR_INTS) fprintf(f, "%lld", (long long)a->ints[k]);
      else fprintf(f, "\"%s\"", a->strings[k]);
    }
    fputc(']', f);
    break;
  default: fputs("(unsupported kind)", f); break;
  }
}

static void dump_node(FILE *f, const ir_graph *g, const ir_node *n, int idx) {
  fprintf(f, "node %d \"%s\": %s", idx, n->name, n->op_type);
  if (n->domain && *n->domain) fprintf(f, " (%s)", n->domain);
  fputc('\n', f);
  if (n->nattrs) {
    fputs("    attrs:", f);
    for (int k = 0; k < n->nattrs; k++) put_attr(f, &n->attrs[k]);
    fputc('\n', f);
  }
  for (int k = 0; k < n->nin; k++) {
    fputs("    in  ", f);
    if (n->in[k]) put_tensor(f, g, n->in[k]);
    else fputs("(absent)", f);
    fputc('\n', f);
  }
  for (int k = 0; k < n->nout; k++) {
    fputs("    out ", f);
    if (n->out[k]) put_tensor(f, g, n->out[k]);
    else fputs("(unused)", f);
    fputc('\n', f);
  }
}

void ir_dump(const ir_graph *g, void *file) {
  FILE *f = file;
  int live = 0;
  for (int i = 0; i < g->nnodes; i++) live += !g->nodes[i]->dead;
  fprintf(f, "graph \"%s\": opset %lld, %d nodes, %d inputs, %d outputs\n", g->name,
          (long long)g->opset, live, g->ninputs, g->noutputs);
  for (int i = 0; i < g->ninputs; i++) {
    fputs("input  ", f);
    put_tensor(f, g, g->inputs[i]);
    fputc('\n', f);
  }
  for (int i = 0, k = 0; i < g->nnodes; i++)
    if (!g->nodes[i]->dead) dump_node(f, g, g->nodes[i], k++);
  for (int i = 0; i < g->noutputs; i++) {
    fputs("output ", f);
    put_tensor(f, g, g->outputs[i]);
    fputc('\n', f);
  }
}

/* --------------------------------------------------------- --dump-after -- */

static const char *const stages[] = {"load", "cleanup", "streamline", "fold"};

int qr_dump_stage_valid(const char *name) {
  for (size_t k = 0; k < sizeof stages / sizeof stages[0]; k++)
    if (name && !strcmp(name, stages[k])) return 1;
  return 0;
}

int qr_dump_after(const char *opt_stage, const char *stage, const ir_graph *g) {
  if (!opt_stage) return 0;
  if (!qr_dump_stage_valid(opt_stage)) {
    fprintf(stderr, "qonnx-rtl: error: unknown --dump-after stage '%s' (valid:", opt_stage);
    for (size_t k = 0; k < sizeof stages / sizeof stages[0]; k++)
      fprintf(stderr, "%s %s", k ? "," : "", stages[k]);
    fputs(")\n", stderr);
    return -1;
  }
  if (strcmp(opt_stage, stage)) return 0;
  printf("== after %s\n", stage);
  ir_dump(g, stdout);
  fflush(stdout);
  return 0;
}
