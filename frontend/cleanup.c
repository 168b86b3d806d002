/* cleanup.c - constant folding, shape inference (placeholder until implemented). */
#include "frontend/frontend.h"
int fe_cleanup(ir_graph *g) { return ir_errorf(g->file, NULL, "cleanup not implemented yet"); }
int fe_infer_shapes(ir_graph *g) { return ir_errorf(g->file, NULL, "shape inference not implemented yet"); }
