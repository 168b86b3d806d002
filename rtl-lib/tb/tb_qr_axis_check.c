/* tb_qr_axis_check.c - the protocol checks catch protocol violations.
 *
 * The DUT is rtl-lib/tb/tbw_bad_skid.sv: qr_skid with a violation injected into its
 * output stream, selected by the parameter Mode (see the .sv).  For each config:
 *   Mode 0        must pass in every regime, in Verilator and Icarus (the checkers
 *                 raise no false alarm, data and tlast bit-exact);
 *   Modes 1-4     every run in which the violation can happen (1, 2, 4 need a stall:
 *                 the backpressure regimes; 3 happens in all four) must FAIL, in
 *                 Verilator with the C harness's message, in Icarus with the Icarus
 *                 testbench's message AND the SV checker qr_axis_check's rule;
 *   Mode 5 (X)    must pass in Verilator (no X there) and fail in Icarus with the SV
 *                 checker's AXIS_X_TDATA.
 * Then the input side: with QR_AXIS_INJECT=source-drop the harness's own source drops
 * tvalid once before a handshake; Verilator must report it (the C assertion on the
 * source) and Icarus must fail through the input-side checker (AXIS_TVALID_DROPPED on
 * s_axis).
 *
 * Counts one pass per expected verdict; prints "tb_qr_axis_check: N passed, N failed".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axis_tb.h"

/* The rule each mode breaks: what the C harness (and the Icarus testbench's copy of
 * its checks) says, and the SV checker's rule. */
static const struct {
  const char *c_msg, *sv_rule;
} expect_of[] = {
    {NULL, NULL},
    {"m_axis_tvalid dropped while the beat was not accepted", "AXIS_TVALID_DROPPED"},
    {"m_axis_tdata/tlast changed while tvalid && !tready", "AXIS_TDATA_CHANGED"},
    {"extra output beat", "AXIS_EXTRA_BEAT"},
    {"m_axis_tdata/tlast changed while tvalid && !tready", "AXIS_TLAST_CHANGED"},
    {NULL, "AXIS_X_TDATA"},
};
#define N_MODES ((int)(sizeof expect_of / sizeof expect_of[0]))

static void make_run(const qr_tb *tb, int cfg, qr_regime regime, qr_pattern *vp, qr_pattern *rp,
                     qr_axis_run *run) {
  uint64_t seed = qr_tb_seed(tb, cfg, (int)regime + 100);
  if (regime == QR_REGIME_GAPS || regime == QR_REGIME_BOTH)
    qr_pattern_random(vp, tb->pattern_len, tb->p_gap, tb->burst_gap, qr_seed_mix(seed, 1));
  else
    qr_pattern_always(vp);
  if (regime == QR_REGIME_BACKPRESSURE || regime == QR_REGIME_BOTH)
    qr_pattern_random(rp, tb->pattern_len, tb->p_stall, tb->burst_stall, qr_seed_mix(seed, 2));
  else
    qr_pattern_always(rp);
  memset(run, 0, sizeof *run);
  run->in_bits = tb->info->configs[cfg].in_bits;
  run->out_bits = tb->info->configs[cfg].out_bits;
  run->valid = vp;
  run->ready = rp;
  run->cfg = (uint32_t)cfg;
}

/* One run in one simulator, expected to fail with every string in need[] in its
 * reason (NULL entries ignored). */
static void expect_fail(qr_tb *tb, int cfg, const char *sim, const char *what, const qr_axis_run *run,
                        const char *const need[3]) {
  qr_axis_result r;
  memset(&r, 0, sizeof r);
  if (!strcmp(sim, "verilator")) {
    qr_axis_run_dut(tb->dut, run, &r);
  } else {
    qr_icarus_dut d;
    memset(&d, 0, sizeof d);
    d.top = tb->info->top;
    d.params = tb->info->configs[cfg].params;
    d.sources = tb->info->sources;
    d.n_sources = tb->info->n_sources;
    d.has_tlast = tb->info->has_tlast;
    qr_axis_run_icarus(&d, run, &r);
  }
  int ok = !r.ok;
  char want[400] = "";
  for (int i = 0; i < 3; i++) {
    if (!need[i]) continue;
    if (!strstr(r.err, need[i])) ok = 0;
    size_t l = strlen(want);
    snprintf(want + l, sizeof want - l, "%s\"%s\"", l ? " and " : "", need[i]);
  }
  qr_tb_check(tb, ok, "config %d (%s) %s [%s]: expected a failure naming %s, got %s", cfg,
              tb->info->configs[cfg].params, what, sim, want, r.ok ? "a pass" : r.err);
  if (tb->verbose || !ok)
    fprintf(stderr, "tb_qr_axis_check: config %d %s [%s] detected: %s\n", cfg, what, sim,
            r.ok ? "(nothing)" : r.err);
  qr_axis_result_free(&r);
}

