/* graph.c - building, querying and re-ordering the graph IR. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ir/ir.h"

ir_domain ir_domain_of(const char *d) {
  if (!d || !*d || !strcmp(d, "ai.onnx")) return IR_DOM_ONNX;
  static const char *const qonnx[] = {"onnx.brevitas", "finn.custom_op.general",
                                      "qonnx.custom_op.general"};
  for (size_t i = 0; i < sizeof qonnx / sizeof qonnx[0]; i++) {
    size_t n = strlen(qonnx[i]);
    /* Exporters also write sub-modules, e.g. qonnx.custom_op.general.quant. */
    if (!strncmp(d, qonnx[i], n) && (d[n] == 0 || d[n] == '.')) return IR_DOM_QONNX;
  }
  return IR_DOM_UNKNOWN;
}

ir_graph *ir_graph_new(const char *file) {
  ir_arena *a = ir_arena_new();
  ir_graph *g = ir_alloc(a, sizeof *g);
  g->arena = a;
  g->file = ir_strdup(a, file);
  g->name = "";
  return g;
}

void ir_graph_free(ir_graph *g) {
  if (g) ir_arena_free(g->arena);
}

static void *grow(ir_arena *a, void *old, int n, int *cap, size_t elem) {
  if (n < *cap) return old;
  int ncap = *cap ? *cap * 2 : 16;
  void *p = ir_alloc_array(a, (size_t)ncap, elem);
  if (old) memcpy(p, old, (size_t)n * elem);
  *cap = ncap;
  return p;
}

ir_tensor *ir_find_tensor(const ir_graph *g, const char *name) {
  if (!name) return NULL;
  for (int i = 0; i < g->ntensors; i++)
    if (!strcmp(g->tensors[i]->name, name)) return g->tensors[i];
  return NULL;
}

static ir_tensor *add_tensor(ir_graph *g, const char *name) {
  g->tensors = grow(g->arena, g->tensors, g->ntensors, &g->cap_tensors, sizeof(ir_tensor *));
  ir_tensor *t = ir_alloc(g->arena, sizeof *t);
  t->id = g->ntensors;
  t->name = ir_strdup(g->arena, name);
  t->rank = -1;
  g->tensors[g->ntensors++] = t;
  return t;
}

ir_tensor *ir_get_tensor(ir_graph *g, const char *name) {
  ir_tensor *t = ir_find_tensor(g, name);
  return t ? t : add_tensor(g, name);
}

ir_tensor *ir_new_tensor(ir_graph *g, const char *hint) {
  for (int k = 0;; k++) {
    char *name = ir_sprintf(g->arena, "%s_%d", hint ? hint : "t", k);
    if (!ir_find_tensor(g, name)) return add_tensor(g, name);
  }
}

ir_node *ir_add_node(ir_graph *g, const char *name, const char *op_type,
                     const char *domain, int nin, int nout) {
  g->nodes = grow(g->arena, g->nodes, g->nnodes, &g->cap_nodes, sizeof(ir_node *));
  ir_node *n = ir_alloc(g->arena, sizeof *n);
  n->id = g->nnodes;
  n->op_type = ir_strdup(g->arena, op_type);
  n->domain = ir_strdup(g->arena, domain ? domain : "");
  n->dom = ir_domain_of(domain);
  n->op = ir_op_lookup(n->dom, op_type);
  n->name = (name && *name) ? ir_strdup(g->arena, name)
                            : ir_sprintf(g->arena, "%s_%d", op_type, g->nnodes);
  n->nin = nin;
  n->nout = nout;
  n->in = ir_alloc_array(g->arena, (size_t)(nin ? nin : 1), sizeof(ir_tensor *));
  n->out = ir_alloc_array(g->arena, (size_t)(nout ? nout : 1), sizeof(ir_tensor *));
  g->nodes[g->nnodes++] = n;
  return n;
}

const ir_attr *ir_attr_find(const ir_node *n, const char *name) {
  for (int i = 0; i < n->nattrs; i++)
    if (!strcmp(n->attrs[i].name, name)) return &n->attrs[i];
  return NULL;
}

int64_t ir_attr_int(const ir_node *n, const char *name, int64_t dflt) {
  const ir_attr *a = ir_attr_find(n, name);
  return a && a->kind == IR_ATTR_INT ? a->i : dflt;
}

