/* test_ops_nn.c - unit tests of the neural-network and shape kernels
 * (ir/ops_nn.c, ir/ops_window.c, ir/ops_resize.c, ir/ops_shape.c) on small
 * hand-made values: optimised kernels against naive reference loops written
 * here (Conv, MatMul, Gemm, pools over random data and many geometries),
 * hand-computed examples from the ONNX operator documentation, shape rules
 * and their error lines, and the time of a CIFAR-10-sized conv stack. */
#include <math.h>
#include <time.h>

#include "ir/ops_impl.h"
#include "ir/ops_util.h"
#include "tests/test_exec_util.h"

static ir_graph *G;
static ir_arena *V;

/* ------------------------------------------------------------ helpers -- */

static uint64_t rng = 88172645463325252ull;
static float frand(void) { /* uniform in [-1, 1) */
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (float)((double)(rng >> 11) / 9007199254740992.0 * 2.0 - 1.0);
}

static ir_buf *rbuf(int rank, const int64_t *dims) {
  ir_buf *b = t_buf(V, rank, dims, NULL);
  for (int64_t k = 0; k < b->n; k++) b->f[k] = frand();
  return b;
}

static ir_buf *ibuf(int rank, const int64_t *dims, const int64_t *vals) {
  ir_buf *b = ir_buf_new(V, IR_I64, ONNX_INT64, rank, dims);
  if (vals) memcpy(b->i, vals, (size_t)b->n * sizeof(int64_t));
  return b;
}

static void attr_ints(ir_node *n, const char *name, int k, const int64_t *v) {
  ir_attr *a = t_attr(G, n, name, IR_ATTR_INTS);
  a->n = k;
  a->ints = ir_alloc_array(G->arena, (size_t)(k ? k : 1), sizeof(int64_t));
  memcpy(a->ints, v, (size_t)k * sizeof(int64_t));
}

/* A node whose inputs are non-constant tensors shaped like the given buffers
 * (NULL = absent optional input), with nout outputs. */
static ir_node *mk(const char *op, int nin, ir_buf *const *in, int nout) {
  static int seq;
  ir_node *n = ir_add_node(G, ir_sprintf(G->arena, "%s_%d", op, seq++), op, "", nin, nout);
  for (int i = 0; i < nin; i++) {
    if (!in[i]) continue;
    ir_tensor *t = ir_new_tensor(G, "in");
    t->onnx_type = in[i]->onnx_type;
    t->rank = in[i]->rank;
    memcpy(t->dims, in[i]->dims, sizeof t->dims);
    n->in[i] = t;
  }
  for (int o = 0; o < nout; o++) {
    n->out[o] = ir_new_tensor(G, "out");
    n->out[o]->producer = n;
  }
  return n;
}

/* Run the executor; out[] receives the outputs.  Returns 0 on success. */
static int run(const ir_node *n, ir_buf *const *in, ir_buf **out) {
  ir_exec_ctx ctx = {V, G};
  return n->op->exec(&ctx, n, in, out);
}

static ir_buf *run1(const ir_node *n, ir_buf *const *in) {
  ir_buf *out[4] = {0};
  return run(n, in, out) ? NULL : out[0];
}

static int same_shape(const ir_buf *b, int rank, const int64_t *dims) {
  if (!b || b->rank != rank) return 0;
  for (int i = 0; i < rank; i++)
    if (b->dims[i] != dims[i]) return 0;
  return 1;
}

/* max |a-b| / max(1,|b|) over all elements; inf if shapes differ */
static double maxrel(const ir_buf *a, const ir_buf *b) {
  if (!a || !b || a->n != b->n) return INFINITY;
  double m = 0;
  for (int64_t k = 0; k < a->n; k++) {
    double d = fabs(ir_buf_get(a, k) - ir_buf_get(b, k));
    double s = fabs(ir_buf_get(b, k));
    d /= s > 1 ? s : 1;
    if (d > m || d != d) m = d != d ? INFINITY : d;
  }
  return m;
}

static int equals_f(const ir_buf *b, int64_t n, const float *want) {
  if (!b || b->n != n) return 0;
  for (int64_t k = 0; k < n; k++)
    if (fabsf(ou_getf(b, k) - want[k]) > 1e-5f * (1 + fabsf(want[k]))) return 0;
  return 1;
}

static int equals_i(const ir_buf *b, int64_t n, const int64_t *want) {
  if (!b || b->n != n || b->store != IR_I64) return 0;
  for (int64_t k = 0; k < n; k++)
    if (b->i[k] != want[k]) return 0;
  return 1;
}

/* The error line a shape rule prints. */
typedef struct {
  ir_node *n;
} shape_arg;
static int call_shape(void *p) {
  shape_arg *a = p;
  return a->n->op->shape(G, a->n);
}
static int shape_error(ir_node *n, char *buf, size_t cap) {
  shape_arg a = {n};
  return t_capture_stderr(call_shape, &a, buf, cap);
}

/* --------------------------------------------------------------- Conv -- */

typedef struct {
  int ns;
  int64_t n, c, m, group;
  int64_t in[3], k[3], s[3], d[3], pb[3], pe[3];
} conv_case;

