`default_nettype none
// qr_vvu: folded vector-vector unit (depthwise convolution): per channel c a
// K-tap dot product acc[c] = sum_t x[c][t] * w[c][t] for NumVec output pixels
// per frame, with optional fused multi-thresholds.  AXI4-Stream in and out.
//
// Needs: qr_mvu_mul.sv, qr_mvu_addtree.sv, qr_mvu_fifo.sv, qr_thresh_core.sv.
//
// Folding.  PE channels and SIMD taps per cycle: CF = C/PE channel folds, SF =
// K/SIMD tap folds.  Unlike qr_mvu no input is reused (each channel has its
// own window), so every input beat meets exactly one weight word: a pixel
// takes CF*SF cycles at full rate, one input beat per cycle.
//
// Elements as in qr_mvu: IBits wide, two's complement if ISigned, unsigned
// otherwise, bipolar if IBipolar (IBits = 1, bit 1 = +1, bit 0 = -1); weights
// likewise (WBits, WSigned, WBipolar).  Datapath per PE lane (qr_mvu_mul):
//   both bipolar:  xnor + popcount, dot = 2*popcount - SIMD
//   one bipolar:   conditional negation of the other operand
//   else, IBits <= 4 && WBits <= 4 (or MulStyle = 1): LUT multiplies
//   else (or MulStyle = 2): `*`, for synthesis to put on DSP blocks
// and the SIMD products of a channel are summed by an exact-width adder tree.
//
// Accumulator.  Two's complement, AccBits wide: the compiler passes the
// smallest width that holds the exact range of the dot product; all sums are
// modulo 2^AccBits and every partial sum lies within the final range, so the
// result is exact.  The default XW + WW + clog2(K) (XW = IBits, +1 if
// unsigned, 1 if bipolar; WW likewise) fits any weights.
//
// Stream formats ("depthwise order", what the sliding-window generator emits).
//   s_axis_tdata: SIMD taps x PE channels; element (s, p) = channel cf*PE + p
//     at tap sf*SIMD + s, at [(s*PE + p)*IBits +: IBits].  Per output pixel,
//     for cf in 0..CF-1, for sf in 0..SF-1: one beat (SIMD = 1: for each
//     channel group, the K taps in raster order).
//   m_axis_tdata: PE outputs, channel cf*PE + p at [p*OBits +: OBits]; CF
//     beats per output pixel, in channel order.
//   Without thresholds (NumThresholds = 0) an output is the accumulator,
//   OBits = AccBits, two's complement.  With thresholds
//     y = (#{k : acc >= thr[c][k]} + OBias) mod 2^OBits   (qr_thresh_core)
//   with the same OBits/OBias rules as qr_mvu.
//
// WeightFile ($readmemh): CF*SF words, word a = cf*SF + sf holds PE*SIMD*WBits
//   bits: the weight of channel cf*PE + p at tap sf*SIMD + s at
//   [(s*PE + p)*WBits +: WBits] (the input beat's element order).  One hex word
//   per line, most significant digit first.
// ThreshFile (only if NumThresholds > 0): CF words, word cf holds
//   PE*NumThresholds*TBits bits: threshold k of channel cf*PE + p, two's
//   complement, at [(p*NumThresholds + k)*TBits +: TBits], ascending in k (the
//   layout of qr_mvu / qr_threshold with C in place of MH).  TBits defaults to
//   AccBits + 1 so that "never reached" (max + 1) fits.
// rtl-lib/tb/model_vvu.c writes both files.
//
// Backpressure as in qr_mvu: the pipeline never stalls; the last beat of a
// channel fold is only accepted with an output slot reserved for its result
// (qr_mvu_fifo), so s_axis_tready is a function of registers and
// m_axis_tready drives only the FIFO's read side.
//
// Timing with no stalls: one input beat per cycle, NumVec*CF*SF cycles per
// frame; the output beat of a channel fold leaves 4 cycles after the fold's
// last input beat (weight read, products, accumulate, FIFO).
module qr_vvu #(
  parameter int C = 8,
  parameter int K = 9,
  parameter int PE = 1,
  parameter int SIMD = 1,
  parameter int NumVec = 1,         // pixels per frame: only checked, the unit does not count frames
  parameter int IBits = 4,
  parameter int ISigned = 0,
  parameter int IBipolar = 0,
  parameter int WBits = 4,
  parameter int WSigned = 1,
  parameter int WBipolar = 0,
  parameter int AccBits = ((IBipolar != 0) ? 1 : IBits + ((ISigned != 0) ? 0 : 1)) +
                          ((WBipolar != 0) ? 1 : WBits + ((WSigned != 0) ? 0 : 1)) + $clog2(K),
  parameter WeightFile = "",          // must be set; see the layout above
  parameter int NumThresholds = 0,
  parameter int TBits = AccBits + 1,
  parameter int OBits = (NumThresholds > 0) ? $clog2(NumThresholds + 1) : AccBits,
  parameter int OBias = 0,
  parameter ThreshFile = "",          // must be set if NumThresholds > 0
  // ram_style/rom_style of the weight and threshold memories ("auto",
  // "block", "distributed", "ultra"); only an attribute, Verilator ignores it.
  /* verilator lint_off UNUSEDPARAM */
  parameter RamStyle = "auto",
  /* verilator lint_on UNUSEDPARAM */
  parameter int MulStyle = 0          // 0 auto, 1 LUT, 2 DSP (ignored if an operand is bipolar)
) (
  input  logic                     clk,
  input  logic                     rst_n,
  input  logic [SIMD*PE*IBits-1:0] s_axis_tdata,
  input  logic                     s_axis_tvalid,
  output logic                     s_axis_tready,
  output logic [PE*OBits-1:0]      m_axis_tdata,
  output logic                     m_axis_tvalid,
  input  logic                     m_axis_tready
);
  localparam int SF = K / SIMD;
  localparam int CF = C / PE;
  localparam int SfW = (SF > 1) ? $clog2(SF) : 1;
  localparam int CfW = (CF > 1) ? $clog2(CF) : 1;
  localparam int WaW = (SF * CF > 1) ? $clog2(SF * CF) : 1;
  localparam int XW = (IBipolar != 0) ? 1 : IBits + ((ISigned != 0) ? 0 : 1);
  localparam int WW = (WBipolar != 0) ? 1 : WBits + ((WSigned != 0) ? 0 : 1);
  localparam int Mode = (IBipolar != 0 && WBipolar != 0) ? 0 :
                        (WBipolar != 0) ? 1 :
                        (IBipolar != 0) ? 2 :
                        (MulStyle == 1 || (MulStyle == 0 && IBits <= 4 && WBits <= 4)) ? 3 : 4;
  localparam int PW = (Mode == 0) ? 1 : XW + WW;  // lane product width
  localparam int TW = PW + $clog2(SIMD);          // adder tree width
  // Output FIFO: a reservation (made at the fold's last input beat) lives 4
  // cycles until its word can leave; at full rate one is made every SF cycles.
  localparam int FifoNeed = 4 / SF + 1;
  localparam int FifoDepth = (FifoNeed < 2) ? 2 : (1 << $clog2(FifoNeed));

  // ------------------------------------------------------------ checks --
  if (K % SIMD != 0 || C % PE != 0) begin : g_bad_fold
    initial $fatal(1, "qr_vvu: SIMD must divide K and PE must divide C");
  end
  if ((IBipolar != 0 && IBits != 1) || (WBipolar != 0 && WBits != 1)) begin : g_bad_bipolar
    initial $fatal(1, "qr_vvu: a bipolar operand has IBits/WBits = 1");
  end
  if (NumThresholds == 0 && OBits != AccBits) begin : g_bad_obits
    initial $fatal(1, "qr_vvu: without thresholds OBits must equal AccBits");
  end
  if (NumVec < 1) begin : g_bad_numvec
    initial $fatal(1, "qr_vvu: NumVec must be >= 1");
  end

  // ------------------------------------------------ stage 0: accept a beat --
  logic [SfW-1:0] sf;
  logic [WaW-1:0] waddr;
  logic sf_last, in_hs, fifo_space;

  assign sf_last = (sf == SfW'(SF - 1));
  assign s_axis_tready = !sf_last || fifo_space;
  assign in_hs = s_axis_tvalid && s_axis_tready;

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      sf <= '0;
      waddr <= '0;
    end else if (in_hs) begin
      sf <= sf_last ? '0 : sf + 1'b1;
      waddr <= (waddr == WaW'(SF * CF - 1)) ? '0 : waddr + 1'b1;
    end
  end

  // ----------------------------- weight memory, read registered (stage 1) --
  // The file names default to "" so that reading this source alone (lint,
  // Yosys read_verilog) opens no file; a simulation without one stops.  The
  // ROMs are written only by $readmemh, hence UNDRIVEN when linted with the
  // default (empty) file name.
  /* verilator lint_off UNDRIVEN */
  (* ram_style = RamStyle, rom_style = RamStyle *)
  logic [SIMD*PE*WBits-1:0] wmem [CF*SF];
  /* verilator lint_on UNDRIVEN */
  if (WeightFile != "") begin : g_wload
    initial $readmemh(WeightFile, wmem, 0, CF*SF - 1);  // range given: Icarus warns otherwise
  end
`ifndef SYNTHESIS
  if (WeightFile == "") begin : g_wnofile
    initial $fatal(1, "qr_vvu: parameter WeightFile is not set");
  end
