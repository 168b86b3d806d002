/* tb_qr_add.c - qr_add through tbw_qr_add.sv over the sweep of qr_add.cmake, Verilator
 * + Icarus.
 *
 * Harness beat in: {stall_en, b, a}; out: the unit's m_axis.  The wrapper splits a and
 * b into two FIFOs and gates each into the unit with its own random stall source, so
 * the two inputs see independent gaps on top of the harness regime.
 * Runs per configuration: the four regimes with the internal stalls on, then no stalls
 * at all (stall_en = 0), which must move one beat per cycle in and out.
 * Model: out = MulA * a + MulB * b modulo 2^OBits, a and b decoded as unsigned, two's
 * complement or bipolar (bit 1 = +1, 0 = -1).  Every output beat is compared bit for
 * bit in order; a mismatch is also classified as a lost or duplicated beat (the output
 * matches the next or the previous expected beat) or a wrong value. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axis_tb.h"

typedef struct {
  int abits, asigned, abip, bbits, bsigned, bbip, obits, pe;
  long mula, mulb;
} add_cfg;

static int64_t decode(uint64_t v, int bits, int sgn, int bip) {
  if (bip) return (v & 1) ? 1 : -1;
  if (sgn && bits < 64 && (v >> (bits - 1)) & 1) return (int64_t)v - ((int64_t)1 << bits);
  return (int64_t)v;
}

/* Output count and order: the first mismatch, classified. */
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
    add_cfg k;
    k.abits = (int)qr_param(p, "ABits", 4);
    k.asigned = (int)qr_param(p, "ASigned", 0);
    k.abip = (int)qr_param(p, "ABipolar", 0);
    k.bbits = (int)qr_param(p, "BBits", 4);
    k.bsigned = (int)qr_param(p, "BSigned", 0);
    k.bbip = (int)qr_param(p, "BBipolar", 0);
    k.mula = qr_param(p, "MulA", 1);
    k.mulb = qr_param(p, "MulB", 1);
    k.obits = (int)qr_param(p, "OBits", 10);
    k.pe = (int)qr_param(p, "PE", 1);
    int ib = info->configs[c].in_bits, ob = info->configs[c].out_bits;
    int iw = QR_WORDS(ib), ow = QR_WORDS(ob);
    /* A "frame" here is 10 beats; --frames 200 gives 2000 beats per run. */
    size_t n = (size_t)tb.frames * 10;
    uint32_t *in = (uint32_t *)calloc(n * (size_t)iw, sizeof(uint32_t));
    uint32_t *exp = (uint32_t *)calloc(n * (size_t)ow, sizeof(uint32_t));
    uint64_t omask = k.obits >= 64 ? ~0ull : ((1ull << k.obits) - 1);
    for (int r = 0; r <= QR_NUM_REGIMES; r++) {
      /* r < 4: regime r with the wrapper's stalls on; r == 4: no stalls anywhere. */
      int stall_en = r < QR_NUM_REGIMES;
      qr_regime regime = stall_en ? (qr_regime)r : QR_REGIME_NONE;
      qr_rng rng;
      qr_rng_seed(&rng, qr_tb_seed(&tb, c, r));
      memset(in, 0, n * (size_t)iw * sizeof(uint32_t));
      memset(exp, 0, n * (size_t)ow * sizeof(uint32_t));
      for (size_t i = 0; i < n; i++) {
        uint32_t *bi = in + i * (size_t)iw, *bo = exp + i * (size_t)ow;
        for (int e = 0; e < k.pe; e++) {
          uint64_t a = qr_rng_u64(&rng) & ((1ull << k.abits) - 1);
          uint64_t b = qr_rng_u64(&rng) & ((1ull << k.bbits) - 1);
          qr_bits_put(bi, e * k.abits, k.abits, a);
          qr_bits_put(bi, k.pe * k.abits + e * k.bbits, k.bbits, b);
          int64_t v = (int64_t)k.mula * decode(a, k.abits, k.asigned, k.abip) +
                      (int64_t)k.mulb * decode(b, k.bbits, k.bsigned, k.bbip);
          qr_bits_put(bo, e * k.obits, k.obits, (uint64_t)v & omask);
        }
        qr_bits_put(bi, ib - 1, 1, (uint64_t)stall_en);
      }
      char what[96];
      snprintf(what, sizeof what, "config %d (%s) %s%s", c, p, qr_regime_name(regime),
               stall_en ? " + internal stalls" : "");
      qr_axis_result res;
      qr_tb_run(&tb, c, regime, in, n, exp, NULL, n, tb.frames, &res);
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
    free(in);
    free(exp);
  }
  return qr_tb_finish(&tb);
}
