/* test_cli.c - golden test of one command line of the compile command.
 *
 *   test_cli QONNX_RTL CLI_DIR CASE WORK_DIR
 *
 * CLI_DIR/CASE.cmd says what to run and what must happen:
 *     # comment lines
 *     args: tfc.onnx --clock-mhz=abc -o out      arguments after qonnx-rtl, split at
 *                                                spaces; '' is an empty argument
 *     exit: 2                                    the exit code
 *     copy: neg_pe.json                          CLI_DIR/FILE into the run directory
 *     mkdir: out keep.txt                        a directory (and a file in it)
 *     creates: out                               a path that must exist afterwards
 * and CLI_DIR/CASE.err is the exact stderr.  The command runs in a fresh
 * WORK_DIR/CASE/ that holds tfc.onnx (a copy of WORK_DIR/tfc.onnx, written
 * by the cli_model fixture) and the copy/mkdir files.  Checked: the process
 * exits by itself with the expected code, stderr is byte for byte CASE.err,
 * stdout is empty when it fails, and the run directory holds afterwards
 * exactly what it held before, plus the `creates:` paths (no output
 * directory, temporary sibling or file left behind); an absolute path after
 * -o that did not exist before must not exist afterwards either. */
#define _XOPEN_SOURCE 700 /* realpath */
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

#define MAXARGS 64

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
  size_t cap = 4096, n = 0, got;
  char *s = malloc(cap + 1);
  while (s && (got = fread(s + n, 1, cap - n, f)) > 0)
    if ((n += got) == cap) s = realloc(s, (cap *= 2) + 1);
  fclose(f);
  if (s) s[n] = 0;
  if (len) *len = n;
  return s;
}

static int copy_file(const char *from, const char *to) {
  size_t n;
  char *s = slurp(from, &n);
  if (!s) return -1;
  FILE *f = fopen(to, "wb");
  int rc = f && fwrite(s, 1, n, f) == n ? 0 : -1;
  if (f && fclose(f)) rc = -1;
  free(s);
  return rc;
}

/* Every path under dir (relative, sorted), one per line, into a malloc'd string. */
static void list_into(const char *dir, const char *rel, char **out, size_t *len) {
  DIR *d = opendir(dir);
  if (!d) return;
  char *names[512];
  int k = 0;
  struct dirent *e;
  while ((e = readdir(d)) && k < 512)
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) names[k++] = strdup(e->d_name);
  closedir(d);
  for (int i = 0; i < k; i++) /* insertion sort: a few entries */
    for (int j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
      char *t = names[j];
      names[j] = names[j - 1];
      names[j - 1] = t;
    }
  for (int i = 0; i < k; i++) {
    char path[2048], r[2048];
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    snprintf(r, sizeof r, "%s%s", rel, names[i]);
    size_t add = strlen(r) + 2;
    *out = realloc(*out, *len + add + 1);
    *len += (size_t)snprintf(*out + *len, add + 1, "%s\n", r);
    struct stat st;
    if (!lstat(path, &st) && S_ISDIR(st.st_mode)) {
      snprintf(r, sizeof r, "%s%s/", rel, names[i]);
      list_into(path, r, out, len);
    }
    free(names[i]);
  }
}

static char *listing(const char *dir) {
  char *s = calloc(1, 1);
  size_t n = 0;
  list_into(dir, "", &s, &n);
  return s;
}

