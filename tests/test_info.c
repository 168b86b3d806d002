/* test_info.c - `qonnx-rtl info` figures and datatype inference.
 *
 *   test_info tfc QONNX-RTL SHARED   the shipped TFC_1W1A/1W2A/2W2A give the QONNX
 *                                    paper's Table III figures (skips without shared/)
 *   test_info examples QONNX-RTL     example tfc-* give the same; example cnv-w2a2
 *                                    against the paper's CNV-w2a2 and qonnx's own
 *                                    reference; per-layer MACs from the topology
 *   test_info dtypes                 inference rules on small hand-built models
 *
 * Reference figures: QONNX paper (Pappalardo et al. 2022) Table III — TFC
 * 59,008 MACs; BOPs 59,008 / 118,016 / 236,032; weight bits 59,008 / 59,008 /
 * 118,016; CNV-w2a2 57,906,176 MACs, 331,157,504 BOPs — and qonnx's
 * tests/analysis/test_inference_cost.py (CNV_W2A2 dense: 59,461,376 MACs,
 * 256,507,904 BOPs, 3,085,696 weight bits; TFC_W2A2 sparse: 22,355 MACs,
 * 89,420 BOPs, 44,710 weight bits). */
#include "frontend/onnx_build.h"
#include "ir/dtype_infer.h"
#include "ir/json.h"
#include "tests/test_example_util.h"

/* ------------------------------------------------------- info --json -- */

typedef struct jdoc {
  ir_arena *a;
  json_value *root;
} jdoc;

static jdoc info_json(const char *exe, const char *model, const char *opts) {
  jdoc d = {ir_arena_new(), NULL};
  char *out = NULL;
  int rc = t_run(&out, "%s info --json %s '%s'", exe, opts, model);
  check(rc == 0, "info --json %s %s exits 0 (got %d)", opts, model, rc);
  if (rc == 0) d.root = json_parse(d.a, out, strlen(out), "info output");
  check(d.root != NULL, "info --json %s output parses", model);
  free(out);
  return d;
}

/* The number at path "total.macs", "total.op_mac.INT2_INT2", ...; NaN if absent. */
static double jnum(const jdoc *d, const char *path) {
  const json_value *v = d->root;
  char buf[256];
  snprintf(buf, sizeof buf, "%s", path);
  for (char *save = NULL, *k = strtok_r(buf, ".", &save); k && v; k = strtok_r(NULL, ".", &save)) {
    const json_member *m = v->type == JSON_OBJECT ? json_find(v, k) : NULL;
    v = m ? m->value : NULL;
  }
  return v && v->type == JSON_NUMBER ? v->number : NAN;
}

static const json_value *jget(const jdoc *d, const char *key) {
  const json_member *m = d->root ? json_find(d->root, key) : NULL;
  return m ? m->value : NULL;
}

static void expect(const jdoc *d, const char *what, const char *path, double want) {
  double got = jnum(d, path);
  check(got == want, "%s: %s = %.0f (want %.0f)", what, path, got, want);
  if (got == want) printf("  %-28s %s = %.0f\n", what, path, got);
}

/* MACs of every layer, in order, must be these. */
static void expect_layer_macs(const jdoc *d, const char *what, const double *macs, int n) {
  const json_value *L = jget(d, "layers");
  check(L && L->type == JSON_ARRAY && (int)L->len == n, "%s: %d MAC layers (got %d)", what, n,
        L ? (int)L->len : -1);
  for (int i = 0; L && i < n && i < (int)L->len; i++) {
    const json_member *m = json_find(L->items[i], "macs");
    check(m && m->value->number == macs[i], "%s: layer %d has %.0f MACs (got %.0f)", what, i,
          macs[i], m ? m->value->number : -1);
  }
}

