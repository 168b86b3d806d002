/* verify.c - `--verify`: simulate the generated design and compare with the
 * integer model, bit for bit, in Verilator and/or Icarus.
 *
 * DIR/sim/ receives everything needed to re-run the check by hand: the
 * stimulus (stim.txt: input beats and expected output beats), the harness
 * sources, tb_design.c, and the SV protocol checker qr_axis_check.sv that the
 * Icarus testbench binds to both streams (sim/axis_icarus.c finds it beside
 * tb_design's stimulus or in the current directory).
 *
 * Above QR_VERIFY_STREAM_FRAMES (100,000) random frames (a soak test: a million frames would
 * be 6 GB of frames here and 400 MB of stim.txt) the frames are not stored: they are
 * generated from the seed one at a time (the same frames as a stored run with that
 * seed), run through the integer model and piped into tb_design, which streams them
 * through the Verilated design in one continuous run with random gaps and
 * backpressure and compares every output beat on the fly.  Verilator only; the
 * model is compiled with -O2 there, since the run dominates.  DIR/sim then holds no
 * stim.txt: the same command reproduces the run.
 */
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "frontend/frontend.h"
#include "rtlgen/outdir.h"
#include "rtlgen/rtlgen.h"
#include "sim/driver/verify.h"

#ifndef QR_SOURCE_DIR
#define QR_SOURCE_DIR "."
#endif

#define QR_VERIFY_STREAM_FRAMES 100000

/* QR_VERIFY_STREAM_FRAMES=N in the environment moves the threshold (tests use it to
 * stream a few frames). */
static int64_t stream_threshold(void) {
  const char *e = getenv("QR_VERIFY_STREAM_FRAMES");
  return e && *e ? strtoll(e, NULL, 10) : QR_VERIFY_STREAM_FRAMES;
}

static const char *sim_src_dir(void) {
  const char *e = getenv("QONNX_RTL_SIM");
  return e && *e ? e : QR_SOURCE_DIR "/sim";
}

static const char *rtl_lib_dir(void) {
  const char *e = getenv("QONNX_RTL_LIB");
  return e && *e ? e : QR_SOURCE_DIR "/rtl-lib";
}

static int copy_to(const char *from, const char *to) {
  FILE *in = fopen(from, "rb");
  if (!in) return ir_errorf(from, NULL, "cannot read: %s", strerror(errno));
  FILE *out = fopen(to, "wb");
  if (!out) {
    fclose(in);
    return ir_errorf(to, NULL, "cannot write: %s", strerror(errno));
  }
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, in)) > 0) fwrite(buf, 1, n, out);
  fclose(in);
  return fclose(out) ? ir_errorf(to, NULL, "write failed") : 0;
}

/* The harness: every sim/axis_* source (.c, .h, .cpp), tb_design.c and the
 * protocol checker rtl-lib/qr_axis_check.sv. */
static int copy_harness(ir_arena *a, const char *simdir) {
  DIR *dir = opendir(sim_src_dir());
  if (!dir) return ir_errorf(sim_src_dir(), NULL, "cannot read the harness sources (set QONNX_RTL_SIM?)");
  struct dirent *e;
  int rc = 0;
  while (rc == 0 && (e = readdir(dir))) {
    const char *n = e->d_name, *dot = strrchr(n, '.');
    if (strncmp(n, "axis_", 5) || !dot) continue;
    if (strcmp(dot, ".c") && strcmp(dot, ".h") && strcmp(dot, ".cpp")) continue;
    rc = copy_to(ir_sprintf(a, "%s/%s", sim_src_dir(), n), ir_sprintf(a, "%s/%s", simdir, n));
  }
  closedir(dir);
  if (rc) return rc;
  if (copy_to(ir_sprintf(a, "%s/qr_axis_check.sv", rtl_lib_dir()),
              ir_sprintf(a, "%s/qr_axis_check.sv", simdir)))
    return -1;
  return copy_to(ir_sprintf(a, "%s/tb_design/tb_design.c", sim_src_dir()),
                 ir_sprintf(a, "%s/tb_design.c", simdir));
}

