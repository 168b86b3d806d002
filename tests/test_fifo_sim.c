/* test_fifo_sim.c - the cycle-level simulation and FIFO sizing (ir/fifo_sim.c).
 *
 *   test_fifo_sim unit         hand-built designs: a fork (dup) whose long
 *                              branch is pad + swg (3x3) + mvu and whose short
 *                              branch goes straight to the join (add, or
 *                              concat), one or two blocks, several sizes and
 *                              foldings, after hw_insert_plumbing.  Checks
 *                              (a) the short branch's FIFO needs about a row of
 *                              the image (the swg's window span), (b) the
 *                              simulation deadlocks with a join FIFO at 1/4 of
 *                              the chosen depth, (c) sizing never adds bits to
 *                              the formula's and the sized design simulates at
 *                              the analytic bottleneck; starting depths that
 *                              deadlock are deepened first; single-unit rates
 *                              the RTL headers state (qr_fifo of depth 1 at one
 *                              beat per 2 cycles, qr_mvu at NF*SF per vector)
 *   test_fifo_sim model M [FOLD]   compile M as the CLI does (fold, plumbing,
 *                              --fifo=sim): the simulation at the formula's
 *                              depths and after sizing is within 2 % of the
 *                              analytic bottleneck, sizing adds no bits, a
 *                              sized join FIFO at 1/4 deadlocks; prints one
 *                              table row (bench/fifo_bench.sh reads it)
 *   test_fifo_sim cli QONNX_RTL    the switch: --fifo=bad is a usage error (exit
 *                              2), --fifo=formula keeps the formula's bits,
 *                              the default sizes a residual CNN below them;
 *                              report.json has both totals and each join
 *                              FIFO's note
 *
 * Prints `N passed, N failed`; a model path that does not exist skips (77).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "frontend/frontend.h"
#include "ir/hw.h"
#include "ir/json.h"
#include "rtlgen/outdir.h"
#include "rtlgen/rtlgen.h"

static int t_pass, t_fail;

static void check(int ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void check(int ok, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  printf("%s: ", ok ? "PASS" : "FAIL");
  vprintf(fmt, ap);
  putchar('\n');
  va_end(ap);
  if (ok) t_pass++;
  else t_fail++;
}

static int finish(void) {
  printf("%d passed, %d failed\n", t_pass, t_fail);
  return t_fail ? 1 : 0;
}

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + t.tv_nsec * 1e-9;
}

static int64_t analytic(const hw_design *d) {
  int64_t c = 0;
  for (int i = 0; i < d->nunits; i++)
    if (d->units[i].cycles > c) c = d->units[i].cycles;
  return c;
}

static int64_t fifo_bits(const hw_design *d) {
  int64_t b = 0;
  for (int i = 0; i < d->nunits; i++)
    if (d->units[i].kind == HW_FIFO) b += (int64_t)d->units[i].depth * d->units[i].in_elems * hw_etype_bits(d->units[i].in);
  return b;
}

/* ------------------------------------------------- hand-built designs -- */

static const hw_etype U4 = {4, false, false};

static hw_unit *add_unit(hw_design *d, hw_kind kind, const char *name, int src0, int port0) {
  hw_unit *u = &d->units[d->nunits++];
  memset(u, 0, sizeof *u);
  u->kind = kind;
  u->name = name;
  u->in = u->out = u->in2 = U4;
  u->pe = u->simd = 1;
  u->leader = -1;
  u->ram_style = "auto";
  u->nsrc = 1;
  u->src[0] = src0;
  u->src_port[0] = port0;
  return u;
}

/* A 3x3 'same' conv of C channels on H x W pixels, reading src: pad, swg, mvu
 * (SIMD elements per beat, PE outputs).  Returns the mvu's index. */
static int conv3x3(hw_design *d, int src, int port, int C, int H, int W, int simd, int pe, const char *tag) {
  ir_arena *a = d->g->arena;
  hw_unit *p = add_unit(d, HW_PAD, ir_sprintf(a, "pad_%s", tag), src, port);
  p->c = C, p->ih = H, p->iw = W, p->simd = simd;
  p->pad[0] = p->pad[1] = p->pad[2] = p->pad[3] = 1;
  int ip = d->nunits - 1;
  hw_unit *s = add_unit(d, HW_SWG, ir_sprintf(a, "swg_%s", tag), ip, 0);
  s->c = C, s->ih = H + 2, s->iw = W + 2, s->kh = s->kw = 3, s->sh = s->sw = s->dh = s->dw = 1;
  s->simd = simd, s->numvec = H * W, s->mw = 9 * C;
  int is = d->nunits - 1;
  hw_unit *m = add_unit(d, HW_MVU, ir_sprintf(a, "mvu_%s", tag), is, 0);
  m->mw = 9 * C, m->mh = C, m->numvec = H * W, m->pe = pe, m->simd = simd;
  m->w = (hw_etype){2, true, false};
  m->acc_bits = 12, m->acc_min = -2048, m->acc_max = 2047;
  m->out = (hw_etype){12, true, false};
  m->weights = ir_alloc_array(a, (size_t)m->mw * m->mh, sizeof(int32_t));
  return d->nunits - 1;
}

