/* hw_check.c - the integer design against the float QONNX graph.
 *
 * For a frame of integers q at the hardware input, the float graph is run
 * from hw_in = q * in_scale onwards (every node that is not host
 * pre-processing, with the executor's float32 kernels), and the integer path
 * is hw_run_frame() + host post-processing.  Every graph output must be equal
 * bit for bit (the same float32 values).  Pre-processing is common to both
 * paths and so is not part of the comparison. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ir/hw.h"

static uint64_t splitmix(uint64_t *s) {
  uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

void hw_random_frame(const hw_design *d, uint64_t *seed, int64_t *q) {
  int64_t lo = (int64_t)hw_etype_min(d->in_type), hi = (int64_t)hw_etype_max(d->in_type);
  for (int64_t i = 0; i < d->in_elems; i++) {
    if (d->in_type.bipolar) {
      q[i] = splitmix(seed) & 1 ? 1 : -1;
    } else {
      q[i] = lo + (int64_t)(splitmix(seed) % (uint64_t)(hi - lo + 1));
    }
  }
}

/* The part of the graph the check runs: every live node that is not host
 * pre-processing; nodes whose inputs are all constant (weight quantizers and
 * their transposes) are evaluated once, up front. */
typedef struct float_plan {
  ir_node **nodes;         /* per-frame nodes, in order */
  int n;
  ir_buf **consts;         /* values of constant-only nodes' outputs, by tensor id */
} float_plan;

static int plan_float(const hw_design *d, ir_arena *a, float_plan *p) {
  const ir_graph *g = d->g;
  char *pre = ir_alloc(a, (size_t)g->nnodes + 1);
  for (int i = 0; i < d->npre; i++) pre[d->pre[i]->id] = 1;
  p->nodes = ir_alloc_array(a, (size_t)g->nnodes + 1, sizeof(ir_node *));
  p->consts = d->consts; /* computed once by hw_streamline */
  p->n = 0;
  for (int i = 0; i < g->nnodes; i++) {
    ir_node *n = g->nodes[i];
    if (n->dead || pre[n->id]) continue;
    bool constant = n->nout > 0 && n->out[0] && d->consts[n->out[0]->id];
    if (!constant) p->nodes[p->n++] = n;
  }
  return 0;
}

/* Run the float graph from hw_in = q * in_scale; vals[] gets every value. */
static int float_path(const hw_design *d, const float_plan *p, ir_exec_ctx *ctx, const int64_t *q,
                      ir_buf **vals) {
  const ir_graph *g = d->g;
  memcpy(vals, p->consts, (size_t)g->ntensors * sizeof(ir_buf *));
  const ir_tensor *t = d->hw_in;
  ir_buf *x = ir_buf_new(ctx->arena, IR_F32, ONNX_FLOAT, t->rank, t->dims);
  if (!x) return ir_errorf(g->file, NULL, "bad hardware input shape");
  for (int64_t i = 0; i < x->n; i++)
    x->f[d->in_order ? d->in_order[i] : i] = (float)q[i] * (float)d->in_scale;
  vals[t->id] = x;
  return ir_exec_nodes(ctx, p->nodes, p->n, vals);
}

/* Is r within float32 rounding noise of a rounding boundary (a whole or
 * half level)?  There the float graph's level depends on how float32 rounded
 * the products and sums before the quantizer, which no integer design can
 * follow (the reference is not a function of the exact accumulator). */
static bool at_tie(double r) {
  double h = r * 2, n = nearbyint(h);
  return fabs(h - n) <= 1e-4 * (fabs(h) > 1 ? fabs(h) : 1);
}

/* Compare one unit's activation levels with the float graph's values:
 * 0 equal, 1 a real mismatch, 2 only one-level differences at float ties. */
