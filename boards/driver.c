/* driver.c - DIR/boards/<board>/driver.py and design.json.
 *
 * driver.py is boards/pynq_driver.py copied as it is (one file for every
 * design; found under $QONNX_RTL_BOARDS or the source tree, like rtl-lib/).
 * design.json carries what is particular to the design:
 *   "input"/"output": the stream formats (element type, elements per beat,
 *       TDATA bytes, beat bytes in memory, beats per frame);
 *   "dma": the data mover's names and widths on this board;
 *   "host": the host pre/post-processing, i.e. the ONNX nodes of hw_design's
 *       pre and post lists with their attributes and constant inputs, the
 *       integer conversion at hw_in (level = round-half-even(value / scale),
 *       or the sign for bipolar) and the float value of hw_out (levels times
 *       per-channel scale, or the accumulator's affine map), exactly as
 *       ir/hw_model.c's hw_host_pre/hw_host_post compute them.
 * Floats are written so that they read back to the same float32 / double.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "boards/boards.h"
#include "ir/json.h"

#ifndef QR_SOURCE_DIR
#define QR_SOURCE_DIR "."
#endif

static const char *boards_dir(void) {
  const char *e = getenv("QONNX_RTL_BOARDS");
  return e && *e ? e : QR_SOURCE_DIR "/boards";
}

/* ------------------------------------------------------------ helpers -- */

static void put_num(FILE *f, double v) {
  if (isfinite(v))
    json_put_double(f, v);
  else
    fputs(isnan(v) ? "\"nan\"" : v > 0 ? "\"inf\"" : "\"-inf\"", f);
}

static void put_dims(FILE *f, int rank, const int64_t *dims) {
  fputc('[', f);
  for (int i = 0; i < rank; i++) fprintf(f, "%s%lld", i ? ", " : "", (long long)dims[i]);
  fputc(']', f);
}

static void put_floats(FILE *f, const float *v, int64_t n) {
  fputc('[', f);
  for (int64_t i = 0; i < n; i++) {
    if (i) fputs(i % 16 ? ", " : ",\n  ", f);
    put_num(f, v[i]);
  }
  fputc(']', f);
}

static void put_buf(FILE *f, const ir_buf *b) {
  fprintf(f, "{\"dtype\": \"%s\", \"shape\": ", b->store == IR_F32 ? "float32" : "int64");
  put_dims(f, b->rank, b->dims);
  fputs(", \"data\": ", f);
  if (b->store == IR_F32) {
    put_floats(f, b->f, b->n);
  } else {
    fputc('[', f);
    for (int64_t i = 0; i < b->n; i++) fprintf(f, "%s%lld", i ? ", " : "", (long long)b->i[i]);
    fputc(']', f);
  }
  fputc('}', f);
}

static void put_attr(FILE *f, const ir_attr *at) {
  switch (at->kind) {
  case IR_ATTR_FLOAT: put_num(f, at->f); break;
  case IR_ATTR_INT: fprintf(f, "%lld", (long long)at->i); break;
  case IR_ATTR_STRING: json_put_string(f, at->s ? at->s : ""); break;
  case IR_ATTR_FLOATS: put_floats(f, at->floats, at->n); break;
  case IR_ATTR_INTS:
    fputc('[', f);
    for (int i = 0; i < at->n; i++) fprintf(f, "%s%lld", i ? ", " : "", (long long)at->ints[i]);
    fputc(']', f);
    break;
  case IR_ATTR_STRINGS:
    fputc('[', f);
    for (int i = 0; i < at->n; i++) {
      if (i) fputs(", ", f);
      json_put_string(f, at->strings[i] ? at->strings[i] : "");
    }
    fputc(']', f);
    break;
  case IR_ATTR_TENSOR:
    if (at->t) {
      fputs("{\"tensor\": ", f);
      put_buf(f, at->t);
      fputc('}', f);
      break;
    }
    /* fall through */
  default: fputs("null", f); break;
  }
}

