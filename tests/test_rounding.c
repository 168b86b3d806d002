/* test_rounding.c - QONNX rounding modes and the Quant / Trunc / BipolarQuant
 * executors against numbers computed by the reference implementation, bit for bit;
 * and the Quant shape rule's parameter checks (error text naming the node).
 *
 * Every expected number below was printed by tests/rounding_refs.py, which runs
 * qonnx's own code (qonnx.custom_op.general.intquant.int_quant /
 * resolve_rounding_mode, trunc.trunc_v1 / trunc_v2, bipolar_quant.binary_quant;
 * qonnx 0.x with numpy 2.4 from the venv) on float32 inputs.  Do not edit them by
 * hand: rerun the script. */
#include <math.h>

#include "ir/ops_util.h"
#include "tests/test_exec_util.h"

struct quant_case {
  float x, scale, zeropt;
  int bits, is_signed, narrow;
  const char *mode;
  float y;
};
struct trunc1_case {
  float x, scale, zeropt;
  int ibits, obits;
  const char *mode;
  float y;
};
struct trunc2_case {
  float x, scale, zeropt;
  int ibits;
  float oscale;
  int obits, is_signed, narrow;
  const char *mode;
  float y;
};
struct bipolar_case {
  float x, scale, y;
};

/* ---- reference numbers (tests/rounding_refs.py, qonnx venv) ---- */
static const float values[] = {0x1.4000000000000p+1, -0x1.4000000000000p+1, 0x1.0000000000000p-1, -0x1.0000000000000p-1, 0x1.8000000000000p+0, -0x1.8000000000000p+0, -0x1.19999a0000000p+0, 0x1.19999a0000000p+0, 0x0.0p+0, -0x0.0p+0, 0x1.fffffe0000000p-2, -0x1.fffffe0000000p-2, 0x1.d9999a0000000p+1, -0x1.d9999a0000000p+1, 0x1.0000020000000p+22, -0x1.fffffc0000000p+21, 0x1.3ffffe0000000p+1};

static const float by_mode[7][sizeof values / sizeof values[0]] = {
  /* ROUND */ {2.0, -2.0, 0.0, -0.0, 2.0, -2.0, -1.0, 1.0, 0.0, -0.0, 0.0, -0.0, 4.0, -4.0, 4194304.0, -4194304.0, 2.0},
  /* CEIL */ {3.0, -2.0, 1.0, -0.0, 2.0, -1.0, -1.0, 2.0, 0.0, -0.0, 1.0, -0.0, 4.0, -3.0, 4194305.0, -4194303.0, 3.0},
  /* FLOOR */ {2.0, -3.0, 0.0, -1.0, 1.0, -2.0, -2.0, 1.0, 0.0, -0.0, 0.0, -1.0, 3.0, -4.0, 4194304.0, -4194304.0, 2.0},
  /* UP */ {3.0, -3.0, 1.0, -1.0, 2.0, -2.0, -2.0, 2.0, 0.0, 0.0, 1.0, -1.0, 4.0, -4.0, 4194305.0, -4194304.0, 3.0},
  /* DOWN */ {2.0, -2.0, 0.0, -0.0, 1.0, -1.0, -1.0, 1.0, 0.0, -0.0, 0.0, -0.0, 3.0, -3.0, 4194304.0, -4194303.0, 2.0},
  /* HALF_UP */ {3.0, -3.0, 1.0, -1.0, 2.0, -2.0, -1.0, 1.0, 0.0, 0.0, 1.0, -1.0, 4.0, -4.0, 4194305.0, -4194304.0, 2.0},
  /* HALF_DOWN */ {2.0, -2.0, 0.0, -0.0, 1.0, -1.0, -1.0, 1.0, -0.0, -0.0, -0.0, 0.0, 4.0, -4.0, 4194304.0, -4194303.0, 2.0},
};

