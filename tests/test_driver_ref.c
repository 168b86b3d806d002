/* test_driver_ref.c - reference data from qonnx-rtl's own C code for
 * tests/test_driver.py, which checks driver.py against it.
 *
 *   test_driver_ref pack SEED OUTDIR
 *     random frames of every stream element type (bipolar, 1..8-bit signed and
 *     unsigned, odd wider ones), random elements per beat, packed by rtl_pack:
 *     OUTDIR/pack.txt lists the cases ("NAME BITS SIGNED BIPOLAR ELEMS
 *     TDATA_BITS BEATS"), OUTDIR/NAME_vals.npy (int64 values) and
 *     OUTDIR/NAME_words.npy (the 32-bit words of each beat, [beats, words]).
 *
 *   test_driver_ref host MODEL FOLD.json N SEED OUTDIR
 *     the design as `qonnx-rtl MODEL --fold=FOLD.json` builds it; N random
 *     float inputs through hw_host_pre (x.npy -> hwin.npy), rtl_pack
 *     (inwords.npy), the integer model hw_run_frame (hwout.npy), rtl_pack
 *     (outwords.npy) and hw_host_post (y.npy, the first graph output).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontend/frontend.h"
#include "ir/hw.h"
#include "rtlgen/rtlgen.h"

static uint64_t rng(uint64_t *s) {
  uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

static int save(ir_arena *a, const char *dir, const char *name, ir_store st, int rank, const int64_t *dims,
                const void *data) {
  ir_buf *b = ir_buf_new(a, st, st == IR_F32 ? ONNX_FLOAT : ONNX_INT64, rank, dims);
  if (!b) return -1;
  memcpy(st == IR_F32 ? (void *)b->f : (void *)b->i, data, (size_t)b->n * (st == IR_F32 ? sizeof(float) : sizeof(int64_t)));
  return fe_write_npy(ir_sprintf(a, "%s/%s.npy", dir, name), b);
}

/* words (uint32) of nbeats beats -> int64 array [nbeats, wpb] */
static int save_words(ir_arena *a, const char *dir, const char *name, const uint32_t *w, int64_t nbeats, int wpb) {
  int64_t *v = malloc((size_t)(nbeats * wpb) * sizeof(int64_t));
  for (int64_t i = 0; i < nbeats * wpb; i++) v[i] = w[i];
  int rc = save(a, dir, name, IR_I64, 2, (int64_t[]){nbeats, wpb}, v);
  free(v);
  return rc;
}

static int cmd_pack(uint64_t seed, const char *dir) {
  ir_arena *a = ir_arena_new();
  FILE *list = fopen(ir_sprintf(a, "%s/pack.txt", dir), "w");
  if (!list) return 1;
  hw_etype types[64];
  int nt = 0;
  types[nt++] = (hw_etype){1, false, true};
  for (int b = 1; b <= 8; b++) types[nt++] = (hw_etype){b, false, false};
  for (int b = 1; b <= 8; b++) types[nt++] = (hw_etype){b, true, false};
  static const int odd[] = {9, 11, 13, 15, 17, 23, 31};
  for (int i = 0; i < 7; i++) {
    types[nt++] = (hw_etype){odd[i], i % 2 == 0, false};
    types[nt++] = (hw_etype){odd[i], i % 2 != 0, false};
  }
  int rc = 0;
  for (int t = 0; t < nt && !rc; t++)
    for (int rep = 0; rep < 3 && !rc; rep++) {
      hw_etype ty = types[t];
      int bits = hw_etype_bits(ty);
      int elems = rep == 0 ? 1 : 1 + (int)(rng(&seed) % 40);
      int tdata = (elems * bits + 7) / 8 * 8, wpb = (tdata + 31) / 32;
      int64_t beats = 1 + (int64_t)(rng(&seed) % 20), n = beats * elems;
      int64_t lo = (int64_t)hw_etype_min(ty), hi = (int64_t)hw_etype_max(ty);
      int64_t *vals = malloc((size_t)n * sizeof(int64_t));
      for (int64_t i = 0; i < n; i++) {
        vals[i] = ty.bipolar ? (rng(&seed) & 1 ? 1 : -1) : lo + (int64_t)(rng(&seed) % (uint64_t)(hi - lo + 1));
        if (i < 2) vals[i] = i ? hi : lo; /* the extremes always */
      }
      uint32_t *w = calloc((size_t)(beats * wpb), sizeof(uint32_t));
      int64_t got = rtl_pack(vals, n, elems, ty, tdata, w);
      const char *name = ir_sprintf(a, "%s%d_%d", ty.bipolar ? "bipolar" : ty.is_signed ? "int" : "uint", bits, rep);
      rc = got != beats || save(a, dir, ir_sprintf(a, "%s_vals", name), IR_I64, 1, &n, vals) ||
           save_words(a, dir, ir_sprintf(a, "%s_words", name), w, beats, wpb);
      fprintf(list, "%s %d %d %d %d %d %lld\n", name, bits, ty.is_signed && !ty.bipolar, ty.bipolar, elems, tdata,
              (long long)beats);
      free(vals);
      free(w);
    }
  fclose(list);
  ir_arena_free(a);
  return rc;
}