`endif

  logic [SIMD*PE*IBits-1:0] x_q;
  logic [SIMD*PE*WBits-1:0] w_q;
  logic v1, first1, last1;

  always_ff @(posedge clk) begin
    if (in_hs) begin
      x_q <= s_axis_tdata;
      w_q <= wmem[waddr];
      first1 <= (sf == '0);
      last1 <= sf_last;
    end
  end

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      v1 <= 1'b0;
    end else begin
      v1 <= in_hs;
    end
  end

  // ------------------------------------ products and adder trees (stage 1) --
  // One multiplier block over all SIMD*PE lanes (x and w share the element
  // order (s, p)), then the lanes regrouped channel-major for the trees.
  logic [SIMD*PE*PW-1:0] prod, prod_cm;
  qr_mvu_mul #(.Mode(Mode), .Lanes(SIMD*PE), .IBits(IBits), .ISigned(ISigned), .WBits(WBits),
               .WSigned(WSigned), .PW(PW)) u_mul (
    .x(x_q), .w(w_q), .p(prod));

  always_comb begin
    logic [SIMD*PE*PW-1:0] g;
    for (int p = 0; p < PE; p++) begin
      for (int s = 0; s < SIMD; s++) begin
        g[(p*SIMD + s)*PW +: PW] = prod[(s*PE + p)*PW +: PW];
      end
    end
    prod_cm = g;
  end

  logic [PE*AccBits-1:0] dot;
  for (genvar p = 0; p < PE; p++) begin : g_pe
    // With an exact AccBits below TW the bits above AccBits are dropped on
    // purpose (all sums are modulo 2^AccBits, see above).
    /* verilator lint_off UNUSEDSIGNAL */
    logic [TW-1:0] tree;
    /* verilator lint_on UNUSEDSIGNAL */
    if (Mode == 0) begin : g_popcount
      qr_mvu_addtree #(.N(SIMD), .InW(1), .Signed(0), .OutW(TW)) u_tree (
        .in(prod_cm[p*SIMD*PW +: SIMD*PW]), .sum(tree));
      // dot = (+1 lanes) - (-1 lanes) = 2*popcount - SIMD
      assign dot[p*AccBits +: AccBits] = AccBits'({tree, 1'b0}) - AccBits'(SIMD);
    end else begin : g_sum
      qr_mvu_addtree #(.N(SIMD), .InW(PW), .Signed(1), .OutW(TW)) u_tree (
        .in(prod_cm[p*SIMD*PW +: SIMD*PW]), .sum(tree));
      assign dot[p*AccBits +: AccBits] = AccBits'($signed(tree));
    end
  end

  // ----------------------------------------------------- stage 2: dot_q --
  logic [PE*AccBits-1:0] dot_q;
  logic v2, first2, last2;
  always_ff @(posedge clk) begin
    if (!rst_n) begin
      v2 <= 1'b0;
    end else begin
      v2 <= v1;
    end
    if (v1) begin
      dot_q <= dot;
      first2 <= first1;
      last2 <= last1;
    end
  end

  // ------------------------------------------------ stage 3: accumulator --
  logic [PE*AccBits-1:0] acc;
  logic v3;
  always_ff @(posedge clk) begin
    if (!rst_n) begin
      v3 <= 1'b0;
    end else begin
      v3 <= v2 && last2;
    end
    if (v2) begin
      for (int p = 0; p < PE; p++) begin
        acc[p*AccBits +: AccBits] <= (first2 ? '0 : acc[p*AccBits +: AccBits]) +
                                     dot_q[p*AccBits +: AccBits];
      end
    end
  end

  // -------------------------------- stage 3: thresholds, into the FIFO --
  logic [PE*OBits-1:0] out_data;
  if (NumThresholds > 0) begin : g_thr
    // One threshold word per finished channel fold, in channel-fold order.
    /* verilator lint_off UNDRIVEN */  // written only by $readmemh, see wmem
    (* ram_style = RamStyle, rom_style = RamStyle *)
    logic [PE*NumThresholds*TBits-1:0] tmem [CF];
    /* verilator lint_on UNDRIVEN */
    if (ThreshFile != "") begin : g_tload
      initial $readmemh(ThreshFile, tmem, 0, CF - 1);
    end
`ifndef SYNTHESIS
    if (ThreshFile == "") begin : g_tnofile
      initial $fatal(1, "qr_vvu: parameter ThreshFile is not set");
    end
