/* axis_icarus.c - the same stream run in Icarus Verilog 11.
 *
 * Writes an SV testbench that instantiates the DUT with its parameters and performs
 * exactly the per-cycle steps of qr_axis_run_dut (axis_tb.h): input beats and the
 * valid/ready patterns come from hex files ($readmemh), every handshake is written
 * with $fwrite ("i CYCLE", "o CYCLE LAST HEX"), failures as "E CYCLE why".  Runs
 * iverilog -g2012 once per (DUT, sizes) and vvp once per run, in a temp dir.
 *
 * Every testbench also binds the SV protocol checker rtl-lib/qr_axis_check.sv to the
 * DUT's output stream and to its input stream (which guards the testbench itself);
 * if either flags, the testbench writes "C CYCLE" after that clock edge and stops, and
 * the run fails with the checker's rule (read back from vvp's log).  The checker is
 * found at $QR_AXIS_CHECK_SV, else at the path compiled in as QR_AXIS_CHECK_SV (the
 * copy `qonnx-rtl --verify` puts next to the harness), else in rtl-lib/ beside this
 * file's directory (__FILE__ is absolute in CMake builds); a run fails without it.
 *
 * Test hook: QR_AXIS_INJECT=source-drop in the environment makes the source drop
 * tvalid for one cycle at its first stall after a beat went in (an AXI violation by
 * the testbench itself, which the input checker must catch; see
 * rtl-lib/tb/tb_qr_axis_check.c).  axis_run.c does the same in Verilator. */
#define _XOPEN_SOURCE 700 /* realpath */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "axis_run.h"

extern char **environ;

/* One compiled testbench, kept until the key changes or qr_icarus_cleanup(). */
static struct {
  char dir[512];
  char *key;
  int registered;
} ic;

/* Everything the temp dir can hold, so a signal handler can remove it without
 * opendir (not async-signal-safe): SIGTERM from a ctest timeout, ^C. */
static const char *const tmp_files[] = {"tb.sv", "tb.vvp", "iverilog.log", "in.hex",
                                        "vpat.hex", "rpat.hex", "out.txt", "vvp.log",
                                        "progress.txt"};
#define N_TMP_FILES (sizeof tmp_files / sizeof tmp_files[0])
static char tmp_paths[N_TMP_FILES][600];
static volatile sig_atomic_t have_tmp;
static volatile pid_t child_pid;

static void on_signal(int sig) {
  if (child_pid > 0) kill(child_pid, SIGTERM);
  if (have_tmp) {
    for (size_t i = 0; i < N_TMP_FILES; i++) unlink(tmp_paths[i]);
    rmdir(ic.dir);
  }
  signal(sig, SIG_DFL);
  raise(sig);
}

static void install_handlers(void) {
  static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
  for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
    struct sigaction old;
    if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_DFL) {
      struct sigaction sa;
      memset(&sa, 0, sizeof sa);
      sa.sa_handler = on_signal;
      sigemptyset(&sa.sa_mask);
      sigaction(sigs[i], &sa, NULL);
    }
  }
}

static void rm_dir(const char *dir) {
  DIR *dp = opendir(dir);
  if (!dp) return;
  struct dirent *e;
  char path[1024];
  while ((e = readdir(dp)) != NULL) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    unlink(path);
  }
  closedir(dp);
  rmdir(dir);
}

void qr_icarus_cleanup(void) {
  have_tmp = 0;
  if (ic.dir[0]) {
    const char *keep = getenv("QR_KEEP_TMP");
    if (keep && *keep && strcmp(keep, "0"))
      fprintf(stderr, "qr_icarus: kept %s\n", ic.dir);
    else
      rm_dir(ic.dir);
  }
  ic.dir[0] = 0;
  free(ic.key);
  ic.key = NULL;
}

/* Run argv[0] (PATH lookup) with stdout+stderr into `log`; returns the exit status,
 * or -1 if it could not run.  With `run` (a vvp run of our testbench), polls instead
 * of blocking, and reports the progress the testbench writes to progress.txt. */