/* Straightforward gather-form convolution in double, from the definition. */
static ir_buf *conv_ref(const conv_case *cc, const ir_buf *x, const ir_buf *w,
                        const ir_buf *b) {
  int64_t in[3] = {1, 1, 1}, k[3] = {1, 1, 1}, s[3] = {1, 1, 1}, d[3] = {1, 1, 1};
  int64_t p[3] = {0, 0, 0}, o[3] = {1, 1, 1}, dims[5] = {cc->n, cc->m};
  for (int i = 0; i < cc->ns; i++) {
    int j = 3 - cc->ns + i;
    in[j] = cc->in[i], k[j] = cc->k[i], s[j] = cc->s[i], d[j] = cc->d[i], p[j] = cc->pb[i];
    o[j] = (cc->in[i] + cc->pb[i] + cc->pe[i] - (cc->k[i] - 1) * cc->d[i] - 1) / cc->s[i] + 1;
    dims[2 + i] = o[j];
  }
  ir_buf *y = t_buf(V, 2 + cc->ns, dims, NULL);
  int64_t cg = cc->c / cc->group, mg = cc->m / cc->group, q = 0;
  for (int64_t bn = 0; bn < cc->n; bn++)
    for (int64_t m = 0; m < cc->m; m++)
      for (int64_t z = 0; z < o[0]; z++)
        for (int64_t yy = 0; yy < o[1]; yy++)
          for (int64_t xx = 0; xx < o[2]; xx++) {
            double acc = b ? b->f[m] : 0;
            for (int64_t c = 0; c < cg; c++)
              for (int64_t a0 = 0; a0 < k[0]; a0++)
                for (int64_t a1 = 0; a1 < k[1]; a1++)
                  for (int64_t a2 = 0; a2 < k[2]; a2++) {
                    int64_t i0 = z * s[0] + a0 * d[0] - p[0];
                    int64_t i1 = yy * s[1] + a1 * d[1] - p[1];
                    int64_t i2 = xx * s[2] + a2 * d[2] - p[2];
                    if (i0 < 0 || i0 >= in[0] || i1 < 0 || i1 >= in[1] || i2 < 0 ||
                        i2 >= in[2])
                      continue;
                    int64_t ic = (m / mg) * cg + c;
                    double xv = x->f[(((bn * cc->c + ic) * in[0] + i0) * in[1] + i1) * in[2] + i2];
                    double wv = w->f[(((m * cg + c) * k[0] + a0) * k[1] + a1) * k[2] + a2];
                    acc += xv * wv;
                  }
            y->f[q++] = (float)acc;
          }
  return y;
}

static void conv_attrs(ir_node *n, const conv_case *cc, bool pads) {
  attr_ints(n, "strides", cc->ns, cc->s);
  attr_ints(n, "dilations", cc->ns, cc->d);
  attr_ints(n, "kernel_shape", cc->ns, cc->k);
  if (pads) {
    int64_t p[6];
    for (int i = 0; i < cc->ns; i++) p[i] = cc->pb[i], p[i + cc->ns] = cc->pe[i];
    attr_ints(n, "pads", 2 * cc->ns, p);
  }
  if (cc->group != 1) t_attr_i(G, n, "group", cc->group);
}

static void test_conv_random(void) {
  static const conv_case cases[] = {
      {2, 1, 3, 4, 1, {5, 6}, {3, 3}, {1, 1}, {1, 1}, {1, 1}, {1, 1}},
      {2, 2, 3, 5, 1, {7, 6}, {3, 2}, {2, 1}, {1, 2}, {1, 0}, {2, 1}},
      {2, 1, 4, 6, 2, {6, 6}, {3, 3}, {1, 2}, {2, 1}, {2, 1}, {0, 2}},
      {2, 1, 6, 6, 6, {5, 5}, {3, 3}, {1, 1}, {1, 1}, {1, 1}, {1, 1}},   /* depthwise */
      {2, 1, 4, 8, 4, {9, 4}, {5, 1}, {3, 1}, {1, 1}, {0, 0}, {0, 0}},
      {1, 2, 3, 2, 1, {11}, {4}, {2}, {2}, {3}, {1}},
      {1, 1, 2, 4, 2, {8}, {1}, {3}, {1}, {0}, {2}},
      {3, 1, 2, 3, 1, {4, 5, 3}, {2, 3, 2}, {1, 2, 1}, {1, 1, 2}, {1, 0, 1}, {0, 1, 1}},
      {2, 1, 1, 1, 1, {1, 1}, {1, 1}, {1, 1}, {1, 1}, {0, 0}, {0, 0}},
  };
  for (size_t t = 0; t < sizeof cases / sizeof cases[0]; t++) {
    const conv_case *cc = &cases[t];
    int64_t xd[5] = {cc->n, cc->c}, wd[5] = {cc->m, cc->c / cc->group}, bd[1] = {cc->m};
    for (int i = 0; i < cc->ns; i++) xd[2 + i] = cc->in[i], wd[2 + i] = cc->k[i];
    ir_buf *x = rbuf(2 + cc->ns, xd), *w = rbuf(2 + cc->ns, wd);
    ir_buf *b = t % 2 ? rbuf(1, bd) : NULL;
    ir_buf *in[3] = {x, w, b};
    ir_node *n = mk("Conv", b ? 3 : 2, in, 1);
    conv_attrs(n, cc, true);
    ir_buf *want = conv_ref(cc, x, w, b), *got = run1(n, in);
    int shape_ok = n->op->shape(G, n) == 0 && same_shape(got, want->rank, n->out[0]->dims) &&
                   n->out[0]->rank == want->rank;
    double e = maxrel(got, want);
    check(got && same_shape(got, want->rank, want->dims) && e < 1e-6 && shape_ok,
          "Conv case %zu: max rel error %g, shape rule %s", t, e, shape_ok ? "ok" : "wrong");
  }
  printf("Conv: %zu random geometries (1-D/2-D/3-D, strides, dilations, asymmetric pads, "
         "groups, depthwise) against a naive reference\n", sizeof cases / sizeof cases[0]);
}