static const struct quant_case quant_cases[] = {
  {-130.0, 1.0, 0.0, 8, 1, 0, "ROUND", -128.0},
  {-128.5, 1.0, 0.0, 8, 1, 0, "ROUND", -128.0},
  {-127.5, 1.0, 0.0, 8, 1, 0, "ROUND", -128.0},
  {126.5, 1.0, 0.0, 8, 1, 0, "ROUND", 126.0},
  {127.4000015258789, 1.0, 0.0, 8, 1, 0, "ROUND", 127.0},
  {127.5999984741211, 1.0, 0.0, 8, 1, 0, "ROUND", 127.0},
  {200.0, 1.0, 0.0, 8, 1, 0, "ROUND", 127.0},
  {0.5, 1.0, 0.0, 8, 1, 0, "ROUND", 0.0},
  {-0.5, 1.0, 0.0, 8, 1, 0, "ROUND", -0.0},
  {-128.0, 1.0, 0.0, 8, 1, 1, "ROUND", -127.0},
  {-127.5999984741211, 1.0, 0.0, 8, 1, 1, "ROUND", -127.0},
  {-127.4000015258789, 1.0, 0.0, 8, 1, 1, "ROUND", -127.0},
  {127.5, 1.0, 0.0, 8, 1, 1, "ROUND", 127.0},
  {-3.0, 1.0, 0.0, 4, 0, 0, "ROUND", 0.0},
  {15.5, 1.0, 0.0, 4, 0, 0, "ROUND", 15.0},
  {7.5, 1.0, 0.0, 4, 0, 0, "ROUND", 8.0},
  {6.5, 1.0, 0.0, 4, 0, 0, "ROUND", 6.0},
  {14.699999809265137, 1.0, 0.0, 4, 0, 0, "ROUND", 15.0},
  {15.0, 1.0, 0.0, 4, 0, 1, "ROUND", 14.0},
  {14.5, 1.0, 0.0, 4, 0, 1, "ROUND", 14.0},
  {13.5, 1.0, 0.0, 4, 0, 1, "ROUND", 14.0},
  {-1.0, 1.0, 0.0, 4, 0, 1, "ROUND", 0.0},
  {-0.10000000149011612, 0.5, 0.0, 1, 1, 0, "ROUND", -0.5},
  {0.0, 0.5, 0.0, 1, 1, 0, "ROUND", 0.5},
  {-0.0, 0.5, 0.0, 1, 1, 0, "ROUND", 0.5},
  {0.10000000149011612, 0.5, 0.0, 1, 1, 0, "ROUND", 0.5},
  {-3.0, 0.5, 0.0, 1, 1, 0, "ROUND", -0.5},
  {0.4000000059604645, 1.0, 0.0, 1, 0, 0, "ROUND", 0.0},
  {0.5, 1.0, 0.0, 1, 0, 0, "ROUND", 0.0},
  {0.6000000238418579, 1.0, 0.0, 1, 0, 0, "ROUND", 1.0},
  {-1.0, 1.0, 0.0, 1, 0, 0, "ROUND", 0.0},
  {2.0, 1.0, 0.0, 1, 0, 0, "ROUND", 1.0},
  {0.3499999940395355, 0.10000000149011612, 0.0, 8, 1, 0, "ROUND", 0.4000000059604645},
  {0.3499999940395355, 0.10000000149011612, 0.0, 8, 1, 0, "half_up", 0.4000000059604645},
  {0.3499999940395355, 0.10000000149011612, 0.0, 8, 1, 0, "Half_Down", 0.30000001192092896},
  {0.3499999940395355, 0.10000000149011612, 0.0, 8, 1, 0, "UP", 0.4000000059604645},
  {0.3499999940395355, 0.10000000149011612, 0.0, 8, 1, 0, "DOWN", 0.30000001192092896},
  {0.25, 0.10000000149011612, 0.0, 8, 1, 0, "ROUND", 0.20000000298023224},
  {0.25, 0.10000000149011612, 0.0, 8, 1, 0, "half_up", 0.30000001192092896},
  {0.25, 0.10000000149011612, 0.0, 8, 1, 0, "Half_Down", 0.20000000298023224},
  {0.25, 0.10000000149011612, 0.0, 8, 1, 0, "UP", 0.30000001192092896},
  {0.25, 0.10000000149011612, 0.0, 8, 1, 0, "DOWN", 0.20000000298023224},
  {-0.05000000074505806, 0.10000000149011612, 0.0, 8, 1, 0, "ROUND", -0.0},
  {-0.05000000074505806, 0.10000000149011612, 0.0, 8, 1, 0, "half_up", -0.10000000149011612},
  {-0.05000000074505806, 0.10000000149011612, 0.0, 8, 1, 0, "Half_Down", -0.0},
  {-0.05000000074505806, 0.10000000149011612, 0.0, 8, 1, 0, "UP", -0.10000000149011612},
  {-0.05000000074505806, 0.10000000149011612, 0.0, 8, 1, 0, "DOWN", -0.0},
  {0.15000000596046448, 0.10000000149011612, 0.0, 8, 1, 0, "ROUND", 0.20000000298023224},
  {0.15000000596046448, 0.10000000149011612, 0.0, 8, 1, 0, "half_up", 0.20000000298023224},
  {0.15000000596046448, 0.10000000149011612, 0.0, 8, 1, 0, "Half_Down", 0.10000000149011612},
  {0.15000000596046448, 0.10000000149011612, 0.0, 8, 1, 0, "UP", 0.20000000298023224},
  {0.15000000596046448, 0.10000000149011612, 0.0, 8, 1, 0, "DOWN", 0.10000000149011612},
  {-0.25, 0.10000000149011612, 0.0, 8, 1, 0, "ROUND", -0.20000000298023224},
  {-0.25, 0.10000000149011612, 0.0, 8, 1, 0, "half_up", -0.30000001192092896},
  {-0.25, 0.10000000149011612, 0.0, 8, 1, 0, "Half_Down", -0.20000000298023224},
  {-0.25, 0.10000000149011612, 0.0, 8, 1, 0, "UP", -0.30000001192092896},
  {-0.25, 0.10000000149011612, 0.0, 8, 1, 0, "DOWN", -0.20000000298023224},
  {0.44999998807907104, 0.10000000149011612, 0.0, 8, 1, 0, "ROUND", 0.4000000059604645},
  {0.44999998807907104, 0.10000000149011612, 0.0, 8, 1, 0, "half_up", 0.5},
  {0.44999998807907104, 0.10000000149011612, 0.0, 8, 1, 0, "Half_Down", 0.4000000059604645},
  {0.44999998807907104, 0.10000000149011612, 0.0, 8, 1, 0, "UP", 0.5},
  {0.44999998807907104, 0.10000000149011612, 0.0, 8, 1, 0, "DOWN", 0.4000000059604645},
  {12.75, 0.10000000149011612, 0.0, 8, 1, 0, "ROUND", 12.699999809265137},
  {12.75, 0.10000000149011612, 0.0, 8, 1, 0, "half_up", 12.699999809265137},
  {12.75, 0.10000000149011612, 0.0, 8, 1, 0, "Half_Down", 12.699999809265137},
  {12.75, 0.10000000149011612, 0.0, 8, 1, 0, "UP", 12.699999809265137},
  {12.75, 0.10000000149011612, 0.0, 8, 1, 0, "DOWN", 12.699999809265137},
  {-1.0, 0.5, 3.0, 8, 0, 0, "ROUND", -1.0},
  {0.20000000298023224, 0.5, 3.0, 8, 0, 0, "ROUND", 0.0},
  {1.75, 0.5, 3.0, 8, 0, 0, "ROUND", 1.5},
  {130.3000030517578, 0.5, 3.0, 8, 0, 0, "ROUND", 126.0},
  {127.30000305175781, 1.0, 0.0, 8, 1, 0, "CEIL", 127.0},
  {127.30000305175781, 1.0, 0.0, 8, 1, 0, "FLOOR", 127.0},
  {127.30000305175781, 1.0, 0.0, 8, 1, 0, "UP", 127.0},
  {-128.6999969482422, 1.0, 0.0, 8, 1, 0, "CEIL", -128.0},
  {-128.6999969482422, 1.0, 0.0, 8, 1, 0, "FLOOR", -128.0},
  {-128.6999969482422, 1.0, 0.0, 8, 1, 0, "UP", -128.0},
  {126.19999694824219, 1.0, 0.0, 8, 1, 0, "CEIL", 127.0},
  {126.19999694824219, 1.0, 0.0, 8, 1, 0, "FLOOR", 126.0},
  {126.19999694824219, 1.0, 0.0, 8, 1, 0, "UP", 127.0},
  {-127.19999694824219, 1.0, 0.0, 8, 1, 0, "CEIL", -127.0},
  {-127.19999694824219, 1.0, 0.0, 8, 1, 0, "FLOOR", -128.0},
  {-127.19999694824219, 1.0, 0.0, 8, 1, 0, "UP", -128.0},
  {0.30000001192092896, 0.0078125, 0.0, 3, 1, 1, "ROUND", 0.0234375},
  {-0.30000001192092896, 0.0078125, 0.0, 3, 1, 1, "ROUND", -0.0234375},
  {5.0, 0.0078125, 0.0, 3, 1, 1, "ROUND", 0.0234375},
  {-5.0, 0.0078125, 0.0, 3, 1, 1, "ROUND", -0.0234375},
  {0.3333333432674408, 0.0078125, 0.0, 3, 1, 1, "ROUND", 0.0234375},
};