static int cmd_host(const char *model, const char *fold, int64_t frames, uint64_t seed, const char *dir) {
  ir_graph *g = fe_load(model);
  if (!g || fe_cleanup(g)) return 1;
  hw_design *d = hw_streamline(g);
  hw_fold_opts fo = {fold, hw_find_part("xc7z020"), 100};
  if (!d || hw_fold(d, &fo) || hw_insert_plumbing(d)) return 1;
  if (g->ninputs != 1) return fprintf(stderr, "test_driver_ref: one input only\n"), 1;
  const ir_tensor *in = g->inputs[0];
  int64_t per = ir_shape_numel(in->rank, in->dims), nin = d->in_elems, nout = d->out_elems;
  int ib = rtl_in_tdata_bits(d), ob = rtl_out_tdata_bits(d);
  int64_t ibeats = rtl_in_beats_per_frame(d), obeats = rtl_out_beats_per_frame(d);
  int iw = (ib + 31) / 32, ow = (ob + 31) / 32;
  float *x = malloc((size_t)(frames * per) * sizeof(float));
  int64_t *hin = malloc((size_t)(frames * nin) * sizeof(int64_t)), *hout = malloc((size_t)(frames * nout) * sizeof(int64_t));
  uint32_t *wi = calloc((size_t)(frames * ibeats * iw), 4), *wo = calloc((size_t)(frames * obeats * ow), 4);
  float *y = NULL;
  int64_t ny = 0;
  ir_arena *run = ir_arena_new();
  static const double mags[] = {0.5, 1, 3, 20, 300};
  for (int64_t f = 0; f < frames; f++) {
    ir_arena_reset(run);
    ir_exec_ctx ctx = {run, g};
    ir_buf *one = ir_buf_new(run, IR_F32, ONNX_FLOAT, in->rank, in->dims);
    if (d->npre == 0) { /* integer input: levels times the scale */
      hw_random_frame(d, &seed, hin + f * nin);
      for (int64_t i = 0; i < per; i++) one->f[i] = (float)((double)hin[f * nin + i] * d->in_scale);
    } else if (ir_dtype_is_integer(in->dtype)) { /* an integer-annotated input: values of its type */
      double lo = ir_dtype_min(in->dtype), hi = ir_dtype_max(in->dtype);
      for (int64_t i = 0; i < per; i++) {
        uint64_t r = rng(&seed);
        one->f[i] = in->dtype.kind == QDT_BIPOLAR ? (r & 1 ? 1.0f : -1.0f)
                                                  : (float)(lo + (double)(r % (uint64_t)(hi - lo + 1)));
      }
    } else {
      double m = mags[rng(&seed) % 5];
      for (int64_t i = 0; i < per; i++)
        one->f[i] = (float)(m * ((double)(rng(&seed) >> 11) / 9007199254740992.0 * 2 - 1));
    }
    memcpy(x + f * per, one->f, (size_t)per * sizeof(float));
    if (hw_host_pre(d, &ctx, &one, hin + f * nin)) return 1;
    hw_run_frame(d, hin + f * nin, hout + f * nout);
    rtl_pack(hin + f * nin, nin, rtl_in_elems_per_beat(d), d->in_type, ib, wi + f * ibeats * iw);
    rtl_pack(hout + f * nout, nout, rtl_out_elems_per_beat(d), d->out_type, ob, wo + f * obeats * ow);
    ir_buf **outs = ir_alloc_array(run, (size_t)g->noutputs, sizeof(ir_buf *));
    if (hw_host_post(d, &ctx, hout + f * nout, outs)) return 1;
    if (!y) {
      ny = outs[0]->n;
      y = malloc((size_t)(frames * ny) * sizeof(float));
    }
    for (int64_t i = 0; i < ny; i++) y[f * ny + i] = (float)ir_buf_get(outs[0], i);
  }
  ir_arena *a = ir_arena_new();
  int rc = save(a, dir, "x", IR_F32, 2, (int64_t[]){frames, per}, x) ||
           save(a, dir, "hwin", IR_I64, 2, (int64_t[]){frames, nin}, hin) ||
           save(a, dir, "hwout", IR_I64, 2, (int64_t[]){frames, nout}, hout) ||
           save(a, dir, "y", IR_F32, 2, (int64_t[]){frames, ny}, y) ||
           save_words(a, dir, "inwords", wi, frames * ibeats, iw) ||
           save_words(a, dir, "outwords", wo, frames * obeats, ow);
  ir_arena_free(a);
  ir_arena_free(run);
  free(x), free(hin), free(hout), free(wi), free(wo), free(y);
  ir_graph_free(g);
  return rc;
}

int main(int argc, char **argv) {
  ir_verbosity = 0;
  if (argc == 4 && !strcmp(argv[1], "pack")) return cmd_pack(strtoull(argv[2], NULL, 10), argv[3]);
  if (argc == 7 && !strcmp(argv[1], "host"))
    return cmd_host(argv[2], argv[3], strtoll(argv[4], NULL, 10), strtoull(argv[5], NULL, 10), argv[6]);
  fprintf(stderr, "usage: test_driver_ref pack SEED OUTDIR | host MODEL FOLD.json N SEED OUTDIR\n");
  return 2;
}
