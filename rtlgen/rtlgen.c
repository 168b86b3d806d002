/* rtlgen.c - hardware IR -> top-level SystemVerilog, unit parameters, .mem files.
 *
 * The top level is a straight pipeline: s_axis_0 -> unit 0 -> ... -> m_axis_0.
 * Every unit is an rtl-lib module (qr_<kind>.sv) instantiated with the
 * parameters of its hw_unit; weights and thresholds go to <unit>_w.mem and
 * <unit>_t.mem, an mvu's threshold tables to <unit>_a_NNNN.mem (one per PE),
 * in the layouts documented in rtl-lib/qr_mvu.sv.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rtlgen/rtlgen.h"

#ifndef QR_SOURCE_DIR
#define QR_SOURCE_DIR "."
#endif

/* ------------------------------------------------------------ widths ---- */

static int round8(int bits) { return (bits + 7) / 8 * 8; }

static int elem_bits(hw_etype t) { return hw_etype_bits(t); }

int rtl_in_elems_per_beat(const hw_design *d) {
  for (int i = 0; i < d->nunits; i++)
    for (int k = 0; k < hw_nsrc(&d->units[i]); k++)
      if (hw_src(&d->units[i], i, k) < 0) return hw_unit_in_per_beat(&d->units[i]);
  return 1;
}

int rtl_out_elems_per_beat(const hw_design *d) { return hw_unit_out_per_beat(&d->units[d->nunits - 1]); }

int rtl_in_tdata_bits(const hw_design *d) {
  return round8(rtl_in_elems_per_beat(d) * elem_bits(d->in_type));
}

int rtl_out_tdata_bits(const hw_design *d) {
  return round8(rtl_out_elems_per_beat(d) * elem_bits(d->out_type));
}

int64_t rtl_in_beats_per_frame(const hw_design *d) { return d->in_elems / rtl_in_elems_per_beat(d); }

int64_t rtl_out_beats_per_frame(const hw_design *d) {
  return d->out_elems / rtl_out_elems_per_beat(d);
}

/* ----------------------------------------------------------- packing ---- */

static uint64_t encode(int64_t v, hw_etype t) {
  if (t.bipolar) return v > 0 ? 1 : 0;
  return (uint64_t)v & (t.bits >= 64 ? ~0ull : ((1ull << t.bits) - 1));
}

static int64_t decode(uint64_t u, hw_etype t) {
  if (t.bipolar) return u & 1 ? 1 : -1;
  if (t.is_signed && t.bits < 64 && (u >> (t.bits - 1)) & 1) return (int64_t)(u | ~((1ull << t.bits) - 1));
  return (int64_t)u;
}

static void put_bits(uint32_t *w, int64_t pos, int n, uint64_t v) {
  for (int b = 0; b < n; b++, pos++)
    if ((v >> b) & 1) w[pos / 32] |= 1u << (pos % 32);
}

static uint64_t get_bits(const uint32_t *w, int64_t pos, int n) {
  uint64_t v = 0;
  for (int b = 0; b < n; b++, pos++) v |= (uint64_t)((w[pos / 32] >> (pos % 32)) & 1) << b;
  return v;
}

int64_t rtl_pack(const int64_t *vals, int64_t n, int elems, hw_etype t, int tdata_bits,
                 uint32_t *words) {
  int wpb = (tdata_bits + 31) / 32, eb = elem_bits(t);
  int64_t beats = (n + elems - 1) / elems;
  memset(words, 0, (size_t)(beats * wpb) * sizeof(uint32_t));
  for (int64_t i = 0; i < n; i++)
    put_bits(words + (i / elems) * wpb, (i % elems) * eb, eb, encode(vals[i], t));
  return beats;
}

void rtl_unpack(const uint32_t *words, int64_t nbeats, int elems, hw_etype t, int tdata_bits,
                int64_t *vals) {
  int wpb = (tdata_bits + 31) / 32, eb = elem_bits(t);
  for (int64_t i = 0; i < nbeats * elems; i++)
    vals[i] = decode(get_bits(words + (i / elems) * wpb, (i % elems) * eb, eb), t);
}

/* ---------------------------------------------------------- plumbing ---- */

static hw_unit plumbing_unit(hw_design *d, hw_kind kind, const char *name, hw_etype t,
                             int in_elems, int out_elems, int64_t frame_elems) {
  hw_unit u = {0};
  u.kind = kind;
  u.name = ir_strdup(d->g->arena, name);
  u.in = u.out = t;
  u.in_elems = in_elems;
  u.out_elems = out_elems;
  u.mw = u.mh = (int)frame_elems;
  u.numvec = 1;
  u.pe = u.simd = 1;
  u.depth = 2;
  u.ram_style = "auto";
  return u;
}

