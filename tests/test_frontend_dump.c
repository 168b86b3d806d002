/* test_frontend_dump.c - golden-file test of ir_dump (what --dump-after
 * prints): a small model built here, after load and after cleanup, and the
 * real TFC_1W1A after load, compared byte for byte with tests/dump/NAME.ir
 * (after cleanup without the inferred dtypes, which dtype_infer's tests own).
 *
 *   test_frontend_dump GOLDEN_DIR SHARED_DIR [--update]
 *
 * --update rewrites the golden files (review the diff before committing).
 * The TFC case is skipped with a message when the shared model is absent. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontend/frontend.h"
#include "frontend/onnx_build.h"

static int update;

static ir_graph *small_model(void) {
  ob_model *m = ob_new("small");
  ob_opset(m, "", 13);
  ob_opset(m, "qonnx.custom_op.general", 1);
  ob_input(m, "x", ONNX_FLOAT, 4, (int64_t[]){1, 2, 2, 2});
  ob_output(m, "y", ONNX_FLOAT, 2, (int64_t[]){1, 3});
  float w[24];
  for (int i = 0; i < 24; i++) w[i] = (float)(i % 5) - 2.0f;
  ob_init_f32(m, "w", 2, (int64_t[]){8, 3}, w);
  ob_init_scalar_f32(m, "s", 0.5f);
  ob_init_scalar_f32(m, "z", 0.0f);
  ob_init_scalar_f32(m, "b", 2.0f);
  ob_init_i64(m, "zero", 0, NULL, (int64_t[]){0});
  ob_init_i64(m, "axes", 1, (int64_t[]){1}, (int64_t[]){0});
  Onnx__NodeProto *c = ob_node(m, "", "Constant", "", "", "minus1");
  ob_attr_tensor(m, c, "value", ob_tensor_i64(m, "", 1, (int64_t[]){1}, (int64_t[]){-1}));
  ob_node(m, "", "Shape", "", "x", "shp");
  ob_node(m, "", "Gather", "", "shp,zero", "n");
  ob_node(m, "", "Unsqueeze", "", "n,axes", "n1");
  Onnx__NodeProto *cc = ob_node(m, "", "Concat", "", "n1,minus1", "newshape");
  ob_attr_int(m, cc, "axis", 0);
  ob_node(m, "", "Reshape", "", "x,newshape", "flat");
  Onnx__NodeProto *q = ob_node(m, "", "Quant", "qonnx.custom_op.general", "w,s,z,b", "qw");
  ob_attr_int(m, q, "signed", 1);
  ob_attr_int(m, q, "narrow", 1);
  ob_attr_str(m, q, "rounding_mode", "ROUND");
  ob_node(m, "", "MatMul", "", "flat,qw", "mm");
  ob_node(m, "", "Relu", "", "mm", "y");
  ob_annotate(m, "x", "finn_datatype", "UINT8");
  size_t len = 0;
  uint8_t *p = ob_pack(m, &len);
  ir_graph *g = p ? fe_load_bytes("small.onnx", p, len) : NULL;
  ob_free(m);
  return g;
}

/* Datatype inference (ir/dtype_infer.c) has its own tests; the cleanup golden
 * file checks folding and shapes, so inferred (not annotated) dtypes are
 * dropped before the dump. */
static void forget_inferred_dtypes(ir_graph *g) {
  for (int i = 0; i < g->ntensors; i++)
    if (!g->tensors[i]->dtype_annotated) g->tensors[i]->dtype = (ir_dtype){0};
}

static char *dump_str(const ir_graph *g) {
  char *s = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&s, &n);
  if (!f) return NULL;
  ir_dump(g, f);
  fclose(f);
  return s;
}

static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  rewind(f);
  char *s = malloc((size_t)n + 1);
  if (s && fread(s, 1, (size_t)n, f) != (size_t)n) n = 0;
  if (s) s[n] = 0;
  fclose(f);
  return s;
}

/* Compare with the golden file; on a difference print the first differing line. */
static int compare(const char *dir, const char *name, const ir_graph *g) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s.ir", dir, name);
  char *got = dump_str(g);
  if (!got) return -1;
  int rc = 0;
  if (update) {
    FILE *f = fopen(path, "w");
    rc = f && fputs(got, f) >= 0 ? 0 : -1;
    if (f) fclose(f);
    printf("%s %s: wrote %s\n", rc ? "FAIL" : "ok  ", name, path);
  } else {
    char *want = slurp(path);
    if (!want) {
      printf("FAIL %s: no golden file %s (run with --update)\n", name, path);
      rc = -1;
    } else if (strcmp(want, got)) {
      int line = 1;
      size_t k = 0;
      while (want[k] && want[k] == got[k]) line += want[k++] == '\n';
      printf("FAIL %s: dump differs from %s at line %d\n", name, path, line);
      rc = -1;
    } else {
      int lines = 0;
      for (char *c = got; *c; c++) lines += *c == '\n';
      printf("ok   %s: %d lines as in %s\n", name, lines, path);
    }
    free(want);
  }
  free(got);
  return rc;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: test_frontend_dump GOLDEN_DIR SHARED_DIR [--update]\n");
    return 2;
  }
  update = argc > 3 && !strcmp(argv[3], "--update");
  int failed = 0, passed = 0;
  ir_graph *g = small_model();
  if (!g) {
    printf("FAIL small: does not load\n");
    return 1;
  }
  if (compare(argv[1], "small.load", g)) failed++;
  else passed++;
  if (fe_cleanup(g)) {
    printf("FAIL small: cleanup\n");
    failed++;
  } else if (forget_inferred_dtypes(g), compare(argv[1], "small.cleanup", g)) {
    failed++;
  } else {
    passed++;
  }
  ir_graph_free(g);
  char path[4096];
  snprintf(path, sizeof path, "%s/models/mnist-tfc/TFC_1W1A.onnx", argv[2]);
  FILE *probe = fopen(path, "rb");
  if (!probe) {
    printf("SKIP TFC_1W1A.load: %s not present\n", path);
  } else {
    fclose(probe);
    g = fe_load(path);
    /* ir_dump does not print the path, so the golden file fits any checkout. */
    if (!g || compare(argv[1], "TFC_1W1A.load", g)) failed++;
    else passed++;
    ir_graph_free(g);
  }
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
