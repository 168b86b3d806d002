/* test_examples.c - every built-in example model loads, cleans up, verifies
 * and executes; random mlp/cnn models over many seeds; determinism; the
 * printed option string rebuilds the same bytes; inferred datatypes hold every
 * value the executor computes; the CLI fails cleanly.  With a shared/ folder,
 * `tfc-ops SHARED` compares example tfc-* with the shipped Brevitas exports
 * op for op.
 *
 * `structures QONNX-RTL N` builds CNNs with residual blocks, concats,
 * dilations, avgpools and GAP (fixed option sets, then --extras 1 over seeds
 * 1..N) and checks them as above, their structure in the loaded graph, and
 * `qonnx-rtl info` / `exec` on each.
 *
 *   test_examples fixed | random N | cli QONNX-RTL | tfc-ops SHARED
 *                 | structures QONNX-RTL N */
#include <sys/wait.h>

#include "cli.h"
#include "tests/test_example_util.h"

/* ---------------------------------------------------------------- checks -- */

static bool is_quant(const ir_node *n) {
  return n->dom == IR_DOM_QONNX &&
         (!strcmp(n->op_type, "Quant") || !strcmp(n->op_type, "BipolarQuant"));
}

typedef struct run_stats {
  int acts, flat_acts;   /* activation quantizers, and those constant over all inputs */
  int int_tensors;       /* tensors whose integer dtype was checked against values */
} run_stats;

/* Every value of a tensor with an integer datatype is an integer in range. */
static void check_dtype_holds(ir_arena *a, const char *what, const ir_tensor *t,
                              const ir_buf *v, run_stats *st) {
  if (!v || !ir_dtype_is_integer(t->dtype)) return;
  double lo = ir_dtype_min(t->dtype), hi = ir_dtype_max(t->dtype);
  int64_t bad = -1;
  for (int64_t k = 0; k < v->n && bad < 0; k++) {
    double x = ir_buf_get(v, k);
    if (x != floor(x) || x < lo || x > hi) bad = k;
    if (t->dtype.kind == QDT_BIPOLAR && x == 0) bad = k;
  }
  st->int_tensors++;
  check(bad < 0, "%s: tensor %s value %g [%lld] outside its dtype %s", what, t->name,
        bad < 0 ? 0 : ir_buf_get(v, bad), (long long)bad, ir_dtype_name(a, t->dtype));
}

/* Execute K inputs; outputs finite with the declared shape, dtypes hold, and
 * count activation quantizers whose output never changes. */
static void exec_checks(const char *what, ob_model *m, ir_graph *g, int K, run_stats *st) {
  t_input_spec is = t_input_spec_of(m);
  ir_arena *a = ir_arena_new();
  int nt = g->ntensors;
  ir_buf ***all = calloc((size_t)K, sizeof *all);
  bool ok = true;
  for (int k = 0; k < K && ok; k++) {
    ir_exec_ctx ctx = {a, g};
    ir_buf *in = t_make_input(a, g->inputs[0], is, g->inputs[0]->dtype.kind == QDT_BIPOLAR);
    ir_buf *out[4] = {0};
    all[k] = ir_alloc_array(a, (size_t)nt, sizeof(ir_buf *));
    int rc = ir_execute(&ctx, g, &in, out, all[k]);
    check(rc == 0, "%s: executes", what);
    if (rc) {
      ok = false;
      break;
    }
    const ir_tensor *o = g->outputs[0];
    bool finite = true;
    for (int64_t e = 0; e < out[0]->n; e++) finite &= isfinite(ir_buf_get(out[0], e)) != 0;
    check(finite, "%s: outputs are finite", what);
    check(out[0]->rank == o->rank && out[0]->n == ir_shape_numel(o->rank, o->dims),
          "%s: output has the declared shape", what);
    for (int t = 0; t < nt; t++) check_dtype_holds(a, what, g->tensors[t], all[k][t], st);
  }
  for (int i = 0; ok && i < g->nnodes; i++) {
    const ir_node *n = g->nodes[i];
    if (n->dead || !is_quant(n) || n->out[0]->init || !all[0][n->in[0]->id] ||
        n->in[0]->init)
      continue;
    /* an activation: its input changes with the model input */
    int id = n->out[0]->id;
    bool changes = false;
    for (int k = 1; k < K && !changes; k++)
      for (int64_t e = 0; e < all[k][id]->n && !changes; e++)
        changes = ir_buf_get(all[k][id], e) != ir_buf_get(all[0][id], e);
    for (int64_t e = 1; e < all[0][id]->n && !changes; e++)
      changes = ir_buf_get(all[0][id], e) != ir_buf_get(all[0][id], 0);
    st->acts++;
    st->flat_acts += !changes;
  }
  free(all);
  ir_arena_free(a);
}

