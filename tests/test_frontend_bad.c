/* test_frontend_bad.c - golden-file diagnostic test for one broken model.
 *
 *   test_frontend_bad QONNX_RTL BAD_DIR CASE
 *
 * Run in the directory where bad_gen wrote CASE.onnx and in.npy.  Runs
 *   qonnx-rtl info CASE.onnx
 *   qonnx-rtl exec CASE.onnx -i in.npy -o CASE.out.npy
 * and checks for each: the process exits non-zero by itself (no crash),
 * stderr equals BAD_DIR/CASE.err byte for byte (one line naming the file and,
 * where there is one, the node), and exec leaves no CASE.out.npy (nor a
 * temporary sibling of it) behind. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 4096, n = 0;
  char *s = malloc(cap + 1);
  size_t got;
  while (s && (got = fread(s + n, 1, cap - n, f)) > 0) {
    n += got;
    if (n == cap) s = realloc(s, (cap *= 2) + 1);
  }
  fclose(f);
  if (s) s[n] = 0;
  return s;
}

/* Run argv with stderr into errpath, stdout discarded; returns wait status. */
static int run(char *const *argv, const char *errpath) {
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    int e = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int o = open("/dev/null", O_WRONLY);
    if (e < 0 || o < 0) _exit(126);
    dup2(e, 2);
    dup2(o, 1);
    execv(argv[0], argv);
    _exit(127);
  }
  int st = 0;
  if (waitpid(pid, &st, 0) < 0) return -1;
  return st;
}

/* Files in the working dir whose names start with prefix (output leftovers). */
static int leftovers(const char *prefix) {
  DIR *d = opendir(".");
  int k = 0;
  struct dirent *e;
  while (d && (e = readdir(d)))
    if (!strncmp(e->d_name, prefix, strlen(prefix))) {
      printf("    leftover file: %s\n", e->d_name);
      k++;
    }
  if (d) closedir(d);
  return k;
}

static int check(const char *what, char *const *argv, const char *expected, const char *cs,
                 const char *outfile) {
  char errpath[512];
  snprintf(errpath, sizeof errpath, "%s.%s.stderr", cs, what);
  int st = run(argv, errpath);
  char *got = slurp(errpath);
  int ok = 1;
  if (got && strstr(got, "is not implemented yet")) {
    printf("SKIP %s %s: command not implemented yet\n", what, cs);
    free(got);
    return 0;
  }
  if (st < 0 || !WIFEXITED(st)) {
    printf("FAIL %s %s: did not exit normally (signal %d)\n", what, cs,
           st >= 0 && WIFSIGNALED(st) ? WTERMSIG(st) : -1);
    ok = 0;
  } else if (WEXITSTATUS(st) == 0 || WEXITSTATUS(st) >= 126) {
    printf("FAIL %s %s: exit code %d, want 1 or 2\n", what, cs, WEXITSTATUS(st));
    ok = 0;
  }
  if (!got || strcmp(got, expected)) {
    printf("FAIL %s %s: stderr differs\n  want: %s  got:  %s", what, cs, expected,
           got ? got : "(nothing)\n");
    ok = 0;
  }
  if (outfile && leftovers(outfile)) {
    printf("FAIL %s %s: output file left behind\n", what, cs);
    ok = 0;
  }
  if (ok) printf("ok   %s %s: exit %d, stderr as expected\n", what, cs, WEXITSTATUS(st));
  free(got);
  return ok ? 0 : -1;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: test_frontend_bad QONNX_RTL BAD_DIR CASE\n");
    return 2;
  }
  const char *tool = argv[1], *cs = argv[3];
  char path[1024], model[512], out[512];
  snprintf(path, sizeof path, "%s/%s.err", argv[2], cs);
  char *expected = slurp(path);
  if (!expected) {
    printf("FAIL %s: no expected file %s\n", cs, path);
    return 1;
  }
  snprintf(model, sizeof model, "%s.onnx", cs);
  if (access(model, R_OK)) {
    printf("FAIL %s: %s was not generated (bad_gen)\n", cs, model);
    return 1;
  }
  snprintf(out, sizeof out, "%s.out.npy", cs);
  char *info[] = {(char *)tool, "info", model, NULL};
  char *exec[] = {(char *)tool, "exec", model, "-i", "in.npy", "-o", out, NULL};
  printf("case %s: expect %s", cs, expected);
  int failed = (check("info", info, expected, cs, NULL) != 0) +
               (check("exec", exec, expected, cs, out) != 0);
  printf("%d passed, %d failed\n", 2 - failed, failed);
  free(expected);
  return failed ? 1 : 0;
}