static void put_hex(FILE *f, const uint32_t *w, int bits) {
  for (int dgt = (bits + 3) / 4 - 1; dgt >= 0; dgt--)
    fputc("0123456789abcdef"[(w[dgt / 8] >> ((dgt % 8) * 4)) & 15], f);
  fputc('\n', f);
}

/* Hex of a beat, most significant digit first, and a newline, into buf. */
static char *hex_line(char *buf, const uint32_t *w, int bits) {
  for (int dgt = (bits + 3) / 4 - 1; dgt >= 0; dgt--)
    *buf++ = "0123456789abcdef"[(w[dgt / 8] >> ((dgt % 8) * 4)) & 15];
  *buf++ = '\n';
  return buf;
}

/* The streamed stimulus (see the top of this file): a `stream ...` header, then per
 * frame its input beats and its expected output beats.  Returns 0, or -1 if the
 * testbench stopped reading (it reports why in its log). */
static int write_stream(const hw_design *d, FILE *p, int64_t frames, uint64_t seed) {
  int ib = rtl_in_tdata_bits(d), ob = rtl_out_tdata_bits(d);
  int64_t ibpf = rtl_in_beats_per_frame(d), obpf = rtl_out_beats_per_frame(d);
  fprintf(p, "stream %d %d %lld %lld %lld %llu\n", ib, ob, (long long)frames, (long long)ibpf,
          (long long)obpf, (unsigned long long)seed);
  int64_t *q = malloc((size_t)d->in_elems * sizeof(int64_t));
  int64_t *y = malloc((size_t)d->out_elems * sizeof(int64_t));
  uint32_t *w = calloc((size_t)(ibpf > obpf ? ibpf : obpf) * (size_t)((ib > ob ? ib : ob) + 31) / 32 + 1,
                       sizeof(uint32_t));
  char *line = malloc((size_t)ibpf * (size_t)(ib / 4 + 2) + (size_t)obpf * (size_t)(ob / 4 + 2) + 16);
  int rc = 0;
  uint64_t s = seed;
  for (int64_t fr = 0; fr < frames && rc == 0; fr++) {
    char *e = line;
    hw_random_frame(d, &s, q);
    rtl_pack(q, d->in_elems, rtl_in_elems_per_beat(d), d->in_type, ib, w);
    for (int64_t b = 0; b < ibpf; b++) e = hex_line(e, w + b * ((ib + 31) / 32), ib);
    hw_run_frame(d, q, y);
    rtl_pack(y, d->out_elems, rtl_out_elems_per_beat(d), d->out_type, ob, w);
    for (int64_t b = 0; b < obpf; b++) e = hex_line(e, w + b * ((ob + 31) / 32), ob);
    if (fwrite(line, 1, (size_t)(e - line), p) != (size_t)(e - line)) rc = -1;
  }
  if (fflush(p)) rc = -1;
  free(q);
  free(y);
  free(w);
  free(line);
  return rc;
}

/* The `stream ...` summary line of a streamed run. */
static void report_stream(const char *log, double analytic) {
  FILE *f = fopen(log, "r");
  if (!f) return;
  char line[1024];
  while (fgets(line, sizeof line, f)) {
    long frames, out, badf, badb;
    unsigned long long cycles;
    double cpf, wall, fps;
    if (sscanf(line, "stream frames=%ld frames_out=%ld mismatched_frames=%ld mismatched_beats=%ld "
                     "cycles=%llu cycles_per_frame=%lf wall_s=%lf frames_per_s=%lf",
               &frames, &out, &badf, &badb, &cycles, &cpf, &wall, &fps) == 8)
      ir_progress("verify: streamed %ld frames (%ld came out) through Verilator in one run with random "
                  "input gaps and output backpressure: %ld mismatching frames (%ld beats), %llu cycles, "
                  "%.3f cycles/frame vs %.0f analytic, %.1f s (%.0f frames/s)",
                  frames, out, badf, badb, cycles, cpf, analytic, wall, fps);
  }
  fclose(f);
}

