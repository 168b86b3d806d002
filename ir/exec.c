/* exec.c - the golden executor (ir_execute: every live node in order, QONNX
 * float32 semantics) and the `qonnx-rtl exec` command: load + cleanup + execute,
 * with a batch dimension run item by item, outputs written atomically. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "frontend/frontend.h"
#include "ir/ir.h"
#include "ir/ops_util.h"

/* ------------------------------------------------------------ executor -- */

/* Does value b fit graph input t (rank equal, known dims equal)? */
static int check_input(const ir_graph *g, const ir_tensor *t, const ir_buf *b) {
  bool ok = t->rank < 0 || t->rank == b->rank;
  for (int d = 0; ok && t->rank >= 0 && d < t->rank; d++)
    if (t->dims[d] >= 0 && t->dims[d] != b->dims[d]) ok = false;
  if (ok) return 0;
  ir_arena *a = g->arena;
  return ir_errorf(g->file, NULL, "input '%s' has shape %s but the model expects %s", t->name,
                   ou_shape_str(a, b->rank, b->dims), ou_shape_str(a, t->rank, t->dims));
}

/* The value converted to the graph input's storage (uint8 images for a float
 * input, float files holding integers for an integer input); NULL after an error. */
static ir_buf *convert_input(ir_exec_ctx *ctx, const ir_tensor *t, ir_buf *b) {
  int want = ir_store_of(t->onnx_type);
  if (t->onnx_type == ONNX_UNDEFINED || want < 0 || (ir_store)want == b->store) return b;
  ir_buf *c = ir_buf_new(ctx->arena, (ir_store)want, t->onnx_type, b->rank, b->dims);
  if (!c) {
    ir_errorf(ctx->g->file, NULL, "input '%s' is too large", t->name);
    return NULL;
  }
  for (int64_t k = 0; k < b->n; k++) {
    if (want == IR_F32) {
      c->f[k] = (float)b->i[k];
      continue;
    }
    float v = b->f[k];
    if (!(v == (float)(int64_t)v)) {
      ir_errorf(ctx->g->file, NULL, "input '%s' is %s but holds %g at index %lld", t->name,
                ir_onnx_type_name(t->onnx_type), (double)v, (long long)k);
      return NULL;
    }
    c->i[k] = (int64_t)v;
  }
  return c;
}

int ir_execute(ir_exec_ctx *ctx, const ir_graph *g, ir_buf *const *inputs, ir_buf **outputs,
               ir_buf **all) {
  ctx->g = g;
  ir_buf **vals = ir_alloc_array(ctx->arena, (size_t)(g->ntensors ? g->ntensors : 1),
                                 sizeof(ir_buf *));
  for (int i = 0; i < g->ninputs; i++) {
    const ir_tensor *t = g->inputs[i];
    if (!inputs[i]) return ir_errorf(g->file, NULL, "no value for input '%s'", t->name);
    if (check_input(g, t, inputs[i])) return -1;
    if (!(vals[t->id] = convert_input(ctx, t, inputs[i]))) return -1;
  }
  ir_node **live = ir_alloc_array(ctx->arena, (size_t)(g->nnodes ? g->nnodes : 1),
                                  sizeof(ir_node *));
  int nlive = 0;
  for (int k = 0; k < g->nnodes; k++)
    if (!g->nodes[k]->dead) live[nlive++] = g->nodes[k];
  if (ir_exec_nodes(ctx, live, nlive, vals)) return -1;
  for (int o = 0; o < g->noutputs; o++) {
    const ir_tensor *t = g->outputs[o];
    outputs[o] = vals[t->id] ? vals[t->id] : t->init;
    if (!outputs[o]) return ir_errorf(g->file, NULL, "output '%s' was not computed", t->name);
  }
  if (all)
    for (int k = 0; k < g->ntensors; k++)
      all[k] = vals[k] ? vals[k] : g->tensors[k]->init;
  return 0;
}

/* --------------------------------------------------------- exec command -- */