/* Elements per beat leaving port `port` of units[src] (src < 0: the input). */
static int producer_per_beat(const hw_design *d, int src) {
  return src < 0 ? rtl_in_elems_per_beat(d) : hw_unit_out_per_beat(&d->units[src]);
}

/* Units on the path from units[i] back to (not including) the dup `stop`,
 * following input 0; returns false if the path does not reach it. */
static bool branch_hold(const hw_design *d, int i, int stop, double *frames) {
  *frames = 0;
  while (i >= 0 && i != stop) {
    const hw_unit *u = &d->units[i];
    *frames += hw_unit_hold_frames(u);
    i = hw_src(u, i, 0);
  }
  return i == stop;
}

/* A dup whose two outputs meet again at an add/concat: the FIFO in front of
 * the join on each branch must hold what the other branch can hold inside,
 * or the fork stalls on the full short branch while the long one starves:
 * depth = 1.25 * (other branch's hold, in frames) * beats per frame + 8. */
static void size_branch_fifos(hw_design *d) {
  for (int j = 0; j < d->nunits; j++) {
    hw_unit *u = &d->units[j];
    if (u->kind != HW_ADD && u->kind != HW_CONCAT) continue;
    /* the dup: walk input 0's path and find one on input 1's path */
    for (int a = hw_src(u, j, 0); a >= 0; a = hw_src(&d->units[a], a, 0)) {
      if (d->units[a].kind != HW_DUP) continue;
      double h[2];
      if (!branch_hold(d, hw_src(u, j, 0), a, &h[0]) || !branch_hold(d, hw_src(u, j, 1), a, &h[1]))
        continue;
      for (int b = 0; b < 2; b++) {
        /* the last FIFO on branch b before the join */
        int f = hw_src(u, j, b);
        while (f >= 0 && d->units[f].kind == HW_DWC) f = hw_src(&d->units[f], f, 0);
        if (f < 0 || d->units[f].kind != HW_FIFO) continue;
        hw_unit *fu = &d->units[f];
        double beats = (double)hw_unit_in_frame(fu, 0) / (fu->in_elems > 0 ? fu->in_elems : 1);
        double need = 1.25 * h[1 - b] * beats + 8;
        if (need > fu->depth) {
          fu->depth = (int)ceil(need);
          fu->note = ir_sprintf(d->g->arena, "branch %d of %s into %s: 1.25 x the other branch's "
                                "hold (%.3g frames) x %.0f beats/frame + 8", b, d->units[a].name,
                                u->name, h[1 - b], beats);
        }
      }
      break;
    }
  }
}

/* A fifo on every edge between two units, and a dwc where the producer's
 * beat differs from the consumer's.  Unit inputs are re-pointed. */
int hw_insert_plumbing(hw_design *d) {
  int n = d->nunits;
  hw_unit *u = ir_alloc_array(d->g->arena, (size_t)(5 * n + 2), sizeof(hw_unit));
  int *map = ir_alloc_array(d->g->arena, (size_t)n + 1, sizeof(int));
  int k = 0;
  for (int i = 0; i < n; i++) {
    hw_unit cu = d->units[i];
    int ns = hw_nsrc(&cu);
    for (int j = 0; j < ns; j++) {
      int s = hw_src(&d->units[i], i, j), port = hw_src_port(&d->units[i], j);
      int from = s < 0 ? -1 : map[s], from_port = port;
      int pb = producer_per_beat(d, s), cb = hw_unit_in_per_beat(&cu);
      hw_etype t = j ? cu.in2 : cu.in;
      int64_t frame = hw_unit_in_frame(&cu, j);
      char name[64];
      if (s >= 0) {
        snprintf(name, sizeof name, "fifo_%d", k);
        hw_unit f = plumbing_unit(d, HW_FIFO, name, t, pb, pb, frame);
        f.note = "straight edge: 2 beats decouple the handshakes (every unit buffers its own "
                 "working set, so measured cycles equal the analytic bound)";
        f.nsrc = 1;
        f.src[0] = from;
        f.src_port[0] = from_port;
        u[k] = f;
        from = k++;
        from_port = 0;
      }
      if (pb != cb) {
        snprintf(name, sizeof name, "dwc_%d", k);
        hw_unit w = plumbing_unit(d, HW_DWC, name, t, pb, cb, frame);
        w.nsrc = 1;
        w.src[0] = from;
        w.src_port[0] = from_port;
        u[k] = w;
        from = k++;
        from_port = 0;
      }
      cu.src[j] = from;
      cu.src_port[j] = from_port;
    }
    cu.nsrc = ns;
    u[k] = cu;
    map[i] = k++;
  }
  /* A swg/pad still follows its leader (now at a new index): folding.json
   * must not give it a SIMD of its own, or --fold=folding.json rejects it. */
  for (int i = 0; i < n; i++)
    if (u[map[i]].leader >= 0 && u[map[i]].leader < n) u[map[i]].leader = map[u[map[i]].leader];
  d->units = u;
  d->nunits = k;
  size_branch_fifos(d);
  return 0;
}

