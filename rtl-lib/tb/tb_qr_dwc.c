/* tb_qr_dwc.c - qr_dwc over width pairs (integer and non-integer ratios), four
 * regimes, Verilator + Icarus.
 * Reference model: the element sequence is repacked, InElems -> OutElems per beat,
 * element 0 in the LSBs.  A frame is lcm(InElems, OutElems) random elements.
 * Throughput (no stalls), from the handshake cycles: the faster side moves one beat
 * every cycle (input if InElems <= OutElems, output if InElems >= OutElems) and the
 * whole run takes max(input beats, output beats) + 2 cycles at most. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axis_tb.h"

static long gcd(long a, long b) {
  while (b) {
    long t = a % b;
    a = b;
    b = t;
  }
  return a;
}

int main(int argc, char **argv) {
  qr_tb tb;
  qr_tb_init(&tb, argc, argv, &qr_tb_generated_info);
  const qr_tb_info *info = tb.info;
  for (int c = 0; c < info->n_configs; c++) {
    if (!qr_tb_want(&tb, c)) continue;
    const char *p = info->configs[c].params;
    int eb = (int)qr_param(p, "ElemBits", 8);
    long ie = qr_param(p, "InElems", 1), oe = qr_param(p, "OutElems", 1);
    long frame = ie / gcd(ie, oe) * oe;
    size_t ne = (size_t)frame * (size_t)tb.frames;
    size_t nin = ne / (size_t)ie, nout = ne / (size_t)oe;
    int iw = QR_WORDS(info->configs[c].in_bits), ow = QR_WORDS(info->configs[c].out_bits);
    uint32_t *in = (uint32_t *)calloc(nin * (size_t)iw, sizeof(uint32_t));
    uint32_t *exp = (uint32_t *)calloc(nout * (size_t)ow, sizeof(uint32_t));
    for (int r = 0; r < QR_NUM_REGIMES; r++) {
      qr_rng rng;
      qr_rng_seed(&rng, qr_tb_seed(&tb, c, r));
      for (size_t e = 0; e < ne; e++) {
        uint64_t v = qr_rng_u64(&rng) & ((eb >= 64) ? ~0ull : ((1ull << eb) - 1));
        size_t bi = e / (size_t)ie, bo = e / (size_t)oe;
        qr_bits_put(in + bi * (size_t)iw, (int)(e % (size_t)ie) * eb, eb, v);
        qr_bits_put(exp + bo * (size_t)ow, (int)(e % (size_t)oe) * eb, eb, v);
      }
      qr_axis_result res;
      qr_tb_run(&tb, c, (qr_regime)r, in, nin, exp, NULL, nout, tb.frames, &res);
      if (r == QR_REGIME_NONE && res.ok && res.n_out == nout) {
        uint64_t gin = qr_cycles_max_gap(res.in_cycle, 0, nin - 1);
        uint64_t gout = qr_cycles_max_gap(res.out_cycle, 0, nout - 1);
        size_t nmax = nin > nout ? nin : nout;
        qr_tb_check(&tb, (ie > oe || gin == 1) && (ie < oe || gout == 1) && res.cycles <= nmax + 2,
                    "config %d (%s): no stalls must run the faster side at 1 beat/cycle: "
                    "in gap %llu, out gap %llu, %llu cycles for %zu -> %zu beats",
                    c, p, (unsigned long long)gin, (unsigned long long)gout,
                    (unsigned long long)res.cycles, nin, nout);
      }
      qr_axis_result_free(&res);
    }
    free(in);
    free(exp);
  }
  return qr_tb_finish(&tb);
}
