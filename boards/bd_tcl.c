/* bd_tcl.c - DIR/boards/<board>/build.tcl for the Zynq boards: a Vivado
 * project whose block design is
 *
 *   PS --M_AXI--> ctrl_interconnect --> axi_dma_0/S_AXI_LITE   (registers)
 *   axi_dma_0/M_AXIS_MM2S -> [in_dwc] -> [in_pad] -> <top>_0/s_axis_0
 *   <top>_0/m_axis_0 -> [out_pad] -> [out_dwc] -> axi_dma_0/S_AXIS_S2MM
 *   axi_dma_0/M_AXI_MM2S, M_AXI_S2MM -> mem_interconnect -> PS slave port (DDR)
 *   one clock (PS PL clock 0 at --clock-mhz), one proc_sys_reset
 *
 * Stream widths: the IP's TDATA is B bytes (whole bytes, DESIGN.md); a beat
 * sits in memory as P bytes (the next power of two, zero padded: what the
 * driver writes); the AXI DMA streams W = min(P, 128) bytes (8..1024 bits,
 * powers of two).  An AXI4-Stream data width converter turns W into P (and
 * back) when they differ, and an AXI4-Stream subset converter drops (adds)
 * the P - B padding bytes.  Every width is written out as a number here,
 * so the script can be checked without Vivado (tests/tcl_mock/).
 *
 * IP versions are not pinned: qr_vlnv picks the newest one the Vivado at
 * hand has, so the script runs on any recent release.
 */
#include <stdio.h>
#include <string.h>

#include "boards/boards.h"
#include "ir/json.h"

typedef struct ps_desc {
  const char *vlnv, *rule, *auto_cfg; /* automation config (Tcl list words) */
  const char *clk, *rstn;             /* PL clock 0 and its reset */
  const char *m_axi, *m_axi_clk;      /* PS master for the DMA registers */
  const char *s_axi, *s_axi_clk;      /* PS slave port to DDR */
  const char *ddr_segs[3];            /* its DDR segments */
  const char *ports_cfg;              /* CONFIG pairs enabling those ports */
  const char *freq_key;               /* CONFIG of the PL clock 0 frequency */
  const char *width_key;              /* CONFIG of the slave port width */
  const char *regs_base;              /* DMA registers in the master's window */
} ps_desc;

static const ps_desc ps7 = {
    "xilinx.com:ip:processing_system7",
    "xilinx.com:bd_rule:processing_system7",
    "make_external \"FIXED_IO, DDR\" apply_board_preset $qr_have_board Master Disable Slave Disable",
    "FCLK_CLK0",
    "FCLK_RESET0_N",
    "M_AXI_GP0",
    "M_AXI_GP0_ACLK",
    "S_AXI_HP0",
    "S_AXI_HP0_ACLK",
    {"S_AXI_HP0/HP0_DDR_LOWOCM", NULL, NULL},
    "CONFIG.PCW_USE_M_AXI_GP0 1 CONFIG.PCW_USE_S_AXI_HP0 1 CONFIG.PCW_EN_CLK0_PORT 1 "
    "CONFIG.PCW_EN_RST0_PORT 1",
    "CONFIG.PCW_FPGA0_PERIPHERAL_FREQMHZ",
    "CONFIG.PCW_S_AXI_HP0_DATA_WIDTH",
    "0x40400000",
};

static const ps_desc psu = {
    "xilinx.com:ip:zynq_ultra_ps_e",
    "xilinx.com:bd_rule:zynq_ultra_ps_e",
    "apply_board_preset $qr_have_board",
    "pl_clk0",
    "pl_resetn0",
    "M_AXI_HPM0_FPD",
    "maxihpm0_fpd_aclk",
    "S_AXI_HP0_FPD",
    "saxihp0_fpd_aclk",
    {"SAXIGP2/HP0_DDR_LOW", "SAXIGP2/HP0_DDR_HIGH", NULL},
    "CONFIG.PSU__USE__M_AXI_GP0 1 CONFIG.PSU__USE__M_AXI_GP1 0 CONFIG.PSU__USE__M_AXI_GP2 0 "
    "CONFIG.PSU__USE__S_AXI_GP2 1 CONFIG.PSU__FPGA_PL0_ENABLE 1",
    "CONFIG.PSU__CRL_APB__PL0_REF_CTRL__FREQMHZ",
    "CONFIG.PSU__SAXIGP2__DATA_WIDTH",
    "0xA0000000",
};