static int spawn(char *const argv[], const char *log, const qr_axis_run *run) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  posix_spawn_file_actions_addclose(&fa, 0);
  pid_t pid;
  int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) {
    fprintf(stderr, "qr_icarus: cannot run %s: %s\n", argv[0], strerror(rc));
    return -1;
  }
  child_pid = pid;
  int st;
  double t0 = qr_axis_now_s(), next_s = 15;
  for (;;) {
    pid_t w = waitpid(pid, &st, run && run->progress ? WNOHANG : 0);
    if (w == pid) break;
    if (w < 0 && errno != EINTR) {
      child_pid = 0;
      return -1;
    }
    if (w == 0) { /* still running: report, then look again in 0.2 s */
      if (qr_axis_now_s() - t0 >= next_s) {
        char path[640];
        unsigned long long cyc = 0, ni = 0, no = 0;
        snprintf(path, sizeof path, "%s/progress.txt", ic.dir);
        FILE *f = fopen(path, "r");
        if (f && fscanf(f, "%llu %llu %llu", &cyc, &ni, &no) == 3)
          qr_axis_progress(run, t0, &next_s, cyc, (size_t)no);
        else
          next_s += 30;
        if (f) fclose(f);
      }
      struct timespec ts = {0, 200000000L};
      nanosleep(&ts, NULL);
    }
  }
  child_pid = 0;
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void print_file(const char *path, int max_lines) {
  FILE *f = fopen(path, "r");
  if (!f) return;
  char line[1024];
  for (int n = 0; n < max_lines && fgets(line, sizeof line, f); n++) fputs(line, stderr);
  fclose(f);
}

static size_t pow2_at_least(size_t n) {
  size_t p = 1;
  while (p < n) p <<= 1;
  return p;
}

static const char *or_default(const char *s, const char *d) { return s && *s ? s : d; }

/* The checker's absolute path in `buf`, or NULL (with the places tried in `why`). */
static const char *checker_sv(char *buf, size_t n, char *why, size_t nwhy) {
  char cand[3][1024];
  int nc = 0;
  const char *env = getenv("QR_AXIS_CHECK_SV");
  if (env && *env) {
    snprintf(cand[nc++], sizeof cand[0], "%s", env);
  } else {
#ifdef QR_AXIS_CHECK_SV
    snprintf(cand[nc++], sizeof cand[0], "%s", QR_AXIS_CHECK_SV);
#endif
    const char *file = __FILE__, *slash = strrchr(file, '/');
    int dl = slash ? (int)(slash - file) : 1;
    const char *dir = slash ? file : ".";
    snprintf(cand[nc++], sizeof cand[0], "%.*s/../rtl-lib/qr_axis_check.sv", dl, dir);
    snprintf(cand[nc++], sizeof cand[0], "%.*s/qr_axis_check.sv", dl, dir);
  }
  why[0] = 0;
  for (int i = 0; i < nc; i++) {
    char *abs = realpath(cand[i], NULL);
    if (abs && access(abs, R_OK) == 0 && strlen(abs) < n) {
      snprintf(buf, n, "%s", abs);
      free(abs);
      return buf;
    }
    free(abs);
    size_t l = strlen(why);
    snprintf(why + l, nwhy - l, "%s%s", l ? ", " : "", cand[i]);
  }
  return NULL;
}

/* QR_AXIS_INJECT=source-drop (test hook, see the top of this file). */
static int inject_source_drop(void) {
  const char *e = getenv("QR_AXIS_INJECT");
  return e && !strcmp(e, "source-drop");
}

/* "A=1,B=x" -> ".A(1), .B(x)" */
static void write_params(FILE *f, const char *params) {
  if (!params || !*params) return;
  fputs(" #(", f);
  const char *p = params;
  int first = 1;
  while (*p) {
    const char *end = strchr(p, ',');
    if (!end) end = p + strlen(p);
    const char *eq = (const char *)memchr(p, '=', (size_t)(end - p));
    if (eq) {
      fprintf(f, "%s.%.*s(%.*s)", first ? "" : ", ", (int)(eq - p), p, (int)(end - eq - 1), eq + 1);
      first = 0;
    }
    p = *end ? end + 1 : end;
  }
  fputs(")", f);
}

