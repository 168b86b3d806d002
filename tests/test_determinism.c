/* test_determinism.c - two compiles of one model give byte-identical output trees.
 *
 *   test_determinism QONNX_RTL SHARED_DIR WORK_DIR shipped|examples
 *
 * shipped:  every shipped model that compiles (mnist-tfc/TFC_*.onnx,
 *           gscv2-kws/kwsmlp_w3a3, jet-tagging/qkeras_jettagging,
 *           unsw-nb15/unsw_nb15-mlp-w2a2, espcn/ (both), residual/eltwise_chanlast_testcase;
 *           the float models are refused); exit 77 (skip) when none is there.
 * examples: `example tfc-w1a1`, `example mlp --seed 3` and `example cnv-w2a2`, each written twice
 *           (the two model files must be identical too).
 * Each model is compiled twice for --board=pynq-z2 (so DIR/ip and
 * DIR/boards are compared too) without --verify: once with -q from WORK/a
 * into WORK/a/NAME, once with -v, TZ and LC_ALL changed, from WORK/b into
 * WORK/b/NAME (the model by the same absolute path both times).  The trees
 * must hold the same files with the same bytes: no timestamps, no pointer
 * values, no hash or directory order, no absolute output path.  A
 * difference prints the file and the first differing line of both. */
#define _XOPEN_SOURCE 700 /* realpath, setenv */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int npass, nfail;

static void check(int ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void check(int ok, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  printf("%s ", ok ? "ok  " : "FAIL");
  vprintf(fmt, ap);
  printf("\n");
  va_end(ap);
  if (ok) npass++;
  else nfail++;
}

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 1 << 16, n = 0, got;
  char *s = malloc(cap + 1);
  while (s && (got = fread(s + n, 1, cap - n, f)) > 0)
    if ((n += got) == cap) s = realloc(s, (cap *= 2) + 1);
  fclose(f);
  if (s) s[n] = 0;
  *len = n;
  return s;
}

/* Run argv in dir with stdout/stderr to log; env: NAME=VALUE pairs or NULL. */
static int run(const char *dir, const char *log, char *const *argv, const char *const *env) {
  pid_t pid = fork();
  if (pid == 0) {
    int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || chdir(dir)) _exit(126);
    dup2(fd, 1);
    dup2(fd, 2);
    for (int i = 0; env && env[i]; i += 2) setenv(env[i], env[i + 1], 1);
    execv(argv[0], argv);
    _exit(127);
  }
  int st;
  if (pid < 0 || waitpid(pid, &st, 0) < 0) return -1;
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

static void rm_rf(const char *path) {
  char cmd[PATH_MAX + 16];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
  if (system(cmd) != 0) printf("warning: could not remove %s\n", path);
}