/* blocks x [dup -> (3x3 conv | straight) -> join], on C x H x W, join = add or concat. */
static hw_design *fork_join(ir_graph *g, int blocks, hw_kind join, int C, int H, int W, int simd, int pe) {
  hw_design *d = ir_alloc(g->arena, sizeof *d);
  d->g = g;
  d->units = ir_alloc_array(g->arena, (size_t)8 * blocks, sizeof(hw_unit));
  int last = -1;
  for (int b = 0; b < blocks; b++) {
    const char *tag = ir_sprintf(g->arena, "%d", b);
    hw_unit *dup = add_unit(d, HW_DUP, ir_sprintf(g->arena, "dup_%d", b), last, 0);
    dup->mh = C, dup->numvec = H * W, dup->pe = simd;
    int id = d->nunits - 1;
    int m = conv3x3(d, id, 0, C, H, W, simd, pe, tag);
    hw_unit *j = add_unit(d, join, ir_sprintf(g->arena, "%s_%d", join == HW_ADD ? "add" : "concat", b), m, 0);
    j->nsrc = 2;
    j->src[1] = id, j->src_port[1] = 1;
    j->numvec = H * W, j->pe = simd;
    j->in = d->units[m].out;
    j->in2 = U4;
    if (join == HW_ADD) {
      j->mh = C, j->mul_a = j->mul_b = 1, j->out = (hw_etype){13, true, false};
    } else {
      j->ca = j->cb = C, j->mh = 2 * C, j->in = j->in2 = j->out = U4;
      d->units[m].out = U4; /* thresholded to 4 bits, as a concat needs one type */
      d->units[m].nthresh = 0;
    }
    last = d->nunits - 1;
    if (join == HW_CONCAT && b + 1 < blocks) return NULL; /* C doubles: one concat block only */
  }
  d->in_type = U4;
  d->in_elems = (int64_t)C * H * W;
  d->out_elems = hw_unit_out_frame(&d->units[d->nunits - 1]);
  d->out_type = d->units[d->nunits - 1].out;
  if (hw_insert_plumbing(d)) return NULL;
  for (int i = 0; i < d->nunits; i++) hw_estimate(&d->units[i]);
  return d;
}

/* The FIFO sized deepest, or -1. */
static int deepest_fifo(const hw_design *d) {
  int f = -1;
  for (int i = 0; i < d->nunits; i++)
    if (d->units[i].kind == HW_FIFO && (f < 0 || d->units[i].depth > d->units[f].depth)) f = i;
  return f;
}

/* (b): every join FIFO sized to >= 8 deadlocks at a quarter of its depth. */
static void check_quarter_deadlocks(hw_design *d, const char *what) {
  for (int f = 0; f < d->nunits; f++) {
    hw_unit *u = &d->units[f];
    if (u->kind != HW_FIFO || u->depth < 8) continue;
    int keep = u->depth;
    u->depth = keep / 4;
    hw_sim_result r;
    int rc = hw_fifo_sim(d, 4, 0, &r);
    check(rc == 0 && r.deadlock, "%s: %s at %d (1/4 of %d) deadlocks in the simulation%s%s", what, u->name,
          u->depth, keep, r.deadlock ? "" : ": it did not, ", r.deadlock ? "" : (r.done ? "it finished" : r.why));
    u->depth = keep;
  }
}

