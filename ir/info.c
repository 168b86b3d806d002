/* info.c - `qonnx-rtl info`: tensors with shapes and datatypes, and per-layer
 * and total MACs, BOPs and weight bits exactly as qonnx's inference cost
 * defines them (qonnx/analysis/inference_cost.py, qonnx/util/inference_cost.py):
 *
 *   MatMul/Gemm  MACs = in_shape[-1] * prod(out_shape); weight elements =
 *                prod(shape of the constant operand) (0 if none); the weight
 *                type is input 1's
 *   Conv         MACs = N * (OC / group) * IC * prod(kernel) * prod(out HxW);
 *                weight elements = prod(weight shape)
 *   Upsample     nearest 0 MACs; linear 2 per scaled axis per output pixel
 *   BOPs = bits(input) * bits(weight) * MACs; weight bits = bits(weight) * elements;
 *   output bits = bits(output) * prod(out_shape).
 * "nonzero" figures discount MACs and weights by the constant weight's density
 * (qonnx's default discount_sparsity=True); the plain ones are dense (as the
 * QONNX paper reports them).  Datatypes are ours by default; --qonnx uses
 * qonnx's InferDataTypes rules and --no-scaledint its pre-SCALEDINT behaviour
 * (see ir/dtype_infer.h), which together reproduce the paper's figures. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "frontend/frontend.h"
#include "ir/dtype_infer.h"
#include "ir/json.h"

static const char help[] =
    "usage: qonnx-rtl info MODEL.onnx [--json] [--qonnx] [--no-scaledint] [--all]\n"
    "\n"
    "Loads and cleans up the model, infers datatypes, and prints every tensor's\n"
    "shape and datatype and, per MAC layer (MatMul, Gemm, Conv, Upsample) and in\n"
    "total, MACs, BOPs (bits(input) * bits(weight) * MACs) and weight bits as qonnx's\n"
    "inference_cost defines them: dense, and discounted by zero weights (nonzero).\n"
    "\n"
    "  --json          machine-readable output (stable key order)\n"
    "  --qonnx         infer datatypes with qonnx's InferDataTypes rules (MAC\n"
    "                  outputs INT32/SCALEDINT<32>, unannotated constants FLOAT32)\n"
    "  --no-scaledint  count scaled integers as FLOAT32, as qonnx did before its\n"
    "                  SCALEDINT types (how the QONNX paper's table was made)\n"
    "  --all           list constant tensors too\n";

/* qonnx's zero_cost_ops: no cost, not "unsupported". */
static const char *const zero_cost_ops[] = {
    "MaxPool", "AveragePool", "Quant", "QuantizeLinear", "DequantizeLinear", "Reshape",
    "Concat", "Transpose", "Div", "Mul", "Add", "Sub", "BatchNormalization", "Relu", "Elu",
    "Selu", "Sigmoid", "Identity", "Flatten", "Pad", "Clip", "Trunc", NULL};

typedef struct layer {
  const ir_node *n;
  ir_dtype idt, wdt, odt;
  const ir_tensor *in, *w, *out;
  double macs, w_elems, o_elems;       /* dense */
  double macs_nz, w_elems_nz;          /* discounted by the weight's density */
  bool has_w;                          /* Upsample has no weight entry */
} layer;

typedef struct kv {
  const char *key;
  double dense, nz;
} kv;

typedef struct info {
  ir_graph *g;
  ir_constfold *cf;
  int nlayers;
  layer *layers;
  int nmac, nmw, nmo;
  kv *mac, *mw, *mo;        /* op_mac_<I>_<W>, mem_w_<W>, mem_o_<O> */
  int nunsup;
  const char **unsup;
} info;

/* ------------------------------------------------------------ helpers -- */

/* qonnx's DataType names (narrow range is not part of them). */
static const char *qname(ir_arena *a, ir_dtype d) {
  switch (d.kind) {
  case QDT_INT:
    if (d.bits == 1 && !d.is_signed) return "BINARY";
    return ir_sprintf(a, "%s%d", d.is_signed ? "INT" : "UINT", d.bits);
  case QDT_SCALED: return ir_sprintf(a, "SCALEDINT<%d>", d.bits);
  case QDT_BIPOLAR: return "BIPOLAR";
  case QDT_TERNARY: return "TERNARY";
  case QDT_FIXED: return ir_sprintf(a, "FIXED<%d,%d>", d.bits, d.int_bits);
  default: return "FLOAT32";
  }
}

