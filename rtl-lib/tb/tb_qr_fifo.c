/* tb_qr_fifo.c - qr_fifo over depths and RAM styles, four regimes, Verilator + Icarus.
 * Reference model: identity (beats leave unchanged, in order).  Extra checks, all
 * measured from the recorded handshake cycles:
 *   - no stalls: one beat per cycle in and out (where the depth allows: Depth >= 2
 *     with distributed storage, Depth >= 4 with block RAM, whose read register and
 *     output register count in Depth);
 *   - capacity: with tready held low for Depth + 40 cycles the FIFO accepts exactly
 *     Depth beats, and once tready rises it delivers one beat per cycle until empty
 *     (same depth condition). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axis_tb.h"

/* Mirrors qr_fifo's storage choice. */
static int uses_block(const char *params, long depth) {
  const char *rs = strstr(params, "RamStyle=");
  if (!rs) return depth > 64;
  rs += strlen("RamStyle=");
  if (*rs == '"') rs++;
  if (!strncmp(rs, "block", 5) || !strncmp(rs, "ultra", 5)) return 1;
  if (!strncmp(rs, "auto", 4)) return depth > 64;
  return 0;
}

static void random_beats(uint32_t *in, size_t n, int bits, uint64_t seed) {
  qr_rng rng;
  qr_rng_seed(&rng, seed);
  for (size_t i = 0; i < n; i++) qr_rng_bits(&rng, in + i * (size_t)QR_WORDS(bits), bits);
}

int main(int argc, char **argv) {
  qr_tb tb;
  qr_tb_init(&tb, argc, argv, &qr_tb_generated_info);
  const qr_tb_info *info = tb.info;
  for (int c = 0; c < info->n_configs; c++) {
    if (!qr_tb_want(&tb, c)) continue;
    int bits = info->configs[c].in_bits;
    long depth = qr_param(info->configs[c].params, "Depth", 0);
    int full_rate = depth >= (uses_block(info->configs[c].params, depth) ? 4 : 2);
    size_t n = (size_t)tb.frames * 10; /* a "frame" here is 10 beats */
    if (n < (size_t)depth * 3) n = (size_t)depth * 3;
    uint32_t *in = (uint32_t *)calloc(n * (size_t)QR_WORDS(bits), sizeof(uint32_t));

    for (int r = 0; r < QR_NUM_REGIMES; r++) {
      random_beats(in, n, bits, qr_tb_seed(&tb, c, r));
      qr_axis_result res;
      qr_tb_run(&tb, c, (qr_regime)r, in, n, in, NULL, n, tb.frames, &res);
      if (r == QR_REGIME_NONE && full_rate && res.ok && res.n_out == n)
        qr_tb_check(&tb, qr_cycles_max_gap(res.in_cycle, 0, n - 1) == 1 &&
                             qr_cycles_max_gap(res.out_cycle, 0, n - 1) == 1,
                    "config %d: no stalls must give 1 beat/cycle (in gap %llu, out gap %llu)", c,
                    (unsigned long long)qr_cycles_max_gap(res.in_cycle, 0, n - 1),
                    (unsigned long long)qr_cycles_max_gap(res.out_cycle, 0, n - 1));
      qr_axis_result_free(&res);
    }

    /* Capacity: sink stalled for the first `hold` cycles, then always ready. */
    size_t hold = (size_t)depth + 40, m = (size_t)depth + 200;
    qr_pattern ready;
    ready.len = hold + m + 64;
    ready.on = (uint8_t *)calloc(ready.len, 1);
    for (size_t i = hold; i < ready.len; i++) ready.on[i] = 1;
    random_beats(in, m, bits, qr_tb_seed(&tb, c, 99));
    qr_axis_run run;
    memset(&run, 0, sizeof run);
    run.in_bits = bits;
    run.out_bits = info->configs[c].out_bits;
    run.in = in;
    run.n_in = run.n_out = m;
    run.ready = &ready;
    run.cfg = (uint32_t)c;
    qr_axis_result res;
    if (qr_tb_run_custom(&tb, c, "capacity", &run, in, NULL, 0, &res)) {
      size_t before = 0;
      while (before < m && res.in_cycle[before] < hold) before++;
      qr_tb_check(&tb, before == (size_t)depth,
                  "config %d: %zu beats accepted while the output stalled, Depth is %ld", c,
                  before, depth);
      if (full_rate)
        qr_tb_check(&tb, res.out_cycle[0] == hold && qr_cycles_max_gap(res.out_cycle, 0, m - 1) == 1,
                  "config %d: after the stall, output must restart at once and run at 1 beat/cycle "
                  "(first at %llu, max gap %llu)",
                  c, (unsigned long long)res.out_cycle[0],
                  (unsigned long long)qr_cycles_max_gap(res.out_cycle, 0, m - 1));
    }
    qr_axis_result_free(&res);
    qr_pattern_free(&ready);
    free(in);
  }
  return qr_tb_finish(&tb);
}