static void paper_tfc(const char *exe, const char *model, const char *what, int wbits,
                      int abits) {
  static const double layer_macs[4] = {784 * 64, 64 * 64, 64 * 64, 64 * 10};
  jdoc d = info_json(exe, model, "");
  expect(&d, what, "total.macs", 59008);
  expect(&d, what, "total.bops", 59008.0 * wbits * abits);
  expect(&d, what, "total.weight_bits", 59008.0 * wbits);
  expect(&d, what, "total.weight_elems", 59008);
  expect_layer_macs(&d, what, layer_macs, 4);
  ir_arena_free(d.a);
}

static int test_tfc(const char *exe, const char *shared) {
  static const char *const names[3] = {"TFC_1W1A", "TFC_1W2A", "TFC_2W2A"};
  static const int wb[3] = {1, 1, 2}, ab[3] = {1, 2, 2};
  char path[1024];
  snprintf(path, sizeof path, "%s/models/mnist-tfc/TFC_2W2A.onnx", shared);
  if (!t_file_exists(path)) {
    printf("SKIP: %s not found (needs the shared/ folder)\n", path);
    return 77;
  }
  for (int i = 0; i < 3; i++) {
    snprintf(path, sizeof path, "%s/models/mnist-tfc/%s.onnx", shared, names[i]);
    paper_tfc(exe, path, names[i], wb[i], ab[i]);
  }
  /* qonnx's default (discount_sparsity) figures for the same model */
  snprintf(path, sizeof path, "%s/models/mnist-tfc/TFC_2W2A.onnx", shared);
  jdoc d = info_json(exe, path, "");
  expect(&d, "TFC_2W2A nonzero", "total.macs_nonzero", 22355);
  expect(&d, "TFC_2W2A nonzero", "total.bops_nonzero", 89420);
  expect(&d, "TFC_2W2A nonzero", "total.weight_bits_nonzero", 44710);
  ir_arena_free(d.a);
  d = info_json(exe, path, "--qonnx");
  expect(&d, "TFC_2W2A --qonnx", "total.out_bits", 202 * 32); /* INT32 accumulators */
  ir_arena_free(d.a);
  /* the readable table */
  char *out = NULL;
  int rc = t_run(&out, "%s info '%s'", exe, path);
  check(rc == 0 && strstr(out, "59,008") && strstr(out, "236,032") && strstr(out, "MatMul") &&
            strstr(out, "INT2"),
        "the table shows the totals with separators, layers and dtypes");
  free(out);
  return t_report("test_info tfc");
}

/* ------------------------------------------------------------ examples -- */

/* MACs of the CNV convs from the topology: OC * IC * 9 * OH * OW. */
static void cnv_layer_macs(double *macs) {
  static const int oc[6] = {64, 64, 128, 128, 256, 256}, pool[6] = {0, 1, 0, 1, 0, 0};
  int ic = 3, hw = 32, k = 0;
  for (int l = 0; l < 6; l++) {
    hw -= 2;
    macs[k++] = (double)oc[l] * ic * 9 * hw * hw;
    if (pool[l]) hw /= 2;
    ic = oc[l];
  }
  macs[k++] = 256 * 512, macs[k++] = 512 * 512, macs[k++] = 512 * 10;
}