/* ------------------------------------------------------------ fixed ones -- */

static int test_fixed(void) {
  char *dir = t_mkdtemp("examples");
  for (int i = 0; qr_ex_names[i]; i++) {
    const char *name = qr_ex_names[i];
    if (!strcmp(name, "mlp") || !strcmp(name, "cnn")) continue;
    ob_model *m = qr_ex_build_named(name, 1);
    check(m != NULL, "%s: builds", name);
    if (!m) continue;
    ir_graph *g = t_write_load(m, dir, ir_sprintf(ob_arena(m), "%s.onnx", name));
    if (g) {
      run_stats st = {0};
      check(ir_verify(g, "test") == 0, "%s: verifies", name);
      exec_checks(name, m, g, 3, &st);
      check(st.acts >= 4 && st.flat_acts == 0,
            "%s: all %d activation quantizers vary with the input (%d do not)", name, st.acts,
            st.flat_acts);
      printf("%s: %d nodes, %d activation quantizers, %d integer tensors checked\n", name,
             g->nnodes, st.acts, st.int_tensors);
      ir_graph_free(g);
    }
    /* same seed, same bytes; another seed, other weights */
    size_t l1, l2, l3;
    uint8_t *b1 = ob_pack(m, &l1);
    ob_model *m2 = qr_ex_build_named(name, 1), *m3 = qr_ex_build_named(name, 2);
    uint8_t *b2 = ob_pack(m2, &l2), *b3 = ob_pack(m3, &l3);
    check(l1 == l2 && !memcmp(b1, b2, l1), "%s: same seed gives the same bytes", name);
    check(l1 != l3 || memcmp(b1, b3, l1), "%s: another seed gives other weights", name);
    ob_free(m);
    ob_free(m2);
    ob_free(m3);
  }
  check(qr_ex_build_named("no-such-model", 1) == NULL, "unknown name is refused");
  t_rmdir(dir);
  return t_report("test_examples fixed");
}

/* ------------------------------------------------------------ random ones -- */

/* Split the option string (spaces) into argv after "example". */
static int spec_argv(char *s, char **argv, int max) {
  int n = 0;
  argv[n++] = "example";
  for (char *save = NULL, *tok = strtok_r(s, " ", &save); tok && n < max - 3;
       tok = strtok_r(NULL, " ", &save))
    argv[n++] = tok;
  return n;
}

static void random_one(qr_ex_kind kind, uint64_t seed, const char *dir, run_stats *st,
                       int *kinds_seen) {
  qr_ex_spec s;
  qr_ex_spec_init(&s, kind, seed);
  const char *kname = kind == QR_EX_CNN ? "cnn" : "mlp";
  if (qr_ex_resolve(&s) < 0) {
    check(0, "%s seed %llu: resolves", kname, (unsigned long long)seed);
    return;
  }
  ob_model *m = qr_ex_build(&s);
  const char *spec = qr_ex_spec_str(ob_arena(m), &s);
  const char *what = ir_sprintf(ob_arena(m), "example %s", spec);
  kinds_seen[0] += s.wbits == 1 && s.wsigned;
  kinds_seen[1] += s.scale == QR_SC_CHAN;
  kinds_seen[2] += !s.iquant;
  kinds_seen[3] += kind == QR_EX_CNN && s.nconvs > 0 && s.conv[0].g > 1;
  ir_graph *g = t_write_load(m, dir, "r.onnx");
  if (g) {
    int before = t_fail;
    exec_checks(what, m, g, 3, st);
    if (!s.iquant) {
      const ir_tensor *in = g->inputs[0];
      check(in->dtype_annotated && ir_dtype_is_integer(in->dtype),
            "%s: input annotation read back", what);
    }
    if (t_fail > before) printf("  (model: %s)\n", what);
    ir_graph_free(g);
  }
  /* the printed options rebuild exactly this model through the CLI */
  char *copy = ir_strdup(ob_arena(m), spec);
  char *argv[96];
  int argc = spec_argv(copy, argv, 96);
  char out[1024];
  snprintf(out, sizeof out, "%s/r2.onnx", dir);
  argv[argc++] = "-o";
  argv[argc++] = out;
  int old = ir_verbosity;
  ir_verbosity = 0;
  int rc = qr_cmd_example(argc, argv);
  ir_verbosity = old;
  size_t l1, l2 = 0;
  uint8_t *b1 = ob_pack(m, &l1);
  unsigned char *b2 = rc == 0 ? t_read_file(out, &l2) : NULL;
  check(rc == 0 && b2 && l1 == l2 && !memcmp(b1, b2, l1),
        "%s: the printed options rebuild the same bytes", what);
  free(b2);
  ob_free(m);
}

