/* test_exec_refs.c - `exec` against the reference outputs shipped with two models:
 * models/mnist-conv/test_data_set_0 (ONNX model zoo: input_0.pb -> output_0.pb) and
 * models/floatquant/test_data (Brevitas: input.npy -> output.npy), within 1e-5
 * relative.  Also the command itself: batching (N stacked inputs run N times and
 * equal N single runs), --all-outputs, --help, usage errors, and that a failing
 * run leaves no output behind.
 *
 * usage: test_exec_refs SHARED_DIR   (exit 77 = skipped when the models are absent) */
#include <dirent.h>
#include <math.h>
#include <sys/stat.h>

#include "cli.h"
#include "frontend/frontend.h"
#include "tests/test_exec_util.h"

static ir_arena *A;
static char tmpdir[] = "/tmp/qr_exec_refs.XXXXXX";

static const char *path2(const char *a, const char *b) { return ir_sprintf(A, "%s/%s", a, b); }

static bool exists(const char *p) {
  struct stat st;
  return stat(p, &st) == 0;
}

/* Largest |a-b| / max(|b|, 1e-6) over the elements; -1 if shapes differ. */
static double max_rel_err(const ir_buf *a, const ir_buf *b, int64_t *worst) {
  if (!a || !b || a->n != b->n) return -1;
  double m = 0;
  *worst = 0;
  for (int64_t k = 0; k < a->n; k++) {
    double x = ir_buf_get(a, k), y = ir_buf_get(b, k);
    double r = fabs(x - y) / fmax(fabs(y), 1e-6);
    if (!(r <= m)) m = r, *worst = k;
  }
  return m;
}

/* Run `qonnx-rtl exec` in-process with these arguments (NULL-terminated). */
static int run_exec(const char *const *args) {
  char *argv[32];
  int argc = 0;
  argv[argc++] = "exec";
  for (; *args && argc < 31; args++) argv[argc++] = (char *)*args;
  argv[argc] = NULL;
  return qr_cmd_exec(argc, argv);
}

static int quiet_exec(const char *const *args) {
  char msg[1024];
  int rc = t_capture_stderr((int (*)(void *))run_exec, (void *)args, msg, sizeof msg);
  if (rc) printf("    (stderr: %s)\n", strtok(msg, "\n") ? msg : "");
  return rc;
}

static void compare_ref(const char *what, const char *model, const char *in, const char *ref) {
  const char *out = path2(tmpdir, "out.npy");
  int rc = quiet_exec((const char *[]){model, "-i", in, "-o", out, NULL});
  check(rc == 0, "%s: exec returned %d", what, rc);
  ir_buf *y = rc ? NULL : fe_read_npy(A, out);
  ir_buf *r = fe_read_tensor(A, ref);
  int64_t worst = 0;
  double e = max_rel_err(y, r, &worst);
  check(e >= 0 && e <= 1e-5, "%s: max relative error %.3g at %lld (%g vs %g)", what, e,
        (long long)worst, y && e >= 0 ? ir_buf_get(y, worst) : NAN,
        r && e >= 0 ? ir_buf_get(r, worst) : NAN);
  printf("%s: %lld outputs, max relative error %.2e (limit 1e-5) %s\n", what,
         r ? (long long)r->n : 0LL, e, e >= 0 && e <= 1e-5 ? "ok" : "FAILED");
  unlink(out);
}

/* N copies (perturbed) of the mnist input stacked as [N,1,28,28]: the batched run
 * must equal N single runs. */
static void test_batch(const char *model, const char *in_pb) {
  int before = t_fail;
  enum { N = 3 };
  ir_buf *x = fe_read_tensor(A, in_pb);
  if (!x) {
    check(0, "batch: cannot read %s", in_pb);
    return;
  }
  int64_t dims[IR_MAX_RANK];
  memcpy(dims, x->dims, sizeof dims);
  dims[0] = N;
  ir_buf *xb = ir_buf_new(A, IR_F32, ONNX_FLOAT, x->rank, dims);
  const char *single[N];
  for (int k = 0; k < N; k++) {
    ir_buf *xk = ir_buf_clone(A, x);
    for (int64_t i = 0; i < xk->n; i++) xk->f[i] = x->f[(i + 97 * k) % x->n] * (1 + 0.5f * k);
    memcpy(xb->f + k * x->n, xk->f, (size_t)x->n * sizeof(float));
    const char *pi = path2(tmpdir, ir_sprintf(A, "x%d.npy", k));
    single[k] = path2(tmpdir, ir_sprintf(A, "y%d.npy", k));
    fe_write_npy(pi, xk);
    check(quiet_exec((const char *[]){model, "-i", pi, "-o", single[k], NULL}) == 0,
          "single run %d", k);
  }
  const char *pb = path2(tmpdir, "xb.npy"), *yb = path2(tmpdir, "yb.npy");
  fe_write_npy(pb, xb);
  check(quiet_exec((const char *[]){model, "-i", pb, "-o", yb, NULL}) == 0, "batched run");
  ir_buf *y = fe_read_npy(A, yb);
  check(y && y->rank == 2 && y->dims[0] == N && y->dims[1] == 10, "batched output is [3,10]");
  for (int k = 0; y && k < N; k++) {
    ir_buf *s = fe_read_npy(A, single[k]);
    check(s && s->n == 10 && !memcmp(s->f, y->f + 10 * k, 10 * sizeof(float)),
          "batch item %d equals its single run", k);
  }
  printf("batch: [3,1,28,28] input runs 3 times, stacked [3,10] equals 3 single runs %s\n",
         t_fail == before ? "ok" : "FAILED");
}