static void one_fork_join(int blocks, hw_kind join, int C, int H, int W, int simd, int pe) {
  ir_graph *g = ir_graph_new("fork_join");
  char what[128];
  snprintf(what, sizeof what, "%d x %s, C=%d %dx%d SIMD=%d PE=%d", blocks, hw_kind_name(join), C, H, W, simd, pe);
  hw_design *d = fork_join(g, blocks, join, C, H, W, simd, pe);
  if (!d) {
    check(0, "%s: design built", what);
    ir_graph_free(g);
    return;
  }
  int64_t before = fifo_bits(d), bott = analytic(d);
  hw_fifo_sizing z;
  double t0 = now_s();
  int rc = hw_size_fifos(d, true, &z);
  double dt = now_s() - t0;
  int f = deepest_fifo(d);
  /* (a) the short branch holds what the long one swallows before its first
   * output: about a padded row and two pixels (the 3x3 window's span) plus
   * the pipeline's few beats; at SIMD < C a pixel is C/SIMD beats */
  int64_t cf = C / simd, span = (int64_t)(W + 3) * cf;
  int found = f >= 0 ? d->units[f].depth : 0;
  check(rc == 0 && !z.fallback && f >= 0 && found >= span / 2 && found <= 4 * span + 32,
        "%s: (a) the short branch's FIFO %s is %d beats, of the order of the window span %lld "
        "(formula %lld bits -> %lld)", what, f >= 0 ? d->units[f].name : "?", found, (long long)span,
        (long long)before, (long long)z.bits_after);
  /* (c) no more bits than the formula, and the bottleneck's throughput */
  check(z.bits_after <= z.bits_before && z.bits_before == before && z.bits_after == fifo_bits(d),
        "%s: (c) sizing %lld -> %lld bits, never more", what, (long long)z.bits_before, (long long)z.bits_after);
  hw_sim_result r;
  hw_fifo_sim(d, 4, 0, &r);
  check(r.done && r.cycles_per_frame <= 1.01 * (double)bott && z.sim_after == r.cycles_per_frame,
        "%s: (c) sized design simulates %.1f cycles/frame vs analytic %lld (%d runs, %.3f s)", what,
        r.cycles_per_frame, (long long)bott, z.sims, dt);
  check(f >= 0 && d->units[f].note && strstr(d->units[f].note, "cycle simulation"), "%s: note \"%s\"", what,
        f >= 0 && d->units[f].note ? d->units[f].note : "");
  check_quarter_deadlocks(d, what);
  ir_graph_free(g);
}

/* Starting depths that deadlock (here the join FIFOs cut to 3, below any
 * formula): sizing first deepens them until the simulation passes, then
 * shrinks as usual; the result passes. */
static void grown_start(void) {
  ir_graph *g = ir_graph_new("grown");
  hw_design *d = fork_join(g, 1, HW_ADD, 4, 12, 12, 4, 4);
  for (int i = 0; d && i < d->nunits; i++)
    if (d->units[i].kind == HW_FIFO && d->units[i].depth > 2) d->units[i].depth = 3;
  hw_fifo_sizing z;
  hw_sim_result r;
  int rc = d ? hw_size_fifos(d, true, &z) : -1;
  if (d) hw_fifo_sim(d, 4, 0, &r);
  check(d && rc == 0 && z.grown && !z.fallback && r.done && r.cycles_per_frame <= 1.01 * (double)analytic(d),
        "join FIFOs starting at 3 (deadlock): grown, then sized to %d beats, %.1f cycles/frame vs analytic %lld",
        d ? d->units[deepest_fifo(d)].depth : 0, d ? r.cycles_per_frame : 0.0, d ? (long long)analytic(d) : 0LL);
  ir_graph_free(g);
}

/* A straight chain in -> fifo(depth) -> threshold -> out: qr_fifo below depth
 * 2 moves a beat every other cycle; at 2 the threshold's one per cycle. */
static void fifo_rate(int depth, double want) {
  ir_graph *g = ir_graph_new("fifo_rate");
  hw_design *d = ir_alloc(g->arena, sizeof *d);
  d->g = g;
  d->units = ir_alloc_array(g->arena, 4, sizeof(hw_unit));
  hw_unit *t0 = add_unit(d, HW_THRESHOLD, "thr_0", -1, 0);
  t0->mh = 8, t0->numvec = 16, t0->nthresh = 1;
  hw_unit *f = add_unit(d, HW_FIFO, "fifo_1", 0, 0);
  f->depth = depth, f->in_elems = f->out_elems = 1, f->mw = 128, f->numvec = 1;
  hw_unit *t1 = add_unit(d, HW_THRESHOLD, "thr_2", 1, 0);
  t1->mh = 8, t1->numvec = 16, t1->nthresh = 1;
  hw_sim_result r;
  int rc = hw_fifo_sim(d, 4, 0, &r);
  check(rc == 0 && r.done && r.cycles_per_frame == want, "qr_fifo depth %d: %.1f cycles per 128-beat frame, want %.0f",
        depth, r.cycles_per_frame, want);
  ir_graph_free(g);
}

