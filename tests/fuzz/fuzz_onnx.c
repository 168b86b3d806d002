/* fuzz_onnx.c - libFuzzer target: ONNX bytes through the loader, the checker
 * and cleanup (fe_load_bytes, fe_cleanup), then ir_verify on what cleanup
 * accepted.  Oracle (fuzz_common.h): no crash or sanitizer report, one error
 * line per rejection, and a cleaned graph the verifier accepts. */
#include "frontend/frontend.h"
#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  ir_verbosity = 0;
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fz_begin();
  ir_graph *g = fe_load_bytes("fuzz.onnx", data, size);
  int failed = !g;
  if (g) {
    failed = fe_cleanup(g) != 0;
    if (!failed && ir_verify(g, "cleanup")) fz_fail("fe_cleanup", "ir_verify rejects the cleaned graph");
    ir_graph_free(g);
  }
  fz_end(failed, "fe_load_bytes + fe_cleanup");
  return 0;
}
