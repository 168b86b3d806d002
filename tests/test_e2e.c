/* test_e2e.c - the main job end to end: ONNX -> RTL -> simulation, bit for bit.
 *
 *   test_e2e streamline MODEL FRAMES      integer design == float graph on FRAMES
 *                                         random frames (in process, no simulator)
 *   test_e2e compile QONNX_RTL MODEL SIM FRAMES [FOLD]
 *                                         qonnx-rtl MODEL --fold=FOLD --verify=FRAMES
 *                                         --sim=SIM (both = Verilator with FRAMES, then
 *                                         Icarus with up to 8 frames: Icarus is slow on
 *                                         unrolled layers); checks the verdict and that the
 *                                         measured cycles/frame are within 2 % of the
 *                                         analytic bottleneck (from report.json)
 *   test_e2e compile-exact QONNX_RTL MODEL SIM FRAMES
 *                                         the same, with every frame in both simulators
 *   test_e2e compile-input QONNX_RTL MODEL SIM INPUT
 *                                         --verify-input=INPUT (.npy or .pb) in SIM
 *                                         (both: one run, both simulators), auto folding
 *   test_e2e random QONNX_RTL FIRST LAST SIM FRAMES
 *                                         random MLPs (example mlp --seed N, options
 *                                         drawn per seed so that the set covers bipolar,
 *                                         1-8 bit signed/unsigned, narrow, every rounding
 *                                         mode, odd widths), each compiled and verified
 *   test_e2e finn-tfc QONNX_RTL MODEL SIM FRAMES
 *                                         FINN's TFC folding (16,49) (8,8) (8,8) (10,8)
 *                                         given as JSON: 64 cycles/frame within 2 %
 *
 * A model path under ../shared that does not exist skips (exit 77).
 * Prints `N passed, N failed`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "frontend/frontend.h"
#include "ir/hw.h"
#include "ir/json.h"
#include "rtlgen/outdir.h"

static int passed, failed;

static void check(int ok, const char *what) {
  printf("%s: %s\n", ok ? "PASS" : "FAIL", what);
  if (ok) passed++;
  else failed++;
}

static int finish(void) {
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}

static int exists(const char *p) {
  struct stat st;
  return stat(p, &st) == 0;
}

static int cmd_streamline(const char *model, long frames) {
  if (!exists(model)) {
    printf("SKIP: %s not found\n", model);
    return 77;
  }
  ir_verbosity = 0;
  ir_graph *g = fe_load(model);
  hw_design *d = g && !fe_cleanup(g) ? hw_streamline(g) : NULL;
  if (!d) {
    check(0, "load + cleanup + streamline");
    ir_graph_free(g);
    return finish();
  }
  int64_t mism = -1;
  int rc = hw_check_float(d, frames, 12345, &mism);
  char what[512];
  snprintf(what, sizeof what, "%s: integer design == float graph on %ld random frames "
           "(%d units, %lld mismatching frames)", model, frames, d->nunits, (long long)mism);
  check(rc == 0 && mism == 0, what);
  ir_graph_free(g);
  return finish();
}

/* Run qonnx-rtl and check report.json. */
/* FRAMES > 0: --verify=FRAMES random frames; 0: --verify-input=INPUT. */
static void compile_and_check_input(const char *tool, const char *model, const char *sim,
                                    long frames, const char *input, const char *fold,
                                    const char *label) {
  char dir[] = "/tmp/qr_e2e_XXXXXX";
  if (!mkdtemp(dir)) {
    check(0, "mkdtemp");
    return;
  }
  char out[600], cmd[4096];
  snprintf(out, sizeof out, "%s/out", dir);
  char verify[700], what[1024];
  if (frames > 0) snprintf(verify, sizeof verify, "--verify=%ld", frames);
  else snprintf(verify, sizeof verify, "--verify-input='%s'", input);
  snprintf(cmd, sizeof cmd, "'%s' -q '%s' --fold=%s %s --sim=%s --seed=7 -o '%s'", tool, model,
           fold, verify, sim, out);
  int rc = system(cmd);
  snprintf(what, sizeof what, "%s: compile + verify (%s, %s, fold %s)", label, sim,
           frames > 0 ? verify + 2 : input, fold);
  check(rc == 0, what);
  if (rc == 0) {
    ir_arena *a = ir_arena_new();
    char rpath[700];
    snprintf(rpath, sizeof rpath, "%s/report.json", out);
    ir_verbosity = 1;
    json_value *r = json_parse_file(a, rpath);
    const json_member *v = r ? json_find(r, "verify") : NULL;
    const json_member *pass = v ? json_find(v->value, "pass") : NULL;
    const json_member *cpf = v ? json_find(v->value, "cycles_per_frame") : NULL;
    const json_member *ana = v ? json_find(v->value, "analytic_cycles_per_frame") : NULL;
    int ok = pass && pass->value->type == JSON_BOOL && pass->value->boolean && cpf && ana &&
             cpf->value->number > 0;
    double m = ok ? cpf->value->number : 0, x = ok ? ana->value->number : 0;
    snprintf(what, sizeof what, "%s: measured %.2f cycles/frame vs analytic %.0f (within 2 %%)",
             label, m, x);
    check(ok && m <= x * 1.02 && m >= x * 0.98, what);
    ir_arena_free(a);
  }
  od_remove_tree(dir);
}

