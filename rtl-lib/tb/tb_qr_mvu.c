/* tb_qr_mvu.c - qr_mvu over the sweep of rtl-lib/tb/qr_mvu.cmake: four regimes per
 * configuration, Verilator + Icarus, every output beat compared bit for bit with
 * the C model (model_mvu.c).  With no stalls it also measures the steady-state
 * cycles per vector from the output handshake cycles and requires exactly
 * (MH/PE)*(MW/SIMD).
 *
 * Weights and thresholds are fixed per configuration (the Verilated sweep reads
 * its ROMs once, when the model is created), so they are drawn from --seed and
 * the config index and written to the .mem files named by the WeightFile /
 * ThreshFile parameters *before* qr_tb_init() creates the model.  Input vectors
 * are drawn per (config, regime).
 *
 * Thresholds are drawn from accumulator values the weights actually produce (so
 * every output level occurs), with now and then the extremes of the exact range
 * (lo: always reached, hi + 1: never) and repeated values.  A config whose
 * AccBits is below the default gets weights thinned out (zeroed) until the exact
 * interval of every row fits, as the compiler's interval arithmetic guarantees.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axis_tb.h"
#include "model_mvu.h"

#define NSAMPLE 64 /* vectors used to place thresholds */
/* Icarus evaluates multiplier lanes procedurally, at ~5 us per lane and cycle: a
 * config with more than this many PE*SIMD lanes (xnor lanes are cheap and not
 * limited) runs in Verilator only, unless --icarus-all is given. */
#define ICARUS_MAX_LANES 256

typedef struct {
  qr_mvu_cfg c;
  int mode;
  char wfile[1024], tfile[1024], tabfile[1024];
  int32_t *W;    /* MH x MW */
  int64_t *thr;  /* MH x T */
} mvu_case;

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

/* Exact range of row n's dot product over all inputs. */
static void row_interval(const qr_mvu_cfg *c, const int32_t *row, int64_t *lo, int64_t *hi) {
  int64_t xmin = qr_elem_min(c->ibits, c->isigned, c->ibipolar);
  int64_t xmax = qr_elem_max(c->ibits, c->isigned, c->ibipolar);
  *lo = *hi = 0;
  for (int k = 0; k < c->mw; k++) {
    int64_t a = row[k] * xmin, b = row[k] * xmax;
    *lo += a < b ? a : b;
    *hi += a < b ? b : a;
  }
}

static int cmp_i64(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return x < y ? -1 : x > y;
}