static int test_examples(const char *exe) {
  char *dir = t_mkdtemp("info");
  char path[1024];
  static const char *const tfc[3] = {"tfc-w1a1", "tfc-w1a2", "tfc-w2a2"};
  static const int wb[3] = {1, 1, 2}, ab[3] = {1, 2, 2};
  for (int i = 0; i < 3; i++) {
    snprintf(path, sizeof path, "%s/%s.onnx", dir, tfc[i]);
    int rc = t_run(NULL, "%s -q example %s -o '%s'", exe, tfc[i], path);
    check(rc == 0, "example %s", tfc[i]);
    paper_tfc(exe, path, tfc[i], wb[i], ab[i]);
  }
  double macs[9], total = 0;
  cnv_layer_macs(macs);
  for (int i = 0; i < 9; i++) total += macs[i];
  static const char *const cnv[2] = {"cnv-w2a2", "cnv-w1a1"};
  for (int i = 0; i < 2; i++) {
    int bits = i ? 1 : 2; /* weight and activation bits */
    snprintf(path, sizeof path, "%s/%s.onnx", dir, cnv[i]);
    int rc = t_run(NULL, "%s -q example %s -o '%s'", exe, cnv[i], path);
    check(rc == 0, "example %s", cnv[i]);
    jdoc d = info_json(exe, path, "");
    const char *ii = i ? "total.op_mac.BIPOLAR_BIPOLAR" : "total.op_mac.INT2_INT2";
    const char *fi = i ? "total.op_mac.SCALEDINT<8>_BIPOLAR" : "total.op_mac.SCALEDINT<8>_INT2";
    expect_layer_macs(&d, cnv[i], macs, 9);
    expect(&d, cnv[i], "total.macs", total);
    expect(&d, cnv[i], ii, total - macs[0]);       /* the paper's "MACs" */
    expect(&d, cnv[i], fi, macs[0]);               /* first layer: 8-bit scaled input */
    expect(&d, cnv[i], "total.bops", 8.0 * bits * macs[0] + bits * bits * (total - macs[0]));
    expect(&d, cnv[i], "total.weight_bits", 1542848.0 * bits);
    ir_arena_free(d.a);
    /* as qonnx counted when the paper was written: scaled input = FLOAT32 */
    d = info_json(exe, path, "--qonnx --no-scaledint");
    fi = i ? "total.op_mac.FLOAT32_BIPOLAR" : "total.op_mac.FLOAT32_INT2";
    expect(&d, cnv[i], fi, macs[0]);
    expect(&d, cnv[i], "total.bops", 32.0 * bits * macs[0] + bits * bits * (total - macs[0]));
    ir_arena_free(d.a);
  }
  /* the published figures themselves */
  snprintf(path, sizeof path, "%s/cnv-w2a2.onnx", dir);
  jdoc d = info_json(exe, path, "");
  expect(&d, "CNV-w2a2 (paper MACs)", "total.op_mac.INT2_INT2", 57906176);
  expect(&d, "CNV-w2a2 (qonnx dense)", "total.macs", 59461376);
  expect(&d, "CNV-w2a2 (qonnx dense)", "total.bops", 256507904);
  expect(&d, "CNV-w2a2 (qonnx dense)", "total.weight_bits", 3085696);
  ir_arena_free(d.a);
  d = info_json(exe, path, "--qonnx --no-scaledint");
  expect(&d, "CNV-w2a2 (paper BOPs)", "total.bops", 331157504);
  ir_arena_free(d.a);
  /* errors */
  char *out = NULL;
  int rc = t_run(&out, "%s info '%s/missing.onnx' 2>&1", exe, dir);
  check(rc == 1 && strstr(out, "qonnx-rtl: ") && strstr(out, "missing.onnx"),
        "info on a missing file: exit 1 and a message naming it (got %d: %s)", rc, out);
  free(out);
  rc = t_run(NULL, "%s info --bogus '%s' 2>/dev/null", exe, path);
  check(rc == 2, "info with an unknown option exits 2");
  t_rmdir(dir);
  return t_report("test_info examples");
}

/* -------------------------------------------------------------- dtypes -- */

static char *g_dir;

static ir_graph *load_model(ob_model *m, const char *name) {
  ir_graph *g = t_write_load(m, g_dir, name);
  ob_free(m);
  return g;
}

static void want_dt(const ir_graph *g, const char *tensor, const char *want) {
  const ir_tensor *t = ir_find_tensor(g, tensor);
  ir_arena *a = ir_arena_new();
  const char *got = t ? ir_dtype_name(a, t->dtype) : "(no such tensor)";
  check(!strcmp(got, want), "%s: %s is %s (want %s)", g->name, tensor, got, want);
  ir_arena_free(a);
}

static ob_model *new_model(const char *name) {
  ob_model *m = ob_new(name);
  ob_opset(m, "", 13);
  ob_opset(m, "qonnx.custom_op.general", 1);
  return m;
}

