/* axis_tb.c - the main loop helpers of a unit testbench: options, configs of a
 * sweep, the four regimes, running each stimulus in Verilator and Icarus, bit-exact
 * comparison, pass/fail counts. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "axis_run.h"

/* The shim is linked into every Verilator testbench; an Icarus-only binary has none. */
#ifdef __GNUC__
extern qr_dut *qr_dut_new(void) __attribute__((weak));
#endif

long qr_param(const char *params, const char *name, long def) {
  size_t n = strlen(name);
  const char *p = params;
  while (p && *p) {
    if (!strncmp(p, name, n) && p[n] == '=') return strtol(p + n + 1, NULL, 0);
    p = strchr(p, ',');
    if (p) p++;
  }
  return def;
}

static void usage(const char *argv0) {
  fprintf(stderr,
          "usage: %s [--seed N] [--frames N] [--config I] [--sim=verilator|icarus|both]\n"
          "          [--p-gap P] [--p-stall P] [-v]\n",
          argv0);
  exit(2);
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double t_start;

int qr_tb_init(qr_tb *tb, int argc, char **argv, const qr_tb_info *info) {
  memset(tb, 0, sizeof *tb);
  t_start = now_s();
  tb->info = info;
  tb->seed = 1;
  tb->frames = 200;
  tb->only = -1;
  tb->p_gap = 0.3;
  tb->p_stall = 0.3;
  tb->burst_gap = 1;
  tb->burst_stall = 3;
  tb->pattern_len = 8191;
  const char *sim = "both";
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *val = i + 1 < argc ? argv[i + 1] : NULL;
    if (!strcmp(a, "-v")) {
      tb->verbose = 1;
    } else if (!strncmp(a, "--sim=", 6)) {
      sim = a + 6;
    } else if (!strcmp(a, "--sim") && val) {
      sim = val;
      i++;
    } else if (!strcmp(a, "--seed") && val) {
      tb->seed = strtoull(val, NULL, 0);
      i++;
    } else if (!strcmp(a, "--frames") && val) {
      tb->frames = atoi(val);
      i++;
    } else if (!strcmp(a, "--config") && val) {
      tb->only = atoi(val);
      i++;
    } else if (!strcmp(a, "--p-gap") && val) {
      tb->p_gap = atof(val);
      i++;
    } else if (!strcmp(a, "--p-stall") && val) {
      tb->p_stall = atof(val);
      i++;
    } else {
      usage(argv[0]);
    }
  }
  if (!strcmp(sim, "both")) {
    tb->use_verilator = tb->use_icarus = 1;
  } else if (!strcmp(sim, "verilator")) {
    tb->use_verilator = 1;
  } else if (!strcmp(sim, "icarus")) {
    tb->use_icarus = 1;
  } else {
    usage(argv[0]);
  }
  if (tb->use_verilator) {
    int have = 1;
#ifdef __GNUC__
    have = qr_dut_new != NULL;
#endif
    if (!have) {
      if (strcmp(sim, "both")) {
        fprintf(stderr, "%s: this testbench has no Verilated model\n", info->name);
        exit(2);
      }
      tb->use_verilator = 0;
    } else {
      tb->dut = qr_dut_new();
      if (!tb->dut) exit(2);
      for (int c = 0; c < info->n_configs; c++) {
        if (info->configs[c].in_bits > qr_dut_s_bits(tb->dut) ||
            info->configs[c].out_bits > qr_dut_m_bits(tb->dut)) {
          fprintf(stderr, "%s: config %d is wider than the Verilated ports\n", info->name, c);
          exit(2);
        }
      }
      if (info->n_configs > 1 && !qr_dut_has_cfg(tb->dut)) {
        fprintf(stderr, "%s: %d configs but the Verilated top has no cfg port\n", info->name,
                info->n_configs);
        exit(2);
      }
    }
  }
  return 0;
}

int qr_tb_want(const qr_tb *tb, int cfg) { return tb->only < 0 || tb->only == cfg; }

