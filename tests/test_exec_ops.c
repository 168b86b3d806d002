/* test_exec_ops.c - FloatQuant and MultiThreshold against numbers computed by
 * qonnx's own code (tests/ops_refs.py run in the qonnx venv prints the tables
 * below; rerun it rather than editing them), and the element-wise ops' numpy
 * broadcasting, integer semantics (Div truncates, Cast wraps), Clip forms and
 * shape-rule diagnostics. */
#include <math.h>

#include "ir/ops_util.h"
#include "tests/test_exec_util.h"

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define QDOM "qonnx.custom_op.general"

/* ---- reference numbers (tests/ops_refs.py, qonnx venv) ---- */
static const float fq_x[20] = {0.0, -0.0, 1.0, 0.30000001192092896, -0.30000001192092896, 1.0625, 1.1875, 3.141590118408203, -100.69999694824219, 447.0, 460.0, 1000000.0, -1000000.0, 0.001953125, 0.0009765625, 0.0029296875, 9.999999747378752e-06, 17.5, 18.5, -0.0625};
/* e4m3: exp 4 mant 3 bias 7 max 448 scale 1 ROUND */
static const float fq_e4m3[20] = {0.0, -0.0, 1.0, 0.3125, -0.3125, 1.0, 1.25, 3.25, -104.0, 448.0, 448.0, 448.0, -448.0, 0.001953125, 0.0, 0.00390625, 0.0, 18.0, 18.0, -0.0625};
/* e4m3_s: exp 4 mant 3 bias 7 max 448 scale 0.125 ROUND */
static const float fq_e4m3_s[20] = {0.0, -0.0, 1.0, 0.3125, -0.3125, 1.0, 1.25, 3.25, -56.0, 56.0, 56.0, 56.0, -56.0, 0.001953125, 0.0009765625, 0.0029296875, 0.0, 18.0, 18.0, -0.0625};
/* e5m2: exp 5 mant 2 bias 15 max 57344 scale 1 ROUND */
static const float fq_e5m2[20] = {0.0, -0.0, 1.0, 0.3125, -0.3125, 1.0, 1.25, 3.0, -96.0, 448.0, 448.0, 57344.0, -57344.0, 0.001953125, 0.0009765625, 0.0029296875, 1.52587890625e-05, 16.0, 20.0, -0.0625};
/* e4m3_floor: exp 4 mant 3 bias 7 max 448 scale 1 FLOOR */
static const float fq_e4m3_floor[20] = {0.0, -0.0, 1.0, 0.28125, -0.3125, 1.0, 1.125, 3.0, -104.0, 416.0, 448.0, 448.0, -448.0, 0.001953125, 0.0, 0.001953125, 0.0, 16.0, 18.0, -0.0625};
/* e4m3 saturation=0 has_inf */
static const float fq_sat_inf[20] = {0.0, -0.0, 1.0, 0.3125, -0.3125, 1.0, 1.25, 3.25, -104.0, 448.0, 448.0, INFINITY, -INFINITY, 0.001953125, 0.0, 0.00390625, 0.0, 18.0, 18.0, -0.0625};
/* e4m3 saturation=0 has_nan */
static const float fq_sat_nan[20] = {0.0, -0.0, 1.0, 0.3125, -0.3125, 1.0, 1.25, 3.25, -104.0, 448.0, 448.0, NAN, NAN, 0.001953125, 0.0, 0.00390625, 0.0, 18.0, 18.0, -0.0625};
static const float mt_v[8] = {-2.625, -1.875, -1.125, -0.375, 0.375, 1.125, 1.875, 2.625};
static const float mt_th[6] = {-1.5, 0.0, 0.75, -3.0, -0.75, 2.0};
static const float mt_nchw[8] = {0.0, 0.0, 1.0, 1.0, 2.0, 2.0, 2.0, 3.0};
static const float mt_scaled[8] = {-1.5, -1.5, -1.0, -1.0, -0.5, -0.5, -0.5, 0.0};  /* out_scale 0.5, out_bias -1.5 */
static const float mt_nhwc[8] = {0.0, 1.0, 1.0, 2.0, 2.0, 2.0, 3.0, 3.0};  /* input = mt_v viewed as NHWC [1,2,2,2] */
static const float mt_shared[8] = {0.0, 0.0, 1.0, 1.0, 2.0, 3.0, 3.0, 3.0};  /* thresholds row 0 for all channels */