static void quant(ob_model *m, const char *x, const char *out, float scale, float zp,
                  float bits, int sgn, int narrow) {
  ob_init_scalar_f32(m, ir_sprintf(ob_arena(m), "%s.s", out), scale);
  ob_init_scalar_f32(m, ir_sprintf(ob_arena(m), "%s.z", out), zp);
  ob_init_scalar_f32(m, ir_sprintf(ob_arena(m), "%s.b", out), bits);
  Onnx__NodeProto *n = ob_node(m, ir_sprintf(ob_arena(m), "Q_%s", out), "Quant",
                               "qonnx.custom_op.general",
                               ir_sprintf(ob_arena(m), "%s,%s.s,%s.z,%s.b", x, out, out, out), out);
  ob_attr_int(m, n, "signed", sgn);
  ob_attr_int(m, n, "narrow", narrow);
}

/* Quantizers: Quant in its variants, BipolarQuant, MultiThreshold, Trunc. */
static void dtypes_quant(void) {
  ob_model *m = new_model("quantizers");
  ob_input(m, "x", ONNX_FLOAT, 2, (int64_t[]){1, 4});
  quant(m, "x", "q_int3n", 1, 0, 3, 1, 1);
  quant(m, "x", "q_uint3", 1, 0, 3, 0, 0);
  quant(m, "x", "q_bip", 1, 0, 1, 1, 0);
  quant(m, "x", "q_bin", 1, 0, 1, 0, 0);
  quant(m, "x", "q_scaled", 0.5f, 0, 3, 1, 0);
  quant(m, "x", "q_zp", 1, 1, 3, 1, 0);
  ob_init_scalar_f32(m, "one", 1.0f);
  ob_init_scalar_f32(m, "two", 2.0f);
  ob_node(m, "BQ1", "BipolarQuant", "qonnx.custom_op.general", "x,one", "bq_unit");
  ob_node(m, "BQ2", "BipolarQuant", "qonnx.custom_op.general", "x,two", "bq_scaled");
  float th[4 * 3] = {0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2};
  ob_init_f32(m, "th", 2, (int64_t[]){4, 3}, th);
  Onnx__NodeProto *n = ob_node(m, "MT1", "MultiThreshold", "qonnx.custom_op.general", "x,th", "mt_u2");
  ob_attr_str(m, n, "out_dtype", "UINT2");
  n = ob_node(m, "MT2", "MultiThreshold", "qonnx.custom_op.general", "x,th", "mt_half");
  ob_attr_str(m, n, "out_dtype", "UINT2");
  ob_attr_float(m, n, "out_scale", 0.5f);
  /* Trunc v2: X, scale, zeropt, in_bits, out_scale, out_bits */
  ob_init_scalar_f32(m, "zero", 0.0f);
  ob_init_scalar_f32(m, "eight", 8.0f);
  ob_init_scalar_f32(m, "four", 4.0f);
  n = ob_node(m, "TR", "Trunc", "qonnx.custom_op.general", "q_uint3,one,zero,eight,one,four",
              "trunc_u4");
  ob_attr_int(m, n, "signed", 0);
  const char *outs[] = {"q_int3n", "q_uint3", "q_bip",   "q_bin",  "q_scaled", "q_zp",
                        "bq_unit", "bq_scaled", "mt_u2", "mt_half", "trunc_u4"};
  for (size_t i = 0; i < sizeof outs / sizeof outs[0]; i++)
    ob_output(m, outs[i], ONNX_FLOAT, 2, (int64_t[]){1, 4});
  ir_graph *g = load_model(m, "quantizers.onnx");
  if (!g) return;
  want_dt(g, "q_int3n", "NINT3");
  want_dt(g, "q_uint3", "UINT3");
  want_dt(g, "q_bip", "BIPOLAR");
  want_dt(g, "q_bin", "BINARY");
  want_dt(g, "q_scaled", "SCALEDINT3");
  want_dt(g, "q_zp", "FLOAT32");
  want_dt(g, "bq_unit", "BIPOLAR");
  want_dt(g, "bq_scaled", "SCALEDINT1");
  want_dt(g, "mt_u2", "UINT2");
  want_dt(g, "mt_half", "FLOAT32");
  want_dt(g, "trunc_u4", "UINT4");
  /* qonnx's rules: narrow not part of the type, scaled BipolarQuant FLOAT32,
   * Trunc FLOAT32; without SCALEDINT scaled Quant is FLOAT32 */
  ir_dtype_opts o = {true, true};
  ir_infer_dtypes_opts(g, &o);
  want_dt(g, "q_int3n", "INT3");
  want_dt(g, "bq_scaled", "FLOAT32");
  want_dt(g, "trunc_u4", "FLOAT32");
  want_dt(g, "q_scaled", "SCALEDINT3");
  o.scaledint = false;
  ir_infer_dtypes_opts(g, &o);
  want_dt(g, "q_scaled", "FLOAT32");
  ir_graph_free(g);
}

