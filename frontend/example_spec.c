/* example_spec.c - the random example models' options: defaults drawn from the
 * seed, validation, and the option string that rebuilds a model exactly. */
#include <stdio.h>
#include <string.h>

#include "frontend/example.h"
#include "frontend/example_rng.h"

const char *const qr_ex_rounding_names[7] = {"ROUND", "CEIL", "FLOOR", "UP",
                                             "DOWN", "HALF_UP", "HALF_DOWN"};


void qr_ex_spec_init(qr_ex_spec *s, qr_ex_kind kind, uint64_t seed) {
  memset(s, 0, sizeof *s);
  s->kind = kind;
  s->seed = seed;
  s->in_c = s->in_h = s->in_w = -1;
  s->npool = -1;
  s->wbits = s->abits = s->ibits = -1;
  s->wsigned = s->asigned = s->isigned = s->narrow = s->rounding = s->scale = -1;
  s->bn = s->bias = s->relu = s->iquant = s->outq = s->transpose = -1;
}

static void set_if_unset(int *field, int v) {
  if (*field < 0) *field = v;
}

static int pick(qr_rng *r, const int *table, int n) { return table[qr_rint(r, 0, n - 1)]; }

/* Scalar choices, always drawn in this order so that fixing one option does
 * not change the others. */
static void draw_scalars(qr_ex_spec *s, qr_rng *r) {
  static const int wb[] = {1, 1, 2, 2, 3, 4, 5, 6, 8};
  static const int ib[] = {1, 2, 3, 4, 5, 8};
  int v[16];
  v[0] = pick(r, wb, 9);
  v[1] = pick(r, wb, 9);
  v[2] = pick(r, ib, 6);
  v[3] = qr_rchance(r, 0.9);
  v[4] = qr_rchance(r, 0.6);
  v[5] = qr_rchance(r, 0.5);
  v[6] = qr_rchance(r, 0.5);
  v[7] = qr_rchance(r, 0.5) ? 0 : qr_rint(r, 0, 6);
  double u = qr_runif(r);
  v[8] = u < 0.4 ? QR_SC_UNIT : u < 0.65 ? QR_SC_POW2 : u < 0.85 ? QR_SC_FLOAT : QR_SC_CHAN;
  v[9] = qr_rchance(r, 0.75);
  v[10] = qr_rchance(r, 0.4);
  v[11] = qr_rchance(r, 0.5);
  v[12] = qr_rchance(r, 0.6);
  v[13] = qr_rchance(r, 0.4);
  v[14] = qr_rchance(r, 0.6);
  set_if_unset(&s->wbits, v[0]);
  set_if_unset(&s->abits, v[1]);
  set_if_unset(&s->ibits, v[2]);
  set_if_unset(&s->wsigned, v[3]);
  set_if_unset(&s->asigned, v[4]);
  set_if_unset(&s->isigned, v[5]);
  set_if_unset(&s->narrow, v[6]);
  set_if_unset(&s->rounding, v[7]);
  set_if_unset(&s->scale, v[8]);
  set_if_unset(&s->bn, v[9]);
  set_if_unset(&s->bias, v[10]);
  set_if_unset(&s->relu, s->asigned ? 0 : v[11]);
  set_if_unset(&s->iquant, v[12]);
  set_if_unset(&s->outq, v[13]);
  set_if_unset(&s->transpose, v[14]);
}

int qr_ex_conv_out(int in, const qr_ex_conv *c) {
  if (in + 2 * c->p < c->k) return 0; /* (negative / s) would truncate towards 0 */
  return (in + 2 * c->p - c->k) / c->s + 1;
}

/* Input, conv layers and pools, drawn layer by layer so that every conv and
 * pool gets an image it fits (convs drawn here never fail: with stride 1 and
 * padding k-1 the image does not shrink). */
static void draw_convs(qr_ex_spec *s, qr_rng *r) {
  int c = qr_rint(r, 1, 4), h = qr_rint(r, 4, 12), w = qr_rchance(r, 0.5) ? h : qr_rint(r, 4, 12);
  set_if_unset(&s->in_c, c);
  set_if_unset(&s->in_h, h);
  set_if_unset(&s->in_w, w);
  int draw_conv = s->nconvs == 0, draw_pool = s->npool < 0;
  int n = draw_conv ? qr_rint(r, 1, 3) : s->nconvs, ic = s->in_c, hh = s->in_h, ww = s->in_w;
  if (draw_pool) s->npool = 0;
  for (int i = 0; i < n; i++) {
    if (draw_conv) {
      qr_ex_conv cv;
      cv.k = qr_rint(r, 1, 4);
      cv.s = qr_rint(r, 1, 2);
      cv.p = qr_rint(r, 0, cv.k - 1);
      cv.oc = qr_rint(r, 1, 12);
      cv.g = 1;
      if (ic > 1 && qr_rchance(r, 0.15)) cv.oc = cv.g = ic; /* depthwise */
      if (qr_ex_conv_out(hh, &cv) < 1 || qr_ex_conv_out(ww, &cv) < 1) cv.s = 1, cv.p = cv.k - 1;
      s->conv[i] = cv;
    }
    hh = qr_ex_conv_out(hh, &s->conv[i]);
    ww = qr_ex_conv_out(ww, &s->conv[i]);
    ic = s->conv[i].oc;
    if (draw_pool) {
      s->pool[i] = hh >= 2 && ww >= 2 && qr_rchance(r, 0.35);
      s->npool += s->pool[i];
    }
    if (s->pool[i] && hh >= 2 && ww >= 2) hh /= 2, ww /= 2;
  }
  s->nconvs = n;
}