static int test_random(int n) {
  char *dir = t_mkdtemp("examples_random");
  run_stats st = {0};
  int seen[4] = {0};
  for (int k = 0; k < 2; k++)
    for (int seed = 1; seed <= n; seed++)
      random_one(k ? QR_EX_CNN : QR_EX_MLP, (uint64_t)seed, dir, &st, seen);
  /* pinned options */
  qr_ex_spec s;
  qr_ex_spec_init(&s, QR_EX_MLP, 3);
  s.nlayers = 3, s.layers[0] = 49, s.layers[1] = 10, s.layers[2] = 7, s.wbits = 3, s.abits = 2;
  check(qr_ex_resolve(&s) == 0 && s.layers[0] == 49 && s.wbits == 3 && s.abits == 2 &&
            s.nlayers == 3,
        "pinned mlp options are kept");
  printf("random models: %d, activation quantizers %d (constant over inputs: %d), integer "
         "tensors checked %d; bipolar-weight %d, per-channel %d, integer-input %d, "
         "grouped-conv %d\n",
         2 * n, st.acts, st.flat_acts, st.int_tensors, seen[0], seen[1], seen[2], seen[3]);
  check(st.acts > 0 && st.flat_acts * 10 < st.acts,
        "fewer than 10%% of random activations are constant (%d of %d)", st.flat_acts,
        st.acts);
  check(n < 50 || (seen[0] && seen[1] && seen[2] && seen[3]),
        "the seeds cover bipolar weights, per-channel scales, integer inputs, grouped convs");
  t_rmdir(dir);
  return t_report("test_examples random");
}

/* ------------------------------------------------------------------ CLI -- */

