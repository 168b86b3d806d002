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
 *
 * Streaming (Verilator only; `qonnx-rtl --verify=N` for N above 100,000 frames, where
 * the stimulus would not fit in memory): stim.txt is `-` (stdin) and its header line
 * starts with `stream`; then every frame follows as its input beats and then its
 * expected output beats.  The no-stall run uses the first min(frames, 1000) frames;
 * the run with stalls streams all of them in one continuous run (no reset between
 * frames), reading frames as the source needs them and comparing every output beat as
 * it comes out, with memory bounded by the frames in flight.  Prints progress to
 * stderr, the first 10 mismatches, and a `stream ...` summary line.
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
  long cycles_per_frame;   /* optional 7th header field: the analytic bound (0: unknown) */
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

/* One frame of a stream: its input beats, then its expected output beats. */
static int read_frame(FILE *f, const stim *s, uint32_t *in, uint32_t *out) {
  int wi = QR_WORDS(s->in_bits), wo = QR_WORDS(s->out_bits);
  for (long b = 0; b < s->in_bpf; b++)
    if (read_hex_beat(f, in + b * wi, s->in_bits)) return -1;
  for (long b = 0; b < s->out_bpf; b++)
    if (read_hex_beat(f, out + b * wo, s->out_bits)) return -1;
  return 0;
}

static void stim_free(stim *s) {
  free(s->in);
  free(s->out);
  free(s->last);
}

/* Reads the header; a stream (`stream ...` header) leaves f open in *fs and reads only
 * its first min(frames, 1000) frames into s (s->frames is then that prefix, *stream_frames
 * the whole count). */
static int read_stim(const char *path, stim *s, FILE **fs, long *stream_frames) {
  int from_stdin = !strcmp(path, "-");
  FILE *f = from_stdin ? stdin : fopen(path, "r");
  *fs = NULL;
  *stream_frames = 0;
  if (!f) {
    fprintf(stderr, "tb_design: cannot open %s\n", path);
    return -1;
  }
  char line[256];
  int stream = 0;
  if (fgets(line, sizeof line, f) && !strncmp(line, "stream ", 7)) stream = 7;
  s->cycles_per_frame = 0;
  if (sscanf(line + stream, "%d %d %ld %ld %ld %llu %ld", &s->in_bits, &s->out_bits, &s->frames,
             &s->in_bpf, &s->out_bpf, &s->seed, &s->cycles_per_frame) < 6 ||
      s->frames < 1 || s->in_bpf < 1 || s->out_bpf < 1 || s->in_bits < 1 || s->out_bits < 1) {
    fprintf(stderr, "tb_design: %s: bad header\n", path);
    if (!from_stdin) fclose(f);
    return -1;
  }
  if (stream) {
    *stream_frames = s->frames;
    if (s->frames > 1000) s->frames = 1000;
  }
  /* A file holds all inputs, then all expected outputs; a stream frame by frame. */
  size_t ni = (size_t)(s->frames * s->in_bpf), no = (size_t)(s->frames * s->out_bpf);
  int wi = QR_WORDS(s->in_bits), wo = QR_WORDS(s->out_bits);
  s->in = (uint32_t *)calloc(ni * (size_t)wi + 1, sizeof(uint32_t));
  s->out = (uint32_t *)calloc(no * (size_t)wo + 1, sizeof(uint32_t));
  s->last = (uint8_t *)calloc(no + 1, 1);
  for (size_t i = 0; i < no; i++) s->last[i] = (i + 1) % (size_t)s->out_bpf == 0;
  if (stream) {
    for (long fr = 0; fr < s->frames; fr++)
      if (read_frame(f, s, s->in + (size_t)(fr * s->in_bpf) * (size_t)wi,
                     s->out + (size_t)(fr * s->out_bpf) * (size_t)wo))
        goto bad;
    *fs = f;
    return 0;
  }
  for (size_t i = 0; i < ni; i++)
    if (read_hex_beat(f, s->in + i * (size_t)wi, s->in_bits)) goto bad;
  for (size_t i = 0; i < no; i++)
    if (read_hex_beat(f, s->out + i * (size_t)wo, s->out_bits)) goto bad;
  if (!from_stdin) fclose(f);
  return 0;
bad:
  fprintf(stderr, "tb_design: %s: truncated or malformed beat\n", path);
  if (!from_stdin) fclose(f);
  stim_free(s);
  return -1;
}

