/* fit.c - least-squares fit of the resource model's LUT and FF coefficients
 * (ir/resources.c, HW_COST_FEATURES) to the Yosys measurements of
 * bench/calib/data.csv.
 *
 *   calib_fit [data.csv] [-q] [-v NAME]      (-v: the features of one row)
 *
 * Every row is turned back into its hw_unit (bench/calib/calib.h) and its
 * features are computed by the model itself (hw_cost_features), so the fit and
 * the compiler can never disagree on what a feature counts.  The fit minimises
 * the sum of squared *relative* errors, sum_i ((f_i . c - y_i) / y_i)^2 (the
 * acceptance criterion is relative), with every coefficient >= 0 (a
 * non-negative least squares by cyclic coordinate descent on the normal
 * equations, which converges for this convex problem).  Printed:
 *   - per row: Yosys LUT / FF / BRAM18 / DSP, the current model (the
 *     coefficients compiled into ir/resources.c) and the refit, with errors;
 *   - for both: rows within 25 % on LUT, median and 90th percentile of the LUT
 *     error, rows exact on BRAM18 and on DSP; and the refit's leave-one-out
 *     LUT errors (each row predicted by a fit without it: an honest estimate of
 *     the error on a configuration that is not in the sweep);
 *   - the refit coefficient table, to copy into ir/resources.c (HW_COST_FEATURES).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/calib/calib.h"

#define NF HW_COST_MAXFEAT

static int nfeat;

/* Features counted exactly (their coefficient is physics, not a fit): kept at
 * the table's value, their contribution taken off the target first. */
static const char *const pinned[] = {"LUTRAM_LUTS"};

static int is_pinned(int k) {
  const char *name = hw_cost_feature(k, NULL, NULL);
  for (size_t i = 0; i < sizeof pinned / sizeof pinned[0]; i++)
    if (name && !strcmp(name, pinned[i])) return 1;
  return 0;
}

static double whole(double x) { return x > 1e-9 ? ceil(x - 1e-9) : 0; }

/* Non-negative weighted least squares: min sum_i w_i (X_i . c - y_i)^2, c >= 0,
 * rows with skip[i] left out. */
static void nnls(int n, double (*X)[NF], const double *y, const double *w, const char *skip, const double *c0,
                 double *c) {
  double A[NF][NF] = {{0}}, b[NF] = {0};
  char fix[NF];
  for (int j = 0; j < nfeat; j++) fix[j] = (char)is_pinned(j);
  for (int i = 0; i < n; i++) {
    if (skip && skip[i]) continue;
    double yi = y[i];
    for (int j = 0; j < nfeat; j++)
      if (fix[j]) yi -= c0[j] * X[i][j];
    for (int j = 0; j < nfeat; j++) {
      b[j] += w[i] * X[i][j] * yi;
      for (int k = 0; k < nfeat; k++) A[j][k] += w[i] * X[i][j] * X[i][k];
    }
  }
  for (int j = 0; j < nfeat; j++) c[j] = fix[j] ? c0[j] : 0;
  for (int it = 0; it < 200000; it++) {
    double moved = 0;
    for (int j = 0; j < nfeat; j++) {
      if (A[j][j] <= 1e-12 || fix[j]) continue;
      double g = -b[j];
      for (int k = 0; k < nfeat; k++)
        if (!fix[k]) g += A[j][k] * c[k];
      double nc = c[j] - g / A[j][j];
      if (nc < 0) nc = 0;
      double d = fabs(nc - c[j]) * sqrt(A[j][j]);
      if (d > moved) moved = d;
      c[j] = nc;
    }
    if (moved < 1e-10) break;
  }
}

static double dot(const double *x, const double *c) {
  double s = 0;
  for (int k = 0; k < nfeat; k++) s += x[k] * c[k];
  return s;
}

static double rel(double est, double y) { return y > 0 ? (est - y) / y : (est > 0 ? 1 : 0); }

