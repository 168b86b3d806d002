`default_nettype none
// qr_threshold: multi-threshold activation (QONNX MultiThreshold) over a
// stream of NumVec pixels of C channels, PE channels per beat.
//
// Needs: qr_thresh_core.sv, qr_mvu_addtree.sv, qr_mvu_fifo.sv.
//
//   y[c] = (#{t : x[c] >= thr[c][t]} + OBias) mod 2^OBits
//
// exactly as qr_mvu's fused thresholds (same core, same semantics, same
// OBits/OBias rules; see qr_thresh_core).
//
// Streams: s_axis_tdata carries PE input elements, channel cf*PE + p at
// [p*IBits +: IBits] (two's complement if ISigned, else unsigned); C/PE beats
// per pixel in channel order.  m_axis_tdata carries the PE outputs at
// [p*OBits +: OBits].  One beat out per beat in, at one beat per cycle.
//
// ThreshFile ($readmemh): C/PE words, word cf holds PE*NumThresholds*TBits
//   bits: threshold t of channel cf*PE + p, two's complement, at
//   [(p*NumThresholds + t)*TBits +: TBits], ascending in t.  The same layout as
//   qr_mvu's ThreshFile with C in place of MH (rtl-lib/tb/model_threshold.c:
//   qr_threshold_write_thresholds).  TBits defaults to what the input range
//   plus "never reached" (max + 1) needs: IBits + 1 signed, IBits + 2 unsigned.
//
// Backpressure as in qr_mvu: an input beat is only accepted with an output
// slot reserved for it (qr_mvu_fifo), so s_axis_tready is a function of
// registers and m_axis_tready drives only the FIFO's read side.  Latency 2.
module qr_threshold #(
  parameter int C = 16,
  parameter int PE = 1,
  parameter int NumVec = 1,
  parameter int IBits = 8,
  parameter int ISigned = 1,
  parameter int NumThresholds = 1,
  parameter int TBits = IBits + ((ISigned != 0) ? 1 : 2),
  parameter int OBits = $clog2(NumThresholds + 1),
  parameter int OBias = 0,
  parameter ThreshFile = "",        // must be set; see the layout above
  // ram_style/rom_style of the threshold memory ("auto", "block",
  // "distributed", "ultra"); only an attribute, which Verilator ignores.
  /* verilator lint_off UNUSEDPARAM */
  parameter RamStyle = "auto"
  /* verilator lint_on UNUSEDPARAM */
) (
  input  logic                clk,
  input  logic                rst_n,
  input  logic [PE*IBits-1:0] s_axis_tdata,
  input  logic                s_axis_tvalid,
  output logic                s_axis_tready,
  output logic [PE*OBits-1:0] m_axis_tdata,
  output logic                m_axis_tvalid,
  input  logic                m_axis_tready
);
  localparam int CF = C / PE;
  localparam int CfW = (CF > 1) ? $clog2(CF) : 1;
  localparam int VBits = IBits + ((ISigned != 0) ? 0 : 1);
  localparam int TW = PE * NumThresholds * TBits;

  if (C % PE != 0) begin : g_bad_fold
    initial $fatal(1, "qr_threshold: PE must divide C");
  end
  if (NumVec < 1 || NumThresholds < 1) begin : g_bad_count
    initial $fatal(1, "qr_threshold: NumVec and NumThresholds must be >= 1");
  end

  // The file name defaults to "" so that reading this source alone opens no
  // file; tmem is written only by $readmemh, hence UNDRIVEN in that case.
  // Yosys (0.23) stops on rom_style "distributed" for a ROM; its name for a ROM in
  // LUTs is "logic" (see qr_mvu).  Vivado reads "distributed".
  /* verilator lint_off UNUSEDPARAM */
`ifdef YOSYS
  localparam TStyle = (RamStyle == "distributed" || RamStyle == "registers") ? "logic" : RamStyle;
`else
  localparam TStyle = RamStyle;
`endif
  /* verilator lint_on UNUSEDPARAM */
  /* verilator lint_off UNDRIVEN */
  (* ram_style = TStyle, rom_style = TStyle *)
  logic [TW-1:0] tmem [CF];
  /* verilator lint_on UNDRIVEN */
  if (ThreshFile != "") begin : g_tload
    initial $readmemh(ThreshFile, tmem);
  end
`ifndef SYNTHESIS
  if (ThreshFile == "") begin : g_tnofile
    initial $fatal(1, "qr_threshold: parameter ThreshFile is not set");
  end
`endif

  logic space, in_hs, v1;
  logic [CfW-1:0] cf;
  logic [PE*IBits-1:0] x_q;
  logic [TW-1:0] thr_q;
  logic [PE*OBits-1:0] out_data;

  assign s_axis_tready = space;
  assign in_hs = s_axis_tvalid && s_axis_tready;

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      cf <= '0;
      v1 <= 1'b0;
    end else begin
      v1 <= in_hs;
      if (in_hs) cf <= (cf == CfW'(CF - 1)) ? '0 : cf + 1'b1;
    end
  end

  always_ff @(posedge clk) begin
    if (in_hs) begin
      x_q <= s_axis_tdata;
      thr_q <= tmem[cf];
    end
  end

  for (genvar p = 0; p < PE; p++) begin : g_pe
    logic [VBits-1:0] value;
    if (ISigned != 0) begin : g_s
      assign value = x_q[p*IBits +: IBits];
    end else begin : g_u
      assign value = {1'b0, x_q[p*IBits +: IBits]};
    end
    qr_thresh_core #(.VBits(VBits), .NumThresholds(NumThresholds), .TBits(TBits),
                     .OBits(OBits), .OBias(OBias)) u_core (
      .value(value),
      .thresholds(thr_q[p*NumThresholds*TBits +: NumThresholds*TBits]),
      .y(out_data[p*OBits +: OBits]));
  end

  // A reservation (at acceptance) lives 2 cycles until its word can leave;
  // with one accepted per cycle up to 2 are alive at a check, so 4 slots.
  qr_mvu_fifo #(.Width(PE*OBits), .Depth(4)) u_fifo (
    .clk(clk),
    .rst_n(rst_n),
    .reserve(in_hs),
    .space(space),
    .wr_en(v1),
    .wr_data(out_data),
    .m_axis_tdata(m_axis_tdata),
    .m_axis_tvalid(m_axis_tvalid),
    .m_axis_tready(m_axis_tready));
endmodule
`default_nettype wire