static int check_levels(const hw_design *d, const hw_unit *u, ir_buf **vals, const int64_t *lv,
                        int64_t frame, bool print) {
  const ir_buf *y = vals[u->act_out->id];
  const ir_node *q = u->act_out->producer;
  const ir_buf *x = q && q->in[0] ? vals[q->in[0]->id] : NULL; /* the quantizer's input */
  int rc = 0;
  for (int64_t p = 0; p < y->n; p++) {
    int64_t i = u->act_order ? u->act_order[p] : p;
    int c = (int)hw_channel_of(u->act_out, i);
    float yv = (float)ir_buf_get(y, i);
    double s = u->act_scale[u->act_nscale == 1 ? 0 : c];
    int64_t want = u->out.bipolar ? (yv >= 0 ? 1 : -1) : llrint((double)yv / s);
    if (want == lv[p]) continue;
    if (!u->out.bipolar && x && x->n == y->n && llabs(want - lv[p]) == 1 &&
        at_tie(ir_buf_get(x, i) / s)) {
      rc = 2;
      continue;
    }
    if (print)
      ir_errorf(d->g->file, NULL, "unit %s (%s): frame %lld, element %lld: float graph gives level "
              "%lld, integer design %lld", u->name, u->onnx_act, (long long)frame, (long long)i,
              (long long)want, (long long)lv[p]);
    return 1;
  }
  return rc;
}

/* Tolerance for outputs that are float by nature: a last layer without
 * activation sums non-power-of-two scaled products in float32, whose rounding
 * depends on summation order.  Relative 1e-5, and absolute 1e-5 of the
 * largest output magnitude seen (a sum that cancels to ~0).  The integer
 * result itself is checked exactly before (the float accumulator must round
 * to the hardware's), so the tolerance only covers float rounding. */
#define FLOAT_OUT_RTOL 1e-5
#define FLOAT_OUT_ATOL_REL 1e-5