static int cmp_abs(const void *a, const void *b) {
  double x = fabs(*(const double *)a), y = fabs(*(const double *)b);
  return x < y ? -1 : x > y;
}

/* |err| distribution: share within 25 %, median, 90th percentile. */
static void summary(const char *what, int n, const double *err) {
  double *s = malloc((size_t)n * sizeof *s);
  if (!s) return;
  memcpy(s, err, (size_t)n * sizeof *s);
  qsort(s, (size_t)n, sizeof *s, cmp_abs);
  int ok = 0;
  for (int i = 0; i < n; i++) ok += fabs(s[i]) <= 0.25;
  printf("  %-34s %3d/%d within 25%% (%.0f%%), median %.1f%%, 90th percentile %.1f%%, worst %.1f%%\n", what,
         ok, n, 100.0 * ok / n, 100 * fabs(s[n / 2]), 100 * fabs(s[(int)(0.9 * (n - 1) + 0.5)]),
         100 * fabs(s[n - 1]));
  free(s);
}

int main(int argc, char **argv) {
  const char *path = "bench/calib/data.csv";
  int quiet = 0;
  const char *show = NULL;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "-q")) quiet = 1;
    else if (!strcmp(argv[i], "-v") && i + 1 < argc) show = argv[++i];
    else path = argv[i];
  }
  int n;
  calib_row *r = calib_read(path, &n);
  if (!r) return 1;
  if (n == 0) {
    fprintf(stderr, "calib_fit: %s has no rows\n", path);
    return 1;
  }
  double(*X)[NF] = calloc((size_t)n, sizeof *X);
  double *yl = malloc((size_t)n * sizeof *yl), *yf = malloc((size_t)n * sizeof *yf);
  double *wl = malloc((size_t)n * sizeof *wl), *wf = malloc((size_t)n * sizeof *wf);
  double *cur_l = malloc((size_t)n * sizeof *cur_l), *cur_f = malloc((size_t)n * sizeof *cur_f);
  double *e_cur = malloc((size_t)n * sizeof *e_cur), *e_fit = malloc((size_t)n * sizeof *e_fit);
  double *e_loo = malloc((size_t)n * sizeof *e_loo), *e_ffc = malloc((size_t)n * sizeof *e_ffc);
  double *e_fff = malloc((size_t)n * sizeof *e_fff);
  char *skip = calloc((size_t)n, 1);
  if (!X || !yl || !yf || !wl || !wf || !cur_l || !cur_f || !e_cur || !e_fit || !e_loo || !e_ffc || !e_fff || !skip)
    return 1;
  int bram_cur = 0, dsp_cur = 0;
  for (int i = 0; i < n; i++) {
    nfeat = hw_cost_features(&r[i].u, NULL, X[i]);
    hw_unit u = r[i].u;
    hw_estimate_part(&u, NULL);
    cur_l[i] = u.est_lut;
    cur_f[i] = u.est_ff;
    bram_cur += u.est_bram18 == r[i].bram18;
    dsp_cur += u.est_dsp == r[i].dsp;
    yl[i] = r[i].lut;
    yf[i] = r[i].ff;
    /* relative weights; a floor keeps a 3-LUT unit from dominating */
    wl[i] = 1.0 / ((yl[i] > 20 ? yl[i] : 20) * (yl[i] > 20 ? yl[i] : 20));
    wf[i] = 1.0 / ((yf[i] > 20 ? yf[i] : 20) * (yf[i] > 20 ? yf[i] : 20));
  }
  double cl[NF], cf[NF], tmp[NF], l0[NF], f0[NF];
  for (int k = 0; k < nfeat; k++) hw_cost_feature(k, &l0[k], &f0[k]);
  nnls(n, X, yl, wl, NULL, l0, cl);
  nnls(n, X, yf, wf, NULL, f0, cf);
  for (int i = 0; i < n; i++) {
    skip[i] = 1;
    nnls(n, X, yl, wl, skip, l0, tmp);
    skip[i] = 0;
    e_loo[i] = rel(whole(dot(X[i], tmp)), yl[i]);
    e_cur[i] = rel(cur_l[i], yl[i]);
    e_fit[i] = rel(whole(dot(X[i], cl)), yl[i]);
    e_ffc[i] = rel(cur_f[i], yf[i]);
    e_fff[i] = rel(whole(dot(X[i], cf)), yf[i]);
  }
  if (!quiet) {
    printf("%-20s %-11s %-11s %6s %6s %6s %6s %6s %5s %6s %6s %6s %5s %5s\n", "config", "unit", "style", "LUT",
           "model", "err%", "refit", "err%", "loo%", "FF", "model", "refit", "BRAM", "DSP");
    for (int i = 0; i < n; i++) {
      hw_unit u = r[i].u;
      hw_estimate_part(&u, NULL);
      printf("%-20s %-11s %-11s %6.0f %6.0f %+6.1f %6.0f %+6.1f %+5.0f %6.0f %6.0f %6.0f %2.0f/%-2.0f %2.0f/%-2.0f\n",
             r[i].name, r[i].unit, r[i].style, yl[i], cur_l[i], 100 * e_cur[i], whole(dot(X[i], cl)),
             100 * e_fit[i], 100 * e_loo[i], yf[i], cur_f[i], whole(dot(X[i], cf)), r[i].bram18, u.est_bram18,
             r[i].dsp, u.est_dsp);
    }
  }
  int klr = -1, lr_ok = 0;
  for (int k = 0; k < nfeat; k++)
    if (!strcmp(hw_cost_feature(k, NULL, NULL), "LUTRAM_LUTS")) klr = k;
  for (int i = 0; i < n && klr >= 0; i++) {
    if (X[i][klr] == r[i].lutram) lr_ok++;
    else if (!quiet) printf("  LUTRAM differs: %-20s Yosys %g, model %g\n", r[i].name, r[i].lutram, X[i][klr]);
  }
  printf("\n%d configurations (%s)\n", n, path);
  printf("  LUTs in LUTRAM exact: %d/%d\n", lr_ok, n);
  summary("LUT, model as compiled:", n, e_cur);
  summary("LUT, refit:", n, e_fit);
  summary("LUT, refit, leave-one-out:", n, e_loo);
  summary("FF, model as compiled:", n, e_ffc);
  summary("FF, refit:", n, e_fff);
  printf("  BRAM18 exact: %d/%d (%.0f%%); DSP exact: %d/%d (%.0f%%)\n", bram_cur, n, 100.0 * bram_cur / n, dsp_cur,
         n, 100.0 * dsp_cur / n);
  for (int i = 0; i < n && show; i++) {
    if (strcmp(r[i].name, show)) continue;
    printf("\n%s: features (x refit LUT coefficient)\n", r[i].name);
    for (int k = 0; k < nfeat; k++)
      if (X[i][k] != 0) printf("  %-16s %10.1f  -> %8.1f LUT\n", hw_cost_feature(k, NULL, NULL), X[i][k], X[i][k] * cl[k]);
  }
  printf("\nrefit coefficients (HW_COST_FEATURES in ir/resources.c):\n");
  printf("  %-16s %9s %9s   %9s %9s   %s\n", "feature", "LUT", "FF", "was LUT", "was FF", "rows using it");
  for (int k = 0; k < nfeat; k++) {
    double l, f;
    const char *name = hw_cost_feature(k, &l, &f);
    int used = 0;
    for (int i = 0; i < n; i++) used += X[i][k] != 0;
    printf("  %-16s %9.4g %9.4g   %9.4g %9.4g   %d\n", name, cl[k], cf[k], l, f, used);
  }
  free(X);
  calib_rows_free(r, n);
  return 0;
}