static int test_cli(const char *exe) {
  char *dir = t_mkdtemp("examples_cli");
  char *out = NULL;
  int rc = t_run(&out, "%s example --list", exe);
  check(rc == 0 && strstr(out, "tfc-w2a2") && strstr(out, "cnv-w2a2") && strstr(out, "mlp"),
        "--list names the models");
  free(out);
  rc = t_run(&out, "%s example --help", exe);
  check(rc == 0 && strstr(out, "--layers") && strstr(out, "--convs"), "--help documents options");
  check(rc == 0 && strstr(out, "OC:K:S:P[:G[:D]]") && strstr(out, "resN:CONV") &&
            strstr(out, "cat:CONV") && strstr(out, "--avgpool") && strstr(out, "--gap") &&
            strstr(out, "--extras"),
        "--help documents dilation, res, cat, --avgpool, --gap, --extras");
  free(out);
  struct {
    const char *args;
    int rc;
  } bad[] = {{"nosuch -o %s/x.onnx", 2},
             {"mlp --wbits 99 -o %s/x.onnx", 2},
             {"mlp --layers 4,,5 -o %s/x.onnx", 2},
             {"tfc-w2a2 --layers 3,4 -o %s/x.onnx", 2},
             {"cnn --input 1,4,4 --convs 3:9:1:0 -o %s/x.onnx", 1},
             {"cnn --input 2,8,8 --convs 3:3:1:1:2 -o %s/x.onnx", 1},
             {"mlp --layers 5 -o %s/x.onnx", 1},
             {"tfc-w2a2 -o %s/no/such/dir/x.onnx", 1},
             {"tfc-w2a2", 2},
             /* CNN structures: refused with a reason, nothing written */
             {"cnn --input 2,8,8 --convs 8:3:1:1,res:4:3:1:1 -o %s/x.onnx", 1},
             {"cnn --input 2,8,8 --convs res:2:3:2:1 -o %s/x.onnx", 1},
             {"cnn --input 2,8,8 --convs cat:4:3:1:1 -o %s/x.onnx", 1},
             {"cnn --input 2,8,8 --convs 8:3:1:1,cat:4:3:2:1 -o %s/x.onnx", 1},
             {"cnn --input 2,8,8 --convs 8:3:1:1,cat:4:3:1:1 --pool 0 -o %s/x.onnx", 1},
             {"cnn --input 2,8,8 --convs 8:3:1:1,cat:4:3:1:1 --avgpool 0 -o %s/x.onnx", 1},
             {"cnn --input 2,8,8 --convs res2:8:3:1:1,2:3:1:1 --pool 0 -o %s/x.onnx", 1},
             {"cnn --input 2,8,8 --convs res3:2:3:1:1,2:3:1:1 -o %s/x.onnx", 1},
             {"cnn --input 2,8,8 --convs res2:2:3:1:1,res:2:3:1:1 -o %s/x.onnx", 1},
             {"cnn --input 2,8,8 --convs res:2:3:1:1,cat:4:1:1:0 -o %s/x.onnx", 1},
             {"cnn --input 2,8,8 --convs 4:3:1:1 --pool 0 --avgpool 0 -o %s/x.onnx", 1},
             {"cnn --input 2,4,4 --convs 4:3:1:0:1:2 -o %s/x.onnx", 1},
             {"cnn --input 2,8,8 --convs 4:3:1:1:1:9 -o %s/x.onnx", 1},
             {"cnn --input 2,8,8 --convs res0:2:3:1:1 -o %s/x.onnx", 2},
             {"cnn --input 2,8,8 --convs rez:2:3:1:1 -o %s/x.onnx", 2},
             {"cnn --input 2,8,8 --convs 2:3:1:1:1:1:1 -o %s/x.onnx", 2},
             {"cnn --gap 2 -o %s/x.onnx", 2},
             {"cnn --avgpool 0,x -o %s/x.onnx", 2},
             {"mlp --gap 1 -o %s/x.onnx", 2}};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char args[512];
    snprintf(args, sizeof args, bad[i].args, dir);
    rc = t_run(NULL, "%s -q example %s 2>/dev/null", exe, args);
    check(rc == bad[i].rc, "`example %s` exits %d (got %d)", args, bad[i].rc, rc);
    check(t_dir_count(dir, 0) == 0, "`example %s` leaves no file behind", args);
  }
  rc = t_run(NULL, "%s -q example cnn --seed 5 --input 3,9,9 --convs 8:3:1:1,8:3:2:0:8 "
                   "--pool none --fc 10 -o %s/c.onnx", exe, dir);
  check(rc == 0 && t_dir_count(dir, 0) == 1, "the --help cnn example writes one file");
  /* the structured --help examples work as printed */
  static const char *const structured[] = {
      "--input 3,8,8 --convs 8:3:1:1,res2:8:3:1:1,8:3:1:1",
      "--input 3,8,8 --convs 8:3:1:1,cat:4:1:1:0 --pool 1",
      "--input 2,12,12 --convs 6:3:1:2:1:2,8:3:2:1 --gap 1"};
  for (int i = 0; i < 3; i++) {
    rc = t_run(NULL, "%s -q example cnn %s -o %s/s%d.onnx", exe, structured[i], dir, i);
    check(rc == 0 && t_dir_count(dir, 0) == 2 + i, "`example cnn %s` writes its file",
          structured[i]);
    if (rc == 0) {
      rc = t_run(NULL, "%s -q info %s/s%d.onnx", exe, dir, i);
      check(rc == 0, "`example cnn %s`: qonnx-rtl info passes", structured[i]);
    }
  }
  t_rmdir(dir);
  return t_report("test_examples cli");
}

/* ------------------------------------------------------- CNN structures -- */

/* The quantizer behind an activation tensor (through MaxPool, and Concat of
 * tensors quantized alike), or NULL for the graph input. */
static const ir_node *quant_of(const ir_tensor *t) {
  while (t->producer && (!strcmp(t->producer->op_type, "MaxPool") ||
                         !strcmp(t->producer->op_type, "Concat")))
    t = t->producer->in[0];
  return t->producer && is_quant(t->producer) ? t->producer : NULL;
}

/* Is v a power of two? */
static bool is_pow2(double v) {
  int e;
  return v > 0 && frexp(v, &e) == 0.5;
}

typedef struct struct_seen {
  int res, cat, dil, gap, avg, models;
} struct_seen;

/* The structures the spec asks for are in the loaded graph, wired as a
 * Brevitas export would: residual Adds of two quantized tensors (power-of-two
 * scales with --scale unit/pow2) followed by (Relu +) Quant; Concats of
 * tensors quantized alike; Conv dilations; average pools followed by Quant. */