static int same(float a, float b) { return t_same_bits(a, b) || (isnan(a) && isnan(b)); }

static ir_graph *G;
static ir_arena *V;

static void fresh(void) {
  if (G) ir_graph_free(G);
  if (V) ir_arena_free(V);
  G = ir_graph_new("ops.onnx");
  V = ir_arena_new();
}

/* ------------------------------------------------------------ FloatQuant -- */

static void test_floatquant(void) {
  struct {
    const char *name;
    float e, m, bias, max, scale;
    const char *mode;
    int sat, has_inf, has_nan;
    const float *want;
  } cfg[] = {
      {"e4m3", 4, 3, 7, 448, 1, "ROUND", 1, 0, 0, fq_e4m3},
      {"e4m3 scale 0.125", 4, 3, 7, 448, 0.125f, "ROUND", 1, 0, 0, fq_e4m3_s},
      {"e5m2", 5, 2, 15, 57344, 1, "ROUND", 1, 0, 0, fq_e5m2},
      {"e4m3 FLOOR", 4, 3, 7, 448, 1, "FLOOR", 1, 0, 0, fq_e4m3_floor},
      {"e4m3 saturation=0 has_inf", 4, 3, 7, 448, 1, "ROUND", 0, 1, 0, fq_sat_inf},
      {"e4m3 saturation=0 has_nan", 4, 3, 7, 448, 1, "ROUND", 0, 0, 1, fq_sat_nan},
  };
  int before = t_fail;
  for (int c = 0; c < COUNT(cfg); c++) {
    fresh();
    int64_t d = COUNT(fq_x);
    ir_buf *in[6] = {t_buf(V, 1, &d, fq_x), t_scalar(V, cfg[c].scale), t_scalar(V, cfg[c].e),
                     t_scalar(V, cfg[c].m), t_scalar(V, cfg[c].bias), t_scalar(V, cfg[c].max)};
    ir_tensor *ts[6] = {t_tensor(G, "x", 1, &d, NULL)};
    for (int i = 1; i < 6; i++) ts[i] = t_const(G, ir_sprintf(G->arena, "p%d", i), in[i]);
    ir_node *n = t_node(G, "fq", "FloatQuant", "onnx.brevitas", 6, ts);
    t_attr_s(G, n, "rounding_mode", cfg[c].mode);
    t_attr_i(G, n, "saturation", cfg[c].sat);
    t_attr_i(G, n, "has_inf", cfg[c].has_inf);
    t_attr_i(G, n, "has_nan", cfg[c].has_nan);
    check(n->op->shape(G, n) == 0 && n->out[0]->rank == 1 && n->out[0]->dims[0] == d,
          "FloatQuant %s shape", cfg[c].name);
    ir_buf *y = t_exec(G, V, n, in);
    for (int i = 0; y && i < d; i++)
      check(same(y->f[i], cfg[c].want[i]), "FloatQuant %s (x=%g): %.9g, qonnx %.9g",
            cfg[c].name, (double)fq_x[i], (double)y->f[i], (double)cfg[c].want[i]);
    check(y != NULL, "FloatQuant %s ran", cfg[c].name);
  }
  printf("FloatQuant: %d configurations x %d values (subnormals, ties, saturation, inf/nan) "
         "%s\n",
         COUNT(cfg), COUNT(fq_x), t_fail == before ? "ok" : "FAILED");
}

/* -------------------------------------------------------- MultiThreshold -- */