static void put_nodes(FILE *f, ir_node *const *nodes, int n) {
  fputc('[', f);
  for (int k = 0; k < n; k++) {
    const ir_node *nd = nodes[k];
    fputs(k ? ",\n    {" : "\n    {", f);
    fputs("\"name\": ", f);
    json_put_string(f, nd->name);
    fputs(", \"op\": ", f);
    json_put_string(f, nd->op_type);
    fprintf(f, ", \"domain\": \"%s\", \"inputs\": [", nd->dom == IR_DOM_QONNX ? "qonnx" : "");
    for (int i = 0; i < nd->nin; i++) {
      if (i) fputs(", ", f);
      if (nd->in[i])
        json_put_string(f, nd->in[i]->name);
      else
        fputs("null", f);
    }
    fputs("], \"outputs\": [", f);
    for (int i = 0; i < nd->nout; i++) {
      if (i) fputs(", ", f);
      json_put_string(f, nd->out[i]->name);
    }
    fputs("], \"attrs\": {", f);
    for (int i = 0; i < nd->nattrs; i++) {
      if (i) fputs(", ", f);
      json_put_string(f, nd->attrs[i].name);
      fputs(": ", f);
      put_attr(f, &nd->attrs[i]);
    }
    fputs("}}", f);
  }
  fputs(n ? "\n  ]" : "]", f);
}

/* Every constant input of the host nodes, once. */
static void put_constants(FILE *f, const hw_design *d) {
  const ir_graph *g = d->g;
  bool *seen = calloc((size_t)g->ntensors + 1, 1);
  if (!seen) abort();
  int count = 0;
  fputc('{', f);
  for (int pass = 0; pass < 2; pass++) {
    ir_node **nodes = pass ? d->post : d->pre;
    int n = pass ? d->npost : d->npre;
    for (int k = 0; k < n; k++)
      for (int i = 0; i < nodes[k]->nin; i++) {
        const ir_tensor *t = nodes[k]->in[i];
        if (!t || !t->init || seen[t->id]) continue;
        seen[t->id] = true;
        fputs(count++ ? ",\n    " : "\n    ", f);
        json_put_string(f, t->name);
        fputs(": ", f);
        put_buf(f, t->init);
      }
  }
  fputs(count ? "\n  }" : "}", f);
  free(seen);
}

static void put_tensors(FILE *f, ir_tensor *const *ts, int n) {
  fputc('[', f);
  for (int i = 0; i < n; i++) {
    fputs(i ? ", {\"name\": " : "{\"name\": ", f);
    json_put_string(f, ts[i]->name);
    fputs(", \"shape\": ", f);
    put_dims(f, ts[i]->rank < 0 ? 0 : ts[i]->rank, ts[i]->dims);
    fputc('}', f);
  }
  fputc(']', f);
}

static void put_stream(FILE *f, const char *key, const ipx_stream *s, int dma_bytes) {
  fprintf(f,
          "  \"%s\": {\"bits\": %d, \"signed\": %s, \"bipolar\": %s, \"elems_per_beat\": %d, "
          "\"tdata_bytes\": %d, \"beat_bytes\": %d, \"beats_per_frame\": %lld, \"frame_elems\": %lld, "
          "\"dma_bytes\": %d},\n",
          key, hw_etype_bits(s->type), s->type.is_signed && !s->type.bipolar ? "true" : "false",
          s->type.bipolar ? "true" : "false", s->elems, s->tdata_bytes, s->mem_beat_bytes,
          (long long)s->beats, (long long)s->frame_elems, dma_bytes);
}

