/* boards.c - the board table behind --board=NAME (part, PS and its settings,
 * clocks, data-mover widths, memory) and DIR/boards/<dir>/ as a whole:
 * which files a board gets and the README.md that says how to use them.
 *
 * Figures are from the vendors' board user guides: PS reference clocks
 * (PYNQ 50 MHz, Zynq UltraScale+ boards 33.333 MHz), the PS slave port widths
 * (Zynq-7000 S_AXI_HP0 64 bit, Zynq UltraScale+ S_AXI_HP0_FPD 128 bit), the
 * AXI DMA's stream widths (8..1024 bits, powers of two; PG021) and the
 * highest PL clock the PS clock generator gives comfortably (250 MHz on
 * Zynq-7000, 333 MHz on Zynq UltraScale+; the Alveo platform kernel clock
 * 300 MHz, raised or lowered by v++ --kernel_frequency).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "boards/boards.h"
#include "ir/json.h"
#include "rtlgen/outdir.h"

/* Without board files the PS keeps Vivado's defaults except these.  PYNQ
 * boots the PS from its own image, so for an overlay only the PL clock (set
 * separately) matters; a bare-metal design needs the board files. */
#define PYNQ_PS7_PRESET                                                                            \
  "CONFIG.PCW_CRYSTAL_PERIPHERAL_FREQMHZ 50 CONFIG.PCW_PRESET_BANK1_VOLTAGE {LVCMOS 1.8V} "      \
  "CONFIG.PCW_UIPARAM_DDR_PARTNO {MT41K256M16 RE-125} CONFIG.PCW_UIPARAM_DDR_BUS_WIDTH {16 Bit} " \
  "CONFIG.PCW_UART0_PERIPHERAL_ENABLE 1 CONFIG.PCW_UART0_UART0_IO {MIO 14 .. 15}"
#define ZUP_PRESET "CONFIG.PSU__PSS_REF_CLK__FREQMHZ 33.333"

static const qr_board board_table[] = {
    {"PYNQ-Z1", NULL, "pynq-z1", "xc7z020clg400-1", "www.digilentinc.com:pynq-z1:part0:1.0", NULL,
     QB_ZYNQ7, 50, 250, 1024, 64, 32, "512 MiB DDR3 through S_AXI_HP0 (64 bit)", PYNQ_PS7_PRESET},
    {"PYNQ-Z2", NULL, "pynq-z2", "xc7z020clg400-1", "tul.com.tw:pynq-z2:part0:1.0", NULL, QB_ZYNQ7,
     50, 250, 1024, 64, 32, "512 MiB DDR3 through S_AXI_HP0 (64 bit)", PYNQ_PS7_PRESET},
    {"ZCU104", NULL, "zcu104", "xczu7ev-ffvc1156-2-e", "xilinx.com:zcu104:part0:1.1", NULL, QB_ZYNQMP,
     33.333, 333, 1024, 128, 64, "2 GiB DDR4 (PS) through S_AXI_HP0_FPD (128 bit)", ZUP_PRESET},
    {"KV260", "Kria-KV260", "kv260", "xck26-sfvc784-2LV-c", "xilinx.com:kv260_som:part0:1.4", NULL,
     QB_ZYNQMP, 33.333, 333, 1024, 128, 64, "4 GiB DDR4 through S_AXI_HP0_FPD (128 bit)", ZUP_PRESET},
    {"Ultra96-V2", "Ultra96", "ultra96-v2", "xczu3eg-sbva484-1-e", "avnet.com:ultra96v2:part0:1.2",
     NULL, QB_ZYNQMP, 33.333, 333, 1024, 128, 64, "2 GiB LPDDR4 through S_AXI_HP0_FPD (128 bit)",
     ZUP_PRESET},
    {"U250", "Alveo-U250", "u250", "xcu250-figd2104-2L-e", "xilinx.com:au250:part0:1.3",
     "xilinx_u250_gen3x16_xdma_4_1_202210_1", QB_ALVEO, 300, 500, 512, 512, 64,
     "64 GiB DDR4 (4 banks; DDR[0] used) through the data movers' 512-bit AXI masters", NULL},
};
#define NBOARDS ((int)(sizeof board_table / sizeof board_table[0]))

int qr_board_count(void) { return NBOARDS; }
const qr_board *qr_board_at(int i) { return i >= 0 && i < NBOARDS ? &board_table[i] : NULL; }

/* Names compare on letters and digits only, ignoring case. */
static bool name_eq(const char *a, const char *b) {
  for (;;) {
    while (*a && !isalnum((unsigned char)*a)) a++;
    while (*b && !isalnum((unsigned char)*b)) b++;
    if (!*a || !*b) return !*a && !*b;
    if (tolower((unsigned char)*a) != tolower((unsigned char)*b)) return false;
    a++;
    b++;
  }
}

const qr_board *qr_find_board(const char *name) {
  if (!name || !*name) return NULL;
  for (int i = 0; i < NBOARDS; i++)
    if (name_eq(name, board_table[i].name) || (board_table[i].alias && name_eq(name, board_table[i].alias)))
      return &board_table[i];
  return NULL;
}

const char *qr_known_boards(void) {
  static char list[256];
  if (list[0]) return list;
  size_t len = 0;
  for (int i = 0; i < NBOARDS && len < sizeof list; i++)
    len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", board_table[i].name);
  return list;
}

int qr_board_dma_bytes(const qr_board *b, const ipx_stream *s) {
  int cap = b->dma_max_bits / 8;
  return s->mem_beat_bytes < cap ? s->mem_beat_bytes : cap;
}