int hw_check_float(const hw_design *d, int64_t frames, uint64_t seed, int64_t *mismatches) {
  const ir_graph *g = d->g;
  ir_arena *keep = ir_arena_new();
  ir_exec_ctx ctx = {ir_arena_new(), g};
  float_plan plan;
  int rc = plan_float(d, keep, &plan);
  int64_t *cur = malloc((size_t)d->in_elems * sizeof(int64_t));
  int64_t *hw_o = malloc((size_t)d->out_elems * sizeof(int64_t));
  ir_buf **vals = ir_alloc_array(keep, (size_t)g->ntensors + 1, sizeof(ir_buf *));
  ir_buf **io = ir_alloc_array(keep, (size_t)g->noutputs + 1, sizeof(ir_buf *));
  *mismatches = 0;
  int64_t tie_frames = 0;
  double amax = 0; /* largest |output| so far: the scale of the absolute tolerance */
  for (int64_t f = 0; f < frames && rc == 0; f++) {
    ir_arena_reset(ctx.arena);
    hw_random_frame(d, &seed, cur);
    if (float_path(d, &plan, &ctx, cur, vals)) {
      rc = -1;
      break;
    }
    /* Unit by unit: every activation level exactly as the float graph. */
    int bad = 0, tie = 0;
    int64_t **all = hw_run_frame_all(d, cur);
    for (int i = 0; i < d->nunits && !bad && !tie; i++) {
      const hw_unit *u = &d->units[i];
      if (!u->act_out || !vals[u->act_out->id]) continue;
      int r = check_levels(d, u, vals, all[i], f, *mismatches == 0);
      if (r == 1) bad = 1;
      if (r == 2) tie = 1;
    }
    if (tie) { /* the rest of this frame follows from a float tie: not comparable */
      tie_frames++;
      hw_free_frame_all(d, all);
      continue;
    }
    memcpy(hw_o, all[d->nunits - 1], (size_t)d->out_elems * sizeof(int64_t));
    hw_free_frame_all(d, all);
    /* A last layer without activation: its float MatMul/Gemm output must
     * round to the hardware accumulator exactly. */
    if (d->post_acc && !bad && vals[d->hw_out->id]) {
      const ir_buf *m = vals[d->hw_out->id];
      for (int64_t p = 0; p < m->n && !bad; p++) {
        int64_t i = d->out_order ? d->out_order[p] : p;
        int64_t c = hw_channel_of(d->hw_out, i);
        double v = ir_buf_get(m, i);
        if (d->post_bias) v -= (double)d->post_beta * d->post_bias[d->post_nbias == 1 ? 0 : c];
        v /= (double)d->post_alpha * (double)d->post_sx * (double)d->post_sw[c];
        if (fabs(v - (double)hw_o[p]) > 0.5) {
          if (*mismatches == 0)
            ir_errorf(g->file, NULL, "last layer: frame %lld, channel %lld: float graph gives "
                      "accumulator %.3f, integer design %lld", (long long)f, (long long)i, v,
                      (long long)hw_o[p]);
          bad = 1;
        }
      }
    }
    /* The graph outputs through host post-processing. */
    int out_tie = 0;
    if (hw_host_post(d, &ctx, hw_o, io)) {
      rc = -1;
      break;
    }
    for (int o = 0; o < g->noutputs && !bad; o++) {
      const ir_buf *a = vals[g->outputs[o]->id], *b = io[o];
      if (!a || !b || a->n != b->n) {
        rc = ir_errorf(g->file, NULL, "output '%s' missing", g->outputs[o]->name);
        break;
      }
      for (int64_t i = 0; i < a->n; i++)
        if (fabs(ir_buf_get(a, i)) > amax) amax = fabs(ir_buf_get(a, i));
      for (int64_t i = 0; i < a->n; i++) {
        double va = ir_buf_get(a, i), vb = ir_buf_get(b, i);
        bool same = va == vb || (isnan(va) && isnan(vb)) ||
                    (d->post_acc && fabs(va - vb) <= FLOAT_OUT_RTOL * fabs(va) + FLOAT_OUT_ATOL_REL * amax);
        if (same) continue;
        /* the hardware output itself (a quantizer's): a one-level difference at a
         * float tie, as in check_levels */
        const ir_node *qn = g->outputs[o]->producer;
        if (g->outputs[o] == d->hw_out && !d->post_acc && qn && qn->nin > 1 && qn->in[0] &&
            vals[qn->in[0]->id] && vals[qn->in[0]->id]->n == a->n && d->post_ns == 1 &&
            !d->out_type.bipolar) {
          double sc = d->post_s[0];
          if (fabs(fabs(va - vb) - sc) <= 1e-6 * sc && at_tie(ir_buf_get(vals[qn->in[0]->id], i) / sc)) {
            out_tie = 1;
            continue;
          }
        }
        if (*mismatches == 0)
          ir_errorf(g->file, NULL, "integer design differs from the float graph: frame %lld, "
                    "output '%s'[%lld]: float %.9g, integer path %.9g",
                    (long long)f, g->outputs[o]->name, (long long)i, va, vb);
        bad = 1;
        break;
      }
    }
    if (out_tie && !bad) tie_frames++;
    *mismatches += bad;
  }
  if (tie_frames)
    ir_warnf(g->file, NULL, "%lld of %lld frames hit a float32 rounding tie in the float graph (a "
             "value within float rounding of a quantizer boundary, where float32's order of "
             "operations decides); those frames were not compared past it", (long long)tie_frames,
             (long long)frames);
  free(cur);
  free(hw_o);
  ir_arena_free(ctx.arena);
  ir_arena_free(keep);
  return rc;
}