static int bits_of(ir_dtype d) {
  int b = ir_dtype_bits(d);
  return b ? b : 32;
}

static bool shape_known(const ir_tensor *t) {
  if (!t || t->rank < 0) return false;
  for (int i = 0; i < t->rank; i++)
    if (t->dims[i] < 0) return false;
  return true;
}

static double prod(const int64_t *d, int n) {
  double p = 1;
  for (int i = 0; i < n; i++) p *= (double)d[i];
  return p;
}

static double density(info *in, const ir_tensor *w) {
  const ir_buf *b = w ? ir_constfold_value(in->cf, w) : NULL;
  if (!b || b->n == 0) return 1.0;
  int64_t nz = 0;
  for (int64_t k = 0; k < b->n; k++) nz += ir_buf_get(b, k) != 0;
  return (double)nz / (double)b->n;
}

static bool is_const(info *in, const ir_tensor *t) {
  return t && ir_constfold_value(in->cf, t) != NULL;
}

static void add_kv(ir_arena *a, kv **arr, int *n, const char *key, double dense, double nz) {
  for (int i = 0; i < *n; i++)
    if (!strcmp((*arr)[i].key, key)) {
      (*arr)[i].dense += dense;
      (*arr)[i].nz += nz;
      return;
    }
  kv *next = ir_alloc_array(a, (size_t)*n + 1, sizeof(kv));
  if (*n) memcpy(next, *arr, (size_t)*n * sizeof(kv));
  next[(*n)++] = (kv){ir_strdup(a, key), dense, nz};
  *arr = next;
}

/* ---------------------------------------------------------------- costs -- */

static int cost_matmul(info *in, const ir_node *n, layer *L) {
  const ir_tensor *a = n->in[0], *b = n->in[1], *o = n->out[0];
  int64_t ashape[IR_MAX_RANK];
  memcpy(ashape, a->dims, sizeof ashape);
  if (!strcmp(n->op_type, "Gemm")) {
    if (a->rank != 2 || b->rank != 2)
      return ir_errorf(in->g->file, n, "Gemm operands must be 2-D");
    if (ir_attr_int(n, "transA", 0)) ashape[0] = a->dims[1], ashape[1] = a->dims[0];
  }
  L->macs = (double)ashape[a->rank - 1] * prod(o->dims, o->rank);
  bool ca = is_const(in, a), cb = is_const(in, b);
  const ir_tensor *w = NULL;
  if (ca && !cb) w = a, L->w_elems = prod(a->dims, a->rank);
  else if (!ca && cb) w = b, L->w_elems = prod(b->dims, b->rank);
  else L->w_elems = 0;
  double d = w ? density(in, w) : 1.0;
  L->macs_nz = L->macs * d;
  L->w_elems_nz = L->w_elems * d;
  return 0;
}

static int cost_conv(info *in, const ir_node *n, layer *L) {
  const ir_tensor *x = n->in[0], *w = n->in[1], *o = n->out[0];
  double kprod = 1;
  const ir_attr *ks = ir_attr_find(n, "kernel_shape");
  if (ks && ks->kind == IR_ATTR_INTS) kprod = prod(ks->ints, ks->n);
  else kprod = prod(w->dims + 2, w->rank - 2);
  int64_t group = ir_attr_int(n, "group", 1);
  if (x->rank < 2 || o->rank < 2 || group < 1 || o->dims[1] % group)
    return ir_errorf(in->g->file, n, "cannot count MACs: bad shapes or group");
  L->macs = (double)x->dims[0] * (double)(o->dims[1] / group) * (double)x->dims[1] * kprod *
            prod(o->dims + 2, o->rank - 2);
  L->w_elems = prod(w->dims, w->rank);
  double d = density(in, w);
  L->macs_nz = L->macs * d;
  L->w_elems_nz = L->w_elems * d;
  return 0;
}

