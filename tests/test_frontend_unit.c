/* test_frontend_unit.c - loader, cleanup and verifier details, each on a
 * small model built with frontend/onnx_build.h and loaded from memory:
 * initializer encodings (raw little-endian and typed fields, every integer
 * type, float64), initializers listed as graph inputs, synthesised node
 * names, attributes of every kind, domains, annotations, unknown dims,
 * TensorProto files; cleanup of Identity/Dropout/Constant/Cast/Shape chains
 * with quantizers on weights kept; ir_verify catching broken graphs;
 * qr_dump_after stage names. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "frontend/frontend.h"
#include "frontend/onnx_build.h"

static int passed, failed;

#define CHECK(cond, ...)                                                                  \
  do {                                                                                    \
    if (cond) {                                                                           \
      passed++;                                                                           \
    } else {                                                                              \
      failed++;                                                                           \
      printf("FAIL %s:%d: ", __func__, __LINE__);                                         \
      printf(__VA_ARGS__);                                                                \
      printf("\n");                                                                       \
    }                                                                                     \
  } while (0)

static ob_model *base(const char *name) {
  ob_model *m = ob_new(name);
  ob_opset(m, "", 13);
  ob_input(m, "x", ONNX_FLOAT, 2, (int64_t[]){1, 4});
  ob_output(m, "y", ONNX_FLOAT, 2, (int64_t[]){1, 4});
  return m;
}

/* Pack, free the builder, load from memory. */
static ir_graph *load(ob_model *m, const char *name) {
  size_t len = 0;
  uint8_t *p = ob_pack(m, &len);
  ir_graph *g = p ? fe_load_bytes(name, p, len) : NULL;
  ob_free(m);
  return g;
}

static const ir_node *find_node(const ir_graph *g, const char *op) {
  for (int i = 0; i < g->nnodes; i++)
    if (!g->nodes[i]->dead && !strcmp(g->nodes[i]->op_type, op)) return g->nodes[i];
  return NULL;
}