void hw_dump(const hw_design *d, FILE *f) {
  ir_arena *a = d->g->arena;
  fprintf(f, "hardware design of %s\n", d->g->file);
  fprintf(f, "  input  '%s': %lld x %s (scale %g)\n", d->hw_in->name, (long long)d->in_elems,
          hw_etype_name(a, d->in_type), d->in_scale);
  fprintf(f, "  output '%s': %lld x %s%s\n", d->hw_out->name, (long long)d->out_elems,
          hw_etype_name(a, d->out_type), d->post_acc ? " (accumulator)" : "");
  for (int i = 0; i < d->npre; i++)
    fprintf(f, "  host pre : %s (%s)\n", d->pre[i]->name, d->pre[i]->op_type);
  for (int i = 0; i < d->nunits; i++) {
    const hw_unit *u = &d->units[i];
    fprintf(f, "  unit %-12s %-11s <-", u->name, hw_kind_name(u->kind));
    for (int k = 0; k < hw_nsrc(u); k++) {
      int s = hw_src(u, i, k);
      fprintf(f, " %s%s", s < 0 ? "input" : d->units[s].name,
              s >= 0 && d->units[s].kind == HW_DUP ? (hw_src_port(u, k) ? ".1" : ".0") : "");
    }
    fprintf(f, "  in=%s out=%s", hw_etype_name(a, u->in), hw_etype_name(a, u->out));
    switch (u->kind) {
    case HW_MVU: case HW_VVU:
      fprintf(f, " %s%s%s MW=%d MH=%d NumVec=%d PE=%d SIMD=%d w=%s acc=%d [%lld,%lld] T=%d bias=%d",
              u->onnx_node, u->onnx_act ? "+" : "", u->onnx_act ? u->onnx_act : "", u->mw, u->mh,
              u->numvec, u->pe, u->simd, hw_etype_name(a, u->w), u->acc_bits, (long long)u->acc_min,
              (long long)u->acc_max, u->nthresh, u->out_bias);
      break;
    case HW_THRESHOLD:
      fprintf(f, " %s C=%d NumVec=%d PE=%d T=%d bias=%d", u->onnx_act ? u->onnx_act : "", u->mh,
              u->numvec, u->pe, u->nthresh, u->out_bias);
      break;
    case HW_SWG:
      fprintf(f, " %dx%dx%d k%dx%d s%dx%d d%dx%d%s SIMD=%d", u->ih, u->iw, u->c, u->kh, u->kw, u->sh,
              u->sw, u->dh, u->dw, u->dw_order ? " depthwise-order" : "", u->simd);
      break;
    case HW_PAD:
      fprintf(f, " %dx%dx%d pads t%d b%d l%d r%d value %lld SIMD=%d", u->ih, u->iw, u->c, u->pad[0],
              u->pad[1], u->pad[2], u->pad[3], (long long)u->pad_value, u->simd);
      break;
    case HW_MAXPOOL: case HW_AVGPOOL:
      fprintf(f, " C=%d K=%d NumVec=%d%s PE=%d", u->mh, u->mw, u->numvec, u->global ? " global" : "", u->pe);
      break;
    case HW_ADD:
      fprintf(f, " %lld*a + %lld*b C=%d NumVec=%d PE=%d", (long long)u->mul_a, (long long)u->mul_b,
              u->mh, u->numvec, u->pe);
      break;
    case HW_CONCAT:
      fprintf(f, " %d+%d channels NumVec=%d PE=%d", u->ca, u->cb, u->numvec, u->pe);
      break;
    case HW_UPSAMPLE:
      fprintf(f, " %dx%dx%d by %dx%d SIMD=%d", u->ih, u->iw, u->c, u->sh, u->sw, u->simd);
      break;
    case HW_D2S:
      fprintf(f, " %dx%dx%d block %d %s SIMD=%d", u->ih, u->iw, u->c * u->block * u->block, u->block,
              u->mode ? "CRD" : "DCR", u->simd);
      break;
    case HW_DUP:
      fprintf(f, " C=%d NumVec=%d PE=%d", u->mh, u->numvec, u->pe);
      break;
    default:
      fprintf(f, " x%d -> x%d depth=%d", u->in_elems, u->out_elems, u->depth);
      break;
    }
    fprintf(f, " cycles=%lld\n", (long long)u->cycles);
  }
  for (int i = 0; i < d->npost; i++)
    fprintf(f, "  host post: %s (%s)\n", d->post[i]->name, d->post[i]->op_type);
}