uint64_t qr_tb_seed(const qr_tb *tb, int cfg, int regime) {
  return qr_seed_mix(qr_seed_mix(tb->seed, (uint64_t)cfg + 1), (uint64_t)regime + 1);
}

int qr_tb_check(qr_tb *tb, int ok, const char *fmt, ...) {
  if (ok) {
    tb->passed++;
    return 1;
  }
  tb->failed++;
  fprintf(stderr, "%s: FAIL: ", tb->info->name);
  va_list ap;
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  return 0;
}

static void print_beat(const char *label, const uint32_t *w, int bits) {
  char *hex = (char *)qr_xcalloc((size_t)bits / 4 + 4, 1);
  qr_bits_hex(w, bits, hex);
  fprintf(stderr, "    %s %s%s\n", label, strlen(hex) > 160 ? "..." : "",
          strlen(hex) > 160 ? hex + strlen(hex) - 160 : hex);
  free(hex);
}

/* Compare one simulator's result with the expectation; prints the first difference. */
static int compare(qr_tb *tb, const char *what, const char *sim, const qr_axis_run *run,
                   const qr_axis_result *r, const uint32_t *expect, const uint8_t *expect_last) {
  if (!r->ok) {
    fprintf(stderr, "%s: FAIL %s [%s]: %s\n", tb->info->name, what, sim, r->err);
    return 0;
  }
  int ow = QR_WORDS(run->out_bits);
  for (size_t i = 0; i < run->n_out; i++) {
    const uint32_t *got = r->out + i * (size_t)ow, *exp = expect + i * (size_t)ow;
    if (!qr_bits_equal(got, exp, run->out_bits)) {
      fprintf(stderr, "%s: FAIL %s [%s]: output beat %zu of %zu (cycle %llu) differs\n",
              tb->info->name, what, sim, i, run->n_out, (unsigned long long)r->out_cycle[i]);
      print_beat("got     ", got, run->out_bits);
      print_beat("expected", exp, run->out_bits);
      return 0;
    }
    if (expect_last && r->last[i] != (expect_last[i] != 0)) {
      fprintf(stderr, "%s: FAIL %s [%s]: output beat %zu: tlast %d, expected %d\n",
              tb->info->name, what, sim, i, r->last[i], expect_last[i] != 0);
      return 0;
    }
  }
  return 1;
}

int qr_tb_run_custom(qr_tb *tb, int cfg, const char *what_in, const qr_axis_run *run,
                     const uint32_t *expect, const uint8_t *expect_last, long frames,
                     qr_axis_result *res) {
  const qr_tb_info *info = tb->info;
  char what[512];
  snprintf(what, sizeof what, "config %d (%s) %s", cfg, info->configs[cfg].params, what_in);
  double t0 = now_s();
  qr_axis_result rv, ri;
  int have_v = 0, have_i = 0, all = 1;
  memset(&rv, 0, sizeof rv);
  memset(&ri, 0, sizeof ri);
  if (tb->use_verilator && tb->dut) {
    qr_axis_run_dut(tb->dut, run, &rv);
    have_v = 1;
    int ok = compare(tb, what, "verilator", run, &rv, expect, expect_last);
    ok ? tb->passed++ : tb->failed++;
    all &= ok;
  }
  if (tb->use_icarus) {
    qr_icarus_dut d;
    memset(&d, 0, sizeof d);
    d.top = info->top;
    d.params = info->configs[cfg].params;
    d.sources = info->sources;
    d.n_sources = info->n_sources;
    d.has_tlast = info->has_tlast;
    qr_axis_run_icarus(&d, run, &ri);
    have_i = 1;
    int ok = compare(tb, what, "icarus", run, &ri, expect, expect_last);
    ok ? tb->passed++ : tb->failed++;
    all &= ok;
  }
  if (have_v && have_i && rv.ok && ri.ok) {
    /* Same RTL, same stimulus: the simulators must agree cycle for cycle. */
    int same = rv.n_in == ri.n_in && rv.n_out == ri.n_out && rv.cycles == ri.cycles;
    size_t k = 0;
    for (k = 0; same && k < rv.n_in; k++) same = rv.in_cycle[k] == ri.in_cycle[k];
    for (k = 0; same && k < rv.n_out; k++) same = rv.out_cycle[k] == ri.out_cycle[k];
    qr_tb_check(tb, same, "%s: Verilator and Icarus disagree on handshake cycles (%llu vs %llu total)",
                what, (unsigned long long)rv.cycles, (unsigned long long)ri.cycles);
    all &= same;
  }
  if (all) tb->frames_checked += frames;
  if (tb->verbose)
    fprintf(stderr, "%s: %s %s: %zu in, %zu out, %llu cycles, %.2fs\n", info->name, what,
            all ? "ok" : "FAILED", run->n_in, run->n_out,
            (unsigned long long)(have_v ? rv.cycles : ri.cycles), now_s() - t0);
  if (res) {
    if (have_v) {
      *res = rv;
      memset(&rv, 0, sizeof rv);
    } else {
      *res = ri;
      memset(&ri, 0, sizeof ri);
    }
  }
  qr_axis_result_free(&rv);
  qr_axis_result_free(&ri);
  return all;
}