static int cost_upsample(info *in, const ir_node *n, layer *L) {
  const char *mode = ir_attr_str(n, "mode", "nearest");
  const ir_tensor *x = n->in[0], *o = n->out[0];
  L->has_w = false;
  L->wdt = L->idt;
  if (!strcmp(mode, "nearest")) {
    L->macs = 0;
  } else if (!strcmp(mode, "linear")) {
    const ir_buf *s = ir_constfold_value(in->cf, n->in[1]);
    int nscaled = 0;
    for (int64_t k = 0; s && k < s->n; k++) nscaled += ir_buf_get(s, k) > 1;
    L->macs = 2.0 * nscaled * prod(o->dims + 2, o->rank - 2) * (double)x->dims[1] *
              (double)x->dims[0];
  } else {
    return ir_errorf(in->g->file, n, "Upsample mode \"%s\" not supported for estimation",
                     mode);
  }
  L->macs_nz = L->macs;
  return 0;
}

static bool in_list(const char *s, const char *const *list) {
  for (int i = 0; list[i]; i++)
    if (!strcmp(s, list[i])) return true;
  return false;
}

static int collect(info *in) {
  ir_graph *g = in->g;
  ir_arena *a = g->arena;
  in->layers = ir_alloc_array(a, (size_t)(g->nnodes ? g->nnodes : 1), sizeof(layer));
  in->unsup = ir_alloc_array(a, (size_t)(g->nnodes ? g->nnodes : 1), sizeof(char *));
  for (int i = 0; i < g->nnodes; i++) {
    const ir_node *n = g->nodes[i];
    if (n->dead) continue;
    bool mac = !strcmp(n->op_type, "MatMul") || !strcmp(n->op_type, "Gemm") ||
               !strcmp(n->op_type, "Conv") || !strcmp(n->op_type, "Upsample");
    if (!mac || n->nin < 2 || !n->in[0] || !n->in[1] || !n->out[0]) {
      bool folded = n->nout > 0 && n->out[0] && is_const(in, n->out[0]);
      if (folded || in_list(n->op_type, zero_cost_ops)) continue;
      int k = 0;
      while (k < in->nunsup && strcmp(in->unsup[k], n->op_type)) k++;
      if (k == in->nunsup) in->unsup[in->nunsup++] = n->op_type;
      continue;
    }
    if (is_const(in, n->out[0])) continue; /* computed from constants: folded */
    layer *L = &in->layers[in->nlayers];
    memset(L, 0, sizeof *L);
    L->n = n, L->in = n->in[0], L->w = n->in[1], L->out = n->out[0], L->has_w = true;
    L->idt = n->in[0]->dtype, L->wdt = n->in[1]->dtype, L->odt = n->out[0]->dtype;
    if (!shape_known(L->in) || !shape_known(L->w) || !shape_known(L->out))
      return ir_errorf(g->file, n, "cannot count MACs: a shape is unknown");
    int rc = !strcmp(n->op_type, "Conv")       ? cost_conv(in, n, L)
             : !strcmp(n->op_type, "Upsample") ? cost_upsample(in, n, L)
                                               : cost_matmul(in, n, L);
    if (rc) return -1;
    L->o_elems = prod(L->out->dims, L->out->rank);
    in->nlayers++;
    add_kv(a, &in->mac, &in->nmac,
           ir_sprintf(a, "%s_%s", qname(a, L->idt), qname(a, L->wdt)), L->macs, L->macs_nz);
    if (L->has_w)
      add_kv(a, &in->mw, &in->nmw, qname(a, L->wdt), L->w_elems, L->w_elems_nz);
    add_kv(a, &in->mo, &in->nmo, qname(a, L->odt), L->o_elems, L->o_elems);
  }
  return 0;
}

/* ------------------------------------------------------------- totals -- */

typedef struct totals {
  double macs, bops, w_elems, w_bits, o_elems, o_bits;
  double macs_nz, bops_nz, w_elems_nz, w_bits_nz;
} totals;

static totals layer_totals(const layer *L) {
  totals t = {0};
  int bi = bits_of(L->idt), bw = bits_of(L->wdt), bo = bits_of(L->odt);
  t.macs = L->macs, t.macs_nz = L->macs_nz;
  t.bops = (double)bi * bw * L->macs, t.bops_nz = (double)bi * bw * L->macs_nz;
  if (L->has_w) {
    t.w_elems = L->w_elems, t.w_elems_nz = L->w_elems_nz;
    t.w_bits = (double)bw * L->w_elems, t.w_bits_nz = (double)bw * L->w_elems_nz;
  }
  t.o_elems = L->o_elems, t.o_bits = (double)bo * L->o_elems;
  return t;
}