static const struct trunc1_case trunc1_cases[] = {
  {100.0, 1.0, 0.0, 8, 4, "FLOOR", 6.0},
  {-100.0, 1.0, 0.0, 8, 4, "FLOOR", -7.0},
  {100.4000015258789, 1.0, 0.0, 8, 4, "ROUND", 6.0},
  {-3.299999952316284, 0.25, 0.0, 8, 6, "FLOOR", -1.0},
  {37.0, 1.0, 0.0, 8, 5, "CEIL", 5.0},
  {40.0, 1.0, 0.0, 8, 4, "HALF_UP", 3.0},
  {-40.0, 0.5, 0.0, 8, 4, "HALF_DOWN", -2.5},
};

static const struct trunc2_case trunc2_cases[] = {
  {100.0, 1.0, 0.0, 8, 16.0, 4, 1, 0, "FLOOR", 96.0},
  {-100.0, 1.0, 0.0, 8, 16.0, 4, 1, 0, "FLOOR", -112.0},
  {300.0, 1.0, 0.0, 10, 4.0, 4, 1, 0, "FLOOR", 28.0},
  {300.0, 1.0, 0.0, 10, 4.0, 4, 0, 0, "ROUND", 60.0},
  {-3.299999952316284, 0.25, 0.0, 8, 1.0, 6, 1, 1, "FLOOR", -4.0},
  {37.5, 0.5, 0.0, 8, 4.0, 4, 1, 0, "CEIL", 28.0},
  {-200.0, 1.0, 0.0, 9, 16.0, 4, 1, 1, "ROUND", -112.0},
  {45.0, 1.0, 0.0, 8, 12.0, 4, 1, 0, "HALF_UP", 36.0},
};

