/* test_frontend_models.c - every real model in ../shared/models loads and
 * cleans up: node/tensor counts after load agree with the file, after cleanup
 * no foldable op is left, every tensor has a fully known shape, and
 * ir_verify() accepts the graph.  Absent models are skipped with a message;
 * exit 77 (skip) if none is present.
 *   test_frontend_models [SHARED_DIR]
 *   test_frontend_models --shapes MODEL   (prints "name<TAB>d0,d1,..." for every
 *       tensor a live node writes after cleanup; tests/frontend_qonnx_shapes.py
 *       compares that with qonnx's InferShapes) */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "frontend/frontend.h"

typedef struct model {
  const char *path;  /* relative to the shared folder */
  int nodes;         /* nodes in the file */
  int inputs;        /* graph inputs that are not initializers */
  int outputs;
} model;

static const model models[] = {
    {"models/mnist-tfc/TFC_1W1A.onnx", 31, 1, 1},
    {"models/mnist-tfc/TFC_1W2A.onnx", 31, 1, 1},
    {"models/mnist-tfc/TFC_2W2A.onnx", 31, 1, 1},
    {"models/gscv2-kws/kwsmlp_w3a3.onnx", 23, 1, 1},
    {"models/jet-tagging/qkeras_jettagging.onnx", 23, 1, 1},
    {"models/unsw-nb15/unsw_nb15-mlp-w2a2.onnx", 20, 1, 1},
    {"models/espcn/espcn_nn_resize_quant.onnx", 22, 1, 1},
    {"models/espcn/espcn_subpixel_quant.onnx", 20, 1, 1},
    {"models/residual/residual_block_clean.onnx", 7, 1, 1},
    {"models/residual/eltwise_chanlast_testcase.onnx", 6, 1, 1},
    {"models/floatquant/qonnx_act_weight_fp8.onnx", 3, 1, 1},
    {"models/mnist-conv/model.onnx", 12, 1, 1},
};

static int count_live(const ir_graph *g) {
  int k = 0;
  for (int i = 0; i < g->nnodes; i++) k += !g->nodes[i]->dead;
  return k;
}

/* After cleanup: nothing foldable left, every tensor a node touches has a
 * fully known shape. */
static int check_clean(const ir_graph *g) {
  static const char *const gone[] = {"Identity", "Dropout", "Constant", "Shape", "Gather",
                                     "Unsqueeze"};
  for (int i = 0; i < g->nnodes; i++) {
    const ir_node *n = g->nodes[i];
    for (size_t k = 0; k < sizeof gone / sizeof gone[0]; k++)
      if (!strcmp(n->op_type, gone[k])) {
        printf("    FAIL: %s node \"%s\" left after cleanup\n", n->op_type, n->name);
        return -1;
      }
    for (int j = 0; j < n->nout + n->nin; j++) {
      const ir_tensor *t = j < n->nout ? n->out[j] : n->in[j - n->nout];
      if (!t) continue;
      bool known = t->rank >= 0;
      for (int d = 0; known && d < t->rank; d++) known = t->dims[d] >= 0;
      if (!known) {
        printf("    FAIL: tensor \"%s\" of node \"%s\" has no known shape\n", t->name,
               n->name);
        return -1;
      }
    }
  }
  return 0;
}

static int run(const char *shared, const model *m, int *skipped) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", shared, m->path);
  if (access(path, R_OK)) {
    printf("SKIP %s: not present\n", path);
    (*skipped)++;
    return 0;
  }
  ir_graph *g = fe_load(path);
  if (!g) {
    printf("FAIL %s: load failed\n", m->path);
    return -1;
  }
  int ok = g->nnodes == m->nodes && g->ninputs == m->inputs && g->noutputs == m->outputs;
  printf("%s %s: load: opset %lld, %d nodes (want %d), %d tensors, %d inputs (want %d), "
         "%d outputs\n", ok ? "ok  " : "FAIL", m->path, (long long)g->opset, g->nnodes,
         m->nodes, g->ntensors, g->ninputs, m->inputs, g->noutputs);
  if (ok && ir_verify(g, "load")) ok = 0;
  if (ok) {
    if (fe_cleanup(g) || check_clean(g) || ir_verify(g, "cleanup")) {
      printf("FAIL %s: cleanup\n", m->path);
      ok = 0;
    } else {
      const ir_tensor *o = g->outputs[0];
      printf("ok   %s: cleanup: %d nodes; output \"%s\" rank %d [", m->path, count_live(g),
             o->name, o->rank);
      for (int d = 0; d < o->rank; d++) printf("%s%lld", d ? "," : "", (long long)o->dims[d]);
      printf("]\n");
    }
  }
  ir_graph_free(g);
  return ok ? 0 : -1;
}

static int print_shapes(const char *path) {
  ir_graph *g = fe_load(path);
  if (!g || fe_cleanup(g)) return 1;
  for (int i = 0; i < g->nnodes; i++)
    for (int k = 0; k < g->nodes[i]->nout; k++) {
      const ir_tensor *t = g->nodes[i]->out[k];
      if (!t) continue;
      printf("%s\t", t->name);
      for (int d = 0; d < t->rank; d++) printf("%s%lld", d ? "," : "", (long long)t->dims[d]);
      printf("\n");
    }
  ir_graph_free(g);
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 3 && !strcmp(argv[1], "--shapes")) return print_shapes(argv[2]);
  const char *shared = argc > 1 ? argv[1] : "../shared";
  int nm = (int)(sizeof models / sizeof models[0]), failed = 0, skipped = 0;
  for (int i = 0; i < nm; i++) failed += run(shared, &models[i], &skipped) != 0;
  printf("%d passed, %d failed, %d skipped\n", nm - failed - skipped, failed, skipped);
  if (failed) return 1;
  return skipped == nm ? 77 : 0;
}
