/* test_fold_report.c - rtlgen/report.c on a folded 3-layer design with host
 * pre/post nodes: report.json parses, has its keys in the documented order,
 * the right bottleneck, frames/s, totals and host node names; report.html is
 * self-contained (no script, no external reference), names every unit and
 * host node with HTML escaping, draws one SVG box per unit, and shows the
 * verification result when there is one. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ir/json.h"
#include "rtlgen/report.h"

static int t_pass, t_fail;

static void check(int ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void check(int ok, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  if (ok) {
    t_pass++;
  } else {
    t_fail++;
    fputs("FAIL: ", stdout);
    vprintf(fmt, ap);
    fputc('\n', stdout);
  }
  va_end(ap);
}

static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *s = malloc((size_t)n + 1);
  size_t got = fread(s, 1, (size_t)n, f);
  s[got] = 0;
  fclose(f);
  return s;
}

static int count(const char *hay, const char *needle) {
  int c = 0;
  for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle)) c++;
  return c;
}

static hw_design *design(ir_graph *g) {
  hw_design *d = ir_alloc(g->arena, sizeof *d);
  d->g = g;
  d->nunits = 3;
  d->units = ir_alloc_array(g->arena, 3, sizeof(hw_unit));
  static const int mw[3] = {784, 64, 64}, mh[3] = {64, 64, 10};
  for (int i = 0; i < 3; i++) {
    hw_unit *u = &d->units[i];
    u->kind = HW_MVU;
    u->name = ir_sprintf(g->arena, "mvu_%d", i);
    u->onnx_node = i == 1 ? "MatMul_<1>&\"q\"" : ir_sprintf(g->arena, "MatMul_%d", i);
    u->onnx_act = i < 2 ? ir_sprintf(g->arena, "Quant_%d", i) : NULL;
    u->mw = mw[i];
    u->mh = mh[i];
    u->numvec = 1;
    u->pe = u->simd = 1;
    u->in = (hw_etype){2, false, false};
    u->w = (hw_etype){2, true, false};
    u->acc_bits = 3 + 2 + 10;
    u->nthresh = i < 2 ? 3 : 0;
    u->out = i < 2 ? (hw_etype){2, false, false} : (hw_etype){15, true, false};
    u->ram_style = "auto";
  }
  static const char *const pre[] = {"Div_0", "Quant_in"}, *const post[] = {"Mul_out", "Softmax_0"};
  d->npre = 2;
  d->npost = 2;
  d->pre = ir_alloc_array(g->arena, 2, sizeof(ir_node *));
  d->post = ir_alloc_array(g->arena, 2, sizeof(ir_node *));
  for (int i = 0; i < 2; i++) {
    d->pre[i] = ir_add_node(g, pre[i], i ? "Quant" : "Div", "", 1, 1);
    d->post[i] = ir_add_node(g, post[i], i ? "Softmax" : "Mul", "", 1, 1);
  }
  return d;
}

int main(void) {
  char dir[] = "/tmp/test_fold_report.XXXXXX";
  if (!mkdtemp(dir)) {
    perror("mkdtemp");
    return 1;
  }
  ir_graph *g = ir_graph_new("models/tfc-w2a2.onnx");
  hw_design *d = design(g);
  hw_fold_opts o = {"auto:fps=50k", hw_find_part("pynq-z2"), 125};
  int saved = ir_verbosity;
  ir_verbosity = 0;
  check(hw_fold(d, &o) == 0, "the design folds with %s", o.spec);
  ir_verbosity = saved;
  int64_t bott = 0;
  int bi = 0;
  for (int i = 0; i < d->nunits; i++)
    if (d->units[i].cycles > bott) {
      bott = d->units[i].cycles;
      bi = i;
    }
  check(bott <= 2500, "50k frames/s at 125 MHz: bottleneck %lld <= 2500 cycles", (long long)bott);

  hw_report_extra x = {0};
  x.model = "models/tfc-w2a2.onnx";
  x.top = "tfc_top";
  x.compile_s = 1.25;
  check(hw_write_report(d, &o, dir, &x) == 0, "hw_write_report writes into %s", dir);
  char path[512];
  snprintf(path, sizeof path, "%s/report.json", dir);
  ir_arena *a = ir_arena_new();
  json_value *r = json_parse_file(a, path);
  check(r && r->type == JSON_OBJECT, "report.json parses");
  if (r) {
    static const char *const keys[] = {"tool", "model", "top", "compile_seconds", "part", "fold",
                                       "clock_mhz", "bottleneck", "frames_per_second",
                                       "latency_cycles_estimate", "latency_cycles_simulated", "totals",
                                       "utilisation_of_part",
                                       "units", "host", "verify"};
    size_t nk = sizeof keys / sizeof keys[0];
    bool order = r->len == nk;
    for (size_t i = 0; i < nk && order; i++) order = !strcmp(r->members[i].key, keys[i]);
    check(order, "report.json: %zu top-level keys in the order report.c writes them", nk);
    const json_value *b = json_find(r, "bottleneck") ? json_find(r, "bottleneck")->value : NULL;
    check(b && !strcmp(json_find(b, "unit")->value->string, d->units[bi].name) &&
              json_find(b, "cycles_per_frame")->value->integer == bott,
          "report.json: bottleneck %s, %lld cycles", d->units[bi].name, (long long)bott);
    double fps = json_find(r, "frames_per_second")->value->number;
    check(fabs(fps - 125e6 / (double)bott) < 1e-6 * fps, "report.json: %g frames/s = 125 MHz / %lld",
          fps, (long long)bott);
    const json_value *units = json_find(r, "units")->value;
    check(units->len == 3, "report.json: 3 units");
    double lut = 0;
    for (int i = 0; i < 3; i++) lut += d->units[i].est_lut;
    check(json_find(json_find(r, "totals")->value, "lut")->value->number == lut, "report.json: total LUT %g", lut);
    const json_value *u1 = units->items[1];
    check(!strcmp(json_find(u1, "onnx_node")->value->string, "MatMul_<1>&\"q\"") &&
              json_find(u1, "pe")->value->integer == d->units[1].pe &&
              !strcmp(json_find(u1, "in")->value->string, "UINT2") &&
              !strcmp(json_find(u1, "weight")->value->string, "INT2"),
          "report.json: unit fields (node name escaped and read back, PE, types)");
    const json_value *host = json_find(r, "host")->value;
    check(!strcmp(json_find(host, "pre")->value->items[1]->string, "Quant_in") &&
              !strcmp(json_find(host, "post")->value->items[1]->string, "Softmax_0"),
          "report.json: host pre/post node names");
    check(json_find(r, "verify")->value->type == JSON_NULL, "report.json: verify is null without results");
    const json_value *bud = json_find(json_find(r, "fold")->value, "budget")->value;
    check(bud->type == JSON_OBJECT && json_find(bud, "lut")->value->number == 37240,
          "report.json: auto budget = 70%% of 53200 LUT");
  }
  snprintf(path, sizeof path, "%s/report.html", dir);
  char *html = slurp(path);
  check(html != NULL, "report.html exists");
  if (html) {
    check(!strncmp(html, "<!DOCTYPE html>", 15) && strstr(html, "</html>"), "report.html: a whole document");
    check(!strstr(html, "<script") && !strstr(html, "<link") && !strstr(html, "src=") &&
              !strstr(html, "@import") && count(html, "http") == 1,
          "report.html: self-contained (only the SVG namespace mentions http)");
    check(count(html, "<svg") == 1 && count(html, "<rect") == 5, "report.html: one SVG, 3 unit + 2 host boxes");
    check(strstr(html, "MatMul_&lt;1&gt;&amp;&quot;q&quot;") && !strstr(html, "MatMul_<1>"),
          "report.html: names are HTML-escaped");
    for (int i = 0; i < 3; i++) check(count(html, d->units[i].name) >= 2, "report.html: names %s", d->units[i].name);
    check(strstr(html, "Div_0") && strstr(html, "Quant_in") && strstr(html, "Mul_out") && strstr(html, "Softmax_0"),
          "report.html: host nodes listed");
    check(strstr(html, "xc7z020clg400-1") && strstr(html, "125 MHz") && strstr(html, "tfc_top"),
          "report.html: part, clock, top");
    check(!strstr(html, "Verification"), "report.html: no verification section without results");
    free(html);
  }
  /* with verification results, and a failure */
  x.have_verify = 1;
  x.verify.frames = 100;
  x.verify.mismatches = 2;
  x.verify.cycles_per_frame = (double)bott + 3;
  x.verify.analytic_cycles = (double)bott;
  x.verify.latency = 4242;
  x.verify.ran_verilator = 1;
  snprintf(x.verify.first_mismatch, sizeof x.verify.first_mismatch, "frame 7, output 3: got 1 want <2>");
  check(hw_write_report(d, &o, dir, &x) == 0, "hw_write_report with verification");
  snprintf(path, sizeof path, "%s/report.json", dir);
  r = json_parse_file(a, path);
  const json_value *v = r ? json_find(r, "verify")->value : NULL;
  check(v && v->type == JSON_OBJECT && !json_find(v, "pass")->value->boolean &&
            json_find(v, "mismatches")->value->integer == 2 && json_find(v, "latency_cycles")->value->integer == 4242,
        "report.json: verify pass=false, 2 mismatches, latency 4242");
  snprintf(path, sizeof path, "%s/report.html", dir);
  html = slurp(path);
  check(html && strstr(html, "Verification") && strstr(html, "FAILED") && strstr(html, "want &lt;2&gt;"),
        "report.html: verification section shows the failure");
  free(html);
  /* an unwritable directory is an error, not a crash */
  check(hw_write_report(d, &o, "/nonexistent/dir", &x) == -1, "a missing directory is an error");
  char cmd[600];
  snprintf(cmd, sizeof cmd, "ls -A %s | grep -v '^report\\.\\(json\\|html\\)$' | grep -q .", dir);
  check(system(cmd) != 0, "only report.json and report.html in %s (no temporary files left)", dir);
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
  ir_arena_free(a);
  ir_graph_free(g);
  printf("test_fold_report: %d passed, %d failed\n", t_pass, t_fail);
  return t_fail ? 1 : 0;
}