float ir_attr_float(const ir_node *n, const char *name, float dflt) {
  const ir_attr *a = ir_attr_find(n, name);
  if (!a) return dflt;
  if (a->kind == IR_ATTR_FLOAT) return a->f;
  if (a->kind == IR_ATTR_INT) return (float)a->i;
  return dflt;
}

const char *ir_attr_str(const ir_node *n, const char *name, const char *dflt) {
  const ir_attr *a = ir_attr_find(n, name);
  return a && a->kind == IR_ATTR_STRING ? a->s : dflt;
}

int ir_consumers(const ir_graph *g, const ir_tensor *t, ir_node **out, int max) {
  int k = 0;
  for (int i = 0; i < g->nnodes; i++) {
    ir_node *n = g->nodes[i];
    if (n->dead) continue;
    for (int j = 0; j < n->nin; j++)
      if (n->in[j] == t) {
        if (k < max) out[k] = n;
        k++;
        break;
      }
  }
  return k;
}

void ir_replace_uses(ir_graph *g, ir_tensor *from, ir_tensor *to) {
  for (int i = 0; i < g->nnodes; i++) {
    ir_node *n = g->nodes[i];
    if (n->dead) continue;
    for (int j = 0; j < n->nin; j++)
      if (n->in[j] == from) n->in[j] = to;
  }
  for (int i = 0; i < g->noutputs; i++)
    if (g->outputs[i] == from) {
      g->outputs[i] = to;
      to->is_output = true;
      from->is_output = false;
    }
}

void ir_compact(ir_graph *g) {
  int k = 0;
  for (int i = 0; i < g->nnodes; i++)
    if (!g->nodes[i]->dead) {
      g->nodes[k] = g->nodes[i];
      g->nodes[k]->id = k;
      k++;
    }
  g->nnodes = k;
  /* Tensors stay (ids are stable handles for executor value arrays) but lose
   * their producer if it died. */
  for (int i = 0; i < g->ntensors; i++) {
    ir_tensor *t = g->tensors[i];
    if (t->producer && t->producer->dead) t->producer = NULL;
  }
}

/* Kahn's algorithm, stable: among ready nodes the one first in file order goes
 * first, so output is deterministic and close to the exporter's order. */
int ir_toposort(ir_graph *g) {
  int n = g->nnodes;
  if (n == 0) return 0;
  ir_arena *tmp = ir_arena_new();
  int *indeg = ir_alloc_array(tmp, (size_t)n, sizeof(int));
  char *placed = ir_alloc(tmp, (size_t)n);
  ir_node **order = ir_alloc_array(tmp, (size_t)n, sizeof(ir_node *));
  for (int i = 0; i < n; i++) g->nodes[i]->id = i;
  for (int i = 0; i < n; i++) {
    ir_node *nd = g->nodes[i];
    for (int j = 0; j < nd->nin; j++) {
      ir_tensor *t = nd->in[j];
      if (t && t->producer && !t->producer->dead && !t->init) indeg[i]++;
    }
  }
  int k = 0;
  for (int pass = 1; pass && k < n;) {
    pass = 0;
    for (int i = 0; i < n; i++) {
      if (placed[i] || indeg[i]) continue;
      ir_node *nd = g->nodes[i];
      placed[i] = 1;
      order[k++] = nd;
      pass = 1;
      for (int o = 0; o < nd->nout; o++) {
        ir_tensor *t = nd->out[o];
        if (!t || t->init) continue;
        for (int c = 0; c < n; c++)
          for (int j = 0; j < g->nodes[c]->nin; j++)
            if (g->nodes[c]->in[j] == t) indeg[c]--;
      }
      break; /* restart from the first node: keeps file order among ready ones */
    }
  }
  if (k < n) {
    ir_node *bad = NULL;
    for (int i = 0; i < n && !bad; i++)
      if (!placed[i]) bad = g->nodes[i];
    ir_arena_free(tmp);
    return ir_errorf(g->file, bad, "graph has a cycle through this node");
  }
  for (int i = 0; i < n; i++) {
    g->nodes[i] = order[i];
    g->nodes[i]->id = i;
  }
  ir_arena_free(tmp);
  return 0;
}
