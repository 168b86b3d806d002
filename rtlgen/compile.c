/* compile.c - `qonnx-rtl MODEL.onnx [options]`: the main job.
 *
 *   load -> cleanup -> streamline/lower -> fold -> plumbing -> write DIR
 *   (rtl/, folding.json, report) -> optional --verify -> rename into place
 *
 * DIR is written as a temporary sibling and renamed at the end, so an error
 * anywhere leaves no partial output behind.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "boards/boards.h"
#include "cli.h"
#include "frontend/frontend.h"
#include "ipxact/ipxact.h"
#include "ir/hw.h"
#include "rtlgen/outdir.h"
#include "rtlgen/report.h"
#include "rtlgen/rtlgen.h"
#include "sim/driver/verify.h"

static const char compile_usage[] =
    "usage: qonnx-rtl MODEL.onnx [options]\n"
    "\n"
    "Compile a quantized QONNX model to folded streaming SystemVerilog.\n"
    "\n"
    "  -o DIR                 output directory (default: out); written whole or not at all\n"
    "  --force                replace DIR if it exists and is not empty\n"
    "  --fold=SPEC            none        PE = SIMD = 1 everywhere (smallest, slowest)\n"
    "                         auto        highest throughput that fits the part, then least\n"
    "                                     resources at that throughput (default)\n"
    "                         auto:fps=N  least resources reaching N frames/s at --clock-mhz\n"
    "                         auto:lut=N  highest throughput within N LUTs\n"
    "                         FILE.json   FINN-style folding config keyed by unit name\n"
    "                                     (DIR/folding.json of an earlier run reproduces it;\n"
    "                                     fields PE, SIMD, ram_style, thresh_style)\n"
    "  --part=PART            device budget for auto folding (default xc7z020)\n"
    "  --board=BOARD          build for a board (PYNQ-Z1, PYNQ-Z2, ZCU104, KV260, Ultra96-V2,\n"
    "                         U250): its part, and DIR/boards/BOARD/ with build.tcl (Vivado\n"
    "                         block design or Vitis kernel), driver.py and design.json\n"
    "  --ip-vlnv=V:L:N:VER    identity of the IP in DIR/ip (default qonnx-rtl.org:user:TOP:1.0)\n"
    "  --clock-mhz=F          clock for FPS figures and fps targets (default 100)\n"
    "  --fifo=sim|formula     depths of the FIFOs in front of a join (an add/concat fed by\n"
    "                         two branches of a fork; every other FIFO is 2 deep): sim\n"
    "                         (default) the smallest depth at which a cycle-level\n"
    "                         simulation of the pipeline reaches the analytic bottleneck\n"
    "                         without deadlock, plus a margin (the formula where it cannot\n"
    "                         decide); formula: 1.25 x the other branch's buffering + 8 beats\n"
    "  --top=NAME             top-level module name (default: from the model file name)\n"
    "  --verify[=N]           check the integer design against the float graph and simulate\n"
    "                         N frames (default 64) of the generated RTL under random input\n"
    "                         gaps and output backpressure, bit for bit\n"
    "  --verify-input=X.npy   simulate these inputs (run through host pre-processing)\n"
    "  --sim=verilator|icarus|both   simulator for --verify (default verilator)\n"
    "  --seed=S               seed of every random choice (default 1)\n"
    "  --dump-after=STAGE     print the graph/design after load, cleanup, streamline or fold\n"
    "  -j N                   parallel jobs for simulator builds (default 2)\n"
    "  -q, -v                 quiet / verbose\n"
    "  -h, --help             this text\n"
    "\n"
    "Exit status: 0 ok, 1 error in the model or a failed verification, 2 usage error.\n";

typedef struct compile_opts {
  const char *model, *outdir, *top, *dump_after;
  hw_fold_opts fold;
  const char *part_name;
  const qr_board *board;   /* --board, or NULL */
  const char *ip_vlnv;     /* --ip-vlnv, or NULL for the default */
  int force;
  int fifo_sim;            /* --fifo=sim (1, default) or formula (0) */
  qr_verify_opts verify;
  int do_verify;
} compile_opts;

static int usage_error(const char *fmt, const char *arg) {
  fputs("qonnx-rtl: error: ", stderr);
  fprintf(stderr, fmt, arg);
  fputs(" (try --help)\n", stderr);
  return 2;
}

/* "--name=value" or "--name value": returns the value or NULL. */
static const char *opt_value(int argc, char **argv, int *i, const char *name) {
  size_t n = strlen(name);
  const char *a = argv[*i];
  if (strncmp(a, name, n)) return NULL;
  if (a[n] == '=') return a + n + 1;
  if (a[n] == 0 && *i + 1 < argc) return argv[++*i];
  /* a short option takes its value attached too, as make does: -j2 */
  if (name[0] == '-' && name[1] != '-' && a[n]) return a + n;
  return NULL;
}

