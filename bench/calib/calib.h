/* calib.h - the rows of bench/calib/data.csv and the hardware unit each one
 * describes, shared by the sweep generator (gen.c), the fit (fit.c) and the
 * ctest (tests/test_resources.c).  Header-only: every function is static.
 *
 * data.csv, one row per synthesized unit configuration:
 *   name       the sweep's name of the configuration (sweep.txt)
 *   unit       mvu | threshold | fifo | dwc | labelselect | pad | depth2space
 *   mw,mh      hw_unit.mw/mh (mvu: MW inputs, MH outputs; threshold: C, C;
 *              labelselect: classes; fifo/dwc: 0; pad/depth2space: W, H,
 *              their other geometry in depth, k and t: calib_geometry)
 *   pe,simd    folding
 *   in,w,out   element types: bip (bipolar), uN (unsigned N bits), sN (signed)
 *   acc        accumulator bits (mvu, exact from the random weights), else 0
 *   t,obias    thresholds per channel and output offset
 *   k          labelselect: indices out
 *   depth      fifo depth
 *   in_elems,out_elems   fifo/dwc elements per beat
 *   ram_style  what the sweep asked for (auto, distributed, block, registers, -)
 *   style      the concrete style the RTL was given (auto resolved as the
 *              compiler does, hw_resolve_ram_style on the default part), or -;
 *              "+table" after it: an mvu whose thresholds are a table
 *              (ThreshStyle 1, thresh_style "table"; its ROMs in that style)
 *   lut        Yosys LUT1..6 + LUTs in LUTRAM cells; lutram is that part alone
 *   ff,bram18,dsp   FDRE/FDSE/FDCE/FDPE, RAMB18E1 + 2 RAMB36E1, DSP48E1
 *   seconds    Yosys CPU time (user + sys)
 *   cfg,rtl    hashes of the sweep line and of the RTL sources: a row is
 *              re-synthesized when either changes
 */
#ifndef QR_CALIB_H
#define QR_CALIB_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ir/hw.h"

#define CALIB_HEADER                                                                            \
  "name,unit,mw,mh,pe,simd,in,w,out,acc,t,obias,k,depth,in_elems,out_elems,ram_style,style,lut," \
  "lutram,ff,bram18,dsp,seconds,cfg,rtl"
#define CALIB_NCOLS 26

typedef struct calib_row {
  char name[64], unit[16], ram_style[16], style[16], cfg[16], rtl[16];
  hw_unit u;
  double lut, lutram, ff, bram18, dsp, seconds;
} calib_row;

/* "bip", "u4", "s8" -> type; 0 if not one of these. */
static inline int calib_parse_etype(const char *s, hw_etype *t) {
  memset(t, 0, sizeof *t);
  if (!strcmp(s, "bip")) {
    t->bits = 1;
    t->is_signed = true;
    t->bipolar = true;
    return 1;
  }
  if ((s[0] != 'u' && s[0] != 's') || !s[1]) return 0;
  char *end;
  long b = strtol(s + 1, &end, 10);
  if (*end || b < 1 || b > 62) return 0;
  t->bits = (int)b;
  t->is_signed = s[0] == 's';
  return 1;
}

static inline const char *calib_etype_str(hw_etype t, char *buf, size_t n) {
  if (t.bipolar) snprintf(buf, n, "bip");
  else if (t.bits <= 0) snprintf(buf, n, "-");
  else snprintf(buf, n, "%c%d", t.is_signed ? 's' : 'u', t.bits);
  return buf;
}

static inline int calib_kind(const char *s, hw_kind *k) {
  static const struct { const char *n; hw_kind k; } m[] = {
      {"mvu", HW_MVU}, {"threshold", HW_THRESHOLD}, {"fifo", HW_FIFO}, {"dwc", HW_DWC},
      {"labelselect", HW_LABELSELECT}, {"pad", HW_PAD}, {"depth2space", HW_D2S}};
  for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
    if (!strcmp(s, m[i].n)) {
      *k = m[i].k;
      return 1;
    }
  return 0;
}

/* The style names resources.c knows, as static strings (a row's hw_unit
 * outlives the line it was read from). */
