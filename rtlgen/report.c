/* report.c - DIR/report.json and DIR/report.html: what was built and how
 * fast and big it should be.
 *
 * Both files say the same: per unit its ONNX node, kind, MW x MH, PE, SIMD,
 * element types, accumulator width, thresholds, analytic cycles per frame,
 * estimated LUT/FF/BRAM18/URAM/DSP and ram_style; the bottleneck unit and the
 * frames/s at the clock; an estimated latency; the host pre/post-processing
 * nodes by ONNX name; totals against the part (and the auto-folding budget);
 * the verification results when the caller has them.  report.json has a
 * fixed key order (diffable, testable); report.html is one self-contained
 * file (inline CSS and SVG, no scripts, no external assets) with a picture of
 * the pipeline: one box per unit, as wide as its share of the bottleneck's
 * cycles and coloured from green (mostly idle) to red (the bottleneck).
 * Both are written to a temporary file and renamed into place.  Nothing in
 * them depends on the run (no time of day, no wall-clock time unless the
 * caller passes compile_s, which the CLI does not), so two compiles of one
 * model with the same options give byte-identical files.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ir/json.h"
#include "rtlgen/report.h"

enum { R_LUT, R_FF, R_BRAM, R_URAM, R_DSP, NRES };
static const char *const res_names[NRES] = {"LUT", "FF", "BRAM18", "URAM", "DSP"};
static const char *const res_keys[NRES] = {"lut", "ff", "bram18", "uram", "dsp"};

typedef struct summary {
  const hw_part *part;
  hw_part budget;
  bool have_budget;
  double clock;
  int bott;                /* index of the bottleneck unit, -1 if none */
  int64_t bott_cycles;
  double fps;
  int64_t latency;
  double tot[NRES], full[NRES], bud[NRES];
} summary;

static const char *kind_name(hw_kind k) { return hw_kind_name(k); }

static void unit_res(const hw_unit *u, double r[NRES]) {
  r[R_LUT] = u->est_lut;
  r[R_FF] = u->est_ff;
  r[R_BRAM] = u->est_bram18;
  r[R_URAM] = u->est_uram;
  r[R_DSP] = u->est_dsp;
}

static void summarize(const hw_design *d, const hw_fold_opts *o, summary *s) {
  memset(s, 0, sizeof *s);
  s->part = o && o->part ? o->part : hw_find_part("xc7z020");
  s->clock = o && o->clock_mhz > 0 ? o->clock_mhz : 100.0;
  s->bott = -1;
  const char *spec = o ? o->spec : NULL;
  if (!spec || !*spec || !strcmp(spec, "auto") || !strncmp(spec, "auto:", 5))
    s->have_budget = hw_fold_budget(o, &s->budget) == 0;
  if (s->part) {
    const double full[NRES] = {s->part->lut, s->part->ff, s->part->bram18, s->part->uram, s->part->dsp};
    memcpy(s->full, full, sizeof full);
  }
  if (s->have_budget) {
    const double b[NRES] = {s->budget.lut, s->budget.ff, s->budget.bram18, s->budget.uram, s->budget.dsp};
    memcpy(s->bud, b, sizeof b);
  }
  for (int i = 0; i < d->nunits; i++) {
    const hw_unit *u = &d->units[i];
    double r[NRES];
    unit_res(u, r);
    for (int k = 0; k < NRES; k++) s->tot[k] += r[k];
    if (u->cycles > s->bott_cycles) {
      s->bott_cycles = u->cycles;
      s->bott = i;
    }
    /* one frame through an idle pipeline, an upper bound: every unit's
     * frame plus its pipeline, one after the other (an mvu's first neuron
     * fold overlaps its input; the cycle simulation, when it ran, gives the
     * overlapped figure as latency_cycles_simulated) */
    s->latency += u->cycles + (u->kind == HW_MVU ? 5 + hw_uses_table(u) : 2);
  }
  s->fps = s->bott_cycles > 0 ? s->clock * 1e6 / (double)s->bott_cycles : INFINITY;
}