static const struct bipolar_case bipolar_cases[] = {
  {-0.10000000149011612, 2.0, -2.0},
  {0.0, 2.0, 2.0},
  {-0.0, 0.5, 0.5},
  {3.0, 0.5, 0.5},
  {-7.0, 0.25, -0.25},
};

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define QDOM "qonnx.custom_op.general"

/* Every mode on every value, through ou_round (the helper all kernels use). */
static void test_modes(void) {
  static const char *const names[7] = {"ROUND", "CEIL", "FLOOR", "UP", "DOWN", "HALF_UP",
                                       "HALF_DOWN"};
  int before = t_fail;
  for (int m = 0; m < 7; m++) {
    ou_round_mode mode;
    check(ou_round_mode_parse(names[m], &mode) == 0 && (int)mode == m, "parse %s", names[m]);
    for (int i = 0; i < COUNT(values); i++) {
      float r = ou_round(mode, values[i]);
      check(t_same_bits(r, by_mode[m][i]), "%s(%.9g) = %.9g, qonnx gives %.9g", names[m],
            (double)values[i], (double)r, (double)by_mode[m][i]);
    }
  }
  ou_round_mode mode;
  check(ou_round_mode_parse("half_even", &mode) == 0 && mode == OU_ROUND_HALF_EVEN,
        "HALF_EVEN alias");
  check(ou_round_mode_parse("Half_Up", &mode) == 0 && mode == OU_ROUND_HALF_UP,
        "case-insensitive mode names");
  check(ou_round_mode_parse("NEAREST", &mode) != 0, "unknown mode rejected");
  printf("rounding modes: 7 modes x %d values (ties +-0.5/1.5/2.5, -1.1, +-0, "
         "0.49999997, 2^22+0.5) %s\n",
         COUNT(values), t_fail == before ? "ok" : "FAILED");
}