/* Integer-valued initializers get the smallest type (qonnx's order). */
static void dtypes_inits(void) {
  ob_model *m = new_model("initializers");
  ob_input(m, "x", ONNX_FLOAT, 1, (int64_t[]){3});
  struct {
    const char *name;
    float v[3];
    const char *want;
  } c[] = {{"c_binary", {0, 1, 1}, "BINARY"},   {"c_bipolar", {-1, 1, 1}, "BIPOLAR"},
           {"c_ternary", {-1, 0, 1}, "TERNARY"}, {"c_uint3", {0, 5, 2}, "UINT3"},
           {"c_int3", {-3, 3, 0}, "INT3"},       {"c_int8", {-127, 127, 3}, "INT8"},
           {"c_float", {0.5f, 1, 2}, "FLOAT32"}};
  int n = sizeof c / sizeof c[0];
  for (int i = 0; i < n; i++) {
    ob_init_f32(m, c[i].name, 1, (int64_t[]){3}, c[i].v);
    const char *o = ir_sprintf(ob_arena(m), "o%d", i);
    ob_node(m, ir_sprintf(ob_arena(m), "Add_%d", i), "Add", "", ir_sprintf(ob_arena(m), "x,%s", c[i].name), o);
    ob_output(m, o, ONNX_FLOAT, 1, (int64_t[]){3});
  }
  ir_graph *g = load_model(m, "initializers.onnx");
  if (!g) return;
  for (int i = 0; i < n; i++) want_dt(g, c[i].name, c[i].want);
  want_dt(g, "o0", "FLOAT32"); /* float input + integer constant */
  ir_dtype_opts o = {true, true};
  ir_infer_dtypes_opts(g, &o);
  want_dt(g, "c_int8", "FLOAT32"); /* qonnx: unannotated constants are FLOAT32 */
  ir_graph_free(g);
}

