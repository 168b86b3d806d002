/* tb_qr_concat.c - qr_concat through tbw_qr_concat.sv over the sweep of
 * qr_concat.cmake, Verilator + Icarus.
 *
 * Data: `pixels` pixels of CA channels (a) and CB channels (b), random.  Model: per
 * pixel CA/PE beats of a, then CB/PE beats of b.
 * Harness beat in: {stall_en, tag, data}, tag 0 = a, 1 = b.  The order in which a and
 * b beats go in is a random merge of the two streams in which neither side runs more
 * than FifoDepth (4) beats ahead of what the unit has taken (the wrapper's FIFOs hold
 * that many; more could block the beat the unit waits for).  Runs per configuration:
 * the four regimes with the wrapper's stalls on, then no stalls at all with the beats
 * in the unit's own order, which must move one beat per cycle.  The output is
 * compared bit for bit in order; a mismatch is also classified as a lost or
 * duplicated beat or a wrong value. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axis_tb.h"

#define FIFO_DEPTH 4

static void check_sequence(qr_tb *tb, const char *what, const qr_axis_result *res,
                           const uint32_t *exp, size_t n, int bits) {
  int w = QR_WORDS(bits);
  if (res->n_out != n) {
    qr_tb_check(tb, 0, "%s: %zu of %zu output beats (lost or extra beats)", what, res->n_out, n);
    return;
  }
  for (size_t i = 0; i < n; i++) {
    const uint32_t *o = res->out + i * (size_t)w;
    if (qr_bits_equal(o, exp + i * (size_t)w, bits)) continue;
    const char *why = "wrong value";
    if (i + 1 < n && qr_bits_equal(o, exp + (i + 1) * (size_t)w, bits))
      why = "lost (output matches the next expected beat)";
    else if (i > 0 && qr_bits_equal(o, exp + (i - 1) * (size_t)w, bits))
      why = "duplicated (output matches the previous expected beat)";
    qr_tb_check(tb, 0, "%s: output beat %zu: %s", what, i, why);
    return;
  }
  qr_tb_check(tb, 1, "%s", what);
}

int main(int argc, char **argv) {
  qr_tb tb;
  qr_tb_init(&tb, argc, argv, &qr_tb_generated_info);
  const qr_tb_info *info = tb.info;
  for (int c = 0; c < info->n_configs; c++) {
    if (!qr_tb_want(&tb, c)) continue;
    const char *p = info->configs[c].params;
    int eb = (int)qr_param(p, "ElemBits", 4), pe = (int)qr_param(p, "PE", 1);
    size_t na = (size_t)(qr_param(p, "CA", 4) / pe), nb = (size_t)(qr_param(p, "CB", 4) / pe);
    size_t nt = na + nb;
    int db = pe * eb, ib = info->configs[c].in_bits, ob = info->configs[c].out_bits;
    int iw = QR_WORDS(ib), ow = QR_WORDS(ob);
    /* A "frame" is 2 pixels (the unit has no frame size); keep runs near 4000 beats. */
    size_t pixels = (size_t)tb.frames * 2;
    if (pixels * nt > 4000) pixels = 4000 / nt + 1;
    size_t n = pixels * nt;
    uint32_t *a = (uint32_t *)calloc(pixels * na * (size_t)ow, sizeof(uint32_t));
    uint32_t *b = (uint32_t *)calloc(pixels * nb * (size_t)ow, sizeof(uint32_t));
    uint32_t *in = (uint32_t *)calloc(n * (size_t)iw, sizeof(uint32_t));
    uint32_t *exp = (uint32_t *)calloc(n * (size_t)ow, sizeof(uint32_t));
    for (int r = 0; r <= QR_NUM_REGIMES; r++) {
      int stall_en = r < QR_NUM_REGIMES; /* r == 4: no stalls, unit order */
      qr_regime regime = stall_en ? (qr_regime)r : QR_REGIME_NONE;
      qr_rng rng;
      qr_rng_seed(&rng, qr_tb_seed(&tb, c, r));
      for (size_t k = 0; k < pixels * na; k++) qr_rng_bits(&rng, a + k * (size_t)ow, db);
      for (size_t k = 0; k < pixels * nb; k++) qr_rng_bits(&rng, b + k * (size_t)ow, db);
      /* Expected output: the unit's order. */
      for (size_t u = 0; u < n; u++) {
        size_t px = u / nt, w = u % nt;
        const uint32_t *src = w < na ? a + (px * na + w) * (size_t)ow
                                     : b + (px * nb + w - na) * (size_t)ow;
        memcpy(exp + u * (size_t)ow, src, (size_t)ow * sizeof(uint32_t));
      }
      /* Input order: random merge, lead bounded by the FIFO depth (unit order if r == 4). */
      memset(in, 0, n * (size_t)iw * sizeof(uint32_t));
      size_t ia = 0, ib2 = 0, ua = 0, ub = 0, u = 0;
      int prefer_b = 0;
      for (size_t i = 0; i < n; i++) {
        /* The unit takes what it can. */
        for (; u < n; u++) {
          size_t w = u % nt;
          if (w < na ? ua < ia : ub < ib2) {
            if (w < na) ua++;
            else ub++;
          } else {
            break;
          }
        }
        int can_a = ia < pixels * na && ia - ua < FIFO_DEPTH;
        int can_b = ib2 < pixels * nb && ib2 - ub < FIFO_DEPTH;
        int take_b;
        if (!stall_en) {
          take_b = (u % nt) >= na;
        } else {
          if (qr_rng_chance(&rng, 0.3)) prefer_b = !prefer_b; /* runs of one side */
          take_b = can_b && (prefer_b || !can_a);
        }
        uint32_t *bi = in + i * (size_t)iw;
        const uint32_t *src = take_b ? b + ib2 * (size_t)ow : a + ia * (size_t)ow;
        for (int lsb = 0; lsb < db; lsb += 32) {
          int wd = db - lsb < 32 ? db - lsb : 32;
          qr_bits_put(bi, lsb, wd, qr_bits_get(src, lsb, wd));
        }
        qr_bits_put(bi, db, 1, (uint64_t)take_b);
        qr_bits_put(bi, db + 1, 1, (uint64_t)stall_en);
        if (take_b) ib2++;
        else ia++;
      }
      char what[128];
      snprintf(what, sizeof what, "config %d (%s) %s%s", c, p, qr_regime_name(regime),
               stall_en ? " + input stalls" : ", no stalls");
      qr_axis_result res;
      qr_tb_run(&tb, c, regime, in, n, exp, NULL, n, (long)(pixels / 2), &res);
      check_sequence(&tb, what, &res, exp, n, ob);
      if (!stall_en && res.ok && res.n_out == n) {
        uint64_t gin = qr_cycles_max_gap(res.in_cycle, 0, n - 1);
        uint64_t gout = qr_cycles_max_gap(res.out_cycle, 0, n - 1);
        qr_tb_check(&tb, gin == 1 && gout == 1 && res.cycles <= n + 8,
                    "%s: must run at 1 beat/cycle: in gap %llu, out gap %llu, %llu cycles "
                    "for %zu beats",
                    what, (unsigned long long)gin, (unsigned long long)gout,
                    (unsigned long long)res.cycles, n);
        if (tb.verbose)
          fprintf(stderr, "%s: %llu cycles for %zu beats\n", what,
                  (unsigned long long)res.cycles, n);
      }
      qr_axis_result_free(&res);
    }
    free(a);
    free(b);
    free(in);
    free(exp);
  }
  return qr_tb_finish(&tb);
}
