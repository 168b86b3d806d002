/* tb_design.c - the testbench `--verify` builds for a generated design.
 *
 * Copied into DIR/sim/ and built either against the Verilated top (Verilator,
 * with axis_shim.cpp and -DQR_AP_PORTS=1) or alone with -DQR_TB_NO_DUT (Icarus
 * only: the harness generates an SV testbench and runs iverilog + vvp).
 *
 *   tb_design [--sim=verilator|icarus] [--top NAME --mem-dir D --src F.sv ...] stim.txt
 *
 * stim.txt (written by sim/driver/verify.c):
 *   in_bits out_bits frames in_beats_per_frame out_beats_per_frame seed
 *   then frames*in_beats_per_frame input beats (hex, one per line), then
 *   frames*out_beats_per_frame expected output beats (hex).
 *
 * The Icarus runs bind the SV protocol checker qr_axis_check.sv (copied beside
 * stim.txt by verify.c) to both streams: QR_AXIS_CHECK_SV is set to that copy
 * unless already set, so a run by hand works from any directory.
 *
 * Two runs, both compared bit for bit with the expected beats (and tlast on the
 * last beat of every frame): one without stalls, which measures the steady-state
 * cycles per frame and the latency of the first frame, and one with random input
 * gaps and random output backpressure.  Prints one `result ...` line per run and
 * `N passed, N failed`; exits 1 on any mismatch.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axis_tb.h"

#ifdef QR_TB_NO_DUT
/* Icarus-only build: the harness links against the Verilator shim's qr_dut_*
 * functions; nothing here calls them, so they only have to exist. */
static void no_dut(void) {
  fputs("tb_design: built without a Verilated model (QR_TB_NO_DUT)\n", stderr);
  abort();
}
qr_dut *qr_dut_new(void) { no_dut(); return NULL; }
void qr_dut_free(qr_dut *d) { (void)d; }
int qr_dut_s_bits(const qr_dut *d) { (void)d; no_dut(); return 0; }
int qr_dut_m_bits(const qr_dut *d) { (void)d; no_dut(); return 0; }
int qr_dut_has_tlast(const qr_dut *d) { (void)d; no_dut(); return 0; }
int qr_dut_has_cfg(const qr_dut *d) { (void)d; no_dut(); return 0; }
void qr_dut_set_clk(qr_dut *d, int v) { (void)d; (void)v; no_dut(); }
void qr_dut_set_rst_n(qr_dut *d, int v) { (void)d; (void)v; no_dut(); }
void qr_dut_set_cfg(qr_dut *d, uint32_t v) { (void)d; (void)v; no_dut(); }
void qr_dut_set_s(qr_dut *d, const uint32_t *t, int n, int v) { (void)d; (void)t; (void)n; (void)v; no_dut(); }
int qr_dut_s_tready(qr_dut *d) { (void)d; no_dut(); return 0; }
void qr_dut_set_m_tready(qr_dut *d, int v) { (void)d; (void)v; no_dut(); }
int qr_dut_m(qr_dut *d, uint32_t *t, int *l) { (void)d; (void)t; (void)l; no_dut(); return 0; }
void qr_dut_eval(qr_dut *d) { (void)d; no_dut(); }
#endif

typedef struct stim {
  int in_bits, out_bits;
  long frames, in_bpf, out_bpf;
  unsigned long long seed;
  uint32_t *in, *out;
  uint8_t *last;
} stim;

static int read_hex_beat(FILE *f, uint32_t *w, int bits) {
  char line[16384];
  if (!fgets(line, sizeof line, f)) return -1;
  size_t n = strcspn(line, "\r\n");
  line[n] = 0;
  memset(w, 0, (size_t)QR_WORDS(bits) * sizeof(uint32_t));
  for (size_t i = 0; i < n; i++) {
    char c = line[n - 1 - i];
    int v = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
    if (v < 0) return -1;
    if ((int)(i * 4) < bits) qr_bits_put(w, (int)(i * 4), bits - (int)(i * 4) < 4 ? bits - (int)(i * 4) : 4, (uint64_t)v);
  }
  return 0;
}

static int read_stim(const char *path, stim *s) {
  FILE *f = fopen(path, "r");
  if (!f) {
    fprintf(stderr, "tb_design: cannot open %s\n", path);
    return -1;
  }
  char line[256];
  if (!fgets(line, sizeof line, f) ||
      sscanf(line, "%d %d %ld %ld %ld %llu", &s->in_bits, &s->out_bits, &s->frames, &s->in_bpf,
             &s->out_bpf, &s->seed) != 6) {
    fprintf(stderr, "tb_design: %s: bad header\n", path);
    fclose(f);
    return -1;
  }
  size_t ni = (size_t)(s->frames * s->in_bpf), no = (size_t)(s->frames * s->out_bpf);
  int wi = QR_WORDS(s->in_bits), wo = QR_WORDS(s->out_bits);
  s->in = (uint32_t *)calloc(ni * (size_t)wi + 1, sizeof(uint32_t));
  s->out = (uint32_t *)calloc(no * (size_t)wo + 1, sizeof(uint32_t));
  s->last = (uint8_t *)calloc(no + 1, 1);
  for (size_t i = 0; i < ni; i++)
    if (read_hex_beat(f, s->in + i * (size_t)wi, s->in_bits)) goto bad;
  for (size_t i = 0; i < no; i++) {
    if (read_hex_beat(f, s->out + i * (size_t)wo, s->out_bits)) goto bad;
    s->last[i] = (i + 1) % (size_t)s->out_bpf == 0;
  }
  fclose(f);
  return 0;
bad:
  fprintf(stderr, "tb_design: %s: truncated or malformed beat\n", path);
  fclose(f);
  return -1;
}

