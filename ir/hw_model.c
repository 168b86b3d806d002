/* hw_model.c - the integer model of the hardware (bit-exact with the RTL) and
 * the host pre/post-processing around it. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ir/hw.h"

int hw_etype_bits(hw_etype t) { return t.bipolar ? 1 : t.bits; }

double hw_etype_min(hw_etype t) {
  if (t.bipolar) return -1;
  return t.is_signed ? -ldexp(1, t.bits - 1) : 0;
}

double hw_etype_max(hw_etype t) {
  if (t.bipolar) return 1;
  return t.is_signed ? ldexp(1, t.bits - 1) - 1 : ldexp(1, t.bits) - 1;
}

const char *hw_etype_name(ir_arena *a, hw_etype t) {
  if (t.bipolar) return "BIPOLAR";
  return ir_sprintf(a, "%s%d", t.is_signed ? "INT" : "UINT", t.bits);
}

static const char *const kind_names[HW_NKINDS] = {
    [HW_MVU] = "mvu",         [HW_THRESHOLD] = "threshold", [HW_LABELSELECT] = "labelselect",
    [HW_FIFO] = "fifo",       [HW_DWC] = "dwc",             [HW_SWG] = "swg",
    [HW_PAD] = "pad",         [HW_VVU] = "vvu",             [HW_MAXPOOL] = "maxpool",
    [HW_AVGPOOL] = "avgpool", [HW_ADD] = "add",             [HW_DUP] = "dup",
    [HW_CONCAT] = "concat",   [HW_UPSAMPLE] = "upsample",   [HW_D2S] = "depth2space"};

const char *hw_kind_name(hw_kind k) { return k < HW_NKINDS && kind_names[k] ? kind_names[k] : "?"; }

static int swg_oh(const hw_unit *u) { return (u->ih - (u->kh - 1) * u->dh - 1) / u->sh + 1; }
static int swg_ow(const hw_unit *u) { return (u->iw - (u->kw - 1) * u->dw - 1) / u->sw + 1; }

/* qr_swg's buffer in beats of SIMD elements (rtl-lib/qr_swg.sv's header):
 *   Cap = S + J + X + L + CF,  CF = C/SIMD
 *   S  = ((KH-1)*DH*W + (KW-1)*DW + 1) * CF          one window's span
 *   J  = the largest jump of the window origin (next column, row, frame)
 *   L  = KH*KW*CF                                     beats per window
 *   X  = extra room so a row of windows overlaps the next row's input */
int64_t hw_swg_buffer_beats(const hw_unit *u) {
  int64_t simd = u->simd > 0 ? u->simd : 1;
  int64_t cf = u->c / simd, oh = swg_oh(u), ow = swg_ow(u), w = u->iw, h = u->ih;
  int64_t L = (int64_t)u->kh * u->kw * cf;
  int64_t S = ((int64_t)(u->kh - 1) * u->dh * w + (int64_t)(u->kw - 1) * u->dw + 1) * cf;
  int64_t jcol = (int64_t)u->sw * cf;
  int64_t jrow = ((int64_t)u->sh * w - (ow - 1) * u->sw) * cf;
  int64_t jfrm = (h * w - (oh - 1) * u->sh * w - (ow - 1) * u->sw) * cf;
  int64_t j = jfrm;
  if (ow > 1 && jcol > j) j = jcol;
  if (oh > 1 && jrow > j) j = jrow;
  int64_t orow = ow * L, ilast = (h - (oh - 1) * u->sh) * w * cf;
  int64_t x = (orow < (int64_t)u->sh * w * cf && orow > ilast) ? orow - ilast : 0;
  return S + j + x + L + cf;
}

/* The buffer a unit holds (line/row buffers, FIFOs, sums), in bits, with the
 * formula and its values; NULL for units without one worth reporting. */
