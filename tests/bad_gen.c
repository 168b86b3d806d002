/* bad_gen.c - writes the deliberately broken models of the golden
 * diagnostic tests (tests/bad/NAME.err holds the one stderr line expected
 * for NAME.onnx) into the current directory, plus in.npy, a valid input for
 * `qonnx-rtl exec`.  Models are built with frontend/onnx_build.h; the few
 * that are not protobuf at all are written as raw bytes.
 *   usage: bad_gen [NAME...]   (no names: every case) */
#include <stdio.h>
#include <string.h>

#include "frontend/onnx_build.h"

typedef int (*gen_fn)(const char *path);

static int write_bytes(const char *path, const void *data, size_t len) {
  return ob_write_file_atomic(path, data, len);
}

/* A model with x[1,4] -> y[1,4] and opset 13 / qonnx; nodes added by caller. */
static ob_model *base(const char *name) {
  ob_model *m = ob_new(name);
  ob_opset(m, "", 13);
  ob_opset(m, "qonnx.custom_op.general", 1);
  ob_input(m, "x", ONNX_FLOAT, 2, (int64_t[]){1, 4});
  ob_output(m, "y", ONNX_FLOAT, 2, (int64_t[]){1, 4});
  return m;
}

static int finish(ob_model *m, const char *path) {
  int rc = ob_write(m, path);
  ob_free(m);
  return rc;
}

/* ------------------------------------------------------------- not ONNX -- */

static int gen_empty(const char *path) { return write_bytes(path, "", 0); }

static int gen_not_onnx(const char *path) {
  static const char text[] = "<html><body>this is not an ONNX model</body></html>\n";
  return write_bytes(path, text, sizeof text - 1);
}

/* A good model cut in the middle of its graph. */
static int gen_truncated(const char *path) {
  ob_model *m = base("truncated");
  float w[16] = {0};
  ob_init_f32(m, "w", 2, (int64_t[]){4, 4}, w);
  ob_node(m, "MatMul_0", "MatMul", "", "x,w", "y");
  size_t len = 0;
  uint8_t *bytes = ob_pack(m, &len);
  int rc = bytes ? write_bytes(path, bytes, len / 2) : -1;
  ob_free(m);
  return rc;
}

static int gen_no_graph(const char *path) {
  ob_model *m = ob_new("g");
  ob_opset(m, "", 13);
  ob_proto(m)->graph = NULL;
  return finish(m, path);
}

/* ---------------------------------------------------------- model-level -- */

static int gen_bad_opset(const char *path) {
  ob_model *m = base("bad_opset");
  ob_opset(m, "", 6);
  ob_node(m, "Relu_0", "Relu", "", "x", "y");
  return finish(m, path);
}

static int gen_unknown_op(const char *path) {
  ob_model *m = base("unknown_op");
  ob_node(m, "Relu_0", "Relu", "", "x", "r");
  ob_node(m, "Hardmax_1", "Hardmax", "", "r", "y");
  return finish(m, path);
}

static int gen_unknown_domain(const char *path) {
  ob_model *m = base("unknown_domain");
  float w[16] = {0};
  ob_init_f32(m, "w", 2, (int64_t[]){4, 4}, w);
  ob_node(m, "MVAU_0", "MatrixVectorActivation", "finn.custom_op.fpgadataflow", "x,w", "y");
  return finish(m, path);
}

static int gen_input_count(const char *path) {
  ob_model *m = base("input_count");
  ob_node(m, "Relu_0", "Relu", "", "x,x", "y");
  return finish(m, path);
}

static int gen_missing_init(const char *path) {
  ob_model *m = base("missing_init");
  ob_node(m, "MatMul_0", "MatMul", "", "x,fc.weight", "y");
  return finish(m, path);
}

static int gen_duplicate_output(const char *path) {
  ob_model *m = base("duplicate_output");
  ob_node(m, "Relu_0", "Relu", "", "x", "y");
  ob_node(m, "Sigmoid_1", "Sigmoid", "", "x", "y");
  return finish(m, path);
}

