/* tb_qr_avgpool.c - qr_avgpool over the sweep of rtl-lib/tb/qr_avgpool.cmake: four
 * regimes per configuration, Verilator + Icarus, every output beat compared bit for
 * bit with the C model below.
 *
 * Reference.  Global = 0: input in depthwise order (per output pixel, channel group
 * f, tap t: one beat with x[f*PE + p][t] at element p), output beat (pixel, f) holds
 * sum_t x[f*PE + p][t].  Global = 1: a frame is Pixels pixels x C/PE beats (channel
 * order), followed by C/PE output beats holding sum over the pixels per channel.
 * Sums are exact; the test also requires that OBits is the exact width of the sum
 * (as the compiler passes it), so every sum fits.  Elements are uniform, or, now and
 * then for a whole sum, all at the minimum or all at the maximum (the extremes of
 * the sum's range).
 *
 * With no stalls: one input beat per cycle, exactly C/PE*K (Global = 0, per output
 * pixel) or Pixels*C/PE (Global = 1, per frame; the output beats overlap with the
 * next frame's input) cycles from one frame's first output beat to the next, and
 * latency 2 (an output beat leaves 2 cycles after the input beat completing it).
 * Frames per run: --frames (default 200), at most --max-beats (default 16000) input
 * beats, at least 6.
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
/* Smallest width holding lo..hi (two's complement if is_signed, else unsigned). */
static int exact_bits(int64_t lo, int64_t hi, int is_signed) {
  for (int b = 1; b < 63; b++) {
    if (is_signed && lo >= -((int64_t)1 << (b - 1)) && hi <= ((int64_t)1 << (b - 1)) - 1) return b;
    if (!is_signed && hi <= ((int64_t)1 << b) - 1) return b;
  }
  return 63;
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
    int ibits = (int)qr_param(prm, "IBits", 4), sg = (int)qr_param(prm, "ISigned", 0);
    int obits = (int)qr_param(prm, "OBits", 8);
    int C = (int)qr_param(prm, "C", 8), K = (int)qr_param(prm, "K", 4);
    int pe = (int)qr_param(prm, "PE", 1), cf = C / pe;
    int global = (int)qr_param(prm, "Global", 0), pixels = (int)qr_param(prm, "Pixels", 1);
    int ib = info->configs[i].in_bits, ob = info->configs[i].out_bits;
    int iw = QR_WORDS(ib), ow = QR_WORDS(ob);
    if (!qr_tb_check(&tb, ib == pe * ibits && ob == pe * obits && C % pe == 0,
                     "config %d: stream widths %d/%d, expected %d/%d", i, ib, ob, pe * ibits,
                     pe * obits))
      continue;
    int n = global ? pixels : K; /* terms per sum */
    int64_t lo = elem_min(ibits, sg), hi = elem_max(ibits, sg);
    int exact = exact_bits(n * lo, n * hi, sg);
    qr_tb_check(&tb, obits == exact, "config %d: OBits %d, but the exact width of the sum is %d",
                i, obits, exact);
    /* A frame: Global = 0 one output pixel, Global = 1 one whole input frame. */
    long bound = (long)cf * n; /* input beats = cycles per frame */
    int frames = tb.frames;
    if (frames * bound > max_beats) frames = (int)(max_beats / bound);
    if (frames < 6) frames = 6;
    size_t n_in = (size_t)frames * (size_t)bound, n_out = (size_t)frames * cf;
    uint32_t *in = (uint32_t *)calloc(n_in * (size_t)iw, sizeof(uint32_t));
    uint32_t *exp = (uint32_t *)calloc(n_out * (size_t)ow, sizeof(uint32_t));
    int64_t *val = (int64_t *)malloc(sizeof(int64_t) * (size_t)n);
    double measured = -1;
    for (int r = 0; r < QR_NUM_REGIMES; r++) {
      qr_rng rng;
      qr_rng_seed(&rng, qr_tb_seed(&tb, i, r));
      memset(in, 0, n_in * (size_t)iw * sizeof(uint32_t));
      memset(exp, 0, n_out * (size_t)ow * sizeof(uint32_t));
      for (int fr = 0; fr < frames; fr++) {
        for (int f = 0; f < cf; f++) {
          for (int p = 0; p < pe; p++) {
            uint32_t pick = qr_rng_below(&rng, 8);
            int64_t s = 0;
            for (int j = 0; j < n; j++) {
              val[j] = pick == 0 ? lo : pick == 1 ? hi : qr_rng_range(&rng, lo, hi);
              s += val[j];
              /* Input beat of term j: Global = 0 tap j of group f (K beats per group);
               * Global = 1 pixel j, group f (C/PE beats per pixel). */
              size_t b = (size_t)fr * (size_t)bound +
                         (global ? (size_t)j * cf + (size_t)f : (size_t)f * n + (size_t)j);
              qr_bits_put(in + b * iw, p * ibits, ibits, (uint64_t)val[j]);
            }
            qr_bits_put(exp + ((size_t)fr * cf + (size_t)f) * ow, p * obits, obits, (uint64_t)s);
          }
        }
      }
      qr_axis_result res;
      int ok = qr_tb_run(&tb, i, (qr_regime)r, in, n_in, exp, NULL, n_out, frames, &res);
      if (r == QR_REGIME_NONE && ok && res.n_out == n_out) {
        long worst = 0, best = -1;
        for (int fr = 2; fr < frames; fr++) {
          long d = (long)(res.out_cycle[(size_t)fr * cf] - res.out_cycle[(size_t)(fr - 1) * cf]);
          if (d > worst) worst = d;
          if (best < 0 || d < best) best = d;
        }
        measured = (double)(res.out_cycle[(size_t)(frames - 1) * cf] - res.out_cycle[cf]) /
                   (frames - 2);
        uint64_t gin = qr_cycles_max_gap(res.in_cycle, 0, n_in - 1);
        qr_tb_check(&tb, gin == 1 && worst == bound && best == bound,
                    "config %d: with no stalls input gap %llu (expected 1), cycles per frame "
                    "%ld..%ld, expected exactly %ld",
                    i, (unsigned long long)gin, best, worst, bound);
        size_t done = global ? (size_t)(pixels - 1) * cf : (size_t)K - 1;
        long lat = (long)(res.out_cycle[0] - res.in_cycle[done]);
        qr_tb_check(&tb, lat == 2, "config %d: latency %ld cycles, expected 2", i, lat);
      }
      qr_axis_result_free(&res);
    }
    printf("tb_qr_avgpool: config %2d  %s%d -> %d bits  C %2d PE %2d  %s %2d  frames %3d  "
           "cycles/frame %.1f (bound %ld)\n",
           i, sg ? "INT" : "UINT", ibits, obits, C, pe, global ? "global, Pixels" : "K", n,
           frames, measured, bound);
    free(in);
    free(exp);
    free(val);
  }
  return qr_tb_finish(&tb);
}