static int write_tb(const char *path, const qr_icarus_dut *dut, int ib, int ob, size_t ncap,
                    size_t pcap) {
  FILE *f = fopen(path, "w");
  if (!f) return -1;
  const char *clk = or_default(dut->clk, "clk"), *rst = or_default(dut->rst_n, "rst_n");
  const char *sp = or_default(dut->s_prefix, "s_axis"), *mp = or_default(dut->m_prefix, "m_axis");
  fprintf(f,
          "// generated by sim/axis_icarus.c: stream run of %s (see sim/axis_tb.h)\n"
          "`timescale 1ns/1ps\n"
          "module qr_axis_tb;\n"
          "  localparam int IW = %d, OW = %d, NCAP = %zu, PCAP = %zu;\n"
          "  reg clk = 1'b0, rst_n = 1'b0;\n"
          "  reg [IW-1:0] s_tdata;\n"
          "  reg s_tvalid = 1'b0, m_tready = 1'b0;\n"
          "  wire s_tready, m_tvalid;\n"
          "  wire [OW-1:0] m_tdata;\n",
          dut->top, ib, ob, ncap, pcap);
  if (dut->has_tlast)
    fputs("  wire m_tlast;\n", f);
  else
    fputs("  wire m_tlast = 1'b0;\n", f);
  fprintf(f,
          "  reg [IW-1:0] in_mem [0:NCAP-1];\n"
          "  reg vpat [0:PCAP-1];\n"
          "  reg rpat [0:PCAP-1];\n"
          "  %s",
          dut->top);
  write_params(f, dut->params);
  fprintf(f,
          " dut (\n"
          "    .%s(clk), .%s(rst_n),\n"
          "    .%s_tdata(s_tdata), .%s_tvalid(s_tvalid), .%s_tready(s_tready),\n"
          "    .%s_tdata(m_tdata), .%s_tvalid(m_tvalid), .%s_tready(m_tready)",
          clk, rst, sp, sp, sp, mp, mp, mp);
  if (dut->has_tlast) fprintf(f, ",\n    .%s_tlast(m_tlast)", mp);
  fputs(");\n", f);
  /* Protocol checkers (rtl-lib/qr_axis_check.sv) on both streams: the output one
   * checks the DUT, the input one the testbench's own source. */
  fprintf(f,
          "  integer nin, nout;\n"
          "  wire chk_m_err, chk_s_err;\n"
          "  qr_axis_check #(.DataBits(OW), .HasLast(%d)) chk_%s (\n"
          "    .clk(clk), .rst_n(rst_n), .tdata(m_tdata), .tvalid(m_tvalid), .tready(m_tready),\n"
          "    .tlast(m_tlast), .max_beats({32'd0, nout}), .error(chk_m_err));\n"
          "  qr_axis_check #(.DataBits(IW), .HasLast(0)) chk_%s (\n"
          "    .clk(clk), .rst_n(rst_n), .tdata(s_tdata), .tvalid(s_tvalid), .tready(s_tready),\n"
          "    .tlast(1'b0), .max_beats({32'd0, nin}), .error(chk_s_err));\n",
          dut->has_tlast ? 1 : 0, mp, sp);
  fprintf(f,
          "  integer vlen, rlen, maxc, drain, fd, ni, no, holding, v, rdy, cyc;\n"
          "  integer draining, dleft, pstall, running, inject, pf;\n"
          "  reg [OW-1:0] pdata;\n"
          "  reg plast;\n"
          "  initial begin\n"
          "    if (!$value$plusargs(\"nin=%%d\", nin)) nin = 0;\n"
          "    if (!$value$plusargs(\"nout=%%d\", nout)) nout = 0;\n"
          "    if (!$value$plusargs(\"vlen=%%d\", vlen)) vlen = 1;\n"
          "    if (!$value$plusargs(\"rlen=%%d\", rlen)) rlen = 1;\n"
          "    if (!$value$plusargs(\"maxc=%%d\", maxc)) maxc = 100000;\n"
          "    if (!$value$plusargs(\"drain=%%d\", drain)) drain = 16;\n"
          "    if (!$value$plusargs(\"inject=%%d\", inject)) inject = 0;\n"
          "    if (nin > 0) $readmemh(\"%s/in.hex\", in_mem, 0, nin - 1);\n"
          "    $readmemh(\"%s/vpat.hex\", vpat, 0, vlen - 1);\n"
          "    $readmemh(\"%s/rpat.hex\", rpat, 0, rlen - 1);\n"
          "    fd = $fopen(\"%s/out.txt\", \"w\");\n"
          "    s_tdata = 'x;\n"
          "    repeat (4) begin #5 clk = 1'b1; #5 clk = 1'b0; end\n"
          "    rst_n = 1'b1;\n"
          "    ni = 0; no = 0; holding = 0; pstall = 0; plast = 1'b0; draining = 0; dleft = 0;\n"
          "    running = 1; cyc = 0;\n"
          "    while (running) begin\n"
          "      if (cyc >= maxc) begin\n"
          "        $fwrite(fd, \"E %%0d timeout after %%0d cycles: %%0d of %%0d beats in, %%0d of %%0d out\\n\",\n"
          "                cyc, cyc, ni, nin, no, nout);\n"
          "        running = 0;\n"
          "      end else begin\n"
          "        v = (holding != 0) || (draining == 0 && ni < nin && vpat[cyc %% vlen] == 1'b1);\n"
          "        if (inject != 0 && holding != 0 && ni > 0) begin v = 0; inject = 0; end\n"
          "        s_tvalid = v;\n"
          "        if (v) s_tdata = in_mem[ni]; else s_tdata = 'x;\n"
          "        rdy = draining ? 1 : (rpat[cyc %% rlen] == 1'b1);\n"
          "        m_tready = rdy;\n"
          "        #1;\n"
          "        if (m_tvalid !== 1'b0 && m_tvalid !== 1'b1) begin\n"
          "          $fwrite(fd, \"E %%0d m_axis_tvalid is X\\n\", cyc); running = 0;\n"
          "        end else if (v && s_tready !== 1'b0 && s_tready !== 1'b1) begin\n"
          "          $fwrite(fd, \"E %%0d s_axis_tready is X while tvalid\\n\", cyc); running = 0;\n"
          "        end else if (pstall && m_tvalid !== 1'b1) begin\n"
          "          $fwrite(fd, \"E %%0d m_axis_tvalid dropped while the beat was not accepted\\n\", cyc);\n"
          "          running = 0;\n"
          "        end else if (pstall && (m_tdata !== pdata || m_tlast !== plast)) begin\n"
          "          $fwrite(fd, \"E %%0d m_axis_tdata/tlast changed while tvalid && !tready\\n\", cyc);\n"
          "          running = 0;\n"
          "        end else begin\n"
          "          pstall = (m_tvalid === 1'b1) && !rdy;\n"
          "          pdata = m_tdata; plast = m_tlast;\n"
          "          if (v && s_tready === 1'b1) begin\n"
          "            $fwrite(fd, \"i %%0d\\n\", cyc); ni = ni + 1; holding = 0;\n"
          "          end else holding = v;\n"
          "          if (m_tvalid === 1'b1 && rdy) begin\n"
          "            if (draining || no >= nout) begin\n"
          "              $fwrite(fd, \"E %%0d extra output beat (%%0d expected)\\n\", cyc, nout);\n"
          "              running = 0;\n"
          "            end else begin\n"
          "              $fwrite(fd, \"o %%0d %%b %%h\\n\", cyc, m_tlast, m_tdata); no = no + 1;\n"
          "            end\n"
          "          end\n"
          "        end\n"
          "        #4 clk = 1'b1; #5 clk = 1'b0;\n"
          "        if (chk_m_err !== 1'b0 || chk_s_err !== 1'b0) begin\n"
          "          $fwrite(fd, \"C %%0d\\n\", cyc); running = 0;\n"
          "        end\n"
          "        if (running) begin\n"
          "          if (!draining && ni == nin && no == nout) begin\n"
          "            $fwrite(fd, \"D %%0d\\n\", cyc + 1);\n"
          "            draining = 1; dleft = drain;\n"
          "            if (dleft <= 0) running = 0;\n"
          "          end else if (draining) begin\n"
          "            dleft = dleft - 1;\n"
          "            if (dleft <= 0) running = 0;\n"
          "          end\n"
          "        end\n"
          "        cyc = cyc + 1;\n"
          "        if (cyc %% 1024 == 0) begin\n"
          "          pf = $fopen(\"%s/progress.txt\", \"w\");\n"
          "          $fwrite(pf, \"%%0d %%0d %%0d\\n\", cyc, ni, no); $fclose(pf);\n"
          "        end\n"
          "      end\n"
          "    end\n"
          "    $fclose(fd);\n"
          "    $finish;\n"
          "  end\n"
          "endmodule\n",
          ic.dir, ic.dir, ic.dir, ic.dir, ic.dir);
  return fclose(f);
}

