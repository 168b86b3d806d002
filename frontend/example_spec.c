/* example_spec.c - the random example models' options: defaults drawn from the
 * seed, validation, and the option string that rebuilds a model exactly. */
#include <stdarg.h>
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
  s->npool = s->navgpool = -1;
  s->gap = -1;
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
  int span = (c->d > 1 ? c->d : 1) * (c->k - 1) + 1; /* the dilated kernel's extent */
  if (in + 2 * c->p < span) return 0; /* (negative / s) would truncate towards 0 */
  return (in + 2 * c->p - span) / c->s + 1;
}

/* ------------------------------------------------------- shape walker -- */

/* Walks a conv stack unit by unit: a plain conv, a concat group (a conv and
 * the `cat` convs after it, all on the group's input), or a residual block (a
 * `res` conv and the rest of its branch, whose output must match the block's
 * input).  Pools belong to the last conv of a unit. */
typedef struct walk {
  int c, h, w;      /* the current tensor: output of the last conv / unit */
  int gc, gh, gw;   /* input of the current concat group */
  int bc, bh, bw;   /* input of the current residual block */
  int left;         /* convs left in the current residual branch */
  int in_branch;    /* the last conv walked belonged to a residual branch */
  char err[256];
} walk;

static void walk_init(walk *k, const qr_ex_spec *s) {
  memset(k, 0, sizeof *k);
  k->c = s->in_c, k->h = s->in_h, k->w = s->in_w;
}