static int remove_tree(const char *path) {
  char cmd[4200];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
  return system(cmd);
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: test_cli QONNX_RTL CLI_DIR CASE WORK_DIR\n");
    return 2;
  }
  const char *cli = argv[2], *cs = argv[3], *work = argv[4];
  char tool[PATH_MAX]; /* absolute: the command runs in the case's directory */
  if (!realpath(argv[1], tool)) {
    printf("FAIL %s: no tool %s: %s\n", cs, argv[1], strerror(errno));
    return 1;
  }
  char path[2048], run[2048];
  snprintf(path, sizeof path, "%s/%s.cmd", cli, cs);
  char *cmd = slurp(path, NULL);
  snprintf(path, sizeof path, "%s/%s.err", cli, cs);
  char *expected = slurp(path, NULL);
  if (!cmd || !expected) {
    printf("FAIL %s: cannot read %s/%s.cmd and .err\n", cs, cli, cs);
    return 1;
  }

  /* a fresh run directory with the model */
  snprintf(run, sizeof run, "%s/%s", work, cs);
  remove_tree(run);
  snprintf(path, sizeof path, "%s/tfc.onnx", work);
  char model[2200];
  snprintf(model, sizeof model, "%s/tfc.onnx", run);
  if (mkdir(run, 0777) || copy_file(path, model)) {
    printf("FAIL %s: cannot set up %s (is %s written by the cli_model fixture?)\n", cs, run, path);
    return 1;
  }

  char *args[MAXARGS + 2];
  int nargs = 0, want_exit = -1;
  args[nargs++] = (char *)tool;
  char *creates[8];
  int ncreates = 0;
  for (char *line = strtok(cmd, "\n"); line; line = strtok(NULL, "\n")) {
    if (line[0] == '#') continue;
    char *val = strchr(line, ':');
    if (!val) continue;
    *val++ = 0;
    while (*val == ' ') val++;
    if (!strcmp(line, "exit")) {
      want_exit = atoi(val);
    } else if (!strcmp(line, "args")) {
      for (char *p = val; *p && nargs < MAXARGS;) {
        char *sp = strchr(p, ' ');
        if (sp) *sp = 0;
        if (*p) args[nargs++] = strcmp(p, "''") ? p : "";
        if (!sp) break;
        p = sp + 1;
      }
    } else if (!strcmp(line, "copy")) {
      char from[2200], to[2200];
      snprintf(from, sizeof from, "%s/%s", cli, val);
      snprintf(to, sizeof to, "%s/%s", run, val);
      if (copy_file(from, to)) {
        printf("FAIL %s: cannot copy %s\n", cs, from);
        return 1;
      }
    } else if (!strcmp(line, "mkdir")) {
      char *file = strchr(val, ' ');
      if (file) *file++ = 0;
      char d[2200], f[2400];
      snprintf(d, sizeof d, "%s/%s", run, val);
      if (mkdir(d, 0777)) {
        printf("FAIL %s: cannot create %s\n", cs, d);
        return 1;
      }
      snprintf(f, sizeof f, "%s/%s", d, file ? file : "");
      if (file && copy_file(model, f)) {
        printf("FAIL %s: cannot create %s\n", cs, f);
        return 1;
      }
    } else if (!strcmp(line, "creates") && ncreates < 8) {
      creates[ncreates++] = val;
    }
  }
  args[nargs] = NULL;
  if (want_exit < 0) {
    printf("FAIL %s: %s/%s.cmd has no exit: line\n", cs, cli, cs);
    return 1;
  }
  /* absolute -o paths that do not exist yet must not exist afterwards */
  const char *abs_out = NULL;
  for (int i = 1; i + 1 < nargs; i++)
    if (!strcmp(args[i], "-o") && args[i + 1][0] == '/' && access(args[i + 1], F_OK) != 0)
      abs_out = args[i + 1];

  printf("case %s: qonnx-rtl", cs);
  for (int i = 1; i < nargs; i++) printf(" %s", args[i][0] ? args[i] : "''");
  printf("\n");
  char *before = listing(run);
  char errpath[2300], outpath[2300];
  snprintf(errpath, sizeof errpath, "%s.stderr", run);
  snprintf(outpath, sizeof outpath, "%s.stdout", run);
  pid_t pid = fork();
  if (pid == 0) {
    int e = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int o = open(outpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (e < 0 || o < 0 || chdir(run)) _exit(126);
    dup2(e, 2);
    dup2(o, 1);
    execv(tool, args);
    _exit(127);
  }
  int st = 0;
  if (pid < 0 || waitpid(pid, &st, 0) < 0) {
    printf("FAIL %s: cannot run %s: %s\n", cs, tool, strerror(errno));
    return 1;
  }
  char code[64], want[64];
  if (WIFEXITED(st)) snprintf(code, sizeof code, "exit %d", WEXITSTATUS(st));
  else snprintf(code, sizeof code, "killed by signal %d", WIFSIGNALED(st) ? WTERMSIG(st) : -1);
  snprintf(want, sizeof want, "exit %d", want_exit);
  check(!strcmp(code, want), "exit status: %s (want %s)", code, want);

  char *got = slurp(errpath, NULL), *out = slurp(outpath, NULL);
  int same = got && !strcmp(got, expected);
  check(same, "stderr is %s/%s.err%s", cli, cs, same ? "" : " -- it differs:");
  if (!same) printf("  want: %s  got:  %s", expected, got && *got ? got : "(nothing)\n");
  if (want_exit != 0) check(out && !*out, "nothing on stdout%s%s", out && *out ? ", got: " : "", out ? out : "");

  char *after = listing(run);
  /* what is new must be exactly the `creates:` paths (and what lies under them) */
  char *extra = calloc(1, strlen(after) + 1);
  char *before_nl = malloc(strlen(before) + 2);
  sprintf(before_nl, "\n%s", before);
  for (char *line = strtok(after, "\n"); line; line = strtok(NULL, "\n")) {
    char needle[2100];
    snprintf(needle, sizeof needle, "\n%s\n", line);
    int old = strstr(before_nl, needle) != NULL;
    int made = 0;
    for (int i = 0; i < ncreates; i++) {
      size_t n = strlen(creates[i]);
      made |= !strncmp(line, creates[i], n) && (line[n] == 0 || line[n] == '/');
    }
    if (!old && !made) {
      strcat(extra, " ");
      strcat(extra, line);
    }
  }
  check(!*extra, "no new file or directory in the run directory%s%s", *extra ? ":" : "", extra);
  for (int i = 0; i < ncreates; i++) {
    char p[2200];
    snprintf(p, sizeof p, "%s/%s", run, creates[i]);
    check(access(p, F_OK) == 0, "%s exists afterwards", creates[i]);
  }
  if (abs_out) check(access(abs_out, F_OK) != 0, "%s does not exist afterwards", abs_out);

  printf("%s: %d passed, %d failed\n", cs, npass, nfail);
  if (!nfail) { /* keep the evidence of a failure */
    remove_tree(run);
    unlink(errpath);
    unlink(outpath);
  }
  free(before);
  free(before_nl);
  free(after);
  free(extra);
  free(got);
  free(out);
  free(cmd);
  free(expected);
  return nfail ? 1 : 0;
}