/* One Quant (or IntQuant) node on a scalar-parameter case. */
static void test_quant(void) {
  int before = t_fail;
  for (int k = 0; k < COUNT(quant_cases); k++) {
    const struct quant_case *c = &quant_cases[k];
    ir_graph *g = ir_graph_new("test.onnx");
    ir_arena *va = ir_arena_new();
    int64_t one = 1;
    ir_buf *in[4] = {t_buf(va, 1, &one, &c->x), t_scalar(va, c->scale),
                     t_scalar(va, c->zeropt), t_scalar(va, (float)c->bits)};
    ir_tensor *ts[4] = {t_tensor(g, "x", 1, &one, NULL), t_const(g, "s", in[1]),
                        t_const(g, "z", in[2]), t_const(g, "b", in[3])};
    ir_node *n = t_node(g, "q", k % 2 ? "IntQuant" : "Quant", QDOM, 4, ts);
    t_attr_i(g, n, "signed", c->is_signed);
    t_attr_i(g, n, "narrow", c->narrow);
    t_attr_s(g, n, "rounding_mode", c->mode);
    check(n->op && n->op->shape(g, n) == 0 && n->out[0]->rank == 1 &&
              n->out[0]->onnx_type == ONNX_FLOAT,
          "Quant shape rule, case %d", k);
    ir_buf *y = t_exec(g, va, n, in);
    check(y && y->n == 1 && t_same_bits(y->f[0], c->y),
          "Quant(x=%.9g scale=%g zp=%g bits=%d signed=%d narrow=%d %s) = %.9g, qonnx %.9g",
          (double)c->x, (double)c->scale, (double)c->zeropt, c->bits, c->is_signed,
          c->narrow, c->mode, y ? (double)y->f[0] : NAN, (double)c->y);
    ir_arena_free(va);
    ir_graph_free(g);
  }
  printf("Quant: %d cases (clamp before round, narrow, unsigned, 1-bit bipolar and "
         "binary, scale 0.1, zero-point, all modes) %s\n",
         COUNT(quant_cases), t_fail == before ? "ok" : "FAILED");
}

/* Per-channel scale: every element equals the scalar computation of its channel. */
static void test_quant_broadcast(void) {
  int before = t_fail;
  ir_graph *g = ir_graph_new("test.onnx");
  ir_arena *va = ir_arena_new();
  int64_t xd[3] = {2, 3, 4}, sd[3] = {1, 3, 1};
  float xs[24], ss[3] = {0.5f, 0.1f, 0.03125f};
  for (int i = 0; i < 24; i++) xs[i] = (float)(i * 7 % 24) * 0.37f - 4.0f;
  ir_buf *in[4] = {t_buf(va, 3, xd, xs), t_buf(va, 3, sd, ss), t_scalar(va, 0),
                   t_scalar(va, 4)};
  ir_tensor *ts[4] = {t_tensor(g, "x", 3, xd, NULL), t_const(g, "s", in[1]),
                      t_const(g, "z", in[2]), t_const(g, "b", in[3])};
  ir_node *n = t_node(g, "q", "Quant", QDOM, 4, ts);
  t_attr_s(g, n, "rounding_mode", "HALF_UP");
  ir_buf *y = t_exec(g, va, n, in);
  check(y && y->rank == 3 && y->dims[0] == 2 && y->dims[1] == 3 && y->dims[2] == 4,
        "per-channel Quant keeps shape [2,3,4]");
  for (int i = 0; y && i < 24; i++) {
    float s = ss[(i / 4) % 3];
    float q = ou_round(OU_ROUND_HALF_UP, fminf(fmaxf(xs[i] / s, -8.0f), 7.0f)) * s;
    check(t_same_bits(y->f[i], q), "per-channel element %d: %g vs %g", i, (double)y->f[i],
          (double)q);
  }
  printf("Quant broadcast: x[2,3,4] with scale[1,3,1] %s\n",
         t_fail == before ? "ok" : "FAILED");
  ir_arena_free(va);
  ir_graph_free(g);
}

