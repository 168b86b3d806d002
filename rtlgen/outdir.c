/* outdir.c - the output directory is written whole or not at all: everything
 * goes to a temporary sibling that is renamed into place at the end. */
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rtlgen/outdir.h"

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
  (void)sb;
  (void)flag;
  (void)ftw;
  return remove(path);
}

int od_remove_tree(const char *path) {
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
  if (!mkdtemp(tmpl)) {
    ir_errorf(dir, NULL, "cannot create the output directory: %s", strerror(errno));
    return NULL;
  }
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
  if (old) od_remove_tree(old);
  return 0;
}