const char *hw_unit_buffer(const hw_unit *u, ir_arena *a, int64_t *bits) {
  int64_t b = hw_etype_bits(u->in), simd = u->simd > 0 ? u->simd : 1, pe = u->pe > 0 ? u->pe : 1;
  switch (u->kind) {
  case HW_SWG: {
    int64_t cap = hw_swg_buffer_beats(u);
    *bits = cap * simd * b;
    return ir_sprintf(a, "window span ((KH-1)*DH*W + (KW-1)*DW + 1)*C/SIMD + origin jump + one "
                      "window KH*KW*C/SIMD + row overlap + C/SIMD = %lld beats x %lld x %lld bits "
                      "(KH=%d KW=%d DH=%d DW=%d W=%d C=%d SIMD=%lld)", (long long)cap, (long long)simd,
                      (long long)b, u->kh, u->kw, u->dh, u->dw, u->iw, u->c, (long long)simd);
  }
  case HW_UPSAMPLE:
    *bits = 2LL * u->iw * u->c * b;
    return ir_sprintf(a, "2 rows: 2*W*C*bits = 2*%d*%d*%lld", u->iw, u->c, (long long)b);
  case HW_D2S:
    *bits = 2LL * u->iw * u->c * u->block * u->block * b;
    return ir_sprintf(a, "2 input rows: 2*W*C*B*B*bits = 2*%d*%d*%d*%d*%lld", u->iw, u->c, u->block,
                      u->block, (long long)b);
  case HW_FIFO:
    *bits = (int64_t)u->depth * u->in_elems * b;
    return ir_sprintf(a, "depth %d x %d elements x %lld bits; %s", u->depth, u->in_elems, (long long)b,
                      u->note ? u->note : "");
  case HW_AVGPOOL:
    if (!u->global) return NULL;
    *bits = (int64_t)u->mh * hw_etype_bits(u->out);
    return ir_sprintf(a, "per-channel sums: C*OBits = %d*%d", u->mh, hw_etype_bits(u->out));
  case HW_MVU:
    *bits = 2LL * u->mw * b;
    return ir_sprintf(a, "input double buffer: 2*MW*bits = 2*%d*%lld", u->mw, (long long)b);
  default:
    (void)pe;
    return NULL;
  }
}

/* How much of a frame a unit can hold before it must hand data on: its
 * input-side buffering as a fraction of its input frame plus its output-side
 * buffering as a fraction of its output frame (an upper bound). */
double hw_unit_hold_frames(const hw_unit *u) {
  double in = (double)hw_unit_in_frame(u, 0), out = (double)hw_unit_out_frame(u);
  if (in < 1) in = 1;
  if (out < 1) out = 1;
  double ib = 0, ob = 0; /* elements */
  int simd = u->simd > 0 ? u->simd : 1, pe = u->pe > 0 ? u->pe : 1;
  switch (u->kind) {
  case HW_SWG: ib = (double)hw_swg_buffer_beats(u) * simd; ob = 2.0 * simd; break;
  case HW_MVU: ib = 2.0 * u->mw; ob = 8.0 * pe; break;
  case HW_VVU: case HW_MAXPOOL: case HW_AVGPOOL:
    ib = (double)u->mw * u->mh; ob = 8.0 * pe;
    if (u->global) ib = in;
    break;
  case HW_UPSAMPLE: ib = 2.0 * u->iw * u->c; ob = 2.0 * simd; break;
  case HW_D2S: ib = 2.0 * u->iw * u->c * u->block * u->block; ob = 2.0 * simd; break;
  case HW_FIFO: ib = (double)u->depth * u->in_elems; break;
  case HW_LABELSELECT: ib = in; ob = u->k; break;
  default: ib = 4.0 * (pe > simd ? pe : simd); ob = 4.0 * (pe > simd ? pe : simd); break;
  }
  return ib / in + ob / out;
}