static void compile_and_check_one(const char *tool, const char *model, const char *sim, long frames,
                                  const char *fold, const char *label) {
  compile_and_check_input(tool, model, sim, frames, NULL, fold, label);
}

/* "both": Verilator with all frames, then Icarus with at most ICARUS_FRAMES:
 * an event-driven simulator takes minutes per few frames of a fully unrolled
 * layer, and the same stimulus mechanics are checked either way. */
#define ICARUS_FRAMES 8

static void compile_and_check(const char *tool, const char *model, const char *sim, long frames,
                              const char *fold, const char *label) {
  if (strcmp(sim, "both")) {
    compile_and_check_one(tool, model, sim, frames, fold, label);
    return;
  }
  compile_and_check_one(tool, model, "verilator", frames, fold, label);
  compile_and_check_one(tool, model, "icarus", frames < ICARUS_FRAMES ? frames : ICARUS_FRAMES,
                        fold, label);
}

/* Options of random MLP number `seed`: every value of each choice is visited
 * in turn, so consecutive seeds cover the whole set. */
static void random_options(int seed, char *buf, size_t n) {
  static const char *const rounding[] = {"ROUND", "CEIL", "FLOOR", "UP", "DOWN", "HALF_UP",
                                         "HALF_DOWN"};
  static const char *const scale[] = {"unit", "pow2", "float", "chan"};
  int wbits = 1 + seed % 8, abits = 1 + (seed / 2) % 8, ibits = 1 + (seed * 3) % 8;
  int wsigned = wbits == 1 ? 1 : seed % 3 != 0, asigned = abits == 1 ? 1 : seed % 2;
  int isigned = ibits == 1 ? 1 : (seed / 3) % 2;
  int narrow = (seed / 4) % 2;
  int in = 5 + (seed * 7) % 40, h1 = 3 + (seed * 11) % 37, h2 = 2 + (seed * 5) % 23;
  int out = 2 + seed % 11;
  snprintf(buf, n,
           "--wbits %d --abits %d --ibits %d --wsigned %d --asigned %d --isigned %d --narrow %d "
           "--rounding %s --scale %s --iquant %d --bn %d --relu %d --layers %d,%d,%d,%d",
           wbits, abits, ibits, wsigned, asigned, isigned, narrow, rounding[seed % 7],
           scale[seed % 4], seed % 2, (seed / 5) % 2, (seed / 7) % 2, in, h1, h2, out);
}

static int cmd_random(const char *tool, int first, int last, const char *sim, long frames) {
  for (int seed = first; seed <= last; seed++) {
    char dir[] = "/tmp/qr_rnd_XXXXXX", opts[512], cmd[4096], model[600], label[800];
    if (!mkdtemp(dir)) return 1;
    random_options(seed, opts, sizeof opts);
    snprintf(model, sizeof model, "%s/mlp%d.onnx", dir, seed);
    snprintf(cmd, sizeof cmd, "'%s' -q example mlp --seed %d %s -o '%s'", tool, seed, opts, model);
    snprintf(label, sizeof label, "random mlp seed %d [%s]", seed, opts);
    int rc = system(cmd);
    if (rc != 0) {
      check(0, label);
    } else {
      /* Folding varies too: auto (fastest that fits), none (fully folded), and the
       * cheapest folding reaching 200k frames/s at 100 MHz (<= 500 cycles). */
      static const char *const folds[] = {"auto", "none", "auto:fps=200000"};
      compile_and_check(tool, model, sim, frames, folds[seed % 3], label);
    }
    od_remove_tree(dir);
  }
  return finish();
}

