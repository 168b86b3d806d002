/* gen.c - one configuration of the calibration sweep (bench/calib/sweep.txt)
 * made ready for Yosys: random weights / ascending thresholds written as .mem
 * files in the layouts of rtl-lib (rtl-lib/tb/model_mvu.c, model_threshold.c),
 * and a description for run.sh on stdout:
 *
 *   calib_gen DIR UNIT NAME KEY=VALUE...
 *     TOP <module>
 *     SRCS <rtl-lib files>
 *     PARAMS <chparam arguments>
 *     ROW <the parameter columns of data.csv, name .. style>
 *
 * Keys (types: bip, uN, sN):
 *   mvu          MW MH PE SIMD I W [T OB] style [ts]   (ts=table: threshold
 *                table, its ROMs in the style: block -> block, else logic)
 *   threshold    C PE I T [OB] style
 *   fifo         DEPTH E B style          (E elements of B bits per beat)
 *   dwc          B IN OUT
 *   labelselect  C PE I K
 *   pad          C H W P SIMD B          (P on every side; B-bit unsigned elements)
 *   depth2space  C H W BLK [MODE] SIMD B (C output channels, block BLK, MODE 0 DCR / 1 CRD)
 * style is auto, distributed, block or registers; auto is resolved as the
 * compiler resolves it (hw_resolve_ram_style on the default part), and the
 * RTL gets the concrete style the way rtlgen passes it (registers ->
 * distributed for ROMs).  The weights are uniform over their type, seeded by
 * NAME, so a configuration is reproducible; AccBits is the exact width for
 * them over the input type's range, as the compiler computes it.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/calib/calib.h"
#include "rtl-lib/tb/model_mvu.h"
#include "rtl-lib/tb/model_threshold.h"

static void die(const char *fmt, const char *a) {
  fprintf(stderr, "calib_gen: ");
  fprintf(stderr, fmt, a);
  fputc('\n', stderr);
  exit(1);
}

static int nkv;
static char **kv;
static const char *get(const char *key, const char *dflt) {
  size_t n = strlen(key);
  for (int i = 0; i < nkv; i++)
    if (!strncmp(kv[i], key, n) && kv[i][n] == '=') return kv[i] + n + 1;
  if (!dflt) die("missing key %s", key);
  return dflt;
}
static int geti(const char *key, const char *dflt) { return atoi(get(key, dflt)); }
static hw_etype gett(const char *key) {
  hw_etype t;
  if (!calib_parse_etype(get(key, NULL), &t)) die("bad type for %s", key);
  return t;
}

/* Output type of thresholds T with offset ob: ob..ob+T must fit. */
static hw_etype thresh_out(int T, int ob) {
  hw_etype o = {0};
  if (ob < 0) {
    o.is_signed = true;
    o.bits = calib_sbits(ob, ob + T);
    while (o.bits > 1 && ob >= -((int64_t)1 << (o.bits - 2)) && ob + T <= ((int64_t)1 << (o.bits - 2)) - 1)
      o.bits--;
  } else {
    o.bits = qr_clog2(ob + T + 1) > 0 ? qr_clog2(ob + T + 1) : 1;
  }
  return o;
}

static FILE *open_out(const char *dir, const char *file) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, file);
  FILE *f = fopen(path, "w");
  if (!f) die("cannot write %s", path);
  return f;
}

static const char *resolve(hw_unit *u, const char *asked) {
  if (!calib_style_name(asked)) die("unknown style %s", asked);
  u->ram_style = calib_style_name(asked);
  const char *s = hw_resolve_ram_style(u, NULL);
  return s ? s : "-";
}

/* The RTL attribute rtlgen passes for a ROM style. */
static const char *rom_attr(const char *style) { return !strcmp(style, "registers") ? "distributed" : style; }

