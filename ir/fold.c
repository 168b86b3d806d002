/* fold.c - folding: PE/SIMD (and ram_style) of every unit, from --fold=SPEC.
 *
 *   none          PE = SIMD = 1 everywhere: the smallest datapath and the
 *                 slowest pipeline (an mvu takes NumVec*MW*MH cycles a frame).
 *   FILE.json     FINN's folding-config shape, keyed by our unit names:
 *                   {"Defaults": {"ram_style": ["block", ["mvu"]]},
 *                    "mvu_0": {"PE": 16, "SIMD": 49, "ram_style": "block"}}
 *                 Fields: mvu PE, SIMD, ram_style, thresh_style; threshold
 *                 PE, ram_style; labelselect PE; fifo ram_style.
 *                 thresh_style (an mvu with thresholds): "compare", "table"
 *                 or "auto" (the cheaper of the two by the cost model); a
 *                 table's ROMs take the unit's ram_style.  "Defaults" (optional) maps
 *                 a field to [value, OPS, value, OPS, ...] where OPS is "all" or
 *                 a list of unit kinds ("mvu", "threshold", ... or FINN's
 *                 MVAU/MatrixVectorActivation, Thresholding, LabelSelect,
 *                 StreamingFIFO names), or to a bare value for every unit that
 *                 has the field.  Units absent from the file keep PE=SIMD=1
 *                 (or the Defaults).  Unknown units, unknown fields, a PE not
 *                 dividing MH, a SIMD not dividing MW, values < 1 and bad
 *                 ram_style names are errors naming FILE:LINE:COL and the key.
 *   auto[:K=V,...]  the highest throughput whose estimate fits the budget,
 *                 then the least resources at that throughput.  Keys:
 *                   fps=N    instead: the cheapest folding reaching N frames/s
 *                            at the clock (--clock-mhz), within the budget
 *                   lut=N ff=N bram=N uram=N dsp=N   explicit budget (absolute)
 *                   util=F   fraction of the part for the rest (default 0.7:
 *                            room for the DMA, the PS interconnect, the shell)
 *                 Numbers take k/M/G suffixes: auto:fps=20k,lut=30k.
 *                 A NULL or empty spec means auto.
 * After folding every unit with a memory has a concrete ram_style
 * ("registers", "distributed", "block", "ultra"), every mvu with thresholds a
 * concrete thresh_style ("compare", "table"), and est_* and cycles filled by
 * hw_estimate_part (resources.c).
 *
 * The auto search is exact for the cost model.  Every candidate (PE, SIMD,
 * ram_style) of a unit has cycles and a resource vector r = (LUT, FF, BRAM18,
 * URAM, DSP); a design fits if the sum over units is <= the budget B in every
 * component.  Its cost is the LUT-equivalent sum(r[k] * w[k]) with w[LUT] =
 * 1000 and w[k] = round(1000 * B[LUT] / B[k]) (0 if B[k] = 0): a resource
 * counts as much as the share of the budget it takes.  Every bottleneck is
 * some candidate's cycles, so the candidate cycle values are searched: "some
 * design with all units at <= c cycles fits" grows with c, so a binary search
 * finds the smallest such c; then the cheapest fitting design at that c is
 * chosen.  Both are a branch and bound over the units: per unit only the
 * candidates with cycles <= c that no other such candidate beats in every
 * resource, cheapest first, pruned by the remaining units' per-resource
 * minima against the budget and by their cost minima against the best cost
 * so far.  A node limit (BB_NODE_LIMIT) keeps pathological designs fast; if it
 * is ever hit a warning says the result fits but may not be the cheapest.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ir/hw.h"
#include "ir/json.h"

enum { R_LUT, R_FF, R_BRAM, R_URAM, R_DSP, NRES };
static const char *const res_names[NRES] = {"LUT", "FF", "BRAM18", "URAM", "DSP"};

#define DEFAULT_UTIL 0.7
#define DEFAULT_CLOCK_MHZ 100.0
#define BB_NODE_LIMIT 4000000L

static const char *const styles[] = {"registers", "distributed", "block", "ultra"};

/* -------------------------------------------------------- helpers ---- */

