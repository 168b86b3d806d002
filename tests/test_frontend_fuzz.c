/* test_frontend_fuzz.c - the loader and cleanup on mutated models never
 * crash, and every rejection prints exactly one error line.
 *
 * Seeds: a small QONNX model built here (Constant with a tensor attribute,
 * a Shape/Gather/Unsqueeze/Concat/Reshape chain, Quant on weights, MatMul,
 * Relu) and, if present, ../shared/models/mnist-tfc/TFC_2W2A.onnx.  Each
 * round applies a few deterministic random mutations (bit flips, byte
 * overwrites, truncation, duplicated spans) and runs fe_load_bytes() and, if
 * that succeeds, fe_cleanup().  stderr goes to a temporary file so its lines
 * can be counted per round.  Run under the Sanitize build type for the
 * memory checks; the line counting and crash freedom are checked always. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontend/fe_priv.h"
#include "frontend/onnx_build.h"

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t next(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

static uint8_t *seed_model(ir_arena *a, size_t *len) {
  ob_model *m = ob_new("fuzz");
  ob_opset(m, "", 13);
  ob_opset(m, "qonnx.custom_op.general", 1);
  ob_input(m, "x", ONNX_FLOAT, 4, (int64_t[]){1, 2, 2, 2});
  ob_output(m, "y", ONNX_FLOAT, 2, (int64_t[]){1, 3});
  float w[24];
  for (int i = 0; i < 24; i++) w[i] = (float)(i % 7) - 3.0f;
  ob_init_f32(m, "w", 2, (int64_t[]){8, 3}, w);
  ob_init_scalar_f32(m, "s", 0.5f);
  ob_init_scalar_f32(m, "z", 0.0f);
  ob_init_scalar_f32(m, "b", 4.0f);
  ob_init_i64(m, "idx", 0, NULL, (int64_t[]){0});
  Onnx__NodeProto *c = ob_node(m, "Const_0", "Constant", "", "", "minus1");
  ob_attr_tensor(m, c, "value", ob_tensor_i64(m, "", 1, (int64_t[]){1}, (int64_t[]){-1}));
  ob_node(m, "Shape_1", "Shape", "", "x", "shp");
  ob_node(m, "Gather_2", "Gather", "", "shp,idx", "n");
  Onnx__NodeProto *u = ob_node(m, "Unsqueeze_3", "Unsqueeze", "", "n,axes", "n1");
  (void)u;
  ob_init_i64(m, "axes", 1, (int64_t[]){1}, (int64_t[]){0});
  Onnx__NodeProto *cc = ob_node(m, "Concat_4", "Concat", "", "n1,minus1", "newshape");
  ob_attr_int(m, cc, "axis", 0);
  ob_node(m, "Reshape_5", "Reshape", "", "x,newshape", "flat");
  Onnx__NodeProto *q = ob_node(m, "Quant_6", "Quant", "qonnx.custom_op.general",
                               "w,s,z,b", "qw");
  ob_attr_int(m, q, "signed", 1);
  ob_node(m, "MatMul_7", "MatMul", "", "flat,qw", "mm");
  ob_node(m, "Relu_8", "Relu", "", "mm", "y");
  size_t n = 0;
  uint8_t *p = ob_pack(m, &n);
  uint8_t *copy = p ? ir_alloc(a, n) : NULL;
  if (copy) memcpy(copy, p, n);
  ob_free(m);
  *len = n;
  return copy;
}

static size_t mutate(const uint8_t *src, size_t len, uint8_t *dst, size_t cap) {
  size_t n = len < cap ? len : cap;
  memcpy(dst, src, n);
  int count = 1 + (int)(next() % 4);
  for (int k = 0; k < count && n; k++) {
    size_t at = next() % n;
    switch (next() % 5) {
    case 0: dst[at] ^= (uint8_t)(1u << (next() % 8)); break;
    case 1: dst[at] = (uint8_t)next(); break;
    case 2: n = at; break; /* truncate */
    case 3: { /* duplicate a span */
      size_t span = 1 + next() % 16;
      if (at + span <= n && n + span <= cap) {
        memmove(dst + at + span, dst + at, n - at);
        n += span;
      }
      break;
    }
    default: dst[at] = (uint8_t)(next() % 2 ? 0xff : 0x00); break;
    }
  }
  return n;
}

