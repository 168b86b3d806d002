/* fuzz_foldjson.c - libFuzzer target: folding JSON bytes through the strict
 * JSON reader (json_parse on the exact buffer, so ASan sees any read past
 * it) and, when they parse, through hw_fold(--fold=FILE) on a fixed design.
 *
 * hw_fold takes a path, so the bytes go to a file in a tmpfs scratch
 * directory: no entry point added to ir/fold.c for the fuzzer's sake.  The
 * design is the built-in tfc-w1a1 example (four mvu units) plus one unit of
 * every other kind (threshold, labelselect, fifo, dwc), so every field rule
 * is reachable; it is folded for xc7z020 (no UltraRAM) and xczu7ev (zcu104).
 * Oracle (fuzz_common.h): one error line per rejection, none on success; a
 * folding hw_fold accepted has PE | MH, SIMD | MW and a concrete ram_style,
 * and DIR/folding.json written from it reads back to the same folding. */
#include "frontend/example.h"
#include "frontend/frontend.h"
#include "fuzz_common.h"
#include "ir/hw.h"
#include "ir/json.h"

static hw_design *D;
static const hw_part *parts[2];

static hw_unit extra_unit(hw_kind k, const char *name, int ch) {
  hw_unit u = {0};
  u.kind = k;
  u.name = name;
  u.onnx_node = name;
  u.mw = u.mh = ch;
  u.numvec = 1;
  u.pe = u.simd = 1;
  u.in = (hw_etype){8, true, false};
  u.out = (hw_etype){2, false, false};
  u.nthresh = k == HW_THRESHOLD ? 3 : 0;
  u.k = 1;
  u.depth = 64;
  u.in_elems = u.out_elems = 1;
  u.ram_style = "auto";
  return u;
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  ir_verbosity = 0;
  ob_model *m = qr_ex_build_named("tfc-w1a1", 1);
  size_t len = 0;
  const uint8_t *bytes = m ? ob_pack(m, &len) : NULL;
  ir_graph *g = bytes ? fe_load_bytes("tfc-w1a1.onnx", bytes, len) : NULL;
  if (!g || fe_cleanup(g) || !(D = hw_streamline(g))) {
    fprintf(stderr, "fuzz_foldjson: cannot build the tfc-w1a1 design\n");
    abort();
  }
  ob_free(m);
  int n = D->nunits;
  hw_unit *u = ir_alloc_array(g->arena, (size_t)n + 4, sizeof(hw_unit));
  memcpy(u, D->units, sizeof(hw_unit) * (size_t)n);
  u[n] = extra_unit(HW_THRESHOLD, "threshold_x", 64);
  u[n + 1] = extra_unit(HW_LABELSELECT, "labelselect_x", 10);
  u[n + 2] = extra_unit(HW_FIFO, "fifo_x", 4);
  u[n + 3] = extra_unit(HW_DWC, "dwc_x", 4);
  D->units = u;
  D->nunits = n + 4;
  parts[0] = hw_find_part("xc7z020");
  parts[1] = hw_find_part("zcu104");
  if (!parts[0] || !parts[1]) abort();
  return 0;
}

typedef struct folding {
  int pe, simd;
  const char *ram_style;
} folding;

static void check_folding(folding *saved) {
  for (int i = 0; i < D->nunits; i++) {
    const hw_unit *u = &D->units[i];
    int pe_dim = u->kind == HW_MVU || u->kind == HW_THRESHOLD ? u->mh
                 : u->kind == HW_LABELSELECT                  ? u->mw
                                                              : 0;
    if (pe_dim && (u->pe < 1 || pe_dim % u->pe)) fz_fail("hw_fold", "accepted a PE not dividing its dimension");
    if (u->kind == HW_MVU && (u->simd < 1 || u->mw % u->simd))
      fz_fail("hw_fold", "accepted a SIMD not dividing MW");
    if ((u->kind == HW_MVU || u->kind == HW_THRESHOLD || u->kind == HW_FIFO) &&
        (!u->ram_style || !strcmp(u->ram_style, "auto")))
      fz_fail("hw_fold", "left a unit with a memory without a concrete ram_style");
    saved[i] = (folding){u->pe, u->simd, u->ram_style};
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  ir_arena *a = ir_arena_new();
  fz_begin();
  json_value *v = json_parse(a, (const char *)data, size, "fuzz.json");
  fz_end(!v, "json_parse");
  ir_arena_free(a);
  if (!v) return 0;

  char path[300], back[300];
  snprintf(path, sizeof path, "%s/fold.json", fz_scratch());
  snprintf(back, sizeof back, "%s/folding.json", fz_scratch());
  fz_write_file(path, data, size);
  folding saved[64];
  if (D->nunits > 64) abort();
  for (int p = 0; p < 2; p++) {
    hw_fold_opts o = {path, parts[p], 100};
    fz_begin();
    int rc = hw_fold(D, &o);
    if (rc == 0) {
      check_folding(saved);
      /* the written folding reads back to itself (fifo/dwc are not written) */
      if (hw_write_folding_json(D, back)) fz_fail("hw_write_folding_json", "cannot write");
      hw_fold_opts ob = {back, parts[p], 100};
      if (hw_fold(D, &ob)) fz_fail("hw_fold", "cannot read back its own folding.json");
      for (int i = 0; i < D->nunits; i++) {
        const hw_unit *u = &D->units[i];
        if (u->kind == HW_FIFO || u->kind == HW_DWC) continue;
        if (u->pe != saved[i].pe || u->simd != saved[i].simd || strcmp(u->ram_style, saved[i].ram_style))
          fz_fail("hw_write_folding_json", "folding.json does not reproduce the folding");
      }
    }
    fz_end(rc != 0, "hw_fold");
  }
  return 0;
}