/* ------------------------------------------------------------- JSON ---- */

static void put_str_or_null(FILE *f, const char *s) {
  if (s) json_put_string(f, s);
  else fputs("null", f);
}

static void put_res_fields(FILE *f, const double r[NRES]) {
  for (int k = 0; k < NRES; k++) {
    fprintf(f, "%s\"%s\": ", k ? ", " : "", res_keys[k]);
    json_put_double(f, r[k]);
  }
}

static void put_res(FILE *f, const double r[NRES]) {
  fputc('{', f);
  put_res_fields(f, r);
  fputc('}', f);
}

/* Bits in the design's FIFOs (depth x beat width). */
static int64_t fifo_bits(const hw_design *d) {
  int64_t bits = 0;
  for (int i = 0; i < d->nunits; i++) {
    const hw_unit *u = &d->units[i];
    if (u->kind == HW_FIFO) bits += (int64_t)u->depth * u->in_elems * hw_etype_bits(u->in);
  }
  return bits;
}

/* The resource totals, and the FIFO bits at the formula's depths (null if
 * the caller did not size them) and as built. */
static void put_totals(FILE *f, const hw_design *d, const summary *s, const hw_report_extra *x) {
  fputc('{', f);
  put_res_fields(f, s->tot);
  fputs(", \"fifo_bits_before\": ", f);
  if (x && x->fifo) fprintf(f, "%lld", (long long)x->fifo->bits_before);
  else fputs("null", f);
  fprintf(f, ", \"fifo_bits_after\": %lld}", (long long)fifo_bits(d));
}

static void put_etype(FILE *f, ir_arena *a, hw_etype t) {
  if (t.bits <= 0 && !t.bipolar) fputs("null", f);
  else json_put_string(f, hw_etype_name(a, t));
}

