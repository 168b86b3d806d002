/* test_onnx_nodes.c - runs ONNX's own backend node tests (Debian libonnx-testdata:
 * DIR/<test>/model.onnx + test_data_set_0/{input,output}_N.pb) through our
 * loader, cleanup and golden executor, and compares every output.
 *
 * A test runs when every node's (domain, op_type) is in our op registry.  It is
 * skipped, with the reason printed, when it uses an op we do not register, an
 * element type we do not hold (float64, float16, bfloat16, string, uint64, ...),
 * a non-tensor value (sequence, optional), or a feature listed in `features`
 * below (each a real unsupported feature, not a failure in disguise).  The
 * reasons are decided from the model file alone, before our code runs.
 *
 * Comparison: float outputs with ONNX's backend-test tolerance
 * |got - want| <= atol + rtol * |want|, rtol = 1e-3, atol = 1e-7 (the largest
 * relative error seen, |want| floored at 1e-3, is reported too); integer and
 * bool outputs exactly.  The
 * shape rule's inferred output shape, when fully known, must equal the shape
 * the executor produced.
 *
 * Usage: test_onnx_nodes [DIR] [NAME-SUBSTRING]   (exit 77 if DIR is absent) */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "frontend/frontend.h"
#include "ir/ir.h"
#include "onnx.pb-c.h"

#define DEFAULT_DIR "/usr/share/libonnx-testdata/data/node"
#define RTOL 1e-3
#define ATOL 1e-7
/* frontend/check.c rejects default-domain opsets below this */
#define LOADER_OPSET_MIN 7

/* ---------------------------------------------- reading the model file -- */

static uint8_t *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  uint8_t *buf = NULL;
  size_t cap = 0, n = 0;
  for (;;) {
    if (n == cap) {
      cap = cap ? cap * 2 : 1 << 16;
      uint8_t *nb = realloc(buf, cap);
      if (!nb) break;
      buf = nb;
    }
    size_t k = fread(buf + n, 1, cap - n, f);
    n += k;
    if (k == 0) break;
  }
  fclose(f);
  *len = n;
  return buf;
}

/* ONNX element type name, also for the types ir_onnx_type_name does not know. */
static const char *type_name(int t) {
  static const char *const more[] = {"complex64", "complex128", "bfloat16", "float8e4m3fn",
                                     "float8e4m3fnuz", "float8e5m2", "float8e5m2fnuz",
                                     "uint4", "int4"};
  if (t >= 14 && t < 14 + (int)(sizeof more / sizeof more[0])) return more[t - 14];
  return ir_onnx_type_name(t);
}

/* Element types we can hold: ir_store_of() knows them. */
static bool type_ok(int t) { return t == 0 || ir_store_of(t) >= 0; }

static const Onnx__AttributeProto *attr(const Onnx__NodeProto *nd, const char *name) {
  for (size_t i = 0; i < nd->n_attribute; i++)
    if (!strcmp(nd->attribute[i]->name, name)) return nd->attribute[i];
  return NULL;
}

static bool attr_str_is(const Onnx__NodeProto *nd, const char *name, const char *v) {
  const Onnx__AttributeProto *a = attr(nd, name);
  return a && a->s.len == strlen(v) && !memcmp(a->s.data, v, a->s.len);
}

/* Features of supported ops that we knowingly do not implement: the node
 * matches -> the test is skipped with this reason. */
static const char *unsupported_feature(const Onnx__NodeProto *nd) {
  const Onnx__AttributeProto *a;
  if (!strcmp(nd->op_type, "BatchNormalization") && (a = attr(nd, "training_mode")) &&
      a->i)
    return "BatchNormalization training_mode=1 (inference form only)";
  if (!strcmp(nd->op_type, "Dropout") && nd->n_input >= 3 && nd->input[2][0])
    return "Dropout with a training_mode input (random masks)";
  if (!strcmp(nd->op_type, "Resize") && attr(nd, "antialias"))
    return "Resize antialias";
  if (!strcmp(nd->op_type, "Resize") && attr(nd, "keep_aspect_ratio_policy") &&
      !attr_str_is(nd, "keep_aspect_ratio_policy", "stretch"))
    return "Resize keep_aspect_ratio_policy";
  return NULL;
}

