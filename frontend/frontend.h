/* frontend.h - ONNX protobuf -> ir_graph: loading, checking, cleanup; tensor files. */
#ifndef QR_FRONTEND_H
#define QR_FRONTEND_H
#include <stddef.h>
#include <stdint.h>

#include "ir/ir.h"

/* Load an ONNX model: parse (protobuf-c), convert to our types, check
 * (dangling names, cycles, duplicate outputs, missing initializers, unknown
 * ops, opset range), order topologically.  NULL after one error line. */
ir_graph *fe_load(const char *path);
/* Same from bytes in memory (fuzzing); `path` only names them in messages. */
ir_graph *fe_load_bytes(const char *path, const uint8_t *data, size_t len);

/* Cleanup: constant folding (Shape/Gather/Unsqueeze/Concat/Reshape chains,
 * Identity, Dropout, Constant, Cast of constants), shape inference for every
 * op, dtype inference.  Leaves a graph that ir_verify() accepts. */
int fe_cleanup(ir_graph *g);
/* Shape inference alone (runs every node's shape rule in order). */
int fe_infer_shapes(ir_graph *g);

/* Tensor files.  Readers return NULL after one error line naming the file. */
ir_buf *fe_read_tensor_pb(ir_arena *a, const char *path);   /* ONNX TensorProto */
ir_buf *fe_read_npy(ir_arena *a, const char *path);
ir_buf *fe_read_npy_bytes(ir_arena *a, const char *path, const uint8_t *data, size_t len);
int fe_write_npy(const char *path, const ir_buf *b);        /* atomic write */
/* Either, by extension (.npy or .pb). */
ir_buf *fe_read_tensor(ir_arena *a, const char *path);

#endif