static totals all_totals(const info *in) {
  totals s = {0};
  for (int i = 0; i < in->nlayers; i++) {
    totals t = layer_totals(&in->layers[i]);
    s.macs += t.macs, s.bops += t.bops, s.w_elems += t.w_elems, s.w_bits += t.w_bits;
    s.o_elems += t.o_elems, s.o_bits += t.o_bits, s.macs_nz += t.macs_nz;
    s.bops_nz += t.bops_nz, s.w_elems_nz += t.w_elems_nz, s.w_bits_nz += t.w_bits_nz;
  }
  return s;
}

/* ---------------------------------------------------------- printing -- */

/* 1234567 -> "1,234,567"; non-integers keep two decimals. */
static const char *num(ir_arena *a, double v) {
  if (v != (double)(long long)v) return ir_sprintf(a, "%.2f", v);
  char buf[64], out[96];
  snprintf(buf, sizeof buf, "%lld", (long long)v);
  int len = (int)strlen(buf), neg = buf[0] == '-', k = 0;
  for (int i = 0; i < len; i++) {
    out[k++] = buf[i];
    int rest = len - i - 1;
    if (rest > 0 && rest % 3 == 0 && !(neg && i == 0)) out[k++] = ',';
  }
  out[k] = 0;
  return ir_strdup(a, out);
}

static const char *shape(ir_arena *a, const ir_tensor *t) {
  if (t->rank < 0) return "?";
  char *s = ir_strdup(a, "[");
  for (int i = 0; i < t->rank; i++) {
    if (t->dims[i] < 0) s = ir_sprintf(a, "%s%s?", s, i ? "," : "");
    else s = ir_sprintf(a, "%s%s%lld", s, i ? "," : "", (long long)t->dims[i]);
  }
  return ir_sprintf(a, "%s]", s);
}

static const char *dtname(ir_arena *a, const ir_tensor *t) {
  return t->dtype.kind == QDT_UNKNOWN ? "?" : ir_dtype_name(a, t->dtype);
}

/* Tensors a live node reads or writes, or graph inputs/outputs. */
static char *live_tensors(const ir_graph *g) {
  char *live = ir_alloc(g->arena, (size_t)(g->ntensors ? g->ntensors : 1));
  for (int i = 0; i < g->nnodes; i++) {
    const ir_node *n = g->nodes[i];
    if (n->dead) continue;
    for (int k = 0; k < n->nin; k++)
      if (n->in[k]) live[n->in[k]->id] = 1;
    for (int k = 0; k < n->nout; k++)
      if (n->out[k]) live[n->out[k]->id] = 1;
  }
  for (int i = 0; i < g->ninputs; i++) live[g->inputs[i]->id] = 1;
  for (int i = 0; i < g->noutputs; i++) live[g->outputs[i]->id] = 1;
  return live;
}