static long lines_in(FILE *f, long *warnings) {
  fflush(f);
  rewind(f);
  long lines = 0;
  *warnings = 0;
  char buf[4096];
  while (fgets(buf, sizeof buf, f)) {
    if (strstr(buf, ": warning: ")) (*warnings)++;
    else lines++;
  }
  return lines;
}

static int fuzz(const char *label, const uint8_t *seed, size_t len, int rounds, FILE *log) {
  size_t cap = len + 4096;
  uint8_t *buf = malloc(cap);
  int loaded = 0, cleaned = 0, rejected = 0, bad = 0;
  for (int r = 0; r < rounds && buf; r++) {
    size_t n = mutate(seed, len, buf, cap);
    if (!freopen(NULL, "w+", stderr)) return -1;
    ir_graph *g = fe_load_bytes("fuzz.onnx", buf, n);
    int failed = !g;
    if (g) {
      loaded++;
      if (fe_cleanup(g)) failed = 1;
      else cleaned++;
    }
    rejected += failed;
    long warnings, lines = lines_in(stderr, &warnings);
    if (lines != failed) {
      fprintf(log, "FAIL %s round %d: %s with %ld error lines:\n", label, r,
              failed ? "rejected" : "accepted", lines);
      rewind(stderr);
      char line[4096];
      while (fgets(line, sizeof line, stderr)) fprintf(log, "    %s", line);
      bad++;
    }
    ir_graph_free(g);
  }
  free(buf);
  fprintf(log, "%s %s: %d rounds: %d loaded, %d cleaned up, %d rejected, %d with a wrong "
          "number of error lines\n", bad ? "FAIL" : "ok  ", label, rounds, loaded, cleaned,
          rejected, bad);
  return bad ? -1 : 0;
}

int main(int argc, char **argv) {
  const char *shared = argc > 1 ? argv[1] : "../shared";
  int rounds = argc > 2 ? atoi(argv[2]) : 3000;
  FILE *log = stdout;
  setvbuf(log, NULL, _IOLBF, 0);
  if (!freopen("test_frontend_fuzz.stderr", "w+", stderr)) return 1;
  ir_arena *a = ir_arena_new();
  size_t len = 0;
  int failed = 0;
  uint8_t *seed = seed_model(a, &len);
  if (!seed) {
    printf("FAIL: could not build the seed model\n");
    return 1;
  }
  /* The unmutated seed must load and clean up. */
  ir_graph *g = fe_load_bytes("seed.onnx", seed, len);
  if (!g || fe_cleanup(g)) {
    printf("FAIL: the seed model itself does not load and clean up\n");
    return 1;
  }
  printf("ok   seed model: %d bytes, %d nodes after cleanup\n", (int)len, g->nnodes);
  ir_graph_free(g);
  failed += fuzz("built model", seed, len, rounds, log) != 0;
  char path[4096];
  snprintf(path, sizeof path, "%s/models/mnist-tfc/TFC_2W2A.onnx", shared);
  size_t tlen = 0;
  uint8_t *tfc = NULL;
  FILE *probe = fopen(path, "rb");
  if (probe) {
    fclose(probe);
    tfc = fe_read_file(a, path, &tlen);
  }
  if (tfc) failed += fuzz("TFC_2W2A", tfc, tlen, rounds / 3, log) != 0;
  else printf("SKIP TFC_2W2A: %s not present\n", path);
  ir_arena_free(a);
  printf("%d passed, %d failed\n", (tfc ? 2 : 1) - failed, failed);
  return failed ? 1 : 0;
}