static int count_files(const char *dir) {
  DIR *d = opendir(dir);
  int n = 0;
  struct dirent *e;
  while (d && (e = readdir(d)))
    if (e->d_name[0] != '.') n++;
  if (d) closedir(d);
  return d ? n : -1;
}

static void test_command(const char *model, const char *in_pb) {
  int before = t_fail;
  const char *out = path2(tmpdir, "cmd.npy"), *dir = path2(tmpdir, "all");
  /* --all-outputs: every tensor of the run, the output among them */
  check(quiet_exec((const char *[]){model, "-i", in_pb, "-o", out, "--all-outputs", dir,
                                    NULL}) == 0,
        "--all-outputs run");
  int nfiles = count_files(dir);
  check(nfiles >= 5, "--all-outputs wrote %d files", nfiles);
  /* the same DIR again: not empty -> error, and no new -o output */
  const char *out2 = path2(tmpdir, "cmd2.npy");
  check(quiet_exec((const char *[]){model, "-i", in_pb, "-o", out2, "--all-outputs", dir,
                                    NULL}) == 1 &&
            !exists(out2),
        "non-empty --all-outputs DIR refused before writing anything");
  /* wrong input shape: error exit 1, nothing written */
  int64_t d[2] = {3, 5};
  const char *bad_in = path2(tmpdir, "bad_in.npy");
  fe_write_npy(bad_in, ir_buf_new(A, IR_F32, ONNX_FLOAT, 2, d));
  char msg[1024];
  const char *args[] = {model, "-i", bad_in, "-o", out2, NULL};
  int rc = t_capture_stderr((int (*)(void *))run_exec, (void *)args, msg, sizeof msg);
  check(rc == 1 && !exists(out2) && strstr(msg, "has shape [3,5] but the model expects"),
        "wrong input shape: rc %d, message: %s", rc, msg);
  printf("  wrong shape -> %s", msg);
  /* missing input file */
  const char *args2[] = {model, "-i", path2(tmpdir, "nope.npy"), "-o", out2, NULL};
  rc = t_capture_stderr((int (*)(void *))run_exec, (void *)args2, msg, sizeof msg);
  check(rc == 1 && !exists(out2), "missing input file: rc %d", rc);
  printf("  missing input -> %s", msg);
  /* usage errors: exit 2 */
  const char *u1[] = {model, "-o", out2, NULL}, *u2[] = {model, "-i", in_pb, "--frob", NULL},
             *u3[] = {model, "-i", in_pb, "-o", NULL};
  check(t_capture_stderr((int (*)(void *))run_exec, (void *)u1, msg, sizeof msg) == 2,
        "no -i: usage error");
  check(t_capture_stderr((int (*)(void *))run_exec, (void *)u2, msg, sizeof msg) == 2,
        "unknown option: usage error");
  check(t_capture_stderr((int (*)(void *))run_exec, (void *)u3, msg, sizeof msg) == 2,
        "-o without value: usage error");
  /* two inputs for a one-input model */
  const char *u4[] = {model, "-i", in_pb, "-i", in_pb, "-o", out2, NULL};
  check(t_capture_stderr((int (*)(void *))run_exec, (void *)u4, msg, sizeof msg) == 1 &&
            strstr(msg, "1 input(s), 2 given"),
        "input count checked: %s", msg);
  /* --help */
  fflush(stdout);
  int saved = dup(1);
  FILE *nul = fopen("/dev/null", "w");
  dup2(fileno(nul), 1);
  rc = run_exec((const char *[]){"--help", NULL});
  fflush(stdout);
  dup2(saved, 1);
  close(saved);
  fclose(nul);
  check(rc == 0, "--help exits 0");
  printf("command: --all-outputs (%d files), refusals leave nothing behind, usage errors exit "
         "2, --help %s\n",
         nfiles, t_fail == before ? "ok" : "FAILED");
}

int main(int argc, char **argv) {
  const char *shared = argc > 1 ? argv[1] : "../shared";
  A = ir_arena_new();
  const char *mc = ir_sprintf(A, "%s/models/mnist-conv", shared);
  const char *fq = ir_sprintf(A, "%s/models/floatquant", shared);
  if (!exists(mc) || !exists(fq)) {
    printf("SKIP: %s or %s missing\n", mc, fq);
    ir_arena_free(A);
    return 77;
  }
  ir_verbosity = 0;
  if (!mkdtemp(tmpdir)) return 1;
  const char *mc_model = path2(mc, "model.onnx"), *mc_in = path2(mc, "test_data_set_0/input_0.pb");
  compare_ref("mnist-conv test_data_set_0", mc_model, mc_in,
              path2(mc, "test_data_set_0/output_0.pb"));
  compare_ref("floatquant test_data (Brevitas)", path2(fq, "qonnx_act_weight_fp8.onnx"),
              path2(fq, "test_data/input.npy"), path2(fq, "test_data/output.npy"));
  test_batch(mc_model, mc_in);
  test_command(mc_model, mc_in);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
  if (system(cmd)) printf("note: could not remove %s\n", tmpdir);
  ir_arena_free(A);
  return t_report("test_exec_refs");
}