static void structure_checks(const char *what, const qr_ex_spec *s, ir_graph *g,
                             struct_seen *seen) {
  int nres = 0, ncat = 0, ndil = 0, ngap = 0, navg = 0, want_res = 0, want_cat = 0,
      want_dil = 0, want_avg = 0;
  for (int i = 0; i < s->nconvs; i++) {
    want_res += s->conv[i].res > 0;
    want_cat += s->conv[i].cat && !(i + 1 < s->nconvs && s->conv[i + 1].cat);
    want_dil += s->conv[i].d > 1;
    want_avg += s->navgpool > 0 && s->avgpool[i];
  }
  ir_node *cons[8];
  for (int i = 0; i < g->nnodes; i++) {
    const ir_node *n = g->nodes[i];
    if (n->dead) continue;
    if (!strcmp(n->op_type, "Add") && !n->in[0]->init && !n->in[1]->init) {
      double sc_[2], mag[2];
      nres++;
      for (int k = 0; k < 2; k++) {
        const ir_node *q = quant_of(n->in[k]);
        check(q || n->in[k]->is_input, "%s: residual %s input %d is quantized", what, n->name,
              k);
        if (q && s->scale <= QR_SC_POW2) {
          double sc = q->in[1]->init ? ir_buf_get(q->in[1]->init, 0) : -1;
          check(is_pow2(sc) && (s->scale != QR_SC_UNIT || sc == 1),
                "%s: residual %s input %d has a power-of-two scale (%g)", what, n->name, k, sc);
        }
        /* the largest magnitude |v| of this input and its scale */
        const ir_tensor *t = n->in[k];
        sc_[k] = q && q->in[1]->init ? ir_buf_get(q->in[1]->init, 0) : 1;
        int bits = !q ? t->dtype.bits - t->dtype.is_signed
                   : q->nin > 3 && q->in[3]->init
                       ? (int)ir_buf_get(q->in[3]->init, 0) - (int)ir_attr_int(q, "signed", 1)
                       : 0;
        mag[k] = ldexp(1, bits) * sc_[k];
      }
      /* pow2: the float32 sum is exact (both at the finer scale fit in 24 bits) */
      double fine = fmin(sc_[0], sc_[1]);
      check(s->scale > QR_SC_POW2 || (mag[0] + mag[1]) / fine <= 0x1p24,
            "%s: residual %s inputs add exactly in float32 (%g + %g at scale %g)", what,
            n->name, mag[0], mag[1], fine);
      int nc = ir_consumers(g, n->out[0], cons, 8);
      const ir_node *c = nc == 1 ? cons[0] : NULL;
      if (c && !strcmp(c->op_type, "Relu") && ir_consumers(g, c->out[0], cons, 8) == 1)
        c = cons[0];
      check(c && is_quant(c), "%s: residual %s is followed by an activation quantizer", what,
            n->name);
    } else if (!strcmp(n->op_type, "Concat") && n->out[0]->rank == 4) {
      ncat++;
      const ir_node *q0 = quant_of(n->in[0]);
      check(q0 != NULL, "%s: %s input 0 is quantized", what, n->name);
      for (int k = 1; q0 && k < n->nin; k++) {
        const ir_node *q = quant_of(n->in[k]);
        bool same = q && !strcmp(q->op_type, q0->op_type) && q->nin == q0->nin &&
                    ir_attr_int(q, "signed", 1) == ir_attr_int(q0, "signed", 1) &&
                    ir_attr_int(q, "narrow", 0) == ir_attr_int(q0, "narrow", 0) &&
                    !strcmp(ir_attr_str(q, "rounding_mode", ""),
                            ir_attr_str(q0, "rounding_mode", ""));
        for (int j = 1; same && j < q->nin; j++)
          same = q->in[j]->init && q0->in[j]->init &&
                 ir_buf_get(q->in[j]->init, 0) == ir_buf_get(q0->in[j]->init, 0);
        check(same, "%s: %s input %d is quantized like input 0", what, n->name, k);
      }
    } else if (!strcmp(n->op_type, "Conv")) {
      const ir_attr *d = ir_attr_find(n, "dilations");
      ndil += d && d->n == 2 && d->ints[0] > 1;
    } else if (!strcmp(n->op_type, "GlobalAveragePool") || !strcmp(n->op_type, "AveragePool")) {
      bool global = n->op_type[0] == 'G';
      ngap += global, navg += !global;
      int nc = ir_consumers(g, n->out[0], cons, 8);
      check(nc == 1 && is_quant(cons[0]), "%s: %s is followed by a quantizer", what, n->name);
      if (global) {
        ir_tensor *t = n->out[0];
        check(t->rank == 4 && t->dims[2] == 1 && t->dims[3] == 1,
              "%s: %s gives one value per channel", what, n->name);
      }
    }
  }
  check(nres == want_res && ncat == want_cat && ndil == want_dil && ngap == (s->gap > 0) &&
            navg == want_avg,
        "%s: residual Adds %d (spec %d), Concats %d (%d), dilated Convs %d (%d), GAPs %d (%d), "
        "AveragePools %d (%d)", what, nres, want_res, ncat, want_cat, ndil, want_dil, ngap,
        s->gap > 0, navg, want_avg);
  seen->res += nres, seen->cat += ncat, seen->dil += ndil, seen->gap += ngap,
      seen->avg += navg, seen->models++;
}