static void ob_param(int ob) { printf(" -set OBias 32'sh%08x", (unsigned)ob); }

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: calib_gen DIR UNIT NAME KEY=VALUE...\n");
    return 2;
  }
  const char *dir = argv[1], *unit = argv[2], *name = argv[3];
  nkv = argc - 4;
  kv = argv + 4;

  hw_unit u = {0};
  u.name = name;
  u.numvec = 1;
  u.pe = u.simd = 1;
  const char *asked = "-", *style = "-";
  if (!calib_kind(unit, &u.kind)) die("unknown unit %s", unit);

  if (u.kind == HW_MVU) {
    u.mw = geti("MW", NULL);
    u.mh = geti("MH", NULL);
    u.pe = geti("PE", NULL);
    u.simd = geti("SIMD", NULL);
    u.in = gett("I");
    u.w = gett("W");
    u.nthresh = geti("T", "0");
    u.out_bias = geti("OB", "0");
    if (u.mw % u.simd || u.mh % u.pe) die("%s: PE/SIMD do not divide", name);
    bool table = !strcmp(get("ts", "compare"), "table");
    if (table) u.thresh_style = "table";
    if (!calib_fill(&u, name)) die("%s", "out of memory");
    if (table && (u.nthresh <= 0 || hw_thresh_table_words(&u) <= 0)) die("%s: a table needs T > 0 and AccBits <= 16", name);
    qr_mvu_cfg c = {u.mw, u.mh, u.pe, u.simd, 1, u.in.bits, u.in.is_signed && !u.in.bipolar, u.in.bipolar,
                    u.w.bits, u.w.is_signed && !u.w.bipolar, u.w.bipolar, u.acc_bits, u.nthresh, 0, 0, u.out_bias, table ? 1 : 0};
    if (u.nthresh > 0) {
      u.out = thresh_out(u.nthresh, u.out_bias);
      c.obits = u.out.bits;
    } else {
      u.out = (hw_etype){u.acc_bits, true, false};
    }
    char err[200];
    if (qr_mvu_cfg_resolve(&c, err, sizeof err)) die("%s", err);
    FILE *f = open_out(dir, "w.mem");
    if (qr_mvu_write_weights(f, &c, u.weights) || fclose(f)) die("%s: cannot write weights", name);
    if (u.nthresh > 0) {
      f = open_out(dir, "t.mem");
      if (qr_mvu_write_thresholds(f, &c, u.thresholds) || fclose(f)) die("%s: cannot write thresholds", name);
    }
    char prefix[4096];
    snprintf(prefix, sizeof prefix, "%s/a", dir);
    if (table && qr_mvu_write_table(prefix, &c, u.thresholds)) die("%s: cannot write the tables", name);
    asked = get("style", NULL);
    style = resolve(&u, asked);
    printf("TOP qr_mvu\nSRCS qr_mvu.sv qr_mvu_mul.sv qr_mvu_addtree.sv qr_mvu_fifo.sv qr_thresh_core.sv\n");
    printf("PARAMS -set MW %d -set MH %d -set PE %d -set SIMD %d -set IBits %d -set ISigned %d -set IBipolar %d "
           "-set WBits %d -set WSigned %d -set WBipolar %d -set AccBits %d -set RamStyle \"%s\" "
           "-set WeightFile \"%s/w.mem\"",
           u.mw, u.mh, u.pe, u.simd, c.ibits, c.isigned, c.ibipolar, c.wbits, c.wsigned, c.wbipolar, c.acc_bits,
           rom_attr(style), dir);
    if (u.nthresh > 0) {
      printf(" -set NumThresholds %d -set TBits %d -set OBits %d", u.nthresh, c.tbits, c.obits);
      ob_param(u.out_bias);
      printf(" -set ThreshFile \"%s/t.mem\"", dir);
      if (table) /* as rtlgen: block (or ultra) RAM for block, else logic */
        printf(" -set ThreshStyle 1 -set TableRamStyle \"%s\" -set TableFile \"%s\"",
               !strcmp(style, "block") || !strcmp(style, "ultra") ? "block" : "distributed", prefix);
    }
    printf("\n");
  } else if (u.kind == HW_THRESHOLD) {
    u.mw = u.mh = geti("C", NULL);
    u.pe = geti("PE", NULL);
    u.in = gett("I");
    u.nthresh = geti("T", NULL);
    u.out_bias = geti("OB", "0");
    u.out = thresh_out(u.nthresh, u.out_bias);
    if (u.in.bipolar || u.mh % u.pe) die("%s: bad threshold configuration", name);
    qr_threshold_cfg c = {u.mh, u.pe, 1, u.in.bits, u.in.is_signed, u.nthresh, 0, u.out.bits, u.out_bias};
    char err[200];
    if (qr_threshold_cfg_resolve(&c, err, sizeof err)) die("%s", err);
    if (!calib_fill(&u, name)) die("%s", "out of memory");
    FILE *f = open_out(dir, "t.mem");
    if (qr_threshold_write_thresholds(f, &c, u.thresholds) || fclose(f)) die("%s: cannot write thresholds", name);
    asked = get("style", NULL);
    style = resolve(&u, asked);
    printf("TOP qr_threshold\nSRCS qr_threshold.sv qr_thresh_core.sv qr_mvu_addtree.sv qr_mvu_fifo.sv\n");
    printf("PARAMS -set C %d -set PE %d -set IBits %d -set ISigned %d -set NumThresholds %d -set TBits %d "
           "-set OBits %d",
           c.c, c.pe, c.ibits, c.isigned, c.num_thresholds, c.tbits, c.obits);
    ob_param(u.out_bias);
    printf(" -set RamStyle \"%s\" -set ThreshFile \"%s/t.mem\"\n", rom_attr(style), dir);
  } else if (u.kind == HW_FIFO) {
    u.depth = geti("DEPTH", NULL);
    u.in_elems = u.out_elems = geti("E", NULL);
    u.in = u.out = (hw_etype){geti("B", NULL), false, false};
    asked = get("style", NULL);
    style = resolve(&u, asked);
    printf("TOP qr_fifo\nSRCS qr_fifo.sv\n");
    printf("PARAMS -set DataBits %d -set Depth %d -set RamStyle \"%s\"\n", u.in_elems * u.in.bits, u.depth, style);
  } else if (u.kind == HW_DWC) {
    u.in = u.out = (hw_etype){geti("B", NULL), false, false};
    u.in_elems = geti("IN", NULL);
    u.out_elems = geti("OUT", NULL);
    u.mw = u.mh = u.in_elems * u.out_elems;
    printf("TOP qr_dwc\nSRCS qr_dwc.sv\n");
    printf("PARAMS -set ElemBits %d -set InElems %d -set OutElems %d\n", u.in.bits, u.in_elems, u.out_elems);
  } else if (u.kind == HW_PAD || u.kind == HW_D2S) { /* geometry columns: calib_geometry */
    u.in = u.out = (hw_etype){geti("B", NULL), false, false};
    u.depth = geti("C", NULL);
    u.mh = geti("H", NULL);
    u.mw = geti("W", NULL);
    u.simd = geti("SIMD", NULL);
    u.pe = 1;
    if (u.depth % u.simd) die("%s: SIMD must divide C", name);
    if (u.kind == HW_PAD) {
      u.k = geti("P", NULL);
      printf("TOP qr_pad\nSRCS qr_pad.sv qr_skid.sv\n");
      printf("PARAMS -set ElemBits %d -set C %d -set H %d -set W %d -set PadT %d -set PadB %d -set PadL %d "
             "-set PadR %d -set SIMD %d -set PadValue 0\n",
             u.in.bits, u.depth, u.mh, u.mw, u.k, u.k, u.k, u.k, u.simd);
    } else {
      u.k = geti("BLK", NULL);
      u.nthresh = geti("MODE", "0");
      printf("TOP qr_depth2space\nSRCS qr_depth2space.sv\n");
      printf("PARAMS -set ElemBits %d -set C %d -set H %d -set W %d -set B %d -set Mode %d -set SIMD %d\n",
             u.in.bits, u.depth, u.mh, u.mw, u.k, u.nthresh, u.simd);
    }
  } else {
    u.mw = geti("C", NULL);
    u.pe = geti("PE", NULL);
    u.in = gett("I");
    u.k = geti("K", NULL);
    int idx = qr_clog2(u.mw) > 0 ? qr_clog2(u.mw) : 1;
    u.out = (hw_etype){idx, false, false};
    if (u.in.bipolar || u.mw % u.pe) die("%s: bad labelselect configuration", name);
    printf("TOP qr_labelselect\nSRCS qr_labelselect.sv qr_skid.sv\n");
    printf("PARAMS -set Classes %d -set PE %d -set ScoreBits %d -set Signed %d -set K %d\n", u.mw, u.pe,
           u.in.bits, u.in.is_signed ? 1 : 0, u.k);
  }
  printf("ROW ");
  calib_write_params(stdout, name, unit, &u, asked, style);
  printf("\n");
  return 0;
}