int64_t hw_unit_in_frame(const hw_unit *u, int k) {
  int64_t nv = u->numvec;
  switch (u->kind) {
  case HW_MVU: return nv * u->mw;
  case HW_THRESHOLD: case HW_ADD: case HW_DUP: return nv * u->mh;
  case HW_LABELSELECT: return u->mw;
  case HW_FIFO: case HW_DWC: return nv * u->mw;
  case HW_SWG: case HW_PAD: case HW_UPSAMPLE: return (int64_t)u->c * u->ih * u->iw;
  case HW_D2S: return (int64_t)u->c * u->ih * u->iw * u->block * u->block;
  case HW_VVU: case HW_MAXPOOL: return nv * u->mh * u->mw;
  case HW_AVGPOOL: return u->global ? u->pixels * u->mh : nv * u->mh * u->mw;
  case HW_CONCAT: return nv * (k ? u->cb : u->ca);
  case HW_NKINDS: break;
  }
  return 0;
}

int64_t hw_unit_out_frame(const hw_unit *u) {
  int64_t nv = u->numvec;
  switch (u->kind) {
  case HW_MVU: case HW_THRESHOLD: case HW_ADD: case HW_DUP: return nv * u->mh;
  case HW_LABELSELECT: return u->k;
  case HW_FIFO: case HW_DWC: return nv * u->mw;
  case HW_SWG: return (int64_t)swg_oh(u) * swg_ow(u) * u->kh * u->kw * u->c;
  case HW_PAD:
    return (int64_t)u->c * (u->ih + u->pad[0] + u->pad[1]) * (u->iw + u->pad[2] + u->pad[3]);
  case HW_UPSAMPLE: return (int64_t)u->c * u->ih * u->sh * u->iw * u->sw;
  case HW_D2S: return (int64_t)u->c * u->ih * u->iw * u->block * u->block;
  case HW_VVU: case HW_MAXPOOL: return nv * u->mh;
  case HW_AVGPOOL: return u->global ? u->mh : nv * u->mh;
  case HW_CONCAT: return nv * (u->ca + u->cb);
  case HW_NKINDS: break;
  }
  return 0;
}

int hw_unit_in_per_beat(const hw_unit *u) {
  switch (u->kind) {
  case HW_MVU: return u->simd;
  case HW_VVU: return u->pe * u->simd;
  case HW_FIFO: case HW_DWC: return u->in_elems;
  case HW_SWG: case HW_PAD: case HW_UPSAMPLE: case HW_D2S: return u->simd;
  default: return u->pe;
  }
}

int hw_unit_out_per_beat(const hw_unit *u) {
  switch (u->kind) {
  case HW_LABELSELECT: return u->k;
  case HW_FIFO: case HW_DWC: return u->out_elems;
  case HW_SWG: case HW_PAD: case HW_UPSAMPLE: case HW_D2S: return u->simd;
  default: return u->pe;
  }
}

void hw_follow_leader(hw_design *d, hw_unit *u) {
  if ((u->kind != HW_SWG && u->kind != HW_PAD) || u->leader < 0 || u->leader >= d->nunits) return;
  const hw_unit *l = &d->units[u->leader];
  int s = l->kind == HW_MVU ? (int)hw_gcd(l->simd, u->c) : l->pe;
  u->simd = s > 0 && u->c % s == 0 ? s : 1;
}

/* One mvu on one vector: values are the elements' integer meaning (bipolar
 * elements are -1/+1 here; the stream packs them as 0/1). */
static int64_t apply_thresholds(const hw_unit *u, int ch, int64_t acc) {
  if (!u->nthresh) return acc;
  const int64_t *t = u->thresholds + (size_t)ch * u->nthresh;
  int64_t c = 0;
  for (int k = 0; k < u->nthresh; k++) c += acc >= t[k];
  return u->out.bipolar ? (c ? 1 : -1) : c + u->out_bias;
}

static void mvu_vector(const hw_unit *u, const int64_t *x, int64_t *y) {
  for (int j = 0; j < u->mh; j++) {
    const int32_t *w = u->weights + (size_t)j * u->mw;
    int64_t acc = 0;
    for (int i = 0; i < u->mw; i++) acc += (int64_t)w[i] * x[i];
    y[j] = apply_thresholds(u, j, acc);
  }
}