static int parse_number(const char *s, double lo, double hi, double *out) {
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (errno || end == s || *end || !(v >= lo && v <= hi)) return -1;
  *out = v;
  return 0;
}

static int is_identifier(const char *s) {
  if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_')) return 0;
  for (; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_'))
      return 0;
  return 1;
}

static const char *const stages[] = {"load", "cleanup", "streamline", "fold", NULL};

static int parse_args(int argc, char **argv, compile_opts *o) {
  memset(o, 0, sizeof *o);
  o->outdir = "out";
  o->fold.spec = "auto";
  o->fold.clock_mhz = 100;
  o->fifo_sim = 1;
  o->verify.frames = 64;
  o->verify.sim = "verilator";
  o->verify.seed = 1;
  o->verify.jobs = 2;
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i], *v;
    double num;
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      fputs(compile_usage, stdout);
      return 1;
    } else if (!strcmp(a, "-q")) {
      ir_verbosity = 0;
    } else if (!strcmp(a, "-v")) {
      ir_verbosity = 2;
    } else if (!strcmp(a, "--force")) {
      o->force = 1;
    } else if (!strcmp(a, "-o")) {
      if (i + 1 >= argc) return usage_error("%s needs a directory", a);
      o->outdir = argv[++i];
    } else if ((v = opt_value(argc, argv, &i, "--fold"))) {
      o->fold.spec = v;
    } else if ((v = opt_value(argc, argv, &i, "--fifo"))) {
      if (strcmp(v, "sim") && strcmp(v, "formula"))
        return usage_error("--fifo takes sim or formula, not '%s'", v);
      o->fifo_sim = !strcmp(v, "sim");
    } else if ((v = opt_value(argc, argv, &i, "--part"))) {
      o->part_name = v;
    } else if ((v = opt_value(argc, argv, &i, "--board"))) {
      if (!(o->board = qr_find_board(v))) {
        fprintf(stderr, "qonnx-rtl: error: unknown board '%s'; known: %s (try --help)\n", v, qr_known_boards());
        return 2;
      }
    } else if ((v = opt_value(argc, argv, &i, "--ip-vlnv"))) {
      const char *why = ipx_vlnv_problem(v);
      if (why) {
        fprintf(stderr, "qonnx-rtl: error: --ip-vlnv '%s': %s (try --help)\n", v, why);
        return 2;
      }
      o->ip_vlnv = v;
    } else if ((v = opt_value(argc, argv, &i, "--clock-mhz"))) {
      if (parse_number(v, 1, 2000, &num)) return usage_error("--clock-mhz needs a number in 1..2000, not '%s'", v);
      o->fold.clock_mhz = num;
    } else if ((v = opt_value(argc, argv, &i, "--top"))) {
      o->top = v;
    } else if (!strcmp(a, "--verify")) {
      o->do_verify = 1;
    } else if (!strncmp(a, "--verify=", 9)) {
      if (parse_number(a + 9, 1, 1e9, &num) || num != (int64_t)num)
        return usage_error("--verify needs a whole number of frames >= 1, not '%s'", a + 9);
      o->do_verify = 1;
      o->verify.frames = (int64_t)num;
    } else if ((v = opt_value(argc, argv, &i, "--verify-input"))) {
      o->do_verify = 1;
      o->verify.input_npy = v;
    } else if ((v = opt_value(argc, argv, &i, "--sim"))) {
      if (strcmp(v, "verilator") && strcmp(v, "icarus") && strcmp(v, "both"))
        return usage_error("--sim takes verilator, icarus or both, not '%s'", v);
      o->verify.sim = v;
    } else if ((v = opt_value(argc, argv, &i, "--seed"))) {
      if (parse_number(v, 0, 1.8e19, &num) || num != (double)(uint64_t)num)
        return usage_error("--seed needs a whole number >= 0, not '%s'", v);
      o->verify.seed = (uint64_t)num;
    } else if ((v = opt_value(argc, argv, &i, "--dump-after"))) {
      int ok = 0;
      for (int k = 0; stages[k]; k++) ok |= !strcmp(stages[k], v);
      if (!ok) return usage_error("--dump-after takes load, cleanup, streamline or fold, not '%s'", v);
      o->dump_after = v;
    } else if ((v = opt_value(argc, argv, &i, "-j"))) {
      if (parse_number(v, 1, 256, &num) || num != (int)num) return usage_error("-j needs a whole number in 1..256, not '%s'", v);
      o->verify.jobs = (int)num;
    } else if (a[0] == '-') {
      static const char *const valued[] = {"--fold", "--fifo", "--part", "--board", "--clock-mhz", "--top",
                                           "--verify-input", "--sim", "--seed", "--dump-after", "-j", "--ip-vlnv", NULL};
      for (int k = 0; valued[k]; k++)
        if (!strcmp(a, valued[k])) return usage_error("%s needs a value", a);
      return usage_error("unknown option '%s'", a);
    } else if (!o->model) {
      o->model = a;
    } else {
      return usage_error("more than one model given ('%s')", a);
    }
  }
  if (!o->model) return usage_error("%s", "no model given");
  if (o->board && o->part_name && hw_find_part(o->part_name) != hw_find_part(o->board->part)) {
    fprintf(stderr, "qonnx-rtl: error: --part=%s is not the part of --board=%s (%s) (try --help)\n",
            o->part_name, o->board->name, o->board->part);
    return 2;
  }
  if (o->board) o->part_name = o->board->part;
  if (!*o->outdir) return usage_error("%s", "-o needs a directory, not ''");
  if (o->top && !is_identifier(o->top))
    return usage_error("--top needs a SystemVerilog identifier (letters, digits, '_', not starting "
                       "with a digit), not '%s'", o->top);
  o->fold.part = hw_find_part(o->part_name ? o->part_name : "xc7z020");
  if (!o->fold.part) {
    fprintf(stderr, "qonnx-rtl: error: unknown part or board '%s'; known: %s\n", o->part_name,
            hw_known_parts());
    return 2;
  }
  hw_part budget; /* a bad auto:K=V spec is a usage error, found before any work */
  if ((!strcmp(o->fold.spec, "auto") || !strncmp(o->fold.spec, "auto:", 5)) &&
      hw_fold_budget(&o->fold, &budget))
    return 2;
  return 0;
}