/* ------------------------------------------------------- .mem files ---- */

/* Write one hex word of `bits` bits (most significant digit first). */
static void put_hex_word(FILE *f, const uint32_t *w, int bits) {
  int digits = (bits + 3) / 4;
  for (int dgt = digits - 1; dgt >= 0; dgt--) {
    int pos = dgt * 4;
    unsigned v = (unsigned)get_bits(w, pos, bits - pos < 4 ? bits - pos : 4);
    fputc("0123456789abcdef"[v], f);
  }
  fputc('\n', f);
}

static int write_weights(const hw_unit *u, FILE *f) {
  int sf = u->mw / u->simd, nf = u->mh / u->pe, wb = elem_bits(u->w);
  int bits = u->pe * u->simd * wb;
  uint32_t *w = calloc((size_t)(bits + 31) / 32, sizeof(uint32_t));
  if (!w) return -1;
  for (int a = 0; a < nf; a++)
    for (int s = 0; s < sf; s++) {
      memset(w, 0, (size_t)(bits + 31) / 32 * sizeof(uint32_t));
      for (int p = 0; p < u->pe; p++)
        for (int l = 0; l < u->simd; l++) {
          int64_t v = u->weights[(size_t)(a * u->pe + p) * u->mw + (s * u->simd + l)];
          /* mvu: lane (p, l) at p*SIMD + l; vvu: tap l of channel p at l*PE + p */
          int lane = u->kind == HW_VVU ? l * u->pe + p : p * u->simd + l;
          put_bits(w, (int64_t)lane * wb, wb, encode(v, u->w));
        }
      put_hex_word(f, w, bits);
    }
  free(w);
  return 0;
}

/* Threshold width: mvu/vvu AccBits + 1; threshold units qr_threshold's
 * default for their input type (its range plus "never reached"). */
static int thresh_bits(const hw_unit *u) {
  if (u->kind == HW_THRESHOLD) return elem_bits(u->in) + (u->in.is_signed ? 1 : 2);
  return u->acc_bits + 1;
}

/* Append a written file's name to the list (if any). */
static void add_file(ir_arena *a, rtl_files *files, const char *name) {
  if (!files) return;
  if (files->n == files->cap) {
    int cap = files->cap ? 2 * files->cap : 64;
    const char **v = ir_alloc_array(a, (size_t)cap, sizeof *v);
    if (files->n) memcpy(v, files->name, (size_t)files->n * sizeof *v);
    files->name = v;
    files->cap = cap;
  }
  files->name[files->n++] = name;
}

/* qr_mvu's threshold tables (ThreshStyle 1): <unit>_a_<p, 4 digits>.mem per
 * PE, word nf << AccBits | (acc + 2^(AccBits-1)) holding the activation of
 * that accumulator value, (#{t : acc >= thr[t]} + OBias) mod 2^OBits.  The
 * thresholds ascend, so one pass over the accumulator values per channel. */
static int write_tables(ir_arena *a, const char *dir, const hw_unit *u, rtl_files *files) {
  int nf = u->mh / u->pe, T = u->nthresh, A = u->acc_bits, ob = elem_bits(u->out);
  uint64_t mask = ob >= 64 ? ~0ull : (1ull << ob) - 1;
  for (int p = 0; p < u->pe; p++) {
    const char *name = ir_sprintf(a, "%s_a_%04d.mem", u->name, p);
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) return ir_errorf(path, NULL, "cannot write: %s", strerror(errno));
    for (int fold = 0; fold < nf; fold++) {
      const int64_t *thr = u->thresholds + (size_t)(fold * u->pe + p) * T;
      int reached = 0;
      for (int64_t k = 0; k < ((int64_t)1 << A); k++) {
        int64_t acc = k - ((int64_t)1 << (A - 1));
        while (reached < T && acc >= thr[reached]) reached++;
        uint32_t w[2] = {0, 0};
        put_bits(w, 0, ob, (uint64_t)(reached + u->out_bias) & mask);
        put_hex_word(f, w, ob);
      }
    }
    if (fclose(f)) return ir_errorf(path, NULL, "write failed");
    add_file(a, files, name);
  }
  return 0;
}

