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

/* The float graph's outputs for hardware input q. */
static int float_path(const hw_design *d, ir_exec_ctx *ctx, const int64_t *q, ir_buf **outs) {
  const ir_graph *g = d->g;
  ir_buf **vals = ir_alloc_array(ctx->arena, (size_t)g->ntensors, sizeof(ir_buf *));
  const ir_tensor *t = d->hw_in;
  ir_buf *x = ir_buf_new(ctx->arena, IR_F32, ONNX_FLOAT, t->rank, t->dims);
  if (!x) return ir_errorf(g->file, NULL, "bad hardware input shape");
  for (int64_t i = 0; i < x->n; i++) x->f[i] = (float)q[i] * (float)d->in_scale;
  vals[t->id] = x;
  char *pre = ir_alloc(ctx->arena, (size_t)g->nnodes + 1);
  for (int i = 0; i < d->npre; i++) pre[d->pre[i]->id] = 1;
  for (int i = 0; i < g->nnodes; i++) {
    ir_node *n = g->nodes[i];
    if (n->dead || pre[n->id]) continue;
    if (ir_exec_nodes(ctx, &n, 1, vals)) return -1;
  }
  for (int i = 0; i < g->noutputs; i++) outs[i] = vals[g->outputs[i]->id];
  return 0;
}

int hw_check_float(const hw_design *d, int64_t frames, uint64_t seed, int64_t *mismatches) {
  const ir_graph *g = d->g;
  ir_exec_ctx ctx = {ir_arena_new(), g};
  int64_t *q = malloc((size_t)d->in_elems * sizeof(int64_t));
  int64_t *y = malloc((size_t)d->out_elems * sizeof(int64_t));
  ir_buf **fo = calloc((size_t)g->noutputs + 1, sizeof(ir_buf *));
  ir_buf **io = calloc((size_t)g->noutputs + 1, sizeof(ir_buf *));
  int rc = 0;
  *mismatches = 0;
  for (int64_t f = 0; f < frames && rc == 0; f++) {
    hw_random_frame(d, &seed, q);
    ir_arena_reset(ctx.arena);
    if (float_path(d, &ctx, q, fo)) { rc = -1; break; }
    hw_run_frame(d, q, y);
    if (hw_host_post(d, &ctx, y, io)) { rc = -1; break; }
    for (int o = 0; o < g->noutputs; o++) {
      const ir_buf *a = fo[o], *b = io[o];
      if (!a || !b || a->n != b->n) { rc = ir_errorf(g->file, NULL, "output %d missing", o); break; }
      for (int64_t i = 0; i < a->n; i++) {
        double va = ir_buf_get(a, i), vb = ir_buf_get(b, i);
        if (va == vb || (isnan(va) && isnan(vb))) continue;
        if (*mismatches == 0)
          ir_errorf(g->file, NULL, "integer design differs from the float graph: frame %lld, "
                    "output '%s'[%lld]: float %.9g, integer path %.9g",
                    (long long)f, g->outputs[o]->name, (long long)i, va, vb);
        (*mismatches)++;
        break;
      }
    }
  }
  free(q);
  free(y);
  free(fo);
  free(io);
  ir_arena_free(ctx.arena);
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
