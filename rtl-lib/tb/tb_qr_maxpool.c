/* tb_qr_maxpool.c - qr_maxpool over the sweep of rtl-lib/tb/qr_maxpool.cmake: four
 * regimes per configuration, Verilator + Icarus, every output beat compared bit for
 * bit with the C model below.  With no stalls it requires one input beat per cycle,
 * exactly (C/PE)*K cycles per output pixel (steady state, first output beat to
 * first output beat) and the documented latency of 2 cycles.
 *
 * Reference: input in depthwise order, per output pixel v, channel group f, tap t
 * one beat with x[v][f*PE + p][t] at element p; output beat (v, f) holds
 * max_t x[v][f*PE + p][t] (two's complement or unsigned comparison).
 * Windows are drawn either over the whole range or, half of the time, from a
 * narrow random sub-range, so that maxima spread over the range (and ties occur).
 * Pixels per run: --frames (default 200), at most --max-beats (default 16000)
 * input beats, at least 6.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axis_tb.h"

static int64_t elem_min(int bits, int is_signed) {
  return is_signed ? -((int64_t)1 << (bits - 1)) : 0;
}
static int64_t elem_max(int bits, int is_signed) {
  return is_signed ? ((int64_t)1 << (bits - 1)) - 1 : ((int64_t)1 << bits) - 1;
}

int main(int argc, char **argv) {
  const qr_tb_info *info = &qr_tb_generated_info;
  long max_beats = 16000;
  int na = 1;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--max-beats") && i + 1 < argc) max_beats = atol(argv[++i]);
    else argv[na++] = argv[i];
  }
  argc = na;
  qr_tb tb;
  qr_tb_init(&tb, argc, argv, info);
  for (int i = 0; i < info->n_configs; i++) {
    if (!qr_tb_want(&tb, i)) continue;
    const char *prm = info->configs[i].params;
    int eb = (int)qr_param(prm, "ElemBits", 4), sg = (int)qr_param(prm, "Signed", 0);
    int C = (int)qr_param(prm, "C", 8), K = (int)qr_param(prm, "K", 4);
    int pe = (int)qr_param(prm, "PE", 1), cf = C / pe;
    int ib = info->configs[i].in_bits, ob = info->configs[i].out_bits;
    int iw = QR_WORDS(ib), ow = QR_WORDS(ob);
    if (!qr_tb_check(&tb, ib == pe * eb && ob == pe * eb && C % pe == 0,
                     "config %d: stream widths %d/%d, expected %d", i, ib, ob, pe * eb))
      continue;
    long bound = (long)cf * K; /* cycles per output pixel */
    int npix = tb.frames;
    if (npix * bound > max_beats) npix = (int)(max_beats / bound);
    if (npix < 6) npix = 6;
    size_t n_in = (size_t)npix * cf * K, n_out = (size_t)npix * cf;
    uint32_t *in = (uint32_t *)calloc(n_in * (size_t)iw, sizeof(uint32_t));
    uint32_t *exp = (uint32_t *)calloc(n_out * (size_t)ow, sizeof(uint32_t));
    int64_t lo = elem_min(eb, sg), hi = elem_max(eb, sg);
    double measured = -1;
    for (int r = 0; r < QR_NUM_REGIMES; r++) {
      qr_rng rng;
      qr_rng_seed(&rng, qr_tb_seed(&tb, i, r));
      memset(in, 0, n_in * (size_t)iw * sizeof(uint32_t));
      memset(exp, 0, n_out * (size_t)ow * sizeof(uint32_t));
      for (size_t ob_i = 0; ob_i < n_out; ob_i++) { /* output beat (v, f) */
        for (int p = 0; p < pe; p++) {
          int64_t a = lo, b = hi;
          if (qr_rng_below(&rng, 2)) { /* a narrow window of values */
            a = qr_rng_range(&rng, lo, hi);
            b = a + (int64_t)qr_rng_below(&rng, 4);
            if (b > hi) b = hi;
          }
          int64_t m = 0;
          for (int t = 0; t < K; t++) {
            int64_t v = qr_rng_range(&rng, a, b);
            if (t == 0 || v > m) m = v;
            qr_bits_put(in + (ob_i * (size_t)K + (size_t)t) * iw, p * eb, eb, (uint64_t)v);
          }
          qr_bits_put(exp + ob_i * ow, p * eb, eb, (uint64_t)m);
        }
      }
      qr_axis_result res;
      int ok = qr_tb_run(&tb, i, (qr_regime)r, in, n_in, exp, NULL, n_out, npix, &res);
      if (r == QR_REGIME_NONE && ok && res.n_out == n_out) {
        long worst = 0, best = -1;
        for (int v = 2; v < npix; v++) {
          long d = (long)(res.out_cycle[(size_t)v * cf] - res.out_cycle[(size_t)(v - 1) * cf]);
          if (d > worst) worst = d;
          if (best < 0 || d < best) best = d;
        }
        measured = (double)(res.out_cycle[(size_t)(npix - 1) * cf] - res.out_cycle[cf]) / (npix - 2);
        uint64_t gin = qr_cycles_max_gap(res.in_cycle, 0, n_in - 1);
        qr_tb_check(&tb, gin == 1 && worst == bound && best == bound,
                    "config %d: with no stalls input gap %llu (expected 1), cycles per pixel "
                    "%ld..%ld, expected exactly %ld",
                    i, (unsigned long long)gin, best, worst, bound);
        long lat = (long)(res.out_cycle[0] - res.in_cycle[K - 1]);
        qr_tb_check(&tb, lat == 2, "config %d: latency %ld cycles, expected 2", i, lat);
      }
      qr_axis_result_free(&res);
    }
    printf("tb_qr_maxpool: config %d  %s%d C %2d K %d PE %2d  pixels %3d  cycles/pixel %.1f "
           "(bound %ld)\n",
           i, sg ? "INT" : "UINT", eb, C, K, pe, npix, measured, bound);
    free(in);
    free(exp);
  }
  return qr_tb_finish(&tb);
}