/* swg: windows of a (padded) NHWC image. */
static void swg_frame(const hw_unit *u, const int64_t *x, int64_t *y) {
  int oh = swg_oh(u), ow = swg_ow(u), C = u->c, s = u->simd > 0 ? u->simd : 1;
  int64_t o = 0;
  for (int oy = 0; oy < oh; oy++)
    for (int ox = 0; ox < ow; ox++) {
      if (!u->dw_order) {
        for (int ky = 0; ky < u->kh; ky++)
          for (int kx = 0; kx < u->kw; kx++) {
            const int64_t *p = x + ((int64_t)(oy * u->sh + ky * u->dh) * u->iw + ox * u->sw + kx * u->dw) * C;
            for (int c = 0; c < C; c++) y[o++] = p[c];
          }
      } else {
        for (int cf = 0; cf < C / s; cf++)
          for (int ky = 0; ky < u->kh; ky++)
            for (int kx = 0; kx < u->kw; kx++) {
              const int64_t *p = x + ((int64_t)(oy * u->sh + ky * u->dh) * u->iw + ox * u->sw + kx * u->dw) * C;
              for (int c = 0; c < s; c++) y[o++] = p[cf * s + c];
            }
      }
    }
}

static void pad_frame(const hw_unit *u, const int64_t *x, int64_t *y) {
  int H = u->ih + u->pad[0] + u->pad[1], W = u->iw + u->pad[2] + u->pad[3];
  int64_t o = 0;
  for (int yy = 0; yy < H; yy++)
    for (int xx = 0; xx < W; xx++) {
      int iy = yy - u->pad[0], ix = xx - u->pad[2];
      bool in = iy >= 0 && iy < u->ih && ix >= 0 && ix < u->iw;
      for (int c = 0; c < u->c; c++)
        y[o++] = in ? x[((int64_t)iy * u->iw + ix) * u->c + c] : u->pad_value;
    }
}

/* Reducers over taps: input per pixel in (c group of PE, tap, PE) order. */
static void taps_frame(const hw_unit *u, const int64_t *x, int64_t *y) {
  int C = u->mh, K = u->mw, P = u->pe > 0 ? u->pe : 1;
  for (int64_t v = 0; v < u->numvec; v++) {
    const int64_t *px = x + v * C * K;
    for (int c = 0; c < C; c++) {
      int cf = c / P, p = c % P;
      int64_t acc = u->kind == HW_MAXPOOL ? INT64_MIN : 0;
      for (int t = 0; t < K; t++) {
        int64_t e = px[((int64_t)cf * K + t) * P + p];
        if (u->kind == HW_MAXPOOL) acc = e > acc ? e : acc;
        else if (u->kind == HW_VVU) acc += e * u->weights[(size_t)c * K + t];
        else acc += e;
      }
      y[v * C + c] = u->kind == HW_VVU ? apply_thresholds(u, c, acc) : acc;
    }
  }
}

static void d2s_frame(const hw_unit *u, const int64_t *x, int64_t *y) {
  int B = u->block, C = u->c, IC = C * B * B, OW = u->iw * B;
  for (int yy = 0; yy < u->ih * B; yy++)
    for (int xx = 0; xx < OW; xx++)
      for (int c = 0; c < C; c++) {
        int by = yy % B, bx = xx % B;
        int ch = u->mode == 0 ? (by * B + bx) * C + c : c * B * B + by * B + bx;
        y[((int64_t)yy * OW + xx) * C + c] = x[((int64_t)(yy / B) * u->iw + xx / B) * IC + ch];
      }
}

static void upsample_frame(const hw_unit *u, const int64_t *x, int64_t *y) {
  int OH = u->ih * u->sh, OW = u->iw * u->sw, C = u->c;
  for (int yy = 0; yy < OH; yy++)
    for (int xx = 0; xx < OW; xx++)
      for (int c = 0; c < C; c++)
        y[((int64_t)yy * OW + xx) * C + c] = x[((int64_t)(yy / u->sh) * u->iw + xx / u->sw) * C + c];
}