/* auto_pad SAME_UPPER / SAME_LOWER / VALID equal the explicit pads they stand for. */
static void test_conv_autopad(void) {
  struct {
    const char *ap;
    int64_t k, s, in, pb, pe;
  } cases[] = {{"SAME_UPPER", 3, 1, 5, 1, 1}, {"SAME_UPPER", 2, 1, 5, 0, 1},
               {"SAME_LOWER", 2, 1, 5, 1, 0}, {"SAME_LOWER", 3, 2, 6, 1, 0},
               {"SAME_UPPER", 3, 2, 6, 0, 1}, {"VALID", 3, 2, 7, 0, 0}};
  for (size_t t = 0; t < sizeof cases / sizeof cases[0]; t++) {
    conv_case cc = {2, 1, 2, 3, 1, {cases[t].in, cases[t].in}, {cases[t].k, cases[t].k},
                    {cases[t].s, cases[t].s}, {1, 1}, {cases[t].pb, cases[t].pb},
                    {cases[t].pe, cases[t].pe}};
    int64_t xd[4] = {1, 2, cc.in[0], cc.in[1]}, wd[4] = {3, 2, cc.k[0], cc.k[1]};
    ir_buf *x = rbuf(4, xd), *w = rbuf(4, wd), *in[2] = {x, w};
    ir_node *n = mk("Conv", 2, in, 1);
    conv_attrs(&*n, &cc, false);
    t_attr_s(G, n, "auto_pad", cases[t].ap);
    ir_buf *want = conv_ref(&cc, x, w, NULL), *got = run1(n, in);
    check(same_shape(got, 4, want->dims) && maxrel(got, want) < 1e-6,
          "Conv auto_pad=%s k=%lld s=%lld in=%lld", cases[t].ap, (long long)cases[t].k,
          (long long)cases[t].s, (long long)cases[t].in);
  }
  printf("Conv: auto_pad SAME_UPPER/SAME_LOWER/VALID equal their explicit pads\n");
}

static void test_conv_errors(void) {
  char err[512];
  int64_t xd[4] = {1, 3, 8, 8}, wd[4] = {16, 4, 3, 3};
  ir_buf *in[2] = {t_buf(V, 4, xd, NULL), t_buf(V, 4, wd, NULL)};
  ir_node *n = mk("Conv", 2, in, 1);
  int r = shape_error(n, err, sizeof err);
  check(r == -1 && strstr(err, "Conv weight has 4 input channels, input has 3") &&
            strstr(err, n->name) && strstr(err, "(Conv)"),
        "Conv channel mismatch error, got: %s", err);
  printf("Conv: channel mismatch error: %s", err);
}

/* ------------------------------------------------------ MatMul, Gemm -- */

static ir_buf *matmul_ref(const ir_buf *a, const ir_buf *b, int rank, const int64_t *dims) {
  /* shapes as (batch..., m, k) x (batch..., k, n), broadcasting batch dims */
  int ra = a->rank, rb = b->rank;
  int64_t m = ra == 1 ? 1 : a->dims[ra - 2], k = a->dims[ra - 1];
  int64_t nn = rb == 1 ? 1 : b->dims[rb - 1];
  ir_buf *y = t_buf(V, rank, dims, NULL);
  int64_t batch = y->n / (m * nn);
  int br = rank - (ra > 1) - (rb > 1);
  for (int64_t t = 0; t < batch; t++) {
    int64_t idx[IR_MAX_RANK], rem = t;
    for (int i = br - 1; i >= 0; i--) idx[i] = rem % dims[i], rem /= dims[i];
    int64_t oa = 0, ob = 0;
    for (int i = 0; i < br; i++) {
      int ia = i - (br - (ra - 2)), ib = i - (br - (rb - 2));
      if (ia >= 0) oa = oa * a->dims[ia] + (a->dims[ia] == 1 ? 0 : idx[i]);
      if (ib >= 0) ob = ob * b->dims[ib] + (b->dims[ib] == 1 ? 0 : idx[i]);
    }
    for (int64_t i = 0; i < m; i++)
      for (int64_t j = 0; j < nn; j++) {
        double s = 0;
        for (int64_t p = 0; p < k; p++)
          s += (double)a->f[oa * m * k + i * k + p] * b->f[ob * k * nn + p * nn + j];
        y->f[(t * m + i) * nn + j] = (float)s;
      }
  }
  return y;
}

