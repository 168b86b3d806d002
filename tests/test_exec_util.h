/* test_exec_util.h - small helpers for the op/executor unit tests: build one-node
 * graphs by hand, run an op's shape rule or executor, capture the error line it
 * prints, and count checks.  Header-only (static functions) so each test is one .c. */
#ifndef QR_TEST_EXEC_UTIL_H
#define QR_TEST_EXEC_UTIL_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ir/ir.h"

static int t_pass, t_fail;

static inline void check(int ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline void check(int ok, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  if (ok) {
    t_pass++;
  } else {
    t_fail++;
    fputs("FAIL: ", stdout);
    vprintf(fmt, ap);
    fputc('\n', stdout);
  }
  va_end(ap);
}

static inline int t_report(const char *what) {
  printf("%s: %d passed, %d failed\n", what, t_pass, t_fail);
  return t_fail ? 1 : 0;
}

/* A float32 buffer of shape dims holding vals (NULL: zeros). */
static inline ir_buf *t_buf(ir_arena *a, int rank, const int64_t *dims, const float *vals) {
  ir_buf *b = ir_buf_new(a, IR_F32, ONNX_FLOAT, rank, dims);
  if (vals) memcpy(b->f, vals, (size_t)b->n * sizeof(float));
  return b;
}

static inline ir_buf *t_scalar(ir_arena *a, float v) { return t_buf(a, 0, NULL, &v); }

/* A graph tensor with this shape (float32), constant if init is given. */
static inline ir_tensor *t_tensor(ir_graph *g, const char *name, int rank, const int64_t *dims,
                           ir_buf *init) {
  ir_tensor *t = ir_get_tensor(g, name);
  t->onnx_type = init ? init->onnx_type : ONNX_FLOAT;
  t->rank = rank;
  for (int i = 0; i < rank; i++) t->dims[i] = dims[i];
  t->init = init;
  return t;
}

static inline ir_tensor *t_const(ir_graph *g, const char *name, ir_buf *b) {
  return t_tensor(g, name, b->rank, b->dims, b);
}

/* Attributes: set on a node, growing its array. */
static inline ir_attr *t_attr(ir_graph *g, ir_node *n, const char *name, ir_attr_kind k) {
  ir_attr *na = ir_alloc_array(g->arena, (size_t)n->nattrs + 1, sizeof(ir_attr));
  if (n->nattrs) memcpy(na, n->attrs, (size_t)n->nattrs * sizeof(ir_attr));
  n->attrs = na;
  ir_attr *a = &na[n->nattrs++];
  a->name = ir_strdup(g->arena, name);
  a->kind = k;
  return a;
}
static inline void t_attr_i(ir_graph *g, ir_node *n, const char *name, int64_t v) {
  t_attr(g, n, name, IR_ATTR_INT)->i = v;
}
static inline void t_attr_f(ir_graph *g, ir_node *n, const char *name, float v) {
  t_attr(g, n, name, IR_ATTR_FLOAT)->f = v;
}
static inline void t_attr_s(ir_graph *g, ir_node *n, const char *name, const char *v) {
  t_attr(g, n, name, IR_ATTR_STRING)->s = ir_strdup(g->arena, v);
}

/* A node of op (domain "" or "qonnx.custom_op.general") with nin inputs and one
 * output tensor "<name>_out". */
static inline ir_node *t_node(ir_graph *g, const char *name, const char *op, const char *domain,
                       int nin, ir_tensor *const *in) {
  ir_node *n = ir_add_node(g, name, op, domain, nin, 1);
  for (int i = 0; i < nin; i++) n->in[i] = in[i];
  n->out[0] = ir_get_tensor(g, ir_sprintf(g->arena, "%s_out", name));
  n->out[0]->producer = n;
  return n;
}

/* Run a node's executor on explicit input buffers; NULL on error. */
static inline ir_buf *t_exec(ir_graph *g, ir_arena *vals, const ir_node *n, ir_buf *const *in) {
  ir_exec_ctx ctx = {vals, g};
  ir_buf *out[4] = {0};
  if (!n->op || n->op->exec(&ctx, n, in, out)) return NULL;
  return out[0];
}

/* Capture what f(arg) prints on stderr into buf (truncated to cap-1). */
static inline int t_capture_stderr(int (*f)(void *), void *arg, char *buf, size_t cap) {
  fflush(stderr);
  FILE *tmp = tmpfile();
  int saved = dup(2);
  dup2(fileno(tmp), 2);
  int r = f(arg);
  fflush(stderr);
  dup2(saved, 2);
  close(saved);
  rewind(tmp);
  size_t k = fread(buf, 1, cap - 1, tmp);
  buf[k] = 0;
  fclose(tmp);
  return r;
}

/* Bitwise equality of two floats (so -0.0 != +0.0 and NaN == same NaN). */
static inline int t_same_bits(float a, float b) { return memcmp(&a, &b, sizeof a) == 0; }

#endif