/* Accumulates the clock and reset pins of the converters as they are made. */
typedef struct pins {
  char clk[1024], rstn[1024];
} pins;

static void add_pins(pins *p, const char *cell) {
  size_t n = strlen(p->clk), m = strlen(p->rstn);
  snprintf(p->clk + n, sizeof p->clk - n, " %s/aclk", cell);
  snprintf(p->rstn + m, sizeof p->rstn - m, " %s/aresetn", cell);
}

static void dwc(FILE *f, pins *p, const char *name, int s_bytes, int m_bytes) {
  fprintf(f,
          "create_bd_cell -type ip -vlnv [qr_vlnv xilinx.com:ip:axis_dwidth_converter] %s\n"
          "set_property -dict [list CONFIG.S_TDATA_NUM_BYTES %d CONFIG.M_TDATA_NUM_BYTES %d "
          "CONFIG.HAS_TLAST 1 CONFIG.HAS_TKEEP 1] [get_bd_cells %s]\n",
          name, s_bytes, m_bytes, name);
  add_pins(p, name);
}

/* Subset converter: keep the low `keep` bytes of `s_bytes`, or zero-extend
 * `s_bytes` to `m_bytes` (pad). */
static void subset(FILE *f, pins *p, const char *name, int s_bytes, int m_bytes, bool tlast_out) {
  int used = (s_bytes < m_bytes ? s_bytes : m_bytes) * 8;
  fprintf(f, "create_bd_cell -type ip -vlnv [qr_vlnv xilinx.com:ip:axis_subset_converter] %s\n", name);
  fprintf(f, "set_property -dict [list CONFIG.S_TDATA_NUM_BYTES %d CONFIG.M_TDATA_NUM_BYTES %d "
             "CONFIG.S_HAS_TLAST 1 CONFIG.M_HAS_TLAST %d CONFIG.S_HAS_TKEEP %d CONFIG.M_HAS_TKEEP 0 "
             "CONFIG.TDATA_REMAP {",
          s_bytes, m_bytes, tlast_out ? 1 : 0, tlast_out ? 0 : 1);
  if (m_bytes > s_bytes) {
    int pad = (m_bytes - s_bytes) * 8;
    fprintf(f, "%d'b", pad);
    for (int i = 0; i < pad; i++) fputc('0', f);
    fputc(',', f);
  }
  fprintf(f, "tdata[%d:0]}%s] [get_bd_cells %s]\n", used - 1,
          tlast_out ? " CONFIG.TLAST_REMAP {tlast[0]}" : "", name);
  add_pins(p, name);
}

static void connect_intf(FILE *f, const char *a, const char *b) {
  fprintf(f, "connect_bd_intf_net [get_bd_intf_pins %s] [get_bd_intf_pins %s]\n", a, b);
}

