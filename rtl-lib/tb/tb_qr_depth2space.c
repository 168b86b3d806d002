/* tb_qr_depth2space.c - qr_depth2space over the sweep of qr_depth2space.cmake, four
 * regimes, Verilator + Icarus.
 *
 * Model (ONNX DepthToSpace, NHWC): out[y*B+by][x*B+bx][c] = in[y][x][ch] with
 * ch = (by*B + bx)*C + c (Mode 0, DCR) or c*B*B + by*B + bx (Mode 1, CRD); SIMD
 * elements per beat on both sides (element 0 in the LSBs).  Frames per configuration:
 * --frames, capped so a run stays near 6000 beats (Icarus time), at least 3.
 * Throughput (no stalls): after the first output beat, one output beat every cycle
 * (max gap 1) and one input beat every cycle after the first row; the steady-state
 * cycles per frame (last beat of frame 0 to last beat of the last frame) must be
 * within 2 % of H*W*C*B*B/SIMD (= input beats = output beats).  Counts and order are
 * checked bit for bit (a lost or duplicated beat shifts everything after it). */
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
    long C = qr_param(p, "C", 2), H = qr_param(p, "H", 4), W = qr_param(p, "W", 4);
    long B = qr_param(p, "B", 2), mode = qr_param(p, "Mode", 0), S = qr_param(p, "SIMD", 1);
    long CI = C * B * B;
    size_t nb_f = (size_t)(H * W * CI / S); /* beats per frame, both sides */
    size_t row = (size_t)(W * CI / S);      /* beats per input row */
    long frames = tb.frames;
    if ((size_t)frames * nb_f > 6000) frames = (long)(6000 / nb_f);
    if (frames < 3) frames = 3;
    size_t n = nb_f * (size_t)frames;
    int iw = QR_WORDS(info->configs[c].in_bits), ow = QR_WORDS(info->configs[c].out_bits);
    uint32_t *in = (uint32_t *)calloc(n * (size_t)iw, sizeof(uint32_t));
    uint32_t *exp = (uint32_t *)calloc(n * (size_t)ow, sizeof(uint32_t));
    for (int r = 0; r < QR_NUM_REGIMES; r++) {
      qr_rng rng;
      qr_rng_seed(&rng, qr_tb_seed(&tb, c, r));
      memset(exp, 0, n * (size_t)ow * sizeof(uint32_t));
      for (size_t i = 0; i < n; i++) qr_rng_bits(&rng, in + i * (size_t)iw, (int)S * eb);
      for (long f = 0; f < frames; f++) {
        const uint32_t *fi = in + (size_t)f * nb_f * (size_t)iw;
        uint32_t *fo = exp + (size_t)f * nb_f * (size_t)ow;
        for (long y = 0; y < H; y++)
          for (long by = 0; by < B; by++)
            for (long x = 0; x < W; x++)
              for (long bx = 0; bx < B; bx++)
                for (long ch = 0; ch < C; ch++) {
                  long ic = mode ? ch * B * B + by * B + bx : (by * B + bx) * C + ch;
                  size_t ie = (size_t)((y * W + x) * CI + ic);
                  size_t oe = (size_t)((((y * B + by) * W * B) + x * B + bx) * C + ch);
                  uint64_t v = qr_bits_get(fi + ie / (size_t)S * (size_t)iw,
                                           (int)(ie % (size_t)S) * eb, eb);
                  qr_bits_put(fo + oe / (size_t)S * (size_t)ow, (int)(oe % (size_t)S) * eb,
                              eb, v);
                }
      }
      qr_axis_result res;
      qr_tb_run(&tb, c, (qr_regime)r, in, n, exp, NULL, n, frames, &res);
      if (r == QR_REGIME_NONE && res.ok && res.n_out == n) {
        uint64_t gout = qr_cycles_max_gap(res.out_cycle, 0, n - 1);
        uint64_t gin = qr_cycles_max_gap(res.in_cycle, row, n - 1);
        uint64_t span = res.out_cycle[n - 1] - res.out_cycle[nb_f - 1];
        double per_frame = (double)span / (double)(frames - 1);
        qr_tb_check(&tb, gout == 1 && gin == 1 && per_frame <= 1.02 * (double)nb_f,
                    "config %d (%s): no stalls: output gap %llu, input gap %llu after the "
                    "first row (must be 1), %.1f cycles per frame for %zu beats",
                    c, p, (unsigned long long)gout, (unsigned long long)gin, per_frame, nb_f);
        if (tb.verbose)
          fprintf(stderr,
                  "config %d (%s): %.1f cycles/frame (bound %zu), %llu cycles for %ld frames, "
                  "first output at cycle %llu\n",
                  c, p, per_frame, nb_f, (unsigned long long)res.cycles, frames,
                  (unsigned long long)res.out_cycle[0]);
      }
      qr_axis_result_free(&res);
    }
    free(in);
    free(exp);
  }
  return qr_tb_finish(&tb);
}