static void write_json(FILE *f, ir_arena *a, const hw_design *d, const hw_fold_opts *o,
                       const hw_report_extra *x, const summary *s) {
  fputs("{\n  \"tool\": \"qonnx-rtl\",\n  \"model\": ", f);
  put_str_or_null(f, x && x->model ? x->model : d->g ? d->g->file : NULL);
  fputs(",\n  \"top\": ", f);
  put_str_or_null(f, x ? x->top : NULL);
  fputs(",\n  \"compile_seconds\": ", f);
  if (x && x->compile_s > 0) json_put_double(f, x->compile_s);
  else fputs("null", f);
  fputs(",\n  \"part\": ", f);
  if (s->part) {
    fputs("{\"name\": ", f);
    json_put_string(f, s->part->part);
    fputs(", \"family\": ", f);
    json_put_string(f, s->part->family);
    fputs(", \"resources\": ", f);
    put_res(f, s->full);
    fputc('}', f);
  } else {
    fputs("null", f);
  }
  fputs(",\n  \"fold\": {\"spec\": ", f);
  put_str_or_null(f, o && o->spec && *o->spec ? o->spec : "auto");
  fputs(", \"budget\": ", f);
  if (s->have_budget) put_res(f, s->bud);
  else fputs("null", f);
  fputs("},\n  \"clock_mhz\": ", f);
  json_put_double(f, s->clock);
  fputs(",\n  \"bottleneck\": ", f);
  if (s->bott >= 0) {
    fputs("{\"unit\": ", f);
    json_put_string(f, d->units[s->bott].name);
    fprintf(f, ", \"cycles_per_frame\": %lld, \"simulated_cycles_per_frame\": ", (long long)s->bott_cycles);
    if (x && x->fifo && x->fifo->sim_after > 0) json_put_double(f, x->fifo->sim_after);
    else fputs("null", f);
    fputc('}', f);
  } else {
    fputs("null", f);
  }
  fputs(",\n  \"frames_per_second\": ", f);
  json_put_double(f, s->fps);
  fprintf(f, ",\n  \"latency_cycles_estimate\": %lld", (long long)s->latency);
  fputs(",\n  \"latency_cycles_simulated\": ", f);
  if (x && x->fifo && x->fifo->sim_latency > 0) fprintf(f, "%lld", (long long)x->fifo->sim_latency);
  else fputs("null", f);
  fputs(",\n  \"totals\": ", f);
  put_totals(f, d, s, x);
  fputs(",\n  \"utilisation_of_part\": ", f);
  double util[NRES];
  for (int k = 0; k < NRES; k++) util[k] = s->full[k] > 0 ? s->tot[k] / s->full[k] : (s->tot[k] > 0 ? INFINITY : 0);
  put_res(f, util);
  fputs(",\n  \"units\": [", f);
  for (int i = 0; i < d->nunits; i++) {
    const hw_unit *u = &d->units[i];
    fprintf(f, "%s\n    {\"name\": ", i ? "," : "");
    json_put_string(f, u->name);
    fprintf(f, ", \"kind\": \"%s\", \"onnx_node\": ", kind_name(u->kind));
    put_str_or_null(f, u->onnx_node);
    fputs(", \"onnx_activation\": ", f);
    put_str_or_null(f, u->onnx_act);
    fprintf(f, ",\n     \"mw\": %d, \"mh\": %d, \"numvec\": %d, \"pe\": %d, \"simd\": %d, \"in\": ",
            u->mw, u->mh, u->numvec, u->pe, u->simd);
    put_etype(f, a, u->in);
    fputs(", \"weight\": ", f);
    if (u->kind == HW_MVU) put_etype(f, a, u->w);
    else fputs("null", f);
    fputs(", \"out\": ", f);
    put_etype(f, a, u->out);
    fprintf(f, ",\n     \"acc_bits\": %d, \"thresholds\": %d, \"cycles_per_frame\": %lld, \"ram_style\": ",
            u->acc_bits, u->nthresh, (long long)u->cycles);
    put_str_or_null(f, u->ram_style);
    fputs(", \"thresh_style\": ", f);
    put_str_or_null(f, u->kind == HW_MVU && u->nthresh > 0 ? u->thresh_style : NULL);
    fputs(", \"estimate\": ", f);
    double r[NRES];
    unit_res(u, r);
    put_res(f, r);
    int64_t bbits = 0;
    const char *bf = hw_unit_buffer(u, a, &bbits);
    if (bf) {
      fprintf(f, ",\n     \"buffer\": {\"bits\": %lld, \"formula\": ", (long long)bbits);
      json_put_string(f, bf);
      fputc('}', f);
    }
    fputc('}', f);
  }
  fputs(d->nunits ? "\n  ],\n" : "],\n", f);
  fputs("  \"host\": {\"pre\": [", f);
  for (int i = 0; i < d->npre; i++) {
    fputs(i ? ", " : "", f);
    json_put_string(f, d->pre[i]->name);
  }
  fputs("], \"post\": [", f);
  for (int i = 0; i < d->npost; i++) {
    fputs(i ? ", " : "", f);
    json_put_string(f, d->post[i]->name);
  }
  fputs("]},\n  \"verify\": ", f);
  if (x && x->have_verify) {
    const qr_verify_result *v = &x->verify;
    fprintf(f, "{\"pass\": %s, \"frames\": %lld, \"mismatches\": %lld, \"cycles_per_frame\": ",
            v->frames > 0 && v->mismatches == 0 ? "true" : "false", (long long)v->frames,
            (long long)v->mismatches);
    json_put_double(f, v->cycles_per_frame);
    fputs(", \"analytic_cycles_per_frame\": ", f);
    json_put_double(f, v->analytic_cycles);
    fprintf(f, ", \"latency_cycles\": %lld, \"verilator\": %s, \"icarus\": %s, \"first_mismatch\": ",
            (long long)v->latency, v->ran_verilator ? "true" : "false",
            v->ran_icarus ? "true" : "false");
    put_str_or_null(f, v->first_mismatch[0] ? v->first_mismatch : NULL);
    fputc('}', f);
  } else {
    fputs("null", f);
  }
  fputs("\n}\n", f);
}

/* ------------------------------------------------------------- HTML ---- */