static int gen_cycle(const char *path) {
  ob_model *m = base("cycle");
  ob_node(m, "Add_0", "Add", "", "x,c", "a");
  ob_node(m, "Relu_1", "Relu", "", "a", "b");
  ob_node(m, "Sigmoid_2", "Sigmoid", "", "b", "c");
  ob_node(m, "Relu_3", "Relu", "", "a", "y");
  return finish(m, path);
}

/* -------------------------------------------------------------- tensors -- */

/* An initializer of 2^40 elements (declared, no data): must be refused
 * before anything is allocated. */
static int gen_huge_tensor(const char *path) {
  ob_model *m = base("huge_tensor");
  Onnx__TensorProto *t = ob_init_raw(m, "w", ONNX_FLOAT, 2, (int64_t[]){1 << 20, 1 << 20},
                                     "", 0);
  (void)t;
  ob_node(m, "MatMul_0", "MatMul", "", "x,w", "y");
  return finish(m, path);
}

static int gen_huge_input(const char *path) {
  ob_model *m = ob_new("huge_input");
  ob_opset(m, "", 13);
  ob_input(m, "x", ONNX_FLOAT, 3, (int64_t[]){1024, 1024, 1 << 20});
  ob_output(m, "y", ONNX_FLOAT, 3, (int64_t[]){1024, 1024, 1 << 20});
  ob_node(m, "Relu_0", "Relu", "", "x", "y");
  return finish(m, path);
}

/* Small tensors whose shape inference gives a 2^40-element intermediate. */
static int gen_huge_intermediate(const char *path) {
  ob_model *m = ob_new("huge_intermediate");
  ob_opset(m, "", 13);
  ob_input(m, "x", ONNX_FLOAT, 4, (int64_t[]){1, 1, 2, 2});
  ob_output(m, "y", ONNX_FLOAT, 4, (int64_t[]){1, 1, -1, -1});
  ob_init_f32(m, "scales", 1, (int64_t[]){4}, (float[]){1, 1, 524288, 524288});
  Onnx__NodeProto *n = ob_node(m, "Resize_0", "Resize", "", "x,,scales", "y");
  ob_attr_str(m, n, "mode", "nearest");
  return finish(m, path);
}

static int gen_raw_length(const char *path) {
  ob_model *m = base("raw_length");
  float w[15] = {0};
  ob_init_raw(m, "w", ONNX_FLOAT, 2, (int64_t[]){4, 4}, w, sizeof w);
  ob_node(m, "MatMul_0", "MatMul", "", "x,w", "y");
  return finish(m, path);
}

static int gen_external_data(const char *path) {
  ob_model *m = base("external_data");
  Onnx__TensorProto *t = ob_init_raw(m, "w", ONNX_FLOAT, 2, (int64_t[]){4, 4}, "", 0);
  t->has_raw_data = 0;
  t->has_data_location = 1;
  t->data_location = ONNX__TENSOR_PROTO__DATA_LOCATION__EXTERNAL;
  ob_node(m, "MatMul_0", "MatMul", "", "x,w", "y");
  return finish(m, path);
}

static int gen_float16(const char *path) {
  ob_model *m = base("float16");
  uint16_t h[16] = {0};
  ob_init_raw(m, "w", ONNX_FLOAT16, 2, (int64_t[]){4, 4}, h, sizeof h);
  ob_node(m, "MatMul_0", "MatMul", "", "x,w", "y");
  return finish(m, path);
}

static int gen_bad_annotation(const char *path) {
  ob_model *m = base("bad_annotation");
  ob_node(m, "Relu_0", "Relu", "", "x", "y");
  ob_annotate(m, "x", "finn_datatype", "UINT0.5");
  return finish(m, path);
}

/* ---------------------------------------------------------- shape rules -- */