/* ------------------------------------------------------------- streaming -- */

/* Frames of the streamed run: the prefix (held in stim) and then a ring of the frames
 * read from the stream that are still in flight, [lo, nread). */
typedef struct streamer {
  FILE *f;
  const stim *s;
  long frames;             /* all frames of the stream */
  long nread;              /* frames taken from the stream so far (prefix included) */
  long cap;                /* ring capacity in frames (power of two) */
  uint32_t *rin, *rout;    /* ring: cap frames of inputs / expected outputs */
  long src_frame, sink_frame;
  long bad_beats, bad_frames, bad_in_frame;
  uint64_t end2, end_last; /* cycle of the last beat of frame 1 and of the last frame */
  long next_report;
  double t0;
  int io_error;
} streamer;

static size_t fin_words(const streamer *st) { return (size_t)st->s->in_bpf * (size_t)QR_WORDS(st->s->in_bits); }
static size_t fout_words(const streamer *st) { return (size_t)st->s->out_bpf * (size_t)QR_WORDS(st->s->out_bits); }

/* Make frame `fr` available (reading ahead as needed); 0 or -1 at end of input. */
static int stream_need(streamer *st, long fr) {
  long prefix = st->s->frames;
  while (st->nread <= fr) {
    long lo = st->src_frame < st->sink_frame ? st->src_frame : st->sink_frame;
    if (lo < prefix) lo = prefix;
    if (st->nread - lo + 1 > st->cap) { /* grow the ring, keeping frames [lo, nread) */
      long ncap = st->cap * 2;
      uint32_t *nin = (uint32_t *)calloc((size_t)ncap * fin_words(st), sizeof(uint32_t));
      uint32_t *nout = (uint32_t *)calloc((size_t)ncap * fout_words(st), sizeof(uint32_t));
      if (!nin || !nout) {
        fprintf(stderr, "tb_design: out of memory (%ld frames in flight)\n", st->nread - lo);
        free(nin);
        free(nout);
        return -1;
      }
      for (long k = lo; k < st->nread; k++) {
        memcpy(nin + (size_t)(k % ncap) * fin_words(st), st->rin + (size_t)(k % st->cap) * fin_words(st),
               fin_words(st) * sizeof(uint32_t));
        memcpy(nout + (size_t)(k % ncap) * fout_words(st), st->rout + (size_t)(k % st->cap) * fout_words(st),
               fout_words(st) * sizeof(uint32_t));
      }
      free(st->rin);
      free(st->rout);
      st->rin = nin;
      st->rout = nout;
      st->cap = ncap;
    }
    long k = st->nread;
    if (read_frame(st->f, st->s, st->rin + (size_t)(k % st->cap) * fin_words(st),
                   st->rout + (size_t)(k % st->cap) * fout_words(st))) {
      fprintf(stderr, "tb_design: stream ended or malformed at frame %ld of %ld\n", k, st->frames);
      st->io_error = 1;
      return -1;
    }
    st->nread++;
  }
  return 0;
}

static const uint32_t *stream_in(const streamer *st, long fr) {
  if (fr < st->s->frames) return st->s->in + (size_t)fr * fin_words(st);
  return st->rin + (size_t)(fr % st->cap) * fin_words(st);
}

static const uint32_t *stream_out(const streamer *st, long fr) {
  if (fr < st->s->frames) return st->s->out + (size_t)fr * fout_words(st);
  return st->rout + (size_t)(fr % st->cap) * fout_words(st);
}

static int stream_source(void *ctx, size_t i, uint32_t *beat) {
  streamer *st = (streamer *)ctx;
  long fr = (long)(i / (size_t)st->s->in_bpf), b = (long)(i % (size_t)st->s->in_bpf);
  st->src_frame = fr;
  if (stream_need(st, fr)) return -1;
  int wi = QR_WORDS(st->s->in_bits);
  memcpy(beat, stream_in(st, fr) + (size_t)b * (size_t)wi, (size_t)wi * sizeof(uint32_t));
  return 0;
}