/* Exact ranges through MAC-like and layout ops; annotations respected. */
static void dtypes_ranges(void) {
  ob_model *m = new_model("ranges");
  ob_input(m, "a", ONNX_FLOAT, 2, (int64_t[]){1, 2});   /* INT4: -8..7 */
  ob_input(m, "u", ONNX_FLOAT, 2, (int64_t[]){1, 2});   /* UINT2: 0..3 */
  ob_annotate(m, "a", "finn_datatype", "INT4");
  ob_annotate(m, "u", "finn_datatype", "UINT2");
  ob_init_f32(m, "w", 2, (int64_t[]){2, 2}, (float[]){1, -2, 3, 0});
  ob_init_scalar_f32(m, "three", 3.0f);
  ob_node(m, "MM", "MatMul", "", "a,w", "mm");          /* [-32, 28]: INT6 */
  ob_node(m, "AD", "Add", "", "a,u", "add");            /* [-8, 10]: INT5 */
  ob_node(m, "SB", "Sub", "", "u,u", "sub");            /* [-3, 3]: INT3 */
  ob_node(m, "ML", "Mul", "", "a,three", "mul");        /* [-24, 21]: INT6 */
  ob_node(m, "RL", "Relu", "", "a", "relu");            /* [0, 7]: UINT3 */
  ob_attr_ints(m, ob_node(m, "TP", "Transpose", "", "a", "tr"), "perm", 2, (int64_t[]){1, 0});
  ob_attr_int(m, ob_node(m, "CC", "Concat", "", "a,u", "cat"), "axis", 1); /* INT4 */
  ob_node(m, "MM2", "MatMul", "", "a,w", "mm_annot");
  ob_annotate(m, "mm_annot", "finn_datatype", "INT8"); /* respected */
  ob_init_f32(m, "bn_s", 1, (int64_t[]){2}, (float[]){1, 1});
  ob_init_f32(m, "bn_b", 1, (int64_t[]){2}, (float[]){0, 0});
  ob_node(m, "BN", "BatchNormalization", "", "mm,bn_s,bn_b,bn_b,bn_s", "bn");
  quant(m, "bn", "q_after_bn", 1, 0, 4, 1, 0);
  ob_annotate(m, "q_after_bn", "finn_datatype", "FLOAT32"); /* "nothing known": re-inferred */
  const char *outs[] = {"mm", "add", "sub", "mul", "relu", "tr", "cat", "mm_annot", "q_after_bn"};
  for (size_t i = 0; i < sizeof outs / sizeof outs[0]; i++) ob_output(m, outs[i], ONNX_FLOAT, -1, NULL);
  ir_graph *g = load_model(m, "ranges.onnx");
  if (!g) return;
  want_dt(g, "a", "INT4");
  want_dt(g, "mm", "INT6");
  want_dt(g, "add", "INT5");
  want_dt(g, "sub", "INT3");
  want_dt(g, "mul", "INT6");
  want_dt(g, "relu", "UINT3");
  want_dt(g, "tr", "INT4");
  want_dt(g, "cat", "INT4");
  want_dt(g, "mm_annot", "INT8");
  want_dt(g, "bn", "FLOAT32");
  want_dt(g, "q_after_bn", "INT4");
  ir_dtype_opts o = {true, true};
  ir_infer_dtypes_opts(g, &o);
  want_dt(g, "mm", "FLOAT32"); /* qonnx: the unannotated constant w is FLOAT32 */
  want_dt(g, "add", "INT32");
  want_dt(g, "relu", "FLOAT32");
  want_dt(g, "tr", "INT4");
  ir_graph_free(g);
}

/* Div by a constant: integers when the divisor divides every value the
 * lattice allows.  (x_bipolar + 1) / 2 is {0, 1} (UNSW-NB15's input). */
static void dtypes_div(void) {
  ob_model *m = new_model("div");
  ob_input(m, "b", ONNX_FLOAT, 2, (int64_t[]){1, 4});
  ob_input(m, "u", ONNX_FLOAT, 2, (int64_t[]){1, 4});
  ob_annotate(m, "b", "finn_datatype", "BIPOLAR");
  ob_annotate(m, "u", "finn_datatype", "UINT2");
  ob_init_scalar_f32(m, "one", 1.0f);
  ob_init_scalar_f32(m, "two", 2.0f);
  ob_init_scalar_f32(m, "four", 4.0f);
  ob_init_scalar_f32(m, "mtwo", -2.0f);
  ob_node(m, "A1", "Add", "", "b,one", "b1");      /* {0, 2}: UINT2 */
  ob_node(m, "D1", "Div", "", "b1,two", "bin");    /* {0, 1}: BINARY */
  ob_node(m, "D2", "Div", "", "b1,four", "quarter"); /* {0, 0.5}: FLOAT32 */
  ob_node(m, "D3", "Div", "", "u,two", "u_half");  /* 0..3 / 2: FLOAT32 */
  ob_node(m, "M1", "Mul", "", "u,four", "u4");     /* {0, 4, 8, 12}: UINT4 */
  ob_node(m, "S1", "Sub", "", "u4,four", "u4m");   /* {-4, 0, 4, 8}: INT5 */
  ob_node(m, "D4", "Div", "", "u4m,mtwo", "neg");  /* {2, 0, -2, -4}: INT3 */
  ob_node(m, "A2", "Add", "", "u4,u", "mixed");    /* lattice lost: 0..15 */
  ob_node(m, "D5", "Div", "", "mixed,two", "mixed_half"); /* FLOAT32 */
  ob_node(m, "RL", "Relu", "", "u4m", "relu");     /* {0, 4, 8}: 0 is on the lattice */
  ob_node(m, "D6", "Div", "", "relu,four", "relu_q"); /* {0, 1, 2}: UINT2 */
  ob_node(m, "D7", "Div", "", "b,one", "b_same");  /* {-1, 1}: BIPOLAR */
  const char *outs[] = {"bin", "quarter", "u_half", "neg", "mixed_half", "relu_q", "b_same"};
  for (size_t i = 0; i < sizeof outs / sizeof outs[0]; i++) ob_output(m, outs[i], ONNX_FLOAT, -1, NULL);
  ir_graph *g = load_model(m, "div.onnx");
  if (!g) return;
  want_dt(g, "b1", "UINT2");
  want_dt(g, "bin", "BINARY");
  want_dt(g, "quarter", "FLOAT32");
  want_dt(g, "u_half", "FLOAT32");
  want_dt(g, "u4", "UINT4");
  want_dt(g, "neg", "INT3");
  want_dt(g, "mixed_half", "FLOAT32");
  want_dt(g, "relu_q", "UINT2");
  want_dt(g, "b_same", "BIPOLAR");
  ir_dtype_opts o = {true, true};
  ir_infer_dtypes_opts(g, &o);
  want_dt(g, "bin", "FLOAT32"); /* qonnx types Div FLOAT32 */
  ir_graph_free(g);
}