/* One mvu alone: NumVec * NF * SF cycles per frame at any folding. */
static void mvu_rate(int mw, int mh, int simd, int pe, int numvec) {
  ir_graph *g = ir_graph_new("mvu_rate");
  hw_design *d = ir_alloc(g->arena, sizeof *d);
  d->g = g;
  d->units = ir_alloc_array(g->arena, 2, sizeof(hw_unit));
  hw_unit *m = add_unit(d, HW_MVU, "mvu_0", -1, 0);
  m->mw = mw, m->mh = mh, m->simd = simd, m->pe = pe, m->numvec = numvec;
  hw_sim_result r;
  int rc = hw_fifo_sim(d, 4, 0, &r);
  double want = (double)numvec * (mh / pe) * (mw / simd);
  check(rc == 0 && r.done && r.cycles_per_frame == want, "qr_mvu MW=%d MH=%d SIMD=%d PE=%d x%d: %.1f cycles/frame, want %.0f",
        mw, mh, simd, pe, numvec, r.cycles_per_frame, want);
  ir_graph_free(g);
}

/* A unit kind without a model: the simulation says so and sizing keeps the formula. */
static void no_model(void) {
  ir_graph *g = ir_graph_new("no_model");
  hw_design *d = ir_alloc(g->arena, sizeof *d);
  d->g = g;
  d->units = ir_alloc_array(g->arena, 2, sizeof(hw_unit));
  hw_unit *u = add_unit(d, HW_NKINDS, "odd_0", -1, 0);
  u->mh = 4, u->numvec = 1;
  hw_sim_result r;
  int rc = hw_fifo_sim(d, 4, 0, &r);
  check(rc < 0 && r.why && strstr(r.why, "odd_0"), "a unit without a timing model: \"%s\"", r.why ? r.why : "");
  ir_graph_free(g);
}

static int cmd_unit(void) {
  fifo_rate(1, 256);
  fifo_rate(2, 128);
  fifo_rate(100, 128);
  mvu_rate(16, 8, 1, 1, 3);
  mvu_rate(16, 8, 16, 8, 5);
  mvu_rate(18, 6, 3, 2, 4);
  mvu_rate(64, 64, 2, 4, 2);
  no_model();
  one_fork_join(1, HW_ADD, 4, 8, 8, 4, 4);
  one_fork_join(1, HW_ADD, 4, 16, 16, 1, 1);
  one_fork_join(1, HW_ADD, 8, 12, 20, 2, 2);
  one_fork_join(1, HW_CONCAT, 4, 10, 10, 4, 2);
  one_fork_join(1, HW_CONCAT, 6, 9, 14, 3, 1);
  one_fork_join(2, HW_ADD, 4, 8, 12, 4, 4);
  one_fork_join(3, HW_ADD, 2, 10, 10, 1, 1);
  grown_start();
  return finish();
}

/* ------------------------------------------------------------ models -- */

static int cmd_model(const char *path, const char *fold) {
  struct stat st;
  if (stat(path, &st)) {
    printf("SKIP: %s not found\n", path);
    return 77;
  }
  ir_verbosity = 0;
  ir_graph *g = fe_load(path);
  hw_design *d = g && !fe_cleanup(g) ? hw_streamline(g) : NULL;
  hw_fold_opts fo = {fold, hw_find_part("xc7z020"), 100};
  if (!d || hw_fold(d, &fo) || hw_insert_plumbing(d)) {
    check(0, "%s compiles", path);
    return finish();
  }
  for (int i = 0; i < d->nunits; i++)
    if (d->units[i].kind == HW_FIFO || d->units[i].kind == HW_DWC) hw_estimate(&d->units[i]);
  int64_t bott = analytic(d);
  hw_sim_result r;
  double t0 = now_s();
  int rc = hw_fifo_sim(d, 4, 0, &r);
  double t_sim = now_s() - t0, before = r.cycles_per_frame;
  int64_t beats = r.events;
  check(rc == 0 && r.done && before <= 1.02 * (double)bott && before >= 0.98 * (double)bott,
        "%s (%s): formula depths simulate %.1f cycles/frame vs analytic %lld (%.3gM beats, %.3f s)", path, fold,
        before, (long long)bott, (double)beats * 1e-6, t_sim);
  hw_fifo_sizing z;
  t0 = now_s();
  hw_size_fifos(d, true, &z);
  double t_size = now_s() - t0;
  check(z.bits_after <= z.bits_before, "%s: sizing %lld -> %lld bits (%d of %d FIFOs above 2)", path,
        (long long)z.bits_before, (long long)z.bits_after, z.ndeep, z.nfifo);
  if (z.nsized) {
    hw_fifo_sim(d, 4, 0, &r);
    check(r.done && r.cycles_per_frame <= 1.01 * (double)bott, "%s: sized design simulates %.1f cycles/frame vs "
          "analytic %lld (%d runs, %.3f s)", path, r.cycles_per_frame, (long long)bott, z.sims, t_size);
    check_quarter_deadlocks(d, path);
  }
  /* one row for bench/fifo_bench.sh */
  printf("row: fifos=%d deep=%d sized=%d bits_before=%lld bits_after=%lld sim_before=%.1f sim_after=%.1f "
         "analytic=%lld beats=%lld sim_s=%.3f size_s=%.3f\n", z.nfifo, z.ndeep, z.nsized, (long long)z.bits_before,
         (long long)z.bits_after, before, r.cycles_per_frame, (long long)bott, (long long)beats, t_sim, t_size);
  ir_graph_free(g);
  return finish();
}

