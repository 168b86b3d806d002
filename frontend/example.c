/* example.c - `qonnx-rtl example`: write a built-in QONNX model (see example.h
 * for the models, example_gen.c for how they are built). */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "frontend/example.h"

static const char help[] =
    "usage: qonnx-rtl example NAME [--seed S] [OPTIONS] -o MODEL.onnx\n"
    "       qonnx-rtl example --list\n"
    "\n"
    "Writes a built-in QONNX model (atomically: temporary file + rename).  The fixed\n"
    "models mirror the Brevitas BNN-PYNQ exports; --seed (default 1) only changes\n"
    "their weights and BatchNorm statistics.  The random models `mlp` and `cnn`\n"
    "draw every option not given from --seed, so `example mlp --seed N` over many N\n"
    "is a family of test models; the options below pin single choices.  The options\n"
    "that rebuild a model exactly are printed and stored in its metadata\n"
    "(qonnx-rtl.example); qonnx-rtl.input_range says where test inputs belong.\n"
    "\n"
    "random model options (mlp and cnn):\n"
    "  --wbits B, --abits B, --ibits B   weight / activation / input bits (1..16);\n"
    "                        1 bit signed is BipolarQuant\n"
    "  --wsigned 0|1, --asigned 0|1, --isigned 0|1   signedness of those quantizers\n"
    "  --narrow 0|1          narrow range on every Quant\n"
    "  --rounding MODE       activation rounding: ROUND CEIL FLOOR UP DOWN HALF_UP\n"
    "                        HALF_DOWN (weights always ROUND)\n"
    "  --scale unit|pow2|float|chan   quantizer scales: all 1 (integer tensors),\n"
    "                        powers of two, floats, or per-output-channel weights\n"
    "  --bn 0|1              BatchNormalization after each layer (else a float Mul)\n"
    "  --bias 0|1            float bias (Add, or Conv's third input) where no BN\n"
    "  --relu 0|1            Relu before unsigned activation quantizers\n"
    "  --iquant 0|1          quantize a float input (1) or take an integer input\n"
    "                        annotated finn_datatype (0)\n"
    "  --outq 0|1            quantize the output layer too\n"
    "  --transpose 0|1       weights stored [out,in] + Transpose (Brevitas) or [in,out]\n"
    "mlp:\n"
    "  --layers IN,H1,...,OUT   layer widths (any, odd ones welcome)\n"
    "cnn:\n"
    "  --input C,H,W         input shape (batch 1, NCHW)\n"
    "  --convs TOKEN,...     conv layers, one TOKEN each, numbered from 0 in order:\n"
    "      OC:K:S:P[:G[:D]]  a conv (+ BatchNorm or Mul, Relu, activation Quant): out\n"
    "                        channels, kernel, stride, padding, group (default 1;\n"
    "                        G = in channels: depthwise), dilation (default 1)\n"
    "      res:CONV          a residual block y = Quant(Add(x, b)) (Relu before the\n"
    "                        Quant with --relu 1): x is the block's input (a\n"
    "                        quantized tensor), b the activation of conv CONV on x;\n"
    "                        b must have x's channels and size (e.g. stride 1 and\n"
    "                        'same' padding P = D*(K-1)/2).  Both Add inputs have\n"
    "                        power-of-two scales with --scale pow2 (1 with unit),\n"
    "                        so their float32 sum is exact; float/chan: any\n"
    "      resN:CONV         a branch of N convs: CONV and the next N-1 tokens\n"
    "                        (plain convs) in a chain, b the last one's activation\n"
    "      +CONV, +:CONV     the same as res:CONV\n"
    "      cat:CONV          conv CONV on the previous conv's input, in parallel\n"
    "                        with it; both outputs quantized alike (same bits,\n"
    "                        sign and scale) and concatenated on channels (same\n"
    "                        size needed); cat tokens in a row make one Concat\n"
    "                        (the first conv of a concat is a plain token)\n"
    "  --pool I,J,...|none   2x2 maxpool after these conv layers (0-based); not\n"
    "                        inside a residual branch or a concat: after a block's\n"
    "                        last conv it pools y, after a concat's, the Concat\n"
    "  --avgpool I,J,...|none   2x2 AveragePool (stride 2) + activation Quant after\n"
    "                        these conv layers; same rules, not where --pool is\n"
    "  --gap 0|1             GlobalAveragePool + activation Quant after the last\n"
    "                        conv (and its pool): the FC layers see C inputs, not\n"
    "                        C*H*W.  The Quants after Add and average pools take\n"
    "                        their scale from the values (unit: 1; pow2: powers of 2)\n"
    "  --extras 0|1          without --convs: draw dilations, residual blocks,\n"
    "                        concats, avgpools and --gap from the seed too (the\n"
    "                        printed options spell them out)\n"
    "  --fc N1,...,OUT       FC widths after flattening\n"
    "\n"
    "examples:\n"
    "  qonnx-rtl example tfc-w2a2 -o tfc.onnx\n"
    "  qonnx-rtl example mlp --seed 3 --layers 49,10,7 --wbits 3 --abits 2 -o m.onnx\n"
    "  qonnx-rtl example cnn --seed 5 --input 3,9,9 --convs 8:3:1:1,8:3:2:0:8 -o c.onnx\n"
    "  qonnx-rtl example cnn --input 3,8,8 --convs 8:3:1:1,res2:8:3:1:1,8:3:1:1 -o r.onnx\n"
    "  qonnx-rtl example cnn --input 3,8,8 --convs 8:3:1:1,cat:4:1:1:0 --pool 1 -o k.onnx\n"
    "  qonnx-rtl example cnn --input 2,12,12 --convs 6:3:1:2:1:2,8:3:2:1 --gap 1 -o d.onnx\n";

