/* test_resources.c - the resource model against its calibration data.
 *
 *   test_resources DATA.csv [--lut-scale F]
 *
 * Every row of bench/calib/data.csv (one unit configuration synthesized by Yosys
 * synth_xilinx, see bench/calib/run.sh) is turned back into its hw_unit and
 * estimated by the compiler's own hw_estimate_part on the default part
 * (xc7z020, the 7-series cells Yosys mapped to), with the memory style the RTL
 * was built with.  Passes iff
 *   - the LUT estimate is within 25 % of Yosys's LUTs on >= 90 % of the rows,
 *   - BRAM18 is exact on >= 90 % of the rows,
 *   - DSP is exact on >= 90 % of the rows,
 *   - an mvu estimated through the folder's memo (hw_unit.lane_memo) gets
 *     the same figures as without it.
 * Prints the LUT (and FF) error distribution (median, 90th percentile) and the
 * worst rows.  --lut-scale F multiplies every LUT estimate by F: the ctest
 * test_resources_detects runs it with 1.4 and expects a failure, so a check that
 * cannot fail is caught.  No Yosys is run here.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/calib/calib.h"

typedef struct {
  int i;
  double err;
} item;

static int by_abs_desc(const void *a, const void *b) {
  double x = fabs(((const item *)a)->err), y = fabs(((const item *)b)->err);
  return x < y ? 1 : x > y ? -1 : 0;
}

static double pct(const item *sorted_desc, int n, double q) { /* q-quantile of |err| */
  int k = (int)(q * (n - 1) + 0.5);
  return 100 * fabs(sorted_desc[n - 1 - k].err);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: test_resources DATA.csv [--lut-scale F]\n");
    return 2;
  }
  double scale = 1;
  for (int i = 2; i + 1 < argc; i++)
    if (!strcmp(argv[i], "--lut-scale")) scale = atof(argv[i + 1]);
  int n;
  calib_row *r = calib_read(argv[1], &n);
  if (!r) return 1;
  if (n < 20) {
    fprintf(stderr, "test_resources: only %d rows in %s\n", n, argv[1]);
    return 1;
  }
  item *lut = malloc((size_t)n * sizeof *lut), *ff = malloc((size_t)n * sizeof *ff);
  double *est_lut = malloc((size_t)n * sizeof *est_lut);
  if (!lut || !ff || !est_lut) return 1;
  int lut_ok = 0, bram_ok = 0, dsp_ok = 0, memo_bad = 0;
  ir_arena *arena = ir_arena_new();
  for (int i = 0; i < n; i++) {
    hw_unit u = r[i].u;
    hw_estimate_part(&u, NULL);
    if (u.kind == HW_MVU) { /* the folder's memo (hw_unit.lane_memo) changes nothing */
      hw_unit m = r[i].u;
      m.lane_memo = hw_lane_memo_new(arena);
      for (int k = 0; k < 2; k++) { /* filling it, then from it */
        hw_estimate_part(&m, NULL);
        if (m.est_lut != u.est_lut || m.est_ff != u.est_ff || m.est_bram18 != u.est_bram18 || m.est_dsp != u.est_dsp) {
          printf("  memo differs:   %-20s LUT %g vs %g, BRAM18 %g vs %g\n", r[i].name, m.est_lut, u.est_lut,
                 m.est_bram18, u.est_bram18);
          memo_bad++;
        }
      }
    }
    est_lut[i] = u.est_lut * scale;
    lut[i] = (item){i, (est_lut[i] - r[i].lut) / (r[i].lut > 0 ? r[i].lut : 1)};
    ff[i] = (item){i, (u.est_ff - r[i].ff) / (r[i].ff > 0 ? r[i].ff : 1)};
    lut_ok += fabs(lut[i].err) <= 0.25;
    if (u.est_bram18 == r[i].bram18) bram_ok++;
    else printf("  BRAM18 differs: %-20s Yosys %g, model %g\n", r[i].name, r[i].bram18, u.est_bram18);
    if (u.est_dsp == r[i].dsp) dsp_ok++;
    else printf("  DSP differs:    %-20s Yosys %g, model %g\n", r[i].name, r[i].dsp, u.est_dsp);
  }
  qsort(lut, (size_t)n, sizeof *lut, by_abs_desc);
  qsort(ff, (size_t)n, sizeof *ff, by_abs_desc);
  printf("test_resources: %d configurations from %s\n", n, argv[1]);
  printf("  LUT within 25%%: %d/%d (%.1f%%, need 90%%); |error| median %.1f%%, 90th percentile %.1f%%\n", lut_ok,
         n, 100.0 * lut_ok / n, pct(lut, n, 0.5), pct(lut, n, 0.9));
  printf("  FF (not checked): |error| median %.1f%%, 90th percentile %.1f%%\n", pct(ff, n, 0.5), pct(ff, n, 0.9));
  printf("  BRAM18 exact: %d/%d (%.1f%%, need 90%%)\n", bram_ok, n, 100.0 * bram_ok / n);
  printf("  DSP exact:    %d/%d (%.1f%%, need 90%%)\n", dsp_ok, n, 100.0 * dsp_ok / n);
  printf("  worst LUT estimates:\n");
  for (int k = 0; k < n && k < 8; k++) {
    const calib_row *w = &r[lut[k].i];
    printf("    %-20s %-11s %-11s Yosys %6.0f  model %6.0f  %+6.1f%%\n", w->name, w->unit, w->style, w->lut,
           est_lut[lut[k].i], 100 * lut[k].err);
  }
  printf("  estimates with the lane memo: %s\n", memo_bad ? "DIFFER" : "the same");
  int pass = lut_ok * 10 >= n * 9 && bram_ok * 10 >= n * 9 && dsp_ok * 10 >= n * 9 && !memo_bad;
  printf("test_resources: %s\n", pass ? "PASS" : "FAIL");
  free(lut);
  free(ff);
  free(est_lut);
  calib_rows_free(r, n);
  ir_arena_free(arena);
  return pass ? 0 : 1;
}