static void verbose(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void verbose(const char *fmt, ...) {
  if (ir_verbosity < 2) return;
  char buf[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  ir_progress("%s", buf);
}

static int64_t sat_add(int64_t a, int64_t b) { return a > INT64_MAX - b ? INT64_MAX : a + b; }
static int64_t sat_mul(int64_t a, int64_t b) {
  if (a == 0 || b == 0) return 0;
  return a > INT64_MAX / b ? INT64_MAX : a * b;
}

static const hw_part *part_of(const hw_fold_opts *o) {
  if (o && o->part) return o->part;
  static const hw_part *dflt;
  if (!dflt) dflt = hw_find_part("xc7z020");
  return dflt;
}

static double clock_of(const hw_fold_opts *o) {
  return o && o->clock_mhz > 0 ? o->clock_mhz : DEFAULT_CLOCK_MHZ;
}

static bool has_memory(const hw_unit *u) {
  return u->kind == HW_MVU || u->kind == HW_THRESHOLD || u->kind == HW_FIFO || u->kind == HW_VVU;
}

static const char *kind_name(hw_kind k) { return hw_kind_name(k); }

/* The dimension PE divides (0: no PE), and SIMD's (0: no SIMD).  A swg or pad
 * following a leader has neither: it takes its SIMD from the leader. */
static int pe_dim(const hw_unit *u) {
  switch (u->kind) {
  case HW_MVU: case HW_THRESHOLD: case HW_VVU: case HW_MAXPOOL: case HW_AVGPOOL: case HW_ADD:
  case HW_DUP:
    return u->mh;
  case HW_LABELSELECT: return u->mw;
  case HW_CONCAT: return (int)hw_gcd(u->ca, u->cb);
  default: return 0;
  }
}
static int simd_dim(const hw_unit *u) {
  switch (u->kind) {
  case HW_MVU: return u->mw;
  case HW_UPSAMPLE: case HW_D2S: return u->c;
  case HW_SWG: case HW_PAD: return (u->kind == HW_SWG || u->kind == HW_PAD) && u->leader >= 0 ? 0 : u->c;
  default: return 0;
  }
}

/* A swg or pad whose SIMD follows the unit it feeds. */
static bool is_follower(const hw_unit *u) {
  return (u->kind == HW_SWG || u->kind == HW_PAD) && u->leader >= 0;
}

/* Set every follower's SIMD from its leader and estimate it. */
static void follow_leaders(hw_design *d, const hw_part *p) {
  for (int i = 0; i < d->nunits; i++) {
    hw_unit *u = &d->units[i];
    if (!is_follower(u)) continue;
    hw_follow_leader(d, u);
    hw_estimate_part(u, p);
  }
}

static void res_of(const hw_unit *u, int64_t r[NRES]) {
  r[R_LUT] = (int64_t)llround(u->est_lut);
  r[R_FF] = (int64_t)llround(u->est_ff);
  r[R_BRAM] = (int64_t)llround(u->est_bram18);
  r[R_URAM] = (int64_t)llround(u->est_uram);
  r[R_DSP] = (int64_t)llround(u->est_dsp);
}

/* ------------------------------------------------------- the spec ---- */

typedef struct auto_spec {
  double fps;              /* 0: highest throughput */
  double util;
  double explicit_[NRES];  /* < 0: part * util */
} auto_spec;

static bool is_auto(const char *spec) {
  return !spec || !*spec || !strcmp(spec, "auto") || !strncmp(spec, "auto:", 5);
}

/* "30k" -> 30000; -1 on anything else. */
static int parse_number(const char *s, size_t n, double *out) {
  char buf[64];
  if (n == 0 || n >= sizeof buf) return -1;
  memcpy(buf, s, n);
  buf[n] = 0;
  char *end;
  errno = 0;
  double v = strtod(buf, &end);
  if (end == buf || errno) return -1;
  if (*end == 'k' || *end == 'K') v *= 1e3, end++;
  else if (*end == 'M') v *= 1e6, end++;
  else if (*end == 'G') v *= 1e9, end++;
  if (*end || !isfinite(v) || isspace((unsigned char)buf[0])) return -1;
  *out = v;
  return 0;
}

static int parse_auto(const char *spec, auto_spec *a) {
  a->fps = 0;
  a->util = DEFAULT_UTIL;
  for (int r = 0; r < NRES; r++) a->explicit_[r] = -1;
  if (!spec || strncmp(spec, "auto:", 5)) return 0;
  static const char *const keys[] = {"lut", "ff", "bram", "uram", "dsp"};
  const char *s = spec + 5;
  for (;;) {
    const char *end = strchr(s, ',');
    size_t len = end ? (size_t)(end - s) : strlen(s);
    const char *eq = memchr(s, '=', len);
    if (!eq)
      return ir_errorf(NULL, NULL, "--fold=%s: expected KEY=VALUE after 'auto:', got '%.*s' "
                       "(keys: fps, lut, ff, bram, uram, dsp, util)", spec, (int)len, s);
    size_t klen = (size_t)(eq - s);
    double v;
    if (parse_number(eq + 1, len - klen - 1, &v) || v < 0)
      return ir_errorf(NULL, NULL, "--fold=%s: '%.*s' is not a non-negative number",
                       spec, (int)(len - klen - 1), eq + 1);
    bool known = false;
    if (klen == 3 && !strncmp(s, "fps", 3)) {
      if (!(v > 0)) return ir_errorf(NULL, NULL, "--fold=%s: fps must be > 0", spec);
      a->fps = v;
      known = true;
    } else if (klen == 4 && !strncmp(s, "util", 4)) {
      if (!(v > 0 && v <= 1))
        return ir_errorf(NULL, NULL, "--fold=%s: util is a fraction of the part, 0 < util <= 1", spec);
      a->util = v;
      known = true;
    } else {
      for (int r = 0; r < NRES; r++)
        if (klen == strlen(keys[r]) && !strncmp(s, keys[r], klen)) {
          if (v > 1e15) return ir_errorf(NULL, NULL, "--fold=%s: %s=%g is absurdly large", spec, keys[r], v);
          if ((r == R_LUT || r == R_FF) && v < 1)
            return ir_errorf(NULL, NULL, "--fold=%s: %s must be at least 1", spec, keys[r]);
          a->explicit_[r] = v;
          known = true;
        }
      if (klen == 6 && !strncmp(s, "bram18", 6)) {
        a->explicit_[R_BRAM] = v;
        known = true;
      }
    }
    if (!known)
      return ir_errorf(NULL, NULL, "--fold=%s: unknown key '%.*s' (keys: fps, lut, ff, bram, uram, "
                       "dsp, util)", spec, (int)klen, s);
    if (!end) break;
    s = end + 1;
  }
  return 0;
}

typedef struct budget {
  int64_t b[NRES];
  int64_t w[NRES];         /* cost weights */
  const hw_part *part;
  double util;
  bool is_explicit[NRES];
} budget;

static int make_budget(const hw_fold_opts *o, budget *B, auto_spec *a) {
  auto_spec dummy;
  if (!a) a = &dummy;
  if (is_auto(o ? o->spec : NULL)) {
    if (parse_auto(o ? o->spec : NULL, a)) return -1;
  } else {
    parse_auto(NULL, a);
  }
  const hw_part *p = part_of(o);
  const double full[NRES] = {p->lut, p->ff, p->bram18, p->uram, p->dsp};
  B->part = p;
  B->util = a->util;
  for (int r = 0; r < NRES; r++) {
    B->is_explicit[r] = a->explicit_[r] >= 0;
    double v = B->is_explicit[r] ? a->explicit_[r] : full[r] * a->util;
    B->b[r] = (int64_t)floor(v + 1e-9);
  }
  for (int r = 0; r < NRES; r++)
    B->w[r] = r == R_LUT ? 1000 : B->b[r] > 0 ? (int64_t)llround(1000.0 * (double)B->b[R_LUT] / (double)B->b[r]) : 0;
  return 0;
}

int hw_fold_budget(const hw_fold_opts *o, hw_part *out) {
  budget B;
  if (make_budget(o, &B, NULL)) return -1;
  *out = *B.part;
  out->lut = (double)B.b[R_LUT];
  out->ff = (double)B.b[R_FF];
  out->bram18 = (double)B.b[R_BRAM];
  out->uram = (double)B.b[R_URAM];
  out->dsp = (double)B.b[R_DSP];
  return 0;
}

static const char *budget_desc(ir_arena *a, const budget *B) {
  bool any_explicit = false, all_explicit = true;
  for (int r = 0; r < NRES; r++) {
    any_explicit |= B->is_explicit[r];
    all_explicit &= B->is_explicit[r];
  }
  if (all_explicit) return "the explicit budget";
  return ir_sprintf(a, "%s%.0f%% of %s", any_explicit ? "the explicit budget and " : "",
                    B->util * 100, B->part->part);
}

static int64_t cost_of(const budget *B, const int64_t r[NRES]) {
  int64_t c = 0;
  for (int k = 0; k < NRES; k++) c = sat_add(c, sat_mul(r[k], B->w[k]));
  return c;
}

/* ---------------------------------------------------- candidates ---- */

typedef struct cand {
  int pe, simd;
  const char *style;
  int64_t cycles;
  int64_t res[NRES];
  int64_t cost;
} cand;

typedef struct ucands {
  hw_unit *u;
  int n;
  cand *c;                 /* sorted: cost, then cycles, then generation order */
} ucands;

#define MAX_DIVISORS 2048 /* every int has fewer */

/* Divisors of n in increasing order (at most max of them). */
static int divisors(int n, int *out, int max) {
  int k = 0, big[MAX_DIVISORS], nb = 0;
  for (int i = 1; (int64_t)i * i <= n && k < max; i++)
    if (n % i == 0) {
      out[k++] = i;
      if (i != n / i && nb < MAX_DIVISORS) big[nb++] = n / i;
    }
  while (nb > 0 && k < max) out[k++] = big[--nb];
  return k;
}

static int cmp_cand(const void *x, const void *y) {
  const cand *a = x, *b = y;
  if (a->cost != b->cost) return a->cost < b->cost ? -1 : 1;
  if (a->cycles != b->cycles) return a->cycles < b->cycles ? -1 : 1;
  if (a->pe * a->simd != b->pe * b->simd) return a->pe * a->simd < b->pe * b->simd ? -1 : 1;
  if (a->pe != b->pe) return a->pe < b->pe ? -1 : 1;
  return strcmp(a->style ? a->style : "", b->style ? b->style : "");
}

static void build_cands(ucands *uc, hw_design *d, hw_unit *u, const budget *B) {
  int ui = (int)(u - d->units);
  int *pes = malloc(MAX_DIVISORS * sizeof(int)), *simds = malloc(MAX_DIVISORS * sizeof(int));
  if (!pes || !simds) abort();
  int npe = pe_dim(u) > 0 ? divisors(pe_dim(u), pes, MAX_DIVISORS) : 0;
  int nsimd = simd_dim(u) > 0 ? divisors(simd_dim(u), simds, MAX_DIVISORS) : 0;
  if (!npe) pes[npe++] = u->pe > 0 ? u->pe : 1;
  if (!nsimd) simds[nsimd++] = u->simd > 0 ? u->simd : 1;
  int nst = has_memory(u) ? (B->b[R_URAM] > 0 ? 4 : 3) : 1;
  uc->u = u;
  uc->n = 0;
  uc->c = malloc((size_t)npe * nsimd * nst * sizeof(cand));
  if (!uc->c) abort();
  for (int i = 0; i < npe; i++)
    for (int j = 0; j < nsimd; j++)
      for (int s = 0; s < nst; s++) {
        hw_unit t = *u;
        t.pe = pes[i];
        t.simd = simds[j];
        t.ram_style = has_memory(u) ? styles[s] : u->ram_style;
        hw_estimate_part(&t, B->part);
        cand *c = &uc->c[uc->n++];
        c->pe = t.pe;
        c->simd = t.simd;
        c->style = t.ram_style;
        c->cycles = t.cycles;
        res_of(&t, c->res);
        if (is_follower(u)) { /* a follower costs nothing here: its leader carries it */
          c->cycles = 0;
          for (int k = 0; k < NRES; k++) c->res[k] = 0;
        }
        /* a leader's candidates include its followers at the matching SIMD */
        hw_unit saved = *u;
        *u = t;
        for (int f = 0; f < d->nunits; f++) {
          if (!is_follower(&d->units[f]) || d->units[f].leader != ui) continue;
          hw_unit fu = d->units[f];
          hw_follow_leader(d, &fu);
          hw_estimate_part(&fu, B->part);
          int64_t r[NRES];
          res_of(&fu, r);
          for (int k = 0; k < NRES; k++) c->res[k] += r[k];
          if (fu.cycles > c->cycles) c->cycles = fu.cycles;
        }
        *u = saved;
        c->cost = cost_of(B, c->res);
      }
  qsort(uc->c, (size_t)uc->n, sizeof(cand), cmp_cand);
  free(pes);
  free(simds);
}

/* ------------------------------------------------ branch and bound ---- */

typedef struct search {
  int n;
  ucands *uc;
  const budget *B;
  int **list;              /* per unit: candidate indices usable at this c */
  int *nlist;
  int64_t (*lb)[NRES];     /* lb[i]: sum over units >= i of per-resource minima */
  int64_t *lbcost;         /* sum over units >= i of the cheapest cost */
  int *cur, *best;
  int64_t best_cost;
  bool any;                /* stop at the first fitting design */
  bool found, stop;
  long nodes;
  bool limit_hit;
} search;

static void dfs(search *S, int i, const int64_t *used, int64_t cost) {
  if (S->stop) return;
  if (++S->nodes > BB_NODE_LIMIT) {
    S->limit_hit = true;
    S->stop = true;
    return;
  }
  if (i == S->n) {
    if (!S->found || cost < S->best_cost) {
      S->found = true;
      S->best_cost = cost;
      memcpy(S->best, S->cur, (size_t)S->n * sizeof(int));
      if (S->any) S->stop = true;
    }
    return;
  }
  const ucands *uc = &S->uc[i];
  for (int k = 0; k < S->nlist[i] && !S->stop; k++) {
    const cand *c = &uc->c[S->list[i][k]];
    int64_t nc = sat_add(cost, c->cost);
    if (S->found && sat_add(nc, S->lbcost[i + 1]) >= S->best_cost) break; /* cheapest first */
    int64_t nu[NRES];
    bool fits = true;
    for (int r = 0; r < NRES && fits; r++) {
      nu[r] = sat_add(used[r], c->res[r]);
      if (sat_add(nu[r], S->lb[i + 1][r]) > S->B->b[r]) fits = false;
    }
    if (!fits) continue;
    S->cur[i] = S->list[i][k];
    dfs(S, i + 1, nu, nc);
  }
}

static void search_init(search *S, ucands *uc, int n, const budget *B) {
  memset(S, 0, sizeof *S);
  S->n = n;
  S->uc = uc;
  S->B = B;
  S->list = calloc((size_t)n + 1, sizeof(int *));
  S->nlist = calloc((size_t)n + 1, sizeof(int));
  S->lb = calloc((size_t)n + 1, sizeof *S->lb);
  S->lbcost = calloc((size_t)n + 1, sizeof(int64_t));
  S->cur = calloc((size_t)n + 1, sizeof(int));
  S->best = calloc((size_t)n + 1, sizeof(int));
  if (!S->list || !S->nlist || !S->lb || !S->lbcost || !S->cur || !S->best) abort();
  for (int i = 0; i < n; i++) {
    S->list[i] = malloc((size_t)uc[i].n * sizeof(int));
    if (!S->list[i]) abort();
  }
}

static void search_free(search *S) {
  for (int i = 0; i < S->n; i++) free(S->list[i]);
  free(S->list);
  free(S->nlist);
  free(S->lb);
  free(S->lbcost);
  free(S->cur);
  free(S->best);
}

/* Candidates of unit i usable with a bottleneck of c: cycles <= c and not
 * beaten in every resource by an earlier (no more expensive) one. */
static void filter(search *S, int i, int64_t c) {
  const ucands *uc = &S->uc[i];
  int m = 0;
  for (int k = 0; k < uc->n; k++) {
    const cand *x = &uc->c[k];
    if (x->cycles > c) continue;
    bool dominated = false;
    for (int j = 0; j < m && !dominated; j++) {
      const cand *y = &uc->c[S->list[i][j]];
      bool le = true;
      for (int r = 0; r < NRES && le; r++) le = y->res[r] <= x->res[r];
      dominated = le;
    }
    if (!dominated) S->list[i][m++] = k;
  }
  S->nlist[i] = m;
}

/* Is there a fitting design with every unit at <= c cycles?  With any ==
 * false, find the cheapest.  The choice goes to S->best. */
static bool solve(search *S, int64_t c, bool any) {
  for (int i = 0; i < S->n; i++) {
    filter(S, i, c);
    if (!S->nlist[i]) return false;
  }
  for (int r = 0; r < NRES; r++) S->lb[S->n][r] = 0;
  S->lbcost[S->n] = 0;
  for (int i = S->n - 1; i >= 0; i--) {
    const ucands *uc = &S->uc[i];
    for (int r = 0; r < NRES; r++) {
      int64_t mn = INT64_MAX;
      for (int k = 0; k < S->nlist[i]; k++)
        if (uc->c[S->list[i][k]].res[r] < mn) mn = uc->c[S->list[i][k]].res[r];
      S->lb[i][r] = sat_add(S->lb[i + 1][r], mn);
    }
    S->lbcost[i] = sat_add(S->lbcost[i + 1], uc->c[S->list[i][0]].cost);
  }
  for (int r = 0; r < NRES; r++)
    if (S->lb[0][r] > S->B->b[r]) return false;
  S->any = any;
  S->found = S->stop = false;
  S->best_cost = INT64_MAX;
  int64_t zero[NRES] = {0};
  dfs(S, 0, zero, 0);
  return S->found;
}

static int cmp_i64(const void *x, const void *y) {
  int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
  return a < b ? -1 : a > b;
}

/* "needs at least 80000 LUT (budget 37240), ..." for the no-fit errors:
 * per resource the sum of the units' minima at bottleneck c. */
static const char *shortfall(ir_arena *a, search *S, int64_t c) {
  for (int i = 0; i < S->n; i++) filter(S, i, c);
  int64_t need[NRES] = {0};
  for (int i = 0; i < S->n; i++)
    for (int r = 0; r < NRES; r++) {
      int64_t mn = INT64_MAX;
      for (int k = 0; k < S->nlist[i]; k++)
        if (S->uc[i].c[S->list[i][k]].res[r] < mn) mn = S->uc[i].c[S->list[i][k]].res[r];
      need[r] = sat_add(need[r], mn == INT64_MAX ? 0 : mn);
    }
  const char *s = "";
  bool over = false;
  for (int r = 0; r < NRES; r++)
    if (need[r] > S->B->b[r]) {
      s = ir_sprintf(a, "%s%s%lld %s (budget %lld)", s, over ? ", " : "", (long long)need[r],
                     res_names[r], (long long)S->B->b[r]);
      over = true;
    }
  if (!over) {
    /* Every resource alone could fit, just not together: show the cheapest
     * design (per unit the cheapest candidate) and what it overruns. */
    int64_t cheap[NRES] = {0};
    for (int i = 0; i < S->n; i++)
      if (S->nlist[i])
        for (int r = 0; r < NRES; r++) cheap[r] = sat_add(cheap[r], S->uc[i].c[S->list[i][0]].res[r]);
    for (int r = 0; r < NRES; r++)
      if (cheap[r] > S->B->b[r]) {
        s = ir_sprintf(a, "%s%s%lld %s (budget %lld)", s, over ? ", " : "", (long long)cheap[r],
                       res_names[r], (long long)S->B->b[r]);
        over = true;
      }
    return ir_sprintf(a, "the cheapest folding needs %s, and no other choice of folding and "
                      "ram_style fits every resource at once", s);
  }
  return ir_sprintf(a, "the smallest folding needs at least %s", s);
}

static void apply(ucands *uc, int n, const int *choice, const hw_part *p) {
  for (int i = 0; i < n; i++) {
    const cand *c = &uc[i].c[choice[i]];
    hw_unit *u = uc[i].u;
    u->pe = c->pe;
    u->simd = c->simd;
    u->ram_style = c->style;
    hw_estimate_part(u, p);
  }
}

static int fold_auto(hw_design *d, const hw_fold_opts *o) {
  auto_spec as;
  budget B;
  if (make_budget(o, &B, &as)) return -1;
  const char *file = d->g ? d->g->file : NULL;
  const char *spec = o && o->spec && *o->spec ? o->spec : "auto";
  ir_arena *a = ir_arena_new();
  int n = d->nunits, rc = -1;
  ucands *uc = calloc((size_t)n + 1, sizeof *uc);
  if (!uc) abort();
  for (int i = 0; i < n; i++) build_cands(&uc[i], d, &d->units[i], &B);
  search S;
  search_init(&S, uc, n, &B);

  /* the smallest bottleneck any folding reaches, and every candidate value */
  int64_t lo = 0;
  size_t ncv = 0;
  for (int i = 0; i < n; i++) ncv += (size_t)uc[i].n;
  int64_t *cv = malloc((ncv + 1) * sizeof(int64_t));
  if (!cv) abort();
  ncv = 0;
  for (int i = 0; i < n; i++) {
    int64_t mn = INT64_MAX;
    for (int k = 0; k < uc[i].n; k++) {
      cv[ncv++] = uc[i].c[k].cycles;
      if (uc[i].c[k].cycles < mn) mn = uc[i].c[k].cycles;
    }
    if (mn > lo) lo = mn;
  }
  qsort(cv, ncv, sizeof(int64_t), cmp_i64);
  size_t m = 0;
  for (size_t k = 0; k < ncv; k++)
    if (cv[k] >= lo && (m == 0 || cv[m - 1] != cv[k])) cv[m++] = cv[k];
  if (m == 0) cv[m++] = lo;

  double clock = clock_of(o);
  int64_t target;
  const char *what = budget_desc(a, &B);
  if (as.fps > 0) {
    double t = floor(clock * 1e6 / as.fps + 1e-9);
    target = t > (double)INT64_MAX / 2 ? INT64_MAX / 2 : (int64_t)t;
    if (target < lo || target < 1) {
      const char *who = "?";
      for (int i = 0; i < n; i++) {
        int64_t mn = INT64_MAX;
        for (int k = 0; k < uc[i].n; k++)
          if (uc[i].c[k].cycles < mn) mn = uc[i].c[k].cycles;
        if (mn == lo) who = uc[i].u->name;
      }
      ir_errorf(file, NULL, "--fold=%s: %g frames/s is out of reach at %g MHz: even fully "
                "parallel, %s needs %lld cycle%s per frame (%.6g frames/s)", spec, as.fps, clock,
                who, (long long)lo, lo == 1 ? "" : "s", lo > 0 ? clock * 1e6 / (double)lo : INFINITY);
      goto out;
    }
    if (!solve(&S, target, false)) {
      ir_errorf(file, NULL, "--fold=%s: %g frames/s at %g MHz (%lld cycles per frame) does not fit "
                "%s: %s", spec, as.fps, clock, (long long)target, what, shortfall(a, &S, target));
      goto out;
    }
  } else {
    if (!solve(&S, cv[m - 1], true)) {
      ir_errorf(file, NULL, "--fold=%s: no folding fits %s: %s", spec, what,
                shortfall(a, &S, cv[m - 1]));
      goto out;
    }
    size_t l = 0, h = m - 1; /* cv[h] fits; find the first that does */
    while (l < h) {
      size_t mid = l + (h - l) / 2;
      if (solve(&S, cv[mid], true)) h = mid;
      else l = mid + 1;
    }
    target = cv[h];
    if (!solve(&S, target, false)) { /* cannot happen: it fit a moment ago */
      ir_errorf(file, NULL, "--fold: internal error: the folding search lost its solution");
      goto out;
    }
  }
  if (S.limit_hit)
    ir_warnf(file, NULL, "--fold=%s: the search stopped after %ld nodes; the folding fits %s but "
             "may not be the cheapest", spec, (long)BB_NODE_LIMIT, what);
  apply(uc, n, S.best, B.part);
  follow_leaders(d, B.part);
  verbose("fold: auto: %zu candidate bottlenecks from %lld cycles, budget %s, chose <= %lld",
          m, (long long)lo, what, (long long)target);
  rc = 0;
out:
  free(cv);
  search_free(&S);
  for (int i = 0; i < n; i++) free(uc[i].c);
  free(uc);
  ir_arena_free(a);
  return rc;
}

/* ------------------------------------------------------ JSON files ---- */

static const char *const ram_styles[] = {"auto", "distributed", "block", "ultra", "registers"};

typedef struct jctx {
  ir_arena *a;
  const char *file;
  const hw_part *part;
  hw_design *d;
} jctx;

static int jerr(jctx *J, int line, int col, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int jerr(jctx *J, int line, int col, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  ir_verrorf(ir_sprintf(J->a, "%s:%d:%d", J->file, line, col), NULL, fmt, ap);
  va_end(ap);
  return -1;
}

static const char *divisor_list(ir_arena *a, int n) {
  const char *s = "";
  int k = 0;
  for (int i = 1; i <= n; i++)
    if (n % i == 0) {
      if (k++ == 24) return ir_sprintf(a, "%s, ...", s);
      s = ir_sprintf(a, "%s%s%d", s, *s ? ", " : "", i);
    }
  return s;
}

static bool has_thresh_style(const hw_unit *u) { return u->kind == HW_MVU && u->nthresh > 0; }

static const char *fields_of(const hw_unit *u) {
  if (is_follower(u)) return "none (its SIMD follows the unit it feeds)";
  switch (u->kind) {
  case HW_MVU: case HW_VVU:
    if (u->kind == HW_VVU) return "PE, ram_style";
    return has_thresh_style(u) ? "PE, SIMD, ram_style, thresh_style" : "PE, SIMD, ram_style";
  case HW_THRESHOLD: return "PE, ram_style";
  case HW_FIFO: return "ram_style";
  case HW_DWC: return "none";
  case HW_UPSAMPLE: case HW_D2S: case HW_SWG: case HW_PAD: return "SIMD";
  default: return "PE";
  }
}

static bool has_field(const hw_unit *u, const char *f) {
  if (!strcmp(f, "PE")) return pe_dim(u) > 0;
  if (!strcmp(f, "SIMD")) return simd_dim(u) > 0;
  if (!strcmp(f, "ram_style")) return has_memory(u);
  if (!strcmp(f, "thresh_style")) return has_thresh_style(u);
  return false;
}

/* Set field f of unit u from value v; `where` says where it came from. */
static int set_field(jctx *J, hw_unit *u, const char *f, const json_value *v, const char *where) {
  if (!strcmp(f, "thresh_style")) {
    static const char *const ts[] = {"auto", "compare", "table"};
    if (v->type == JSON_STRING)
      for (size_t i = 0; i < sizeof ts / sizeof ts[0]; i++)
        if (!strcmp(v->string, ts[i]) && strlen(ts[i]) == v->len) {
          if (i == 2 && hw_thresh_table_words(u) <= 0)
            return jerr(J, v->line, v->col, "%s: thresh_style \"table\" needs an accumulator of at "
                        "most 16 bits; %s has %d", where, u->name, u->acc_bits);
          u->thresh_style = ts[i];
          return 0;
        }
    return jerr(J, v->line, v->col, "%s: thresh_style must be \"auto\", \"compare\" or \"table\"",
                where);
  }
  if (!strcmp(f, "ram_style")) {
    if (v->type != JSON_STRING)
      return jerr(J, v->line, v->col, "%s: ram_style must be a string (auto, distributed, block, "
                  "ultra, registers), got %s", where, json_type_name(v->type));
    for (size_t i = 0; i < sizeof ram_styles / sizeof ram_styles[0]; i++)
      if (!strcmp(v->string, ram_styles[i]) && strlen(ram_styles[i]) == v->len) {
        if (!strcmp(ram_styles[i], "ultra") && !(J->part->uram > 0))
          return jerr(J, v->line, v->col, "%s: ram_style \"ultra\" needs UltraRAM, which %s does "
                      "not have (choose the part with --part)", where, J->part->part);
        u->ram_style = ram_styles[i];
        return 0;
      }
    return jerr(J, v->line, v->col, "%s: unknown ram_style \"%s\" (auto, distributed, block, ultra, "
                "registers)", where, json_shown(J->a, v->string, v->len));
  }
  bool pe = !strcmp(f, "PE");
  int dim = pe ? pe_dim(u) : simd_dim(u);
  const char *dname = pe ? (u->kind == HW_LABELSELECT ? "the class count" : u->kind == HW_MVU ? "MH" : "the channels")
                         : (u->kind == HW_MVU ? "MW" : "the channels");
  if (v->type != JSON_NUMBER || !v->is_integer)
    return jerr(J, v->line, v->col, "%s: %s must be a positive integer, got %s", where, f,
                v->type == JSON_NUMBER ? "a fraction" : json_type_name(v->type));
  if (v->integer < 1)
    return jerr(J, v->line, v->col, "%s: %s must be a positive integer, got %lld", where, f,
                (long long)v->integer);
  if (v->integer > dim || dim % v->integer)
    return jerr(J, v->line, v->col, "%s: %s=%lld does not divide %s=%d of %s (divisors: %s)", where,
                f, (long long)v->integer, dname, dim, u->name, divisor_list(J->a, dim));
  if (pe) u->pe = (int)v->integer;
  else u->simd = (int)v->integer;
  return 0;
}

/* Unit kinds an op-type name of Defaults selects (bit mask), 0 if unknown. */
static unsigned kinds_of(const char *op) {
  static const struct { const char *name; hw_kind k; } ops[] = {
      {"mvu", HW_MVU}, {"MVAU", HW_MVU}, {"MVAU_hls", HW_MVU}, {"MVAU_rtl", HW_MVU},
      {"MatrixVectorActivation", HW_MVU}, {"StreamingFCLayer_Batch", HW_MVU},
      {"threshold", HW_THRESHOLD}, {"Thresholding", HW_THRESHOLD},
      {"Thresholding_hls", HW_THRESHOLD}, {"Thresholding_rtl", HW_THRESHOLD},
      {"Thresholding_Batch", HW_THRESHOLD}, {"labelselect", HW_LABELSELECT},
      {"LabelSelect", HW_LABELSELECT}, {"LabelSelect_hls", HW_LABELSELECT},
      {"LabelSelect_Batch", HW_LABELSELECT}, {"fifo", HW_FIFO}, {"StreamingFIFO", HW_FIFO},
      {"StreamingFIFO_rtl", HW_FIFO}, {"dwc", HW_DWC}, {"StreamingDataWidthConverter", HW_DWC},
      {"StreamingDataWidthConverter_Batch", HW_DWC}, {"StreamingDataWidthConverter_hls", HW_DWC},
      {"StreamingDataWidthConverter_rtl", HW_DWC}, {"swg", HW_SWG},
      {"ConvolutionInputGenerator", HW_SWG}, {"ConvolutionInputGenerator_rtl", HW_SWG},
      {"pad", HW_PAD}, {"FMPadding", HW_PAD}, {"FMPadding_rtl", HW_PAD}, {"vvu", HW_VVU},
      {"VVAU", HW_VVU}, {"VectorVectorActivation", HW_VVU}, {"maxpool", HW_MAXPOOL},
      {"StreamingMaxPool", HW_MAXPOOL}, {"Pool", HW_MAXPOOL}, {"avgpool", HW_AVGPOOL},
      {"add", HW_ADD}, {"AddStreams", HW_ADD}, {"dup", HW_DUP}, {"DuplicateStreams", HW_DUP},
      {"concat", HW_CONCAT}, {"StreamingConcat", HW_CONCAT}, {"upsample", HW_UPSAMPLE},
      {"UpsampleNearestNeighbour", HW_UPSAMPLE}, {"depth2space", HW_D2S},
  };
  if (!strcmp(op, "all")) return ~0u;
  for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
    if (!strcmp(op, ops[i].name)) return 1u << ops[i].k;
  return 0;
}

static int apply_defaults(jctx *J, const json_value *defs) {
  if (defs->type != JSON_OBJECT)
    return jerr(J, defs->line, defs->col, "\"Defaults\" must be an object, got %s",
                json_type_name(defs->type));
  for (size_t i = 0; i < defs->len; i++) {
    const json_member *m = &defs->members[i];
    const char *f = m->key;
    if ((strcmp(f, "PE") && strcmp(f, "SIMD") && strcmp(f, "ram_style")) || strlen(f) != m->key_len)
      return jerr(J, m->line, m->col, "\"Defaults\": unknown field \"%s\" (known: PE, SIMD, ram_style)",
                  json_shown(J->a, f, m->key_len));
    const json_value *v = m->value;
    const char *where = ir_sprintf(J->a, "\"Defaults\".\"%s\"", f);
    if (v->type != JSON_ARRAY) { /* a bare value: every unit that has the field */
      for (int u = 0; u < J->d->nunits; u++)
        if (has_field(&J->d->units[u], f) && set_field(J, &J->d->units[u], f, v, where)) return -1;
      continue;
    }
    if (v->len == 0 || v->len % 2)
      return jerr(J, v->line, v->col, "%s: expected [value, OPS, value, OPS, ...] with OPS \"all\" "
                  "or a list of unit kinds", where);
    for (size_t k = 0; k < v->len; k += 2) {
      const json_value *val = v->items[k], *ops = v->items[k + 1];
      unsigned mask = 0;
      if (ops->type == JSON_STRING) {
        if (strlen(ops->string) != ops->len || !(mask = kinds_of(ops->string)))
          return jerr(J, ops->line, ops->col, "%s: unknown unit kind \"%s\" (mvu, threshold, "
                      "labelselect, fifo, dwc, FINN op types, or \"all\")", where,
                      json_shown(J->a, ops->string, ops->len));
      } else if (ops->type == JSON_ARRAY) {
        for (size_t q = 0; q < ops->len; q++) {
          const json_value *op = ops->items[q];
          unsigned km = op->type == JSON_STRING && strlen(op->string) == op->len ? kinds_of(op->string) : 0;
          if (!km)
            return jerr(J, op->line, op->col, "%s: expected a unit kind (mvu, threshold, "
                        "labelselect, fifo, dwc, FINN op types, or \"all\")", where);
          mask |= km;
        }
      } else {
        return jerr(J, ops->line, ops->col, "%s: expected \"all\" or a list of unit kinds, got %s",
                    where, json_type_name(ops->type));
      }
      for (int u = 0; u < J->d->nunits; u++) {
        hw_unit *un = &J->d->units[u];
        if (!(mask & (1u << un->kind))) continue;
        if (!has_field(un, f)) {
          if (mask == ~0u) continue;
          return jerr(J, ops->line, ops->col, "%s: %s units have no field %s", where,
                      kind_name(un->kind), f);
        }
        if (set_field(J, un, f, val, where)) return -1;
      }
    }
  }
  return 0;
}

static const char *unit_names(ir_arena *a, const hw_design *d) {
  const char *s = "";
  for (int i = 0; i < d->nunits; i++) {
    if (i == 16) return ir_sprintf(a, "%s, ... (%d units)", s, d->nunits);
    s = ir_sprintf(a, "%s%s%s", s, i ? ", " : "", d->units[i].name);
  }
  return *s ? s : "none";
}

static int fold_file(hw_design *d, const char *path, const hw_part *part) {
  ir_arena *a = ir_arena_new();
  jctx J = {a, path, part, d};
  int rc = -1;
  json_value *root = json_parse_file(a, path);
  if (!root) goto out;
  if (root->type != JSON_OBJECT) {
    jerr(&J, root->line, root->col, "a folding file is a JSON object keyed by unit name "
         "(FINN's folding-config shape), got %s", json_type_name(root->type));
    goto out;
  }
  char *listed = calloc((size_t)d->nunits + 1, 1);
  if (!listed) abort();
  for (int i = 0; i < d->nunits; i++) {
    hw_unit *u = &d->units[i];
    if (pe_dim(u)) u->pe = 1;
    if (simd_dim(u)) u->simd = 1;
    if (has_memory(u)) u->ram_style = "auto";
    if (has_thresh_style(u)) u->thresh_style = "auto";
  }
  const json_member *defs = json_find(root, "Defaults");
  if (defs && apply_defaults(&J, defs->value)) goto out_listed;
  for (size_t k = 0; k < root->len; k++) {
    const json_member *m = &root->members[k];
    if (!strcmp(m->key, "Defaults") && m->key_len == 8) continue;
    int ui = -1;
    for (int i = 0; i < d->nunits && ui < 0; i++)
      if (strlen(d->units[i].name) == m->key_len && !strcmp(d->units[i].name, m->key)) ui = i;
    if (ui < 0) {
      jerr(&J, m->line, m->col, "unknown unit \"%s\" (units: %s)", json_shown(a, m->key, m->key_len),
           unit_names(a, d));
      goto out_listed;
    }
    hw_unit *u = &d->units[ui];
    listed[ui] = 1;
    const json_value *v = m->value;
    if (v->type != JSON_OBJECT) {
      jerr(&J, v->line, v->col, "\"%s\": expected an object like {\"PE\": 4, \"SIMD\": 8}, got %s",
           m->key, json_type_name(v->type));
      goto out_listed;
    }
    for (size_t f = 0; f < v->len; f++) {
      const json_member *fm = &v->members[f];
      if (!has_field(u, fm->key) || strlen(fm->key) != fm->key_len) {
        jerr(&J, fm->line, fm->col, "\"%s\": unknown field \"%s\" for a%s %s unit (known: %s)",
             m->key, json_shown(a, fm->key, fm->key_len), u->kind == HW_MVU ? "n" : "", kind_name(u->kind),
             fields_of(u));
        goto out_listed;
      }
      if (set_field(&J, u, fm->key, fm->value, ir_sprintf(a, "\"%s\"", m->key))) goto out_listed;
    }
  }
  for (int i = 0; i < d->nunits; i++)
    if (!listed[i] && (pe_dim(&d->units[i]) || has_memory(&d->units[i])))
      verbose("fold: %s is not in %s: keeps PE=%d SIMD=%d ram_style %s", d->units[i].name, path,
              d->units[i].pe, d->units[i].simd, d->units[i].ram_style ? d->units[i].ram_style : "auto");
  rc = 0;
out_listed:
  free(listed);
out:
  ir_arena_free(a);
  return rc;
}

/* --------------------------------------------------------- hw_fold ---- */

static void summary(const hw_design *d, const hw_fold_opts *o, const char *how) {
  int64_t tot[NRES] = {0}, bott = 0;
  const char *bname = "none";
  for (int i = 0; i < d->nunits; i++) {
    int64_t r[NRES];
    res_of(&d->units[i], r);
    for (int k = 0; k < NRES; k++) tot[k] += r[k];
    if (d->units[i].cycles > bott) {
      bott = d->units[i].cycles;
      bname = d->units[i].name;
    }
    const hw_unit *u = &d->units[i];
    verbose("fold:   %-12s PE=%-4d SIMD=%-4d %-11s %10lld cycles  %7lld LUT %7lld FF %4lld BRAM18 "
            "%3lld URAM %4lld DSP", u->name, u->pe, u->simd, u->ram_style ? u->ram_style : "-",
            (long long)u->cycles, (long long)r[R_LUT], (long long)r[R_FF], (long long)r[R_BRAM],
            (long long)r[R_URAM], (long long)r[R_DSP]);
  }
  double clock = clock_of(o);
  ir_progress("fold: %s: bottleneck %s, %lld cycles/frame = %.6g frames/s at %g MHz; estimated %lld "
              "LUT, %lld FF, %lld BRAM18, %lld URAM, %lld DSP", how, bname, (long long)bott,
              bott > 0 ? clock * 1e6 / (double)bott : INFINITY, clock, (long long)tot[R_LUT],
              (long long)tot[R_FF], (long long)tot[R_BRAM], (long long)tot[R_URAM], (long long)tot[R_DSP]);
  const hw_part *p = part_of(o);
  const double full[NRES] = {p->lut, p->ff, p->bram18, p->uram, p->dsp};
  for (int k = 0; k < NRES; k++)
    if ((double)tot[k] > full[k])
      ir_warnf(d->g ? d->g->file : NULL, NULL, "the folding needs an estimated %lld %s, more than "
               "%s has (%.0f)", (long long)tot[k], res_names[k], p->part, full[k]);
}

int hw_fold(hw_design *d, const hw_fold_opts *o) {
  const char *spec = o ? o->spec : NULL;
  const hw_part *part = part_of(o);
  const char *how;
  if (is_auto(spec)) {
    if (fold_auto(d, o)) return -1;
    how = spec && *spec ? spec : "auto";
  } else {
    if (!strcmp(spec, "none")) {
      for (int i = 0; i < d->nunits; i++) {
        hw_unit *u = &d->units[i];
        if (pe_dim(u)) u->pe = 1;
        if (simd_dim(u)) u->simd = 1;
        if (has_memory(u)) u->ram_style = "auto";
      }
    } else if (fold_file(d, spec, part)) {
      return -1;
    }
    for (int i = 0; i < d->nunits; i++) {
      hw_unit *u = &d->units[i];
      if (has_memory(u)) u->ram_style = hw_resolve_ram_style(u, part);
      hw_estimate_part(u, part);
    }
    follow_leaders(d, part);
    how = spec;
  }
  for (int i = 0; i < d->nunits; i++) {
    hw_unit *u = &d->units[i];
    if (!has_thresh_style(u)) continue;
    u->thresh_style = hw_thresh_table(u, part) ? "table" : "compare";
    hw_estimate_part(u, part);
  }
  summary(d, o, how);
  return 0;
}

/* ------------------------------------------------------ writing ---- */

int hw_write_folding_json(const hw_design *d, const char *path) {
  json_atomic w;
  FILE *f = json_atomic_open(&w, path);
  if (!f) return -1;
  fputs("{\n  \"Defaults\": {}", f);
  for (int i = 0; i < d->nunits; i++) {
    const hw_unit *u = &d->units[i];
    if (!pe_dim(u) && !simd_dim(u)) continue;
    fputs(",\n  ", f);
    json_put_string(f, u->name);
    const char *sep = ": {";
    if (pe_dim(u)) {
      fprintf(f, "%s\"PE\": %d", sep, u->pe);
      sep = ", ";
    }
    if (simd_dim(u)) fprintf(f, "%s\"SIMD\": %d", sep, u->simd);
    if (has_memory(u)) {
      fputs(", \"ram_style\": ", f);
      json_put_string(f, u->ram_style ? u->ram_style : "auto");
    }
    if (has_thresh_style(u)) {
      fputs(", \"thresh_style\": ", f);
      json_put_string(f, u->thresh_style ? u->thresh_style : "auto");
    }
    fputc('}', f);
  }
  fputs("\n}\n", f);
  return json_atomic_close(&w, true);
}
