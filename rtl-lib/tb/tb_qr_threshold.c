/* tb_qr_threshold.c - qr_threshold over the sweep of rtl-lib/tb/qr_threshold.cmake:
 * four regimes per configuration, Verilator + Icarus, every output beat compared
 * bit for bit with model_threshold.c.  With no stalls it requires one beat per
 * cycle in and out (C/PE cycles per pixel).
 *
 * Thresholds are fixed per configuration (the Verilated sweep reads its ROMs
 * once) and written to the ThreshFile .mem before qr_tb_init() creates the model:
 * ascending values over the input range plus one (so "never reached" occurs),
 * with repeats.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axis_tb.h"
#include "model_threshold.h"

typedef struct {
  qr_threshold_cfg c;
  char tfile[1024];
  int64_t *thr; /* C x T */
} thr_case;

static int param_str(const char *params, const char *name, char *out, size_t n) {
  size_t len = strlen(name);
  for (const char *p = params; p && *p;) {
    if (!strncmp(p, name, len) && p[len] == '=' && p[len + 1] == '"') {
      const char *s = p + len + 2, *e = strchr(s, '"');
      if (!e || (size_t)(e - s) >= n) return -1;
      memcpy(out, s, (size_t)(e - s));
      out[e - s] = 0;
      return 0;
    }
    p = strchr(p, ',');
    if (p) p++;
  }
  return -1;
}

static int cmp_i64(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return x < y ? -1 : x > y;
}

static int setup_case(thr_case *m, const char *params, uint64_t seed, int i) {
  qr_threshold_cfg *c = &m->c;
  memset(m, 0, sizeof *m);
  c->c = (int)qr_param(params, "C", 16);
  c->pe = (int)qr_param(params, "PE", 1);
  c->num_vec = (int)qr_param(params, "NumVec", 1);
  c->ibits = (int)qr_param(params, "IBits", 8);
  c->isigned = (int)qr_param(params, "ISigned", 1);
  c->num_thresholds = (int)qr_param(params, "NumThresholds", 1);
  c->tbits = (int)qr_param(params, "TBits", 0);
  c->obits = (int)qr_param(params, "OBits", 0);
  c->obias = (int)qr_param(params, "OBias", 0);
  char err[256];
  if (qr_threshold_cfg_resolve(c, err, sizeof err) ||
      param_str(params, "ThreshFile", m->tfile, sizeof m->tfile)) {
    fprintf(stderr, "tb_qr_threshold: config %d: %s\n", i, err[0] ? err : "no ThreshFile");
    return -1;
  }
  qr_rng r;
  qr_rng_seed(&r, qr_seed_mix(seed, 0x7e0000u + (uint64_t)i));
  int T = c->num_thresholds;
  int64_t lo = qr_elem_min(c->ibits, c->isigned, 0), hi = qr_elem_max(c->ibits, c->isigned, 0);
  m->thr = (int64_t *)malloc(sizeof(int64_t) * (size_t)c->c * T);
  for (int ch = 0; ch < c->c; ch++) {
    int64_t *t = m->thr + (size_t)ch * T;
    for (int k = 0; k < T; k++)
      t[k] = (k > 0 && qr_rng_below(&r, 8) == 0) ? t[k - 1] : qr_rng_range(&r, lo, hi + 1);
    qsort(t, (size_t)T, sizeof *t, cmp_i64);
  }
  FILE *f = fopen(m->tfile, "w");
  if (!f || qr_threshold_write_thresholds(f, c, m->thr) || fclose(f)) {
    fprintf(stderr, "tb_qr_threshold: config %d: cannot write %s\n", i, m->tfile);
    return -1;
  }
  return 0;
}

static uint64_t seed_arg(int argc, char **argv) {
  for (int i = 1; i + 1 < argc; i++)
    if (!strcmp(argv[i], "--seed")) return strtoull(argv[i + 1], NULL, 0);
  return 1;
}

int main(int argc, char **argv) {
  const qr_tb_info *info = &qr_tb_generated_info;
  uint64_t seed = seed_arg(argc, argv);
  thr_case *cases = (thr_case *)calloc((size_t)info->n_configs, sizeof *cases);
  for (int i = 0; i < info->n_configs; i++)
    if (setup_case(&cases[i], info->configs[i].params, seed, i)) return 2;

  qr_tb tb;
  qr_tb_init(&tb, argc, argv, info);
  for (int i = 0; i < info->n_configs; i++) {
    if (!qr_tb_want(&tb, i)) continue;
    thr_case *m = &cases[i];
    const qr_threshold_cfg *c = &m->c;
    int cf = c->c / c->pe;
    int ib = info->configs[i].in_bits, ob = info->configs[i].out_bits;
    int iw = QR_WORDS(ib), ow = QR_WORDS(ob);
    if (!qr_tb_check(&tb, ib == c->pe * c->ibits && ob == c->pe * c->obits,
                     "config %d: stream widths %d/%d, model says %d/%d", i, ib, ob,
                     c->pe * c->ibits, c->pe * c->obits))
      continue;
    int npix = tb.frames * c->num_vec;
    size_t n = (size_t)npix * cf, ne = (size_t)npix * c->c;
    int64_t *x = (int64_t *)malloc(sizeof(int64_t) * ne);
    int64_t *y = (int64_t *)malloc(sizeof(int64_t) * ne);
    uint32_t *in = (uint32_t *)calloc(n * (size_t)iw, sizeof(uint32_t));
    uint32_t *exp = (uint32_t *)calloc(n * (size_t)ow, sizeof(uint32_t));
    int64_t lo = qr_elem_min(c->ibits, c->isigned, 0), hi = qr_elem_max(c->ibits, c->isigned, 0);
    for (int r = 0; r < QR_NUM_REGIMES; r++) {
      qr_rng rng;
      qr_rng_seed(&rng, qr_tb_seed(&tb, i, r));
      for (size_t k = 0; k < ne; k++) x[k] = qr_rng_range(&rng, lo, hi);
      qr_threshold_cfg cr = *c;
      cr.num_vec = npix;
      qr_threshold_run(&cr, m->thr, x, y);
      memset(in, 0, n * (size_t)iw * sizeof(uint32_t));
      memset(exp, 0, n * (size_t)ow * sizeof(uint32_t));
      for (size_t b = 0; b < n; b++)
        for (int p = 0; p < c->pe; p++) {
          qr_bits_put(in + b * iw, p * c->ibits, c->ibits,
                      qr_elem_encode(x[b * c->pe + p], c->ibits, 0));
          qr_bits_put(exp + b * ow, p * c->obits, c->obits,
                      qr_elem_encode(y[b * c->pe + p], c->obits, 0));
        }
      qr_axis_result res;
      int ok = qr_tb_run(&tb, i, (qr_regime)r, in, n, exp, NULL, n, tb.frames, &res);
      if (r == QR_REGIME_NONE && ok && res.n_out == n && n > 4)
        qr_tb_check(&tb, qr_cycles_max_gap(res.in_cycle, 0, n - 1) == 1 &&
                             qr_cycles_max_gap(res.out_cycle, 0, n - 1) == 1,
                    "config %d: no stalls must give one beat per cycle", i);
      qr_axis_result_free(&res);
    }
    free(x);
    free(y);
    free(in);
    free(exp);
  }
  for (int i = 0; i < info->n_configs; i++) free(cases[i].thr);
  free(cases);
  return qr_tb_finish(&tb);
}