static int write_thresholds(const hw_unit *u, FILE *f) {
  int nf = u->mh / u->pe, tb = thresh_bits(u), T = u->nthresh;
  int bits = u->pe * T * tb;
  uint32_t *w = calloc((size_t)(bits + 31) / 32, sizeof(uint32_t));
  if (!w) return -1;
  hw_etype tt = {tb, true, false};
  for (int a = 0; a < nf; a++) {
    memset(w, 0, (size_t)(bits + 31) / 32 * sizeof(uint32_t));
    for (int p = 0; p < u->pe; p++)
      for (int t = 0; t < T; t++)
        put_bits(w, (int64_t)(p * T + t) * tb, tb,
                 encode(u->thresholds[(size_t)(a * u->pe + p) * T + t], tt));
    put_hex_word(f, w, bits);
  }
  free(w);
  return 0;
}

static int write_mem(ir_arena *a, const char *dir, const char *name, const hw_unit *u,
                     int (*fn)(const hw_unit *, FILE *), rtl_files *files) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "w");
  if (!f) return ir_errorf(path, NULL, "cannot write: %s", strerror(errno));
  int rc = fn(u, f);
  if (fclose(f) || rc) return ir_errorf(path, NULL, "write failed");
  add_file(a, files, name);
  return 0;
}

/* ------------------------------------------------------ library files --- */

static const char *lib_dir(void) {
  const char *e = getenv("QONNX_RTL_LIB");
  return e && *e ? e : QR_SOURCE_DIR "/rtl-lib";
}

static int copy_file(const char *from, const char *to) {
  FILE *in = fopen(from, "rb");
  if (!in) return ir_errorf(from, NULL, "cannot read rtl-lib file: %s (set QONNX_RTL_LIB?)",
                            strerror(errno));
  FILE *out = fopen(to, "wb");
  if (!out) {
    fclose(in);
    return ir_errorf(to, NULL, "cannot write: %s", strerror(errno));
  }
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, in)) > 0) fwrite(buf, 1, n, out);
  fclose(in);
  return fclose(out) ? ir_errorf(to, NULL, "write failed") : 0;
}

static const char *const mvu_files[] = {"qr_mvu.sv", "qr_mvu_mul.sv", "qr_mvu_addtree.sv",
                                        "qr_mvu_fifo.sv", "qr_thresh_core.sv", NULL};
static const char *const fifo_files[] = {"qr_fifo.sv", NULL};
static const char *const dwc_files[] = {"qr_dwc.sv", NULL};
static const char *const thr_files[] = {"qr_threshold.sv", "qr_thresh_core.sv", "qr_mvu_addtree.sv",
                                        "qr_mvu_fifo.sv", NULL};
static const char *const vvu_files[] = {"qr_vvu.sv", "qr_mvu_mul.sv", "qr_mvu_addtree.sv",
                                        "qr_mvu_fifo.sv", "qr_thresh_core.sv", NULL};
static const char *const swg_files[] = {"qr_swg.sv", NULL};
static const char *const pad_files[] = {"qr_pad.sv", "qr_skid.sv", NULL};
static const char *const maxpool_files[] = {"qr_maxpool.sv", "qr_mvu_fifo.sv", NULL};
static const char *const avgpool_files[] = {"qr_avgpool.sv", "qr_mvu_fifo.sv", NULL};
static const char *const add_files[] = {"qr_add.sv", "qr_skid.sv", NULL};
static const char *const dup_files[] = {"qr_dup.sv", "qr_skid.sv", NULL};
static const char *const concat_files[] = {"qr_concat.sv", "qr_skid.sv", NULL};
static const char *const upsample_files[] = {"qr_upsample.sv", NULL};
static const char *const d2s_files[] = {"qr_depth2space.sv", NULL};
static const char *const ls_files[] = {"qr_labelselect.sv", "qr_skid.sv", NULL};

static const char *const *files_of(hw_kind k) {
  switch (k) {
  case HW_MVU: return mvu_files;
  case HW_FIFO: return fifo_files;
  case HW_DWC: return dwc_files;
  case HW_THRESHOLD: return thr_files;
  case HW_VVU: return vvu_files;
  case HW_SWG: return swg_files;
  case HW_PAD: return pad_files;
  case HW_MAXPOOL: return maxpool_files;
  case HW_AVGPOOL: return avgpool_files;
  case HW_ADD: return add_files;
  case HW_DUP: return dup_files;
  case HW_CONCAT: return concat_files;
  case HW_UPSAMPLE: return upsample_files;
  case HW_D2S: return d2s_files;
  case HW_LABELSELECT: return ls_files;
  default: return NULL;
  }
}

