/* tb_qr_vvu.c - qr_vvu over the sweep of rtl-lib/tb/qr_vvu.cmake: four regimes per
 * configuration, Verilator + Icarus, every output beat compared bit for bit with
 * the C model (model_vvu.c).  With no stalls it also requires one input beat per
 * cycle, exactly NumVec*(C/PE)*(K/SIMD) cycles per frame (from the first output
 * beat of one frame to the next, steady state) and the documented latency (an
 * output beat leaves 4 cycles after the last input beat of its channel fold).
 *
 * Weights and thresholds are fixed per configuration (the Verilated sweep reads
 * its ROMs once, when the model is created), so they are drawn from --seed and the
 * config index and written to the .mem files named by the WeightFile / ThreshFile
 * parameters *before* qr_tb_init() creates the model.  Input windows are drawn per
 * (config, regime).
 *
 * Thresholds are drawn from accumulator values the weights actually produce (so
 * every output level occurs), with now and then the extremes of the exact range
 * (lo: always reached, hi + 1: never) and repeated values.  A config whose AccBits
 * is below the default gets weights thinned out (zeroed) until the exact interval
 * of every channel fits, as the compiler's interval arithmetic guarantees.
 *
 * Frames per run: --frames (default 200), but at most --max-beats input beats
 * (default 16000, at least 6 frames) so that Icarus stays fast on large windows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axis_tb.h"
#include "model_vvu.h"

#define NSAMPLE 64 /* pixels used to place thresholds */

typedef struct {
  qr_vvu_cfg c;
  int mode;
  char wfile[1024], tfile[1024];
  int32_t *W;    /* C x K */
  int64_t *thr;  /* C x T */
} vvu_case;

/* String parameter name="value" from "A=1,B=\"x\"" into out; 0 if found. */
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

static int64_t rand_elem(qr_rng *r, int bits, int is_signed, int bipolar) {
  if (bipolar) return qr_rng_below(r, 2) ? 1 : -1;
  return qr_rng_range(r, qr_elem_min(bits, is_signed, 0), qr_elem_max(bits, is_signed, 0));
}

/* Exact range of channel ch's dot product over all inputs. */
static void chan_interval(const qr_vvu_cfg *c, const int32_t *w, int64_t *lo, int64_t *hi) {
  int64_t xmin = qr_elem_min(c->ibits, c->isigned, c->ibipolar);
  int64_t xmax = qr_elem_max(c->ibits, c->isigned, c->ibipolar);
  *lo = *hi = 0;
  for (int t = 0; t < c->k; t++) {
    int64_t a = w[t] * xmin, b = w[t] * xmax;
    *lo += a < b ? a : b;
    *hi += a < b ? b : a;
  }
}

static int cmp_i64(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return x < y ? -1 : x > y;
}