static void test_matmul(void) {
  struct {
    int ra, rb, ry;
    int64_t da[4], db[4], dy[4];
  } cases[] = {
      {2, 2, 2, {3, 4}, {4, 5}, {3, 5}},
      {1, 2, 1, {4}, {4, 3}, {3}},
      {3, 1, 2, {2, 3, 4}, {4}, {2, 3}},
      {1, 1, 0, {5}, {5}, {0}},
      {4, 3, 4, {2, 1, 3, 4}, {5, 4, 2}, {2, 5, 3, 2}},
      {3, 2, 3, {3, 2, 6}, {6, 1}, {3, 2, 1}},
  };
  for (size_t t = 0; t < sizeof cases / sizeof cases[0]; t++) {
    ir_buf *a = rbuf(cases[t].ra, cases[t].da), *b = rbuf(cases[t].rb, cases[t].db);
    ir_buf *in[2] = {a, b};
    ir_node *n = mk("MatMul", 2, in, 1);
    ir_buf *got = run1(n, in);
    ir_buf *want = matmul_ref(a, b, cases[t].ry, cases[t].dy);
    int sr = n->op->shape(G, n) == 0 && n->out[0]->rank == cases[t].ry &&
             !memcmp(n->out[0]->dims, cases[t].dy, sizeof(int64_t) * (size_t)cases[t].ry);
    check(same_shape(got, cases[t].ry, cases[t].dy) && maxrel(got, want) < 1e-6 && sr,
          "MatMul case %zu", t);
  }
  char err[512];
  int64_t da[2] = {3, 4}, db[2] = {5, 2};
  ir_buf *in[2] = {t_buf(V, 2, da, NULL), t_buf(V, 2, db, NULL)};
  ir_node *n = mk("MatMul", 2, in, 1);
  int r = shape_error(n, err, sizeof err);
  check(r == -1 && strstr(err, "MatMul inner dimensions differ: [3,4] x [5,2]"),
        "MatMul error, got: %s", err);
  printf("MatMul: %zu shapes (1-D both sides, batch broadcasting) against a naive "
         "reference; error: %s", sizeof cases / sizeof cases[0], err);
}

static void test_gemm(void) {
  int64_t M = 3, K = 5, N = 4;
  int cases = 0;
  for (int ta = 0; ta < 2; ta++)
    for (int tb = 0; tb < 2; tb++)
      for (int cm = 0; cm < 4; cm++) { /* C: none, scalar, [N], [M,1] */
        int64_t da[2] = {ta ? K : M, ta ? M : K}, db[2] = {tb ? N : K, tb ? K : N};
        int64_t dc1[1] = {N}, dc2[2] = {M, 1};
        ir_buf *a = rbuf(2, da), *b = rbuf(2, db), *c = NULL;
        if (cm == 1) c = t_scalar(V, 0.75f);
        if (cm == 2) c = rbuf(1, dc1);
        if (cm == 3) c = rbuf(2, dc2);
        ir_buf *in[3] = {a, b, c};
        ir_node *n = mk("Gemm", c ? 3 : 2, in, 1);
        t_attr_i(G, n, "transA", ta);
        t_attr_i(G, n, "transB", tb);
        t_attr_f(G, n, "alpha", 0.5f);
        t_attr_f(G, n, "beta", -2.0f);
        ir_buf *got = run1(n, in);
        float want[12];
        for (int64_t i = 0; i < M; i++)
          for (int64_t j = 0; j < N; j++) {
            double s = 0;
            for (int64_t p = 0; p < K; p++)
              s += (double)a->f[ta ? p * M + i : i * K + p] * b->f[tb ? j * K + p : p * N + j];
            double cv = cm == 1 ? c->f[0] : cm == 2 ? c->f[j] : cm == 3 ? c->f[i] : 0;
            want[i * N + j] = (float)(0.5 * s - 2.0 * cv);
          }
        int64_t dy[2] = {M, N};
        check(same_shape(got, 2, dy) && equals_f(got, M * N, want),
              "Gemm transA=%d transB=%d C mode %d", ta, tb, cm);
        cases++;
      }
  printf("Gemm: %d combinations of transA, transB and C broadcasting\n", cases);
}

/* --------------------------------------------------- BN, Softmax etc. -- */