static void test_trunc(void) {
  int before = t_fail;
  for (int k = 0; k < COUNT(trunc1_cases) + COUNT(trunc2_cases); k++) {
    bool v2 = k >= COUNT(trunc1_cases);
    const struct trunc1_case *c1 = v2 ? NULL : &trunc1_cases[k];
    const struct trunc2_case *c2 = v2 ? &trunc2_cases[k - COUNT(trunc1_cases)] : NULL;
    ir_graph *g = ir_graph_new("test.onnx");
    ir_arena *va = ir_arena_new();
    int64_t one = 1;
    float x = v2 ? c2->x : c1->x;
    ir_buf *in[6] = {t_buf(va, 1, &one, &x), t_scalar(va, v2 ? c2->scale : c1->scale),
                     t_scalar(va, v2 ? c2->zeropt : c1->zeropt),
                     t_scalar(va, (float)(v2 ? c2->ibits : c1->ibits))};
    if (v2) {
      in[4] = t_scalar(va, c2->oscale);
      in[5] = t_scalar(va, (float)c2->obits);
    } else {
      in[4] = t_scalar(va, (float)c1->obits);
    }
    int nin = v2 ? 6 : 5;
    ir_tensor *ts[6] = {t_tensor(g, "x", 1, &one, NULL)};
    for (int i = 1; i < nin; i++) ts[i] = t_const(g, ir_sprintf(g->arena, "p%d", i), in[i]);
    ir_node *n = t_node(g, "t", "Trunc", QDOM, nin, ts);
    t_attr_s(g, n, "rounding_mode", v2 ? c2->mode : c1->mode);
    if (v2) {
      t_attr_i(g, n, "signed", c2->is_signed);
      t_attr_i(g, n, "narrow", c2->narrow);
    }
    float want = v2 ? c2->y : c1->y;
    check(n->op && n->op->shape(g, n) == 0, "Trunc shape rule, case %d", k);
    ir_buf *y = t_exec(g, va, n, in);
    check(y && t_same_bits(y->f[0], want), "Trunc %s case %d (x=%g): %.9g, qonnx %.9g",
          v2 ? "v2" : "v1", k, (double)x, y ? (double)y->f[0] : NAN, (double)want);
    ir_arena_free(va);
    ir_graph_free(g);
  }
  printf("Trunc: %d v1 cases, %d v2 cases (output_scale, clamp, signed/narrow) %s\n",
         COUNT(trunc1_cases), COUNT(trunc2_cases), t_fail == before ? "ok" : "FAILED");
}

static void test_bipolar(void) {
  int before = t_fail;
  for (int k = 0; k < COUNT(bipolar_cases); k++) {
    const struct bipolar_case *c = &bipolar_cases[k];
    ir_graph *g = ir_graph_new("test.onnx");
    ir_arena *va = ir_arena_new();
    ir_buf *in[2] = {t_scalar(va, c->x), t_scalar(va, c->scale)};
    ir_tensor *ts[2] = {t_tensor(g, "x", 0, NULL, NULL), t_const(g, "s", in[1])};
    ir_node *n = t_node(g, "b", "BipolarQuant", "onnx.brevitas", 2, ts);
    ir_buf *y = t_exec(g, va, n, in);
    check(y && t_same_bits(y->f[0], c->y), "BipolarQuant(%g, %g) = %g, qonnx %g",
          (double)c->x, (double)c->scale, y ? (double)y->f[0] : NAN, (double)c->y);
    ir_arena_free(va);
    ir_graph_free(g);
  }
  printf("BipolarQuant: %d cases (zero and -0 map to +scale) %s\n", COUNT(bipolar_cases),
         t_fail == before ? "ok" : "FAILED");
}