/* Integer input frames: from --verify-input through host pre-processing, or random. */
static int64_t *make_frames(const hw_design *d, const qr_verify_opts *o, int64_t *frames) {
  const ir_graph *g = d->g;
  int64_t n = d->in_elems;
  if (!o->input_npy) {
    int64_t *q = malloc((size_t)(o->frames * n) * sizeof(int64_t));
    uint64_t seed = o->seed;
    for (int64_t f = 0; f < o->frames; f++) hw_random_frame(d, &seed, q + f * n);
    *frames = o->frames;
    return q;
  }
  if (g->ninputs != 1) {
    ir_errorf(g->file, NULL, "--verify-input supports models with one input (this one has %d)", g->ninputs);
    return NULL;
  }
  ir_exec_ctx ctx = {ir_arena_new(), g};
  ir_buf *x = fe_read_tensor(ctx.arena, o->input_npy);
  const ir_tensor *in = g->inputs[0];
  int64_t per = ir_shape_numel(in->rank, in->dims);
  if (!x || per <= 0 || x->n % per) {
    if (x) ir_errorf(o->input_npy, NULL, "has %lld elements, not a multiple of the model input's %lld",
                     (long long)x->n, (long long)per);
    ir_arena_free(ctx.arena);
    return NULL;
  }
  *frames = x->n / per;
  int64_t *q = malloc((size_t)(*frames * n) * sizeof(int64_t));
  ir_arena *run = ir_arena_new();
  for (int64_t f = 0; f < *frames; f++) {
    ir_exec_ctx rc = {run, g};
    ir_arena_reset(run);
    ir_buf *one = ir_buf_new(run, x->store, x->onnx_type, in->rank, in->dims);
    if (x->store == IR_F32) memcpy(one->f, x->f + f * per, (size_t)per * sizeof(float));
    else memcpy(one->i, x->i + f * per, (size_t)per * sizeof(int64_t));
    if (hw_host_pre(d, &rc, &one, q + f * n)) {
      free(q);
      q = NULL;
      break;
    }
  }
  ir_arena_free(run);
  ir_arena_free(ctx.arena);
  return q;
}

static int write_stim(const hw_design *d, const char *path, const int64_t *q, int64_t frames,
                      uint64_t seed) {
  int ib = rtl_in_tdata_bits(d), ob = rtl_out_tdata_bits(d);
  int64_t ibpf = rtl_in_beats_per_frame(d), obpf = rtl_out_beats_per_frame(d);
  FILE *f = fopen(path, "w");
  if (!f) return ir_errorf(path, NULL, "cannot write: %s", strerror(errno));
  int64_t cpf = 0; /* the analytic bottleneck: the simulation's time limit scales with it */
  for (int i = 0; i < d->nunits; i++)
    if (d->units[i].cycles > cpf) cpf = d->units[i].cycles;
  fprintf(f, "%d %d %lld %lld %lld %llu %lld\n", ib, ob, (long long)frames, (long long)ibpf,
          (long long)obpf, (unsigned long long)seed, (long long)cpf);
  uint32_t *w = calloc((size_t)(ibpf > obpf ? ibpf : obpf) * (size_t)((ib > ob ? ib : ob) + 31) / 32 + 1,
                       sizeof(uint32_t));
  int64_t *y = malloc((size_t)d->out_elems * sizeof(int64_t));
  for (int64_t fr = 0; fr < frames; fr++) {
    rtl_pack(q + fr * d->in_elems, d->in_elems, rtl_in_elems_per_beat(d), d->in_type, ib, w);
    for (int64_t b = 0; b < ibpf; b++) put_hex(f, w + b * ((ib + 31) / 32), ib);
  }
  for (int64_t fr = 0; fr < frames; fr++) {
    hw_run_frame(d, q + fr * d->in_elems, y);
    rtl_pack(y, d->out_elems, rtl_out_elems_per_beat(d), d->out_type, ob, w);
    for (int64_t b = 0; b < obpf; b++) put_hex(f, w + b * ((ob + 31) / 32), ob);
  }
  free(w);
  free(y);
  return fclose(f) ? ir_errorf(path, NULL, "write failed") : 0;
}