static char *make_key(const qr_icarus_dut *dut, int ib, int ob, size_t ncap, size_t pcap,
                      const char *chk) {
  size_t n = 256 + strlen(dut->top) + (dut->params ? strlen(dut->params) : 0) + strlen(chk);
  for (int i = 0; i < dut->n_sources; i++) n += strlen(dut->sources[i]) + 1;
  char *k = (char *)qr_xcalloc(n, 1);
  int off = snprintf(k, n, "%s|%s|%s|%d|%d|%zu|%zu|%d|%s|%s|%s|%s|", chk, dut->top,
                     dut->params ? dut->params : "", ib, ob, ncap, pcap, dut->has_tlast,
                     or_default(dut->clk, ""), or_default(dut->rst_n, ""),
                     or_default(dut->s_prefix, ""), or_default(dut->m_prefix, ""));
  for (int i = 0; i < dut->n_sources; i++)
    off += snprintf(k + off, n - (size_t)off, "%s;", dut->sources[i]);
  return k;
}

static int compile(const qr_icarus_dut *dut, int ib, int ob, size_t ncap, size_t pcap,
                   qr_axis_result *r) {
  char chk[1024], why[3200];
  if (!checker_sv(chk, sizeof chk, why, sizeof why))
    return qr_axis_fail(r, "the SV protocol checker qr_axis_check.sv is not at %s "
                           "(set QR_AXIS_CHECK_SV)", why);
  char *key = make_key(dut, ib, ob, ncap, pcap, chk);
  if (ic.key && !strcmp(ic.key, key)) {
    free(key);
    return 1;
  }
  qr_icarus_cleanup();
  if (!ic.registered) {
    atexit(qr_icarus_cleanup);
    install_handlers();
    ic.registered = 1;
  }
  const char *tmp = getenv("TMPDIR");
  snprintf(ic.dir, sizeof ic.dir, "%s/qr_icarus_XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(ic.dir)) {
    ic.dir[0] = 0;
    free(key);
    return qr_axis_fail(r, "mkdtemp: %s", strerror(errno));
  }
  for (size_t i = 0; i < N_TMP_FILES; i++)
    snprintf(tmp_paths[i], sizeof tmp_paths[i], "%s/%s", ic.dir, tmp_files[i]);
  have_tmp = 1;
  char tb[600], vvp[600], log[600];
  snprintf(tb, sizeof tb, "%s/tb.sv", ic.dir);
  snprintf(vvp, sizeof vvp, "%s/tb.vvp", ic.dir);
  snprintf(log, sizeof log, "%s/iverilog.log", ic.dir);
  if (write_tb(tb, dut, ib, ob, ncap, pcap) != 0) {
    free(key);
    return qr_axis_fail(r, "cannot write %s", tb);
  }
  char **argv = (char **)qr_xcalloc((size_t)dut->n_sources + 11, sizeof(char *));
  int a = 0;
  argv[a++] = (char *)"iverilog";
  argv[a++] = (char *)"-g2012";
  argv[a++] = (char *)"-s";
  argv[a++] = (char *)"qr_axis_tb";
  argv[a++] = (char *)"-o";
  argv[a++] = vvp;
  argv[a++] = tb;
  argv[a++] = chk;
  for (int i = 0; i < dut->n_sources; i++) argv[a++] = (char *)dut->sources[i];
  argv[a] = NULL;
  int rc = spawn(argv, log, NULL);
  free(argv);
  if (rc != 0) {
    fprintf(stderr, "qr_icarus: iverilog failed (%d) for %s %s:\n", rc, dut->top,
            dut->params ? dut->params : "");
    print_file(log, 40);
    free(key);
    return qr_axis_fail(r, "iverilog failed");
  }
  ic.key = key;
  return 1;
}