static int run_one(const char *sim, qr_dut *dut, const qr_icarus_dut *idut, const qr_axis_run *run,
                   qr_axis_result *r) {
#ifdef QR_TB_NO_DUT
  (void)dut;
  (void)sim;
  return qr_axis_run_icarus(idut, run, r);
#else
  if (!strcmp(sim, "icarus")) return qr_axis_run_icarus(idut, run, r);
  (void)idut;
  return qr_axis_run_dut(dut, run, r);
#endif
}

/* Compare outputs; returns the number of mismatching beats (first one printed). */
static long compare(const stim *s, const qr_axis_result *r, const char *what) {
  long bad = 0;
  int wo = QR_WORDS(s->out_bits);
  for (size_t i = 0; i < r->n_out; i++) {
    const uint32_t *got = r->out + i * (size_t)wo, *exp = s->out + i * (size_t)wo;
    if (qr_bits_equal(got, exp, s->out_bits) && r->last[i] == s->last[i]) continue;
    if (!bad) {
      char hg[4200], he[4200];
      qr_bits_hex(got, s->out_bits, hg);
      qr_bits_hex(exp, s->out_bits, he);
      printf("mismatch %s frame=%ld beat=%ld got=%s tlast=%d expected=%s tlast=%d\n", what,
             (long)i / s->out_bpf, (long)i % s->out_bpf, hg, r->last[i], he, s->last[i]);
    }
    bad++;
  }
  return bad;
}

int main(int argc, char **argv) {
  const char *sim = "verilator", *path = NULL;
  qr_icarus_dut idut = {0};
  const char *srcs[256];
  static char memdir_param[4200];
  idut.sources = srcs;
  idut.has_tlast = 1;
  idut.clk = "ap_clk";
  idut.rst_n = "ap_rst_n";
  idut.s_prefix = "s_axis_0";
  idut.m_prefix = "m_axis_0";
  for (int i = 1; i < argc; i++) {
    if (!strncmp(argv[i], "--sim=", 6)) sim = argv[i] + 6;
    else if (!strcmp(argv[i], "--top") && i + 1 < argc) idut.top = argv[++i];
    else if (!strcmp(argv[i], "--mem-dir") && i + 1 < argc) {
      snprintf(memdir_param, sizeof memdir_param, "MemDir=\"%s\"", argv[++i]);
      idut.params = memdir_param;
    }
    else if (!strcmp(argv[i], "--src") && i + 1 < argc && idut.n_sources < 256) srcs[idut.n_sources++] = argv[++i];
    else path = argv[i];
  }
  const char *env_chk = getenv("QR_AXIS_CHECK_SV");
  if (path && !(env_chk && *env_chk)) {
    static char chk[4200];
    const char *slash = strrchr(path, '/');
    snprintf(chk, sizeof chk, "%.*sqr_axis_check.sv", slash ? (int)(slash - path + 1) : 0, path);
    FILE *cf = fopen(chk, "r");
    if (cf) {
      fclose(cf);
      setenv("QR_AXIS_CHECK_SV", chk, 1);
    }
  }
  stim s;
  if (!path || read_stim(path, &s)) {
    fprintf(stderr, "usage: tb_design [--sim=verilator|icarus] [--top T --src F ...] stim.txt\n");
    return 2;
  }
  qr_dut *dut = NULL;
#ifndef QR_TB_NO_DUT
  if (strcmp(sim, "icarus")) dut = qr_dut_new();
#endif
  long passed = 0, failed = 0;
  for (int pass = 0; pass < 2; pass++) {
    qr_pattern pv, pr;
    qr_axis_run run = {0};
    run.in_bits = s.in_bits;
    run.out_bits = s.out_bits;
    run.in = s.in;
    run.n_in = (size_t)(s.frames * s.in_bpf);
    run.n_out = (size_t)(s.frames * s.out_bpf);
    if (pass == 1) {
      qr_pattern_random(&pv, 8191, 0.3, 1, qr_seed_mix(s.seed, 1));
      qr_pattern_random(&pr, 8191, 0.3, 3, qr_seed_mix(s.seed, 2));
      run.valid = &pv;
      run.ready = &pr;
    }
    qr_axis_result r;
    memset(&r, 0, sizeof r);
    const char *what = pass ? "stalls" : "nostall";
    int ok = run_one(sim, dut, &idut, &run, &r);
    long bad = ok ? compare(&s, &r, what) : 0;
    if (!ok) printf("error %s %s\n", what, r.err);
    double cpf = 0;
    long latency = 0;
    if (ok && pass == 0 && r.n_out == run.n_out) {
      size_t o = (size_t)s.out_bpf;
      latency = (long)(r.out_cycle[o - 1] - r.in_cycle[0] + 1);
      if (s.frames > 2)
        cpf = (double)(r.out_cycle[(size_t)s.frames * o - 1] - r.out_cycle[2 * o - 1]) / (double)(s.frames - 2);
      else
        cpf = (double)r.cycles / (double)s.frames;
    }
    printf("result sim=%s run=%s ok=%d frames=%ld mismatched_beats=%ld cycles=%llu "
           "cycles_per_frame=%.3f latency=%ld\n",
           sim, what, ok, s.frames, bad, (unsigned long long)r.cycles, cpf, latency);
    if (ok && !bad) passed++;
    else failed++;
    qr_axis_result_free(&r);
    if (pass == 1) {
      qr_pattern_free(&pv);
      qr_pattern_free(&pr);
    }
  }
  if (dut) qr_dut_free(dut);
  printf("%ld passed, %ld failed\n", passed, failed);
  return failed ? 1 : 0;
}
