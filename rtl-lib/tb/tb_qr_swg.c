/* tb_qr_swg.c - qr_swg over the sweep of rtl-lib/tb/qr_swg.cmake: four regimes per
 * configuration, Verilator + Icarus, several frames back to back (so the overlap of a
 * frame's input with the previous frame's last windows is exercised), every output beat
 * compared bit for bit with model_swg.c (the window order as index math).
 *
 * Throughput (no stalls): the steady-state cycles per frame, measured between the last
 * output beats of the first and of the last frame, must be within 2 % of
 * max(H*W*C/SIMD, OH*OW*KH*KW*C/SIMD) (printed per configuration with the buffer
 * size); latency: the first output beat 3 cycles after the first input beat. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axis_tb.h"
#include "model_swg.h"

int main(int argc, char **argv) {
  qr_tb tb;
  qr_tb_init(&tb, argc, argv, &qr_tb_generated_info);
  const qr_tb_info *info = tb.info;
  int frames = tb.frames < 2 ? 2 : tb.frames;
  for (int c = 0; c < info->n_configs; c++) {
    if (!qr_tb_want(&tb, c)) continue;
    const char *ps = info->configs[c].params;
    qr_swg_cfg m = {(int)qr_param(ps, "ElemBits", 8), (int)qr_param(ps, "C", 1),
                    (int)qr_param(ps, "H", 8),        (int)qr_param(ps, "W", 8),
                    (int)qr_param(ps, "KH", 3),       (int)qr_param(ps, "KW", 3),
                    (int)qr_param(ps, "SH", 1),       (int)qr_param(ps, "SW", 1),
                    (int)qr_param(ps, "DH", 1),       (int)qr_param(ps, "DW", 1),
                    (int)qr_param(ps, "SIMD", 1),     (int)qr_param(ps, "DepthwiseOrder", 0)};
    char err[256];
    if (!qr_tb_check(&tb, qr_swg_cfg_check(&m, err, sizeof err) == 0, "config %d: %s", c, err))
      continue;
    int db = m.simd * m.elem_bits, iw = QR_WORDS(db);
    if (!qr_tb_check(&tb, info->configs[c].in_bits == db && info->configs[c].out_bits == db,
                     "config %d: stream widths %d/%d, model says %d", c,
                     info->configs[c].in_bits, info->configs[c].out_bits, db))
      continue;
    size_t fi = qr_swg_in_beats(&m), fo = qr_swg_out_beats(&m);
    size_t nin = fi * (size_t)frames, nout = fo * (size_t)frames;
    size_t *idx = (size_t *)malloc(fo * sizeof(size_t));
    qr_swg_indices(&m, idx);
    uint32_t *in = (uint32_t *)calloc(nin * (size_t)iw, sizeof(uint32_t));
    uint32_t *exp = (uint32_t *)calloc(nout * (size_t)iw, sizeof(uint32_t));
    for (int r = 0; r < QR_NUM_REGIMES; r++) {
      qr_rng rng;
      qr_rng_seed(&rng, qr_tb_seed(&tb, c, r));
      for (size_t i = 0; i < nin; i++) qr_rng_bits(&rng, in + i * (size_t)iw, db);
      for (int f = 0; f < frames; f++)
        for (size_t j = 0; j < fo; j++)
          memcpy(exp + ((size_t)f * fo + j) * (size_t)iw,
                 in + ((size_t)f * fi + idx[j]) * (size_t)iw, sizeof(uint32_t) * (size_t)iw);
      qr_axis_result res;
      int ok = qr_tb_run(&tb, c, (qr_regime)r, in, nin, exp, NULL, nout, frames, &res);
      if (r == QR_REGIME_NONE && ok && res.n_out == nout) {
        size_t bound = fi > fo ? fi : fo;
        double per = (double)(res.out_cycle[nout - 1] - res.out_cycle[fo - 1]) /
                     (double)(frames - 1);
        long cap = qr_swg_buffer_beats(&m);
        printf("tb_qr_swg: config %d (%s): %.1f cycles/frame, bound %zu (in %zu, out %zu): "
               "%+.2f%%; buffer %ld beats = %ld bits; latency %llu\n",
               c, ps, per, bound, fi, fo, 100.0 * (per / (double)bound - 1.0), cap,
               cap * db, (unsigned long long)(res.out_cycle[0] - res.in_cycle[0]));
        qr_tb_check(&tb, per <= 1.02 * (double)bound,
                    "config %d: %.1f cycles/frame, more than 2 %% above the bound %zu", c, per,
                    bound);
        qr_tb_check(&tb, res.out_cycle[0] == res.in_cycle[0] + 3,
                    "config %d: latency: first output in cycle %llu, first input in %llu "
                    "(expected 3 later)",
                    c, (unsigned long long)res.out_cycle[0], (unsigned long long)res.in_cycle[0]);
      }
      qr_axis_result_free(&res);
    }
    free(idx);
    free(in);
    free(exp);
  }
  return qr_tb_finish(&tb);
}