static int copy_library(const hw_design *d, const char *dir, rtl_files *files) {
  const char *done[64];
  int ndone = 0;
  for (int i = 0; i < d->nunits; i++) {
    const char *const *list = files_of(d->units[i].kind);
    for (; list && *list; list++) {
      bool seen = false;
      for (int k = 0; k < ndone; k++) seen |= !strcmp(done[k], *list);
      if (seen) continue;
      done[ndone++] = *list;
      char from[4096], to[4096];
      snprintf(from, sizeof from, "%s/%s", lib_dir(), *list);
      snprintf(to, sizeof to, "%s/%s", dir, *list);
      if (copy_file(from, to)) return -1;
      add_file(d->g->arena, files, *list);
    }
  }
  return 0;
}

/* ------------------------------------------------------------- the top -- */

/* Wires: unit i's output port p is u<i>_<p>_{tdata,tvalid,tready}; the design
 * input is in_{...}. */
static const char *wire(ir_arena *a, int unit, int port) {
  return unit < 0 ? "in" : ir_sprintf(a, "u%d_%d", unit, port);
}

static void stream_decl(FILE *f, const char *w, int bits) {
  fprintf(f, "  logic [%d:0] %s_tdata;\n  logic %s_tvalid, %s_tready;\n", bits - 1, w, w, w);
}

static int unit_in_bits(const hw_unit *u) { return hw_unit_in_per_beat(u) * elem_bits(u->in); }
static int unit_out_bits(const hw_unit *u) { return hw_unit_out_per_beat(u) * elem_bits(u->out); }

/* Our ram_style names -> Vivado's ram_style/rom_style attribute values. */
static const char *vivado_ram_style(const char *s) {
  if (!s || !strcmp(s, "auto")) return "auto";
  if (!strcmp(s, "registers")) return "distributed"; /* constants in LUTs */
  return s; /* distributed, block, ultra */
}

static int sgn(hw_etype t) { return t.is_signed && !t.bipolar; }

/* Encoded bits of an integer level (bipolar -1 -> 0). */
static long long level_bits(int64_t v, hw_etype t) { return t.bipolar ? (v > 0) : (long long)v; }

/* Port connections: one AXI stream port prefix to one wire. */
static void port(FILE *f, const char *prefix, const char *w, bool out, bool last) {
  (void)out;
  fprintf(f, "    .%s_tdata(%s_tdata), .%s_tvalid(%s_tvalid), .%s_tready(%s_tready)%s\n", prefix, w,
          prefix, w, prefix, w, last ? "" : ",");
}

