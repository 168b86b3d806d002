`default_nettype none
// qr_mvu: folded matrix-vector unit, y = W x for NumVec vectors per frame, with
// optional fused multi-thresholds.  AXI4-Stream in and out.
//
// Needs: qr_mvu_mul.sv, qr_mvu_addtree.sv, qr_mvu_fifo.sv, qr_thresh_core.sv.
//
// Folding.  W is MH x MW.  PE rows and SIMD columns are processed per cycle:
// SF = MW/SIMD synapse folds, NF = MH/PE neuron folds.  A vector takes
// NF*SF cycles at full rate; its MW elements arrive once (SF beats), are held
// in a double-buffered input memory and reused for each of the NF neuron
// folds, while the next vector streams into the other buffer.
//
// Elements.  Input elements are IBits wide, two's complement if ISigned,
// unsigned otherwise, or bipolar if IBipolar (IBits = 1, bit 1 = +1, bit
// 0 = -1).  Weights likewise (WBits, WSigned, WBipolar).  Datapath, from the
// parameters:
//   both bipolar:  xnor + popcount, dot = 2*popcount - n; three lanes at a time
//                  go into a 2-bit count (one LUT6 per bit), then an adder tree;
//                  the -n of every fold is in the accumulator's start value
//   bipolar w:     dot = 2 * (sum of the inputs whose weight is +1) - (sum of all
//                  inputs): a gated adder tree per PE, the input sum shared
//   bipolar x:     conditional negation of the weight
//   else, IBits <= 4 && WBits <= 4 (or MulStyle = 1): LUT multiplies as bit
//                  planes: per bit of the narrower operand a tree over the other
//                  operand gated by that bit, the planes shifted and added (a
//                  signed gated operand is offset to unsigned, the offsets are in
//                  the accumulator's start value)
//   else (or MulStyle = 2): `*`, for synthesis to put on DSP blocks
// Every sum is an exact-width adder tree (qr_mvu_addtree).
//
// Accumulator.  Two's complement, AccBits wide, sign bit included: the
// compiler passes the smallest b with -2^(b-1) <= min and max <= 2^(b-1)-1 over
// the exact range of the dot product.  All sums are modulo 2^AccBits; since
// every term's range contains 0, every partial sum lies within the final
// range, so the result is exact.  The default, XW + WW + clog2(MW) with
// XW = IBits (+1 if unsigned; 1 if bipolar), fits any weights.
//
// Stream formats.
//   s_axis_tdata: SIMD input elements, element s of the beat (column
//     sf*SIMD + s) at [s*IBits +: IBits]; SF beats per vector, in column order.
//   m_axis_tdata: PE outputs, neuron nf*PE + p at [p*OBits +: OBits];
//     NF beats per vector, in neuron order.
//   Without thresholds (NumThresholds = 0) an output is the accumulator,
//   OBits = AccBits, two's complement.  With thresholds it is
//     y = (#{t : acc >= thr[n][t]} + OBias) mod 2^OBits     (see qr_thresh_core)
//   OBits defaults to clog2(T+1); choose it so OBias..OBias+T fits (signed if
//   OBias < 0).  E.g. T = 2^b - 1, OBias = -2^(b-1): signed b-bit activation;
//   T = 1, OBias = 0, OBits = 1: bipolar output (bit 1 = +1).
//
// WeightFile (read with $readmemh): NF*SF words, word a = nf*SF + sf holds
//   PE*SIMD*WBits bits: weight W[nf*PE + p][sf*SIMD + s] at bits
//   [(p*SIMD + s)*WBits +: WBits] (two's complement / unsigned / bipolar bit
//   as the weight type says).  One hex word per line, most significant digit
//   first, ceil(PE*SIMD*WBits/4) digits.
// ThreshFile (only if NumThresholds > 0): NF words, word nf holds
//   PE*NumThresholds*TBits bits: threshold t of neuron nf*PE + p, two's
//   complement, at [(p*NumThresholds + t)*TBits +: TBits], ascending in t.
//   TBits defaults to AccBits + 1 so that "never reached" (max + 1) fits.
// Threshold table (ThreshStyle = 1): instead of NumThresholds comparators per
//   PE, the activation is looked up: per PE a ROM of NF * 2^AccBits words of
//   OBits, word nf * 2^AccBits + (acc + 2^(AccBits-1)) holding the y above for
//   that accumulator value (every value AccBits can hold, so the lookup is the
//   comparison, exactly).  One registered read, so the output is one cycle
//   later.  For many thresholds over a narrow accumulator (e.g. an 8-bit
//   activation after a 1-bit x 2-bit layer: 255 comparators per PE against one
//   block RAM).  PE p's ROM is read from TableFile + "_" + p in 4 decimal digits
//   + ".mem" (e.g. "mvu_0_a_0003.mem"), one OBits hex word per line; its style
//   is TableRamStyle.  ThreshFile is not read.
// rtl-lib/tb/model_mvu.c writes these files (qr_mvu_write_weights,
// qr_mvu_write_thresholds, qr_mvu_write_table).
//
// Backpressure: the pipeline does not stall; a neuron fold's last synapse
// fold is only issued once a slot in the output FIFO is reserved for it
// (qr_mvu_fifo), so m_axis_tready drives only the FIFO read side and
// s_axis_tready is a function of registers.  The output FIFO holds up to 8
// words (fewer when SF > 1: just enough for full rate).
//
// Timing with no stalls: NF*SF cycles per vector in steady state.  The first
// neuron fold runs while the vector streams in (synapse fold sf issues the
// cycle after input beat sf arrived), so with the input at one beat per cycle
// the first output beat of a vector leaves 5 cycles after its last input beat
// (issue, memory read, dot product, accumulate, FIFO; 6 with a threshold
// table), each further beat SF cycles after the previous one.
module qr_mvu #(
  parameter int MW = 16,
  parameter int MH = 16,
  parameter int PE = 1,
  parameter int SIMD = 1,
  parameter int NumVec = 1,
  parameter int IBits = 4,
  parameter int ISigned = 0,
  parameter int IBipolar = 0,
  parameter int WBits = 4,
  parameter int WSigned = 1,
  parameter int WBipolar = 0,
  parameter int AccBits = ((IBipolar != 0) ? 1 : IBits + ((ISigned != 0) ? 0 : 1)) +
                          ((WBipolar != 0) ? 1 : WBits + ((WSigned != 0) ? 0 : 1)) + $clog2(MW),
  parameter int MulStyle = 0,       // 0 auto, 1 LUT, 2 DSP (ignored if an operand is bipolar)
  parameter WeightFile = "",          // must be set; see the layout above
  // ram_style/rom_style of the weight memory: "auto", "block", "distributed",
  // "ultra" (Vivado's values).  Only an attribute, which Verilator ignores.
  /* verilator lint_off UNUSEDPARAM */
  parameter RamStyle = "auto",
  /* verilator lint_on UNUSEDPARAM */
  parameter int NumThresholds = 0,
  parameter int TBits = AccBits + 1,
  parameter int OBits = (NumThresholds > 0) ? $clog2(NumThresholds + 1) : AccBits,
  parameter int OBias = 0,
  parameter ThreshFile = "",          // must be set if NumThresholds > 0 and ThreshStyle 0
  parameter int ThreshStyle = 0,      // 0: comparators, 1: table (see above)
  parameter TableFile = "",           // ThreshStyle 1: the per-PE files' common prefix
  /* verilator lint_off UNUSEDPARAM */
  parameter TableRamStyle = "auto"    // rom_style of the tables (as RamStyle)
  /* verilator lint_on UNUSEDPARAM */
) (
  input  logic                  clk,
  input  logic                  rst_n,
  input  logic [SIMD*IBits-1:0] s_axis_tdata,
  input  logic                  s_axis_tvalid,
  output logic                  s_axis_tready,
  output logic [PE*OBits-1:0]   m_axis_tdata,
  output logic                  m_axis_tvalid,
  input  logic                  m_axis_tready
);
  localparam int SF = MW / SIMD;
  localparam int NF = MH / PE;
  localparam int SfW = (SF > 1) ? $clog2(SF) : 1;
  localparam int NfW = (NF > 1) ? $clog2(NF) : 1;
  localparam int WaW = (SF * NF > 1) ? $clog2(SF * NF) : 1;
  localparam int IaW = $clog2(2 * SF);
  localparam int XW = (IBipolar != 0) ? 1 : IBits + ((ISigned != 0) ? 0 : 1);
  localparam int WW = (WBipolar != 0) ? 1 : WBits + ((WSigned != 0) ? 0 : 1);
  localparam int Mode = (IBipolar != 0 && WBipolar != 0) ? 0 :
                        (WBipolar != 0) ? 1 :
                        (IBipolar != 0) ? 2 :
                        (MulStyle == 1 || (MulStyle == 0 && IBits <= 4 && WBits <= 4)) ? 3 : 4;
  localparam int PW = (Mode == 0) ? 1 : XW + WW;  // lane product width
  // Output FIFO: a reservation made when issuing lives 4 cycles (5 with a
  // threshold table) until its word can leave; at full rate one is made every
  // SF cycles.
  localparam int Table = (NumThresholds > 0 && ThreshStyle == 1) ? 1 : 0;
  localparam int FifoNeed = (4 + Table) / SF + 1;
  localparam int FifoDepth = (FifoNeed < 2) ? 2 : (1 << $clog2(FifoNeed));

  // ------------------------------------------------------------ checks --
  if (MW % SIMD != 0 || MH % PE != 0) begin : g_bad_fold
    initial $fatal(1, "qr_mvu: SIMD must divide MW and PE must divide MH");
  end
  if ((IBipolar != 0 && IBits != 1) || (WBipolar != 0 && WBits != 1)) begin : g_bad_bipolar
    initial $fatal(1, "qr_mvu: a bipolar operand has IBits/WBits = 1");
  end
  if (NumThresholds == 0 && OBits != AccBits) begin : g_bad_obits
    initial $fatal(1, "qr_mvu: without thresholds OBits must equal AccBits");
  end
  if (NumVec < 1) begin : g_bad_numvec
    initial $fatal(1, "qr_mvu: NumVec must be >= 1");
  end
  if (Table != 0 && (AccBits > 16 || PE > 10000)) begin : g_bad_table
    initial $fatal(1, "qr_mvu: a threshold table needs AccBits <= 16 and PE <= 10000");
  end

  // ------------------------------------------- input double buffer (write) --
  logic [SIMD*IBits-1:0] ibuf [2*SF];
  logic [1:0] bank_full;
  logic wr_bank;
  logic [SfW-1:0] wr_sf;
  logic in_hs;
  logic wr_last;
  logic [IaW-1:0] wr_addr;

  assign s_axis_tready = !bank_full[wr_bank];
  assign in_hs = s_axis_tvalid && s_axis_tready;
  assign wr_last = (wr_sf == SfW'(SF - 1));
  assign wr_addr = wr_bank ? IaW'(SF) + IaW'(wr_sf) : IaW'(wr_sf);

  always_ff @(posedge clk) begin
    if (in_hs) ibuf[wr_addr] <= s_axis_tdata;
  end

  // ------------------------------------------------------ issue (stage 0) --
  logic rd_bank;
  logic [SfW-1:0] sf;
  logic [NfW-1:0] nf;
  logic [WaW-1:0] waddr;
  logic sf_last, nf_last, in_ready, issue, fifo_space;
  logic [IaW-1:0] rd_addr;

  assign sf_last = (sf == SfW'(SF - 1));
  assign nf_last = (nf == NfW'(NF - 1));
  // The first neuron fold streams: it issues synapse fold sf as soon as beat sf
  // of the vector is in the bank (written in an earlier cycle), so it overlaps
  // with the input; the later folds reuse the full bank.
  assign in_ready = bank_full[rd_bank] ||
                    (rd_bank == wr_bank && nf == '0 && sf < wr_sf);
  assign issue = in_ready && (!sf_last || fifo_space);
  assign rd_addr = rd_bank ? IaW'(SF) + IaW'(sf) : IaW'(sf);

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      bank_full <= '0;
      wr_bank <= 1'b0;
      wr_sf <= '0;
      rd_bank <= 1'b0;
      sf <= '0;
      nf <= '0;
      waddr <= '0;
    end else begin
      if (in_hs) begin
        if (wr_last) begin
          wr_sf <= '0;
          wr_bank <= !wr_bank;
        end else begin
          wr_sf <= wr_sf + 1'b1;
        end
      end
      if (issue) begin
        sf <= sf_last ? '0 : sf + 1'b1;
        if (sf_last) nf <= nf_last ? '0 : nf + 1'b1;
        waddr <= (sf_last && nf_last) ? '0 : waddr + 1'b1;
        if (sf_last && nf_last) rd_bank <= !rd_bank;
      end
      // The writer only fills an empty bank, the reader only frees a full one,
      // so the two never touch the same bank in one cycle.
      for (int b = 0; b < 2; b++) begin
        if (in_hs && wr_last && wr_bank == b[0]) bank_full[b] <= 1'b1;
        if (issue && sf_last && nf_last && rd_bank == b[0]) bank_full[b] <= 1'b0;
      end
    end
  end

  // ------------------------------------- memories, read registered (stage 1) --
  // The file names default to "" so that reading this source alone (lint,
  // Yosys read_verilog) opens no file; a simulation without one stops.
  // The ROMs are written only by $readmemh, hence UNDRIVEN when linted with
  // the default (empty) file name.
  // Yosys (0.23) maps no ROM to LUT RAM and stops on rom_style "distributed" ("no
  // valid mapping"); its name for a ROM built from LUTs is "logic".  Vivado reads
  // "distributed".  (YOSYS is defined by Yosys's read_verilog.)
  /* verilator lint_off UNUSEDPARAM */
`ifdef YOSYS
  localparam WStyle = (RamStyle == "distributed" || RamStyle == "registers") ? "logic" : RamStyle;
  localparam TabStyle = (TableRamStyle == "distributed" || TableRamStyle == "registers") ? "logic"
                                                                                      : TableRamStyle;