static void print_table(info *in, const ir_dtype_opts *o, bool all) {
  ir_graph *g = in->g;
  ir_arena *a = g->arena;
  int live_nodes = 0;
  for (int i = 0; i < g->nnodes; i++) live_nodes += !g->nodes[i]->dead;
  printf("model: %s\ngraph: \"%s\", opset %lld, %d nodes after cleanup; datatypes: %s%s\n",
         g->file, g->name, (long long)g->opset, live_nodes, o->qonnx ? "qonnx rules" : "ours",
         o->scaledint ? "" : ", scaled integers as FLOAT32");
  char *live = live_tensors(g);
  printf("\ntensors%s:\n  %-34s %-18s %-14s %s\n", all ? "" : " (constants: --all)", "name",
         "shape", "dtype", "producer");
  for (int i = 0; i < g->ntensors; i++) {
    const ir_tensor *t = g->tensors[i];
    bool cst = t->init != NULL;
    if (!live[i] || (cst && !all)) continue;
    const char *prod_s = t->producer ? ir_sprintf(a, "%s (%s)", t->producer->name,
                                                  t->producer->op_type)
                         : t->is_input ? "graph input"
                         : cst         ? "constant"
                                       : "-";
    printf("  %-34s %-18s %-14s %s%s\n", t->name, shape(a, t), dtname(a, t), prod_s,
           t->is_output ? "  [output]" : "");
  }
  printf("\nlayers:\n  %-22s %-8s %-12s %-12s %-12s %14s %16s %14s %14s\n", "node", "op",
         "input", "weight", "output", "MACs", "BOPs", "weight bits", "nonzero MACs");
  for (int i = 0; i < in->nlayers; i++) {
    const layer *L = &in->layers[i];
    totals t = layer_totals(L);
    printf("  %-22s %-8s %-12s %-12s %-12s %14s %16s %14s %14s\n", L->n->name, L->n->op_type,
           qname(a, L->idt), L->has_w ? qname(a, L->wdt) : "-", qname(a, L->odt),
           num(a, t.macs), num(a, t.bops), num(a, t.w_bits), num(a, t.macs_nz));
  }
  totals s = all_totals(in);
  printf("\ntotal:                 dense          nonzero weights only\n");
  printf("  MACs         %16s %16s\n", num(a, s.macs), num(a, s.macs_nz));
  printf("  BOPs         %16s %16s\n", num(a, s.bops), num(a, s.bops_nz));
  printf("  weight bits  %16s %16s\n", num(a, s.w_bits), num(a, s.w_bits_nz));
  printf("  weight elems %16s %16s\n", num(a, s.w_elems), num(a, s.w_elems_nz));
  printf("  output bits  %16s   (%s elements)\n", num(a, s.o_bits), num(a, s.o_elems));
  printf("  MACs by (input, weight) type:");
  for (int i = 0; i < in->nmac; i++)
    printf("%s %s %s", i ? ";" : "", in->mac[i].key, num(a, in->mac[i].dense));
  printf("%s\n  unsupported ops:", in->nmac ? "" : " none");
  for (int i = 0; i < in->nunsup; i++) printf(" %s", in->unsup[i]);
  printf("%s\n", in->nunsup ? "" : " none");
}

static void jkey(const char *k, bool *first) {
  printf("%s\n    ", *first ? "" : ",");
  json_put_string(stdout, k);
  fputs(": ", stdout);
  *first = false;
}

static void jtensor(ir_arena *a, const ir_tensor *t) {
  printf("{\"name\": ");
  json_put_string(stdout, t->name);
  printf(", \"shape\": ");
  if (t->rank < 0) {
    printf("null");
  } else {
    printf("[");
    for (int k = 0; k < t->rank; k++) printf("%s%lld", k ? ", " : "", (long long)t->dims[k]);
    printf("]");
  }
  printf(", \"dtype\": ");
  json_put_string(stdout, dtname(a, t));
  printf(", \"const\": %s, \"producer\": ", t->init ? "true" : "false");
  if (t->producer) json_put_string(stdout, t->producer->name);
  else printf("null");
  printf("}");
}

static void jtotals(const totals *t) {
  printf("\"macs\": ");
  json_put_double(stdout, t->macs);
  printf(", \"bops\": ");
  json_put_double(stdout, t->bops);
  printf(", \"weight_elems\": ");
  json_put_double(stdout, t->w_elems);
  printf(", \"weight_bits\": ");
  json_put_double(stdout, t->w_bits);
  printf(", \"out_elems\": ");
  json_put_double(stdout, t->o_elems);
  printf(", \"out_bits\": ");
  json_put_double(stdout, t->o_bits);
  printf(", \"macs_nonzero\": ");
  json_put_double(stdout, t->macs_nz);
  printf(", \"bops_nonzero\": ");
  json_put_double(stdout, t->bops_nz);
  printf(", \"weight_elems_nonzero\": ");
  json_put_double(stdout, t->w_elems_nz);
  printf(", \"weight_bits_nonzero\": ");
  json_put_double(stdout, t->w_bits_nz);
}

static void jkvs(const kv *arr, int n, bool nz) {
  printf("{");
  for (int i = 0; i < n; i++) {
    printf("%s", i ? ", " : "");
    json_put_string(stdout, arr[i].key);
    printf(": ");
    json_put_double(stdout, nz ? arr[i].nz : arr[i].dense);
  }
  printf("}");
}