/* Parameters of one unit instance (between "#(" and ")"). */
static int unit_params(const hw_design *d, const hw_unit *u, FILE *f) {
  ir_arena *a = d->g->arena;
  switch (u->kind) {
  case HW_MVU:
  case HW_VVU:
    if (u->kind == HW_MVU)
      fprintf(f, "    .MW(%d), .MH(%d), .PE(%d), .SIMD(%d), .NumVec(%d),\n", u->mw, u->mh, u->pe,
              u->simd, u->numvec);
    else
      fprintf(f, "    .C(%d), .K(%d), .PE(%d), .SIMD(%d), .NumVec(%d),\n", u->mh, u->mw, u->pe,
              u->simd, u->numvec);
    fprintf(f,
            "    .IBits(%d), .ISigned(%d), .IBipolar(%d),\n"
            "    .WBits(%d), .WSigned(%d), .WBipolar(%d),\n"
            "    .AccBits(%d), .RamStyle(\"%s\"), .WeightFile({MemDir, \"%s_w.mem\"})",
            elem_bits(u->in), sgn(u->in), u->in.bipolar, elem_bits(u->w), sgn(u->w), u->w.bipolar,
            u->acc_bits, vivado_ram_style(u->ram_style), u->name);
    if (hw_uses_table(u))
      fprintf(f, ",\n    .NumThresholds(%d), .TBits(%d), .OBits(%d), .OBias(%d),\n"
                 "    .ThreshStyle(1), .TableRamStyle(\"%s\"), .TableFile({MemDir, \"%s_a\"})",
              u->nthresh, thresh_bits(u), elem_bits(u->out), u->out_bias,
              u->ram_style && (!strcmp(u->ram_style, "block") || !strcmp(u->ram_style, "ultra"))
                  ? "block" : "distributed", u->name);
    else if (u->nthresh)
      fprintf(f, ",\n    .NumThresholds(%d), .TBits(%d), .OBits(%d), .OBias(%d),\n"
                 "    .ThreshFile({MemDir, \"%s_t.mem\"})",
              u->nthresh, thresh_bits(u), elem_bits(u->out), u->out_bias, u->name);
    break;
  case HW_THRESHOLD:
    fprintf(f, "    .C(%d), .PE(%d), .NumVec(%d), .IBits(%d), .ISigned(%d),\n"
               "    .NumThresholds(%d), .TBits(%d), .OBits(%d), .OBias(%d), .RamStyle(\"%s\"),\n"
               "    .ThreshFile({MemDir, \"%s_t.mem\"})",
            u->mh, u->pe, u->numvec, elem_bits(u->in), sgn(u->in), u->nthresh, thresh_bits(u),
            elem_bits(u->out), u->out_bias, vivado_ram_style(u->ram_style), u->name);
    break;
  case HW_FIFO:
    fprintf(f, "    .DataBits(%d), .Depth(%d)", unit_in_bits(u), u->depth);
    break;
  case HW_DWC:
    fprintf(f, "    .ElemBits(%d), .InElems(%d), .OutElems(%d)", elem_bits(u->in), u->in_elems,
            u->out_elems);
    break;
  case HW_PAD:
    fprintf(f, "    .ElemBits(%d), .C(%d), .H(%d), .W(%d), .PadT(%d), .PadB(%d), .PadL(%d), "
               ".PadR(%d),\n    .SIMD(%d), .PadValue(%lld)",
            elem_bits(u->in), u->c, u->ih, u->iw, u->pad[0], u->pad[1], u->pad[2], u->pad[3], u->simd,
            level_bits(u->pad_value, u->in));
    break;
  case HW_SWG:
    fprintf(f, "    .ElemBits(%d), .C(%d), .H(%d), .W(%d), .KH(%d), .KW(%d), .SH(%d), .SW(%d),\n"
               "    .DH(%d), .DW(%d), .SIMD(%d), .DepthwiseOrder(%d), .RamStyle(\"auto\")",
            elem_bits(u->in), u->c, u->ih, u->iw, u->kh, u->kw, u->sh, u->sw, u->dh, u->dw, u->simd,
            u->dw_order);
    break;
  case HW_MAXPOOL:
    fprintf(f, "    .ElemBits(%d), .Signed(%d), .C(%d), .K(%d), .PE(%d)", elem_bits(u->in),
            sgn(u->in), u->mh, u->mw, u->pe);
    break;
  case HW_AVGPOOL:
    fprintf(f, "    .IBits(%d), .ISigned(%d), .OBits(%d), .C(%d), .K(%d), .PE(%d), .Global(%d), "
               ".Pixels(%lld)",
            elem_bits(u->in), sgn(u->in), elem_bits(u->out), u->mh, u->mw, u->pe, u->global,
            (long long)(u->global ? u->pixels : 1));
    break;
  case HW_ADD:
    fprintf(f, "    .ABits(%d), .ASigned(%d), .ABipolar(%d), .BBits(%d), .BSigned(%d), .BBipolar(%d),\n"
               "    .MulA(%lld), .MulB(%lld), .OBits(%d), .PE(%d)",
            elem_bits(u->in), sgn(u->in), u->in.bipolar, elem_bits(u->in2), sgn(u->in2),
            u->in2.bipolar, (long long)u->mul_a, (long long)u->mul_b, elem_bits(u->out), u->pe);
    break;
  case HW_DUP:
    fprintf(f, "    .DataBits(%d)", unit_in_bits(u));
    break;
  case HW_CONCAT:
    fprintf(f, "    .ElemBits(%d), .CA(%d), .CB(%d), .PE(%d)", elem_bits(u->in), u->ca, u->cb, u->pe);
    break;
  case HW_UPSAMPLE:
    fprintf(f, "    .ElemBits(%d), .C(%d), .H(%d), .W(%d), .SH(%d), .SW(%d), .SIMD(%d)",
            elem_bits(u->in), u->c, u->ih, u->iw, u->sh, u->sw, u->simd);
    break;
  case HW_LABELSELECT:
    fprintf(f, "    .Classes(%d), .PE(%d), .ScoreBits(%d), .Signed(%d), .K(%d), .IdxBits(%d)", u->mw,
            u->pe, elem_bits(u->in), sgn(u->in), u->k, elem_bits(u->out));
    break;
  case HW_D2S:
    fprintf(f, "    .ElemBits(%d), .C(%d), .H(%d), .W(%d), .B(%d), .Mode(%d), .SIMD(%d)",
            elem_bits(u->in), u->c, u->ih, u->iw, u->block, u->mode, u->simd);
    break;
  default:
    return ir_errorf(d->g->file, NULL, "rtlgen: unit %s (%s) has no RTL yet", u->name,
                     hw_kind_name(u->kind));
  }
  (void)a;
  return 0;
}