int main(int argc, char **argv) {
  qr_tb tb;
  qr_tb_init(&tb, argc, argv, &qr_tb_generated_info);
  size_t n = 300; /* beats per run: a multiple of FrameBeats */
  for (int c = 0; c < tb.info->n_configs; c++) {
    if (!qr_tb_want(&tb, c)) continue;
    const char *params = tb.info->configs[c].params;
    int bits = tb.info->configs[c].in_bits;
    int mode = (int)qr_param(params, "Mode", 0);
    long fb = qr_param(params, "FrameBeats", 4);
    if (mode < 0 || mode >= N_MODES) {
      qr_tb_check(&tb, 0, "config %d: unknown Mode %d", c, mode);
      continue;
    }
    uint32_t *in = (uint32_t *)calloc(n * (size_t)QR_WORDS(bits), sizeof(uint32_t));
    uint8_t *last = (uint8_t *)calloc(n, 1);
    for (size_t i = 0; i < n; i++) last[i] = (uint8_t)((long)i % fb == fb - 1);
    for (int rg = 0; rg < QR_NUM_REGIMES; rg++) {
      qr_regime regime = (qr_regime)rg;
      qr_rng rng;
      qr_rng_seed(&rng, qr_tb_seed(&tb, c, rg));
      for (size_t i = 0; i < n; i++) qr_rng_bits(&rng, in + i * (size_t)QR_WORDS(bits), bits);
      if (mode == 0) {
        qr_tb_run(&tb, c, regime, in, n, in, last, n, (long)(n / (size_t)fb), NULL);
        continue;
      }
      /* Modes 1, 2, 4 need a stall to break the rule in. */
      int stalls = regime == QR_REGIME_BACKPRESSURE || regime == QR_REGIME_BOTH;
      if ((mode == 1 || mode == 2 || mode == 4) && !stalls) continue;
      qr_pattern vp, rp;
      qr_axis_run run;
      make_run(&tb, c, regime, &vp, &rp, &run);
      run.in = in;
      run.n_in = n;
      run.n_out = n;
      char what[96];
      snprintf(what, sizeof what, "regime %s, injected %s", qr_regime_name(regime),
               expect_of[mode].sv_rule);
      if (tb.use_verilator) {
        if (expect_of[mode].c_msg) {
          const char *need[3] = {expect_of[mode].c_msg, NULL, NULL};
          expect_fail(&tb, c, "verilator", what, &run, need);
        } else {
          /* X does not exist in Verilator: the run must pass, bit-exact. */
          int save = tb.use_icarus;
          tb.use_icarus = 0;
          qr_tb_run_custom(&tb, c, what, &run, in, last, 0, NULL);
          tb.use_icarus = save;
        }
      }
      if (tb.use_icarus) {
        /* The Icarus testbench's own check (as in C) and the SV checker's rule. */
        const char *need[3] = {"qr_axis_check on m_axis", expect_of[mode].sv_rule,
                               expect_of[mode].c_msg};
        expect_fail(&tb, c, "icarus", what, &run, need);
      }
      qr_pattern_free(&vp);
      qr_pattern_free(&rp);
    }
    /* The input side, on the correct unit: the testbench's own source misbehaves. */
    if (mode == 0) {
      for (int rg = QR_REGIME_BACKPRESSURE; rg <= QR_REGIME_BOTH; rg++) {
        qr_pattern vp, rp;
        qr_axis_run run;
        make_run(&tb, c, (qr_regime)rg, &vp, &rp, &run);
        run.in = in;
        run.n_in = n;
        run.n_out = n;
        char what[96];
        snprintf(what, sizeof what, "regime %s, source drops tvalid (QR_AXIS_INJECT=source-drop)",
                 qr_regime_name((qr_regime)rg));
        setenv("QR_AXIS_INJECT", "source-drop", 1);
        if (tb.use_verilator) {
          const char *need[3] = {"testbench source broke AXI", NULL, NULL};
          expect_fail(&tb, c, "verilator", what, &run, need);
        }
        if (tb.use_icarus) {
          const char *need[3] = {"qr_axis_check on s_axis", "AXIS_TVALID_DROPPED", NULL};
          expect_fail(&tb, c, "icarus", what, &run, need);
        }
        unsetenv("QR_AXIS_INJECT");
        qr_pattern_free(&vp);
        qr_pattern_free(&rp);
      }
    }
    free(in);
    free(last);
  }
  return qr_tb_finish(&tb);
}
