/* test_example_util.h - helpers shared by test_examples and test_info*: check
 * counting, temporary directories, building an example to a file, loading it
 * through the frontend, running the golden executor on inputs drawn from the
 * model's qonnx-rtl.input_range metadata, and running qonnx-rtl itself.
 * Header-only (static functions) so each test stays one .c file. */
#ifndef QR_TEST_EXAMPLE_UTIL_H
#define QR_TEST_EXAMPLE_UTIL_H

#include <dirent.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "frontend/example.h"
#include "frontend/frontend.h"
#include "ir/ir.h"

static int t_pass, t_fail;

static inline void check(int ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline void check(int ok, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  if (ok) {
    t_pass++;
  } else {
    t_fail++;
    fputs("FAIL: ", stdout);
    vprintf(fmt, ap);
    fputc('\n', stdout);
    fflush(stdout);
  }
  va_end(ap);
}

static inline int t_report(const char *what) {
  printf("%s: %d passed, %d failed\n", what, t_pass, t_fail);
  return t_fail ? 1 : 0;
}

/* A fresh directory under $TMPDIR (or /tmp); removed by t_rmdir. */
static inline char *t_mkdtemp(const char *tag) {
  static char buf[512];
  const char *base = getenv("TMPDIR");
  snprintf(buf, sizeof buf, "%s/qr_%s_XXXXXX", base && *base ? base : "/tmp", tag);
  if (!mkdtemp(buf)) {
    perror("mkdtemp");
    exit(1);
  }
  return buf;
}

/* Number of entries in dir (files left behind), then optionally remove them. */
static inline int t_dir_count(const char *dir, int remove_all) {
  DIR *d = opendir(dir);
  int n = 0;
  if (!d) return -1;
  struct dirent *e;
  char path[1024];
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    n++;
    if (remove_all) {
      snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
      unlink(path);
    }
  }
  closedir(d);
  return n;
}

static inline void t_rmdir(const char *dir) {
  t_dir_count(dir, 1);
  rmdir(dir);
}

static inline int t_file_exists(const char *p) {
  struct stat st;
  return stat(p, &st) == 0;
}

/* Whole file into malloc'd memory; NULL if unreadable. */
static inline unsigned char *t_read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  unsigned char *b = malloc(n > 0 ? (size_t)n : 1);
  *len = fread(b, 1, (size_t)(n > 0 ? n : 0), f);
  fclose(f);
  return b;
}

/* A metadata_props value of a built model, or NULL. */
static inline const char *t_meta(ob_model *m, const char *key) {
  Onnx__ModelProto *p = ob_proto(m);
  for (size_t i = 0; i < p->n_metadata_props; i++)
    if (!strcmp(p->metadata_props[i]->key, key)) return p->metadata_props[i]->value;
  return NULL;
}

/* Input sampling as the model's metadata asks: uniform in [lo, hi], integers
 * only (and +-1 for a bipolar input) when qonnx-rtl.input_integer is set. */
typedef struct t_input_spec {
  double lo, hi;
  int integer;
} t_input_spec;

static inline t_input_spec t_input_spec_of(ob_model *m) {
  t_input_spec s = {0, 1, 0};
  const char *r = t_meta(m, "qonnx-rtl.input_range");
  if (r) sscanf(r, "%lf,%lf", &s.lo, &s.hi);
  const char *i = t_meta(m, "qonnx-rtl.input_integer");
  s.integer = i && !strcmp(i, "1");
  return s;
}

static uint64_t t_rng_state = 0x1234;
static inline double t_uniform(void) {
  uint64_t z = (t_rng_state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return (double)(z >> 11) * 0x1.0p-53;
}

static inline ir_buf *t_make_input(ir_arena *a, const ir_tensor *t, t_input_spec s, bool bipolar) {
  ir_buf *b = ir_buf_new(a, IR_F32, ONNX_FLOAT, t->rank, t->dims);
  for (int64_t k = 0; b && k < b->n; k++) {
    double v = s.lo + (s.hi - s.lo) * t_uniform();
    if (s.integer) v = floor(s.lo + (s.hi - s.lo + 1) * t_uniform());
    if (s.integer && v > s.hi) v = s.hi;
    if (bipolar) v = t_uniform() < 0.5 ? -1 : 1;
    b->f[k] = (float)v;
  }
  return b;
}

/* Write m to dir/name, load and clean it up; NULL (after a FAIL) on error. */
static inline ir_graph *t_write_load(ob_model *m, const char *dir, const char *name) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  if (ob_write(m, path) < 0) {
    check(0, "%s: cannot write", name);
    return NULL;
  }
  ir_graph *g = fe_load(path);
  check(g != NULL, "%s: loads", name);
  if (!g) return NULL;
  int rc = fe_cleanup(g);
  check(rc == 0, "%s: cleans up", name);
  if (rc) {
    ir_graph_free(g);
    return NULL;
  }
  return g;
}

/* Run qonnx-rtl with args; its stdout into a malloc'd string (*out), exit
 * status returned (-1 if it could not run). */
static inline int t_run(char **out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline int t_run(char **out, const char *fmt, ...) {
  char cmd[4096];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(cmd, sizeof cmd, fmt, ap);
  va_end(ap);
  FILE *p = popen(cmd, "r");
  if (!p) return -1;
  size_t cap = 1 << 16, len = 0;
  char *buf = malloc(cap);
  size_t k;
  while ((k = fread(buf + len, 1, cap - len - 1, p)) > 0) {
    len += k;
    if (cap - len < 2) buf = realloc(buf, cap *= 2);
  }
  buf[len] = 0;
  int st = pclose(p);
  if (out) *out = buf;
  else free(buf);
  return st == -1 ? -1 : WEXITSTATUS(st);
}

#endif