static int stream_sink(void *ctx, size_t i, const uint32_t *beat, int last, uint64_t cycle) {
  streamer *st = (streamer *)ctx;
  const stim *s = st->s;
  long fr = (long)(i / (size_t)s->out_bpf), b = (long)(i % (size_t)s->out_bpf);
  st->sink_frame = fr;
  if (stream_need(st, fr)) return -1;
  int wo = QR_WORDS(s->out_bits);
  const uint32_t *exp = stream_out(st, fr) + (size_t)b * (size_t)wo;
  int exp_last = b == s->out_bpf - 1;
  if (!qr_bits_equal(beat, exp, s->out_bits) || (last != 0) != exp_last) {
    if (st->bad_beats < 10) {
      char hg[4200], he[4200];
      qr_bits_hex(beat, s->out_bits, hg);
      qr_bits_hex(exp, s->out_bits, he);
      printf("mismatch stalls frame=%ld beat=%ld got=%s tlast=%d expected=%s tlast=%d\n", fr, b, hg,
             last != 0, he, exp_last);
    }
    st->bad_beats++;
    st->bad_in_frame = 1;
  }
  if (exp_last) {
    if (st->bad_in_frame) st->bad_frames++;
    st->bad_in_frame = 0;
    if (fr == 1) st->end2 = cycle;
    st->end_last = cycle;
    if (fr + 1 >= st->next_report || fr + 1 == st->frames) {
      double t = qr_axis_now_s() - st->t0;
      fprintf(stderr, "tb_design: %ld of %ld frames streamed, %ld mismatching, %.2f cycles/frame, "
                      "%.0f s (%.0f frames/s)\n",
              fr + 1, st->frames, st->bad_frames,
              fr >= 2 ? (double)(cycle - st->end2) / (double)(fr - 1) : 0.0, t,
              t > 0 ? (double)(fr + 1) / t : 0.0);
      st->next_report += st->frames / 10 > 0 ? st->frames / 10 : 1;
    }
  }
  return 0;
}