static void esc(FILE *f, const char *s) {
  for (; s && *s; s++) {
    switch (*s) {
    case '&': fputs("&amp;", f); break;
    case '<': fputs("&lt;", f); break;
    case '>': fputs("&gt;", f); break;
    case '"': fputs("&quot;", f); break;
    case '\'': fputs("&#39;", f); break;
    default: fputc(*s, f);
    }
  }
}

/* 1234567 -> "1,234,567" */
static const char *grouped(char *buf, size_t n, double v) {
  if (!isfinite(v)) {
    snprintf(buf, n, "%s", v > 0 ? "&infin;" : "-");
    return buf;
  }
  char raw[40];
  snprintf(raw, sizeof raw, "%.0f", fabs(v));
  size_t len = strlen(raw), o = 0;
  if (v < 0 && o + 1 < n) buf[o++] = '-';
  for (size_t i = 0; i < len && o + 2 < n; i++) {
    if (i && (len - i) % 3 == 0) buf[o++] = ',';
    buf[o++] = raw[i];
  }
  buf[o] = 0;
  return buf;
}
#define G(v) grouped((char[48]){0}, 48, (v))

static const char css[] =
    "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:24px auto;"
    "max-width:1180px;color:#1d2330;padding:0 16px}"
    "h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #dde;"
    "padding-bottom:4px}.sub{color:#5a6275;margin:0 0 16px}"
    ".cards{display:flex;flex-wrap:wrap;gap:12px}.card{border:1px solid #dde;border-radius:8px;"
    "padding:10px 14px;min-width:150px;background:#fafbfe}.card b{display:block;font-size:20px}"
    ".card span{color:#5a6275;font-size:12px}.ok{color:#17803d}.bad{color:#b42318}"
    "table{border-collapse:collapse;width:100%;font-size:13px}th,td{padding:4px 8px;"
    "border-bottom:1px solid #eef;text-align:right;white-space:nowrap}th{background:#f2f4fa;"
    "position:sticky;top:0}td.l,th.l{text-align:left}tr.bn td{background:#fff1f0}"
    ".bar{background:#eef;border-radius:3px;height:10px;width:220px;display:inline-block;"
    "vertical-align:middle;position:relative;overflow:hidden}.bar i{display:block;height:100%;"
    "background:#4f7be8}.bar i.over{background:#d92d20}.bar s{position:absolute;top:0;bottom:0;"
    "border-left:2px dashed #1d2330}"
    "code{background:#f2f4fa;padding:1px 4px;border-radius:3px}ul.nodes{columns:3;margin:4px 0}"
    "svg text{font-family:system-ui,sans-serif}footer{margin-top:32px;color:#7a8194;font-size:12px}";