/* labelselect: indices of the k largest scores, ties to the lower index. */
static void labelselect_frame(const hw_unit *u, const int64_t *x, int64_t *y) {
  char *taken = calloc((size_t)u->mw, 1);
  if (!taken) abort();
  for (int r = 0; r < u->k; r++) {
    int best = -1;
    for (int i = 0; i < u->mw; i++)
      if (!taken[i] && (best < 0 || x[i] > x[best])) best = i;
    taken[best] = 1;
    y[r] = best;
  }
  free(taken);
}

int64_t hw_run_unit(const hw_unit *u, const int64_t *in, int64_t n_in, int64_t *out) {
  return hw_run_unit2(u, in, NULL, n_in, out);
}

/* A unit on one frame; in2 is the second input of add / concat. */
int64_t hw_run_unit2(const hw_unit *u, const int64_t *in, const int64_t *in2, int64_t n_in, int64_t *out) {
  switch (u->kind) {
  case HW_MVU:
    for (int v = 0; v < u->numvec; v++) mvu_vector(u, in + (size_t)v * u->mw, out + (size_t)v * u->mh);
    break;
  case HW_THRESHOLD:
    for (int64_t i = 0; i < (int64_t)u->numvec * u->mh; i++) out[i] = apply_thresholds(u, (int)(i % u->mh), in[i]);
    break;
  case HW_LABELSELECT: labelselect_frame(u, in, out); break;
  case HW_SWG: swg_frame(u, in, out); break;
  case HW_PAD: pad_frame(u, in, out); break;
  case HW_VVU: case HW_MAXPOOL: taps_frame(u, in, out); break;
  case HW_AVGPOOL:
    if (u->global) {
      for (int c = 0; c < u->mh; c++) {
        int64_t s = 0;
        for (int64_t p = 0; p < u->pixels; p++) s += in[p * u->mh + c];
        out[c] = s;
      }
    } else {
      taps_frame(u, in, out);
    }
    break;
  case HW_ADD:
    for (int64_t i = 0; i < (int64_t)u->numvec * u->mh; i++) out[i] = u->mul_a * in[i] + u->mul_b * in2[i];
    break;
  case HW_CONCAT:
    for (int64_t v = 0; v < u->numvec; v++) {
      memcpy(out + v * (u->ca + u->cb), in + v * u->ca, (size_t)u->ca * sizeof(int64_t));
      memcpy(out + v * (u->ca + u->cb) + u->ca, in2 + v * u->cb, (size_t)u->cb * sizeof(int64_t));
    }
    break;
  case HW_UPSAMPLE: upsample_frame(u, in, out); break;
  case HW_D2S: d2s_frame(u, in, out); break;
  case HW_FIFO: case HW_DWC: case HW_DUP: case HW_NKINDS:
    memcpy(out, in, (size_t)n_in * sizeof(int64_t));
    return n_in;
  }
  return hw_unit_out_frame(u);
}

/* Units in order; keep[i]: unit i's output is kept to the end. */
static int64_t **run_units(const hw_design *d, const int64_t *in, bool keep_all) {
  int n = d->nunits;
  int64_t **val = calloc((size_t)n + 1, sizeof(int64_t *));
  int *uses = calloc((size_t)n + 1, sizeof(int));
  if (!val || !uses) abort();
  for (int i = 0; i < n; i++)
    for (int k = 0; k < hw_nsrc(&d->units[i]); k++)
      if (hw_src(&d->units[i], i, k) >= 0) uses[hw_src(&d->units[i], i, k)]++;
  for (int i = 0; i < n; i++) {
    const hw_unit *u = &d->units[i];
    const int64_t *x[2] = {in, in};
    for (int k = 0; k < hw_nsrc(u); k++)
      if (hw_src(u, i, k) >= 0) x[k] = val[hw_src(u, i, k)];
    int64_t no = hw_unit_out_frame(u), ni = hw_unit_in_frame(u, 0);
    val[i] = malloc((size_t)(no > ni ? no : ni) * sizeof(int64_t) + 8);
    if (!val[i]) abort();
    hw_run_unit2(u, x[0], x[1], ni, val[i]);
    if (keep_all) continue;
    for (int k = 0; k < hw_nsrc(u); k++) {
      int s = hw_src(u, i, k);
      if (s >= 0 && --uses[s] == 0 && s != n - 1) {
        free(val[s]);
        val[s] = NULL;
      }
    }
  }
  free(uses);
  return val;
}