static void test_batchnorm(void) {
  int64_t xd[4] = {1, 2, 1, 3}, cd[1] = {2};
  float xv[6] = {-1, 0, 1, 2, 3, 4};
  float s[2] = {1.0f, 1.5f}, bias[2] = {0, 1}, mean[2] = {0, 3}, var[2] = {1, 1.5f};
  ir_buf *in[5] = {t_buf(V, 4, xd, xv), t_buf(V, 1, cd, s), t_buf(V, 1, cd, bias),
                   t_buf(V, 1, cd, mean), t_buf(V, 1, cd, var)};
  ir_node *n = mk("BatchNormalization", 5, in, 1);
  ir_buf *y = run1(n, in);
  float want[6];
  for (int k = 0; k < 6; k++) {
    int c = k / 3;
    want[k] = (float)((xv[k] - mean[c]) / sqrt(var[c] + 1e-5) * s[c] + bias[c]);
  }
  check(equals_f(y, 6, want), "BatchNormalization (ONNX doc example)");
  printf("BatchNormalization: ONNX documentation example\n");
}

static void test_softmax(void) {
  int64_t d[3] = {2, 2, 3};
  float xv[12] = {1, 2, 3, 4, 5, 6, -1, 0, 1, 2, 2, 2};
  ir_buf *x = t_buf(V, 3, d, xv), *in[1] = {x};
  /* opset 13, axis 1: normalise over the middle axis only */
  G->opset = 13;
  ir_node *n = mk("Softmax", 1, in, 1);
  t_attr_i(G, n, "axis", 1);
  ir_buf *y = run1(n, in);
  float w13[12];
  for (int o = 0; o < 2; o++)
    for (int i = 0; i < 3; i++) {
      double a = exp(xv[o * 6 + i]), b = exp(xv[o * 6 + 3 + i]);
      w13[o * 6 + i] = (float)(a / (a + b));
      w13[o * 6 + 3 + i] = (float)(b / (a + b));
    }
  check(equals_f(y, 12, w13), "Softmax opset 13 axis 1");
  /* opset 11, axis 1: flatten to [2, 6] and normalise each row */
  G->opset = 11;
  y = run1(n, in);
  float w11[12];
  for (int o = 0; o < 2; o++) {
    double s = 0;
    for (int i = 0; i < 6; i++) s += exp(xv[o * 6 + i]);
    for (int i = 0; i < 6; i++) w11[o * 6 + i] = (float)(exp(xv[o * 6 + i]) / s);
  }
  check(equals_f(y, 12, w11), "Softmax opset 11 axis 1 (2-D coercion)");
  ir_node *ln = mk("LogSoftmax", 1, in, 1);
  y = run1(ln, in);
  for (int k = 0; k < 12; k++) w11[k] = logf(w11[k]);
  check(equals_f(y, 12, w11), "LogSoftmax opset 11");
  G->opset = 13;
  printf("Softmax/LogSoftmax: axis semantics of opset 11 (flatten) and 13 (one axis)\n");
}

static void test_argmax_topk(void) {
  int64_t d[2] = {2, 4};
  float xv[8] = {1, 3, 3, 0, 5, 5, 5, 2};
  ir_buf *in[2] = {t_buf(V, 2, d, xv), NULL};
  ir_node *n = mk("ArgMax", 1, in, 1);
  t_attr_i(G, n, "axis", 1);
  int64_t w1[2] = {1, 0}, w2[2] = {2, 2};
  ir_buf *y = run1(n, in);
  int64_t kd[2] = {2, 1};
  check(same_shape(y, 2, kd) && equals_i(y, 2, w1), "ArgMax first index");
  t_attr_i(G, n, "select_last_index", 1);
  check(equals_i(run1(n, in), 2, w2), "ArgMax select_last_index");
  t_attr_i(G, n, "keepdims", 0);
  y = run1(n, in);
  check(y && y->rank == 1 && y->dims[0] == 2, "ArgMax keepdims=0 shape");

  int64_t one = 1, kv = 3;
  in[1] = ibuf(1, &one, &kv);
  ir_node *t = mk("TopK", 2, in, 2);
  ir_buf *out[2] = {0};
  float wv[6] = {3, 3, 1, 5, 5, 5};
  int64_t wi[6] = {1, 2, 0, 0, 1, 2};
  check(run(t, in, out) == 0 && equals_f(out[0], 6, wv) && equals_i(out[1], 6, wi),
        "TopK largest with ties (lower index first)");
  ir_node *t2 = mk("TopK", 2, in, 2);
  t_attr_i(G, t2, "largest", 0);
  float sv[6] = {0, 1, 3, 2, 5, 5};
  int64_t si[6] = {3, 0, 1, 7 - 4, 0, 1};
  check(run(t2, in, out) == 0 && equals_f(out[0], 6, sv) && equals_i(out[1], 6, si),
        "TopK smallest");
  printf("ArgMax/TopK: ties, select_last_index, keepdims, largest/smallest\n");
}

/* -------------------------------------------------------------- pools -- */

