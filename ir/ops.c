/* ops.c - the op registry table, built from ir/ops.def. */
#include <string.h>

#include "ir/ops_impl.h"

static const ir_opinfo table[] = {
#define OP(dom, name, fn, a, b, c, d) {IR_DOM_##dom, #name, a, b, c, d, shape_##fn, exec_##fn},
#include "ir/ops.def"
#undef OP
};

const ir_opinfo *ir_op_lookup(ir_domain dom, const char *op_type) {
  if (!op_type) return NULL;
  for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
    if (table[i].dom == dom && !strcmp(table[i].op_type, op_type)) return &table[i];
  return NULL;
}

const ir_opinfo *ir_op_table(int *count) {
  *count = (int)(sizeof table / sizeof table[0]);
  return table;
}