/* Draw weights and thresholds for config i and write its .mem files. */
static int setup_case(mvu_case *m, const char *params, uint64_t seed, int i) {
  qr_mvu_cfg *c = &m->c;
  memset(m, 0, sizeof *m);
  c->mw = (int)qr_param(params, "MW", 16);
  c->mh = (int)qr_param(params, "MH", 16);
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
  c->thresh_style = (int)qr_param(params, "ThreshStyle", 0);
  char err[256];
  if (qr_mvu_cfg_resolve(c, err, sizeof err)) {
    fprintf(stderr, "tb_qr_mvu: config %d: %s\n", i, err);
    return -1;
  }
  m->mode = qr_mvu_mode(c, (int)qr_param(params, "MulStyle", 0));
  if (param_str(params, "WeightFile", m->wfile, sizeof m->wfile) ||
      (c->num_thresholds > 0 && param_str(params, "ThreshFile", m->tfile, sizeof m->tfile)) ||
      (c->num_thresholds > 0 && c->thresh_style == 1 &&
       param_str(params, "TableFile", m->tabfile, sizeof m->tabfile))) {
    fprintf(stderr, "tb_qr_mvu: config %d: WeightFile/ThreshFile/TableFile parameter missing\n", i);
    return -1;
  }

  qr_rng r;
  qr_rng_seed(&r, qr_seed_mix(seed, 0x3e7000u + (uint64_t)i));
  m->W = (int32_t *)calloc((size_t)c->mh * c->mw, sizeof(int32_t));
  for (int n = 0; n < c->mh; n++) {
    int32_t *row = m->W + (size_t)n * c->mw;
    for (int k = 0; k < c->mw; k++) row[k] = (int32_t)rand_elem(&r, c->wbits, c->wsigned, c->wbipolar);
    /* Thin the row out until its exact range fits AccBits (only below the default). */
    for (;;) {
      int64_t lo, hi;
      row_interval(c, row, &lo, &hi);
      if (qr_fits(lo, c->acc_bits, 1) && qr_fits(hi, c->acc_bits, 1)) break;
      if (c->wbipolar) {
        fprintf(stderr, "tb_qr_mvu: config %d: AccBits too small for bipolar weights\n", i);
        return -1;
      }
      row[qr_rng_below(&r, (uint32_t)c->mw)] = 0;
    }
  }
  FILE *f = fopen(m->wfile, "w");
  if (!f || qr_mvu_write_weights(f, c, m->W) || fclose(f)) {
    fprintf(stderr, "tb_qr_mvu: config %d: cannot write %s\n", i, m->wfile);
    return -1;
  }

  int T = c->num_thresholds;
  if (T == 0) return 0;
  /* Accumulators of NSAMPLE random vectors, per output channel. */
  qr_mvu_cfg cs = *c;
  cs.num_vec = NSAMPLE;
  cs.num_thresholds = 0;
  cs.obits = cs.acc_bits;
  int64_t *x = (int64_t *)malloc(sizeof(int64_t) * NSAMPLE * (size_t)c->mw);
  int64_t *acc = (int64_t *)malloc(sizeof(int64_t) * NSAMPLE * (size_t)c->mh);
  for (size_t k = 0; k < (size_t)NSAMPLE * c->mw; k++)
    x[k] = rand_elem(&r, c->ibits, c->isigned, c->ibipolar);
  qr_mvu_run(&cs, m->W, NULL, x, acc);
  m->thr = (int64_t *)malloc(sizeof(int64_t) * (size_t)c->mh * T);
  for (int n = 0; n < c->mh; n++) {
    int64_t lo, hi, *t = m->thr + (size_t)n * T;
    row_interval(c, m->W + (size_t)n * c->mw, &lo, &hi);
    for (int k = 0; k < T; k++) {
      uint32_t pick = qr_rng_below(&r, 16);
      if (pick == 0) t[k] = lo;
      else if (pick == 1) t[k] = hi + 1;
      else if (pick == 2 && k > 0) t[k] = t[k - 1];
      else t[k] = acc[(size_t)qr_rng_below(&r, NSAMPLE) * c->mh + n];
    }
    qsort(t, (size_t)T, sizeof *t, cmp_i64);
  }
  free(x);
  free(acc);
  f = fopen(m->tfile, "w");
  if (!f || qr_mvu_write_thresholds(f, c, m->thr) || fclose(f)) {
    fprintf(stderr, "tb_qr_mvu: config %d: cannot write %s\n", i, m->tfile);
    return -1;
  }
  if (c->thresh_style == 1 && qr_mvu_write_table(m->tabfile, c, m->thr)) {
    fprintf(stderr, "tb_qr_mvu: config %d: cannot write the tables %s_*.mem\n", i, m->tabfile);
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
  /* Our own options, taken out before qr_tb_init: --icarus-all, and --range A:B
   * (configs A..B only, so ctest can run parts of the sweep in parallel). */
  int icarus_all = 0, lo = 0, hi = info->n_configs - 1, na = 1;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--icarus-all")) {
      icarus_all = 1;
    } else if (!strcmp(argv[i], "--range") && i + 1 < argc) {
      if (sscanf(argv[++i], "%d:%d", &lo, &hi) != 2) {
        fprintf(stderr, "tb_qr_mvu: --range A:B\n");
        return 2;
      }
    } else {
      argv[na++] = argv[i];
    }
  }
  argc = na;
  mvu_case *cases = (mvu_case *)calloc((size_t)info->n_configs, sizeof *cases);
  for (int i = 0; i < info->n_configs; i++)
    if (setup_case(&cases[i], info->configs[i].params, seed, i)) return 2;

  qr_tb tb;
  qr_tb_init(&tb, argc, argv, info);
  for (int i = 0; i < info->n_configs; i++) {
    if (!qr_tb_want(&tb, i) || i < lo || i > hi) continue;
    mvu_case *m = &cases[i];
    const qr_mvu_cfg *c = &m->c;
    int sf = c->mw / c->simd, nf = c->mh / c->pe;
    int ib = info->configs[i].in_bits, ob = info->configs[i].out_bits;
    int iw = QR_WORDS(ib), ow = QR_WORDS(ob);
    if (!qr_tb_check(&tb, ib == c->simd * c->ibits && ob == c->pe * c->obits,
                     "config %d: stream widths %d/%d, model says %d/%d", i, ib, ob,
                     c->simd * c->ibits, c->pe * c->obits))
      continue;
    int use_icarus = tb.use_icarus;
    if (!icarus_all && m->mode != 0 && c->pe * c->simd > ICARUS_MAX_LANES) tb.use_icarus = 0;
    int nv = tb.frames * c->num_vec; /* vectors per run: `frames` frames of NumVec */
    size_t n_in = (size_t)nv * sf, n_out = (size_t)nv * nf;
    int64_t *x = (int64_t *)malloc(sizeof(int64_t) * (size_t)nv * c->mw);
    int64_t *y = (int64_t *)malloc(sizeof(int64_t) * (size_t)nv * c->mh);
    uint32_t *in = (uint32_t *)calloc(n_in * (size_t)iw, sizeof(uint32_t));
    uint32_t *exp = (uint32_t *)calloc(n_out * (size_t)ow, sizeof(uint32_t));
    long measured = -1;
    for (int r = 0; r < QR_NUM_REGIMES; r++) {
      qr_rng rng;
      qr_rng_seed(&rng, qr_tb_seed(&tb, i, r));
      for (size_t k = 0; k < (size_t)nv * c->mw; k++)
        x[k] = rand_elem(&rng, c->ibits, c->isigned, c->ibipolar);
      qr_mvu_cfg cr = *c;
      cr.num_vec = nv;
      int64_t wrapped = qr_mvu_run(&cr, m->W, m->thr, x, y);
      qr_tb_check(&tb, wrapped == 0, "config %d: %lld accumulators exceed AccBits=%d", i,
                  (long long)wrapped, c->acc_bits);
      /* Beat b = v*SF + sf carries columns sf*SIMD + s; out beat v*NF + nf rows nf*PE + p. */
      memset(in, 0, n_in * (size_t)iw * sizeof(uint32_t));
      memset(exp, 0, n_out * (size_t)ow * sizeof(uint32_t));
      for (size_t b = 0; b < n_in; b++)
        for (int s = 0; s < c->simd; s++)
          qr_bits_put(in + b * iw, s * c->ibits, c->ibits,
                      qr_elem_encode(x[b * c->simd + s], c->ibits, c->ibipolar));
      for (size_t b = 0; b < n_out; b++)
        for (int p = 0; p < c->pe; p++)
          qr_bits_put(exp + b * ow, p * c->obits, c->obits,
                      qr_elem_encode(y[b * c->pe + p], c->obits, 0));
      qr_axis_result res;
      int ok = qr_tb_run(&tb, i, (qr_regime)r, in, n_in, exp, NULL, n_out, tb.frames, &res);
      if (r == QR_REGIME_NONE && ok && res.n_out == n_out && nv >= 4) {
        /* Steady state: every vector after the first two starts exactly NF*SF cycles
         * after the previous one (first output beat to first output beat). */
        long worst = 0, best = -1;
        for (int v = 2; v < nv; v++) {
          long d = (long)(res.out_cycle[(size_t)v * nf] - res.out_cycle[(size_t)(v - 1) * nf]);
          if (d > worst) worst = d;
          if (best < 0 || d < best) best = d;
        }
        measured = worst;
        qr_tb_check(&tb, worst == (long)nf * sf && best == (long)nf * sf,
                    "config %d: cycles per vector %ld..%ld with no stalls, expected exactly %d",
                    i, best, worst, nf * sf);
        /* Latency (documented in qr_mvu.sv): the first neuron fold streams with
         * the input, so the first output beat leaves 5 cycles (6 with a
         * threshold table) after the last input beat of the first vector (the
         * source offers a beat every cycle). */
        long lat = (long)(res.out_cycle[0] - res.in_cycle[sf - 1]);
        long want = c->num_thresholds > 0 && c->thresh_style == 1 ? 6 : 5;
        qr_tb_check(&tb, lat == want, "config %d: latency %ld cycles, expected %ld", i, lat, want);
      }
      qr_axis_result_free(&res);
    }
    printf("tb_qr_mvu: config %2d  %4dx%-3d PE %2d SIMD %2d  %-9s T %3d%s  cycles/vector %ld "
           "(expected %d)%s\n",
           i, c->mw, c->mh, c->pe, c->simd, mode_name[m->mode], c->num_thresholds,
           c->num_thresholds > 0 && c->thresh_style == 1 ? " table" : "", measured,
           nf * sf, use_icarus && !tb.use_icarus ? "  [Verilator only]" : "");
    tb.use_icarus = use_icarus;
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