/* Draw weights and thresholds for config i and write its .mem files. */
static int setup_case(vvu_case *m, const char *params, uint64_t seed, int i) {
  qr_vvu_cfg *c = &m->c;
  memset(m, 0, sizeof *m);
  c->c = (int)qr_param(params, "C", 8);
  c->k = (int)qr_param(params, "K", 9);
  c->pe = (int)qr_param(params, "PE", 1);
  c->simd = (int)qr_param(params, "SIMD", 1);
  c->num_vec = (int)qr_param(params, "NumVec", 1);
  c->ibits = (int)qr_param(params, "IBits", 4);
  c->isigned = (int)qr_param(params, "ISigned", 0);
  c->ibipolar = (int)qr_param(params, "IBipolar", 0);
  c->wbits = (int)qr_param(params, "WBits", 4);
  c->wsigned = (int)qr_param(params, "WSigned", 1);
  c->wbipolar = (int)qr_param(params, "WBipolar", 0);
  c->acc_bits = (int)qr_param(params, "AccBits", 0);
  c->num_thresholds = (int)qr_param(params, "NumThresholds", 0);
  c->tbits = (int)qr_param(params, "TBits", 0);
  c->obits = (int)qr_param(params, "OBits", 0);
  c->obias = (int)qr_param(params, "OBias", 0);
  char err[256];
  if (qr_vvu_cfg_resolve(c, err, sizeof err)) {
    fprintf(stderr, "tb_qr_vvu: config %d: %s\n", i, err);
    return -1;
  }
  m->mode = qr_vvu_mode(c, (int)qr_param(params, "MulStyle", 0));
  if (param_str(params, "WeightFile", m->wfile, sizeof m->wfile) ||
      (c->num_thresholds > 0 && param_str(params, "ThreshFile", m->tfile, sizeof m->tfile))) {
    fprintf(stderr, "tb_qr_vvu: config %d: WeightFile/ThreshFile parameter missing\n", i);
    return -1;
  }

  qr_rng r;
  qr_rng_seed(&r, qr_seed_mix(seed, 0x77e000u + (uint64_t)i));
  m->W = (int32_t *)calloc((size_t)c->c * c->k, sizeof(int32_t));
  for (int ch = 0; ch < c->c; ch++) {
    int32_t *w = m->W + (size_t)ch * c->k;
    for (int t = 0; t < c->k; t++) w[t] = (int32_t)rand_elem(&r, c->wbits, c->wsigned, c->wbipolar);
    /* Thin the channel out until its exact range fits AccBits (only below the default). */
    for (;;) {
      int64_t lo, hi;
      chan_interval(c, w, &lo, &hi);
      if (qr_fits(lo, c->acc_bits, 1) && qr_fits(hi, c->acc_bits, 1)) break;
      if (c->wbipolar) {
        fprintf(stderr, "tb_qr_vvu: config %d: AccBits too small for bipolar weights\n", i);
        return -1;
      }
      w[qr_rng_below(&r, (uint32_t)c->k)] = 0;
    }
  }
  FILE *f = fopen(m->wfile, "w");
  if (!f || qr_vvu_write_weights(f, c, m->W) || fclose(f)) {
    fprintf(stderr, "tb_qr_vvu: config %d: cannot write %s\n", i, m->wfile);
    return -1;
  }

  int T = c->num_thresholds;
  if (T == 0) return 0;
  /* Accumulators of NSAMPLE random pixels, per channel. */
  qr_vvu_cfg cs = *c;
  cs.num_vec = NSAMPLE;
  cs.num_thresholds = 0;
  cs.obits = cs.acc_bits;
  int64_t *x = (int64_t *)malloc(sizeof(int64_t) * NSAMPLE * (size_t)c->c * c->k);
  int64_t *acc = (int64_t *)malloc(sizeof(int64_t) * NSAMPLE * (size_t)c->c);
  for (size_t k = 0; k < (size_t)NSAMPLE * c->c * c->k; k++)
    x[k] = rand_elem(&r, c->ibits, c->isigned, c->ibipolar);
  qr_vvu_run(&cs, m->W, NULL, x, acc);
  m->thr = (int64_t *)malloc(sizeof(int64_t) * (size_t)c->c * T);
  for (int ch = 0; ch < c->c; ch++) {
    int64_t lo, hi, *t = m->thr + (size_t)ch * T;
    chan_interval(c, m->W + (size_t)ch * c->k, &lo, &hi);
    for (int k = 0; k < T; k++) {
      uint32_t pick = qr_rng_below(&r, 16);
      if (pick == 0) t[k] = lo;
      else if (pick == 1) t[k] = hi + 1;
      else if (pick == 2 && k > 0) t[k] = t[k - 1];
      else t[k] = acc[(size_t)qr_rng_below(&r, NSAMPLE) * c->c + ch];
    }
    qsort(t, (size_t)T, sizeof *t, cmp_i64);
  }
  free(x);
  free(acc);
  f = fopen(m->tfile, "w");
  if (!f || qr_vvu_write_thresholds(f, c, m->thr) || fclose(f)) {
    fprintf(stderr, "tb_qr_vvu: config %d: cannot write %s\n", i, m->tfile);
    return -1;
  }
  return 0;
}

/* --seed as qr_tb_init will parse it (the .mem files are written before). */
static uint64_t seed_arg(int argc, char **argv) {
  for (int i = 1; i + 1 < argc; i++)
    if (!strcmp(argv[i], "--seed")) return strtoull(argv[i + 1], NULL, 0);
  return 1;
}

static const char *const mode_name[] = {"xnor", "bipolar-w", "bipolar-x", "lut", "dsp"};