static const char exec_usage[] =
    "usage: qonnx-rtl exec MODEL.onnx -i IN.npy|IN.pb [-i IN2 ...] -o OUT.npy [-o OUT2.npy ...]\n"
    "                      [--all-outputs DIR]\n"
    "\n"
    "Run the golden executor (QONNX float32 semantics) on MODEL: load, clean up,\n"
    "execute.  Give one -i per graph input, in the model's input order (.npy, or an\n"
    "ONNX TensorProto .pb).  An input with an extra leading batch dimension N where\n"
    "the model expects 1 runs N times; the outputs are stacked.  One -o per graph\n"
    "output in order (float32 outputs as <f4, integer ones as <i8).\n"
    "\n"
    "  --all-outputs DIR   also write every computed tensor as DIR/<tensor>.npy\n"
    "                      (DIR must not exist or be empty)\n"
    "  -h, --help          this text\n"
    "\n"
    "Outputs are written atomically; on any error nothing is left behind.\n";

#define MAX_IO 64

typedef struct exec_args {
  const char *model;
  const char *in[MAX_IO];
  int nin;
  const char *out[MAX_IO];
  int nout;
  const char *all_dir;
} exec_args;

static int usage_error(const char *msg, const char *arg) {
  fprintf(stderr, "qonnx-rtl: exec: error: %s%s%s (try 'qonnx-rtl exec --help')\n", msg,
          arg ? " " : "", arg ? arg : "");
  return 2;
}

/* 0 ok, 2 usage error, -1 --help printed. */
static int parse_args(int argc, char **argv, exec_args *a) {
  memset(a, 0, sizeof *a);
  for (int i = 1; i < argc; i++) {
    const char *s = argv[i];
    if (!strcmp(s, "-h") || !strcmp(s, "--help")) {
      fputs(exec_usage, stdout);
      return -1;
    }
    bool has_val = i + 1 < argc;
    if (!strcmp(s, "-i") || !strcmp(s, "-o") || !strcmp(s, "--all-outputs")) {
      if (!has_val) return usage_error("missing value after", s);
      const char *v = argv[++i];
      if (s[1] == 'i') {
        if (a->nin == MAX_IO) return usage_error("too many -i", NULL);
        a->in[a->nin++] = v;
      } else if (s[1] == 'o') {
        if (a->nout == MAX_IO) return usage_error("too many -o", NULL);
        a->out[a->nout++] = v;
      } else {
        if (a->all_dir) return usage_error("--all-outputs given twice", NULL);
        a->all_dir = v;
      }
    } else if (!strncmp(s, "--all-outputs=", 14)) {
      a->all_dir = s + 14;
    } else if (s[0] == '-' && s[1]) {
      return usage_error("unknown option", s);
    } else if (!a->model) {
      a->model = s;
    } else {
      return usage_error("unexpected argument", s);
    }
  }
  if (!a->model) return usage_error("no model given", NULL);
  if (!a->nin) return usage_error("no input given (-i)", NULL);
  if (!a->nout && !a->all_dir) return usage_error("no output given (-o or --all-outputs)", NULL);
  return 0;
}

/* --all-outputs DIR must not exist, or be an empty directory (rename onto it). */
static int check_out_dir(const char *dir) {
  struct stat st;
  if (stat(dir, &st)) return errno == ENOENT ? 0 : ir_errorf(dir, NULL, "%s", strerror(errno));
  if (!S_ISDIR(st.st_mode)) return ir_errorf(dir, NULL, "exists and is not a directory");
  DIR *d = opendir(dir);
  if (!d) return ir_errorf(dir, NULL, "%s", strerror(errno));
  struct dirent *e;
  int entries = 0;
  while ((e = readdir(d)))
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) entries++;
  closedir(d);
  return entries ? ir_errorf(dir, NULL, "exists and is not empty") : 0;
}

/* Batch size N of input value b for graph input t: 1 when it fits as is, N when
 * b is [N, rest] and t is [1, rest]; 0 (with an error) otherwise. */
static int64_t batch_of(const ir_graph *g, const ir_tensor *t, const ir_buf *b) {
  if (t->rank < 0 || t->rank != b->rank || b->rank == 0) return 1;
  bool rest = true;
  for (int d = 1; d < t->rank; d++)
    if (t->dims[d] >= 0 && t->dims[d] != b->dims[d]) rest = false;
  if (rest && t->dims[0] == 1 && b->dims[0] > 1) return b->dims[0];
  if (check_input(g, t, b)) return 0;
  return 1;
}

/* Item k of a batch of n along axis 0 (a view, no copy). */
static ir_buf *batch_item(ir_arena *a, const ir_buf *b, int64_t n, int64_t k) {
  if (n == 1) return (ir_buf *)b;
  ir_buf *v = ir_alloc(a, sizeof *v);
  *v = *b;
  v->dims[0] = 1;
  v->n = b->n / n;
  if (b->store == IR_F32)
    v->f = b->f + k * v->n;
  else
    v->i = b->i + k * v->n;
  return v;
}