static int check_range(const char *what, int v, int lo, int hi) {
  if (v >= lo && v <= hi) return 0;
  return ir_errorf(NULL, NULL, "example: %s = %d is out of range [%d, %d]", what, v, lo, hi);
}

static int check_cnn(const qr_ex_spec *s) {
  int c = s->in_c, h = s->in_h, w = s->in_w;
  if (check_range("input channels", c, 1, 1024) || check_range("input height", h, 1, 1024) ||
      check_range("input width", w, 1, 1024))
    return -1;
  for (int i = 0; i < s->nconvs; i++) {
    const qr_ex_conv *cv = &s->conv[i];
    if (check_range("conv kernel", cv->k, 1, 11) || check_range("conv stride", cv->s, 1, 8) ||
        check_range("conv padding", cv->p, 0, 10) ||
        check_range("conv channels", cv->oc, 1, 4096) || check_range("conv group", cv->g, 1, 4096))
      return -1;
    if (c % cv->g || cv->oc % cv->g)
      return ir_errorf(NULL, NULL,
                       "example: conv %d: group %d does not divide %d input and %d output "
                       "channels", i, cv->g, c, cv->oc);
    h = qr_ex_conv_out(h, cv);
    w = qr_ex_conv_out(w, cv);
    if (h < 1 || w < 1)
      return ir_errorf(NULL, NULL, "example: conv %d leaves a %dx%d image (kernel %d, "
                       "stride %d, padding %d)", i, h, w, cv->k, cv->s, cv->p);
    if (s->pool[i]) {
      if (h < 2 || w < 2)
        return ir_errorf(NULL, NULL, "example: maxpool after conv %d on a %dx%d image", i, h, w);
      h /= 2, w /= 2;
    }
    c = cv->oc;
  }
  return 0;
}

int qr_ex_resolve(qr_ex_spec *s) {
  qr_rng r = {s->seed * 0x2545F4914F6CDD1Dull + 0x1234567ull};
  draw_scalars(s, &r);
  if (s->kind == QR_EX_CNN) draw_convs(s, &r);
  if (s->nlayers == 0) {
    int nh = qr_rint(&r, s->kind == QR_EX_CNN ? 0 : 1, 3), n = 0;
    if (s->kind == QR_EX_MLP) s->layers[n++] = qr_rint(&r, 1, 64);
    for (int i = 0; i < nh; i++) s->layers[n++] = qr_rint(&r, 1, 48);
    s->layers[n++] = qr_rint(&r, 1, 16);
    s->nlayers = n;
  }
  if (check_range("weight bits", s->wbits, 1, 16) ||
      check_range("activation bits", s->abits, 1, 16) ||
      check_range("input bits", s->ibits, 1, 16) || check_range("rounding", s->rounding, 0, 6) ||
      check_range("scale", s->scale, 0, 3))
    return -1;
  if (s->kind == QR_EX_MLP && s->nlayers < 2)
    return ir_errorf(NULL, NULL, "example: mlp --layers needs at least 2 widths (in,out)");
  for (int i = 0; i < s->nlayers; i++)
    if (check_range("layer width", s->layers[i], 1, 1 << 16)) return -1;
  return s->kind == QR_EX_CNN ? check_cnn(s) : 0;
}

const char *qr_ex_spec_str(ir_arena *a, const qr_ex_spec *s) {
  static const char *const scale_names[] = {"unit", "pow2", "float", "chan"};
  char *layers = ir_sprintf(a, "%d", s->layers[0]);
  for (int i = 1; i < s->nlayers; i++) layers = ir_sprintf(a, "%s,%d", layers, s->layers[i]);
  char *str = ir_sprintf(a, "%s --seed %llu", s->kind == QR_EX_CNN ? "cnn" : "mlp",
                         (unsigned long long)s->seed);
  if (s->kind == QR_EX_CNN) {
    char *convs = ir_strdup(a, "");
    char *pools = ir_strdup(a, "");
    for (int i = 0; i < s->nconvs; i++) {
      const qr_ex_conv *c = &s->conv[i];
      convs = ir_sprintf(a, "%s%s%d:%d:%d:%d:%d", convs, i ? "," : "", c->oc, c->k, c->s,
                         c->p, c->g);
      if (s->pool[i]) pools = ir_sprintf(a, "%s%s%d", pools, *pools ? "," : "", i);
    }
    str = ir_sprintf(a, "%s --input %d,%d,%d --convs %s --pool %s --fc %s", str, s->in_c,
                     s->in_h, s->in_w, convs, *pools ? pools : "none", layers);
  } else {
    str = ir_sprintf(a, "%s --layers %s", str, layers);
  }
  return ir_sprintf(a,
                    "%s --wbits %d --abits %d --ibits %d --wsigned %d --asigned %d "
                    "--isigned %d --narrow %d --rounding %s --scale %s --bn %d --bias %d "
                    "--relu %d --iquant %d --outq %d --transpose %d",
                    str, s->wbits, s->abits, s->ibits, s->wsigned, s->asigned, s->isigned,
                    s->narrow, qr_ex_rounding_names[s->rounding], scale_names[s->scale], s->bn,
                    s->bias, s->relu, s->iquant, s->outq, s->transpose);
}