/* Options of random CNN number `seed`: kernels 1/3/5/7, strides 1/2, padding,
 * a depthwise layer, 2x2 max pooling, 1-8 bit types, FC layers after it; by
 * seed % 5 also a residual block, a concat, dilation 2, global or 2x2 average
 * pooling. */
static void random_cnn_options(int seed, char *buf, size_t n) {
  static const char *const rounding[] = {"ROUND", "FLOOR", "HALF_UP", "CEIL", "DOWN"};
  static const char *const scale[] = {"unit", "pow2", "float", "chan"};
  int k = 1 + 2 * (seed % 4), s = 1 + (seed / 4) % 2, p = (seed / 2) % (k / 2 + 1);
  int c = 2 + seed % 3, hw = 7 + (seed * 3) % 6 + (k > 5 ? 4 : 0);
  int oc = 3 + (seed * 5) % 6;
  int wbits = 1 + seed % 8, abits = 1 + (seed / 2) % 6 /* 8-bit: the MLP tests */, ibits = 2 + (seed * 3) % 7;
  int wsigned = wbits == 1 ? 1 : seed % 3 != 0, asigned = abits == 1 ? 1 : seed % 2;
  const char *sc = scale[seed % 4];
  int kind = seed > 10 ? seed % 5 : -1; /* seeds 11-30: one structure each */
  /* padding (and residual adds, averages) need a zero level: no bipolar activations */
  if (abits == 1 && (p > 0 || kind >= 0)) abits = 2;
  char convs[200], extra[64] = "";
  const char *pool = seed % 3 == 0 ? "1" : "none";
  int dwp = abits == 1 ? 0 : 1;
  switch (kind) {
  case 0: /* residual: a 3x3 'same' branch of two convs added to the block input */
    snprintf(convs, sizeof convs, "%d:%d:%d:%d,res2:%d:3:1:1,%d:3:1:1", oc, k, s, p, oc, oc);
    if (seed % 4 >= 2) sc = "pow2"; /* float scales may make the add inexact: refused */
    pool = "none";
    break;
  case 1: /* concat of a 3x3 and a 1x1 conv on the same input */
    snprintf(convs, sizeof convs, "%d:%d:%d:%d,%d:3:1:1,cat:%d:1:1:0", oc, k, s, p, oc, oc + 1);
    if (seed % 4 == 3) sc = "float";
    pool = "none";
    break;
  case 2: /* dilation 2 */
    snprintf(convs, sizeof convs, "%d:%d:%d:%d,%d:3:1:2:1:2", oc, k, s, p, oc);
    break;
  case 3: /* global average pooling */
    snprintf(convs, sizeof convs, "%d:%d:%d:%d,%d:3:1:1:%d", oc, k, s, p, oc, oc);
    snprintf(extra, sizeof extra, " --gap 1");
    pool = "none";
    break;
  case 4: /* 2x2 average pooling */
    snprintf(convs, sizeof convs, "%d:%d:%d:%d,%d:3:1:1", oc, k, 1, p, oc);
    snprintf(extra, sizeof extra, " --avgpool 1");
    pool = "none";
    break;
  default:
    if (seed % 2)
      snprintf(convs, sizeof convs, "%d:%d:%d:%d,%d:3:1:%d:%d", oc, k, s, p, oc, dwp, oc);
    else
      snprintf(convs, sizeof convs, "%d:%d:%d:%d,%d:3:1:%d", oc, k, s, p, oc + 1, dwp);
  }
  snprintf(buf, n,
           "--input %d,%d,%d --convs %s --pool %s%s --fc %d,%d --wbits %d --abits %d --ibits %d "
           "--wsigned %d --asigned %d --isigned %d --rounding %s --scale %s --bn %d --relu %d",
           c, hw, hw, convs, pool, extra, 6 + seed % 5, 2 + seed % 4, wbits, abits, ibits, wsigned,
           asigned, (seed / 3) % 2, rounding[seed % 5], sc, (seed / 5) % 2, (seed / 7) % 2);
}

static int cmd_random_cnn(const char *tool, int first, int last, const char *sim, long frames) {
  for (int seed = first; seed <= last; seed++) {
    char dir[] = "/tmp/qr_rcnn_XXXXXX", opts[600], cmd[4096], model[600], label[900];
    if (!mkdtemp(dir)) return 1;
    random_cnn_options(seed, opts, sizeof opts);
    snprintf(model, sizeof model, "%s/cnn%d.onnx", dir, seed);
    snprintf(cmd, sizeof cmd, "'%s' -q example cnn --seed %d %s -o '%s'", tool, seed, opts, model);
    snprintf(label, sizeof label, "random cnn seed %d [%s]", seed, opts);
    int rc = system(cmd);
    if (rc != 0) {
      check(0, label);
    } else {
      static const char *const folds[] = {"auto", "none", "auto:fps=20000"};
      compile_and_check(tool, model, sim, frames, folds[seed % 3], label);
    }
    od_remove_tree(dir);
  }
  return finish();
}