const char *const qr_host_ops[] = {
    "Identity", "Reshape", "Flatten", "Transpose", "Squeeze", "Unsqueeze", "Add",  "Sub",
    "Mul",      "Div",     "Relu",    "Clip",      "Quant",   "BipolarQuant", "MatMul", "Gemm",
    "BatchNormalization", "Softmax", "LogSoftmax", "ArgMax", NULL};

/* ------------------------------------------------------------ README --- */

static void readme_stream(FILE *f, const char *what, const ipx_stream *s, int dma_bytes, ir_arena *a) {
  fprintf(f, "- %s: %lld elements of %s per frame, %d per beat in %d-byte TDATA; %lld beats per frame, "
             "each %d bytes in memory (zero padded); the data mover's stream is %d bits wide.\n",
          what, (long long)s->frame_elems, hw_etype_name(a, s->type), s->elems, s->tdata_bytes,
          (long long)s->beats, s->mem_beat_bytes, dma_bytes * 8);
}

static int write_readme(const hw_design *d, const char *bdir, const char *top, const qr_board *b,
                        const ipx_vlnv *v, double clock_mhz) {
  ir_arena *a = d->g->arena;
  json_atomic w;
  FILE *f = json_atomic_open(&w, ir_sprintf(a, "%s/README.md", bdir));
  if (!f) return -1;
  ipx_stream in, out;
  ipx_streams(d, &in, &out);
  fprintf(f, "# %s on %s\n\nGenerated by qonnx-rtl from `%s`. IP `%s` from `../../ip`, part %s, "
             "PL clock %g MHz.\n\n",
          top, b->name, d->g->file, ipx_vlnv_str(a, v), b->part, clock_mhz);
  readme_stream(f, "Input", &in, qr_board_dma_bytes(b, &in), a);
  readme_stream(f, "Output", &out, qr_board_dma_bytes(b, &out), a);
  fprintf(f, "- Memory: %s.\n\n", b->memory);
  if (b->kind == QB_ALVEO) {
    fprintf(f,
            "## Build (Vitis)\n\n"
            "    make PLATFORM=%s        # or step by step:\n"
            "    vivado -mode batch -source build.tcl   # -> %s.xo (free-running RTL kernel)\n"
            "    v++ -c -t hw --platform %s -k qr_mm2s -o qr_mm2s.xo qr_mm2s.cpp\n"
            "    v++ -c -t hw --platform %s -k qr_s2mm -o qr_s2mm.xo qr_s2mm.cpp\n"
            "    v++ -l -t hw --platform %s --config link.cfg --kernel_frequency %g \\\n"
            "        -o %s.xclbin %s.xo qr_mm2s.xo qr_s2mm.xo\n\n"
            "## Run\n\n"
            "Copy this directory to the host with the card; with PYNQ for Alveo (`pip install pynq`)\n"
            "and XRT set up:\n\n"
            "    from driver import Accelerator\n"
            "    acc = Accelerator()                  # loads %s.xclbin\n"
            "    y = acc.execute(x)                   # x: float32 of the model's input shape\n",
            b->platform, top, b->platform, b->platform, b->platform, clock_mhz, top, top, top);
  } else {
    fprintf(f,
            "## Build\n\n"
            "    vivado -mode batch -source build.tcl\n\n"
            "creates the project in `vivado/`, the block design (PS, AXI DMA `axi_dma_0`, the IP,\n"
            "width/padding converters where the stream widths ask for them), validates it, runs\n"
            "synthesis and implementation and writes `%s.bit` and `%s.hwh` here, with\n"
            "`utilization.rpt` and `timing.rpt`.  Board files (`%s`) are used when installed;\n"
            "otherwise the PS keeps a minimal built-in preset (enough for a PYNQ overlay).\n\n"
            "## Run (PYNQ)\n\n"
            "Copy this directory to the board (`driver.py`, `design.json`, `%s.bit`, `%s.hwh`):\n\n"
            "    from driver import Accelerator\n"
            "    acc = Accelerator()                  # loads %s.bit\n"
            "    y = acc.execute(x)                   # x: float32 of the model's input shape\n"
            "    q = acc.execute_integer(levels)      # or the raw integer frames in and out\n",
            top, top, b->board_part, top, top, top);
  }
  fprintf(f, "\n`python3 driver.py --help` runs a throughput check on the board.  What the host does\n"
             "around the hardware is listed in `design.json` (\"host\"): the ONNX nodes before and\n"
             "after it, which `driver.py` runs in numpy exactly as qonnx-rtl's executor does.\n");
  return json_atomic_close(&w, true);
}

int qr_board_write(const hw_design *d, const char *dir, const char *top, const qr_board *b,
                   const ipx_vlnv *v, double clock_mhz) {
  ir_arena *a = d->g->arena;
  const char *bdir = ir_sprintf(a, "%s/boards/%s", dir, b->dir);
  if (od_mkdirs(bdir)) return ir_errorf(bdir, NULL, "cannot create: %s", strerror(errno));
  if (clock_mhz > b->max_pl_mhz)
    ir_warnf(d->g->file, NULL, "--clock-mhz=%g is above what %s's clocking gives (%g MHz); build.tcl asks for it anyway",
             clock_mhz, b->name, b->max_pl_mhz);
  int rc = b->kind == QB_ALVEO ? qr_write_vitis(d, bdir, top, b, v, clock_mhz)
                               : qr_write_bd_tcl(d, bdir, top, b, v, clock_mhz);
  if (rc || qr_write_driver(d, bdir, top, b, clock_mhz)) return -1;
  return write_readme(d, bdir, top, b, v, clock_mhz);
}