/* `qonnx-rtl info` and `exec` on the written model; exec's output equals the
 * executor run in-process on the same input. */
static void cli_checks(const char *what, const char *exe, const char *dir, ob_model *m,
                       ir_graph *g) {
  char path[1024], in[1024], out[1024];
  snprintf(path, sizeof path, "%s/s.onnx", dir);
  snprintf(in, sizeof in, "%s/in.npy", dir);
  snprintf(out, sizeof out, "%s/out.npy", dir);
  int rc = t_run(NULL, "%s -q info %s", exe, path);
  check(rc == 0, "%s: `qonnx-rtl info` passes (%d)", what, rc);
  ir_arena *a = ir_arena_new();
  ir_buf *x = t_make_input(a, g->inputs[0], t_input_spec_of(m),
                           g->inputs[0]->dtype.kind == QDT_BIPOLAR);
  ir_buf *y[4] = {0};
  ir_exec_ctx ctx = {a, g};
  check(fe_write_npy(in, x) == 0 && ir_execute(&ctx, g, &x, y, NULL) == 0,
        "%s: input written, executes in-process", what);
  rc = t_run(NULL, "%s -q exec %s -i %s -o %s", exe, path, in, out);
  ir_buf *z = rc == 0 ? fe_read_npy(a, out) : NULL;
  bool same = z && y[0] && z->n == y[0]->n;
  for (int64_t k = 0; same && k < z->n; k++) same = ir_buf_get(z, k) == ir_buf_get(y[0], k);
  check(rc == 0 && same, "%s: `qonnx-rtl exec` runs (%d) and matches the executor", what, rc);
  unlink(in);
  unlink(out);
  ir_arena_free(a);
}

/* One structured model: builds, loads, verifies, executes with every dtype
 * holding, has its structures, passes info/exec through the CLI, and its
 * printed options rebuild the same bytes. */
static void structure_one(qr_ex_spec *s, const char *exe, const char *dir, run_stats *st,
                          struct_seen *seen) {
  if (qr_ex_resolve(s) < 0) {
    check(0, "cnn seed %llu: resolves", (unsigned long long)s->seed);
    return;
  }
  ob_model *m = qr_ex_build(s);
  const char *spec = qr_ex_spec_str(ob_arena(m), s);
  const char *what = ir_sprintf(ob_arena(m), "example %s", spec);
  ir_graph *g = t_write_load(m, dir, "s.onnx");
  if (g) {
    int before = t_fail;
    check(ir_verify(g, "test") == 0, "%s: verifies", what);
    exec_checks(what, m, g, 3, st);
    structure_checks(what, s, g, seen);
    cli_checks(what, exe, dir, m, g);
    if (t_fail > before) printf("  (model: %s)\n", what);
    ir_graph_free(g);
  }
  char *copy = ir_strdup(ob_arena(m), spec);
  char *argv[96], out[1024];
  int argc = spec_argv(copy, argv, 96);
  snprintf(out, sizeof out, "%s/s2.onnx", dir);
  argv[argc++] = "-o";
  argv[argc++] = out;
  int old = ir_verbosity;
  ir_verbosity = 0;
  int rc = qr_cmd_example(argc, argv);
  ir_verbosity = old;
  size_t l1, l2 = 0;
  uint8_t *b1 = ob_pack(m, &l1);
  unsigned char *b2 = rc == 0 ? t_read_file(out, &l2) : NULL;
  check(rc == 0 && b2 && l1 == l2 && !memcmp(b1, b2, l1),
        "%s: the printed options rebuild the same bytes", what);
  free(b2);
  ob_free(m);
}

