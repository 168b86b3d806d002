/* tb_qr_labelselect.c - qr_labelselect over Classes/PE/ScoreBits/Signed/K, four
 * regimes, Verilator + Icarus.
 * Reference model: a stable sort by descending score (ties: lower class index first),
 * first K indices, rank 0 in the LSBs of the one output beat per frame.  Scores are
 * drawn so that ties are frequent (a small pool of values part of the time).
 * Throughput (no stalls): one input beat per cycle, measured from the handshakes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axis_tb.h"

/* top-K of n scores, stable: writes K indices. */
static void topk(const int64_t *score, int n, int k, int *out) {
  char *used = (char *)calloc((size_t)n, 1);
  for (int r = 0; r < k; r++) {
    int best = -1;
    for (int c = 0; c < n; c++)
      if (!used[c] && (best < 0 || score[c] > score[best])) best = c;
    used[best] = 1;
    out[r] = best;
  }
  free(used);
}

int main(int argc, char **argv) {
  qr_tb tb;
  qr_tb_init(&tb, argc, argv, &qr_tb_generated_info);
  const qr_tb_info *info = tb.info;
  for (int c = 0; c < info->n_configs; c++) {
    if (!qr_tb_want(&tb, c)) continue;
    const char *p = info->configs[c].params;
    int classes = (int)qr_param(p, "Classes", 10), pe = (int)qr_param(p, "PE", 1);
    int sb = (int)qr_param(p, "ScoreBits", 8), sgn = (int)qr_param(p, "Signed", 1);
    int k = (int)qr_param(p, "K", 1), ib = (int)qr_param(p, "IdxBits", 0);
    int nf = classes / pe, frames = tb.frames;
    int iw = QR_WORDS(info->configs[c].in_bits), ow = QR_WORDS(info->configs[c].out_bits);
    size_t nin = (size_t)frames * (size_t)nf;
    uint32_t *in = (uint32_t *)calloc(nin * (size_t)iw, sizeof(uint32_t));
    uint32_t *exp = (uint32_t *)calloc((size_t)frames * (size_t)ow, sizeof(uint32_t));
    int64_t *score = (int64_t *)calloc((size_t)classes, sizeof(int64_t));
    int *best = (int *)calloc((size_t)k, sizeof(int));
    int64_t lo = sgn ? -((int64_t)1 << (sb - 1)) : 0;
    int64_t hi = sgn ? ((int64_t)1 << (sb - 1)) - 1 : ((int64_t)1 << sb) - 1;
    for (int r = 0; r < QR_NUM_REGIMES; r++) {
      qr_rng rng;
      qr_rng_seed(&rng, qr_tb_seed(&tb, c, r));
      memset(in, 0, nin * (size_t)iw * sizeof(uint32_t));
      memset(exp, 0, (size_t)frames * (size_t)ow * sizeof(uint32_t));
      for (int f = 0; f < frames; f++) {
        int64_t pool[3];
        for (int i = 0; i < 3; i++) pool[i] = qr_rng_range(&rng, lo, hi);
        int tie_heavy = qr_rng_chance(&rng, 0.4);
        for (int cl = 0; cl < classes; cl++) {
          int64_t v = tie_heavy && qr_rng_chance(&rng, 0.7) ? pool[qr_rng_below(&rng, 3)]
                      : qr_rng_chance(&rng, 0.05)           ? (qr_rng_chance(&rng, 0.5) ? lo : hi)
                                                            : qr_rng_range(&rng, lo, hi);
          score[cl] = v;
          size_t beat = (size_t)f * (size_t)nf + (size_t)(cl / pe);
          qr_bits_put(in + beat * (size_t)iw, (cl % pe) * sb, sb, (uint64_t)v);
        }
        topk(score, classes, k, best);
        for (int rk = 0; rk < k; rk++)
          qr_bits_put(exp + (size_t)f * (size_t)ow, rk * ib, ib, (uint64_t)best[rk]);
      }
      qr_axis_result res;
      qr_tb_run(&tb, c, (qr_regime)r, in, nin, exp, NULL, (size_t)frames, frames, &res);
      if (r == QR_REGIME_NONE && res.ok && res.n_in == nin && nin > 1)
        qr_tb_check(&tb, qr_cycles_max_gap(res.in_cycle, 0, nin - 1) == 1,
                    "config %d (%s): no stalls must take one input beat per cycle (max gap %llu)",
                    c, p, (unsigned long long)qr_cycles_max_gap(res.in_cycle, 0, nin - 1));
      qr_axis_result_free(&res);
    }
    free(in);
    free(exp);
    free(score);
    free(best);
  }
  return qr_tb_finish(&tb);
}
