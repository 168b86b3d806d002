/* boards.h - the boards qonnx-rtl builds for (--board=NAME) and what it
 * writes for one into DIR/boards/<dir>/:
 *
 *   Zynq-7000 / Zynq UltraScale+ boards (PYNQ-Z1, PYNQ-Z2, ZCU104, KV260,
 *   Ultra96-V2): build.tcl (Vivado project + block design PS -> AXI DMA ->
 *   our IP -> AXI DMA -> PS, bitstream + .hwh), driver.py (PYNQ), design.json
 *   (stream formats + host pre/post graph), README.md;
 *   Alveo U250 (Vitis): build.tcl (package_xo of our IP as a free-running
 *   kernel), qr_mm2s.cpp / qr_s2mm.cpp (HLS data movers), link.cfg, Makefile
 *   (v++ compile and link), driver.py, design.json, README.md.
 *
 * The part of each board is also known to boards/parts.c (hw_find_part);
 * tests check that the two tables agree.
 */
#ifndef QR_BOARDS_H
#define QR_BOARDS_H

#include <stdio.h>

#include "ipxact/ipxact.h"
#include "ir/hw.h"

typedef enum { QB_ZYNQ7, QB_ZYNQMP, QB_ALVEO } qb_kind;

typedef struct qr_board {
  const char *name;        /* as printed: "PYNQ-Z2" */
  const char *alias;       /* another accepted spelling, or NULL */
  const char *dir;         /* DIR/boards/<dir>: "pynq-z2" */
  const char *part;        /* Vivado part string */
  const char *board_part;  /* Vivado board part (board files); used when installed */
  const char *platform;    /* Alveo: Vitis platform; NULL otherwise */
  qb_kind kind;
  double ps_ref_mhz;       /* PS reference clock on the board (Alveo: platform kernel clock) */
  double max_pl_mhz;       /* highest --clock-mhz the PS clock generator / platform gives */
  int dma_max_bits;        /* widest stream of the data mover (AXI DMA: 8..1024) */
  int mem_port_bits;       /* data width of the PS slave port the DMA writes through */
  int dma_addr_bits;       /* AXI DMA address width (32, or 64 to reach DDR above 4 GiB) */
  const char *memory;      /* the memory the DMA reaches, for README/comments */
  const char *ps_preset;   /* CONFIG.* pairs (Tcl list) for the PS when board files are absent */
} qr_board;

/* By name or alias, ignoring case and anything but letters and digits
 * ("pynq_z2", "Ultra96", "alveo-u250"); NULL if unknown (nothing printed). */
const qr_board *qr_find_board(const char *name);
/* "PYNQ-Z1, PYNQ-Z2, ZCU104, KV260, Ultra96-V2, U250" for the usage error. */
const char *qr_known_boards(void);
int qr_board_count(void);
const qr_board *qr_board_at(int i);

/* The data mover's stream width for one direction (bytes, a power of two):
 * the stream's beat in memory, capped at the board's widest DMA stream. */
int qr_board_dma_bytes(const qr_board *b, const ipx_stream *s);

/* Write DIR/boards/<dir>/ (dir = the temporary output directory, which
 * already holds ip/).  clock_mhz is the PL clock asked for. */
int qr_board_write(const hw_design *d, const char *dir, const char *top, const qr_board *b,
                   const ipx_vlnv *v, double clock_mhz);

/* Pieces of qr_board_write (boards/bd_tcl.c, boards/vitis.c, boards/driver.c). */
int qr_write_bd_tcl(const hw_design *d, const char *bdir, const char *top, const qr_board *b,
                    const ipx_vlnv *v, double clock_mhz);
int qr_write_vitis(const hw_design *d, const char *bdir, const char *top, const qr_board *b,
                   const ipx_vlnv *v, double clock_mhz);
int qr_write_driver(const hw_design *d, const char *bdir, const char *top, const qr_board *b,
                    double clock_mhz);

/* The common head of build.tcl: settings, qr_vlnv, part check, project,
 * board files if installed, our IP repository in the catalog. */
void qr_tcl_header(FILE *f, const hw_design *d, const char *top, const qr_board *b,
                   const ipx_vlnv *v, double clock_mhz, const char *what);

/* The ONNX ops driver.py can run on the host (pre/post-processing); keep in
 * step with HOST_OPS in boards/pynq_driver.py (test_driver checks). */
extern const char *const qr_host_ops[];

#endif