static inline const char *calib_style_name(const char *s) {
  static const char *const names[] = {"auto", "registers", "distributed", "block", "ultra"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (!strcmp(s, names[i])) return names[i];
  return NULL;
}

/* The parameter columns of a row (name .. style), from a unit. */
static inline void calib_write_params(FILE *f, const char *name, const char *unit, const hw_unit *u,
                                      const char *ram_style, const char *style) {
  char a[16], b[16], c[16];
  fprintf(f, "%s,%s,%d,%d,%d,%d,%s,%s,%s,%d,%d,%d,%d,%d,%d,%d,%s,%s", name, unit, u->mw, u->mh, u->pe,
          u->simd, calib_etype_str(u->in, a, sizeof a), calib_etype_str(u->w, b, sizeof b),
          calib_etype_str(u->out, c, sizeof c), u->acc_bits, u->nthresh, u->out_bias, u->k, u->depth,
          u->in_elems, u->out_elems, ram_style, style);
  if (u->kind == HW_MVU && u->nthresh > 0 && u->thresh_style && !strcmp(u->thresh_style, "table"))
    fputs("+table", f);
}

/* pad and depth2space rows keep their geometry in columns of other units:
 * mw = W, mh = H (input width and height), depth = C (pad: channels;
 * depth2space: output channels), k = pad on every side (pad) or block B
 * (depth2space), t = Mode (depth2space: 0 DCR, 1 CRD).  Sets the unit's
 * geometry fields from them. */
static inline void calib_geometry(hw_unit *u) {
  if (u->kind != HW_PAD && u->kind != HW_D2S) return;
  u->c = u->depth;
  u->ih = u->mh;
  u->iw = u->mw;
  u->out = u->in;
  if (u->kind == HW_PAD) {
    for (int i = 0; i < 4; i++) u->pad[i] = u->k;
  } else {
    u->block = u->k;
    u->mode = u->nthresh;
  }
}

/* Split a CSV line (no quoting: no field holds a comma) into at most max
 * fields, in place; returns the count. */
static inline int calib_split(char *line, char **fld, int max) {
  int n = 0;
  char *p = line;
  line[strcspn(line, "\r\n")] = 0;
  while (n < max) {
    fld[n++] = p;
    char *c = strchr(p, ',');
    if (!c) break;
    *c = 0;
    p = c + 1;
  }
  return n;
}

/* One data row -> calib_row (its hw_unit ready for hw_estimate_part, with
 * ram_style = the concrete style the RTL was built with).  0 on a bad row. */
static inline int calib_parse_row(char *line, calib_row *r) {
  char *f[CALIB_NCOLS + 1];
  if (calib_split(line, f, CALIB_NCOLS + 1) != CALIB_NCOLS) return 0;
  memset(r, 0, sizeof *r);
  snprintf(r->name, sizeof r->name, "%s", f[0]);
  snprintf(r->unit, sizeof r->unit, "%s", f[1]);
  hw_unit *u = &r->u;
  if (!calib_kind(f[1], &u->kind)) return 0;
  u->name = "calib";
  u->mw = atoi(f[2]);
  u->mh = atoi(f[3]);
  u->pe = atoi(f[4]);
  u->simd = atoi(f[5]);
  u->numvec = 1;
  if (!calib_parse_etype(f[6], &u->in)) return 0;
  if (strcmp(f[7], "-") && !calib_parse_etype(f[7], &u->w)) return 0;
  if (strcmp(f[8], "-") && !calib_parse_etype(f[8], &u->out)) return 0;
  u->acc_bits = atoi(f[9]);
  u->nthresh = atoi(f[10]);
  u->out_bias = atoi(f[11]);
  u->k = atoi(f[12]);
  u->depth = atoi(f[13]);
  u->in_elems = atoi(f[14]);
  u->out_elems = atoi(f[15]);
  snprintf(r->ram_style, sizeof r->ram_style, "%s", f[16]);
  snprintf(r->style, sizeof r->style, "%s", f[17]);
  char *plus = strstr(f[17], "+table");
  if (plus && !strcmp(plus, "+table")) {
    *plus = 0;
    u->thresh_style = "table";
  }
  u->ram_style = calib_style_name(f[17]) ? calib_style_name(f[17]) : "auto";
  calib_geometry(u);
  r->lut = atof(f[18]);
  r->lutram = atof(f[19]);
  r->ff = atof(f[20]);
  r->bram18 = atof(f[21]);
  r->dsp = atof(f[22]);
  r->seconds = atof(f[23]);
  snprintf(r->cfg, sizeof r->cfg, "%s", f[24]);
  snprintf(r->rtl, sizeof r->rtl, "%s", f[25]);
  return 1;
}

static inline int calib_fill(hw_unit *u, const char *name);

/* All rows of a data.csv (header checked), each unit with its regenerated
 * weights and thresholds (calib_fill); NULL with a message on error. */
static inline void calib_rows_free(calib_row *rows, int n);
static inline calib_row *calib_read(const char *path, int *n) {
  FILE *f = fopen(path, "r");
  if (!f) {
    fprintf(stderr, "calib: cannot open %s\n", path);
    return NULL;
  }
  char line[4096];
  if (!fgets(line, sizeof line, f) || strncmp(line, CALIB_HEADER, strlen(CALIB_HEADER))) {
    fprintf(stderr, "calib: %s: header is not \"%s\"\n", path, CALIB_HEADER);
    fclose(f);
    return NULL;
  }
  int cap = 128, k = 0, ln = 1;
  calib_row *rows = malloc((size_t)cap * sizeof *rows);
  while (rows && fgets(line, sizeof line, f)) {
    ln++;
    if (line[0] == '#' || line[0] == '\n') continue;
    if (k == cap) {
      calib_row *r2 = realloc(rows, (size_t)(cap *= 2) * sizeof *rows);
      if (!r2) break;
      rows = r2;
    }
    if (!calib_parse_row(line, &rows[k]) || !calib_fill(&rows[k].u, rows[k].name)) {
      fprintf(stderr, "calib: %s:%d: bad row\n", path, ln);
      calib_rows_free(rows, k);
      fclose(f);
      return NULL;
    }
    k++;
  }
  fclose(f);
  *n = k;
  return rows;
}

/* ------------------------------------------------ the random unit data -- */

/* The sweep's weights and thresholds of a unit, reproducible from its name:
 * gen.c writes them as .mem files for Yosys, fit.c and the ctest regenerate
 * them so that the model sees the same data (a threshold memory's constant
 * bit lanes are removed by Yosys, see ir/resources.c).  Weights uniform over
 * their type (mvu); thresholds ascending, uniform over the exact accumulator
 * range of their row + 1 (mvu) or the input range + 1 (threshold unit).  A
 * name with "_zNN" (e.g. sp_600_u1s2_z90) makes NN % of an mvu's weights 0,
 * "_cNN" NN % of its input columns (pruned inputs), as in pruned models (the
 * model counts weights that are 0 in every word of the ROM, and ROM bit lanes
 * that never change, from the weights).  Sets
 * u->weights / u->thresholds (malloc'd), and for an mvu acc_min / acc_max and
 * acc_bits (the exact width).  0 on failure. */
typedef struct calib_rng {
  uint64_t s;
} calib_rng;

static inline uint64_t calib_next(calib_rng *r) {
  r->s ^= r->s << 13;
  r->s ^= r->s >> 7;
  r->s ^= r->s << 17;
  return r->s;
}

static inline int64_t calib_uniform(calib_rng *r, int64_t lo, int64_t hi) { /* [lo, hi] */
  return lo + (int64_t)(calib_next(r) % (uint64_t)(hi - lo + 1));
}

static inline int64_t calib_tmin(hw_etype t) {
  return t.bipolar ? -1 : t.is_signed ? -((int64_t)1 << (t.bits - 1)) : 0;
}
static inline int64_t calib_tmax(hw_etype t) {
  return t.bipolar ? 1 : t.is_signed ? ((int64_t)1 << (t.bits - 1)) - 1 : ((int64_t)1 << t.bits) - 1;
}

/* Smallest two's complement width holding lo..hi (at least 2, as qr_mvu wants). */
static inline int calib_sbits(int64_t lo, int64_t hi) {
  int b = 2;
  while (b < 62 && (lo < -((int64_t)1 << (b - 1)) || hi > ((int64_t)1 << (b - 1)) - 1)) b++;
  return b;
}

static inline void calib_sorted(calib_rng *r, int64_t *thr, int T, int64_t lo, int64_t hi) {
  for (int t = 0; t < T; t++) thr[t] = calib_uniform(r, lo, hi);
  for (int i = 1; i < T; i++)
    for (int j = i; j > 0 && thr[j - 1] > thr[j]; j--) {
      int64_t x = thr[j];
      thr[j] = thr[j - 1];
      thr[j - 1] = x;
    }
}

/* NN of the first "<tag>NN" (NN digits) in a name, else 0. */
static inline int calib_name_pct(const char *name, const char *tag) {
  size_t n = strlen(tag);
  for (const char *p = strstr(name, tag); p; p = strstr(p + 1, tag))
    if (p[n] >= '0' && p[n] <= '9') return atoi(p + n);
  return 0;
}

static inline int calib_fill(hw_unit *u, const char *name) {
  calib_rng r = {1469598103934665603ull};
  for (const char *p = name; *p; p++) r.s = (r.s ^ (uint8_t)*p) * 1099511628211ull;
  if (!r.s) r.s = 1;
  u->weights = NULL;
  u->thresholds = NULL;
  if (!u->thresh_style) u->thresh_style = "compare"; /* unless the row says "+table" (gen.c) */
  if (u->kind == HW_MVU) {
    /* "_zNN" in the name: NN % of the weights zero (not for bipolar weights) */
    int zero_pct = u->w.bipolar ? 0 : calib_name_pct(name, "_z"), col_pct = u->w.bipolar ? 0 : calib_name_pct(name, "_c");
    int32_t *W = malloc((size_t)u->mw * u->mh * sizeof *W);
    uint8_t *pruned = col_pct > 0 ? calloc((size_t)u->mw, 1) : NULL;
    for (int k = 0; pruned && k < u->mw; k++) pruned[k] = calib_uniform(&r, 1, 100) <= col_pct;
    int64_t *rlo = malloc((size_t)u->mh * sizeof *rlo), *rhi = malloc((size_t)u->mh * sizeof *rhi);
    int64_t *thr = u->nthresh > 0 ? malloc((size_t)u->mh * u->nthresh * sizeof *thr) : NULL;
    if (!W || !rlo || !rhi || (u->nthresh > 0 && !thr)) return 0;
    int64_t xl = calib_tmin(u->in), xh = calib_tmax(u->in), wl = calib_tmin(u->w), wh = calib_tmax(u->w);
    int64_t lo = 0, hi = 0;
    for (int n = 0; n < u->mh; n++) {
      rlo[n] = rhi[n] = 0;
      for (int k = 0; k < u->mw; k++) {
        int64_t w = u->w.bipolar ? (calib_next(&r) & 1 ? 1 : -1) : calib_uniform(&r, wl, wh);
        if (zero_pct > 0 && calib_uniform(&r, 1, 100) <= zero_pct) w = 0; /* sparse (pruned) weights */
        if (pruned && pruned[k]) w = 0;                                     /* a pruned input */
        W[(int64_t)n * u->mw + k] = (int32_t)w;
        int64_t a = w * xl, b = w * xh;
        rlo[n] += a < b ? a : b;
        rhi[n] += a < b ? b : a;
      }
      if (rlo[n] < lo) lo = rlo[n];
      if (rhi[n] > hi) hi = rhi[n];
    }
    u->acc_bits = calib_sbits(lo, hi);
    u->acc_min = lo;
    u->acc_max = hi;
    for (int n = 0; n < u->mh && thr; n++)
      calib_sorted(&r, thr + (int64_t)n * u->nthresh, u->nthresh, rlo[n], rhi[n] + 1);
    free(rlo);
    free(rhi);
    free(pruned);
    u->weights = W;
    u->thresholds = thr;
  } else if (u->kind == HW_THRESHOLD) {
    int64_t *thr = malloc((size_t)u->mh * u->nthresh * sizeof *thr);
    if (!thr) return 0;
    for (int n = 0; n < u->mh; n++)
      calib_sorted(&r, thr + (int64_t)n * u->nthresh, u->nthresh, calib_tmin(u->in), calib_tmax(u->in) + 1);
    u->thresholds = thr;
  }
  return 1;
}

static inline void calib_free(hw_unit *u) {
  free(u->weights);
  free(u->thresholds);
  u->weights = NULL;
  u->thresholds = NULL;
}

/* calib_read's rows and their units' data. */
static inline void calib_rows_free(calib_row *rows, int n) {
  for (int i = 0; rows && i < n; i++) calib_free(&rows[i].u);
  free(rows);
}

#endif