static int walk_err(walk *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int walk_err(walk *k, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(k->err, sizeof k->err, fmt, ap);
  va_end(ap);
  return -1;
}

/* Is conv i the last conv of its unit (where a pool may follow)? */
static int unit_end(const qr_ex_spec *s, const walk *k, int i) {
  return k->left == 0 && !(i + 1 < s->nconvs && s->conv[i + 1].cat);
}

/* Conv i: structure and shape checks, then the current tensor after it (and
 * after the Add that ends a residual block).  -1 with k->err set. */
static int walk_conv(walk *k, const qr_ex_spec *s, int i) {
  const qr_ex_conv *cv = &s->conv[i];
  if (cv->res < 0 || cv->res > s->nconvs - i)
    return walk_err(k, "conv %d: a residual branch of %d conv(s) runs past the last conv", i,
                    cv->res);
  if (cv->res && cv->cat) return walk_err(k, "conv %d is both res and cat", i);
  if (cv->res && k->left)
    return walk_err(k, "conv %d: res inside the residual branch of an earlier conv", i);
  if (cv->cat && (i == 0 || k->in_branch))
    return walk_err(k, "conv %d: cat needs a plain conv or another cat before it, outside "
                       "residual branches", i);
  if (cv->res) k->bc = k->c, k->bh = k->h, k->bw = k->w, k->left = cv->res;
  int ic = cv->cat ? k->gc : k->c, ih = cv->cat ? k->gh : k->h, iw = cv->cat ? k->gw : k->w;
  if (ic % cv->g || cv->oc % cv->g)
    return walk_err(k, "conv %d: group %d does not divide %d input and %d output channels",
                    i, cv->g, ic, cv->oc);
  int oh = qr_ex_conv_out(ih, cv), ow = qr_ex_conv_out(iw, cv);
  if (oh < 1 || ow < 1)
    return walk_err(k, "conv %d leaves a %dx%d image (kernel %d, stride %d, padding %d, "
                       "dilation %d)", i, oh, ow, cv->k, cv->s, cv->p, cv->d);
  if (cv->cat) {
    if (oh != k->h || ow != k->w)
      return walk_err(k, "conv %d: cat of a %dx%d output to a %dx%d one", i, oh, ow, k->h,
                      k->w);
    k->c += cv->oc;
  } else {
    k->gc = ic, k->gh = ih, k->gw = iw;
    k->c = cv->oc, k->h = oh, k->w = ow;
  }
  k->in_branch = k->left > 0;
  if (k->left && --k->left == 0 && (k->c != k->bc || k->h != k->bh || k->w != k->bw))
    return walk_err(k, "conv %d: the residual branch ends in %d channels %dx%d, the block's "
                       "input is %d channels %dx%d (same channels and size needed)", i, k->c,
                    k->h, k->w, k->bc, k->bh, k->bw);
  return 0;
}

/* The pools after conv i (after walk_conv). */
static int walk_pool(walk *k, const qr_ex_spec *s, int i) {
  int mp = s->pool[i], ap = s->navgpool > 0 && s->avgpool[i];
  if (!mp && !ap) return 0;
  const char *what = mp ? "maxpool" : "avgpool";
  if (mp && ap) return walk_err(k, "both maxpool and avgpool after conv %d", i);
  if (!unit_end(s, k, i))
    return walk_err(k, "%s after conv %d, inside a %s", what, i,
                    k->left ? "residual branch" : "concat");
  if (k->h < 2 || k->w < 2)
    return walk_err(k, "%s after conv %d on a %dx%d image", what, i, k->h, k->w);
  k->h /= 2, k->w /= 2;
  return 0;
}

/* A conv for the unit drawers: kernel k, dilation d, 'same' padding. */
static qr_ex_conv same_conv(int oc, int k, int stride, int d) {
  return (qr_ex_conv){oc, k, stride, d * (k - 1) / 2, 1, d, 0, 0};
}

/* With --extras 1 and no --convs: 1-3 units, each a plain conv (maybe
 * dilated), a residual block of 1-2 convs with 'same' padding (maybe dilated
 * or depthwise), or a concat of two convs with odd kernels and 'same' padding;
 * maxpool or avgpool after a unit; GAP at the end. */
static void draw_units(qr_ex_spec *s, qr_rng *r) {
  int draw_pool = s->npool < 0, draw_avg = s->navgpool < 0, units = qr_rint(r, 1, 3), n = 0;
  static const int odd[] = {1, 3, 3, 5, 7};
  if (draw_pool) s->npool = 0, memset(s->pool, 0, sizeof s->pool);
  if (draw_avg) s->navgpool = 0, memset(s->avgpool, 0, sizeof s->avgpool);
  walk k;
  walk_init(&k, s);
  for (int u = 0; u < units; u++) {
    double t = qr_runif(r);
    int type = t < 0.4 || (u == 0 && t < 0.7) ? 0 : t < 0.7 ? 1 : 2, first = n;
    if (type == 0) {
      static const int ks[] = {1, 2, 3, 4, 5, 7};
      qr_ex_conv cv = {0, 0, 0, 0, 1, 1, 0, 0}; /* draws in sequence, not in an initializer */
      cv.oc = qr_rint(r, 1, 12);
      cv.k = ks[qr_rint(r, 0, 5)];
      cv.s = qr_rint(r, 1, 2);
      if (cv.k > 1 && cv.k <= 4 && qr_rchance(r, 0.3)) cv.d = 2;
      cv.p = qr_rint(r, 0, cv.d * (cv.k - 1));
      if (k.c > 1 && qr_rchance(r, 0.15)) cv.oc = cv.g = k.c; /* depthwise */
      if (qr_ex_conv_out(k.h, &cv) < 1 || qr_ex_conv_out(k.w, &cv) < 1)
        cv.s = 1, cv.p = cv.d * (cv.k - 1);
      s->conv[n++] = cv;
    } else if (type == 1) {
      int nb = qr_rint(r, 1, 2);
      for (int j = 0; j < nb; j++) {
        int kk = odd[qr_rint(r, 0, 3)], d = kk > 1 && qr_rchance(r, 0.3) ? 2 : 1;
        int oc = j == nb - 1 ? k.c : qr_rint(r, 1, 12);
        qr_ex_conv cv = same_conv(oc, kk, 1, d);
        int ic = j ? s->conv[n - 1].oc : k.c;
        if (ic == oc && ic > 1 && qr_rchance(r, 0.2)) cv.g = oc; /* depthwise */
        s->conv[n++] = cv;
      }
      s->conv[first].res = nb;
    } else {
      int st = qr_rint(r, 1, 2);
      for (int j = 0; j < 2; j++) {
        int kk = odd[qr_rint(r, 0, 4)], d = kk > 1 && kk < 7 && qr_rchance(r, 0.3) ? 2 : 1;
        s->conv[n] = same_conv(qr_rint(r, 1, 8), kk, st, d);
        s->conv[n++].cat = j > 0;
      }
    }
    s->nconvs = n;
    for (int i = first; i < n; i++) walk_conv(&k, s, i); /* cannot fail: 'same' shapes */
    if (k.h >= 2 && k.w >= 2 && qr_rchance(r, 0.4)) {
      if (draw_avg && (!draw_pool || qr_rchance(r, 0.4))) s->avgpool[n - 1] = 1, s->navgpool++;
      else if (draw_pool) s->pool[n - 1] = 1, s->npool++;
    }
    walk_pool(&k, s, n - 1);
  }
  if (s->gap < 0) s->gap = qr_rchance(r, 0.4);
}

/* Input, conv layers and pools, drawn layer by layer so that every conv and
 * pool gets an image it fits (convs drawn here never fail: with stride 1 and
 * padding k-1 the image does not shrink).  Given convs only get their pools
 * drawn, at the ends of units. */
static void draw_convs(qr_ex_spec *s, qr_rng *r) {
  int c = qr_rint(r, 1, 4), h = qr_rint(r, 4, 12), w = qr_rchance(r, 0.5) ? h : qr_rint(r, 4, 12);
  set_if_unset(&s->in_c, c);
  set_if_unset(&s->in_h, h);
  set_if_unset(&s->in_w, w);
  int draw_conv = s->nconvs == 0, draw_pool = s->npool < 0;
  if (draw_conv && s->extras > 0) {
    draw_units(s, r);
  } else if (draw_conv) {
    int n = qr_rint(r, 1, 3), ic = s->in_c, hh = s->in_h, ww = s->in_w;
    if (draw_pool) s->npool = 0;
    for (int i = 0; i < n; i++) {
      qr_ex_conv cv = {0, 0, 0, 0, 1, 1, 0, 0};
      cv.k = qr_rint(r, 1, 4);
      cv.s = qr_rint(r, 1, 2);
      cv.p = qr_rint(r, 0, cv.k - 1);
      cv.oc = qr_rint(r, 1, 12);
      if (ic > 1 && qr_rchance(r, 0.15)) cv.oc = cv.g = ic; /* depthwise */
      if (qr_ex_conv_out(hh, &cv) < 1 || qr_ex_conv_out(ww, &cv) < 1) cv.s = 1, cv.p = cv.k - 1;
      s->conv[i] = cv;
      hh = qr_ex_conv_out(hh, &cv);
      ww = qr_ex_conv_out(ww, &cv);
      ic = cv.oc;
      if (draw_pool) {
        s->pool[i] = hh >= 2 && ww >= 2 && qr_rchance(r, 0.35);
        s->npool += s->pool[i];
      }
      if (s->pool[i] && hh >= 2 && ww >= 2) hh /= 2, ww /= 2;
    }
    s->nconvs = n;
  } else if (draw_pool) { /* on an invalid stack, stop: check_cnn says why */
    walk k;
    walk_init(&k, s);
    s->npool = 0;
    memset(s->pool, 0, sizeof s->pool);
    for (int i = 0; i < s->nconvs && walk_conv(&k, s, i) == 0; i++) {
      int avg = s->navgpool > 0 && s->avgpool[i];
      s->pool[i] = unit_end(s, &k, i) && !avg && k.h >= 2 && k.w >= 2 && qr_rchance(r, 0.35);
      s->npool += s->pool[i];
      if (walk_pool(&k, s, i)) break;
    }
  }
  if (s->navgpool < 0) s->navgpool = 0, memset(s->avgpool, 0, sizeof s->avgpool);
  if (s->gap < 0) s->gap = 0;
}

static int check_range(const char *what, int v, int lo, int hi) {
  if (v >= lo && v <= hi) return 0;
  return ir_errorf(NULL, NULL, "example: %s = %d is out of range [%d, %d]", what, v, lo, hi);
}

static int check_cnn(const qr_ex_spec *s) {
  if (check_range("input channels", s->in_c, 1, 1024) ||
      check_range("input height", s->in_h, 1, 1024) ||
      check_range("input width", s->in_w, 1, 1024))
    return -1;
  for (int i = 0; i < s->nconvs; i++) {
    const qr_ex_conv *cv = &s->conv[i];
    if (check_range("conv kernel", cv->k, 1, 11) || check_range("conv stride", cv->s, 1, 8) ||
        check_range("conv padding", cv->p, 0, 10) ||
        check_range("conv channels", cv->oc, 1, 4096) ||
        check_range("conv group", cv->g, 1, 4096) || check_range("conv dilation", cv->d, 1, 8))
      return -1;
  }
  walk k;
  walk_init(&k, s);
  for (int i = 0; i < s->nconvs; i++)
    if (walk_conv(&k, s, i) || walk_pool(&k, s, i))
      return ir_errorf(NULL, NULL, "example: %s", k.err);
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
    char *pools = ir_strdup(a, ""), *avgs = ir_strdup(a, "");
    for (int i = 0; i < s->nconvs; i++) {
      const qr_ex_conv *c = &s->conv[i];
      const char *pre = c->cat ? "cat:" : c->res == 1 ? "res:"
                        : c->res ? ir_sprintf(a, "res%d:", c->res) : "";
      convs = ir_sprintf(a, "%s%s%s%d:%d:%d:%d:%d", convs, i ? "," : "", pre, c->oc, c->k,
                         c->s, c->p, c->g);
      if (c->d != 1) convs = ir_sprintf(a, "%s:%d", convs, c->d);
      if (s->pool[i]) pools = ir_sprintf(a, "%s%s%d", pools, *pools ? "," : "", i);
      if (s->navgpool > 0 && s->avgpool[i])
        avgs = ir_sprintf(a, "%s%s%d", avgs, *avgs ? "," : "", i);
    }
    str = ir_sprintf(a, "%s --input %d,%d,%d --convs %s --pool %s", str, s->in_c, s->in_h,
                     s->in_w, convs, *pools ? pools : "none");
    if (*avgs) str = ir_sprintf(a, "%s --avgpool %s", str, avgs);
    if (s->gap > 0) str = ir_sprintf(a, "%s --gap 1", str);
    str = ir_sprintf(a, "%s --fc %s", str, layers);
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