/* Top module name from the model file: letters, digits, '_'; not starting with a digit. */
static const char *default_top(ir_arena *a, const char *model) {
  const char *base = strrchr(model, '/');
  base = base ? base + 1 : model;
  char *s = ir_sprintf(a, "qr_%s", base);
  char *dot = strrchr(s, '.');
  if (dot) *dot = 0;
  for (char *p = s; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
      *p = '_';
  return s;
}

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + t.tv_nsec * 1e-9;
}

static void dump(const compile_opts *o, const char *stage, const ir_graph *g, const hw_design *d) {
  if (!o->dump_after || strcmp(o->dump_after, stage)) return;
  printf("== after %s\n", stage);
  if (d)
    hw_dump(d, stdout);
  else
    ir_dump(g, stdout);
}

/* Everything that goes into the (temporary) output directory. */
static int write_outputs(hw_design *d, const compile_opts *o, const char *tmp, const char *top,
                         hw_report_extra *rx) {
  ir_arena *a = d->g->arena;
  const char *rtl = ir_sprintf(a, "%s/rtl", tmp);
  if (od_mkdirs(rtl)) return ir_errorf(rtl, NULL, "cannot create: %s", strerror(errno));
  if (o->do_verify) { /* first the integer design against the float graph: cheap, and it
                         * says which unit is wrong before any simulation */
    /* 10,000 frames (MLPs), fewer for big networks: about 2e9 MACs of float
     * graph, at least the simulated frames and 8 */
    double macs = 1;
    for (int i = 0; i < d->nunits; i++)
      if (d->units[i].kind == HW_MVU || d->units[i].kind == HW_VVU)
        macs += (double)d->units[i].mw * d->units[i].mh * d->units[i].numvec;
    int64_t frames = (int64_t)(2e9 / macs);
    if (frames > 10000) frames = 10000;
    if (frames < 8) frames = 8;
    if (frames < o->verify.frames) frames = o->verify.frames;
    ir_progress("verify: integer design vs float graph over %lld random frames", (long long)frames);
    int64_t mism = 0;
    if (hw_check_float(d, frames, o->verify.seed, &mism)) return -1;
    if (mism) return ir_errorf(o->model, NULL, "%lld frames differ between the integer design and the float graph",
                               (long long)mism);
  }
  rtl_files files = {0};
  if (rtlgen_write(d, rtl, top, &files)) return -1;
  if (hw_write_folding_json(d, ir_sprintf(a, "%s/folding.json", tmp))) return -1;
  ipx_vlnv vlnv = ipx_vlnv_make(a, o->ip_vlnv, top);
  if (ipx_write(d, tmp, top, &files, &vlnv, o->fold.part->family)) return -1;
  if (o->board && qr_board_write(d, tmp, top, o->board, &vlnv, o->fold.clock_mhz)) return -1;
  if (o->do_verify) {
    if (qr_verify(d, tmp, top, &o->verify, &rx->verify)) return -1;
    rx->have_verify = 1;
  }
  return hw_write_report(d, &o->fold, tmp, rx);
}