/* Writes why a graph input/output cannot be held into buf; false if it can. */
static bool vi_problem(const Onnx__ValueInfoProto *vi, char *buf, size_t cap) {
  const Onnx__TypeProto *tp = vi->type;
  if (!tp) return false;
  if (tp->value_case != ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE) {
    snprintf(buf, cap, "non-tensor value (sequence/optional/map)");
    return true;
  }
  int t = tp->tensor_type ? tp->tensor_type->elem_type : 0;
  if (type_ok(t)) return false;
  snprintf(buf, cap, "dtype unsupported: %s", type_name(t));
  return true;
}

/* Why this model cannot run here, or NULL.  Also lists its op types in ops. */
static const char *skip_reason(const Onnx__ModelProto *m, char *buf, size_t cap,
                               char *ops, size_t opscap) {
  const Onnx__GraphProto *g = m->graph;
  ops[0] = 0;
  if (!g) return "no graph";
  for (size_t i = 0; i < g->n_node; i++) {
    const Onnx__NodeProto *nd = g->node[i];
    if (!strstr(ops, nd->op_type) && strlen(ops) + strlen(nd->op_type) + 2 < opscap) {
      if (ops[0]) strcat(ops, ",");
      strcat(ops, nd->op_type);
    }
  }
  for (size_t i = 0; i < g->n_node; i++) {
    const Onnx__NodeProto *nd = g->node[i];
    if (!ir_op_lookup(ir_domain_of(nd->domain), nd->op_type)) {
      snprintf(buf, cap, "op unsupported: %s%s%s", nd->domain && *nd->domain ? nd->domain : "",
               nd->domain && *nd->domain ? "." : "", nd->op_type);
      return buf;
    }
  }
  for (size_t i = 0; i < m->n_opset_import; i++) {
    const Onnx__OperatorSetIdProto *op = m->opset_import[i];
    if ((!op->domain || !*op->domain || !strcmp(op->domain, "ai.onnx")) &&
        op->version < LOADER_OPSET_MIN) {
      snprintf(buf, cap, "feature unsupported: opset %lld (the loader accepts %d and up)",
               (long long)op->version, LOADER_OPSET_MIN);
      return buf;
    }
  }
  for (size_t i = 0; i < g->n_input; i++)
    if (vi_problem(g->input[i], buf, cap)) return buf;
  for (size_t i = 0; i < g->n_output; i++)
    if (vi_problem(g->output[i], buf, cap)) return buf;
  for (size_t i = 0; i < g->n_initializer; i++)
    if (!type_ok(g->initializer[i]->data_type)) {
      snprintf(buf, cap, "dtype unsupported: %s",
               type_name(g->initializer[i]->data_type));
      return buf;
    }
  for (size_t i = 0; i < g->n_node; i++) {
    const Onnx__NodeProto *nd = g->node[i];
    const Onnx__AttributeProto *a;
    if ((!strcmp(nd->op_type, "Cast")) && (a = attr(nd, "to")) && !type_ok((int)a->i)) {
      snprintf(buf, cap, "dtype unsupported: Cast to %s", type_name((int)a->i));
      return buf;
    }
    if ((a = attr(nd, "value")) && a->t && !type_ok(a->t->data_type)) {
      snprintf(buf, cap, "dtype unsupported: constant of %s",
               type_name(a->t->data_type));
      return buf;
    }
    const char *f = unsupported_feature(nd);
    if (f) {
      snprintf(buf, cap, "feature unsupported: %s", f);
      return buf;
    }
  }
  return NULL;
}

/* -------------------------------------------- capturing error lines -- */

static FILE *cap_file;
static int cap_saved = -1;

static void capture_begin(void) {
  fflush(stderr);
  cap_file = tmpfile();
  if (!cap_file) return;
  cap_saved = dup(2);
  dup2(fileno(cap_file), 2);
}

/* Stop capturing; the first line printed (if any) into buf. */
static void capture_end(char *buf, size_t cap) {
  buf[0] = 0;
  if (!cap_file) return;
  fflush(stderr);
  dup2(cap_saved, 2);
  close(cap_saved);
  rewind(cap_file);
  if (fgets(buf, (int)cap, cap_file)) buf[strcspn(buf, "\n")] = 0;
  fclose(cap_file);
  cap_file = NULL;
}

/* --------------------------------------------------------- comparing -- */

static const char *shape_str(char *buf, size_t cap, int rank, const int64_t *dims) {
  size_t k = 0;
  k += (size_t)snprintf(buf + k, cap - k, "[");
  for (int i = 0; i < rank && k < cap; i++)
    k += (size_t)snprintf(buf + k, cap - k, "%s%lld", i ? "," : "", (long long)dims[i]);
  if (k < cap) snprintf(buf + k, cap - k, "]");
  return buf;
}

