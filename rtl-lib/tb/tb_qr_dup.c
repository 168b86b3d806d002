/* tb_qr_dup.c - qr_dup through tbw_qr_dup.sv over the sweep of qr_dup.cmake, Verilator
 * + Icarus.
 *
 * Harness beat in: {stall_en, data}; out: {m1, m0} zipped by the wrapper, whose two
 * branches are back-pressured by independent random stall sources before the zip.
 * Runs per configuration: the four regimes with the branch stalls on, then no stalls
 * at all (stall_en = 0), which must move one beat per cycle.
 * Model: both halves of output beat i equal input beat i.  Besides the bit-for-bit
 * comparison, each branch is checked on its own: the first beat where it differs is
 * classified as lost (it carries the next input beat), duplicated (the previous one)
 * or wrong. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axis_tb.h"

/* Branch `br` (0: low half, 1: high half) of every output beat against the input. */
static void check_branch(qr_tb *tb, const char *what, int br, const qr_axis_result *res,
                         const uint32_t *in, size_t n, int db) {
  int iw = QR_WORDS(db + 1), ow = QR_WORDS(2 * db);
  if (res->n_out != n) {
    qr_tb_check(tb, 0, "%s: %zu of %zu output beats (lost or extra beats)", what, res->n_out, n);
    return;
  }
  for (size_t i = 0; i < n; i++) {
    const uint32_t *o = res->out + i * (size_t)ow;
    for (int lsb = 0; lsb < db; lsb += 32) {
      int w = db - lsb < 32 ? db - lsb : 32;
      uint64_t got = qr_bits_get(o, br * db + lsb, w);
      if (got == qr_bits_get(in + i * (size_t)iw, lsb, w)) continue;
      const char *why = "wrong value";
      if (i + 1 < n && got == qr_bits_get(in + (i + 1) * (size_t)iw, lsb, w))
        why = "lost (carries the next input beat)";
      else if (i > 0 && got == qr_bits_get(in + (i - 1) * (size_t)iw, lsb, w))
        why = "duplicated (carries the previous input beat)";
      qr_tb_check(tb, 0, "%s: branch m%d, beat %zu: %s", what, br, i, why);
      return;
    }
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
    int db = (int)qr_param(p, "DataBits", 8);
    int iw = QR_WORDS(db + 1), ow = QR_WORDS(2 * db);
    size_t n = (size_t)tb.frames * 10; /* a "frame" is 10 beats */
    uint32_t *in = (uint32_t *)calloc(n * (size_t)iw, sizeof(uint32_t));
    uint32_t *exp = (uint32_t *)calloc(n * (size_t)ow, sizeof(uint32_t));
    for (int r = 0; r <= QR_NUM_REGIMES; r++) {
      int stall_en = r < QR_NUM_REGIMES; /* r == 4: no stalls anywhere */
      qr_regime regime = stall_en ? (qr_regime)r : QR_REGIME_NONE;
      qr_rng rng;
      qr_rng_seed(&rng, qr_tb_seed(&tb, c, r));
      memset(in, 0, n * (size_t)iw * sizeof(uint32_t));
      memset(exp, 0, n * (size_t)ow * sizeof(uint32_t));
      for (size_t i = 0; i < n; i++) {
        uint32_t *bi = in + i * (size_t)iw, *bo = exp + i * (size_t)ow;
        qr_rng_bits(&rng, bi, db);
        qr_bits_put(bi, db, 1, (uint64_t)stall_en);
        for (int lsb = 0; lsb < db; lsb += 32) {
          int w = db - lsb < 32 ? db - lsb : 32;
          uint64_t v = qr_bits_get(bi, lsb, w);
          qr_bits_put(bo, lsb, w, v);
          qr_bits_put(bo, db + lsb, w, v);
        }
      }
      char what[96];
      snprintf(what, sizeof what, "config %d (%s) %s%s", c, p, qr_regime_name(regime),
               stall_en ? " + branch stalls" : ", no stalls");
      qr_axis_result res;
      qr_tb_run(&tb, c, regime, in, n, exp, NULL, n, tb.frames, &res);
      check_branch(&tb, what, 0, &res, in, n, db);
      check_branch(&tb, what, 1, &res, in, n, db);
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
    free(in);
    free(exp);
  }
  return qr_tb_finish(&tb);
}