static int gen_matmul_shape(const char *path) {
  ob_model *m = ob_new("matmul_shape");
  ob_opset(m, "", 13);
  ob_input(m, "x", ONNX_FLOAT, 2, (int64_t[]){3, 4});
  ob_output(m, "y", ONNX_FLOAT, 2, (int64_t[]){3, 2});
  float w[10] = {0};
  ob_init_f32(m, "w", 2, (int64_t[]){5, 2}, w);
  ob_node(m, "MatMul_0", "MatMul", "", "x,w", "y");
  return finish(m, path);
}

/* Quant(x, scale, zeropt, bitwidth) on the activation with one bad parameter. */
static int quant_model(const char *path, float scale, float bits) {
  ob_model *m = base("quant");
  ob_init_scalar_f32(m, "scale", scale);
  ob_init_scalar_f32(m, "zeropt", 0.0f);
  ob_init_scalar_f32(m, "bitwidth", bits);
  Onnx__NodeProto *n = ob_node(m, "Quant_0", "Quant", "qonnx.custom_op.general",
                               "x,scale,zeropt,bitwidth", "y");
  ob_attr_int(m, n, "signed", 1);
  ob_attr_int(m, n, "narrow", 0);
  ob_attr_str(m, n, "rounding_mode", "ROUND");
  return finish(m, path);
}

static int gen_quant_bits_frac(const char *path) { return quant_model(path, 0.5f, 2.5f); }
static int gen_quant_bits_zero(const char *path) { return quant_model(path, 0.5f, 0.0f); }
static int gen_quant_bits_big(const char *path) { return quant_model(path, 0.5f, 33.0f); }
static int gen_quant_zero_scale(const char *path) { return quant_model(path, 0.0f, 4.0f); }

/* ---------------------------------------------------------------- table -- */

static const struct { const char *name; gen_fn fn; } cases[] = {
    {"empty", gen_empty},
    {"not_onnx", gen_not_onnx},
    {"truncated", gen_truncated},
    {"no_graph", gen_no_graph},
    {"bad_opset", gen_bad_opset},
    {"unknown_op", gen_unknown_op},
    {"unknown_domain", gen_unknown_domain},
    {"input_count", gen_input_count},
    {"missing_init", gen_missing_init},
    {"duplicate_output", gen_duplicate_output},
    {"cycle", gen_cycle},
    {"huge_tensor", gen_huge_tensor},
    {"huge_input", gen_huge_input},
    {"huge_intermediate", gen_huge_intermediate},
    {"raw_length", gen_raw_length},
    {"external_data", gen_external_data},
    {"float16", gen_float16},
    {"bad_annotation", gen_bad_annotation},
    {"matmul_shape", gen_matmul_shape},
    {"quant_bits_frac", gen_quant_bits_frac},
    {"quant_bits_zero", gen_quant_bits_zero},
    {"quant_bits_big", gen_quant_bits_big},
    {"quant_zero_scale", gen_quant_zero_scale},
};

/* in.npy: float32 [1,4] zeros, a valid input for every case's graph. */
static int write_input(void) {
  static const char hdr[] = "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 4), }";
  unsigned char buf[128 + 16] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
  size_t hl = 128 - 10; /* header padded so data starts at byte 128 */
  buf[8] = (unsigned char)(hl & 0xff);
  buf[9] = (unsigned char)(hl >> 8);
  memset(buf + 10, ' ', hl);
  memcpy(buf + 10, hdr, sizeof hdr - 1);
  buf[127] = '\n';
  return write_bytes("in.npy", buf, sizeof buf);
}

int main(int argc, char **argv) {
  int n = (int)(sizeof cases / sizeof cases[0]), failed = 0, wrote = 0;
  if (write_input()) return 1;
  for (int i = 0; i < n; i++) {
    bool want = argc < 2;
    for (int a = 1; a < argc; a++) want |= !strcmp(argv[a], cases[i].name);
    if (!want) continue;
    char path[256];
    snprintf(path, sizeof path, "%s.onnx", cases[i].name);
    if (cases[i].fn(path)) {
      fprintf(stderr, "bad_gen: could not write %s\n", path);
      failed++;
    } else {
      wrote++;
    }
  }
  printf("bad_gen: wrote %d models and in.npy\n", wrote);
  return failed ? 1 : 0;
}