void hw_free_frame_all(const hw_design *d, int64_t **all) {
  for (int i = 0; i < d->nunits; i++) free(all[i]);
  free(all);
}

int64_t **hw_run_frame_all(const hw_design *d, const int64_t *in) { return run_units(d, in, true); }

void hw_run_frame(const hw_design *d, const int64_t *in, int64_t *out) {
  int64_t **val = run_units(d, in, false);
  memcpy(out, val[d->nunits - 1], (size_t)d->out_elems * sizeof(int64_t));
  hw_free_frame_all(d, val);
}

int64_t hw_channel_of(const ir_tensor *t, int64_t i) {
  if (t->rank == 4) return (i / (t->dims[2] * t->dims[3])) % t->dims[1];
  return t->rank > 0 ? i % t->dims[t->rank - 1] : 0;
}

int hw_host_pre(const hw_design *d, ir_exec_ctx *ctx, ir_buf *const *inputs, int64_t *hw_in) {
  const ir_graph *g = d->g;
  ir_buf **vals = ir_alloc_array(ctx->arena, (size_t)g->ntensors, sizeof(ir_buf *));
  for (int i = 0; i < g->ninputs; i++) vals[g->inputs[i]->id] = inputs[i];
  if (ir_exec_nodes(ctx, d->pre, d->npre, vals)) return -1;
  const ir_buf *x = vals[d->hw_in->id];
  if (!x || x->n != d->in_elems)
    return ir_errorf(g->file, NULL, "host pre-processing did not produce '%s' with %lld elements",
                     d->hw_in->name, (long long)d->in_elems);
  for (int64_t p = 0; p < x->n; p++) {
    double v = ir_buf_get(x, d->in_order ? d->in_order[p] : p);
    hw_in[p] = d->in_bipolar ? (v >= 0 ? 1 : -1) : llrint(v / d->in_scale);
  }
  return 0;
}

int hw_host_post(const hw_design *d, ir_exec_ctx *ctx, const int64_t *hw_out, ir_buf **outputs) {
  const ir_graph *g = d->g;
  ir_buf **vals = ir_alloc_array(ctx->arena, (size_t)g->ntensors, sizeof(ir_buf *));
  const ir_tensor *t = d->hw_out;
  ir_buf *v = d->post_index ? ir_buf_new(ctx->arena, IR_I64, ONNX_INT64, t->rank, t->dims)
                            : ir_buf_new(ctx->arena, IR_F32, ONNX_FLOAT, t->rank, t->dims);
  if (!v || v->n != d->out_elems)
    return ir_errorf(g->file, NULL, "hardware output '%s' has an unexpected shape", t->name);
  for (int64_t p = 0; p < v->n; p++) {
    int64_t i = d->out_order ? d->out_order[p] : p;
    int64_t c = hw_channel_of(t, i);
    if (d->post_index) {
      v->i[i] = hw_out[p];
    } else if (d->post_acc) {
      float x = (float)((double)d->post_sx * (double)d->post_sw[c] * (double)hw_out[p]);
      if (d->post_alpha != 1.0f) x = d->post_alpha * x;
      if (d->post_bias) x = x + d->post_beta * d->post_bias[d->post_nbias == 1 ? 0 : c];
      v->f[i] = x;
    } else {
      v->f[i] = (float)hw_out[p] * d->post_s[d->post_ns == 1 ? 0 : c];
    }
  }
  vals[t->id] = v;
  if (ir_exec_nodes(ctx, d->post, d->npost, vals)) return -1;
  for (int i = 0; i < g->noutputs; i++) {
    outputs[i] = vals[g->outputs[i]->id];
    if (!outputs[i]) return ir_errorf(g->file, NULL, "graph output '%s' was not computed", g->outputs[i]->name);
  }
  return 0;
}