static void test_pools(void) {
  int64_t d[4] = {1, 1, 4, 4};
  float xv[16];
  for (int k = 0; k < 16; k++) xv[k] = (float)(k + 1);
  ir_buf *in[1] = {t_buf(V, 4, d, xv)};
  int64_t k2[2] = {2, 2}, k3[2] = {3, 3}, s2[2] = {2, 2}, p1[4] = {1, 1, 1, 1};

  ir_node *n = mk("MaxPool", 1, in, 1);
  attr_ints(n, "kernel_shape", 2, k2);
  attr_ints(n, "strides", 2, s2);
  float w1[4] = {6, 8, 14, 16};
  check(equals_f(run1(n, in), 4, w1), "MaxPool 2x2 stride 2");

  n = mk("MaxPool", 1, in, 1);
  attr_ints(n, "kernel_shape", 2, k3);
  attr_ints(n, "strides", 2, s2);
  t_attr_i(G, n, "ceil_mode", 1);
  float w2[4] = {11, 12, 15, 16};
  ir_buf *y = run1(n, in);
  int64_t od[4] = {1, 1, 2, 2};
  check(same_shape(y, 4, od) && equals_f(y, 4, w2), "MaxPool 3x3 stride 2 ceil_mode");

  /* AveragePool 3x3 pads 1: corner averages 4 values, or 9 with count_include_pad */
  n = mk("AveragePool", 1, in, 1);
  attr_ints(n, "kernel_shape", 2, k3);
  attr_ints(n, "pads", 4, p1);
  y = run1(n, in);
  check(y && y->n == 16 && fabsf(y->f[0] - (1 + 2 + 5 + 6) / 4.0f) < 1e-6f &&
            fabsf(y->f[5] - (1 + 2 + 3 + 5 + 6 + 7 + 9 + 10 + 11) / 9.0f) < 1e-6f,
        "AveragePool pads, count_include_pad=0");
  t_attr_i(G, n, "count_include_pad", 1);
  y = run1(n, in);
  check(y && fabsf(y->f[0] - (1 + 2 + 5 + 6) / 9.0f) < 1e-6f,
        "AveragePool count_include_pad=1");

  ir_node *gp = mk("GlobalAveragePool", 1, in, 1), *gm = mk("GlobalMaxPool", 1, in, 1);
  int64_t gd[4] = {1, 1, 1, 1};
  float ga = 8.5f, gmx = 16;
  y = run1(gp, in);
  check(same_shape(y, 4, gd) && equals_f(y, 1, &ga), "GlobalAveragePool");
  check(equals_f(run1(gm, in), 1, &gmx), "GlobalMaxPool");

  /* MaxPool Indices output */
  n = mk("MaxPool", 1, in, 2);
  attr_ints(n, "kernel_shape", 2, k2);
  attr_ints(n, "strides", 2, s2);
  ir_buf *out[2] = {0};
  int64_t wi[4] = {5, 7, 13, 15};
  check(run(n, in, out) == 0 && equals_i(out[1], 4, wi), "MaxPool Indices");
  printf("MaxPool/AveragePool/GlobalAverage/GlobalMaxPool: strides, ceil_mode, pads, "
         "count_include_pad, Indices\n");
}

/* ------------------------------------------------ Resize, D2S, Pad -- */

static void test_resize(void) {
  int64_t d[4] = {1, 1, 2, 2}, four = 4;
  float xv[4] = {1, 2, 3, 4}, sc[4] = {1, 1, 2, 3};
  ir_buf *x = t_buf(V, 4, d, xv), *s = t_buf(V, 1, &four, sc);
  ir_buf *in[3] = {x, NULL, s};
  G->opset = 13;
  ir_node *n = mk("Resize", 3, in, 1);
  t_attr_s(G, n, "mode", "nearest");
  ir_buf *y = run1(n, in);
  /* ONNX doc example of upsample_scales_nearest (half_pixel, round_prefer_floor) */
  float full[24] = {1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2,
                    3, 3, 3, 4, 4, 4, 3, 3, 3, 4, 4, 4};
  int64_t od[4] = {1, 1, 4, 6};
  check(same_shape(y, 4, od) && equals_f(y, 24, full), "Resize nearest scales [1,1,2,3]");

  /* linear, align_corners: 2 -> 4 along one axis gives 1, 4/3, 5/3, 2 */
  int64_t d1[3] = {1, 1, 2}, three = 3;
  float x1[2] = {1, 2}, s1[3] = {1, 1, 2};
  ir_buf *in1[3] = {t_buf(V, 3, d1, x1), NULL, t_buf(V, 1, &three, s1)};
  n = mk("Resize", 3, in1, 1);
  t_attr_s(G, n, "mode", "linear");
  t_attr_s(G, n, "coordinate_transformation_mode", "align_corners");
  float wl[4] = {1, 4.0f / 3, 5.0f / 3, 2};
  check(equals_f(run1(n, in1), 4, wl), "Resize linear align_corners");

  /* Upsample opset 9 nearest */
  G->opset = 9;
  ir_buf *in9[2] = {x, s};
  n = mk("Upsample", 2, in9, 1);
  check(equals_f(run1(n, in9), 24, full), "Upsample nearest (opset 9)");
  G->opset = 13;
  printf("Resize/Upsample: nearest (ONNX doc example), linear align_corners, opset 9\n");
}