static void test_initializer_encodings(void) {
  ob_model *m = base("inits");
  int8_t i8[3] = {-5, 0, 127};
  uint8_t u8[3] = {0, 200, 255};
  int16_t i16[3] = {-30000, 1, 2};
  int32_t i32[3] = {-2000000000, 7, 8};
  uint8_t bl[3] = {0, 1, 2};
  uint64_t u64[3] = {1, 2, (uint64_t)1 << 40};
  double f64[3] = {0.5, -1.25, 3.0};
  ob_init_raw(m, "i8", ONNX_INT8, 1, (int64_t[]){3}, i8, sizeof i8);
  ob_init_raw(m, "u8", ONNX_UINT8, 1, (int64_t[]){3}, u8, sizeof u8);
  ob_init_raw(m, "i16", ONNX_INT16, 1, (int64_t[]){3}, i16, sizeof i16);
  ob_init_raw(m, "i32", ONNX_INT32, 1, (int64_t[]){3}, i32, sizeof i32);
  ob_init_raw(m, "bool", ONNX_BOOL, 1, (int64_t[]){3}, bl, sizeof bl);
  ob_init_raw(m, "u64", ONNX_UINT64, 1, (int64_t[]){3}, u64, sizeof u64);
  ob_init_raw(m, "f64", ONNX_DOUBLE, 1, (int64_t[]){3}, f64, sizeof f64);
  float w[4] = {1.5f, -2.0f, 0.25f, 8.0f};
  ob_init_f32(m, "raw_f32", 2, (int64_t[]){2, 2}, w);
  ob_set_typed_data(m, 1);
  ob_init_f32(m, "typed_f32", 2, (int64_t[]){2, 2}, w);
  ob_init_i64(m, "typed_i64", 1, (int64_t[]){2}, (int64_t[]){-7, 1LL << 50});
  ob_init_scalar_f32(m, "scalar", 3.5f);
  ob_node(m, "", "Relu", "", "x", "y");
  ir_graph *g = load(m, "inits.onnx");
  CHECK(g, "model with every initializer encoding does not load");
  if (!g) return;
  const ir_tensor *t;
  t = ir_find_tensor(g, "i8");
  CHECK(t && t->init && t->init->store == IR_I64 && t->init->i[0] == -5 && t->init->i[2] == 127,
        "int8 raw");
  t = ir_find_tensor(g, "u8");
  CHECK(t && t->init && t->init->i[1] == 200 && t->init->i[2] == 255, "uint8 raw");
  t = ir_find_tensor(g, "i16");
  CHECK(t && t->init && t->init->i[0] == -30000, "int16 raw");
  t = ir_find_tensor(g, "i32");
  CHECK(t && t->init && t->init->i[0] == -2000000000, "int32 raw");
  t = ir_find_tensor(g, "bool");
  CHECK(t && t->init && t->init->i[0] == 0 && t->init->i[2] == 1, "bool raw (2 -> true)");
  t = ir_find_tensor(g, "u64");
  CHECK(t && t->init && t->init->i[2] == (int64_t)1 << 40, "uint64 raw");
  t = ir_find_tensor(g, "f64");
  CHECK(t && t->init && t->init->store == IR_F32 && t->onnx_type == ONNX_FLOAT &&
            t->init->f[1] == -1.25f,
        "float64 raw converted to float32");
  t = ir_find_tensor(g, "raw_f32");
  CHECK(t && t->init && t->rank == 2 && t->dims[1] == 2 && t->init->f[3] == 8.0f, "float raw");
  t = ir_find_tensor(g, "typed_f32");
  CHECK(t && t->init && t->init->f[1] == -2.0f && t->init->f[2] == 0.25f, "float_data");
  t = ir_find_tensor(g, "typed_i64");
  CHECK(t && t->init && t->init->i[0] == -7 && t->init->i[1] == 1LL << 50, "int64_data");
  t = ir_find_tensor(g, "scalar");
  CHECK(t && t->init && t->rank == 0 && t->init->n == 1 && t->init->f[0] == 3.5f, "scalar");
  CHECK(g->nnodes == 1 && !strcmp(g->nodes[0]->name, "Relu_0"),
        "empty node name synthesised as OpType_N, got \"%s\"", g->nnodes ? g->nodes[0]->name : "");
  printf("ok   initializer encodings: int8..int64, uint8..uint64, bool, float64, raw and typed\n");
  ir_graph_free(g);
}

static void test_inputs_outputs(void) {
  ob_model *m = ob_new("io");
  ob_opset(m, "", 11);
  ob_opset(m, "onnx.brevitas", 1);
  ob_input(m, "x", ONNX_FLOAT, 3, (int64_t[]){-1, 4, 4}); /* dim_param "N" */
  float w[4] = {1, 2, 3, 4};
  ob_init_f32(m, "w", 1, (int64_t[]){4}, w);
  ob_input(m, "w", ONNX_FLOAT, 1, (int64_t[]){4}); /* initializer listed as input */
  Onnx__ValueInfoProto *out = ob_output(m, "y", ONNX_FLOAT, 3, (int64_t[]){1, 4, 4});
  /* UNSW-NB15 style: an output dimension written as 0 means unknown */
  out->type->tensor_type->shape->dim[0]->dim_value = 0;
  ob_node(m, "add", "Add", "", "x,w", "a");
  Onnx__NodeProto *q = ob_node(m, "q", "Quant", "onnx.brevitas", "a,s,z,b", "y");
  ob_init_scalar_f32(m, "s", 1.0f);
  ob_init_scalar_f32(m, "z", 0.0f);
  ob_init_scalar_f32(m, "b", 4.0f);
  ob_attr_int(m, q, "signed", 0);
  ob_annotate(m, "x", "finn_datatype", "UINT8");
  ob_annotate(m, "x", "tensor_layout", "['N', 'H', 'W']");
  ob_annotate(m, "y", "finn_datatype", "BIPOLAR");
  ir_graph *g = load(m, "io.onnx");
  CHECK(g, "io model does not load");
  if (!g) return;
  CHECK(g->opset == 11, "opset %lld", (long long)g->opset);
  CHECK(g->ninputs == 1 && !strcmp(g->inputs[0]->name, "x"),
        "initializer listed as graph input must not be a graph input (%d inputs)", g->ninputs);
  const ir_tensor *x = g->inputs[0], *y = g->outputs[0], *w2 = ir_find_tensor(g, "w");
  CHECK(w2 && !w2->is_input && w2->init, "w is a constant, not an input");
  CHECK(x->rank == 3 && x->dims[0] == -1 && x->dims[1] == 4, "dim_param -> -1");
  CHECK(y->rank == 3 && y->dims[0] == -1 && y->dims[2] == 4, "dim_value 0 -> -1 (unknown)");
  CHECK(x->dtype_annotated && x->dtype.kind == QDT_INT && x->dtype.bits == 8 &&
            !x->dtype.is_signed,
        "finn_datatype UINT8");
  CHECK(x->layout && !strcmp(x->layout, "['N', 'H', 'W']"), "tensor_layout kept");
  CHECK(y->dtype.kind == QDT_BIPOLAR, "finn_datatype BIPOLAR");
  const ir_node *qn = find_node(g, "Quant");
  CHECK(qn && qn->dom == IR_DOM_QONNX && !strcmp(qn->domain, "onnx.brevitas") &&
            !strcmp(qn->name, "q"),
        "domain string kept and mapped");
  CHECK(g->nnodes == 2 && g->nodes[0]->op_type[0] == 'A', "topological order");
  printf("ok   inputs/outputs: initializer-inputs dropped, unknown dims, annotations, "
         "domains\n");
  ir_graph_free(g);
}