`else
  localparam WStyle = RamStyle;
  localparam TabStyle = TableRamStyle;
`endif
  /* verilator lint_on UNUSEDPARAM */
  /* verilator lint_off UNDRIVEN */
  (* ram_style = WStyle, rom_style = WStyle *)
  logic [PE*SIMD*WBits-1:0] wmem [NF*SF];
  /* verilator lint_on UNDRIVEN */
  if (WeightFile != "") begin : g_wload
    initial $readmemh(WeightFile, wmem);
  end
`ifndef SYNTHESIS
  if (WeightFile == "") begin : g_wnofile
    initial $fatal(1, "qr_mvu: parameter WeightFile is not set");
  end
`endif

  logic [SIMD*IBits-1:0] x_q;
  logic [PE*SIMD*WBits-1:0] w_q;
  logic v1, first1, last1;

  always_ff @(posedge clk) begin
    if (issue) begin
      x_q <= ibuf[rd_addr];
      w_q <= wmem[waddr];
    end
  end

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      v1 <= 1'b0;
    end else begin
      v1 <= issue;
    end
    if (issue) begin
      first1 <= (sf == '0);
      last1 <= sf_last;
    end
  end

  // ----------------------------------- products and adder trees (stage 1) --
  logic [PE*AccBits-1:0] dot;
  if (Mode == 1) begin : g_bipw
    // Bipolar weights: sum_s (w_s ? x_s : -x_s) = 2 * sum_{w_s = 1} x_s - sum_s x_s.
    // Per PE an adder tree over the inputs gated by the weight bits (the AND goes
    // into the adders' LUTs), and one sum of all inputs shared by the PEs: no
    // negation per lane, and lanes one bit narrower.
    localparam int XSW = XW + $clog2(SIMD);
    logic [SIMD*XW-1:0] xe;
    logic [XSW-1:0] xsum;
    always_comb begin
      logic [SIMD*XW-1:0] v;
      for (int s = 0; s < SIMD; s++) begin
        if (ISigned != 0) v[s*XW +: XW] = XW'($signed(x_q[s*IBits +: IBits]));
        else v[s*XW +: XW] = XW'(x_q[s*IBits +: IBits]);
      end
      xe = v;
    end
    qr_mvu_addtree #(.N(SIMD), .InW(XW), .Signed(1), .OutW(XSW)) u_xsum (.in(xe), .sum(xsum));
    for (genvar p = 0; p < PE; p++) begin : g_pe
      logic [SIMD*XW-1:0] gated;
      logic [XSW-1:0] gsum;
      always_comb begin
        logic [SIMD*XW-1:0] v;
        for (int s = 0; s < SIMD; s++) v[s*XW +: XW] = w_q[p*SIMD + s] ? xe[s*XW +: XW] : '0;
        gated = v;
      end
      qr_mvu_addtree #(.N(SIMD), .InW(XW), .Signed(1), .OutW(XSW)) u_tree (.in(gated), .sum(gsum));
      assign dot[p*AccBits +: AccBits] = AccBits'($signed({gsum, 1'b0})) - AccBits'($signed(xsum));
    end
  end else if (Mode == 3) begin : g_planes
    // LUT multiplies as bit planes: sum_s x_s * w_s = sum_i c_i * sum_s b_si * a_s,
    // where b is the narrower operand (its two's complement bits b_si, c_i = 2^i,
    // the top one -2^(i) if signed) and a the other one.  Per PE and bit plane an
    // adder tree over the a_s gated by b_si (the AND goes into the adders' LUTs),
    // then the planes shifted and added: no per-lane multiplier, whose
    // shift-and-add adders synthesis cannot merge into the tree.
    localparam int PlaneW = (WBits <= IBits) ? 1 : 0;       // planes over the weight bits
    localparam int NB = (PlaneW != 0) ? WBits : IBits;     // number of planes
    localparam int BSigned = (PlaneW != 0) ? WSigned : ISigned;
    localparam int AW = (PlaneW != 0) ? XW : WW;           // gated operand, two's complement
    localparam int ASigned = (PlaneW != 0) ? ISigned : WSigned;
    // A signed gated operand is added as unsigned, offset by 2^(AW-1) (top bit
    // inverted; a gated-off lane is the offset alone), so that the trees are
    // unsigned adders (Yosys keeps them on carry chains; signed ones become a
    // larger LUT compressor).  The offsets, SIMD * 2^(AW-1) * (sum of the plane
    // weights) per fold, are in the accumulator's start value (AccInit).
    localparam int GW = AW + $clog2(SIMD);
    for (genvar p = 0; p < PE; p++) begin : g_pe
      logic [SIMD*AW-1:0] av;  // gated operand per lane
      logic [SIMD*NB-1:0] bv;  // plane bits per lane
      always_comb begin
        logic [SIMD*AW-1:0] a;
        logic [SIMD*NB-1:0] b;
        for (int s = 0; s < SIMD; s++) begin
          if (PlaneW != 0) begin
            if (ISigned != 0) a[s*AW +: AW] = AW'($signed(x_q[s*IBits +: IBits]));
            else a[s*AW +: AW] = AW'(x_q[s*IBits +: IBits]);
            b[s*NB +: NB] = NB'(w_q[(p*SIMD + s)*WBits +: WBits]);
          end else begin
            if (WSigned != 0) a[s*AW +: AW] = AW'($signed(w_q[(p*SIMD + s)*WBits +: WBits]));
            else a[s*AW +: AW] = AW'(w_q[(p*SIMD + s)*WBits +: WBits]);
            b[s*NB +: NB] = NB'(x_q[s*IBits +: IBits]);
          end
        end
        av = a;
        bv = b;
      end
      logic [NB*GW-1:0] psum;
      for (genvar i = 0; i < NB; i++) begin : g_plane
        logic [SIMD*AW-1:0] gated;
        always_comb begin
          logic [SIMD*AW-1:0] g;
          for (int s = 0; s < SIMD; s++) begin
            g[s*AW +: AW] = bv[s*NB + i] ? av[s*AW +: AW] : '0;
            if (ASigned != 0) g[s*AW + AW-1] = !g[s*AW + AW-1];
          end
          gated = g;
        end
        qr_mvu_addtree #(.N(SIMD), .InW(AW), .Signed(1 - ASigned), .OutW(GW)) u_tree (
          .in(gated), .sum(psum[i*GW +: GW]));
      end
      always_comb begin
        logic [AccBits-1:0] a, t;
        a = '0;
        for (int i = 0; i < NB; i++) begin
          if (ASigned != 0) t = AccBits'(psum[i*GW +: GW]) << i;
          else t = AccBits'($signed(psum[i*GW +: GW])) << i;
          if (i == NB - 1 && BSigned != 0) a = a - t;
          else a = a + t;
        end
        dot[p*AccBits +: AccBits] = a;
      end
    end
  end else begin : g_lanes
    for (genvar p = 0; p < PE; p++) begin : g_pe
      logic [SIMD*PW-1:0] lanes;
      qr_mvu_mul #(.Mode(Mode), .Lanes(SIMD), .IBits(IBits), .ISigned(ISigned), .WBits(WBits),
                   .WSigned(WSigned), .PW(PW)) u_mul (
        .x(x_q), .w(w_q[p*SIMD*WBits +: SIMD*WBits]), .p(lanes));
      if (Mode == 0) begin : g_popcount
        // Three xnor lanes at a time into a 2-bit count (each count bit is a
        // function of six inputs: one LUT6), then the adder tree over the
        // ceil(SIMD/3) counts; (+1 lanes) - (-1 lanes) = 2*popcount - SIMD.
        localparam int G = (SIMD + 2) / 3;
        localparam int GW = 2 + $clog2(G);
        logic [2*G-1:0] cnt;
        // With an exact AccBits below GW + 1 the top bits are dropped on purpose
        // (all sums are modulo 2^AccBits, see above).
        /* verilator lint_off UNUSEDSIGNAL */
        logic [GW-1:0] pop;
        /* verilator lint_on UNUSEDSIGNAL */
        always_comb begin
          logic [3*G-1:0] l;
          logic [2*G-1:0] c;
          l = '0;
          l[SIMD-1:0] = lanes;
          for (int g = 0; g < G; g++) begin
            c[2*g] = l[3*g] ^ l[3*g+1] ^ l[3*g+2];
            c[2*g+1] = (l[3*g] & l[3*g+1]) | (l[3*g+2] & (l[3*g] | l[3*g+1]));
          end
          cnt = c;
        end
        qr_mvu_addtree #(.N(G), .InW(2), .Signed(0), .OutW(GW)) u_tree (.in(cnt), .sum(pop));
        // dot = 2*pop; the -SIMD of every fold is in the accumulator's start value
        assign dot[p*AccBits +: AccBits] = AccBits'({pop, 1'b0});
      end else begin : g_sum
        localparam int TW = PW + $clog2(SIMD);
        // As above: bits above AccBits are dropped on purpose.
        /* verilator lint_off UNUSEDSIGNAL */
        logic [TW-1:0] tree;
        /* verilator lint_on UNUSEDSIGNAL */
        qr_mvu_addtree #(.N(SIMD), .InW(PW), .Signed(1), .OutW(TW)) u_tree (
          .in(lanes), .sum(tree));
        assign dot[p*AccBits +: AccBits] = AccBits'($signed(tree));
      end
    end
  end

  // ---------------------------------------------------- stage 2: dot_q --
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
  // Start value: the constant terms the datapath leaves out of each fold's dot
  // (xnor: -SIMD; offset LUT-multiply planes: -SIMD * 2^(AW-1) * sum of the
  // plane weights), times SF folds, modulo 2^AccBits.
  function automatic logic [AccBits-1:0] acc_init();
    logic signed [63:0] k;
    int pw, nb, aw;
    k = '0;
    if (Mode == 0) begin
      k = 64'(MW);
    end else if (Mode == 3) begin
      pw = (WBits <= IBits) ? 1 : 0;
      nb = (pw != 0) ? WBits : IBits;
      aw = (pw != 0) ? XW : WW;
      if (((pw != 0) ? ISigned : WSigned) != 0) begin
        // offsets MW * 2^(aw-1) times the sum of the plane weights: -1 for a
        // signed plane operand, 2^nb - 1 for an unsigned one
        k = 64'(MW) << (aw - 1);
        if (((pw != 0) ? WSigned : ISigned) != 0) k = -k;
        else k = k * ((64'sd1 <<< nb) - 64'sd1);
      end
    end
    acc_init = AccBits'(-k);
  endfunction
  localparam logic [AccBits-1:0] AccInit = acc_init();
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
        acc[p*AccBits +: AccBits] <= (first2 ? AccInit : acc[p*AccBits +: AccBits]) +
                                     dot_q[p*AccBits +: AccBits];
      end
    end
  end

  // ------------------------------- stage 3: thresholds, into the FIFO --
  logic [PE*OBits-1:0] out_data;
  logic out_valid;
  if (Table != 0) begin : g_tab
    // The activation of every accumulator value, looked up (stage 4).
    localparam int AW = ((NF > 1) ? $clog2(NF) : 0) + AccBits;
    logic [NfW-1:0] tnf;
    /* verilator lint_off UNUSEDSIGNAL */  // not part of the address when NF = 1
    logic [NfW-1:0] tnf_q;
    /* verilator lint_on UNUSEDSIGNAL */
    logic v4;
    always_ff @(posedge clk) begin
      if (!rst_n) begin
        tnf <= '0;
        v4 <= 1'b0;
      end else begin
        v4 <= v3;
        if (v2 && last2) tnf <= (tnf == NfW'(NF - 1)) ? '0 : tnf + 1'b1;
      end
      if (v2 && last2) tnf_q <= tnf;
    end
    assign out_valid = v4;
    for (genvar p = 0; p < PE; p++) begin : g_pe
      localparam logic [7:0] D3 = 8'd48 + 8'((p / 1000) % 10);
      localparam logic [7:0] D2 = 8'd48 + 8'((p / 100) % 10);
      localparam logic [7:0] D1 = 8'd48 + 8'((p / 10) % 10);
      localparam logic [7:0] D0 = 8'd48 + 8'(p % 10);
      /* verilator lint_off UNDRIVEN */  // written only by $readmemh, see wmem
      (* ram_style = TabStyle, rom_style = TabStyle *)
      logic [OBits-1:0] tab [NF << AccBits];
      /* verilator lint_on UNDRIVEN */
      if (TableFile != "") begin : g_load
        initial $readmemh({TableFile, "_", D3, D2, D1, D0, ".mem"}, tab);
      end
`ifndef SYNTHESIS
      if (TableFile == "") begin : g_nofile
        initial $fatal(1, "qr_mvu: parameter TableFile is not set");
      end
`endif
      // offset binary: acc = -2^(AccBits-1) is word 0 of the fold's table
      logic [AccBits-1:0] a;
      logic [AW-1:0] addr;
      logic [OBits-1:0] y_q;
      assign a = acc[p*AccBits +: AccBits] ^ (AccBits'(1) << (AccBits - 1));
      if (NF > 1) begin : g_nf
        assign addr = {tnf_q, a};
      end else begin : g_one
        assign addr = a;
      end
      always_ff @(posedge clk) begin
        if (v3) y_q <= tab[addr];
      end
      assign out_data[p*OBits +: OBits] = y_q;
    end
  end else if (NumThresholds > 0) begin : g_thr
    assign out_valid = v3;
    // Threshold words come in neuron-fold order, one per finished fold.
    /* verilator lint_off UNDRIVEN */  // written only by $readmemh, see wmem
    logic [PE*NumThresholds*TBits-1:0] tmem [NF];
    /* verilator lint_on UNDRIVEN */
    if (ThreshFile != "") begin : g_tload
      initial $readmemh(ThreshFile, tmem);
    end
`ifndef SYNTHESIS
    if (ThreshFile == "") begin : g_tnofile
      initial $fatal(1, "qr_mvu: parameter ThreshFile is not set");
    end
`endif
    logic [PE*NumThresholds*TBits-1:0] thr_q;
    logic [NfW-1:0] tnf;
    always_ff @(posedge clk) begin
      if (!rst_n) begin
        tnf <= '0;
      end else if (v2 && last2) begin
        tnf <= (tnf == NfW'(NF - 1)) ? '0 : tnf + 1'b1;
      end
    end
    always_ff @(posedge clk) begin
      if (v2 && last2) thr_q <= tmem[tnf];
    end
    for (genvar p = 0; p < PE; p++) begin : g_pe
      qr_thresh_core #(.VBits(AccBits), .NumThresholds(NumThresholds), .TBits(TBits),
                       .OBits(OBits), .OBias(OBias)) u_core (
        .value(acc[p*AccBits +: AccBits]),
        .thresholds(thr_q[p*NumThresholds*TBits +: NumThresholds*TBits]),
        .y(out_data[p*OBits +: OBits]));
    end
  end else begin : g_nothr
    assign out_valid = v3;
    assign out_data = acc;
  end

  qr_mvu_fifo #(.Width(PE*OBits), .Depth(FifoDepth)) u_fifo (
    .clk(clk),
    .rst_n(rst_n),
    .reserve(issue && sf_last),
    .space(fifo_space),
    .wr_en(out_valid),
    .wr_data(out_data),
    .m_axis_tdata(m_axis_tdata),
    .m_axis_tvalid(m_axis_tvalid),
    .m_axis_tready(m_axis_tready));
endmodule
`default_nettype wire
