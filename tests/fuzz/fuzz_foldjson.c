/* fuzz_foldjson.c - libFuzzer target: folding JSON bytes through the strict
 * JSON reader (json_parse on the exact buffer, so ASan sees any read past
 * it) and, when they parse, through hw_fold(--fold=FILE) on a fixed design.
 *
 * hw_fold takes a path, so the bytes go to a file in a tmpfs scratch
 * directory: no entry point added to ir/fold.c for the fuzzer's sake.  Two
 * designs: the built-in tfc-w1a1 example (four mvu units) plus one unit of
 * every other MLP kind (threshold, labelselect, fifo, dwc), and a small
 * random CNN (CNN_OPTS, below) with pad, swg (leaders and followers), mvu,
 * vvu, maxpool, avgpool (2x2 and global), dup, add, concat and threshold
 * units, so every field rule is reachable; each is folded for xc7z020 (no
 * UltraRAM) and xczu7ev (zcu104).
 * Oracle (fuzz_common.h): one error line per rejection, none on success; a
 * folding hw_fold accepted has PE and SIMD dividing their dimensions and a
 * concrete ram_style, and DIR/folding.json written from it reads back to the
 * same folding. */
#include "frontend/example.h"
#include "frontend/frontend.h"
#include "fuzz_common.h"
#include "ir/hw.h"
#include "ir/json.h"

/* The CNN design: `qonnx-rtl example cnn CNN_OPTS` (make_seeds.sh writes
 * its folding.json as a seed). */
#define CNN_OPTS                                                                            \
  "--seed", "3", "--input", "4,8,8", "--convs", "8:3:1:1,res:8:3:1:1,8:1:1:0,cat:4:3:1:1,12:3:1:1:12", \
      "--pool", "0", "--avgpool", "4", "--gap", "1", "--scale", "pow2", "--wbits", "2", "--abits", "2", \
      "--ibits", "4", "--fc", "5"

static hw_design *designs[2];
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
  u.leader = -1;
  return u;
}

static hw_design *design_of(const char *name, ob_model *m) {
  size_t len = 0;
  const uint8_t *bytes = m ? ob_pack(m, &len) : NULL;
  ir_graph *g = bytes ? fe_load_bytes(name, bytes, len) : NULL;
  hw_design *d = NULL;
  if (!g || fe_cleanup(g) || !(d = hw_streamline(g))) {
    fprintf(stderr, "fuzz_foldjson: cannot build the %s design\n", name);
    abort();
  }
  ob_free(m);
  return d;
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  ir_verbosity = 0;
  hw_design *D = designs[0] = design_of("tfc-w1a1.onnx", qr_ex_build_named("tfc-w1a1", 1));
  int n = D->nunits;
  hw_unit *u = ir_alloc_array(D->g->arena, (size_t)n + 4, sizeof(hw_unit));
  memcpy(u, D->units, sizeof(hw_unit) * (size_t)n);
  u[n] = extra_unit(HW_THRESHOLD, "threshold_x", 64);
  u[n + 1] = extra_unit(HW_LABELSELECT, "labelselect_x", 10);
  u[n + 2] = extra_unit(HW_FIFO, "fifo_x", 4);
  u[n + 3] = extra_unit(HW_DWC, "dwc_x", 4);
  D->units = u;
  D->nunits = n + 4;

  qr_ex_spec spec;
  qr_ex_spec_init(&spec, QR_EX_CNN, 3);
  static const char *const opts[] = {CNN_OPTS};
  for (size_t i = 0; i + 1 < sizeof opts / sizeof *opts; i += 2)
    if (strcmp(opts[i], "--seed") && qr_ex_parse_option(&spec, opts[i], opts[i + 1])) abort();
  if (qr_ex_resolve(&spec)) abort();
  designs[1] = design_of("cnn.onnx", qr_ex_build(&spec));

  parts[0] = hw_find_part("xc7z020");
  parts[1] = hw_find_part("zcu104");
  if (!parts[0] || !parts[1]) abort();
  return 0;
}

typedef struct folding {
  int pe, simd;
  const char *ram_style;
} folding;

static void check_folding(const hw_design *D, folding *saved) {
  for (int i = 0; i < D->nunits; i++) {
    const hw_unit *u = &D->units[i];
    int pe_dim = 0, simd_dim = 0;
    switch (u->kind) {
    case HW_MVU: pe_dim = u->mh; simd_dim = u->mw; break;
    case HW_THRESHOLD: case HW_VVU: case HW_MAXPOOL: case HW_AVGPOOL: case HW_ADD: case HW_DUP:
      pe_dim = u->mh; break;
    case HW_LABELSELECT: pe_dim = u->mw; break;
    case HW_CONCAT: pe_dim = u->ca; break; /* PE divides both inputs' channels */
    case HW_SWG: case HW_PAD: case HW_UPSAMPLE: case HW_D2S: simd_dim = u->c; break;
    default: break;
    }
    if (pe_dim && (u->pe < 1 || pe_dim % u->pe)) fz_fail("hw_fold", "accepted a PE not dividing its dimension");
    if (u->kind == HW_CONCAT && u->cb % u->pe) fz_fail("hw_fold", "accepted a concat PE not dividing cb");
    if (simd_dim && (u->simd < 1 || simd_dim % u->simd)) fz_fail("hw_fold", "accepted a SIMD not dividing its dimension");
    if ((u->kind == HW_MVU || u->kind == HW_THRESHOLD || u->kind == HW_FIFO || u->kind == HW_VVU) &&
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
  for (int di = 0; di < 2; di++) {
    hw_design *D = designs[di];
    if (D->nunits > 64) abort();
    for (int p = 0; p < 2; p++) {
      hw_fold_opts o = {path, parts[p], 100};
      fz_begin();
      int rc = hw_fold(D, &o);
      if (rc == 0) {
        check_folding(D, saved);
        /* the written folding reads back to itself (fifo/dwc are not written) */
        if (hw_write_folding_json(D, back)) fz_fail("hw_write_folding_json", "cannot write");
        hw_fold_opts ob = {back, parts[p], 100};
        if (hw_fold(D, &ob)) fz_fail("hw_fold", "cannot read back its own folding.json");
        for (int i = 0; i < D->nunits; i++) {
          const hw_unit *u = &D->units[i];
          if (u->kind == HW_FIFO || u->kind == HW_DWC) continue;
          const char *r0 = saved[i].ram_style ? saved[i].ram_style : "", *r1 = u->ram_style ? u->ram_style : "";
          if (u->pe != saved[i].pe || u->simd != saved[i].simd || strcmp(r0, r1))
            fz_fail("hw_write_folding_json", "folding.json does not reproduce the folding");
        }
      }
      fz_end(rc != 0, "hw_fold");
    }
  }
  return 0;
}