/* Conv with padding, groups and an integer bias: range per output channel. */
static void dtypes_conv(void) {
  ob_model *m = new_model("conv");
  ob_input(m, "x", ONNX_FLOAT, 4, (int64_t[]){1, 2, 3, 3});
  ob_annotate(m, "x", "finn_datatype", "UINT8"); /* 0..255 */
  /* 2 groups, 1 input channel each: out0 taps sum |w| = 9 (all +1), out1 = all -2 */
  float w[2 * 1 * 3 * 3];
  for (int i = 0; i < 9; i++) w[i] = 1, w[9 + i] = -2;
  ob_init_f32(m, "w", 4, (int64_t[]){2, 1, 3, 3}, w);
  ob_init_f32(m, "b", 1, (int64_t[]){2}, (float[]){3, -1});
  Onnx__NodeProto *n = ob_node(m, "CV", "Conv", "", "x,w,b", "y");
  ob_attr_int(m, n, "group", 2);
  ob_attr_ints(m, n, "kernel_shape", 2, (int64_t[]){3, 3});
  ob_attr_ints(m, n, "pads", 4, (int64_t[]){1, 1, 1, 1});
  ob_output(m, "y", ONNX_FLOAT, -1, NULL);
  ir_graph *g = load_model(m, "conv.onnx");
  if (!g) return;
  /* out0: [0 + 3, 9 * 255 + 3] = [3, 2298]; out1: [-2*9*255 - 1, -1] = [-4591, -1]:
   * hull [-4591, 2298] -> INT14 (-8192..8191); INT13 (-4096..4095) is too small */
  want_dt(g, "y", "INT14");
  ir_graph_free(g);
}

static int test_dtypes(void) {
  g_dir = t_mkdtemp("info_dtypes");
  dtypes_quant();
  dtypes_inits();
  dtypes_ranges();
  dtypes_div();
  dtypes_conv();
  t_rmdir(g_dir);
  return t_report("test_info dtypes");
}

int main(int argc, char **argv) {
  ir_verbosity = 0;
  if (argc >= 4 && !strcmp(argv[1], "tfc")) return test_tfc(argv[2], argv[3]);
  if (argc >= 3 && !strcmp(argv[1], "examples")) return test_examples(argv[2]);
  if (argc >= 2 && !strcmp(argv[1], "dtypes")) return test_dtypes();
  fprintf(stderr, "usage: test_info tfc QONNX-RTL SHARED | examples QONNX-RTL | dtypes\n");
  return 2;
}
