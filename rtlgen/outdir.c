/* outdir.c - the output directory is written whole or not at all: everything
 * goes to a temporary sibling that is renamed into place at the end.  Killed
 * (SIGINT, SIGTERM, SIGHUP: ^C during a long --verify, a CI time limit) while a
 * temporary directory exists, the process removes it before it dies. */
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rtlgen/outdir.h"

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
  (void)sb;
  (void)flag;
  (void)ftw;
  return remove(path);
}

/* The temporary directory being written (valid while have_pending). */
static char pending[4096];
static volatile sig_atomic_t have_pending;
/* A process group running in it (a simulator), stopped first. */
static volatile pid_t child_group;

void od_set_child(pid_t pgid) { child_group = pgid; }

static void set_pending(const char *path) {
  have_pending = 0;
  if (path && strlen(path) < sizeof pending) {
    strcpy(pending, path);
    have_pending = 1;
  }
}

/* nftw and remove are not async-signal-safe; the process is dying either way,
 * and a temporary directory left behind is the worse outcome. */
static void on_fatal_signal(int sig) {
  pid_t g = child_group;
  if (g > 0) { /* the simulator and its children, then wait for the one we started */
    kill(-g, sig == SIGINT ? SIGINT : SIGTERM);
    int st;
    while (waitpid(g, &st, 0) < 0 && errno == EINTR) {
    }
  }
  if (have_pending) {
    have_pending = 0;
    nftw(pending, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    static const char msg[] = "qonnx-rtl: interrupted; the unfinished output was removed\n";
    ssize_t w = write(2, msg, sizeof msg - 1);
    (void)w;
  }
  signal(sig, SIG_DFL);
  raise(sig);
}

static void install_handlers(void) {
  static int done;
  if (done) return;
  done = 1;
  static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
  for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fatal_signal;
    sigemptyset(&sa.sa_mask);
    /* keep a signal ignored if the caller ignores it (nohup, background jobs) */
    if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN) continue;
    sigaction(sigs[i], &sa, NULL);
  }
}

int od_remove_tree(const char *path) {
  if (have_pending && !strcmp(path, pending)) have_pending = 0;
  struct stat st;
  if (lstat(path, &st) != 0) return 0;
  return nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int od_mkdirs(const char *path) {
  char buf[4096];
  if (strlen(path) >= sizeof buf) return -1;
  strcpy(buf, path);
  for (char *p = buf + 1; *p; p++)
    if (*p == '/') {
      *p = 0;
      if (mkdir(buf, 0777) != 0 && errno != EEXIST) return -1;
      *p = '/';
    }
  return mkdir(buf, 0777) != 0 && errno != EEXIST ? -1 : 0;
}

static int dir_is_empty(const char *path) {
  DIR *d = opendir(path);
  if (!d) return 0;
  struct dirent *e;
  int empty = 1;
  while (empty && (e = readdir(d)))
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) empty = 0;
  closedir(d);
  return empty;
}

int od_check_target(const char *dir, int force) {
  struct stat st;
  if (stat(dir, &st) != 0) {
    if (errno == ENOENT) return 0;
    return ir_errorf(dir, NULL, "cannot use output directory: %s", strerror(errno));
  }
  if (!S_ISDIR(st.st_mode))
    return ir_errorf(dir, NULL, "output path exists and is not a directory");
  if (!force && !dir_is_empty(dir))
    return ir_errorf(dir, NULL, "output directory exists and is not empty (use --force to replace it)");
  return 0;
}

/* "out/" -> "out": siblings are named from the directory, not from inside it. */
static char *no_trailing_slash(ir_arena *a, const char *dir) {
  char *s = ir_strdup(a, dir);
  size_t n = strlen(s);
  while (n > 1 && s[n - 1] == '/') s[--n] = 0;
  return s;
}

char *od_begin(ir_arena *a, const char *dir) {
  /* A sibling of dir, so the final rename stays on one file system. */
  char *tmpl = ir_sprintf(a, "%s.tmp-XXXXXX", no_trailing_slash(a, dir));
  install_handlers();
  if (!mkdtemp(tmpl)) {
    ir_errorf(dir, NULL, "cannot create the output directory: %s", strerror(errno));
    return NULL;
  }
  set_pending(tmpl);
  return tmpl;
}

int od_commit(ir_arena *a, const char *tmp, const char *dir) {
  struct stat st;
  char *old = NULL;
  if (stat(dir, &st) == 0) {
    old = ir_sprintf(a, "%s.old-XXXXXX", no_trailing_slash(a, dir));
    if (!mkdtemp(old) || rmdir(old) != 0 || rename(dir, old) != 0)
      return ir_errorf(dir, NULL, "cannot move the old output directory aside: %s", strerror(errno));
  }
  if (rename(tmp, dir) != 0) {
    int e = errno;
    if (old) rename(old, dir);
    return ir_errorf(dir, NULL, "cannot move the finished output into place: %s", strerror(e));
  }
  if (have_pending && !strcmp(tmp, pending)) have_pending = 0;
  if (old) od_remove_tree(old);
  return 0;
}
