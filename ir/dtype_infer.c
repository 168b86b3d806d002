/* dtype_infer.c - datatype inference (placeholder: infers nothing yet). */
#include "ir/ir.h"
int ir_infer_dtypes(ir_graph *g) {
  (void)g;
  return 0;
}