int qr_tb_run(qr_tb *tb, int cfg, qr_regime regime, const uint32_t *in, size_t n_in,
              const uint32_t *expect, const uint8_t *expect_last, size_t n_out, long frames,
              qr_axis_result *res) {
  uint64_t seed = qr_tb_seed(tb, cfg, (int)regime + 100);
  qr_pattern vp, rp;
  int gaps = regime == QR_REGIME_GAPS || regime == QR_REGIME_BOTH;
  int bp = regime == QR_REGIME_BACKPRESSURE || regime == QR_REGIME_BOTH;
  if (gaps)
    qr_pattern_random(&vp, tb->pattern_len, tb->p_gap, tb->burst_gap, qr_seed_mix(seed, 1));
  else
    qr_pattern_always(&vp);
  if (bp)
    qr_pattern_random(&rp, tb->pattern_len, tb->p_stall, tb->burst_stall, qr_seed_mix(seed, 2));
  else
    qr_pattern_always(&rp);
  qr_axis_run run;
  memset(&run, 0, sizeof run);
  run.in_bits = tb->info->configs[cfg].in_bits;
  run.out_bits = tb->info->configs[cfg].out_bits;
  run.in = in;
  run.n_in = n_in;
  run.n_out = n_out;
  run.valid = &vp;
  run.ready = &rp;
  run.cfg = (uint32_t)cfg;
  char what[64];
  snprintf(what, sizeof what, "regime %s", qr_regime_name(regime));
  int ok = qr_tb_run_custom(tb, cfg, what, &run, expect, expect_last, frames, res);
  qr_pattern_free(&vp);
  qr_pattern_free(&rp);
  return ok;
}

int qr_tb_finish(qr_tb *tb) {
  if (tb->dut) qr_dut_free(tb->dut);
  tb->dut = NULL;
  qr_icarus_cleanup();
  int n = 0;
  for (int c = 0; c < tb->info->n_configs; c++) n += qr_tb_want(tb, c);
  printf("%s: %ld passed, %ld failed (%d configs, %ld frames checked, %s%s%s, %.1fs)\n",
         tb->info->name, tb->passed, tb->failed, n, tb->frames_checked,
         tb->use_verilator ? "verilator" : "", tb->use_verilator && tb->use_icarus ? "+" : "",
         tb->use_icarus ? "icarus" : "", now_s() - t_start);
  if (tb->passed == 0 && tb->failed == 0) {
    fprintf(stderr, "%s: nothing was checked\n", tb->info->name);
    return 1;
  }
  return tb->failed ? 1 : 0;
}