static ir_buf *run_mt(const char *layout, float os, float ob, int trows, int *shape_rc) {
  fresh();
  int64_t vd[4] = {1, 2, 2, 2}, td[2] = {trows, 3};
  ir_buf *in[2] = {t_buf(V, 4, vd, mt_v), t_buf(V, 2, td, mt_th)};
  ir_tensor *ts[2] = {t_tensor(G, "v", 4, vd, NULL), t_const(G, "th", in[1])};
  ir_node *n = t_node(G, "mt", "MultiThreshold", QDOM, 2, ts);
  t_attr_s(G, n, "out_dtype", "UINT2");
  if (layout) t_attr_s(G, n, "data_layout", layout);
  if (os != 1.0f) t_attr_f(G, n, "out_scale", os);
  if (ob != 0.0f) t_attr_f(G, n, "out_bias", ob);
  *shape_rc = n->op->shape(G, n);
  return t_exec(G, V, n, in);
}

static int mt_rank3_cb(void *arg) {
  (void)arg;
  fresh();
  int64_t vd[3] = {1, 4, 2}, td[2] = {2, 3}; /* rank 3 guesses NWC: channels last (2) ok */
  ir_tensor *ts[2] = {t_tensor(G, "v", 3, vd, NULL), t_const(G, "th", t_buf(G->arena, 2, td, mt_th))};
  ir_node *n = t_node(G, "mt3", "MultiThreshold", QDOM, 2, ts);
  if (n->op->shape(G, n)) return -1;
  int64_t bad[3] = {1, 2, 4}; /* channel axis 2 has 4 != 2 thresholds rows */
  t_tensor(G, "v", 3, bad, NULL);
  return n->op->shape(G, n);
}

static void test_multithreshold(void) {
  int before = t_fail, rc;
  struct {
    const char *what, *layout;
    float os, ob;
    int rows;
    const float *want;
  } cases[] = {
      {"NCHW (guessed from rank 4)", NULL, 1, 0, 2, mt_nchw},
      {"NCHW out_scale 0.5 out_bias -1.5", "NCHW", 0.5f, -1.5f, 2, mt_scaled},
      {"NHWC", "NHWC", 1, 0, 2, mt_nhwc},
      {"shared thresholds (1, T)", NULL, 1, 0, 1, mt_shared},
  };
  for (int c = 0; c < COUNT(cases); c++) {
    ir_buf *y = run_mt(cases[c].layout, cases[c].os, cases[c].ob, cases[c].rows, &rc);
    check(rc == 0 && y && y->n == 8, "MultiThreshold %s ran", cases[c].what);
    for (int i = 0; y && i < 8; i++)
      check(same(y->f[i], cases[c].want[i]), "MultiThreshold %s [%d]: %g, qonnx %g",
            cases[c].what, i, (double)y->f[i], (double)cases[c].want[i]);
  }
  char msg[512];
  rc = t_capture_stderr(mt_rank3_cb, NULL, msg, sizeof msg);
  check(rc == -1 && strstr(msg, "thresholds have 2 channels, input has 4 (axis 2)"),
        "channel mismatch diagnosed: %s", msg);
  printf("  mismatch -> %s", msg);
  printf("MultiThreshold: NCHW, NHWC, out_scale/out_bias, shared thresholds, rank-3 NWC "
         "guess %s\n",
         t_fail == before ? "ok" : "FAILED");
}

/* ---------------------------------------------------------- element-wise -- */

static ir_buf *ibuf(ir_arena *a, int rank, const int64_t *dims, const int64_t *v) {
  ir_buf *b = ir_buf_new(a, IR_I64, ONNX_INT64, rank, dims);
  memcpy(b->i, v, (size_t)b->n * sizeof(int64_t));
  return b;
}

static ir_buf *run2(const char *op, ir_buf *a, ir_buf *b) {
  fresh();
  ir_tensor *ts[2] = {t_tensor(G, "a", a->rank, a->dims, NULL),
                      t_tensor(G, "b", b->rank, b->dims, NULL)};
  ts[0]->onnx_type = a->onnx_type;
  ts[1]->onnx_type = b->onnx_type;
  ir_node *n = t_node(G, op, op, "", 2, ts);
  if (n->op->shape(G, n)) return NULL;
  ir_buf *in[2] = {a, b};
  return t_exec(G, V, n, in);
}