static void list_models(void) {
  for (int i = 0; qr_ex_names[i]; i++) printf("%-10s %s\n", qr_ex_names[i], qr_ex_descr[i]);
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("qonnx-rtl: example: error: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputs(" (try `qonnx-rtl example --help`)\n", stderr);
  va_end(ap);
  return 2;
}

static int parse_int(const char *s, long lo, long hi, int *out) {
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno || end == s || *end || v < lo || v > hi) return -1;
  *out = (int)v;
  return 0;
}

/* "a,b,c" into out[], at most max; -1 if malformed. */
static int parse_list(const char *s, int *out, int max, char sep) {
  int n = 0;
  const char *p = s;
  while (*p) {
    if (n >= max) return -1;
    char *end;
    errno = 0;
    long v = strtol(p, &end, 10);
    if (errno || end == p || v < -1000000 || v > 1000000) return -1;
    out[n++] = (int)v;
    if (*end == sep) p = end + 1;
    else if (*end == 0) p = end;
    else return -1;
    if (*end == sep && !*p) return -1;
  }
  return n;
}

/* One --convs token: [res[N]:|+|+:|cat:]OC:K:S:P[:G[:D]]. */
static int parse_conv(char *tok, qr_ex_conv *cv) {
  *cv = (qr_ex_conv){0, 0, 1, 0, 1, 1, 0, 0};
  if (!strncmp(tok, "res", 3)) {
    char *end;
    cv->res = 1;
    if (isdigit((unsigned char)tok[3])) {
      long n = strtol(tok + 3, &end, 10);
      if (n < 1 || n > QR_EX_MAX_CONVS) return -1;
      cv->res = (int)n;
      tok = end;
    } else {
      tok += 3;
    }
    if (*tok++ != ':') return -1;
  } else if (tok[0] == '+') {
    cv->res = 1;
    tok += tok[1] == ':' ? 2 : 1;
  } else if (!strncmp(tok, "cat:", 4)) {
    cv->cat = 1;
    tok += 4;
  }
  int v[6] = {0, 0, 1, 0, 1, 1};
  int k = parse_list(tok, v, 6, ':');
  if (k < 4) return -1;
  cv->oc = v[0], cv->k = v[1], cv->s = v[2], cv->p = v[3], cv->g = v[4], cv->d = v[5];
  return 0;
}

static int parse_convs(const char *s, qr_ex_spec *sp) {
  int n = 0;
  char buf[4096];
  if (strlen(s) >= sizeof buf) return -1;
  strcpy(buf, s);
  for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok;
       tok = strtok_r(NULL, ",", &save)) {
    if (n >= QR_EX_MAX_CONVS || parse_conv(tok, &sp->conv[n++])) return -1;
  }
  sp->nconvs = n;
  return n > 0 ? 0 : -1;
}

/* "I,J,...|none" into flags[] (conv indices) and their count. */
static int parse_pool_list(const char *s, int *flags, int *count) {
  memset(flags, 0, QR_EX_MAX_CONVS * sizeof *flags);
  *count = 0;
  if (!strcmp(s, "none")) return 0;
  int idx[QR_EX_MAX_CONVS];
  int n = parse_list(s, idx, QR_EX_MAX_CONVS, ',');
  if (n <= 0) return -1;
  for (int i = 0; i < n; i++) {
    if (idx[i] < 0 || idx[i] >= QR_EX_MAX_CONVS) return -1;
    flags[idx[i]] = 1;
  }
  *count = n;
  return 0;
}

static int parse_named(const char *s, const char *const *names, int n, int *out) {
  for (int i = 0; i < n; i++)
    if (!strcasecmp(s, names[i])) {
      *out = i;
      return 0;
    }
  return -1;
}