static const char *module_of(hw_kind k) {
  switch (k) {
  case HW_D2S: return "qr_depth2space";
  default: return NULL;
  }
}

static int emit_unit(const hw_design *d, FILE *f, int i) {
  ir_arena *a = d->g->arena;
  const hw_unit *u = &d->units[i];
  const char *mod = module_of(u->kind);
  fprintf(f, "  %s #(\n", mod ? mod : ir_sprintf(a, "qr_%s", hw_kind_name(u->kind)));
  if (unit_params(d, u, f)) return -1;
  fprintf(f, "\n  ) %s (\n    .clk(ap_clk), .rst_n(ap_rst_n),\n", u->name);
  const char *in0 = wire(a, hw_src(u, i, 0), hw_src_port(u, 0));
  if (u->kind == HW_ADD || u->kind == HW_CONCAT) {
    port(f, "s0_axis", in0, false, false);
    port(f, "s1_axis", wire(a, hw_src(u, i, 1), hw_src_port(u, 1)), false, false);
  } else {
    port(f, "s_axis", in0, false, false);
  }
  if (u->kind == HW_DUP) {
    port(f, "m0_axis", wire(a, i, 0), true, false);
    port(f, "m1_axis", wire(a, i, 1), true, true);
  } else {
    port(f, "m_axis", wire(a, i, 0), true, true);
  }
  fprintf(f, "  );\n\n");
  return 0;
}