/* "OPTS" (space-separated `example cnn` options) into an unresolved spec. */
static int spec_of(const char *opts, uint64_t seed, qr_ex_spec *s) {
  char buf[2048], *argv[96];
  snprintf(buf, sizeof buf, "%s", opts);
  int argc = spec_argv(buf, argv, 96);
  qr_ex_spec_init(s, QR_EX_CNN, seed);
  for (int i = 1; i + 1 < argc; i += 2)
    if (qr_ex_parse_option(s, argv[i], argv[i + 1])) return -1;
  return 0;
}

/* Structured CNNs: fixed option sets over every scale mode (and a few other
 * choices from the seed), then `--extras 1` over seeds 1..n. */
static int test_structures(const char *exe, int n) {
  static const char *const cases[] = {
      /* residual: one-conv branch after a conv, with a maxpool after the block */
      "--input 3,8,8 --convs 8:3:1:1,res:8:3:1:1 --pool 1 --fc 5",
      /* two-conv branch right at the input, then a 1x1 conv */
      "--input 4,9,9 --convs res2:6:3:1:1,4:3:1:1,5:1:1:0 --pool none --fc 6,3",
      /* consecutive blocks, '+' forms, a dilated depthwise branch */
      "--input 2,10,10 --convs 8:3:2:1,+8:3:1:1,+:8:5:1:4:8:2 --pool none --fc 4",
      /* concat of two, maxpool after it */
      "--input 3,8,8 --convs 8:3:1:1,cat:4:1:1:0 --pool 1 --fc 7",
      /* concat of three at stride 2, avgpool after it */
      "--input 2,11,11 --convs 6:3:2:1,cat:4:1:2:0,cat:2:5:2:2 --pool none --avgpool 2 --fc 5",
      /* dilations 2 and 3, GAP */
      "--input 2,12,12 --convs 6:3:1:2:1:2,8:3:2:1,4:3:1:3:4:3 --pool none --gap 1 --fc 9,4",
      /* everything: concat, avgpool, residual with a dilated conv, maxpool, GAP */
      "--input 3,12,12 --convs 8:3:1:1,cat:8:1:1:0,res2:8:3:1:1,16:3:1:2:1:2 "
      "--avgpool 1 --pool 3 --gap 1 --fc 6",
      /* 16-bit residual: its pow2 scales must still add exactly in float32 */
      "--input 2,6,6 --convs res:2:3:1:1 --abits 16 --ibits 16 --iquant 1 --pool none --fc 3",
      /* avgpool after a plain conv, GAP straight after a residual block */
      "--input 1,9,7 --convs 5:3:1:0,res:5:1:1:0 --avgpool 0 --pool none --gap 1 --fc 3"};
  static const char *const scales[] = {"unit", "pow2", "float", "chan"};
  char *dir = t_mkdtemp("examples_struct");
  run_stats st = {0};
  struct_seen seen = {0}, xseen = {0};
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++)
    for (int sc = 0; sc < 4; sc++) {
      char opts[1024];
      snprintf(opts, sizeof opts, "%s --scale %s", cases[c], scales[sc]);
      qr_ex_spec s;
      if (spec_of(opts, 100 + 4 * c + (uint64_t)sc, &s) == 0)
        structure_one(&s, exe, dir, &st, &seen);
      else
        check(0, "example cnn %s: parses", opts);
    }
  for (int seed = 1; seed <= n; seed++) {
    qr_ex_spec s;
    qr_ex_spec_init(&s, QR_EX_CNN, (uint64_t)seed);
    s.extras = 1;
    structure_one(&s, exe, dir, &st, &xseen);
  }
  printf("structured CNNs: %d fixed (residual Adds %d, Concats %d, dilated Convs %d, GAPs %d, "
         "AveragePools %d); --extras 1 seeds 1..%d: residual Adds %d, Concats %d, dilated "
         "Convs %d, GAPs %d, AveragePools %d; activation quantizers %d (constant: %d)\n",
         seen.models, seen.res, seen.cat, seen.dil, seen.gap, seen.avg, n, xseen.res, xseen.cat,
         xseen.dil, xseen.gap, xseen.avg, st.acts, st.flat_acts);
  check(n < 30 || (xseen.res && xseen.cat && xseen.dil && xseen.gap && xseen.avg),
        "--extras seeds cover residuals, concats, dilations, GAP and avgpool");
  check(st.acts > 0 && st.flat_acts * 10 < st.acts,
        "fewer than 10%% of structured activations are constant (%d of %d)", st.flat_acts,
        st.acts);
  t_rmdir(dir);
  return t_report("test_examples structures");
}

