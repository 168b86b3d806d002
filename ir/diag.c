/* diag.c - the one format for errors: qonnx-rtl: FILE: node "NAME" (OP): error: WHAT */
#include <stdio.h>

#define QR_DIAG_IMPL /* the definitions below, not ir.h's analyzer macros */
#include "ir/ir.h"

int ir_verbosity = 1;

static void prefix(const char *file, const ir_node *node, const char *kind) {
  fputs("qonnx-rtl: ", stderr);
  if (file) fprintf(stderr, "%s: ", file);
  if (node) fprintf(stderr, "node \"%s\" (%s): ", node->name ? node->name : "",
                    node->op_type ? node->op_type : "?");
  fprintf(stderr, "%s: ", kind);
}

int ir_verrorf(const char *file, const ir_node *node, const char *fmt, va_list ap) {
  prefix(file, node, "error");
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  return -1;
}

int ir_errorf(const char *file, const ir_node *node, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  ir_verrorf(file, node, fmt, ap);
  va_end(ap);
  return -1;
}

void ir_warnf(const char *file, const ir_node *node, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  prefix(file, node, "warning");
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
}

void ir_progress(const char *fmt, ...) {
  if (ir_verbosity < 1) return;
  va_list ap;
  va_start(ap, fmt);
  fputs("qonnx-rtl: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
}