static int write_top(const hw_design *d, FILE *f, const char *top) {
  int n = d->nunits;
  int in_w = rtl_in_tdata_bits(d), out_w = rtl_out_tdata_bits(d);
  int in_used = rtl_in_elems_per_beat(d) * elem_bits(d->in_type), out_used = unit_out_bits(&d->units[n - 1]);
  int64_t beats = rtl_out_beats_per_frame(d);
  fprintf(f, "// %s.sv - generated by qonnx-rtl from %s; do not edit.\n", top, d->g->file);
  fprintf(f, "// Input : %lld elements of %s per frame, %d per beat (tdata %d bits)\n",
          (long long)d->in_elems, hw_etype_name(d->g->arena, d->in_type), rtl_in_elems_per_beat(d), in_w);
  fprintf(f, "// Output: %lld elements of %s per frame, %d per beat (tdata %d bits), "
             "m_axis_0_tlast on the last beat of each frame\n",
          (long long)d->out_elems, hw_etype_name(d->g->arena, d->out_type), rtl_out_elems_per_beat(d), out_w);
  fprintf(f, "`default_nettype none\n\n");
  fprintf(f, "module %s #(\n"
             "  // Where the .mem files are: \"\" = the simulator's working directory or,\n"
             "  // in Vivado, the project's memory files.\n"
             "  parameter MemDir = \"\"\n"
             ") (\n"
             "  (* X_INTERFACE_PARAMETER = \"ASSOCIATED_BUSIF s_axis_0:m_axis_0, ASSOCIATED_RESET ap_rst_n\" *)\n"
             "  (* X_INTERFACE_INFO = \"xilinx.com:signal:clock:1.0 ap_clk CLK\" *)\n"
             "  input  wire ap_clk,\n"
             "  (* X_INTERFACE_PARAMETER = \"POLARITY ACTIVE_LOW\" *)\n"
             "  (* X_INTERFACE_INFO = \"xilinx.com:signal:reset:1.0 ap_rst_n RST\" *)\n"
             "  input  wire ap_rst_n,\n"
             "  (* X_INTERFACE_INFO = \"xilinx.com:interface:axis:1.0 s_axis_0 TDATA\" *)\n"
             "  input  wire [%d:0] s_axis_0_tdata,\n"
             "  (* X_INTERFACE_INFO = \"xilinx.com:interface:axis:1.0 s_axis_0 TVALID\" *)\n"
             "  input  wire s_axis_0_tvalid,\n"
             "  (* X_INTERFACE_INFO = \"xilinx.com:interface:axis:1.0 s_axis_0 TREADY\" *)\n"
             "  output wire s_axis_0_tready,\n"
             "  (* X_INTERFACE_INFO = \"xilinx.com:interface:axis:1.0 m_axis_0 TDATA\" *)\n"
             "  output wire [%d:0] m_axis_0_tdata,\n"
             "  (* X_INTERFACE_INFO = \"xilinx.com:interface:axis:1.0 m_axis_0 TVALID\" *)\n"
             "  output wire m_axis_0_tvalid,\n"
             "  (* X_INTERFACE_INFO = \"xilinx.com:interface:axis:1.0 m_axis_0 TREADY\" *)\n"
             "  input  wire m_axis_0_tready,\n"
             "  (* X_INTERFACE_INFO = \"xilinx.com:interface:axis:1.0 m_axis_0 TLAST\" *)\n"
             "  output wire m_axis_0_tlast\n"
             ");\n",
          top, in_w - 1, out_w - 1);
  stream_decl(f, "in", in_used);
  for (int i = 0; i < n; i++) {
    stream_decl(f, wire(d->g->arena, i, 0), unit_out_bits(&d->units[i]));
    if (d->units[i].kind == HW_DUP) stream_decl(f, wire(d->g->arena, i, 1), unit_out_bits(&d->units[i]));
  }
  fprintf(f, "\n");
  if (in_used < in_w) {
    fprintf(f, "  // The padding bits of a whole-byte input beat are ignored.\n"
               "  /* verilator lint_off UNUSEDSIGNAL */\n"
               "  wire [%d:0] s_axis_0_pad = s_axis_0_tdata[%d:%d];\n"
               "  /* verilator lint_on UNUSEDSIGNAL */\n",
            in_w - in_used - 1, in_w - 1, in_used);
  }
  fprintf(f, "  assign in_tdata = s_axis_0_tdata[%d:0];\n"
             "  assign in_tvalid = s_axis_0_tvalid;\n"
             "  assign s_axis_0_tready = in_tready;\n\n",
          in_used - 1);
  for (int i = 0; i < n; i++)
    if (emit_unit(d, f, i)) return -1;
  const char *last = wire(d->g->arena, n - 1, 0);
  if (out_used < out_w)
    fprintf(f, "  assign m_axis_0_tdata = {%d'b0, %s_tdata};\n", out_w - out_used, last);
  else
    fprintf(f, "  assign m_axis_0_tdata = %s_tdata;\n", last);
  fprintf(f, "  assign m_axis_0_tvalid = %s_tvalid;\n  assign %s_tready = m_axis_0_tready;\n\n", last, last);
  /* tlast: count output beats of a frame. */
  int cw = 1;
  while (((int64_t)1 << cw) < beats) cw++;
  if (beats <= 1) {
    fprintf(f, "  assign m_axis_0_tlast = 1'b1;\n");
  } else {
    fprintf(f, "  logic [%d:0] out_beat;\n"
               "  always_ff @(posedge ap_clk) begin\n"
               "    if (!ap_rst_n) out_beat <= '0;\n"
               "    else if (m_axis_0_tvalid && m_axis_0_tready)\n"
               "      out_beat <= (out_beat == %d'd%lld) ? '0 : out_beat + %d'd1;\n"
               "  end\n"
               "  assign m_axis_0_tlast = (out_beat == %d'd%lld);\n",
            cw - 1, cw, (long long)(beats - 1), cw, cw, (long long)(beats - 1));
  }
  fprintf(f, "endmodule\n\n`default_nettype wire\n");
  return 0;
}

int rtlgen_write(const hw_design *d, const char *dir, const char *top, rtl_files *files) {
  if (copy_library(d, dir, files)) return -1;
  for (int i = 0; i < d->nunits; i++) {
    const hw_unit *u = &d->units[i];
    if (u->kind != HW_MVU && u->kind != HW_VVU && u->kind != HW_THRESHOLD) continue;
    ir_arena *a = d->g->arena;
    if (u->kind != HW_THRESHOLD &&
        write_mem(a, dir, ir_sprintf(a, "%s_w.mem", u->name), u, write_weights, files))
      return -1;
    if (hw_uses_table(u)) {
      if (write_tables(a, dir, u, files)) return -1;
    } else if (u->nthresh &&
               write_mem(a, dir, ir_sprintf(a, "%s_t.mem", u->name), u, write_thresholds, files)) {
      return -1;
    }
  }
  char path[4096];
  snprintf(path, sizeof path, "%s/%s.sv", dir, top);
  FILE *f = fopen(path, "w");
  if (!f) return ir_errorf(path, NULL, "cannot write: %s", strerror(errno));
  int rc = write_top(d, f, top);
  if (fclose(f) || rc) return rc ? rc : ir_errorf(path, NULL, "write failed");
  add_file(d->g->arena, files, ir_sprintf(d->g->arena, "%s.sv", top));
  return 0;
}