static const char *bad_shape_a, *bad_shape_b;
static int broadcast_cb(void *arg) {
  fresh();
  int64_t da[2] = {3, 4}, db[1] = {5};
  ir_tensor *ts[2] = {t_tensor(G, "a", 2, da, NULL), t_tensor(G, "b", 1, db, NULL)};
  ir_node *n = t_node(G, "Add_3", (const char *)arg, "", 2, ts);
  (void)bad_shape_a;
  (void)bad_shape_b;
  return n->op->shape(G, n);
}

static void test_binary(void) {
  int before = t_fail;
  ir_arena *a = ir_arena_new();
  /* broadcast [2,3,1] + [4] -> [2,3,4], and Sub/Mul/Div/Pow against scalar loops */
  int64_t da[3] = {2, 3, 1}, db[1] = {4};
  float va[6], vb[4];
  for (int i = 0; i < 6; i++) va[i] = 0.75f * (float)i - 1.3f;
  for (int i = 0; i < 4; i++) vb[i] = 0.5f + 0.25f * (float)i;
  const char *ops[] = {"Add", "Sub", "Mul", "Div", "Pow"};
  for (int o = 0; o < 5; o++) {
    ir_buf *y = run2(ops[o], t_buf(a, 3, da, va), t_buf(a, 1, db, vb));
    check(y && y->rank == 3 && y->dims[0] == 2 && y->dims[1] == 3 && y->dims[2] == 4 &&
              G->nodes[0]->out[0]->rank == 3 && G->nodes[0]->out[0]->dims[2] == 4,
          "%s broadcast [2,3,1] x [4] -> [2,3,4]", ops[o]);
    for (int i = 0; y && i < 24; i++) {
      float x = va[i / 4], z = vb[i % 4];
      float want = o == 0 ? x + z : o == 1 ? x - z : o == 2 ? x * z : o == 3 ? x / z : powf(x, z);
      check(same(y->f[i], want), "%s element %d: %g vs %g", ops[o], i, (double)y->f[i],
            (double)want);
    }
  }
  /* integer Div truncates toward zero; Add keeps int64 */
  int64_t d4 = 4;
  ir_buf *y = run2("Div", ibuf(a, 1, &d4, (int64_t[]){7, -7, 7, -7}),
                   ibuf(a, 1, &d4, (int64_t[]){2, 2, -2, -2}));
  check(y && y->store == IR_I64 && y->i[0] == 3 && y->i[1] == -3 && y->i[2] == -3 && y->i[3] == 3,
        "int64 Div truncates toward zero: 7/2=3 -7/2=-3 7/-2=-3 -7/-2=3");
  y = run2("Div", ibuf(a, 1, &d4, (int64_t[]){1, 2, 3, 4}), ibuf(a, 0, NULL, (int64_t[]){0}));
  check(y == NULL, "int64 division by zero is an error");
  y = run2("Mul", ibuf(a, 1, &d4, (int64_t[]){1, -2, 3, 1LL << 40}),
           ibuf(a, 0, NULL, (int64_t[]){1 << 20}));
  check(y && y->store == IR_I64 && y->i[1] == -(1 << 21) && y->i[3] == 1LL << 60,
        "int64 Mul exact beyond float precision");
  /* unknown dims broadcast in shape rules */
  int rank;
  int64_t out[IR_MAX_RANK];
  check(ou_broadcast2(2, (int64_t[]){-1, 4}, 2, (int64_t[]){1, 4}, &rank, out) == 0 &&
            rank == 2 && out[0] == -1 && out[1] == 4,
        "[?,4] with [1,4] -> [?,4]");
  check(ou_broadcast2(2, (int64_t[]){-1, 4}, 1, (int64_t[]){3}, &rank, out) == -1,
        "[?,4] with [3] does not broadcast");
  check(ou_broadcast2(1, (int64_t[]){-1}, 2, (int64_t[]){5, 6}, &rank, out) == 0 && out[1] == 6,
        "[?] with [5,6] -> [5,6]");
  char msg[512];
  int rc = t_capture_stderr(broadcast_cb, "Add", msg, sizeof msg);
  check(rc == -1 && strstr(msg, "node \"Add_3\" (Add): error: shapes [3,4] and [5] do not broadcast"),
        "broadcast error names the node: %s", msg);
  printf("  broadcast -> %s", msg);
  ir_arena_free(a);
  printf("binary: Add/Sub/Mul/Div/Pow broadcast, int64 Div/Mul, unknown dims, diagnostics %s\n",
         t_fail == before ? "ok" : "FAILED");
}