/* Copy item k of n into the stacked result *dst (allocated at k == 0 in a):
 * [1, rest] items stack to [n, rest]; other shapes get a new leading axis n. */
static int stack_item(ir_arena *a, const char *file, const char *name, ir_buf **dst,
                      const ir_buf *item, int64_t n, int64_t k) {
  if (n == 1) {
    *dst = ir_buf_clone(a, item);
    return *dst ? 0 : ir_errorf(file, NULL, "tensor '%s' is too large", name);
  }
  if (k == 0) {
    int64_t dims[IR_MAX_RANK];
    int rank = item->rank;
    if (rank > 0 && item->dims[0] == 1) {
      memcpy(dims, item->dims, sizeof dims);
      dims[0] = n;
    } else {
      if (rank == IR_MAX_RANK) return ir_errorf(file, NULL, "tensor '%s': rank too high to stack", name);
      dims[0] = n;
      memcpy(dims + 1, item->dims, (size_t)rank * sizeof dims[0]);
      rank++;
    }
    *dst = ir_buf_new(a, item->store, item->onnx_type, rank, dims);
    if (!*dst) return ir_errorf(file, NULL, "tensor '%s' is too large to stack", name);
  }
  ir_buf *d = *dst;
  if (item->n * n != d->n || item->store != d->store)
    return ir_errorf(file, NULL, "tensor '%s' changes shape between batch items", name);
  if (d->store == IR_F32)
    memcpy(d->f + k * item->n, item->f, (size_t)item->n * sizeof(float));
  else
    memcpy(d->i + k * item->n, item->i, (size_t)item->n * sizeof(int64_t));
  return 0;
}

/* A file name from a tensor name: [A-Za-z0-9._-] kept, the rest '_'; made
 * unique with the tensor id when two names collide. */
static const char *file_name(ir_arena *a, const ir_graph *g, int id) {
  const char *name = g->tensors[id]->name;
  char *s = ir_strdup(a, *name ? name : "tensor");
  for (char *p = s; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
          *p == '.' || *p == '-' || *p == '_'))
      *p = '_';
  if (s[0] == '.') s[0] = '_';
  return s;
}

static void remove_tree(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) return;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    unlink(path);
  }
  closedir(d);
  rmdir(dir);
}

/* Every tensor with a value into a fresh directory renamed to dir at the end. */
static int write_all(ir_arena *a, const ir_graph *g, ir_buf **all, const char *dir) {
  char *tmp = ir_sprintf(a, "%s.tmp.XXXXXX", dir);
  if (!mkdtemp(tmp)) return ir_errorf(dir, NULL, "cannot create: %s", strerror(errno));
  const char **names = ir_alloc_array(a, (size_t)g->ntensors + 1, sizeof(char *));
  for (int k = 0; k < g->ntensors; k++) {
    if (!all[k]) continue;
    const char *fn = file_name(a, g, k);
    for (int j = 0; j < k; j++)
      if (names[j] && !strcmp(names[j], fn)) fn = ir_sprintf(a, "%s_%d", fn, k);
    names[k] = fn;
    if (fe_write_npy(ir_sprintf(a, "%s/%s.npy", tmp, fn), all[k])) {
      remove_tree(tmp);
      return -1;
    }
  }
  if (rename(tmp, dir)) {
    int e = errno;
    remove_tree(tmp);
    return ir_errorf(dir, NULL, "cannot create: %s", strerror(e));
  }
  return 0;
}

