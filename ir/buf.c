/* buf.c - concrete tensor values (ir_buf) and ONNX element types. */
#include <string.h>

#include "ir/ir.h"

const char *ir_onnx_type_name(int t) {
  switch (t) {
  case ONNX_FLOAT: return "float32";
  case ONNX_UINT8: return "uint8";
  case ONNX_INT8: return "int8";
  case ONNX_UINT16: return "uint16";
  case ONNX_INT16: return "int16";
  case ONNX_INT32: return "int32";
  case ONNX_INT64: return "int64";
  case ONNX_STRING: return "string";
  case ONNX_BOOL: return "bool";
  case ONNX_FLOAT16: return "float16";
  case ONNX_DOUBLE: return "float64";
  case ONNX_UINT32: return "uint32";
  case ONNX_UINT64: return "uint64";
  default: return "undefined";
  }
}

int ir_store_of(int t) {
  switch (t) {
  case ONNX_FLOAT: return IR_F32;
  case ONNX_UINT8: case ONNX_INT8: case ONNX_UINT16: case ONNX_INT16:
  case ONNX_INT32: case ONNX_INT64: case ONNX_BOOL: case ONNX_UINT32:
    return IR_I64;
  default: return -1;
  }
}

int64_t ir_shape_numel(int rank, const int64_t *dims) {
  if (rank < 0) return -1;
  int64_t n = 1;
  for (int i = 0; i < rank; i++) {
    if (dims[i] < 0) return -1;
    if (dims[i] != 0 && n > INT64_MAX / dims[i]) return -1;
    n *= dims[i];
  }
  return n;
}

ir_buf *ir_buf_new(ir_arena *a, ir_store store, int onnx_type, int rank,
                   const int64_t *dims) {
  if (rank < 0 || rank > IR_MAX_RANK) return NULL;
  int64_t n = ir_shape_numel(rank, dims);
  if (n < 0 || n > IR_MAX_ELEMS) return NULL;
  ir_buf *b = ir_alloc(a, sizeof *b);
  b->store = store;
  b->onnx_type = onnx_type;
  b->rank = rank;
  if (rank) memcpy(b->dims, dims, (size_t)rank * sizeof dims[0]);
  b->n = n;
  if (store == IR_F32)
    b->f = ir_alloc_array(a, (size_t)(n ? n : 1), sizeof(float));
  else
    b->i = ir_alloc_array(a, (size_t)(n ? n : 1), sizeof(int64_t));
  return b;
}

ir_buf *ir_buf_clone(ir_arena *a, const ir_buf *b) {
  ir_buf *c = ir_buf_new(a, b->store, b->onnx_type, b->rank, b->dims);
  if (!c) return NULL;
  if (b->store == IR_F32)
    memcpy(c->f, b->f, (size_t)b->n * sizeof(float));
  else
    memcpy(c->i, b->i, (size_t)b->n * sizeof(int64_t));
  return c;
}

double ir_buf_get(const ir_buf *b, int64_t idx) {
  return b->store == IR_F32 ? (double)b->f[idx] : (double)b->i[idx];
}

void ir_buf_set(ir_buf *b, int64_t idx, double v) {
  if (b->store == IR_F32)
    b->f[idx] = (float)v;
  else
    b->i[idx] = (int64_t)v;
}