/* Parse the tb's `result ...` lines into r; returns the tb's pass count. */
static int parse_results(const char *log, const char *simname, qr_verify_result *r) {
  FILE *f = fopen(log, "r");
  if (!f) return -1;
  char line[4096];
  int ok_runs = 0;
  while (fgets(line, sizeof line, f)) {
    int ok;
    long frames, bad, latency;
    unsigned long long cycles;
    double cpf;
    char run[32];
    if (!strncmp(line, "mismatch", 8) && !r->first_mismatch[0]) {
      snprintf(r->first_mismatch, sizeof r->first_mismatch, "%s: %.*s", simname,
               (int)strcspn(line, "\n"), line);
    }
    if (sscanf(line, "result sim=%*s run=%31s ok=%d frames=%ld mismatched_beats=%ld cycles=%llu "
                     "cycles_per_frame=%lf latency=%ld",
               run, &ok, &frames, &bad, &cycles, &cpf, &latency) == 7) {
      r->frames = frames;
      r->mismatches += bad;
      if (ok && !bad) ok_runs++;
      if (!strcmp(run, "nostall") && cpf > 0) {
        r->cycles_per_frame = cpf;
        r->latency = latency;
      }
    }
  }
  fclose(f);
  return ok_runs;
}

/* Print the last lines of a log, so a failure explains itself even though the
 * temporary output directory is removed afterwards. */
static void show_tail(const char *log, int lines) {
  FILE *f = fopen(log, "r");
  if (!f) return;
  char *buf[64] = {0};
  char line[1024];
  int n = 0;
  if (lines > 64) lines = 64;
  while (fgets(line, sizeof line, f)) {
    free(buf[n % lines]);
    buf[n % lines] = strdup(line);
    n++;
  }
  fclose(f);
  for (int i = n > lines ? n - lines : 0; i < n; i++) {
    fprintf(stderr, "  | %s", buf[i % lines]);
    free(buf[i % lines]);
  }
}

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* Run cmd with /bin/sh in a process group of its own, which a fatal signal to
 * us stops too (rtlgen/outdir.c: ^C or a kill during a long simulation leaves
 * neither a simulator running nor a half-written output).  Returns the exit
 * status, 128 + the signal if it was killed, -1 if it could not run. */
static int run_shell(const char *cmd) {
  fflush(NULL);
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    setpgid(0, 0);
    execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
    _exit(127);
  }
  setpgid(pid, pid); /* also here: no window in which a signal misses it */
  od_set_child(pid);
  int st;
  pid_t w;
  while ((w = waitpid(pid, &st, 0)) < 0 && errno == EINTR) {
  }
  od_set_child(0);
  if (w < 0) return -1;
  return WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : -1;
}

static int run_cmd(const char *cmd, const char *what, const char *log) {
  if (ir_verbosity > 1) fprintf(stderr, "qonnx-rtl: $ %s\n", cmd);
  int rc = run_shell(cmd);
  if (rc != 0) {
    ir_errorf(NULL, NULL, "%s failed (exit %d); last lines of its log:", what, rc);
    show_tail(log, 20);
    return -1;
  }
  return 0;
}

static char *rtl_sources(ir_arena *a, const char *rtldir, const char *prefix) {
  /* Every .sv in rtl/, in a fixed order: library files then the top. */
  char *cmd = ir_sprintf(a, "ls %s/*.sv", rtldir);
  FILE *p = popen(cmd, "r");
  char *list = "";
  char line[4096];
  while (p && fgets(line, sizeof line, p)) {
    line[strcspn(line, "\n")] = 0;
    list = ir_sprintf(a, "%s %s'%s'", list, prefix, line);
  }
  if (p) pclose(p);
  return list;
}