static void test_d2s_pad(void) {
  int64_t d[4] = {1, 8, 1, 1};
  float xv[8] = {0, 1, 2, 3, 4, 5, 6, 7};
  ir_buf *in[1] = {t_buf(V, 4, d, xv)};
  ir_node *n = mk("DepthToSpace", 1, in, 1);
  t_attr_i(G, n, "blocksize", 2);
  /* DCR: out[c, i, j] = in[(i*2+j)*2 + c] */
  float dcr[8] = {0, 2, 4, 6, 1, 3, 5, 7}, crd[8] = {0, 1, 2, 3, 4, 5, 6, 7};
  int64_t od[4] = {1, 2, 2, 2};
  ir_buf *y = run1(n, in);
  check(same_shape(y, 4, od) && equals_f(y, 8, dcr), "DepthToSpace DCR");
  t_attr_s(G, n, "mode", "CRD");
  check(equals_f(run1(n, in), 8, crd), "DepthToSpace CRD");

  int64_t pd[2] = {3, 2}, four = 4, pads[4] = {0, 2, 0, 0};
  float pv[6] = {1, 1.2f, 2.3f, 3.4f, 4.5f, 5.7f};
  ir_buf *pin[2] = {t_buf(V, 2, pd, pv), ibuf(1, &four, pads)};
  static const struct {
    const char *mode;
    float want[12];
  } cases[] = {
      {"constant", {0, 0, 1, 1.2f, 0, 0, 2.3f, 3.4f, 0, 0, 4.5f, 5.7f}},
      {"reflect", {1, 1.2f, 1, 1.2f, 2.3f, 3.4f, 2.3f, 3.4f, 4.5f, 5.7f, 4.5f, 5.7f}},
      {"edge", {1, 1, 1, 1.2f, 2.3f, 2.3f, 2.3f, 3.4f, 4.5f, 4.5f, 4.5f, 5.7f}},
      {"wrap", {1, 1.2f, 1, 1.2f, 2.3f, 3.4f, 2.3f, 3.4f, 4.5f, 5.7f, 4.5f, 5.7f}},
  };
  for (size_t t = 0; t < 4; t++) {
    n = mk("Pad", 2, pin, 1);
    t_attr_s(G, n, "mode", cases[t].mode);
    y = run1(n, pin);
    int64_t yd[2] = {3, 4};
    check(same_shape(y, 2, yd) && equals_f(y, 12, cases[t].want), "Pad mode %s",
          cases[t].mode);
  }
  printf("DepthToSpace DCR/CRD, Pad constant/reflect/edge/wrap (ONNX doc examples)\n");
}

/* ---------------------------------------------------------- shape ops -- */

