/* dtype_infer.h - options of datatype inference (ir/dtype_infer.c) beyond the
 * default ir_infer_dtypes() of ir.h; used by `info` to reproduce qonnx. */
#ifndef QR_DTYPE_INFER_H
#define QR_DTYPE_INFER_H
#include <stdbool.h>

#include "ir/ir.h"

typedef struct ir_dtype_opts {
  /* false: our inference (exact integer ranges, integer-valued initializers
   * typed by their values, Relu/Trunc/Clip/Concat of integers stay integer).
   * true: exactly qonnx's InferDataTypes as qonnx's inference_cost runs it
   * (MAC results INT32/UINT32/SCALEDINT<32>, unannotated initializers
   * FLOAT32, anything it does not know FLOAT32). */
  bool qonnx;
  /* false: scaled integers become FLOAT32, as qonnx did before SCALEDINT
   * types existed (the QONNX paper's figures were made that way). */
  bool scaledint;
} ir_dtype_opts;

int ir_infer_dtypes_opts(ir_graph *g, const ir_dtype_opts *o);

/* Bits qonnx's DataType.bitwidth() gives: FLOAT32 32, BIPOLAR 1, ... (0 if unknown). */
int ir_dtype_bits(ir_dtype dt);

/* Values of tensors computable from constants through cheap nodes (weight
 * quantizers, Transpose, Reshape, ...), evaluated with the executor and kept
 * until ir_constfold_free().  NULL for anything else. */
typedef struct ir_constfold ir_constfold;
ir_constfold *ir_constfold_new(ir_graph *g);
const ir_buf *ir_constfold_value(ir_constfold *cf, const ir_tensor *t);
void ir_constfold_free(ir_constfold *cf);

#endif