int qr_verify(const hw_design *d, const char *dir, const char *top, const qr_verify_opts *o,
              qr_verify_result *r) {
  ir_arena *a = ir_arena_new();
  memset(r, 0, sizeof *r);
  int rc = -1;
  int64_t frames = 0;
  const char *simdir = ir_sprintf(a, "%s/sim", dir);
  char *absdir = realpath(dir, NULL);
  const char *rtldir = ir_sprintf(a, "%s/rtl", absdir ? absdir : dir);
  int64_t *q = NULL;
  bool stream = !o->input_npy && o->frames > stream_threshold();
  if (stream && strcmp(o->sim, "verilator")) {
    ir_errorf(NULL, NULL, "--verify=%lld: above %lld frames the frames are streamed through Verilator "
              "only (Icarus would need them all in stimulus files, and days); use --sim=verilator",
              (long long)o->frames, (long long)stream_threshold());
    goto out;
  }
  if (od_mkdirs(simdir) || copy_harness(a, simdir)) goto out;
  if (stream) {
    frames = o->frames;
  } else {
    q = make_frames(d, o, &frames);
    if (!q) goto out;
    if (frames < 1) {
      ir_errorf(o->input_npy, NULL, "holds no frames");
      goto out;
    }
    if (write_stim(d, ir_sprintf(a, "%s/stim.txt", simdir), q, frames, o->seed)) goto out;
  }
  int64_t bottleneck = 0;
  for (int i = 0; i < d->nunits; i++)
    if (d->units[i].cycles > bottleneck) bottleneck = d->units[i].cycles;
  r->analytic_cycles = (double)bottleneck;
  /* Optimise Verilator's C++ when the run is long: -O2 simulates about 20
   * times faster than -O0 and adds 30-60 s to the build.  Simulation work is
   * about cycles x design size; at -O0 Verilator does ~1e7 LUT-cycles/s
   * (CNV-w1a1 auto: 65k cycles x 40k LUT in 387 s; ESPCN subpixel: ~550
   * cycles/s at 37k LUT), so -O2 pays beyond ~3e8 LUT-cycles. */
  double design_luts = 0;
  for (int i = 0; i < d->nunits; i++) design_luts += d->units[i].est_lut;
  bool long_run = stream || (double)frames * (double)bottleneck * (design_luts + 1000) > 3e8;

  bool want_v = strcmp(o->sim, "icarus") != 0, want_i = strcmp(o->sim, "verilator") != 0;
  if (want_v) {
    ir_progress("verify: building the Verilator model of %s", top);
    const char *build = ir_sprintf(a,
        /* -O0 for Verilator's C++ on short runs: compile time dominates
         * (about half of -Os); ccache, when installed, makes a re-run of the
         * same design quick. */
        "cd '%s' && (command -v ccache >/dev/null && export OBJCACHE=ccache; "
        "verilator --cc --exe --build -O1 --threads 1 -j %d -Wno-fatal -Wno-lint "
        "-Wno-style --top-module %s -Mdir obj -CFLAGS '-O1 -DQR_VTOP=V%s -DQR_AP_PORTS=1 -I%s' "
        "-MAKEFLAGS '%s' "
        "-o tb_verilator %s tb_design.c $(ls axis_*.c) axis_shim.cpp) > build_verilator.log 2>&1",
        simdir, o->jobs, top, top, absdir ? ir_sprintf(a, "%s/sim", absdir) : ".",
        long_run ? "OPT_FAST=-O2 OPT_SLOW=-O1 OPT_GLOBAL=-O2" : "OPT_FAST=-O0 OPT_SLOW=-O0 OPT_GLOBAL=-O0",
        rtl_sources(a, rtldir, ""));
    double t0 = now_s();
    if (run_cmd(build, "Verilator build", ir_sprintf(a, "%s/build_verilator.log", simdir))) goto out;
    ir_progress("verify: Verilator build took %.1f s; simulating %lld frames", now_s() - t0,
                (long long)frames);
    t0 = now_s();
    const char *asim = absdir ? ir_sprintf(a, "%s/sim", absdir) : simdir;
    int src;
    if (stream) {
      /* tb_design reads the frames from its stdin; its progress lines go to our
       * stderr unless -q. */
      const char *runc = ir_sprintf(a, "cd '%s' && '%s/obj/tb_verilator' - > '%s/verilator.log' %s",
                                    rtldir, asim, asim, ir_verbosity >= 1 ? "" : "2>&1");
      if (ir_verbosity > 1) fprintf(stderr, "qonnx-rtl: $ %s\n", runc);
      void (*old)(int) = signal(SIGPIPE, SIG_IGN);
      FILE *p = popen(runc, "w");
      if (!p) {
        signal(SIGPIPE, old);
        ir_errorf(NULL, NULL, "cannot run the Verilator testbench: %s", strerror(errno));
        goto out;
      }
      setvbuf(p, NULL, _IOFBF, 1 << 20);
      int wrc = write_stream(d, p, frames, o->seed);
      src = pclose(p);
      signal(SIGPIPE, old);
      if (wrc && src == 0) src = -1;
      report_stream(ir_sprintf(a, "%s/verilator.log", simdir), r->analytic_cycles);
    } else {
      /* its progress lines (long runs) go to our stderr unless -q */
      const char *runc = ir_sprintf(a, "cd '%s' && '%s/obj/tb_verilator' '%s/stim.txt' > '%s/verilator.log' %s",
                                    rtldir, asim, asim, asim, ir_verbosity >= 1 ? "" : "2>&1");
      src = run_shell(runc);
    }
    int ok = parse_results(ir_sprintf(a, "%s/verilator.log", simdir), "verilator", r);
    r->ran_verilator = 1;
    ir_progress("verify: Verilator simulation took %.1f s", now_s() - t0);
    if (src != 0 || ok != 2) {
      ir_errorf(NULL, NULL, "Verilator simulation FAILED: %s",
                r->first_mismatch[0] ? r->first_mismatch : "no result");
      show_tail(ir_sprintf(a, "%s/verilator.log", simdir), 10);
      goto out;
    }
  }
  if (want_i) {
    ir_progress("verify: simulating %lld frames in Icarus", (long long)frames);
    const char *build = ir_sprintf(a, "cd '%s' && cc -O1 -std=gnu11 -DQR_TB_NO_DUT -I. -o tb_icarus tb_design.c "
                                      "$(ls axis_*.c) > build_icarus.log 2>&1",
                                   simdir);
    if (run_cmd(build, "testbench build", ir_sprintf(a, "%s/build_icarus.log", simdir))) goto out;
    const char *runc = ir_sprintf(a, "cd '%s' && ./tb_icarus --sim=icarus --top %s --mem-dir '%s/' %s stim.txt > icarus.log %s",
                                  simdir, top, rtldir, rtl_sources(a, rtldir, "--src "),
                                  ir_verbosity >= 1 ? "" : "2>&1");
    int src = run_shell(runc);
    qr_verify_result ri = {0};
    int ok = parse_results(ir_sprintf(a, "%s/icarus.log", simdir), "icarus", &ri);
    r->ran_icarus = 1;
    r->mismatches += ri.mismatches;
    if (!r->first_mismatch[0]) memcpy(r->first_mismatch, ri.first_mismatch, sizeof ri.first_mismatch);
    if (!r->ran_verilator) {
      r->frames = ri.frames;
      r->cycles_per_frame = ri.cycles_per_frame;
      r->latency = ri.latency;
    }
    if (src != 0 || ok != 2) {
      ir_errorf(NULL, NULL, "Icarus simulation FAILED: %s",
                ri.first_mismatch[0] ? ri.first_mismatch : "no result");
      show_tail(ir_sprintf(a, "%s/icarus.log", simdir), 10);
      goto out;
    }
  }
  ir_progress("verify: PASS, %lld frames bit-exact%s%s; %.1f cycles/frame measured vs %lld analytic; "
              "latency %lld cycles",
              (long long)r->frames, r->ran_verilator ? " in Verilator" : "",
              r->ran_icarus ? (r->ran_verilator ? " and Icarus" : " in Icarus") : "",
              r->cycles_per_frame, (long long)bottleneck, (long long)r->latency);
  rc = 0;
out:
  free(q);
  free(absdir);
  ir_arena_free(a);
  return rc;
}
