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

/* One mvu on one vector: values are the elements' integer meaning (bipolar
 * elements are -1/+1 here; the stream packs them as 0/1). */
static void mvu_vector(const hw_unit *u, const int64_t *x, int64_t *y) {
  for (int j = 0; j < u->mh; j++) {
    const int32_t *w = u->weights + (size_t)j * u->mw;
    int64_t acc = 0;
    for (int i = 0; i < u->mw; i++) acc += (int64_t)w[i] * x[i];
    if (u->nthresh) {
      const int64_t *t = u->thresholds + (size_t)j * u->nthresh;
      int64_t c = 0;
      for (int k = 0; k < u->nthresh; k++) c += acc >= t[k];
      y[j] = u->out.bipolar ? (c ? 1 : -1) : c + u->out_bias;
    } else {
      y[j] = acc;
    }
  }
}

static void threshold_vector(const hw_unit *u, const int64_t *x, int64_t *y) {
  for (int j = 0; j < u->mh; j++) {
    const int64_t *t = u->thresholds + (size_t)j * u->nthresh;
    int64_t c = 0;
    for (int k = 0; k < u->nthresh; k++) c += x[j] >= t[k];
    y[j] = u->out.bipolar ? (c ? 1 : -1) : c + u->out_bias;
  }
}

int64_t hw_run_unit(const hw_unit *u, const int64_t *in, int64_t n_in, int64_t *out) {
  switch (u->kind) {
  case HW_MVU:
    for (int v = 0; v < u->numvec; v++) mvu_vector(u, in + (size_t)v * u->mw, out + (size_t)v * u->mh);
    return (int64_t)u->mh * u->numvec;
  case HW_THRESHOLD:
    for (int v = 0; v < u->numvec; v++) threshold_vector(u, in + (size_t)v * u->mh, out + (size_t)v * u->mh);
    return (int64_t)u->mh * u->numvec;
  default: /* fifo, dwc: data unchanged */
    memcpy(out, in, (size_t)n_in * sizeof(int64_t));
    return n_in;
  }
}

void hw_run_frame(const hw_design *d, const int64_t *in, int64_t *out) {
  int64_t maxw = d->in_elems;
  for (int i = 0; i < d->nunits; i++) {
    int64_t n = (int64_t)d->units[i].mh * d->units[i].numvec;
    if (n > maxw) maxw = n;
  }
  int64_t *cur = malloc((size_t)maxw * sizeof(int64_t)), *nxt = malloc((size_t)maxw * sizeof(int64_t));
  if (!cur || !nxt) abort();
  memcpy(cur, in, (size_t)d->in_elems * sizeof(int64_t));
  int64_t n = d->in_elems;
  for (int i = 0; i < d->nunits; i++) {
    n = hw_run_unit(&d->units[i], cur, n, nxt);
    int64_t *t = cur;
    cur = nxt;
    nxt = t;
  }
  memcpy(out, cur, (size_t)d->out_elems * sizeof(int64_t));
  free(cur);
  free(nxt);
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
  for (int64_t i = 0; i < x->n; i++) {
    double v = ir_buf_get(x, i);
    hw_in[i] = d->in_bipolar ? (v >= 0 ? 1 : -1) : llrint(v / d->in_scale);
  }
  return 0;
}

int hw_host_post(const hw_design *d, ir_exec_ctx *ctx, const int64_t *hw_out, ir_buf **outputs) {
  const ir_graph *g = d->g;
  ir_buf **vals = ir_alloc_array(ctx->arena, (size_t)g->ntensors, sizeof(ir_buf *));
  const ir_tensor *t = d->hw_out;
  ir_buf *v = ir_buf_new(ctx->arena, IR_F32, ONNX_FLOAT, t->rank, t->dims);
  if (!v || v->n != d->out_elems)
    return ir_errorf(g->file, NULL, "hardware output '%s' has an unexpected shape", t->name);
  int64_t ch = t->rank > 0 ? t->dims[t->rank - 1] : 1;
  for (int64_t i = 0; i < v->n; i++) {
    int64_t c = i % ch;
    if (d->post_acc) {
      float x = (float)((double)d->post_sx * (double)d->post_sw[c] * (double)hw_out[i]);
      if (d->post_alpha != 1.0f) x = d->post_alpha * x;
      if (d->post_bias) x = x + d->post_beta * d->post_bias[d->post_nbias == 1 ? 0 : c];
      v->f[i] = x;
    } else {
      v->f[i] = (float)hw_out[i] * d->post_s[d->post_ns == 1 ? 0 : c];
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