/* The share of cycles a pattern is on (NULL: always). */
static double pattern_duty(const qr_pattern *p) {
  if (!p || p->len == 0) return 1.0;
  size_t on = 0;
  for (size_t i = 0; i < p->len; i++) on += p->on[i] != 0;
  return on ? (double)on / (double)p->len : 1.0;
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
  FILE *fs = NULL;
  long stream_frames = 0;
  if (!path || read_stim(path, &s, &fs, &stream_frames)) {
    fprintf(stderr, "usage: tb_design [--sim=verilator|icarus] [--top T --src F ...] stim.txt\n");
    return 2;
  }
  qr_dut *dut = NULL;
#ifndef QR_TB_NO_DUT
  if (strcmp(sim, "icarus")) dut = qr_dut_new();
#endif
  if (fs && !dut) {
    fprintf(stderr, "tb_design: a streamed stimulus runs in Verilator only\n");
    stim_free(&s);
    return 2;
  }
  long passed = 0, failed = 0;
  for (int pass = 0; pass < 2; pass++) {
    qr_pattern pv, pr;
    qr_axis_run run = {0};
    run.in_bits = s.in_bits;
    run.out_bits = s.out_bits;
    run.in = s.in;
    run.n_in = (size_t)(s.frames * s.in_bpf);
    run.n_out = (size_t)(s.frames * s.out_bpf);
    /* time out only well beyond what the design needs: 4x the analytic cycles
     * (stalls) plus the harness's own allowance */
    if (s.cycles_per_frame > 0)
      run.max_cycles = 20000u + 64u * (uint64_t)(run.n_in + run.n_out) +
                       4u * (uint64_t)s.cycles_per_frame * (uint64_t)(s.frames + 2);
    if (pass == 1) {
      qr_pattern_random(&pv, 8191, 0.3, 1, qr_seed_mix(s.seed, 1));
      qr_pattern_random(&pr, 8191, 0.3, 3, qr_seed_mix(s.seed, 2));
      run.valid = &pv;
      run.ready = &pr;
    }
    qr_axis_result r;
    memset(&r, 0, sizeof r);
    const char *what = pass ? "stalls" : "nostall";
    double cpf = 0;
    long latency = 0;
    if (pass == 1 && fs) {
      /* The whole stream, in one run with stalls, compared on the fly. */
      streamer st;
      memset(&st, 0, sizeof st);
      st.f = fs;
      st.s = &s;
      st.frames = stream_frames;
      st.nread = s.frames;
      st.cap = 64;
      st.rin = (uint32_t *)calloc((size_t)st.cap * fin_words(&st), sizeof(uint32_t));
      st.rout = (uint32_t *)calloc((size_t)st.cap * fout_words(&st), sizeof(uint32_t));
      st.next_report = stream_frames / 10 > 0 ? stream_frames / 10 : 1;
      st.t0 = qr_axis_now_s();
      qr_axis_stream cb = {&st, stream_source, stream_sink};
      run.in = NULL;
      run.n_in = (size_t)stream_frames * (size_t)s.in_bpf;
      run.n_out = (size_t)stream_frames * (size_t)s.out_bpf;
      run.max_cycles = 0; /* the harness's allowance for the whole stream */
      if (s.cycles_per_frame > 0)
        run.max_cycles = 20000u + 64u * (uint64_t)(run.n_in + run.n_out) +
                         4u * (uint64_t)s.cycles_per_frame * (uint64_t)(stream_frames + 2);
      int ok = qr_axis_run_dut_stream(dut, &run, &cb, &r);
      double wall = qr_axis_now_s() - st.t0;
      if (!ok) printf("error %s %s\n", what, r.err);
      if (ok && stream_frames > 2) cpf = (double)(st.end_last - st.end2) / (double)(stream_frames - 2);
      printf("result sim=%s run=%s ok=%d frames=%ld mismatched_beats=%ld cycles=%llu "
             "cycles_per_frame=%.3f latency=0\n",
             sim, what, ok, stream_frames, st.bad_beats, (unsigned long long)r.cycles, cpf);
      printf("stream frames=%ld frames_out=%zu mismatched_frames=%ld mismatched_beats=%ld cycles=%llu "
             "cycles_per_frame=%.3f wall_s=%.1f frames_per_s=%.0f in_flight_cap=%ld\n",
             stream_frames, r.n_out / (size_t)s.out_bpf, st.bad_frames, st.bad_beats,
             (unsigned long long)r.cycles, cpf, wall, wall > 0 ? (double)stream_frames / wall : 0.0,
             st.cap);
      if (ok && !st.bad_beats && !st.io_error) passed++;
      else failed++;
      free(st.rin);
      free(st.rout);
      qr_axis_result_free(&r);
      qr_pattern_free(&pv);
      qr_pattern_free(&pr);
      continue;
    }
    char label[64];
    snprintf(label, sizeof label, "%s %s run", sim, what);
    run.progress = label;
    run.out_per_frame = (size_t)s.out_bpf;
    /* the analytic bound for all frames and one more (fill, drain), stretched
     * by the share of cycles in which the source offers a beat */
    if (s.cycles_per_frame > 0)
      run.expected_cycles = (uint64_t)((double)s.cycles_per_frame * (double)(s.frames + 1) /
                                       pattern_duty(run.valid));
    int ok = run_one(sim, dut, &idut, &run, &r);
    long bad = ok ? compare(&s, &r, what) : 0;
    if (!ok) printf("error %s %s\n", what, r.err);
    if (ok && pass == 1 && r.n_out == run.n_out && s.frames > 2) {
      size_t o = (size_t)s.out_bpf;
      cpf = (double)(r.out_cycle[(size_t)s.frames * o - 1] - r.out_cycle[2 * o - 1]) / (double)(s.frames - 2);
    }
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
  stim_free(&s);
  printf("%ld passed, %ld failed\n", passed, failed);
  return failed ? 1 : 0;
}