/* ---- shape rule diagnostics ---- */

struct bad_case {
  const char *what;
  int xrank;
  int64_t xdims[2];
  int srank;
  int64_t sdims[1];
  float scale, bits;
  const char *mode;
  const char *expect; /* substring of the error line */
};

static ir_graph *bad_g;
static ir_node *bad_n;
static int run_bad_shape(void *arg) {
  (void)arg;
  return bad_n->op->shape(bad_g, bad_n);
}

static void test_diagnostics(void) {
  static const struct bad_case cases[] = {
      {"bitwidth 2.5", 2, {3, 4}, 0, {0}, 1.0f, 2.5f, "ROUND", "bitwidth 2.5 is not an integer"},
      {"bitwidth 0", 2, {3, 4}, 0, {0}, 1.0f, 0.0f, "ROUND", "bitwidth 0 is out of range 1..32"},
      {"bitwidth 33", 2, {3, 4}, 0, {0}, 1.0f, 33.0f, "ROUND", "bitwidth 33 is out of range"},
      {"scale 0", 2, {3, 4}, 0, {0}, 0.0f, 8.0f, "ROUND", "scale 0 is not allowed"},
      {"scale inf", 2, {3, 4}, 0, {0}, INFINITY, 8.0f, "ROUND", "scale inf is not finite"},
      {"scale nan", 2, {3, 4}, 0, {0}, NAN, 8.0f, "ROUND", "is not finite"},
      {"broadcast", 2, {3, 4}, 1, {5}, 1.0f, 8.0f, "ROUND", "shapes [3,4] and [5] do not broadcast"},
      {"mode", 2, {3, 4}, 0, {0}, 1.0f, 8.0f, "NEAREST", "unknown rounding_mode \"NEAREST\""},
  };
  int before = t_fail;
  for (int k = 0; k < COUNT(cases); k++) {
    const struct bad_case *c = &cases[k];
    ir_graph *g = ir_graph_new("bad.onnx");
    int64_t sn = c->srank ? c->sdims[0] : 1;
    ir_buf *s = ir_buf_new(g->arena, IR_F32, ONNX_FLOAT, c->srank, c->sdims);
    for (int64_t i = 0; i < sn; i++) s->f[i] = c->scale;
    ir_tensor *ts[4] = {t_tensor(g, "x", c->xrank, c->xdims, NULL), t_const(g, "s", s),
                        t_const(g, "z", t_scalar(g->arena, 0)),
                        t_const(g, "b", t_scalar(g->arena, c->bits))};
    ir_node *n = t_node(g, "Quant_7", "Quant", QDOM, 4, ts);
    t_attr_s(g, n, "rounding_mode", c->mode);
    bad_g = g;
    bad_n = n;
    char msg[512];
    int r = t_capture_stderr(run_bad_shape, NULL, msg, sizeof msg);
    check(r == -1, "%s: shape rule should fail", c->what);
    check(strstr(msg, "qonnx-rtl: bad.onnx: node \"Quant_7\" (Quant): error: ") == msg,
          "%s: message should name file and node: %s", c->what, msg);
    check(strstr(msg, c->expect) != NULL, "%s: message should say '%s': %s", c->what,
          c->expect, msg);
    printf("  %-12s -> %s", c->what, msg);
    ir_graph_free(g);
  }
  printf("Quant shape rule: %d bad parameter cases rejected with a node-named error %s\n",
         COUNT(cases), t_fail == before ? "ok" : "FAILED");
}

int main(void) {
  test_modes();
  test_quant();
  test_quant_broadcast();
  test_trunc();
  test_bipolar();
  test_diagnostics();
  return t_report("test_rounding");
}