void qr_tcl_header(FILE *f, const hw_design *d, const char *top, const qr_board *b,
                   const ipx_vlnv *v, double clock_mhz, const char *what) {
  ir_arena *a = d->g->arena;
  fprintf(f,
          "# build.tcl - generated by qonnx-rtl for %s (%s): %s\n"
          "#   vivado -mode batch -source build.tcl\n"
          "# Edit the settings below, or set QR_JOBS in the environment.\n\n"
          "set qr_board      \"%s\"\n"
          "set qr_part       \"%s\"\n"
          "set qr_board_part \"%s\"\n"
          "set qr_ip_vlnv    \"%s\"\n"
          "set qr_top        \"%s\"\n"
          "set qr_clock_mhz  %g\n"
          "set qr_here       [file dirname [file normalize [info script]]]\n"
          "set qr_ip_repo    [file normalize [file join $qr_here .. .. ip]]\n"
          "set qr_proj_dir   [file join $qr_here vivado]\n"
          "set qr_jobs       [expr {[info exists ::env(QR_JOBS)] ? $::env(QR_JOBS) : 2}]\n\n"
          "# The newest version of an IP this Vivado has (vendor:library:name).\n"
          "proc qr_vlnv {vln} {\n"
          "  set defs [lsort -dictionary [get_ipdefs -all -quiet \"${vln}:*\"]]\n"
          "  if {![llength $defs]} { error \"qonnx-rtl: IP $vln is not in this Vivado's catalog\" }\n"
          "  return [lindex $defs end]\n"
          "}\n\n"
          "if {![llength [get_parts -quiet $qr_part]]} {\n"
          "  error \"qonnx-rtl: part $qr_part ($qr_board) is not installed in this Vivado; add its device family\"\n"
          "}\n"
          "create_project -force qr_%s $qr_proj_dir -part $qr_part\n"
          "%s"
          "set_property ip_repo_paths [list $qr_ip_repo] [current_project]\n"
          "update_ip_catalog -rebuild\n"
          "if {![llength [get_ipdefs -all -quiet $qr_ip_vlnv]]} {\n"
          "  error \"qonnx-rtl: IP $qr_ip_vlnv not found in $qr_ip_repo\"\n"
          "}\n\n",
          b->name, d->g->file, what, b->name, b->part, b->board_part, ipx_vlnv_str(a, v), top,
          clock_mhz, top,
          b->kind == QB_ALVEO
              ? ""
              : "set qr_have_board [expr {[llength [get_board_parts -quiet $qr_board_part]] > 0}]\n"
                "if {$qr_have_board} {\n"
                "  set_property board_part $qr_board_part [current_project]\n"
                "} else {\n"
                "  puts \"qonnx-rtl: board files $qr_board_part not installed; using the built-in PS preset\"\n"
                "}\n");
}

