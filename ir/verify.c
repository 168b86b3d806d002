/* verify.c - ir_verify() and ir_dump() (placeholder until implemented). */
#include <stdio.h>
#include "ir/ir.h"
int ir_verify(const ir_graph *g, const char *after_pass) {
  (void)after_pass;
  return ir_errorf(g->file, NULL, "ir_verify not implemented yet");
}
void ir_dump(const ir_graph *g, void *file) { (void)g; (void)file; }