static int cmd_finn_tfc(const char *tool, const char *model, const char *sim, long frames) {
  if (!exists(model)) {
    printf("SKIP: %s not found\n", model);
    return 77;
  }
  char dir[] = "/tmp/qr_finn_XXXXXX", path[600];
  if (!mkdtemp(dir)) return 1;
  snprintf(path, sizeof path, "%s/tfc_folding.json", dir);
  FILE *f = fopen(path, "w");
  fputs("{\n  \"Defaults\": {},\n"
        "  \"mvu_0\": {\"PE\": 16, \"SIMD\": 49},\n"
        "  \"mvu_1\": {\"PE\": 8, \"SIMD\": 8},\n"
        "  \"mvu_2\": {\"PE\": 8, \"SIMD\": 8},\n"
        "  \"mvu_3\": {\"PE\": 10, \"SIMD\": 8}\n}\n", f);
  fclose(f);
  compile_and_check(tool, model, sim, frames, path, "FINN TFC folding (16,49)(8,8)(8,8)(10,8)");
  od_remove_tree(dir);
  return finish();
}

int main(int argc, char **argv) {
  if (argc >= 4 && !strcmp(argv[1], "streamline")) return cmd_streamline(argv[2], atol(argv[3]));
  if (argc >= 6 && !strcmp(argv[1], "compile-exact")) { /* --sim=both with every frame in both */
    if (!exists(argv[3])) {
      printf("SKIP: %s not found\n", argv[3]);
      return 77;
    }
    compile_and_check_one(argv[2], argv[3], argv[4], atol(argv[5]), "auto", argv[3]);
    return finish();
  }
  if (argc >= 6 && !strcmp(argv[1], "compile-input")) { /* QONNX_RTL MODEL SIM INPUT */
    if (!exists(argv[3]) || !exists(argv[5])) {
      printf("SKIP: %s or %s not found\n", argv[3], argv[5]);
      return 77;
    }
    compile_and_check_input(argv[2], argv[3], argv[4], 0, argv[5], "auto", argv[3]);
    return finish();
  }
  if (argc >= 6 && !strcmp(argv[1], "compile")) {
    if (!exists(argv[3])) {
      printf("SKIP: %s not found\n", argv[3]);
      return 77;
    }
    compile_and_check(argv[2], argv[3], argv[4], atol(argv[5]), argc > 6 ? argv[6] : "auto", argv[3]);
    return finish();
  }
  if (argc >= 7 && !strcmp(argv[1], "random"))
    return cmd_random(argv[2], atoi(argv[3]), atoi(argv[4]), argv[5], atol(argv[6]));
  if (argc >= 6 && !strcmp(argv[1], "example")) { /* example NAME sim frames [fold] */
    char dir[] = "/tmp/qr_ex_XXXXXX", model[600], cmd[4096];
    if (!mkdtemp(dir)) return 1;
    snprintf(model, sizeof model, "%s/%s.onnx", dir, argv[3]);
    snprintf(cmd, sizeof cmd, "'%s' -q example %s -o '%s'", argv[2], argv[3], model);
    check(system(cmd) == 0, "example model written");
    compile_and_check(argv[2], model, argv[4], atol(argv[5]), argc > 6 ? argv[6] : "auto", argv[3]);
    od_remove_tree(dir);
    return finish();
  }
  if (argc >= 3 && !strcmp(argv[1], "cnn-options")) { /* print random CNN N's example options */
    char opts[600];
    random_cnn_options(atoi(argv[2]), opts, sizeof opts);
    puts(opts);
    return 0;
  }
  if (argc >= 7 && !strcmp(argv[1], "random-cnn"))
    return cmd_random_cnn(argv[2], atoi(argv[3]), atoi(argv[4]), argv[5], atol(argv[6]));
  if (argc >= 6 && !strcmp(argv[1], "finn-tfc"))
    return cmd_finn_tfc(argv[2], argv[3], argv[4], atol(argv[5]));
  fprintf(stderr, "usage: see the comment at the top of tests/test_e2e.c\n");
  return 2;
}