`endif
    logic [PE*NumThresholds*TBits-1:0] thr_q;
    logic [CfW-1:0] tcf;
    always_ff @(posedge clk) begin
      if (!rst_n) begin
        tcf <= '0;
      end else if (v2 && last2) begin
        tcf <= (tcf == CfW'(CF - 1)) ? '0 : tcf + 1'b1;
      end
    end
    always_ff @(posedge clk) begin
      if (v2 && last2) thr_q <= tmem[tcf];
    end
    for (genvar p = 0; p < PE; p++) begin : g_pe
      qr_thresh_core #(.VBits(AccBits), .NumThresholds(NumThresholds), .TBits(TBits),
                       .OBits(OBits), .OBias(OBias)) u_core (
        .value(acc[p*AccBits +: AccBits]),
        .thresholds(thr_q[p*NumThresholds*TBits +: NumThresholds*TBits]),
        .y(out_data[p*OBits +: OBits]));
    end
  end else begin : g_nothr
    assign out_data = acc;
  end

  qr_mvu_fifo #(.Width(PE*OBits), .Depth(FifoDepth)) u_fifo (
    .clk(clk),
    .rst_n(rst_n),
    .reserve(in_hs && sf_last),
    .space(fifo_space),
    .wr_en(v3),
    .wr_data(out_data),
    .m_axis_tdata(m_axis_tdata),
    .m_axis_tvalid(m_axis_tvalid),
    .m_axis_tready(m_axis_tready));
endmodule
`default_nettype wire
