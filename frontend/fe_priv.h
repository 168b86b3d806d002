/* fe_priv.h - frontend-internal helpers shared by load.c, check.c and cleanup.c. */
#ifndef QR_FE_PRIV_H
#define QR_FE_PRIV_H
#include "frontend/frontend.h"

/* Read a whole file into arena a (one error line on failure). */
uint8_t *fe_read_file(ir_arena *a, const char *path, size_t *len);
/* Checks of a freshly converted graph (frontend/check.c): opset range, known
 * ops, input/output counts, single producers, dangling names, tensor sizes.
 * Sets every tensor's producer. */
int fe_check(ir_graph *g);
/* Error if t's known shape has more than IR_MAX_ELEMS elements. */
int fe_check_tensor_size(const char *file, const ir_node *n, const ir_tensor *t);

#endif