/* FIFO depths (--fifo) after plumbing, then their estimates, and one line
 * with the total FIFO bits before and after. */
static int size_fifos(hw_design *d, const compile_opts *o, hw_fifo_sizing *fz) {
  double t0 = now_s();
  if (hw_size_fifos(d, o->fifo_sim, fz)) return -1;
  for (int i = 0; i < d->nunits; i++)
    if (d->units[i].kind == HW_FIFO) hw_estimate_part(&d->units[i], o->fold.part);
  if (!fz->nfifo) return 0;
  const char *head = ir_sprintf(d->g->arena, "fifo: %d FIFOs, total %lld bits before sizing (formula), "
                                "%lld bits after", fz->nfifo, (long long)fz->bits_before,
                                (long long)fz->bits_after);
  if (!o->fifo_sim)
    ir_progress("%s (formula, --fifo=formula)", head);
  else if (fz->fallback && fz->ndeep)
    ir_progress("%s (formula kept: the cycle simulation could not decide: %s)", head, fz->fallback);
  else if (fz->fallback)
    ir_progress("%s (cycle simulation); nothing to size (every FIFO 2 deep), not simulated: %s", head,
                fz->fallback);
  else if (!fz->ndeep)
    ir_progress("%s (cycle simulation); nothing to size (every FIFO 2 deep), simulated %.0f cycles/frame "
                "vs analytic %lld", head, fz->sim_after, (long long)fz->analytic);
  else
    ir_progress("%s (cycle simulation); %d sized%s, simulated %.0f cycles/frame vs analytic %lld, "
                "%d runs, %.2f s", head, fz->nsized, fz->grown ? " (the formula's depths failed it)" : "",
                fz->sim_after, (long long)fz->analytic, fz->sims, now_s() - t0);
  for (int i = 0; ir_verbosity >= 2 && i < d->nunits; i++) /* -v: each sized FIFO and why */
    if (d->units[i].kind == HW_FIFO && fz->ndeep && d->units[i].note && strncmp(d->units[i].note, "straight", 8))
      ir_progress("fifo:   %s depth %d: %s", d->units[i].name, d->units[i].depth, d->units[i].note);
  return 0;
}

int qr_cmd_compile(int argc, char **argv) {
  compile_opts o;
  int rc = parse_args(argc, argv, &o);
  if (rc) return rc == 1 ? 0 : rc;
  if (od_check_target(o.outdir, o.force)) return 2;
  /* An output directory that cannot be created is a usage error, found before any work. */
  ir_arena *pa = ir_arena_new();
  char *probe = od_begin(pa, o.outdir);
  if (probe) od_remove_tree(probe);
  ir_arena_free(pa);
  if (!probe) return 2;

  double t0 = now_s();
  ir_graph *g = fe_load(o.model);
  if (!g) return 1;
  dump(&o, "load", g, NULL);
  if (fe_cleanup(g)) goto fail_graph;
  dump(&o, "cleanup", g, NULL);
  hw_design *d = hw_streamline(g);
  if (!d) goto fail_graph;
  dump(&o, "streamline", g, d);
  if (hw_fold(d, &o.fold) || hw_insert_plumbing(d)) goto fail_graph;
  for (int i = 0; i < d->nunits; i++) /* plumbing's cycles first: the bottleneck the FIFOs aim at */
    if (d->units[i].kind == HW_FIFO || d->units[i].kind == HW_DWC) hw_estimate_part(&d->units[i], o.fold.part);
  hw_fifo_sizing fz;
  if (size_fifos(d, &o, &fz)) goto fail_graph;
  dump(&o, "fold", g, d);

  const char *top = o.top ? o.top : default_top(g->arena, o.model);
  char *tmp = od_begin(g->arena, o.outdir);
  if (!tmp) goto fail_graph;
  hw_report_extra rx = {0};
  rx.fifo = &fz;
  rx.model = o.model;
  rx.top = top;
  /* rx.compile_s stays 0: the report is a function of model and options only
   * (byte-identical across runs, tests/test_determinism); the time is on stderr. */
  if (write_outputs(d, &o, tmp, top, &rx) || od_commit(g->arena, tmp, o.outdir)) {
    od_remove_tree(tmp);
    goto fail_graph;
  }
  ir_progress("wrote %s/ (top module %s) in %.2f s", o.outdir, top, now_s() - t0);
  ir_graph_free(g);
  return 0;
fail_graph:
  ir_graph_free(g);
  return 1;
}