static int write_pattern(const char *path, const qr_pattern *p) {
  FILE *f = fopen(path, "w");
  if (!f) return -1;
  if (!p)
    fputs("1\n", f);
  else
    for (size_t i = 0; i < p->len; i++) fputs(p->on[i] ? "1\n" : "0\n", f);
  return fclose(f);
}

/* The checker's messages in vvp's log ("qr_axis_check qr_axis_tb.chk_m_axis: ERROR
 * cycle 12 (time 165000): AXIS_TVALID_DROPPED: why") as one short reason:
 * "qr_axis_check on m_axis at cycle 12: AXIS_TVALID_DROPPED (why)", further rules
 * appended as "+ RULE". */
static void checker_reason(const char *log, char *out, size_t n) {
  snprintf(out, n, "SV protocol checker qr_axis_check flagged (no message in vvp.log)");
  FILE *f = fopen(log, "r");
  if (!f) return;
  char *line = NULL;
  size_t cap = 0;
  int found = 0;
  while (getline(&line, &cap, f) > 0) {
    const char *p = strstr(line, "qr_axis_check ");
    const char *e = p ? strstr(p, ": ERROR cycle ") : NULL;
    if (!e) continue;
    const char *inst = strstr(p, ".chk_");
    inst = inst && inst < e ? inst + 5 : p + 14;
    unsigned long long cyc = strtoull(e + 14, NULL, 10);
    const char *rule = strstr(e, "): ");
    if (!rule) continue;
    rule += 3;
    int rl = (int)strcspn(rule, ":\r\n");
    const char *why = rule[rl] == ':' ? rule + rl + 1 : "";
    while (*why == ' ') why++;
    size_t l = found ? strlen(out) : 0;
    if (!found)
      snprintf(out, n, "qr_axis_check on %.*s at cycle %llu: %.*s (%.*s)", (int)(e - inst), inst,
               cyc, rl, rule, (int)strcspn(why, "(\r\n"), why);
    else if (!strstr(out, "+ ") || found < 4)
      snprintf(out + l, n - l, " + %.*s", rl, rule);
    found++;
  }
  free(line);
  fclose(f);
  /* "(why )" -> "(why)" */
  char *sp = strstr(out, " )");
  if (sp) memmove(sp, sp + 1, strlen(sp + 1) + 1);
}

