/* tb_qr_pad.c - qr_pad over the sweep of rtl-lib/tb/qr_pad.cmake: four regimes per
 * configuration, Verilator + Icarus, several frames back to back, every output beat
 * compared bit for bit with the reference model below.
 *
 * Reference model (the specification): output pixel (y, x), 0 <= y < PadT + H + PadB,
 * 0 <= x < PadL + W + PadR, channel group cf is input beat
 * ((y - PadT) * W + (x - PadL)) * C/SIMD + cf of the same frame when
 * PadT <= y < PadT + H and PadL <= x < PadL + W, else SIMD copies of the low ElemBits
 * bits of PadValue.
 *
 * Throughput (no stalls): one output beat per cycle throughout (largest gap between
 * output handshakes 1), and the steady-state cycles per frame, measured between the
 * last beats of the first and the last frame, within 2 % of the output beats per
 * frame (printed per configuration); the first output beat comes 2 cycles after the
 * first input beat (also when the frame starts with border beats). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axis_tb.h"

typedef struct {
  int eb, c, h, w, pt, pb, pl, pr, simd;
  long pad;
} pad_cfg;

/* Expected output of `frames` frames; returns the number of output beats. */
static size_t pad_model(const pad_cfg *p, int frames, const uint32_t *in, uint32_t *out) {
  int cf_n = p->c / p->simd, db = p->simd * p->eb, oh = p->pt + p->h + p->pb,
      ow = p->pl + p->w + p->pr;
  int iw = QR_WORDS(db);
  uint64_t mask = p->eb >= 64 ? ~0ull : ((1ull << p->eb) - 1);
  size_t n = 0, in_frame = (size_t)p->h * p->w * cf_n;
  for (int f = 0; f < frames; f++)
    for (int y = 0; y < oh; y++)
      for (int x = 0; x < ow; x++)
        for (int cf = 0; cf < cf_n; cf++, n++) {
          uint32_t *o = out + n * (size_t)iw;
          memset(o, 0, sizeof(uint32_t) * (size_t)iw);
          int iy = y - p->pt, ix = x - p->pl;
          if (iy >= 0 && iy < p->h && ix >= 0 && ix < p->w) {
            size_t b = (size_t)f * in_frame + ((size_t)iy * p->w + (size_t)ix) * cf_n + (size_t)cf;
            memcpy(o, in + b * (size_t)iw, sizeof(uint32_t) * (size_t)iw);
          } else {
            for (int i = 0; i < p->simd; i++)
              qr_bits_put(o, i * p->eb, p->eb, (uint64_t)p->pad & mask);
          }
        }
  return n;
}

int main(int argc, char **argv) {
  qr_tb tb;
  qr_tb_init(&tb, argc, argv, &qr_tb_generated_info);
  const qr_tb_info *info = tb.info;
  int frames = tb.frames < 2 ? 2 : tb.frames;
  for (int c = 0; c < info->n_configs; c++) {
    if (!qr_tb_want(&tb, c)) continue;
    const char *ps = info->configs[c].params;
    pad_cfg p = {(int)qr_param(ps, "ElemBits", 8), (int)qr_param(ps, "C", 1),
                 (int)qr_param(ps, "H", 4),        (int)qr_param(ps, "W", 4),
                 (int)qr_param(ps, "PadT", 0),     (int)qr_param(ps, "PadB", 0),
                 (int)qr_param(ps, "PadL", 0),     (int)qr_param(ps, "PadR", 0),
                 (int)qr_param(ps, "SIMD", 1),     qr_param(ps, "PadValue", 0)};
    int db = p.simd * p.eb, iw = QR_WORDS(db);
    if (!qr_tb_check(&tb, info->configs[c].in_bits == db && info->configs[c].out_bits == db,
                     "config %d: stream widths %d/%d, model says %d", c,
                     info->configs[c].in_bits, info->configs[c].out_bits, db))
      continue;
    size_t cf_n = (size_t)(p.c / p.simd);
    size_t in_frame = (size_t)p.h * (size_t)p.w * cf_n;
    size_t out_frame = (size_t)(p.pt + p.h + p.pb) * (size_t)(p.pl + p.w + p.pr) * cf_n;
    size_t nin = in_frame * (size_t)frames, nout = out_frame * (size_t)frames;
    uint32_t *in = (uint32_t *)calloc(nin * (size_t)iw, sizeof(uint32_t));
    uint32_t *exp = (uint32_t *)calloc(nout * (size_t)iw, sizeof(uint32_t));
    for (int r = 0; r < QR_NUM_REGIMES; r++) {
      qr_rng rng;
      qr_rng_seed(&rng, qr_tb_seed(&tb, c, r));
      for (size_t i = 0; i < nin; i++) qr_rng_bits(&rng, in + i * (size_t)iw, db);
      size_t n = pad_model(&p, frames, in, exp);
      if (!qr_tb_check(&tb, n == nout, "config %d: model produced %zu beats, expected %zu", c, n,
                       nout))
        continue;
      qr_axis_result res;
      int ok = qr_tb_run(&tb, c, (qr_regime)r, in, nin, exp, NULL, nout, frames, &res);
      if (r == QR_REGIME_NONE && ok && res.n_out == nout) {
        uint64_t gap = qr_cycles_max_gap(res.out_cycle, 0, nout - 1);
        double per = (double)(res.out_cycle[nout - 1] - res.out_cycle[out_frame - 1]) /
                     (double)(frames - 1);
        printf("tb_qr_pad: config %d (%s): %.1f cycles/frame, bound %zu (%.2f%%), "
               "max output gap %llu\n",
               c, ps, per, out_frame, 100.0 * (per / (double)out_frame - 1.0),
               (unsigned long long)gap);
        qr_tb_check(&tb, gap == 1 && per <= 1.02 * (double)out_frame,
                    "config %d: no stalls must give one output beat per cycle: max gap %llu, "
                    "%.1f cycles/frame for %zu beats",
                    c, (unsigned long long)gap, per, out_frame);
        qr_tb_check(&tb, res.out_cycle[0] == res.in_cycle[0] + 2,
                    "config %d: latency: first output in cycle %llu, first input in %llu "
                    "(expected 2 later)",
                    c, (unsigned long long)res.out_cycle[0], (unsigned long long)res.in_cycle[0]);
      }
      qr_axis_result_free(&res);
    }
    free(in);
    free(exp);
  }
  return qr_tb_finish(&tb);
}
