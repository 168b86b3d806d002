/* tb_qr_upsample.c - qr_upsample over the sweep of qr_upsample.cmake, four regimes,
 * Verilator + Icarus.
 *
 * Model: out[y][x][c] = in[y / SH][x / SW][c] per frame, NHWC, SIMD channels per beat
 * (element 0 in the LSBs).  Frames per configuration: --frames, capped so a run
 * stays near 6000 output beats (Icarus time), at least 3.
 * Throughput (no stalls): after the first output beat, one output beat every cycle
 * (max gap 1), so a frame of back-to-back frames takes exactly its output beats;
 * the steady-state cycles per frame (last beat of frame 0 to last beat of the last
 * frame) must be within 2 % of H*SH*W*SW*C/SIMD.  Counts and order are checked
 * bit for bit (a lost or duplicated beat shifts everything after it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axis_tb.h"

int main(int argc, char **argv) {
  qr_tb tb;
  qr_tb_init(&tb, argc, argv, &qr_tb_generated_info);
  const qr_tb_info *info = tb.info;
  for (int c = 0; c < info->n_configs; c++) {
    if (!qr_tb_want(&tb, c)) continue;
    const char *p = info->configs[c].params;
    int eb = (int)qr_param(p, "ElemBits", 4);
    long C = qr_param(p, "C", 4), H = qr_param(p, "H", 4), W = qr_param(p, "W", 4);
    long SH = qr_param(p, "SH", 2), SW = qr_param(p, "SW", 2), S = qr_param(p, "SIMD", 1);
    size_t ib_f = (size_t)(H * W * C / S);             /* input beats per frame */
    size_t ob_f = (size_t)(H * SH * W * SW * C / S);   /* output beats per frame */
    long frames = tb.frames;
    if ((size_t)frames * ob_f > 6000) frames = (long)(6000 / ob_f);
    if (frames < 3) frames = 3;
    size_t nin = ib_f * (size_t)frames, nout = ob_f * (size_t)frames;
    int iw = QR_WORDS(info->configs[c].in_bits), ow = QR_WORDS(info->configs[c].out_bits);
    uint32_t *in = (uint32_t *)calloc(nin * (size_t)iw, sizeof(uint32_t));
    uint32_t *exp = (uint32_t *)calloc(nout * (size_t)ow, sizeof(uint32_t));
    uint64_t emask = eb >= 64 ? ~0ull : ((1ull << eb) - 1);
    for (int r = 0; r < QR_NUM_REGIMES; r++) {
      qr_rng rng;
      qr_rng_seed(&rng, qr_tb_seed(&tb, c, r));
      memset(exp, 0, nout * (size_t)ow * sizeof(uint32_t));
      for (size_t i = 0; i < nin; i++) qr_rng_bits(&rng, in + i * (size_t)iw, (int)S * eb);
      for (long f = 0; f < frames; f++) {
        const uint32_t *fi = in + (size_t)f * ib_f * (size_t)iw;
        uint32_t *fo = exp + (size_t)f * ob_f * (size_t)ow;
        for (long y = 0; y < H * SH; y++)
          for (long x = 0; x < W * SW; x++)
            for (long ch = 0; ch < C; ch++) {
              size_t ie = (size_t)(((y / SH) * W + x / SW) * C + ch);
              size_t oe = (size_t)((y * W * SW + x) * C + ch);
              uint64_t v = qr_bits_get(fi + ie / (size_t)S * (size_t)iw,
                                       (int)(ie % (size_t)S) * eb, eb) & emask;
              qr_bits_put(fo + oe / (size_t)S * (size_t)ow, (int)(oe % (size_t)S) * eb, eb, v);
            }
      }
      qr_axis_result res;
      qr_tb_run(&tb, c, (qr_regime)r, in, nin, exp, NULL, nout, frames, &res);
      if (r == QR_REGIME_NONE && res.ok && res.n_out == nout) {
        uint64_t gout = qr_cycles_max_gap(res.out_cycle, 0, nout - 1);
        uint64_t span = res.out_cycle[nout - 1] - res.out_cycle[ob_f - 1];
        double per_frame = (double)span / (double)(frames - 1);
        qr_tb_check(&tb, gout == 1 && per_frame <= 1.02 * (double)ob_f,
                    "config %d (%s): no stalls: output gap %llu (must be 1), %.1f cycles per "
                    "frame for %zu output beats",
                    c, p, (unsigned long long)gout, per_frame, ob_f);
        if (tb.verbose)
          fprintf(stderr,
                  "config %d (%s): %.1f cycles/frame (bound %zu), %llu cycles for %ld frames, "
                  "first output at cycle %llu\n",
                  c, p, per_frame, ob_f, (unsigned long long)res.cycles, frames,
                  (unsigned long long)res.out_cycle[0]);
      }
      qr_axis_result_free(&res);
    }
    free(in);
    free(exp);
  }
  return qr_tb_finish(&tb);
}