/* Sorted names in a directory (without . and ..); returns the count. */
static int names_of(const char *dir, char ***out) {
  DIR *d = opendir(dir);
  int n = 0;
  char **v = NULL;
  struct dirent *e;
  while (d && (e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    v = realloc(v, sizeof *v * (size_t)(n + 1));
    v[n++] = strdup(e->d_name);
  }
  if (d) closedir(d);
  for (int i = 1; i < n; i++)
    for (int j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) {
      char *t = v[j];
      v[j] = v[j - 1];
      v[j - 1] = t;
    }
  *out = v;
  return n;
}

static void first_diff(const char *rel, const char *x, size_t nx, const char *y, size_t ny) {
  size_t i = 0, line = 1, bol = 0;
  while (i < nx && i < ny && x[i] == y[i]) {
    if (x[i] == '\n') {
      line++;
      bol = i + 1;
    }
    i++;
  }
  size_t from = i > bol + 60 ? i - 60 : bol; /* a window around the difference */
  int wa = 0, wb = 0;
  while (from + (size_t)wa < nx && x[from + (size_t)wa] != '\n' && wa < 140) wa++;
  while (from + (size_t)wb < ny && y[from + (size_t)wb] != '\n' && wb < 140) wb++;
  printf("  %s: first difference at byte %zu, line %zu:\n    a: ...%.*s\n    b: ...%.*s\n", rel, i, line,
         wa, x + from, wb, y + from);
}

typedef struct tree_cmp {
  int files, differ;
  size_t bytes;
} tree_cmp;

/* Compare a/rel and b/rel recursively. */
static void cmp_tree(const char *a, const char *b, const char *rel, tree_cmp *t) {
  char **na, **nb;
  int ka = names_of(a, &na), kb = names_of(b, &nb);
  int i = 0, j = 0;
  while (i < ka || j < kb) {
    int c = i >= ka ? 1 : j >= kb ? -1 : strcmp(na[i], nb[j]);
    if (c) {
      printf("  %s%s: only in %s\n", rel, c < 0 ? na[i] : nb[j], c < 0 ? "the first tree" : "the second tree");
      t->differ++;
      if (c < 0) i++;
      else j++;
      continue;
    }
    char pa[PATH_MAX], pb[PATH_MAX], r[PATH_MAX];
    snprintf(pa, sizeof pa, "%s/%s", a, na[i]);
    snprintf(pb, sizeof pb, "%s/%s", b, nb[j]);
    snprintf(r, sizeof r, "%s%s", rel, na[i]);
    struct stat sa, sb;
    if (lstat(pa, &sa) || lstat(pb, &sb) || (sa.st_mode & S_IFMT) != (sb.st_mode & S_IFMT)) {
      printf("  %s: not the same kind of file\n", r);
      t->differ++;
    } else if (S_ISDIR(sa.st_mode)) {
      strcat(r, "/");
      cmp_tree(pa, pb, r, t);
    } else {
      size_t nx = 0, ny = 0;
      char *x = slurp(pa, &nx), *y = slurp(pb, &ny);
      t->files++;
      t->bytes += nx;
      if (!x || !y || nx != ny || memcmp(x, y, nx)) {
        t->differ++;
        if (x && y) first_diff(r, x, nx, y, ny);
        else printf("  %s: unreadable\n", r);
      }
      free(x);
      free(y);
    }
    i++;
    j++;
  }
  for (int k = 0; k < ka; k++) free(na[k]);
  for (int k = 0; k < kb; k++) free(nb[k]);
  free(na);
  free(nb);
}

static const char *tool, *work;

/* Compile model twice and compare; name labels the output directories. */
static void compile_twice(const char *model, const char *name) {
  char a[PATH_MAX], b[PATH_MAX], da[PATH_MAX], db[PATH_MAX], la[PATH_MAX], lb[PATH_MAX];
  snprintf(a, sizeof a, "%s/a", work);
  snprintf(b, sizeof b, "%s/b", work);
  snprintf(da, sizeof da, "%s/a/%s", work, name);
  snprintf(db, sizeof db, "%s/b/%s", work, name);
  snprintf(la, sizeof la, "%s/a/%s.log", work, name);
  snprintf(lb, sizeof lb, "%s/b/%s.log", work, name);
  rm_rf(da);
  rm_rf(db);
  char *args_a[] = {(char *)tool, "-q", (char *)model, "--board=pynq-z2", "-o", (char *)name, NULL};
  char *args_b[] = {(char *)tool, "-v", (char *)model, "--board=pynq-z2", "-o", (char *)name, NULL};
  static const char *const env_b[] = {"TZ", "Asia/Kathmandu", "LC_ALL", "C.UTF-8", NULL};
  int ra = run(a, la, args_a, NULL), rb = run(b, lb, args_b, env_b);
  check(ra == 0 && rb == 0, "%s: both compiles succeed (exit %d, %d; logs %s, %s)", name, ra, rb, la, lb);
  if (ra || rb) return;
  tree_cmp t = {0};
  cmp_tree(da, db, "", &t);
  check(t.differ == 0 && t.files > 0, "%s: %d files, %zu bytes, byte-identical in both trees (%d differ)",
        name, t.files, t.bytes, t.differ);
  if (!t.differ) {
    rm_rf(da);
    rm_rf(db);
    unlink(la);
    unlink(lb);
  }
}

int main(int argc, char **argv) {
  if (argc != 5 || (strcmp(argv[4], "shipped") && strcmp(argv[4], "examples"))) {
    fprintf(stderr, "usage: test_determinism QONNX_RTL SHARED_DIR WORK_DIR shipped|examples\n");
    return 2;
  }
  static char toolbuf[PATH_MAX], workbuf[PATH_MAX];
  mkdir(argv[3], 0777);
  if (!realpath(argv[1], toolbuf) || !realpath(argv[3], workbuf)) {
    printf("FAIL cannot resolve %s or %s: %s\n", argv[1], argv[3], strerror(errno));
    return 1;
  }
  tool = toolbuf;
  work = workbuf;
  char p[PATH_MAX + 8];
  snprintf(p, sizeof p, "%s/a", work);
  mkdir(p, 0777);
  snprintf(p, sizeof p, "%s/b", work);
  mkdir(p, 0777);

  if (!strcmp(argv[4], "shipped")) {
    static const char *const models[] = {
        "mnist-tfc/TFC_1W1A", "mnist-tfc/TFC_1W2A", "mnist-tfc/TFC_2W2A", "gscv2-kws/kwsmlp_w3a3",
        "jet-tagging/qkeras_jettagging", "unsw-nb15/unsw_nb15-mlp-w2a2",
        "espcn/espcn_nn_resize_quant", "espcn/espcn_subpixel_quant",
        "residual/eltwise_chanlast_testcase"};
    int found = 0;
    for (size_t i = 0; i < sizeof models / sizeof models[0]; i++) {
      char path[PATH_MAX], abs[PATH_MAX];
      snprintf(path, sizeof path, "%s/models/%s.onnx", argv[2], models[i]);
      if (!realpath(path, abs)) {
        printf("skip %s: not found\n", path);
        continue;
      }
      found++;
      compile_twice(abs, strrchr(models[i], '/') + 1);
    }
    if (!found) {
      printf("SKIP: no shipped model under %s/models\n", argv[2]);
      return 77;
    }
  } else {
    static const char *const ex[][4] = {{"tfc-w1a1", NULL}, {"mlp", "--seed", "3", NULL},
                                        {"cnv-w2a2", NULL}};
    static const char *const names[] = {"ex_tfc-w1a1", "ex_mlp_seed3", "ex_cnv-w2a2"};
    for (int i = 0; i < 3; i++) {
      char m1[PATH_MAX], m2[PATH_MAX], log[PATH_MAX];
      snprintf(m1, sizeof m1, "%s/%s.onnx", work, names[i]);
      snprintf(m2, sizeof m2, "%s/%s.again.onnx", work, names[i]);
      int r = 0;
      for (int k = 0; k < 2; k++) {
        snprintf(log, sizeof log, "%s/%s.example%d.log", work, names[i], k + 1);
        char *args[12] = {(char *)tool, "-q", "example"};
        int n = 3;
        for (int j = 0; ex[i][j]; j++) args[n++] = (char *)ex[i][j];
        args[n++] = "-o";
        args[n++] = k ? m2 : m1;
        args[n] = NULL;
        r |= run(work, log, args, NULL);
      }
      size_t n1 = 0, n2 = 0;
      char *x = slurp(m1, &n1), *y = slurp(m2, &n2);
      check(!r && x && y && n1 == n2 && !memcmp(x, y, n1),
            "example %s%s%s written twice: %zu bytes, identical", ex[i][0], ex[i][1] ? " " : "",
            ex[i][1] ? "--seed 3" : "", n1);
      free(x);
      free(y);
      if (!r) compile_twice(m1, names[i]);
    }
  }
  printf("test_determinism %s: %d passed, %d failed\n", argv[4], npass, nfail);
  return nfail ? 1 : 0;
}