static ir_buf *run1(const char *op, ir_buf *x, void (*attrs)(ir_node *), int nin, ir_buf **more) {
  fresh();
  ir_tensor *ts[3] = {t_tensor(G, "x", x->rank, x->dims, NULL)};
  ts[0]->onnx_type = x->onnx_type;
  ir_buf *in[3] = {x};
  for (int i = 1; i < nin; i++) {
    in[i] = more[i - 1];
    ts[i] = in[i] ? t_const(G, ir_sprintf(G->arena, "m%d", i), in[i]) : NULL;
  }
  ir_node *n = t_node(G, op, op, "", nin, ts);
  if (attrs) attrs(n);
  if (n->op->shape(G, n)) return NULL;
  return t_exec(G, V, n, in);
}

static void cast_int8(ir_node *n) { t_attr_i(G, n, "to", ONNX_INT8); }
static void cast_uint8(ir_node *n) { t_attr_i(G, n, "to", ONNX_UINT8); }
static void cast_bool(ir_node *n) { t_attr_i(G, n, "to", ONNX_BOOL); }
static void cast_float(ir_node *n) { t_attr_i(G, n, "to", ONNX_FLOAT); }
static void clip_attrs(ir_node *n) {
  t_attr_f(G, n, "min", -1.0f);
  t_attr_f(G, n, "max", 2.5f);
}