/* Negative control: when set, the first element of every expected output is
 * changed before comparing, so a working comparison must report a failure. */
static bool perturb;

static void perturb_expected(ir_buf *want) {
  if (want->n == 0) { /* empty: only the shape can be wrong */
    want->dims[0]++;
    return;
  }
  if (want->store == IR_F32)
    want->f[0] = isnan(want->f[0]) ? 0.0f : want->f[0] + 0.01f * (1 + fabsf(want->f[0]));
  else
    want->i[0] = want->onnx_type == ONNX_BOOL ? !want->i[0] : want->i[0] + 1;
}

static double test_rel; /* largest relative error in this test's float outputs */

/* 0 if got matches want; else -1 with the reason in why. */
static int compare(const ir_buf *got, const ir_buf *want, char *why, size_t cap) {
  char a[128], b[128];
  if (got->rank != want->rank || memcmp(got->dims, want->dims, sizeof(int64_t) * (size_t)got->rank)) {
    snprintf(why, cap, "shape %s, expected %s", shape_str(a, sizeof a, got->rank, got->dims),
             shape_str(b, sizeof b, want->rank, want->dims));
    return -1;
  }
  if (got->store != want->store || got->onnx_type != want->onnx_type) {
    snprintf(why, cap, "element type %s, expected %s", ir_onnx_type_name(got->onnx_type),
             ir_onnx_type_name(want->onnx_type));
    return -1;
  }
  double rel = 0;
  for (int64_t k = 0; k < got->n; k++) {
    if (got->store == IR_I64) {
      if (got->i[k] != want->i[k]) {
        snprintf(why, cap, "element %lld is %lld, expected %lld", (long long)k,
                 (long long)got->i[k], (long long)want->i[k]);
        return -1;
      }
      continue;
    }
    double x = got->f[k], y = want->f[k];
    if (isnan(x) && isnan(y)) continue;
    if (isinf(y) && x == y) continue;
    double d = fabs(x - y);
    if (!(d <= ATOL + RTOL * fabs(y))) {
      snprintf(why, cap, "element %lld is %.9g, expected %.9g", (long long)k, x, y);
      return -1;
    }
    double r = d / (fabs(y) > 1e-3 ? fabs(y) : 1e-3); /* relative; below 1e-3 absolute*1e3 */
    if (r > rel) rel = r;
  }
  if (rel > test_rel) test_rel = rel;
  return 0;
}

/* The shape rule's view of output t agrees with the value (when fully known). */
static int check_inferred(const ir_tensor *t, const ir_buf *v, char *why, size_t cap) {
  if (t->rank < 0) return 0;
  for (int i = 0; i < t->rank; i++)
    if (t->dims[i] < 0) return 0;
  if (t->rank == v->rank && !memcmp(t->dims, v->dims, sizeof(int64_t) * (size_t)v->rank))
    return 0;
  char a[128], b[128];
  snprintf(why, cap, "shape rule inferred %s for '%s', executor gave %s",
           shape_str(a, sizeof a, t->rank, t->dims), t->name,
           shape_str(b, sizeof b, v->rank, v->dims));
  return -1;
}

/* ------------------------------------------------------- one test -- */

typedef enum { R_PASS, R_FAIL, R_SKIP } result;

static bool exists(const char *p) {
  struct stat st;
  return stat(p, &st) == 0;
}

