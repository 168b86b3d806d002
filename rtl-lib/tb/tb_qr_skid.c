/* tb_qr_skid.c - qr_skid over DataBits, four regimes, Verilator + Icarus.
 * Reference model: identity (every beat out unchanged, in order).  Also checks full
 * throughput: with no stalls one beat per cycle in and out, latency 1. */
#include <stdlib.h>
#include <string.h>

#include "axis_tb.h"

int main(int argc, char **argv) {
  qr_tb tb;
  qr_tb_init(&tb, argc, argv, &qr_tb_generated_info);
  const qr_tb_info *info = tb.info;
  for (int c = 0; c < info->n_configs; c++) {
    if (!qr_tb_want(&tb, c)) continue;
    int bits = info->configs[c].in_bits, w = QR_WORDS(bits);
    size_t n = (size_t)tb.frames * 10; /* a "frame" here is 10 beats */
    uint32_t *in = (uint32_t *)calloc(n * (size_t)w, sizeof(uint32_t));
    for (int r = 0; r < QR_NUM_REGIMES; r++) {
      qr_rng rng;
      qr_rng_seed(&rng, qr_tb_seed(&tb, c, r));
      for (size_t i = 0; i < n; i++) qr_rng_bits(&rng, in + i * (size_t)w, bits);
      qr_axis_result res;
      qr_tb_run(&tb, c, (qr_regime)r, in, n, in, NULL, n, tb.frames, &res);
      if (r == QR_REGIME_NONE && res.ok && res.n_out == n) {
        qr_tb_check(&tb, qr_cycles_max_gap(res.in_cycle, 0, n - 1) == 1 &&
                             qr_cycles_max_gap(res.out_cycle, 0, n - 1) == 1 &&
                             res.out_cycle[0] == 1,
                    "config %d: no stalls must give 1 beat/cycle, latency 1 (first out at %llu)",
                    c, (unsigned long long)res.out_cycle[0]);
      }
      qr_axis_result_free(&res);
    }
    free(in);
  }
  return qr_tb_finish(&tb);
}