static void test_attributes(void) {
  ob_model *m = base("attrs");
  Onnx__NodeProto *n = ob_node(m, "r", "Relu", "", "x", "y");
  ob_attr_int(m, n, "i", -3);
  ob_attr_float(m, n, "f", 0.75f);
  ob_attr_str(m, n, "s", "HALF_UP");
  ob_attr_ints(m, n, "ints", 3, (int64_t[]){1, -2, 3});
  ob_attr_floats(m, n, "floats", 2, (float[]){0.5f, 1.5f});
  ob_attr_strs(m, n, "strs", 2, (const char *const[]){"N", "C"});
  ob_attr_tensor(m, n, "t", ob_tensor_i64(m, "tv", 1, (int64_t[]){2}, (int64_t[]){4, 5}));
  ob_attr_graph(m, n, "body", "sub");
  ir_graph *g = load(m, "attrs.onnx");
  CHECK(g, "attribute model does not load");
  if (!g) return;
  const ir_node *r = g->nodes[0];
  const ir_attr *a;
  CHECK(ir_attr_int(r, "i", 0) == -3, "int attribute");
  CHECK(ir_attr_float(r, "f", 0) == 0.75f, "float attribute");
  CHECK(!strcmp(ir_attr_str(r, "s", ""), "HALF_UP"), "string attribute");
  a = ir_attr_find(r, "ints");
  CHECK(a && a->kind == IR_ATTR_INTS && a->n == 3 && a->ints[1] == -2, "ints attribute");
  a = ir_attr_find(r, "floats");
  CHECK(a && a->kind == IR_ATTR_FLOATS && a->n == 2 && a->floats[1] == 1.5f, "floats");
  a = ir_attr_find(r, "strs");
  CHECK(a && a->kind == IR_ATTR_STRINGS && a->n == 2 && !strcmp(a->strings[1], "C"),
        "strings attribute");
  a = ir_attr_find(r, "t");
  CHECK(a && a->kind == IR_ATTR_TENSOR && a->t && a->t->store == IR_I64 && a->t->i[1] == 5,
        "tensor attribute");
  a = ir_attr_find(r, "body");
  CHECK(a && a->kind == IR_ATTR_OTHER, "graph attribute kept by name as OTHER");
  printf("ok   attributes: int, float, string, ints, floats, strings, tensor, graph\n");
  ir_graph_free(g);
}

/* Identity at the output keeps the output's name; Dropout and an Identity in
 * the middle go; Constant, Cast of a constant and a Shape chain fold; the
 * Quant on the weight stays. */