int qr_write_bd_tcl(const hw_design *d, const char *bdir, const char *top, const qr_board *b,
                    const ipx_vlnv *v, double clock_mhz) {
  ir_arena *a = d->g->arena;
  const ps_desc *ps = b->kind == QB_ZYNQ7 ? &ps7 : &psu;
  ipx_stream in, out;
  ipx_streams(d, &in, &out);
  int win = qr_board_dma_bytes(b, &in), wout = qr_board_dma_bytes(b, &out);
  const char *ip = ir_sprintf(a, "%s_0", top);

  json_atomic w;
  FILE *f = json_atomic_open(&w, ir_sprintf(a, "%s/build.tcl", bdir));
  if (!f) return -1;
  qr_tcl_header(f, d, top, b, v, clock_mhz,
                "block design PS + AXI DMA + the IP, bitstream and .hwh for a PYNQ overlay");

  fprintf(f, "# ---- block design\n"
             "create_bd_design qr_bd\n"
             "create_bd_cell -type ip -vlnv [qr_vlnv %s] ps\n"
             "apply_bd_automation -rule %s -config [list %s] [get_bd_cells ps]\n",
          ps->vlnv, ps->rule, ps->auto_cfg);
  fprintf(f, "if {!$qr_have_board} { set_property -dict [list %s] [get_bd_cells ps] }\n", b->ps_preset);
  fprintf(f, "set_property -dict [list %s %s %d %s $qr_clock_mhz] [get_bd_cells ps]\n\n", ps->ports_cfg,
          ps->width_key, b->mem_port_bits, ps->freq_key);

  fprintf(f, "create_bd_cell -type ip -vlnv [qr_vlnv xilinx.com:ip:proc_sys_reset] rst_ps\n"
             "create_bd_cell -type ip -vlnv $qr_ip_vlnv %s\n"
             "create_bd_cell -type ip -vlnv [qr_vlnv xilinx.com:ip:axi_dma] axi_dma_0\n"
             "set_property -dict [list CONFIG.c_include_sg 0 CONFIG.c_sg_length_width 26 "
             "CONFIG.c_addr_width %d CONFIG.c_include_mm2s 1 CONFIG.c_include_s2mm 1 "
             "CONFIG.c_m_axis_mm2s_tdata_width %d CONFIG.c_m_axi_mm2s_data_width %d "
             "CONFIG.c_s_axis_s2mm_tdata_width %d CONFIG.c_m_axi_s2mm_data_width %d "
             "CONFIG.c_mm2s_burst_size 16 CONFIG.c_s2mm_burst_size 16] [get_bd_cells axi_dma_0]\n"
             "create_bd_cell -type ip -vlnv [qr_vlnv xilinx.com:ip:smartconnect] ctrl_interconnect\n"
             "set_property -dict [list CONFIG.NUM_SI 1 CONFIG.NUM_MI 1] [get_bd_cells ctrl_interconnect]\n"
             "create_bd_cell -type ip -vlnv [qr_vlnv xilinx.com:ip:smartconnect] mem_interconnect\n"
             "set_property -dict [list CONFIG.NUM_SI 2 CONFIG.NUM_MI 1] [get_bd_cells mem_interconnect]\n\n",
          ip, b->dma_addr_bits, win * 8, win * 8 > 32 ? win * 8 : 32, wout * 8,
          wout * 8 > 32 ? wout * 8 : 32);

  pins p = {"", ""};
  /* input: DMA (W) -> [dwc W->P] -> [subset P->B] -> IP */
  fprintf(f, "# ---- input stream: DMA %d bits -> beats of %d bytes in memory -> IP TDATA %d bytes\n",
          win * 8, in.mem_beat_bytes, in.tdata_bytes);
  const char *cur = "axi_dma_0/M_AXIS_MM2S";
  if (win < in.mem_beat_bytes) {
    dwc(f, &p, "in_dwc", win, in.mem_beat_bytes);
    connect_intf(f, cur, "in_dwc/S_AXIS");
    cur = "in_dwc/M_AXIS";
  }
  if (in.mem_beat_bytes > in.tdata_bytes) {
    subset(f, &p, "in_pad", in.mem_beat_bytes, in.tdata_bytes, false);
    connect_intf(f, cur, "in_pad/S_AXIS");
    cur = "in_pad/M_AXIS";
  }
  connect_intf(f, cur, ir_sprintf(a, "%s/s_axis_0", ip));

  /* output: IP (B) -> [subset B->P] -> [dwc P->W] -> DMA */
  fprintf(f, "# ---- output stream: IP TDATA %d bytes -> beats of %d bytes in memory -> DMA %d bits\n",
          out.tdata_bytes, out.mem_beat_bytes, wout * 8);
  cur = ir_sprintf(a, "%s/m_axis_0", ip);
  if (out.mem_beat_bytes > out.tdata_bytes) {
    subset(f, &p, "out_pad", out.tdata_bytes, out.mem_beat_bytes, true);
    connect_intf(f, cur, "out_pad/S_AXIS");
    cur = "out_pad/M_AXIS";
  }
  if (wout < out.mem_beat_bytes) {
    dwc(f, &p, "out_dwc", out.mem_beat_bytes, wout);
    connect_intf(f, cur, "out_dwc/S_AXIS");
    cur = "out_dwc/M_AXIS";
  }
  connect_intf(f, cur, "axi_dma_0/S_AXIS_S2MM");

  fprintf(f, "\n# ---- memory-mapped: PS -> DMA registers; DMA -> PS DDR\n");
  connect_intf(f, ir_sprintf(a, "ps/%s", ps->m_axi), "ctrl_interconnect/S00_AXI");
  connect_intf(f, "ctrl_interconnect/M00_AXI", "axi_dma_0/S_AXI_LITE");
  connect_intf(f, "axi_dma_0/M_AXI_MM2S", "mem_interconnect/S00_AXI");
  connect_intf(f, "axi_dma_0/M_AXI_S2MM", "mem_interconnect/S01_AXI");
  connect_intf(f, "mem_interconnect/M00_AXI", ir_sprintf(a, "ps/%s", ps->s_axi));

  fprintf(f, "\n# ---- one clock (PS PL clock 0 at $qr_clock_mhz MHz), one reset\n"
             "connect_bd_net [get_bd_pins ps/%s] [get_bd_pins -quiet {ps/%s ps/%s rst_ps/slowest_sync_clk "
             "%s/ap_clk axi_dma_0/s_axi_lite_aclk axi_dma_0/m_axi_mm2s_aclk axi_dma_0/m_axi_s2mm_aclk "
             "ctrl_interconnect/aclk mem_interconnect/aclk%s}]\n"
             "connect_bd_net [get_bd_pins ps/%s] [get_bd_pins rst_ps/ext_reset_in]\n"
             "connect_bd_net [get_bd_pins rst_ps/peripheral_aresetn] [get_bd_pins -quiet {%s/ap_rst_n "
             "axi_dma_0/axi_resetn%s}]\n"
             "connect_bd_net [get_bd_pins rst_ps/interconnect_aresetn] "
             "[get_bd_pins {ctrl_interconnect/aresetn mem_interconnect/aresetn}]\n",
          ps->clk, ps->m_axi_clk, ps->s_axi_clk, ip, p.clk, ps->rstn, ip, p.rstn);

  fprintf(f, "\n# ---- address map: DMA registers in the PS master's window, all of DDR for the DMA\n"
             "assign_bd_address -offset %s -range 64K -target_address_space [get_bd_addr_spaces ps/Data] "
             "[get_bd_addr_segs axi_dma_0/S_AXI_LITE/Reg] -force\n",
          ps->regs_base);
  for (int s = 0; ps->ddr_segs[s]; s++)
    for (int ch = 0; ch < 2; ch++)
      fprintf(f, "assign_bd_address -target_address_space [get_bd_addr_spaces axi_dma_0/Data_%s] "
                 "[get_bd_addr_segs ps/%s] -force\n",
              ch ? "S2MM" : "MM2S", ps->ddr_segs[s]);
  fprintf(f, "assign_bd_address\n\n");

  fprintf(f,
          "# ---- check, wrap, build\n"
          "validate_bd_design\n"
          "save_bd_design\n"
          "set qr_bd_file [get_files qr_bd.bd]\n"
          "make_wrapper -files $qr_bd_file -top -import\n"
          "set_property top qr_bd_wrapper [current_fileset]\n"
          "update_compile_order -fileset sources_1\n"
          "launch_runs impl_1 -to_step write_bitstream -jobs $qr_jobs\n"
          "wait_on_run impl_1\n"
          "if {[get_property PROGRESS [get_runs impl_1]] ne \"100%%\"} {\n"
          "  error \"qonnx-rtl: implementation did not finish; see [get_property DIRECTORY [get_runs impl_1]]\"\n"
          "}\n"
          "open_run impl_1\n"
          "report_utilization -file [file join $qr_here utilization.rpt]\n"
          "report_timing_summary -file [file join $qr_here timing.rpt]\n"
          "set qr_wns [get_property STATS.WNS [get_runs impl_1]]\n"
          "if {$qr_wns < 0} {\n"
          "  puts \"qonnx-rtl: WARNING: timing not met at $qr_clock_mhz MHz (WNS $qr_wns ns); compile with a lower --clock-mhz\"\n"
          "}\n"
          "file copy -force [file join [get_property DIRECTORY [get_runs impl_1]] qr_bd_wrapper.bit] "
          "[file join $qr_here $qr_top.bit]\n"
          "file copy -force [lindex [get_files -all -of_objects [get_filesets sources_1] qr_bd.hwh] 0] "
          "[file join $qr_here $qr_top.hwh]\n"
          "puts \"qonnx-rtl: wrote [file join $qr_here $qr_top.bit] and $qr_top.hwh\"\n");
  return json_atomic_close(&w, true);
}