static void test_shape_ops(void) {
  int64_t d[3] = {2, 3, 4};
  ir_buf *x = rbuf(3, d);
  /* Reshape: 0 copies, -1 infers; allowzero keeps 0 */
  int64_t three = 3, shp[3] = {0, -1, 2};
  ir_buf *in[2] = {x, ibuf(1, &three, shp)};
  ir_node *n = mk("Reshape", 2, in, 1);
  int64_t want[3] = {2, 6, 2};
  ir_buf *y = run1(n, in);
  check(same_shape(y, 3, want) && maxrel(y, x) == 0, "Reshape [0,-1,2]");
  n->in[1]->init = in[1];
  check(n->op->shape(G, n) == 0 && n->out[0]->rank == 3 &&
            !memcmp(n->out[0]->dims, want, sizeof want),
        "Reshape shape rule with a constant shape");
  int64_t two = 2, bad[2] = {7, -1};
  ir_buf *in2[2] = {x, ibuf(1, &two, bad)};
  n = mk("Reshape", 2, in2, 1);
  n->in[1]->init = in2[1];
  char err[512];
  int r = shape_error(n, err, sizeof err);
  check(r == -1 && strstr(err, "Reshape to [7,-1] cannot hold 24 elements"),
        "Reshape error, got: %s", err);
  printf("Reshape error: %s", err);

  /* Transpose default perm and explicit */
  ir_buf *tin[1] = {x};
  n = mk("Transpose", 1, tin, 1);
  y = run1(n, tin);
  int64_t td[3] = {4, 3, 2};
  int ok = same_shape(y, 3, td);
  for (int i = 0; ok && i < 2; i++)
    for (int j = 0; j < 3; j++)
      for (int k = 0; k < 4; k++)
        ok &= y->f[(k * 3 + j) * 2 + i] == x->f[(i * 3 + j) * 4 + k];
  check(ok, "Transpose default (reversed axes)");
  int64_t perm[3] = {1, 0, 2};
  attr_ints(n, "perm", 3, perm);
  y = run1(n, tin);
  ok = y != NULL;
  for (int i = 0; ok && i < 2; i++)
    for (int j = 0; j < 3; j++)
      for (int k = 0; k < 4; k++) ok &= y->f[(j * 2 + i) * 4 + k] == x->f[(i * 3 + j) * 4 + k];
  check(ok, "Transpose perm [1,0,2]");

  /* Concat with negative axis, Split back */
  ir_buf *cin[2] = {x, x};
  n = mk("Concat", 2, cin, 1);
  t_attr_i(G, n, "axis", -2);
  y = run1(n, cin);
  int64_t cd[3] = {2, 6, 4};
  check(same_shape(y, 3, cd) && y->f[4 * 3] == x->f[0] && y->f[24 + 4 * 3] == x->f[12],
        "Concat axis -2");
  ir_buf *sin[2] = {y, NULL};
  n = mk("Split", 1, sin, 3);
  t_attr_i(G, n, "axis", 1);
  ir_buf *parts[3] = {0};
  ok = run(n, sin, parts) == 0;
  int64_t pd[3] = {2, 2, 4};
  for (int p = 0; ok && p < 3; p++) ok &= same_shape(parts[p], 3, pd);
  check(ok && parts[1]->f[8] == x->f[20] && parts[2]->f[0] == x->f[4],
        "Split into 3 equal parts");
  int64_t sp[2] = {1, 5};
  ir_buf *sin2[2] = {y, ibuf(1, &two, sp)};
  n = mk("Split", 2, sin2, 2);
  t_attr_i(G, n, "axis", 1);
  int64_t p0[3] = {2, 1, 4}, p1[3] = {2, 5, 4};
  check(run(n, sin2, parts) == 0 && same_shape(parts[0], 3, p0) &&
            same_shape(parts[1], 3, p1),
        "Split with a split input");

  /* Shape with start/end, Gather with negative indices */
  n = mk("Shape", 1, tin, 1);
  t_attr_i(G, n, "start", -2);
  int64_t sw[2] = {3, 4};
  check(equals_i(run1(n, tin), 2, sw), "Shape start=-2");
  int64_t gi[2] = {-1, 0};
  ir_buf *gin[2] = {x, ibuf(1, &two, gi)};
  n = mk("Gather", 2, gin, 1);
  t_attr_i(G, n, "axis", 1);
  y = run1(n, gin);
  int64_t gd[3] = {2, 2, 4};
  check(same_shape(y, 3, gd) && y->f[0] == x->f[8] && y->f[4] == x->f[0],
        "Gather axis 1 negative index");

  /* Unsqueeze (axes input, opset 13) and Squeeze */
  int64_t ax[2] = {0, -1};
  ir_buf *uin[2] = {x, ibuf(1, &two, ax)};
  n = mk("Unsqueeze", 2, uin, 1);
  y = run1(n, uin);
  int64_t ud[5] = {1, 2, 3, 4, 1};
  check(same_shape(y, 5, ud), "Unsqueeze axes [0,-1]");
  ir_buf *qin[2] = {y, NULL};
  n = mk("Squeeze", 1, qin, 1);
  check(same_shape(run1(n, qin), 3, d), "Squeeze all ones");

  /* Flatten */
  n = mk("Flatten", 1, tin, 1);
  t_attr_i(G, n, "axis", -1);
  int64_t fd[2] = {6, 4};
  check(same_shape(run1(n, tin), 2, fd), "Flatten axis -1");
  printf("Reshape/Transpose/Concat/Split/Shape/Gather/Unsqueeze/Squeeze/Flatten\n");
}

/* ---------------------------------------------------- performance -- */

/* The conv/pool stack of the CIFAR-10 CNV network (about 58M MACs). */
static void test_cnv_speed(void) {
  static const struct {
    int64_t cin, cout, hw;
    bool pool;
  } layers[] = {{3, 64, 32, 0},   {64, 64, 30, 1},   {64, 128, 14, 0},
                {128, 128, 12, 1}, {128, 256, 5, 0}, {256, 256, 3, 0}};
  double macs = 0;
  clock_t t0 = clock();
  int64_t xd[4] = {1, 3, 32, 32};
  ir_buf *x = rbuf(4, xd);
  for (size_t l = 0; l < sizeof layers / sizeof layers[0]; l++) {
    int64_t wd[4] = {layers[l].cout, layers[l].cin, 3, 3};
    ir_buf *in[2] = {x, rbuf(4, wd)};
    ir_node *n = mk("Conv", 2, in, 1);
    x = run1(n, in);
    if (!x) break;
    macs += (double)x->n * (double)layers[l].cin * 9;
    if (layers[l].pool) {
      int64_t k2[2] = {2, 2};
      ir_buf *pin[1] = {x};
      ir_node *p = mk("MaxPool", 1, pin, 1);
      attr_ints(p, "kernel_shape", 2, k2);
      attr_ints(p, "strides", 2, k2);
      x = run1(p, pin);
    }
  }
  double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
  printf("CNV conv stack: %.1fM MACs in %.3f s (%.0f MMAC/s)\n", macs / 1e6, secs,
         macs / 1e6 / secs);
  /* The time is printed, not asserted: timed assertions fail on loaded machines. */
  check(x && x->dims[1] == 256 && x->dims[2] == 1, "CNV stack output shape");
}

int main(void) {
  G = ir_graph_new("unit.onnx");
  G->opset = 13;
  V = ir_arena_new();
  test_conv_random();
  test_conv_autopad();
  test_conv_errors();
  test_matmul();
  test_gemm();
  test_batchnorm();
  test_softmax();
  test_argmax_topk();
  test_pools();
  test_resize();
  test_d2s_pad();
  test_shape_ops();
  test_cnv_speed();
  ir_arena_free(V);
  ir_graph_free(G);
  return t_report("test_ops_nn");
}