static void print_json(info *in, const ir_dtype_opts *o, bool all) {
  ir_graph *g = in->g;
  ir_arena *a = g->arena;
  bool first = true;
  printf("{");
  jkey("model", &first);
  json_put_string(stdout, g->file);
  jkey("graph", &first);
  json_put_string(stdout, g->name);
  jkey("opset", &first);
  printf("%lld", (long long)g->opset);
  jkey("dtype_rules", &first);
  printf("\"%s\"", o->qonnx ? "qonnx" : "qonnx-rtl");
  jkey("scaledint", &first);
  printf("%s", o->scaledint ? "true" : "false");
  const char *sect[2] = {"inputs", "outputs"};
  for (int s = 0; s < 2; s++) {
    jkey(sect[s], &first);
    int cnt = s ? g->noutputs : g->ninputs;
    printf("[");
    for (int i = 0; i < cnt; i++) {
      printf("%s", i ? ", " : "");
      jtensor(a, s ? g->outputs[i] : g->inputs[i]);
    }
    printf("]");
  }
  jkey("tensors", &first);
  char *live = live_tensors(g);
  printf("[");
  bool tf = true;
  for (int i = 0; i < g->ntensors; i++) {
    if (!live[i] || (g->tensors[i]->init && !all)) continue;
    printf("%s\n      ", tf ? "" : ",");
    jtensor(a, g->tensors[i]);
    tf = false;
  }
  printf("]");
  jkey("layers", &first);
  printf("[");
  for (int i = 0; i < in->nlayers; i++) {
    const layer *L = &in->layers[i];
    totals t = layer_totals(L);
    printf("%s\n      {\"name\": ", i ? "," : "");
    json_put_string(stdout, L->n->name);
    printf(", \"op\": ");
    json_put_string(stdout, L->n->op_type);
    printf(", \"in_dtype\": \"%s\", \"weight_dtype\": \"%s\", \"out_dtype\": \"%s\", ",
           qname(a, L->idt), L->has_w ? qname(a, L->wdt) : "", qname(a, L->odt));
    jtotals(&t);
    printf("}");
  }
  printf("]");
  totals s = all_totals(in);
  jkey("total", &first);
  printf("{");
  jtotals(&s);
  printf(",\n      \"op_mac\": ");
  jkvs(in->mac, in->nmac, false);
  printf(",\n      \"op_mac_nonzero\": ");
  jkvs(in->mac, in->nmac, true);
  printf(",\n      \"mem_w\": ");
  jkvs(in->mw, in->nmw, false);
  printf(",\n      \"mem_w_nonzero\": ");
  jkvs(in->mw, in->nmw, true);
  printf(",\n      \"mem_o\": ");
  jkvs(in->mo, in->nmo, false);
  printf(",\n      \"unsupported\": [");
  for (int i = 0; i < in->nunsup; i++) {
    printf("%s", i ? ", " : "");
    json_put_string(stdout, in->unsup[i]);
  }
  printf("]}\n}\n");
}

/* ------------------------------------------------------------ command -- */

int qr_cmd_info(int argc, char **argv) {
  const char *path = NULL;
  bool json = false, all = false;
  ir_dtype_opts o = {false, true};
  for (int i = 1; i < argc; i++) {
    const char *s = argv[i];
    if (!strcmp(s, "--help") || !strcmp(s, "-h")) {
      fputs(help, stdout);
      return 0;
    } else if (!strcmp(s, "--json")) {
      json = true;
    } else if (!strcmp(s, "--qonnx")) {
      o.qonnx = true;
    } else if (!strcmp(s, "--no-scaledint")) {
      o.scaledint = false;
    } else if (!strcmp(s, "--all")) {
      all = true;
    } else if (s[0] == '-' && s[1]) {
      fprintf(stderr, "qonnx-rtl: info: error: unknown option '%s' (try --help)\n", s);
      return 2;
    } else if (path) {
      fprintf(stderr, "qonnx-rtl: info: error: more than one model given\n");
      return 2;
    } else {
      path = s;
    }
  }
  if (!path) {
    fputs(help, stderr);
    return 2;
  }
  ir_graph *g = fe_load(path);
  if (!g) return 1;
  int rc = 1;
  info in = {g, NULL, 0, NULL, 0, 0, 0, NULL, NULL, NULL, 0, NULL};
  if (fe_cleanup(g) < 0) goto out;
  if ((o.qonnx || !o.scaledint) && ir_infer_dtypes_opts(g, &o) < 0) goto out;
  in.cf = ir_constfold_new(g);
  if (collect(&in) < 0) goto out;
  if (json) print_json(&in, &o, all);
  else print_table(&in, &o, all);
  rc = fflush(stdout) ? 1 : 0;
out:
  ir_constfold_free(in.cf);
  ir_graph_free(g);
  return rc;
}