static void html_svg(FILE *f, const hw_design *d, const summary *s) {
  const double W = 1140, bh = 66, gap = 26, minw = 84, maxw = 230;
  /* layout: host pre, units, host post, wrapped into rows */
  int n = d->nunits + 2;
  double x = 8, y = 8;
  double *bx = calloc((size_t)n, sizeof(double)), *by = calloc((size_t)n, sizeof(double));
  double *bw = calloc((size_t)n, sizeof(double));
  if (!bx || !by || !bw) {
    free(bx);
    free(by);
    free(bw);
    return;
  }
  for (int i = 0; i < n; i++) {
    double w = minw;
    if (i > 0 && i < n - 1 && s->bott_cycles > 0)
      w = minw + (maxw - minw) * (double)d->units[i - 1].cycles / (double)s->bott_cycles;
    if (x + w > W - 8 && x > 8) {
      x = 8;
      y += bh + 30;
    }
    bx[i] = x;
    by[i] = y;
    bw[i] = w;
    x += w + gap;
  }
  double H = y + bh + 12;
  fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
             "viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"pipeline\">\n"
             "<defs><marker id=\"ar\" markerWidth=\"8\" markerHeight=\"8\" refX=\"7\" refY=\"4\" "
             "orient=\"auto\"><path d=\"M0,0 L8,4 L0,8 z\" fill=\"#5a6275\"/></marker></defs>\n",
          W, H, W, H);
  for (int i = 0; i + 1 < n; i++) {
    double x1 = bx[i] + bw[i], y1 = by[i] + bh / 2, x2 = bx[i + 1], y2 = by[i + 1] + bh / 2;
    if (by[i + 1] != by[i]) /* wrapped: down and back to the row start */
      fprintf(f, "<path d=\"M%.1f,%.1f h8 V%.1f H%.1f V%.1f H%.1f\" fill=\"none\" stroke=\"#5a6275\" "
                 "marker-end=\"url(#ar)\"/>\n", x1, y1, by[i] + bh + 15, x2 - 10, y2, x2 - 1);
    else
      fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#5a6275\" "
                 "marker-end=\"url(#ar)\"/>\n", x1, y1, x2 - 1, y2);
  }
  for (int i = 0; i < n; i++) {
    double X = bx[i], Y = by[i], w = bw[i];
    if (i == 0 || i == n - 1) {
      int cnt = i == 0 ? d->npre : d->npost;
      fprintf(f, "<g><title>host %s-processing: %d ONNX node%s</title><rect x=\"%.1f\" y=\"%.1f\" "
                 "width=\"%.1f\" height=\"%.0f\" rx=\"8\" fill=\"#f2f4fa\" stroke=\"#98a2b3\" "
                 "stroke-dasharray=\"5 4\"/>", i ? "post" : "pre", cnt, cnt == 1 ? "" : "s", X, Y, w, bh);
      fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"12\" "
                 "font-weight=\"600\">host %s</text><text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
                 "font-size=\"11\" fill=\"#5a6275\">%d node%s</text></g>\n",
              X + w / 2, Y + 27, i ? "post" : "pre", X + w / 2, Y + 45, cnt, cnt == 1 ? "" : "s");
      continue;
    }
    const hw_unit *u = &d->units[i - 1];
    double busy = s->bott_cycles > 0 ? (double)u->cycles / (double)s->bott_cycles : 0;
    fprintf(f, "<g><title>");
    esc(f, u->name);
    fprintf(f, " (%s", kind_name(u->kind));
    if (u->onnx_node) {
      fputs(", ONNX ", f);
      esc(f, u->onnx_node);
    }
    fprintf(f, "): %lld cycles/frame, busy %.0f%% of the bottleneck; est %s LUT, %s FF, %s BRAM18, "
               "%s DSP</title>", (long long)u->cycles, busy * 100, G(u->est_lut), G(u->est_ff),
            G(u->est_bram18), G(u->est_dsp));
    fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.0f\" rx=\"8\" "
               "fill=\"hsl(%.0f,70%%,82%%)\" stroke=\"%s\" stroke-width=\"%s\"/>",
            X, Y, w, bh, 120 * (1 - busy), i - 1 == s->bott ? "#b42318" : "#667085",
            i - 1 == s->bott ? "2.5" : "1");
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"12\" "
               "font-weight=\"600\">", X + w / 2, Y + 19);
    esc(f, u->name);
    fprintf(f, "</text><text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"11\">", X + w / 2,
            Y + 36);
    if (u->kind == HW_MVU) fprintf(f, "PE %d &#215; SIMD %d", u->pe, u->simd);
    else if (u->kind == HW_THRESHOLD || u->kind == HW_LABELSELECT) fprintf(f, "PE %d", u->pe);
    else fputs(kind_name(u->kind), f);
    fprintf(f, "</text><text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"11\" "
               "fill=\"#344054\">%s cyc</text></g>\n", X + w / 2, Y + 53, G((double)u->cycles));
  }
  fputs("</svg>\n", f);
  free(bx);
  free(by);
  free(bw);
}

static void html_bar(FILE *f, double used, double full, double budget) {
  double frac = full > 0 ? used / full : (used > 0 ? 2 : 0);
  fprintf(f, "<span class=\"bar\"><i%s style=\"width:%.1f%%\"></i>", frac > 1 ? " class=\"over\"" : "",
          frac > 1 ? 100 : frac * 100);
  if (budget > 0 && full > 0 && budget < full) fprintf(f, "<s style=\"left:%.1f%%\"></s>", budget / full * 100);
  fputs("</span>", f);
}

