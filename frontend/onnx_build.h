/* onnx_build.h - a small C API over protobuf-c for building ONNX/QONNX models.
 *
 * Used by `qonnx-rtl example` to write its built-in models and by tests to
 * write deliberately broken models.  The builder checks nothing about the
 * graph it is given (dangling names, wrong counts, cycles are all allowed), so
 * a test can make any model it likes; anything the helpers do not cover can be
 * edited directly on the protobuf-c structs (ob_proto()).
 *
 *   ob_model *m = ob_new("tiny");
 *   ob_opset(m, "", 11);
 *   ob_input(m, "x", ONNX_FLOAT, 2, (int64_t[]){1, 4});
 *   ob_output(m, "y", ONNX_FLOAT, 2, (int64_t[]){1, 3});
 *   ob_init_f32(m, "w", 2, (int64_t[]){4, 3}, wdata);
 *   Onnx__NodeProto *n = ob_node(m, "MatMul_0", "MatMul", "", "x,w", "y");
 *   ob_attr_int(m, n, "some_attr", 1);
 *   ob_annotate(m, "x", "finn_datatype", "UINT8");
 *   if (ob_write(m, "tiny.onnx") < 0) ...;      // temp file + rename
 *   ob_free(m);
 *
 * Memory: everything lives in the model's arena; ob_free() releases it all.
 * Strings passed in are copied.  Element types are the ONNX_* codes of ir.h.
 */
#ifndef QR_ONNX_BUILD_H
#define QR_ONNX_BUILD_H
#include <stddef.h>
#include <stdint.h>

#include "ir/ir.h"
#include "onnx.pb-c.h"

typedef struct ob_model ob_model;

/* A model with ir_version 7, producer "qonnx-rtl", one graph named
 * graph_name, and no opset imports yet (add them with ob_opset). */
ob_model *ob_new(const char *graph_name);
void ob_free(ob_model *m);
ir_arena *ob_arena(ob_model *m);
/* The underlying message, for edits the helpers do not offer. */
Onnx__ModelProto *ob_proto(ob_model *m);

void ob_set_ir_version(ob_model *m, int64_t v);
void ob_set_producer(ob_model *m, const char *name, const char *version);
void ob_set_doc(ob_model *m, const char *doc);
/* Add (or update) an opset import; domain "" is the default ONNX domain. */
void ob_opset(ob_model *m, const char *domain, int64_t version);
void ob_metadata(ob_model *m, const char *key, const char *value);

/* Value infos.  rank -1 writes a tensor type without shape; a dimension < 0
 * is written as a symbolic dim_param ("N" for axis 0, "d<i>" otherwise). */
Onnx__ValueInfoProto *ob_input(ob_model *m, const char *name, int elem_type, int rank,
                               const int64_t *dims);
Onnx__ValueInfoProto *ob_output(ob_model *m, const char *name, int elem_type, int rank,
                                const int64_t *dims);
Onnx__ValueInfoProto *ob_value_info(ob_model *m, const char *name, int elem_type,
                                    int rank, const int64_t *dims);

/* Initializers.  Data is copied; by default stored little-endian in raw_data
 * as exporters do, or in the typed fields (float_data / int64_data) after
 * ob_set_typed_data(m, 1).  rank 0 is a scalar.  Returns the TensorProto. */
void ob_set_typed_data(ob_model *m, int typed);
Onnx__TensorProto *ob_init_f32(ob_model *m, const char *name, int rank,
                               const int64_t *dims, const float *data);
Onnx__TensorProto *ob_init_i64(ob_model *m, const char *name, int rank,
                               const int64_t *dims, const int64_t *data);
Onnx__TensorProto *ob_init_scalar_f32(ob_model *m, const char *name, float v);
/* Arbitrary type and bytes (e.g. a wrong-length raw_data for a bad model). */
Onnx__TensorProto *ob_init_raw(ob_model *m, const char *name, int data_type, int rank,
                               const int64_t *dims, const void *bytes, size_t len);
/* A TensorProto not attached anywhere (for tensor attributes). */
Onnx__TensorProto *ob_tensor_f32(ob_model *m, const char *name, int rank,
                                 const int64_t *dims, const float *data);
Onnx__TensorProto *ob_tensor_i64(ob_model *m, const char *name, int rank,
                                 const int64_t *dims, const int64_t *data);

/* Append a node.  inputs/outputs are comma-separated tensor names; an empty
 * field is an absent optional input ("X,,B"); NULL or "" means none.
 * domain NULL or "" is the default ONNX domain. */
Onnx__NodeProto *ob_node(ob_model *m, const char *name, const char *op_type,
                         const char *domain, const char *inputs, const char *outputs);
/* Same with explicit name arrays. */
Onnx__NodeProto *ob_node_v(ob_model *m, const char *name, const char *op_type,
                           const char *domain, int nin, const char *const *in, int nout,
                           const char *const *out);

/* Attributes of every kind, appended to a node. */
Onnx__AttributeProto *ob_attr_int(ob_model *m, Onnx__NodeProto *n, const char *name,
                                  int64_t v);
Onnx__AttributeProto *ob_attr_float(ob_model *m, Onnx__NodeProto *n, const char *name,
                                    float v);
Onnx__AttributeProto *ob_attr_str(ob_model *m, Onnx__NodeProto *n, const char *name,
                                  const char *v);
Onnx__AttributeProto *ob_attr_ints(ob_model *m, Onnx__NodeProto *n, const char *name,
                                   int count, const int64_t *v);
Onnx__AttributeProto *ob_attr_floats(ob_model *m, Onnx__NodeProto *n, const char *name,
                                     int count, const float *v);
Onnx__AttributeProto *ob_attr_strs(ob_model *m, Onnx__NodeProto *n, const char *name,
                                   int count, const char *const *v);
Onnx__AttributeProto *ob_attr_tensor(ob_model *m, Onnx__NodeProto *n, const char *name,
                                     Onnx__TensorProto *t);
/* A GRAPH attribute holding an empty subgraph (for If/Loop-style bad models). */
Onnx__AttributeProto *ob_attr_graph(ob_model *m, Onnx__NodeProto *n, const char *name,
                                    const char *graph_name);
/* An attribute whose declared type and payload the caller fills in by hand. */
Onnx__AttributeProto *ob_attr_bare(ob_model *m, Onnx__NodeProto *n, const char *name,
                                   Onnx__AttributeProto__AttributeType type);

/* graph.quantization_annotation: add key=value to tensor's entry (created on
 * first use), e.g. ob_annotate(m, "x", "finn_datatype", "UINT8"). */
void ob_annotate(ob_model *m, const char *tensor, const char *key, const char *value);

/* Serialize into the arena; *len gets the size. */
uint8_t *ob_pack(ob_model *m, size_t *len);
/* Write to path atomically (temporary sibling + rename); on any error prints
 * one line naming path, leaves no file behind, returns -1. */
int ob_write(ob_model *m, const char *path);
/* The same for any bytes (used by other writers that want atomic output). */
int ob_write_file_atomic(const char *path, const void *data, size_t len);

#endif