int main(int argc, char **argv) {
  const qr_tb_info *info = &qr_tb_generated_info;
  uint64_t seed = seed_arg(argc, argv);
  /* Our own option, taken out before qr_tb_init: --max-beats N. */
  long max_beats = 16000;
  int na = 1;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--max-beats") && i + 1 < argc) max_beats = atol(argv[++i]);
    else argv[na++] = argv[i];
  }
  argc = na;
  vvu_case *cases = (vvu_case *)calloc((size_t)info->n_configs, sizeof *cases);
  for (int i = 0; i < info->n_configs; i++)
    if (setup_case(&cases[i], info->configs[i].params, seed, i)) return 2;

  qr_tb tb;
  qr_tb_init(&tb, argc, argv, info);
  for (int i = 0; i < info->n_configs; i++) {
    if (!qr_tb_want(&tb, i)) continue;
    vvu_case *m = &cases[i];
    const qr_vvu_cfg *c = &m->c;
    int sf = c->k / c->simd, cf = c->c / c->pe;
    int ib = info->configs[i].in_bits, ob = info->configs[i].out_bits;
    int iw = QR_WORDS(ib), ow = QR_WORDS(ob);
    if (!qr_tb_check(&tb, ib == c->simd * c->pe * c->ibits && ob == c->pe * c->obits,
                     "config %d: stream widths %d/%d, model says %d/%d", i, ib, ob,
                     c->simd * c->pe * c->ibits, c->pe * c->obits))
      continue;
    long bound = (long)c->num_vec * cf * sf; /* cycles per frame */
    int frames = tb.frames;
    if (frames * bound > max_beats) frames = (int)(max_beats / bound);
    if (frames < 6) frames = 6;
    int nv = frames * c->num_vec; /* pixels per run */
    size_t n_in = (size_t)nv * cf * sf, n_out = (size_t)nv * cf;
    size_t nx = (size_t)nv * c->c * c->k;
    int64_t *x = (int64_t *)malloc(sizeof(int64_t) * nx);
    int64_t *y = (int64_t *)malloc(sizeof(int64_t) * (size_t)nv * c->c);
    uint32_t *in = (uint32_t *)calloc(n_in * (size_t)iw, sizeof(uint32_t));
    uint32_t *exp = (uint32_t *)calloc(n_out * (size_t)ow, sizeof(uint32_t));
    double measured = -1;
    for (int r = 0; r < QR_NUM_REGIMES; r++) {
      qr_rng rng;
      qr_rng_seed(&rng, qr_tb_seed(&tb, i, r));
      for (size_t k = 0; k < nx; k++) x[k] = rand_elem(&rng, c->ibits, c->isigned, c->ibipolar);
      qr_vvu_cfg cr = *c;
      cr.num_vec = nv;
      int64_t wrapped = qr_vvu_run(&cr, m->W, m->thr, x, y);
      qr_tb_check(&tb, wrapped == 0, "config %d: %lld accumulators exceed AccBits=%d", i,
                  (long long)wrapped, c->acc_bits);
      /* Beat (v*CF + f)*SF + s' carries taps s'*SIMD + s of channels f*PE + p at
       * element s*PE + p; output beat v*CF + f carries channels f*PE + p. */
      memset(in, 0, n_in * (size_t)iw * sizeof(uint32_t));
      memset(exp, 0, n_out * (size_t)ow * sizeof(uint32_t));
      for (size_t b = 0; b < n_in; b++) {
        size_t v = b / ((size_t)cf * sf);
        int f = (int)(b / (size_t)sf % (size_t)cf), s0 = (int)(b % (size_t)sf) * c->simd;
        for (int s = 0; s < c->simd; s++)
          for (int p = 0; p < c->pe; p++)
            qr_bits_put(in + b * iw, (s * c->pe + p) * c->ibits, c->ibits,
                        qr_elem_encode(x[(v * c->c + (size_t)(f * c->pe + p)) * c->k + s0 + s],
                                       c->ibits, c->ibipolar));
      }
      for (size_t b = 0; b < n_out; b++)
        for (int p = 0; p < c->pe; p++)
          qr_bits_put(exp + b * ow, p * c->obits, c->obits,
                      qr_elem_encode(y[b * c->pe + p], c->obits, 0));
      qr_axis_result res;
      int ok = qr_tb_run(&tb, i, (qr_regime)r, in, n_in, exp, NULL, n_out, frames, &res);
      if (r == QR_REGIME_NONE && ok && res.n_out == n_out) {
        /* One beat per cycle in; frame f >= 2 starts (first output beat) exactly
         * `bound` cycles after frame f - 1. */
        size_t per = (size_t)c->num_vec * cf;
        long worst = 0, best = -1;
        for (int fr = 2; fr < frames; fr++) {
          long d = (long)(res.out_cycle[(size_t)fr * per] - res.out_cycle[(size_t)(fr - 1) * per]);
          if (d > worst) worst = d;
          if (best < 0 || d < best) best = d;
        }
        measured = (double)(res.out_cycle[(size_t)(frames - 1) * per] - res.out_cycle[per]) /
                   (frames - 2);
        uint64_t gin = qr_cycles_max_gap(res.in_cycle, 0, n_in - 1);
        qr_tb_check(&tb, gin == 1 && worst == bound && best == bound,
                    "config %d: with no stalls input gap %llu (expected 1), cycles per frame "
                    "%ld..%ld, expected exactly %ld",
                    i, (unsigned long long)gin, best, worst, bound);
        long lat = (long)(res.out_cycle[0] - res.in_cycle[sf - 1]);
        qr_tb_check(&tb, lat == 4, "config %d: latency %ld cycles, expected 4", i, lat);
      }
      qr_axis_result_free(&res);
    }
    printf("tb_qr_vvu: config %2d  C %2d K %2d PE %2d SIMD %2d NumVec %d  %-9s T %2d  "
           "frames %3d  cycles/frame %.1f (bound %ld)\n",
           i, c->c, c->k, c->pe, c->simd, c->num_vec, mode_name[m->mode], c->num_thresholds,
           frames, measured, bound);
    free(x);
    free(y);
    free(in);
    free(exp);
  }
  for (int i = 0; i < info->n_configs; i++) {
    free(cases[i].W);
    free(cases[i].thr);
  }
  free(cases);
  return qr_tb_finish(&tb);
}