/* One random-model option; returns 0, or 2 after a usage message. */
static int spec_option(qr_ex_spec *sp, const char *opt, const char *val) {
  static const char *const scales[] = {"unit", "pow2", "float", "chan"};
  struct {
    const char *name;
    int *field;
    int lo, hi;
  } ints[] = {{"--wbits", &sp->wbits, 1, 16},     {"--abits", &sp->abits, 1, 16},
              {"--ibits", &sp->ibits, 1, 16},     {"--wsigned", &sp->wsigned, 0, 1},
              {"--asigned", &sp->asigned, 0, 1},  {"--isigned", &sp->isigned, 0, 1},
              {"--narrow", &sp->narrow, 0, 1},    {"--bn", &sp->bn, 0, 1},
              {"--bias", &sp->bias, 0, 1},        {"--relu", &sp->relu, 0, 1},
              {"--iquant", &sp->iquant, 0, 1},    {"--outq", &sp->outq, 0, 1},
              {"--transpose", &sp->transpose, 0, 1}};
  for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++)
    if (!strcmp(opt, ints[i].name)) {
      if (parse_int(val, ints[i].lo, ints[i].hi, ints[i].field) == 0) return 0;
      return usage_error("bad value '%s' for %s (%d..%d)", val, opt, ints[i].lo, ints[i].hi);
    }
  int ok = -1;
  if (!strcmp(opt, "--rounding")) {
    ok = parse_named(val, qr_ex_rounding_names, 7, &sp->rounding);
  } else if (!strcmp(opt, "--scale")) {
    ok = parse_named(val, scales, 4, &sp->scale);
  } else if (!strcmp(opt, "--layers") || !strcmp(opt, "--fc")) {
    int n = parse_list(val, sp->layers, QR_EX_MAX_LAYERS, ',');
    ok = n > 0 ? 0 : -1;
    sp->nlayers = n > 0 ? n : 0;
  } else if (!strcmp(opt, "--input") && sp->kind == QR_EX_CNN) {
    int v[3];
    ok = parse_list(val, v, 3, ',') == 3 ? 0 : -1;
    if (!ok) sp->in_c = v[0], sp->in_h = v[1], sp->in_w = v[2];
  } else if (!strcmp(opt, "--convs") && sp->kind == QR_EX_CNN) {
    ok = parse_convs(val, sp);
  } else if (!strcmp(opt, "--pool") && sp->kind == QR_EX_CNN) {
    ok = parse_pool_list(val, sp->pool, &sp->npool);
  } else if (!strcmp(opt, "--avgpool") && sp->kind == QR_EX_CNN) {
    ok = parse_pool_list(val, sp->avgpool, &sp->navgpool);
  } else if ((!strcmp(opt, "--gap") || !strcmp(opt, "--extras")) && sp->kind == QR_EX_CNN) {
    ok = parse_int(val, 0, 1, !strcmp(opt, "--gap") ? &sp->gap : &sp->extras);
  } else {
    return usage_error("unknown option '%s' for this model", opt);
  }
  return ok ? usage_error("bad value '%s' for %s", val, opt) : 0;
}

int qr_ex_parse_option(qr_ex_spec *sp, const char *opt, const char *val) {
  return spec_option(sp, opt, val);
}

int qr_cmd_example(int argc, char **argv) {
  const char *name = NULL, *out = NULL;
  uint64_t seed = 1;
  if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
    fputs(help, stdout);
    printf("\nmodels:\n");
    list_models();
    return 0;
  }
  if (argc >= 2 && !strcmp(argv[1], "--list")) {
    list_models();
    return 0;
  }
  if (argc < 2 || argv[1][0] == '-') return usage_error("%s", "missing model NAME");
  name = argv[1];
  qr_ex_spec sp;
  int random = !strcmp(name, "mlp") || !strcmp(name, "cnn");
  qr_ex_spec_init(&sp, !strcmp(name, "cnn") ? QR_EX_CNN : QR_EX_MLP, 1);
  for (int i = 2; i < argc; i++) {
    const char *opt = argv[i];
    if (!strcmp(opt, "--help") || !strcmp(opt, "-h")) {
      fputs(help, stdout);
      return 0;
    }
    if (i + 1 >= argc) return usage_error("option '%s' needs a value", opt);
    const char *val = argv[++i];
    if (!strcmp(opt, "-o")) {
      out = val;
    } else if (!strcmp(opt, "--seed")) {
      char *end;
      errno = 0;
      unsigned long long v = strtoull(val, &end, 0);
      if (errno || end == val || *end || val[0] == '-') return usage_error("bad seed '%s'", val);
      seed = v;
    } else if (random) {
      int rc = spec_option(&sp, opt, val);
      if (rc) return rc;
    } else {
      return usage_error("unknown option '%s' (fixed models take --seed and -o)", opt);
    }
  }
  if (!out) return usage_error("%s", "missing -o MODEL.onnx");
  ob_model *m;
  const char *what = name;
  if (random) {
    sp.seed = seed;
    if (qr_ex_resolve(&sp) < 0) return 1;
    m = qr_ex_build(&sp);
    what = qr_ex_spec_str(ob_arena(m), &sp);
  } else {
    m = qr_ex_build_named(name, seed);
    if (!m) return 2;
  }
  int rc = ob_write(m, out);
  if (rc == 0) ir_progress("wrote %s: %s", out, what);
  ob_free(m);
  return rc ? 1 : 0;
}