static result run_test(const char *dir, const char *name, char *why, size_t cap, char *ops,
                       size_t opscap) {
  char path[4096], err[1024];
  snprintf(path, sizeof path, "%s/%s/model.onnx", dir, name);
  size_t len = 0;
  uint8_t *bytes = slurp(path, &len);
  if (!bytes) {
    snprintf(why, cap, "no model.onnx");
    return R_SKIP;
  }
  Onnx__ModelProto *m = onnx__model_proto__unpack(NULL, len, bytes);
  free(bytes);
  if (!m) {
    snprintf(why, cap, "model.onnx does not parse as an ONNX ModelProto");
    return R_FAIL;
  }
  const char *skip = skip_reason(m, why, cap, ops, opscap);
  if (skip && skip != why) snprintf(why, cap, "%s", skip);
  onnx__model_proto__free_unpacked(m, NULL);
  if (skip) return R_SKIP;

  result res = R_FAIL;
  capture_begin();
  ir_arena *vals = ir_arena_new();
  ir_graph *g = fe_load(path);
  if (!g || fe_cleanup(g)) goto done;
  ir_buf *in[64], *out[64], *want;
  int nin = 0;
  for (; nin < 64; nin++) {
    snprintf(path, sizeof path, "%s/%s/test_data_set_0/input_%d.pb", dir, name, nin);
    if (!exists(path)) break;
    if (!(in[nin] = fe_read_tensor_pb(vals, path))) goto done;
  }
  if (nin != g->ninputs) {
    fprintf(stderr, "test data has %d inputs, the graph %d\n", nin, g->ninputs);
    goto done;
  }
  if (g->noutputs > 64) goto done;
  ir_exec_ctx ctx = {vals, g};
  if (ir_execute(&ctx, g, in, out, NULL)) goto done;
  res = R_PASS;
  for (int o = 0; o < g->noutputs && res == R_PASS; o++) {
    snprintf(path, sizeof path, "%s/%s/test_data_set_0/output_%d.pb", dir, name, o);
    if (!(want = fe_read_tensor_pb(vals, path))) {
      res = R_FAIL;
      break;
    }
    char w[512];
    if (perturb) perturb_expected(want);
    if (!out[o] || compare(out[o], want, w, sizeof w) ||
        check_inferred(g->outputs[o], out[o], w, sizeof w)) {
      if (!out[o]) snprintf(w, sizeof w, "no value");
      fprintf(stderr, "output %d ('%s'): %s\n", o, g->outputs[o]->name, w);
      res = R_FAIL;
    }
  }
done:
  capture_end(err, sizeof err);
  if (res == R_FAIL) snprintf(why, cap, "%s", err[0] ? err : "failed without a message");
  ir_arena_free(vals);
  ir_graph_free(g);
  return res;
}

/* --------------------------------------------------------------- main -- */

static int cmp_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : DEFAULT_DIR;
  const char *filter = argc > 2 ? argv[2] : NULL;
  DIR *d = opendir(dir);
  if (!d) {
    printf("SKIP: ONNX node tests not found at %s (%s); install libonnx-testdata\n", dir,
           strerror(errno));
    return 77;
  }
  char **names = NULL;
  size_t n = 0, cap = 0;
  for (struct dirent *e; (e = readdir(d));) {
    if (e->d_name[0] == '.') continue;
    if (filter && !strstr(e->d_name, filter)) continue;
    if (n == cap) {
      cap = cap ? cap * 2 : 256;
      names = realloc(names, cap * sizeof *names);
    }
    names[n++] = strdup(e->d_name);
  }
  closedir(d);
  if (n) qsort(names, n, sizeof *names, cmp_names);
  int pass = 0, fail = 0, skip = 0;
  bool *passed = calloc(n ? n : 1, sizeof *passed);
  double worst = 0;
  const char *worst_name = "-";
  printf("ONNX node tests from %s (float tolerance: rtol %g, atol %g; integers exact)\n",
         dir, RTOL, ATOL);
  for (size_t i = 0; i < n; i++) {
    char why[1200], ops[256];
    test_rel = 0;
    result r = run_test(dir, names[i], why, sizeof why, ops, sizeof ops);
    if (r == R_PASS) {
      pass++;
      passed[i] = true;
      if (test_rel > 0)
        printf("PASS  %-62s %s (max rel err %.2g)\n", names[i], ops, test_rel);
      else
        printf("PASS  %-62s %s\n", names[i], ops);
      if (test_rel > worst) {
        worst = test_rel;
        worst_name = names[i];
      }
    } else if (r == R_SKIP) {
      skip++;
      printf("SKIP  %-62s %s\n", names[i], why);
    } else {
      fail++;
      printf("FAIL  %-62s %s: %s\n", names[i], ops, why);
    }
  }
  printf("largest relative error among passing float outputs: %.3g (%s)\n", worst,
         worst_name);
  /* every passing test must fail once its expected outputs are perturbed */
  int controls = 0, caught = 0;
  perturb = true;
  for (size_t i = 0; i < n; i++) {
    char why[1200], ops[256];
    if (!passed[i]) continue;
    controls++;
    if (run_test(dir, names[i], why, sizeof why, ops, sizeof ops) == R_FAIL)
      caught++;
    else
      printf("FAIL  %-62s negative control: a perturbed expected output still passes\n",
             names[i]);
  }
  perturb = false;
  printf("negative controls: %d of %d passing tests fail with a perturbed expected output\n",
         caught, controls);
  fail += controls - caught;
  for (size_t i = 0; i < n; i++) free(names[i]);
  free(names);
  free(passed);
  printf("%d passed, %d failed, %d skipped\n", pass, fail, skip);
  return fail ? 1 : 0;
}