static void test_unary_cast_clip(void) {
  int before = t_fail;
  ir_arena *a = ir_arena_new();
  int64_t d = 6;
  const float xv[6] = {-1.7f, 300.0f, -0.0f, 2.5f, -129.0f, 0.4f};
  ir_buf *y = run1("Cast", t_buf(a, 1, &d, xv), cast_int8, 1, NULL);
  check(y && y->store == IR_I64 && y->onnx_type == ONNX_INT8 && y->i[0] == -1 &&
            y->i[1] == 44 && y->i[3] == 2 && y->i[4] == 127,
        "Cast float->int8 truncates and wraps (-1.7->-1, 300->44, -129->127)");
  y = run1("Cast", t_buf(a, 1, &d, xv), cast_uint8, 1, NULL);
  check(y && y->i[1] == 44 && y->i[0] == 255, "Cast float->uint8 wraps (-1.7 -> 255)");
  y = run1("Cast", t_buf(a, 1, &d, xv), cast_bool, 1, NULL);
  check(y && y->onnx_type == ONNX_BOOL && y->i[0] == 1 && y->i[2] == 0 && y->i[5] == 1,
        "Cast float->bool (nonzero)");
  y = run1("Cast", ibuf(a, 1, &d, (int64_t[]){1, -2, 3, 1 << 24, (1 << 24) + 1, 0}), cast_float,
           1, NULL);
  check(y && y->store == IR_F32 && y->f[1] == -2.0f && y->f[4] == 16777216.0f,
        "Cast int64->float rounds to float32");
  /* Clip: opset-6 attributes, opset-11 inputs (one absent), integers */
  y = run1("Clip", t_buf(a, 1, &d, xv), clip_attrs, 1, NULL);
  check(y && y->f[0] == -1.0f && y->f[1] == 2.5f && y->f[5] == 0.4f, "Clip min/max attributes");
  ir_buf *mm[2] = {NULL, t_scalar(a, 0.3f)};
  y = run1("Clip", t_buf(a, 1, &d, xv), NULL, 3, mm);
  check(y && y->f[0] == -1.7f && y->f[1] == 0.3f && y->f[5] == 0.3f,
        "Clip with max input only");
  ir_buf *mmi[2] = {ibuf(a, 0, NULL, (int64_t[]){-3}), ibuf(a, 0, NULL, (int64_t[]){5})};
  y = run1("Clip", ibuf(a, 1, &d, (int64_t[]){-9, 9, 0, 5, -3, 4}), NULL, 3, mmi);
  check(y && y->store == IR_I64 && y->i[0] == -3 && y->i[1] == 5 && y->i[5] == 4, "Clip int64");
  /* unary float ops vs libm, integer Relu/Abs/Neg/Sign */
  const char *uops[] = {"Relu", "Abs", "Neg", "Sign", "Floor", "Ceil", "Round", "Sqrt", "Exp",
                        "Tanh", "Sigmoid"};
  for (int u = 0; u < COUNT(uops); u++) {
    y = run1(uops[u], t_buf(a, 1, &d, xv), NULL, 1, NULL);
    for (int i = 0; y && i < 6; i++) {
      float x = xv[i], w;
      switch (u) {
      case 0: w = x > 0 ? x : 0; break;
      case 1: w = fabsf(x); break;
      case 2: w = -x; break;
      case 3: w = x > 0 ? 1.0f : x < 0 ? -1.0f : 0.0f; break;
      case 4: w = floorf(x); break;
      case 5: w = ceilf(x); break;
      case 6: w = nearbyintf(x); break;
      case 7: w = sqrtf(x); break;
      case 8: w = expf(x); break;
      case 9: w = tanhf(x); break;
      default: w = (float)(1 / (1 + exp(-(double)x))); break;
      }
      check(same(y->f[i], w) || fabsf(y->f[i] - w) <= 1e-6f * fabsf(w), "%s(%g) = %g, want %g",
            uops[u], (double)x, (double)y->f[i], (double)w);
    }
    check(y != NULL, "%s ran", uops[u]);
  }
  y = run1("Round", t_buf(a, 1, &d, (const float[]){0.5f, 1.5f, 2.5f, -0.5f, -1.5f, 2.4f}), NULL,
           1, NULL);
  check(y && y->f[0] == 0 && y->f[1] == 2 && y->f[2] == 2 && y->f[4] == -2,
        "Round is half-to-even");
  y = run1("Abs", ibuf(a, 1, &d, (int64_t[]){-9, 9, 0, 5, -3, 4}), NULL, 1, NULL);
  check(y && y->store == IR_I64 && y->i[0] == 9 && y->i[4] == 3, "Abs int64");
  y = run1("Sqrt", ibuf(a, 1, &d, (int64_t[]){1, 4, 9, 16, 25, 36}), NULL, 1, NULL);
  check(y == NULL, "Sqrt of int64 rejected");
  ir_arena_free(a);
  printf("unary/Cast/Clip: 11 unary ops, Cast wrap/trunc/bool, Clip attrs/inputs/int %s\n",
         t_fail == before ? "ok" : "FAILED");
}

int main(void) {
  ir_verbosity = 0;
  test_floatquant();
  test_multithreshold();
  test_binary();
  int saved = dup(2); /* the expected errors of the next test are noise */
  FILE *nul = fopen("/dev/null", "w");
  fflush(stderr);
  dup2(fileno(nul), 2);
  test_unary_cast_clip();
  fflush(stderr);
  dup2(saved, 2);
  close(saved);
  fclose(nul);
  if (G) ir_graph_free(G);
  if (V) ir_arena_free(V);
  return t_report("test_exec_ops");
}