static void test_cleanup(void) {
  ob_model *m = ob_new("cleanup");
  ob_opset(m, "", 13);
  ob_opset(m, "qonnx.custom_op.general", 1);
  ob_input(m, "x", ONNX_FLOAT, 4, (int64_t[]){1, 2, 2, 2});
  ob_output(m, "y", ONNX_FLOAT, 2, (int64_t[]){1, 3});
  float w[24];
  for (int i = 0; i < 24; i++) w[i] = (float)(i % 5) - 2.0f;
  ob_init_f32(m, "w", 2, (int64_t[]){8, 3}, w);
  ob_init_scalar_f32(m, "s", 1.0f);
  ob_init_scalar_f32(m, "z", 0.0f);
  ob_init_scalar_f32(m, "b", 2.0f);
  Onnx__NodeProto *c = ob_node(m, "Const", "Constant", "", "", "m1f");
  ob_attr_tensor(m, c, "value", ob_tensor_f32(m, "", 1, (int64_t[]){1}, (float[]){-1.0f}));
  Onnx__NodeProto *cast = ob_node(m, "Cast", "Cast", "", "m1f", "m1");
  ob_attr_int(m, cast, "to", ONNX_INT64);
  ob_node(m, "Shape", "Shape", "", "x", "shp");
  ob_init_i64(m, "zero", 0, NULL, (int64_t[]){0});
  ob_node(m, "Gather", "Gather", "", "shp,zero", "n");
  ob_init_i64(m, "axes", 1, (int64_t[]){1}, (int64_t[]){0});
  ob_node(m, "Unsq", "Unsqueeze", "", "n,axes", "n1");
  Onnx__NodeProto *cc = ob_node(m, "Concat", "Concat", "", "n1,m1", "newshape");
  ob_attr_int(m, cc, "axis", 0);
  ob_node(m, "Drop", "Dropout", "", "x", "xd");
  ob_node(m, "Reshape", "Reshape", "", "xd,newshape", "flat");
  ob_node(m, "Id1", "Identity", "", "flat", "flat2");
  Onnx__NodeProto *q = ob_node(m, "QuantW", "Quant", "qonnx.custom_op.general", "w,s,z,b",
                               "qw");
  ob_attr_int(m, q, "signed", 1);
  ob_node(m, "MatMul", "MatMul", "", "flat2,qw", "mm");
  ob_node(m, "Id2", "Identity", "", "mm", "y");
  ir_graph *g = load(m, "cleanup.onnx");
  CHECK(g, "cleanup model does not load");
  if (!g) return;
  CHECK(ir_verify(g, "load") == 0, "verify after load");
  CHECK(fe_cleanup(g) == 0, "cleanup fails");
  static const char *const gone[] = {"Constant", "Cast", "Shape", "Gather", "Unsqueeze",
                                     "Concat", "Dropout", "Identity"};
  for (size_t k = 0; k < sizeof gone / sizeof gone[0]; k++)
    CHECK(!find_node(g, gone[k]), "%s left after cleanup", gone[k]);
  const ir_node *qn = find_node(g, "Quant"), *mm = find_node(g, "MatMul");
  const ir_node *rs = find_node(g, "Reshape");
  CHECK(qn && !qn->out[0]->init, "Quant on the weight must stay (not folded)");
  CHECK(rs && rs->in[0] == g->inputs[0] && rs->in[1]->init && rs->in[1]->init->n == 2 &&
            rs->in[1]->init->i[0] == 1 && rs->in[1]->init->i[1] == -1,
        "Reshape gets the folded shape {1,-1} straight from x");
  CHECK(mm && mm->out[0] == g->outputs[0] && !strcmp(g->outputs[0]->name, "y"),
        "output keeps its name through the removed Identity");
  CHECK(mm && mm->out[0]->rank == 2 && mm->out[0]->dims[0] == 1 && mm->out[0]->dims[1] == 3,
        "shape inference: MatMul output [1,3]");
  CHECK(g->nnodes == 3, "3 nodes after cleanup, got %d", g->nnodes);
  printf("ok   cleanup: Constant/Cast/Shape/Gather/Unsqueeze/Concat folded, Dropout and "
         "Identity removed, weight Quant kept, %d nodes left\n", g->nnodes);
  ir_graph_free(g);
}

