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
  for (int64_t i = 0; i < x->n; i++) x->f[i] = (float)q[i] * (float)d->in_scale;
  vals[t->id] = x;
  return ir_exec_nodes(ctx, p->nodes, p->n, vals);
}

/* Compare one unit's activation levels with the float graph's values. */
static int check_levels(const hw_design *d, const hw_unit *u, const ir_buf *y, const int64_t *lv,
                        int64_t frame, bool print) {
  for (int64_t i = 0; i < y->n; i++) {
    int c = (int)(i % u->mh);
    float yv = (float)ir_buf_get(y, i);
    int64_t want = u->out.bipolar ? (yv >= 0 ? 1 : -1)
                                  : llrint((double)yv / u->act_scale[u->act_nscale == 1 ? 0 : c]);
    if (want != lv[i]) {
      if (print)
        ir_errorf(d->g->file, NULL, "unit %s (%s): frame %lld, channel %lld: float graph gives level "
                "%lld, integer design %lld", u->name, u->onnx_act, (long long)frame, (long long)i,
                (long long)want, (long long)lv[i]);
      return 1;
    }
  }
  return 0;
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
  int64_t maxw = d->in_elems;
  for (int i = 0; i < d->nunits; i++)
    if ((int64_t)d->units[i].mh * d->units[i].numvec > maxw) maxw = (int64_t)d->units[i].mh * d->units[i].numvec;
  int64_t *cur = malloc((size_t)maxw * sizeof(int64_t)), *nxt = malloc((size_t)maxw * sizeof(int64_t));
  ir_buf **vals = ir_alloc_array(keep, (size_t)g->ntensors + 1, sizeof(ir_buf *));
  ir_buf **io = ir_alloc_array(keep, (size_t)g->noutputs + 1, sizeof(ir_buf *));
  *mismatches = 0;
  double amax = 0; /* largest |output| so far: the scale of the absolute tolerance */
  for (int64_t f = 0; f < frames && rc == 0; f++) {
    ir_arena_reset(ctx.arena);
    hw_random_frame(d, &seed, cur);
    if (float_path(d, &plan, &ctx, cur, vals)) {
      rc = -1;
      break;
    }
    /* Layer by layer: every activation level exactly as the float graph. */
    int64_t n = d->in_elems;
    int bad = 0;
    for (int i = 0; i < d->nunits; i++) {
      const hw_unit *u = &d->units[i];
      n = hw_run_unit(u, cur, n, nxt);
      int64_t *t = cur;
      cur = nxt;
      nxt = t;
      if (u->act_out && !bad && vals[u->act_out->id] &&
          check_levels(d, u, vals[u->act_out->id], cur, f, *mismatches == 0))
        bad = 1;
    }
    /* A last layer without activation: its float MatMul/Gemm output must
     * round to the hardware accumulator exactly. */
    if (d->post_acc && !bad && vals[d->hw_out->id]) {
      const ir_buf *m = vals[d->hw_out->id];
      int64_t ch = d->hw_out->rank > 0 ? d->hw_out->dims[d->hw_out->rank - 1] : 1;
      for (int64_t i = 0; i < m->n && !bad; i++) {
        int64_t c = i % ch;
        double v = ir_buf_get(m, i);
        if (d->post_bias) v -= (double)d->post_beta * d->post_bias[d->post_nbias == 1 ? 0 : c];
        v /= (double)d->post_alpha * (double)d->post_sx * (double)d->post_sw[c];
        if (fabs(v - (double)cur[i]) > 0.5) {
          if (*mismatches == 0)
            ir_errorf(g->file, NULL, "last layer: frame %lld, channel %lld: float graph gives "
                      "accumulator %.3f, integer design %lld", (long long)f, (long long)i, v,
                      (long long)cur[i]);
          bad = 1;
        }
      }
    }
    /* The graph outputs through host post-processing. */
    if (hw_host_post(d, &ctx, cur, io)) {
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
        if (*mismatches == 0)
          ir_errorf(g->file, NULL, "integer design differs from the float graph: frame %lld, "
                    "output '%s'[%lld]: float %.9g, integer path %.9g",
                    (long long)f, g->outputs[o]->name, (long long)i, va, vb);
        bad = 1;
        break;
      }
    }
    *mismatches += bad;
  }
  free(cur);
  free(nxt);
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
    static const char *const kinds[] = {"mvu", "threshold", "labelselect", "fifo", "dwc"};
    fprintf(f, "  unit %-10s %-11s", u->name, kinds[u->kind]);
    if (u->kind == HW_MVU)
      fprintf(f, " %s%s%s MW=%d MH=%d PE=%d SIMD=%d in=%s w=%s out=%s acc=%d [%lld,%lld] T=%d "
                 "bias=%d cycles=%lld",
              u->onnx_node, u->onnx_act ? "+" : "", u->onnx_act ? u->onnx_act : "", u->mw, u->mh,
              u->pe, u->simd, hw_etype_name(a, u->in), hw_etype_name(a, u->w),
              hw_etype_name(a, u->out), u->acc_bits, (long long)u->acc_min, (long long)u->acc_max,
              u->nthresh, u->out_bias, (long long)u->cycles);
    else
      fprintf(f, " %s x%d -> x%d depth=%d", hw_etype_name(a, u->in), u->in_elems, u->out_elems,
              u->depth);
    fputc('\n', f);
  }
  for (int i = 0; i < d->npost; i++)
    fprintf(f, "  host post: %s (%s)\n", d->post[i]->name, d->post[i]->op_type);
}