/* ---------------------------------------------------------------- cli -- */

/* Run a shell command; its exit status. */
static int run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int run(const char *fmt, ...) {
  char cmd[4096];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(cmd, sizeof cmd, fmt, ap);
  va_end(ap);
  int rc = system(cmd);
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* totals.fifo_bits_before/after of DIR/report.json (-1: missing), and
 * whether some unit's buffer formula says "join of". */
static void report_bits(ir_arena *a, const char *dir, int64_t *before, int64_t *after, bool *join_note) {
  json_value *r = json_parse_file(a, ir_sprintf(a, "%s/report.json", dir));
  const json_member *t = r ? json_find(r, "totals") : NULL;
  const json_member *b = t ? json_find(t->value, "fifo_bits_before") : NULL, *f = t ? json_find(t->value, "fifo_bits_after") : NULL;
  *before = b && b->value->is_integer ? b->value->integer : -1;
  *after = f && f->value->is_integer ? f->value->integer : -1;
  *join_note = false;
  const json_member *units = r ? json_find(r, "units") : NULL;
  for (size_t i = 0; units && i < units->value->len; i++) {
    const json_member *buf = json_find(units->value->items[i], "buffer");
    const json_member *why = buf ? json_find(buf->value, "formula") : NULL;
    if (why && strstr(why->value->string, "join of") && strstr(why->value->string, "cycle simulation")) *join_note = true;
  }
}

static int cmd_cli(const char *tool) {
  char dir[] = "/tmp/qr_fifo_cli_XXXXXX";
  if (!mkdtemp(dir)) return 1;
  ir_arena *a = ir_arena_new();
  int rc = run("'%s' -q example cnn --seed 3 --input 3,16,16 --convs 8:3:1:1,res2:8:3:1:1,8:3:1:1 "
               "--scale pow2 --abits 4 --fc 10 -o %s/m.onnx", tool, dir);
  check(rc == 0, "a residual CNN is generated");
  rc = run("'%s' %s/m.onnx --fifo=bad -o %s/bad 2> %s/bad.err", tool, dir, dir, dir);
  check(rc == 2 && run("grep -q \"fifo takes sim or formula, not 'bad'\" %s/bad.err", dir) == 0,
        "--fifo=bad: usage error (exit %d)", rc);
  int64_t fb, fa, sb, sa;
  bool fj, sj;
  rc = run("'%s' -q %s/m.onnx --fifo=formula -o %s/f", tool, dir, dir);
  report_bits(a, ir_sprintf(a, "%s/f", dir), &fb, &fa, &fj);
  check(rc == 0 && fb > 0 && fa == fb, "--fifo=formula: %lld bits before, %lld after", (long long)fb, (long long)fa);
  rc = run("'%s' -q %s/m.onnx -o %s/s", tool, dir, dir);
  report_bits(a, ir_sprintf(a, "%s/s", dir), &sb, &sa, &sj);
  check(rc == 0 && sb == fb && sa > 0 && sa < sb && sj,
        "default (--fifo=sim): %lld bits before, %lld after, join FIFO notes name the cycle simulation",
        (long long)sb, (long long)sa);
  ir_arena_free(a);
  od_remove_tree(dir);
  return finish();
}

int main(int argc, char **argv) {
  if (argc >= 2 && !strcmp(argv[1], "unit")) return cmd_unit();
  if (argc >= 3 && !strcmp(argv[1], "model")) return cmd_model(argv[2], argc >= 4 ? argv[3] : "auto");
  if (argc >= 3 && !strcmp(argv[1], "cli")) return cmd_cli(argv[2]);
  fprintf(stderr, "usage: test_fifo_sim unit | model MODEL.onnx [FOLD] | cli QONNX_RTL\n");
  return 2;
}