/* A Shape of a tensor with an unknown dimension cannot be folded. */
static void test_shape_not_folded(void) {
  ob_model *m = ob_new("dynshape");
  ob_opset(m, "", 13);
  ob_input(m, "x", ONNX_FLOAT, 2, (int64_t[]){-1, 4});
  ob_output(m, "y", ONNX_INT64, 1, (int64_t[]){2});
  ob_node(m, "Shape", "Shape", "", "x", "y");
  ir_graph *g = load(m, "dynshape.onnx");
  CHECK(g && fe_cleanup(g) == 0, "dynamic-shape model");
  CHECK(g && find_node(g, "Shape"), "Shape of [?,4] must stay");
  ir_graph_free(g);
  printf("ok   Shape of a partly unknown shape stays\n");
}

static void test_verify(void) {
  ob_model *m = base("verify");
  ob_node(m, "A", "Relu", "", "x", "a");
  ob_node(m, "B", "Sigmoid", "", "a", "y");
  ir_graph *g = load(m, "verify.onnx");
  CHECK(g && ir_verify(g, "load") == 0, "good graph verifies");
  if (!g) return;
  /* Swap the nodes: B now reads a value produced later. */
  ir_node *t = g->nodes[0];
  g->nodes[0] = g->nodes[1];
  g->nodes[1] = t;
  g->nodes[0]->id = 0;
  g->nodes[1]->id = 1;
  printf("     (one expected error line follows)\n");
  fflush(stdout);
  CHECK(ir_verify(g, "swap") == -1, "verify must catch a use before its definition");
  CHECK(ir_toposort(g) == 0 && ir_verify(g, "toposort") == 0, "toposort repairs the order");
  /* A tensor nobody produces. */
  ir_tensor *orphan = ir_new_tensor(g, "orphan");
  g->nodes[1]->in[0] = orphan;
  printf("     (one expected error line follows)\n");
  fflush(stdout);
  CHECK(ir_verify(g, "orphan") == -1, "verify must catch an input without a value");
  ir_graph_free(g);
  CHECK(qr_dump_after(NULL, "load", NULL) == 0, "no --dump-after");
  CHECK(qr_dump_after("cleanup", "load", NULL) == 0, "other stage: nothing printed");
  printf("     (one expected usage line follows)\n");
  fflush(stdout);
  CHECK(qr_dump_after("lunch", "load", NULL) == -1, "unknown stage name is an error");
  CHECK(qr_dump_stage_valid("load") && qr_dump_stage_valid("cleanup") &&
            !qr_dump_stage_valid("lunch"),
        "stage names");
  printf("ok   verifier catches use-before-def and missing values; dump stage names\n");
}

static void test_tensor_pb(void) {
  ob_model *m = ob_new("pb");
  float v[6] = {1, -2, 3.5f, 4, 5, 6};
  Onnx__TensorProto *tp = ob_tensor_f32(m, "input", 2, (int64_t[]){2, 3}, v);
  size_t len = onnx__tensor_proto__get_packed_size(tp);
  uint8_t buf[256];
  int ok = len <= sizeof buf;
  if (ok) onnx__tensor_proto__pack(tp, buf);
  const char *path = "test_frontend_unit_tensor.pb";
  ok = ok && ob_write_file_atomic(path, buf, len) == 0;
  ob_free(m);
  CHECK(ok, "could not write %s", path);
  ir_arena *a = ir_arena_new();
  ir_buf *b = ok ? fe_read_tensor_pb(a, path) : NULL;
  CHECK(b && b->rank == 2 && b->dims[0] == 2 && b->dims[1] == 3 && b->f[2] == 3.5f,
        "TensorProto read back");
  ir_arena_free(a);
  remove(path);
  printf("ok   TensorProto file read back\n");
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  test_initializer_encodings();
  test_inputs_outputs();
  test_attributes();
  test_cleanup();
  test_shape_not_folded();
  test_verify();
  test_tensor_pb();
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