/* Run all batch items; results (stacked) into outs[] and, if wanted, all[]. */
static int run_batches(ir_arena *keep, const ir_graph *g, ir_buf **in, const int64_t *ib,
                       int64_t nb, ir_buf **outs, ir_buf **all) {
  ir_arena *run = ir_arena_new();
  ir_buf **item_in = ir_alloc_array(keep, (size_t)g->ninputs + 1, sizeof(ir_buf *));
  ir_buf **item_out = ir_alloc_array(keep, (size_t)g->noutputs + 1, sizeof(ir_buf *));
  ir_buf **item_all = all ? ir_alloc_array(keep, (size_t)g->ntensors + 1, sizeof(ir_buf *)) : NULL;
  int rc = 0;
  for (int64_t k = 0; k < nb && !rc; k++) {
    ir_arena_reset(run);
    ir_exec_ctx ctx = {run, g};
    for (int i = 0; i < g->ninputs; i++)
      item_in[i] = batch_item(run, in[i], ib[i], ib[i] == 1 ? 0 : k);
    rc = ir_execute(&ctx, g, item_in, item_out, item_all);
    for (int o = 0; !rc && o < g->noutputs; o++)
      rc = stack_item(keep, g->file, g->outputs[o]->name, &outs[o], item_out[o], nb, k);
    for (int t = 0; !rc && all && t < g->ntensors; t++)
      if (item_all[t] && !g->tensors[t]->init)
        rc = stack_item(keep, g->file, g->tensors[t]->name, &all[t], item_all[t], nb, k);
  }
  ir_arena_free(run);
  return rc;
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Inputs read and matched to the graph; each one's batch size into ib[], the
 * common one into *nb.  -1 on error. */
static int read_inputs(ir_arena *a, const ir_graph *g, const exec_args *ea, ir_buf **in,
                       int64_t *ib, int64_t *nb) {
  if (ea->nin != g->ninputs)
    return ir_errorf(g->file, NULL, "the model has %d input(s), %d given with -i", g->ninputs,
                     ea->nin);
  *nb = 1;
  for (int i = 0; i < g->ninputs; i++) {
    if (!(in[i] = fe_read_tensor(a, ea->in[i]))) return -1;
    int64_t n = ib[i] = batch_of(g, g->inputs[i], in[i]);
    if (n == 0) return -1;
    if (n > 1 && *nb > 1 && n != *nb)
      return ir_errorf(g->file, NULL, "inputs disagree on the batch size (%lld and %lld)",
                       (long long)*nb, (long long)n);
    if (n > 1) *nb = n;
  }
  return 0;
}

static int write_outputs(const exec_args *ea, ir_buf **outs) {
  for (int o = 0; o < ea->nout; o++) {
    if (fe_write_npy(ea->out[o], outs[o]) == 0) continue;
    for (int j = 0; j < o; j++) unlink(ea->out[j]); /* all or nothing */
    return -1;
  }
  return 0;
}

static int exec_model(const exec_args *ea) {
  double t0 = now_ms();
  ir_graph *g = fe_load(ea->model);
  if (!g || fe_cleanup(g)) {
    ir_graph_free(g);
    return 1;
  }
  ir_arena *a = ir_arena_new();
  ir_buf **in = ir_alloc_array(a, (size_t)g->ninputs + 1, sizeof(ir_buf *));
  int64_t *ib = ir_alloc_array(a, (size_t)g->ninputs + 1, sizeof(int64_t));
  ir_buf **outs = ir_alloc_array(a, (size_t)g->noutputs + 1, sizeof(ir_buf *));
  ir_buf **all = ea->all_dir ? ir_alloc_array(a, (size_t)g->ntensors + 1, sizeof(ir_buf *)) : NULL;
  int64_t nb = 1;
  int rc = -1;
  if (ea->nout > g->noutputs)
    ir_errorf(g->file, NULL, "the model has %d output(s), %d given with -o", g->noutputs, ea->nout);
  else if ((!ea->all_dir || check_out_dir(ea->all_dir) == 0) && !read_inputs(a, g, ea, in, ib, &nb)) {
    double t1 = now_ms();
    rc = run_batches(a, g, in, ib, nb, outs, all);
    double t2 = now_ms();
    if (!rc) rc = write_outputs(ea, outs);
    if (!rc && all) {
      for (int i = 0; i < g->ninputs; i++) all[g->inputs[i]->id] = in[i];
      if (write_all(a, g, all, ea->all_dir)) {
        for (int o = 0; o < ea->nout; o++) unlink(ea->out[o]); /* all or nothing */
        rc = -1;
      }
    }
    if (!rc && ir_verbosity >= 2)
      ir_progress("exec: %s: %d node(s), batch %lld, load+cleanup %.1f ms, run %.1f ms",
                  g->file, g->nnodes, (long long)nb, t1 - t0, t2 - t1);
  }
  ir_arena_free(a);
  ir_graph_free(g);
  return rc ? 1 : 0;
}

int qr_cmd_exec(int argc, char **argv) {
  exec_args ea;
  int r = parse_args(argc, argv, &ea);
  if (r) return r < 0 ? 0 : r;
  return exec_model(&ea);
}