static int hexval(int ch) {
  if (ch >= '0' && ch <= '9') return ch - '0';
  if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
  return -1;
}

/* Parse a hex string (MSB first) into `bits` bits; -1 on X/Z or bad digits. */
static int parse_hex(const char *s, uint32_t *w, int bits) {
  memset(w, 0, sizeof(uint32_t) * (size_t)QR_WORDS(bits));
  size_t n = strlen(s);
  for (size_t i = 0; i < n; i++) {
    int d = hexval((unsigned char)s[n - 1 - i]);
    if (d < 0) return -1;
    int lsb = 4 * (int)i;
    if (lsb >= bits) {
      if (d) return -1;
      continue;
    }
    qr_bits_put(w, lsb, bits - lsb < 4 ? bits - lsb : 4, (uint64_t)d);
  }
  return 0;
}

int qr_axis_run_icarus(const qr_icarus_dut *dut, const qr_axis_run *run, qr_axis_result *r) {
  qr_axis_result_init(r, run);
  r->ok = 1;
  size_t ncap = pow2_at_least(run->n_in ? run->n_in : 1);
  size_t plen = run->valid ? run->valid->len : 1, rlen = run->ready ? run->ready->len : 1;
  size_t pcap = pow2_at_least(plen > rlen ? plen : rlen);
  if (!compile(dut, run->in_bits, run->out_bits, ncap, pcap, r)) return 0;

  char path[600];
  snprintf(path, sizeof path, "%s/in.hex", ic.dir);
  FILE *f = fopen(path, "w");
  if (!f) return qr_axis_fail(r, "cannot write %s", path);
  int iw = QR_WORDS(run->in_bits);
  char *hex = (char *)qr_xcalloc((size_t)(run->in_bits > run->out_bits ? run->in_bits : run->out_bits) / 4 + 4, 1);
  for (size_t i = 0; i < run->n_in; i++) {
    qr_bits_hex(run->in + i * (size_t)iw, run->in_bits, hex);
    fprintf(f, "%s\n", hex);
  }
  fclose(f);
  snprintf(path, sizeof path, "%s/vpat.hex", ic.dir);
  write_pattern(path, run->valid);
  snprintf(path, sizeof path, "%s/rpat.hex", ic.dir);
  write_pattern(path, run->ready);

  char a_nin[64], a_nout[64], a_vlen[64], a_rlen[64], a_maxc[64], a_drain[64], vvp[600], log[600];
  snprintf(a_nin, sizeof a_nin, "+nin=%zu", run->n_in);
  snprintf(a_nout, sizeof a_nout, "+nout=%zu", run->n_out);
  snprintf(a_vlen, sizeof a_vlen, "+vlen=%zu", plen);
  snprintf(a_rlen, sizeof a_rlen, "+rlen=%zu", rlen);
  snprintf(a_maxc, sizeof a_maxc, "+maxc=%llu", (unsigned long long)qr_axis_max_cycles(run));
  snprintf(a_drain, sizeof a_drain, "+drain=%d", qr_axis_drain(run));
  snprintf(vvp, sizeof vvp, "%s/tb.vvp", ic.dir);
  snprintf(log, sizeof log, "%s/vvp.log", ic.dir);
  char *argv[] = {(char *)"vvp", (char *)"-n", vvp, a_nin, a_nout, a_vlen, a_rlen, a_maxc, a_drain,
                  (char *)(inject_source_drop() ? "+inject=1" : "+inject=0"), NULL};
  snprintf(path, sizeof path, "%s/progress.txt", ic.dir);
  remove(path); /* the previous run's, in a reused testbench directory */
  int rc = spawn(argv, log, run);
  if (rc != 0) {
    fprintf(stderr, "qr_icarus: vvp failed (%d):\n", rc);
    print_file(log, 40);
    free(hex);
    return qr_axis_fail(r, "vvp failed");
  }

  snprintf(path, sizeof path, "%s/out.txt", ic.dir);
  f = fopen(path, "r");
  if (!f) {
    free(hex);
    return qr_axis_fail(r, "icarus wrote no %s", path);
  }
  size_t linecap = (size_t)run->out_bits / 4 + 256;
  char *line = (char *)qr_xcalloc(linecap, 1);
  int ow = QR_WORDS(run->out_bits), finished = 0, flagged = 0;
  unsigned long long flag_cyc = 0;
  /* The testbench's own reason (first), kept apart from the checker's, which is read
   * after the loop: both go into r->err. */
  char tbwhy[256] = "";
  while (fgets(line, (int)linecap, f)) {
    unsigned long long cyc = 0;
    char *rest = NULL;
    if (line[0] == 0 || line[0] == '\n') continue;
    cyc = strtoull(line + 2, &rest, 10);
    if (line[0] == 'C') {
      flagged = 1;
      flag_cyc = cyc;
      break;
    }
    if (tbwhy[0]) continue; /* after a failure only a checker line matters */
    if (line[0] == 'i') {
      if (r->n_in < run->n_in) r->in_cycle[r->n_in] = cyc;
      r->n_in++;
    } else if (line[0] == 'o') {
      char lastc = 0;
      while (*rest == ' ') rest++;
      lastc = *rest++;
      while (*rest == ' ') rest++;
      rest[strcspn(rest, " \r\n")] = 0;
      if (r->n_out >= run->n_out) {
        snprintf(tbwhy, sizeof tbwhy, "cycle %llu: extra output beat", cyc);
        continue;
      }
      if (parse_hex(rest, r->out + r->n_out * (size_t)ow, run->out_bits) != 0) {
        snprintf(tbwhy, sizeof tbwhy, "cycle %llu: X/Z in m_axis_tdata: %.100s", cyc, rest);
        continue;
      }
      if (lastc != '0' && lastc != '1') {
        snprintf(tbwhy, sizeof tbwhy, "cycle %llu: X/Z in m_axis_tlast", cyc);
        continue;
      }
      r->last[r->n_out] = (uint8_t)(lastc == '1');
      r->out_cycle[r->n_out] = cyc;
      r->n_out++;
    } else if (line[0] == 'D') {
      r->cycles = cyc;
      finished = 1;
    } else if (line[0] == 'E') {
      while (*rest == ' ') rest++;
      rest[strcspn(rest, "\r\n")] = 0;
      snprintf(tbwhy, sizeof tbwhy, "cycle %llu: %.200s", cyc, rest);
    }
  }
  if (flagged) {
    char chk[200];
    checker_reason(log, chk, sizeof chk);
    if (tbwhy[0])
      qr_axis_fail(r, "%s; %s", tbwhy, chk);
    else
      qr_axis_fail(r, "cycle %llu: %s", flag_cyc, chk);
  } else if (tbwhy[0]) {
    qr_axis_fail(r, "%s", tbwhy);
  }
  fclose(f);
  free(line);
  free(hex);
  if (r->n_in > run->n_in) r->n_in = run->n_in;
  if (r->ok && !finished) qr_axis_fail(r, "icarus run did not finish (see QR_KEEP_TMP=1)");
  if (!r->ok && getenv("QR_KEEP_TMP")) fprintf(stderr, "qr_icarus: files in %s\n", ic.dir);
  return r->ok;
}