static void write_html(FILE *f, ir_arena *a, const hw_design *d, const hw_fold_opts *o,
                       const hw_report_extra *x, const summary *s) {
  const char *model = x && x->model ? x->model : d->g ? d->g->file : NULL;
  fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n<title>qonnx-rtl report", f);
  if (model) {
    fputs(": ", f);
    esc(f, model);
  }
  fprintf(f, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>qonnx-rtl report</h1>\n<p class=\"sub\">", css);
  if (model) {
    fputs("<code>", f);
    esc(f, model);
    fputs("</code> &middot; ", f);
  }
  if (x && x->top) {
    fputs("top <code>", f);
    esc(f, x->top);
    fputs("</code> &middot; ", f);
  }
  fputs("part <code>", f);
  esc(f, s->part ? s->part->part : "?");
  fprintf(f, "</code> &middot; %g MHz &middot; --fold=<code>", s->clock);
  esc(f, o && o->spec && *o->spec ? o->spec : "auto");
  fputs("</code>", f);
  if (x && x->compile_s > 0) fprintf(f, " &middot; compiled in %.2f s", x->compile_s);
  fputs("</p>\n<div class=\"cards\">\n", f);
  fprintf(f, "<div class=\"card\"><span>throughput</span><b>%s</b><span>frames/s at %g MHz</span></div>\n",
          G(s->fps), s->clock);
  fputs("<div class=\"card\"><span>bottleneck</span><b>", f);
  esc(f, s->bott >= 0 ? d->units[s->bott].name : "none");
  fprintf(f, "</b><span>%s cycles per frame</span></div>\n", G((double)s->bott_cycles));
  if (x && x->fifo && x->fifo->sim_latency > 0)
    fprintf(f, "<div class=\"card\"><span>latency (cycle model)</span><b>%s</b><span>cycles, %.3g &micro;s</span></div>\n",
            G((double)x->fifo->sim_latency), (double)x->fifo->sim_latency / s->clock);
  else
    fprintf(f, "<div class=\"card\"><span>latency (upper bound)</span><b>%s</b><span>cycles, %.3g &micro;s</span></div>\n",
            G((double)s->latency), (double)s->latency / s->clock);
  for (int k = 0; k < NRES; k++) {
    if (k == R_URAM && s->tot[k] == 0) continue;
    fprintf(f, "<div class=\"card\"><span>%s (estimate)</span><b>%s</b><span>", res_names[k], G(s->tot[k]));
    if (s->full[k] > 0) fprintf(f, "%.1f%% of the part", 100 * s->tot[k] / s->full[k]);
    else fputs("the part has none", f);
    fputs("</span></div>\n", f);
  }
  if (x && x->fifo && x->fifo->nfifo) {
    fprintf(f, "<div class=\"card\"><span>FIFOs</span><b>%s bits</b><span>%d FIFOs; %s bits before "
               "sizing (formula)</span></div>\n", G((double)fifo_bits(d)), x->fifo->nfifo,
            G((double)x->fifo->bits_before));
  }
  if (x && x->have_verify) {
    const qr_verify_result *v = &x->verify;
    bool pass = v->frames > 0 && v->mismatches == 0;
    fprintf(f, "<div class=\"card\"><span>verification</span><b class=\"%s\">%s</b><span>%s frames, "
               "%s mismatching</span></div>\n", pass ? "ok" : "bad", pass ? "bit-exact" : "FAILED",
            G((double)v->frames), G((double)v->mismatches));
  }
  fputs("</div>\n<h2>Pipeline</h2>\n", f);
  html_svg(f, d, s);

  fputs("<h2>Units</h2>\n<table>\n<tr><th class=\"l\">unit</th><th class=\"l\">ONNX node</th>"
        "<th class=\"l\">kind</th><th>MW &#215; MH</th><th>vec</th><th>PE</th><th>SIMD</th>"
        "<th class=\"l\">in</th><th class=\"l\">weight</th><th class=\"l\">out</th><th>acc bits</th>"
        "<th>thresholds</th><th>cycles/frame</th><th>LUT</th><th>FF</th><th>BRAM18</th><th>URAM</th>"
        "<th>DSP</th><th class=\"l\">ram_style</th></tr>\n", f);
  for (int i = 0; i < d->nunits; i++) {
    const hw_unit *u = &d->units[i];
    fprintf(f, "<tr%s><td class=\"l\">", i == s->bott ? " class=\"bn\"" : "");
    esc(f, u->name);
    fputs("</td><td class=\"l\">", f);
    esc(f, u->onnx_node ? u->onnx_node : "");
    if (u->onnx_act) {
      fputs(" + ", f);
      esc(f, u->onnx_act);
    }
    fprintf(f, "</td><td class=\"l\">%s</td><td>%d &#215; %d</td><td>%d</td><td>%d</td><td>%s</td>",
            kind_name(u->kind), u->mw, u->mh, u->numvec, u->pe,
            u->kind == HW_MVU ? ir_sprintf(a, "%d", u->simd) : "&mdash;");
    fprintf(f, "<td class=\"l\">%s</td><td class=\"l\">%s</td><td class=\"l\">%s</td>",
            hw_etype_name(a, u->in), u->kind == HW_MVU ? hw_etype_name(a, u->w) : "&mdash;",
            hw_etype_name(a, u->out));
    fprintf(f, "<td>%s</td><td>%s</td><td>%s</td>",
            u->kind == HW_MVU ? ir_sprintf(a, "%d", u->acc_bits) : "&mdash;",
            u->nthresh ? ir_sprintf(a, "%d%s", u->nthresh, hw_uses_table(u) ? " (table)" : "") : "&mdash;",
            G((double)u->cycles));
    fprintf(f, "<td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td class=\"l\">", G(u->est_lut),
            G(u->est_ff), G(u->est_bram18), G(u->est_uram), G(u->est_dsp));
    esc(f, u->ram_style ? u->ram_style : "");
    fputs("</td></tr>\n", f);
  }
  fprintf(f, "<tr><th class=\"l\" colspan=\"13\">total</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
             "<th>%s</th><th></th></tr>\n</table>\n", G(s->tot[R_LUT]), G(s->tot[R_FF]),
          G(s->tot[R_BRAM]), G(s->tot[R_URAM]), G(s->tot[R_DSP]));

  fputs("<h2>Buffers</h2>\n<table>\n<tr><th class=\"l\">unit</th><th class=\"l\">kind</th>"
        "<th>bits</th><th class=\"l\">size</th></tr>\n", f);
  for (int i = 0; i < d->nunits; i++) {
    int64_t bbits = 0;
    const char *bf = hw_unit_buffer(&d->units[i], a, &bbits);
    if (!bf) continue;
    fputs("<tr><td class=\"l\">", f);
    esc(f, d->units[i].name);
    fprintf(f, "</td><td class=\"l\">%s</td><td>%s</td><td class=\"l\">", kind_name(d->units[i].kind),
            G((double)bbits));
    esc(f, bf);
    fputs("</td></tr>\n", f);
  }
  fputs("</table>\n", f);
  fputs("<h2>Resources</h2>\n<table>\n<tr><th class=\"l\">resource</th><th>estimate</th>", f);
  if (s->have_budget) fputs("<th>auto budget</th>", f);
  fputs("<th>part</th><th>of part</th><th class=\"l\"></th></tr>\n", f);
  for (int k = 0; k < NRES; k++) {
    fprintf(f, "<tr><td class=\"l\">%s</td><td>%s</td>", res_names[k], G(s->tot[k]));
    if (s->have_budget) fprintf(f, "<td>%s</td>", G(s->bud[k]));
    fprintf(f, "<td>%s</td><td>", G(s->full[k]));
    if (s->full[k] > 0) fprintf(f, "%.1f%%", 100 * s->tot[k] / s->full[k]);
    else fputs(s->tot[k] > 0 ? "over" : "&mdash;", f);
    fputs("</td><td class=\"l\">", f);
    html_bar(f, s->tot[k], s->full[k], s->have_budget ? s->bud[k] : 0);
    fputs("</td></tr>\n", f);
  }
  fputs("</table>\n", f);
  if (s->have_budget)
    fputs("<p class=\"sub\">The dashed mark is the budget auto folding had to stay within.</p>\n", f);

  fputs("<h2>Host processing</h2>\n", f);
  for (int side = 0; side < 2; side++) {
    int cnt = side ? d->npost : d->npre;
    ir_node **nodes = side ? d->post : d->pre;
    fprintf(f, "<p><b>%s</b> (%s): ", side ? "post-processing" : "pre-processing",
            side ? "after the hardware output" : "before the hardware input");
    if (!cnt) {
      fputs("none</p>\n", f);
      continue;
    }
    fprintf(f, "%d ONNX node%s</p>\n<ul class=\"nodes\">\n", cnt, cnt == 1 ? "" : "s");
    for (int i = 0; i < cnt; i++) {
      fputs("<li><code>", f);
      esc(f, nodes[i]->name);
      fputs("</code> ", f);
      esc(f, nodes[i]->op_type);
      fputs("</li>\n", f);
    }
    fputs("</ul>\n", f);
  }

  if (x && x->have_verify) {
    const qr_verify_result *v = &x->verify;
    fputs("<h2>Verification</h2>\n<table>\n", f);
    fprintf(f, "<tr><td class=\"l\">simulators</td><td class=\"l\">%s%s%s</td></tr>\n",
            v->ran_verilator ? "Verilator" : "", v->ran_verilator && v->ran_icarus ? ", " : "",
            v->ran_icarus ? "Icarus" : "");
    fprintf(f, "<tr><td class=\"l\">frames</td><td class=\"l\">%s</td></tr>\n", G((double)v->frames));
    fprintf(f, "<tr><td class=\"l\">mismatching frames</td><td class=\"l %s\">%s</td></tr>\n",
            v->mismatches ? "bad" : "ok", G((double)v->mismatches));
    fprintf(f, "<tr><td class=\"l\">cycles per frame (measured / analytic)</td><td class=\"l\">%.1f / %.0f</td></tr>\n",
            v->cycles_per_frame, v->analytic_cycles);
    fprintf(f, "<tr><td class=\"l\">latency (measured)</td><td class=\"l\">%s cycles</td></tr>\n",
            G((double)v->latency));
    if (v->first_mismatch[0]) {
      fputs("<tr><td class=\"l\">first mismatch</td><td class=\"l\"><code>", f);
      esc(f, v->first_mismatch);
      fputs("</code></td></tr>\n", f);
    }
    fputs("</table>\n", f);
  }
  fputs("<footer>Cycles are the analytic bound per unit (simulation reproduces them within a few "
        "percent); resources come from qonnx-rtl's per-unit cost model (ir/resources.c), an estimate "
        "before synthesis.  Latency is estimated as the first unit's input beats plus every unit's "
        "frame and pipeline.</footer>\n</body>\n</html>\n", f);
}

int hw_write_report(const hw_design *d, const hw_fold_opts *o, const char *dir,
                    const hw_report_extra *x) {
  ir_arena *a = ir_arena_new();
  summary s;
  summarize(d, o, &s);
  int rc = -1;
  const char *jpath = ir_sprintf(a, "%s/report.json", dir);
  const char *hpath = ir_sprintf(a, "%s/report.html", dir);
  json_atomic w;
  FILE *f = json_atomic_open(&w, jpath);
  if (!f) goto out;
  write_json(f, a, d, o, x, &s);
  if (json_atomic_close(&w, true)) goto out;
  f = json_atomic_open(&w, hpath);
  if (!f) goto out;
  write_html(f, a, d, o, x, &s);
  if (json_atomic_close(&w, true)) goto out;
  rc = 0;
out:
  ir_arena_free(a);
  return rc;
}