/* --------------------------------------------------------- vs Brevitas -- */

static const char *op_seq(ir_arena *a, const ir_graph *g) {
  char *s = ir_strdup(a, "");
  for (int i = 0; i < g->nnodes; i++)
    if (!g->nodes[i]->dead)
      s = ir_sprintf(a, "%s%s%s/%s", s, *s ? " " : "", g->nodes[i]->domain,
                     g->nodes[i]->op_type);
  return s;
}

static int test_tfc_ops(const char *shared) {
  static const char *const pairs[3][2] = {
      {"tfc-w1a1", "TFC_1W1A"}, {"tfc-w1a2", "TFC_1W2A"}, {"tfc-w2a2", "TFC_2W2A"}};
  char path[1024];
  snprintf(path, sizeof path, "%s/models/mnist-tfc/TFC_2W2A.onnx", shared);
  if (!t_file_exists(path)) {
    printf("SKIP: %s not found (needs the shared/ folder)\n", path);
    return 77;
  }
  char *dir = t_mkdtemp("examples_tfc");
  ir_arena *a = ir_arena_new();
  for (int i = 0; i < 3; i++) {
    snprintf(path, sizeof path, "%s/models/mnist-tfc/%s.onnx", shared, pairs[i][1]);
    ir_graph *ref = fe_load(path);
    ob_model *m = qr_ex_build_named(pairs[i][0], 1);
    snprintf(path, sizeof path, "%s/%s.onnx", dir, pairs[i][0]);
    ob_write(m, path);
    ir_graph *ex = fe_load(path);
    check(ref && ex, "%s and %s load", pairs[i][0], pairs[i][1]);
    if (!ref || !ex) continue;
    const char *s1 = op_seq(a, ref), *s2 = op_seq(a, ex);
    check(!strcmp(s1, s2), "%s has the op sequence of %s:\n  ours:     %s\n  Brevitas: %s",
          pairs[i][0], pairs[i][1], s2, s1);
    printf("%s vs %s as loaded: %d vs %d nodes, %s\n", pairs[i][0], pairs[i][1], ex->nnodes,
           ref->nnodes, strcmp(s1, s2) ? "DIFFERENT" : "same op sequence");
    check(fe_cleanup(ref) == 0 && fe_cleanup(ex) == 0, "both clean up");
    s1 = op_seq(a, ref), s2 = op_seq(a, ex);
    check(!strcmp(s1, s2), "%s and %s still match after cleanup", pairs[i][0], pairs[i][1]);
    for (int k = 0; k < ref->nnodes && k < ex->nnodes; k++) {
      const ir_tensor *t1 = ref->nodes[k]->out[0], *t2 = ex->nodes[k]->out[0];
      /* accumulator widths follow the actual weights; the rest must agree */
      bool mac = !strcmp(ex->nodes[k]->op_type, "MatMul");
      check(t1->rank == t2->rank && !memcmp(t1->dims, t2->dims, sizeof t1->dims) &&
                t1->dtype.kind == t2->dtype.kind && (mac || t1->dtype.bits == t2->dtype.bits),
            "%s node %d (%s): same output shape and dtype as in %s", pairs[i][0], k,
            ex->nodes[k]->op_type, pairs[i][1]);
    }
    ir_graph_free(ref);
    ir_graph_free(ex);
    ob_free(m);
  }
  ir_arena_free(a);
  t_rmdir(dir);
  return t_report("test_examples tfc-ops");
}

int main(int argc, char **argv) {
  ir_verbosity = 0;
  if (argc >= 2 && !strcmp(argv[1], "fixed")) return test_fixed();
  if (argc >= 3 && !strcmp(argv[1], "random")) return test_random(atoi(argv[2]));
  if (argc >= 3 && !strcmp(argv[1], "cli")) return test_cli(argv[2]);
  if (argc >= 3 && !strcmp(argv[1], "tfc-ops")) return test_tfc_ops(argv[2]);
  if (argc >= 4 && !strcmp(argv[1], "structures"))
    return test_structures(argv[2], atoi(argv[3]));
  fprintf(stderr, "usage: test_examples fixed | random N | cli QONNX-RTL | tfc-ops SHARED | "
                  "structures QONNX-RTL N\n");
  return 2;
}
