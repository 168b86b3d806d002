/* fuzz_compile.c - libFuzzer target: ONNX bytes through the whole compile up
 * to RTL text, without simulation: fe_load_bytes, fe_cleanup, hw_streamline,
 * hw_fold("auto"), hw_insert_plumbing, rtlgen_write + folding.json +
 * report into a fresh directory on tmpfs (removed again), as
 * `qonnx-rtl MODEL.onnx -o DIR` does it (rtlgen/compile.c).
 * Oracle (fuzz_common.h): no crash, hang or sanitizer report; one error line
 * per rejection, none on success; the folding.json written reads back
 * (hw_fold with it) to the same PE/SIMD everywhere. */
#include "frontend/frontend.h"
#include "fuzz_common.h"
#include "ir/hw.h"
#include "rtlgen/outdir.h"
#include "rtlgen/report.h"
#include "rtlgen/rtlgen.h"

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  ir_verbosity = 0;
  return 0;
}

static int compile(ir_graph *g, const char *dir) {
  if (fe_cleanup(g)) return -1;
  hw_design *d = hw_streamline(g);
  if (!d) return -1;
  hw_fold_opts o = {"auto", hw_find_part("xc7z020"), 100};
  if (hw_fold(d, &o) || hw_insert_plumbing(d)) return -1;
  for (int i = 0; i < d->nunits; i++)
    if (d->units[i].kind == HW_FIFO || d->units[i].kind == HW_DWC) hw_estimate_part(&d->units[i], o.part);
  if (od_mkdirs(dir)) return ir_errorf(dir, NULL, "cannot create");
  if (rtlgen_write(d, dir, "qr_fuzz", NULL)) return -1;
  const char *fold_json = ir_sprintf(g->arena, "%s/folding.json", dir);
  if (hw_write_folding_json(d, fold_json)) return -1;
  hw_report_extra rx = {0};
  rx.model = "fuzz.onnx";
  rx.top = "qr_fuzz";
  if (hw_write_report(d, &o, dir, &rx)) return -1;
  /* folding.json reproduces the folding (--fold=folding.json on the same
   * model), checked on the plumbed design: same unit names and leaders */
  int n = d->nunits, *pe = ir_alloc_array(g->arena, (size_t)n + 1, sizeof(int)),
      *simd = ir_alloc_array(g->arena, (size_t)n + 1, sizeof(int));
  for (int i = 0; i < n; i++) pe[i] = d->units[i].pe, simd[i] = d->units[i].simd;
  hw_fold_opts of = {fold_json, o.part, 100};
  if (hw_fold(d, &of)) fz_fail("hw_fold", "cannot read back its own folding.json");
  for (int i = 0; i < n; i++)
    if (d->units[i].pe != pe[i] || d->units[i].simd != simd[i])
      fz_fail("hw_write_folding_json", "folding.json does not reproduce the folding");
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char dir[300];
  snprintf(dir, sizeof dir, "%s/out", fz_scratch());
  fz_begin();
  ir_graph *g = fe_load_bytes("fuzz.onnx", data, size);
  int failed = !g || compile(g, dir);
  if (g) ir_graph_free(g);
  fz_end(failed, "compile");
  od_remove_tree(dir);
  return 0;
}