static void put_host(FILE *f, const hw_design *d) {
  const ir_graph *g = d->g;
  const ir_tensor *ho = d->hw_out;
  int64_t ch = ho->rank > 0 ? ho->dims[ho->rank - 1] : 1;
  fprintf(f, "  \"host\": {\n    \"opset\": %lld,\n    \"inputs\": ", (long long)g->opset);
  put_tensors(f, g->inputs, g->ninputs);
  fputs(",\n    \"outputs\": ", f);
  put_tensors(f, g->outputs, g->noutputs);
  fputs(",\n    \"hw_in\": {\"tensor\": ", f);
  json_put_string(f, d->hw_in->name);
  fputs(", \"shape\": ", f);
  put_dims(f, d->hw_in->rank, d->hw_in->dims);
  fputs(", \"scale\": ", f);
  put_num(f, d->in_scale);
  fprintf(f, ", \"bipolar\": %s},\n    \"hw_out\": {\"tensor\": ", d->in_bipolar ? "true" : "false");
  json_put_string(f, ho->name);
  fputs(", \"shape\": ", f);
  put_dims(f, ho->rank, ho->dims);
  fprintf(f, ", \"channels\": %lld, ", (long long)ch);
  if (d->post_acc) {
    fputs("\"mode\": \"accumulator\", \"sx\": ", f);
    put_num(f, d->post_sx);
    fputs(", \"sw\": ", f);
    put_floats(f, d->post_sw, ch);
    fputs(", \"alpha\": ", f);
    put_num(f, d->post_alpha);
    fputs(", \"beta\": ", f);
    put_num(f, d->post_beta);
    fputs(", \"bias\": ", f);
    if (d->post_bias)
      put_floats(f, d->post_bias, d->post_nbias);
    else
      fputs("null", f);
  } else {
    fputs("\"mode\": \"levels\", \"scale\": ", f);
    put_floats(f, d->post_s, d->post_ns);
  }
  fputs("},\n    \"pre\": ", f);
  put_nodes(f, d->pre, d->npre);
  fputs(",\n    \"post\": ", f);
  put_nodes(f, d->post, d->npost);
  fputs("\n  },\n  \"constants\": ", f);
  put_constants(f, d);
  fputc('\n', f);
}

static bool host_op_known(const char *op) {
  for (int i = 0; qr_host_ops[i]; i++)
    if (!strcmp(qr_host_ops[i], op)) return true;
  return false;
}

int qr_write_driver(const hw_design *d, const char *bdir, const char *top, const qr_board *b,
                    double clock_mhz) {
  ir_arena *a = d->g->arena;
  const char *tmpl = ir_sprintf(a, "%s/pynq_driver.py", boards_dir());
  FILE *t = fopen(tmpl, "rb");
  if (!t)
    return ir_errorf(tmpl, NULL, "cannot read the driver template: %s (set QONNX_RTL_BOARDS to qonnx-rtl's boards/)",
                     strerror(errno));
  fclose(t);
  if (ipx_copy_file(tmpl, ir_sprintf(a, "%s/driver.py", bdir))) return -1;
  for (int pass = 0; pass < 2; pass++) {
    ir_node **nodes = pass ? d->post : d->pre;
    for (int k = 0; k < (pass ? d->npost : d->npre); k++)
      if (!host_op_known(nodes[k]->op_type))
        ir_warnf(d->g->file, nodes[k], "driver.py cannot run this host %s-processing op in numpy; "
                 "its execute() will refuse (execute_integer() works)", pass ? "post" : "pre");
  }
  ipx_stream in, out;
  ipx_streams(d, &in, &out);
  json_atomic w;
  FILE *f = json_atomic_open(&w, ir_sprintf(a, "%s/design.json", bdir));
  if (!f) return -1;
  fputs("{\n  \"generator\": \"qonnx-rtl\",\n  \"model\": ", f);
  json_put_string(f, d->g->file);
  fprintf(f, ",\n  \"top\": \"%s\",\n  \"board\": \"%s\",\n  \"flow\": \"%s\",\n  \"clock_mhz\": ", top,
          b->name, b->kind == QB_ALVEO ? "vitis" : "zynq");
  put_num(f, clock_mhz);
  fprintf(f, ",\n  \"bitfile\": \"%s.%s\",\n", top, b->kind == QB_ALVEO ? "xclbin" : "bit");
  if (b->kind == QB_ALVEO)
    fputs("  \"dma\": {\"mm2s\": \"qr_mm2s_1\", \"s2mm\": \"qr_s2mm_1\", \"max_transfer_bytes\": 4294967295},\n", f);
  else
    fputs("  \"dma\": {\"name\": \"axi_dma_0\", \"max_transfer_bytes\": 67108863},\n", f);
  put_stream(f, "input", &in, qr_board_dma_bytes(b, &in));
  put_stream(f, "output", &out, qr_board_dma_bytes(b, &out));
  put_host(f, d);
  fputs("}\n", f);
  return json_atomic_close(&w, true);
}
