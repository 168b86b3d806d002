`default_nettype none
// qr_swg: sliding-window (im2col) generator for convolution and pooling, with stride and
// dilation, over an already padded input image.
//
// Input frame: H x W pixels of C channels, row-major, channels innermost, SIMD channels
// per beat: beat p*CF + cf (CF = C/SIMD) holds channels cf*SIMD .. cf*SIMD+SIMD-1 of
// pixel p, channel cf*SIMD + i at [i*ElemBits +: ElemBits].  SIMD must divide C.
// Output: OH x OW windows in raster order,
//   OH = (H - (KH-1)*DH - 1)/SH + 1,  OW = (W - (KW-1)*DW - 1)/SW + 1   (floor);
// window (oy, ox) is KH*KW*CF beats; each beat is an input beat unchanged:
//   tap (kh, kw, cf) = channels cf*SIMD.. of input pixel (oy*SH + kh*DH, ox*SW + kw*DW)
//   DepthwiseOrder = 0: for kh { for kw { for cf } }   (the (kh, kw, c) order of MVU weights)
//   DepthwiseOrder = 1: for cf { for kh { for kw } }   (per channel group, all taps)
// Input pixels that no window covers (bottom rows / right columns when the stride does not
// fit, rows/columns skipped by a stride larger than the kernel) are consumed and dropped.
// Frames follow each other back to back without tlast; the unit counts.
//
// Structure: a circular buffer of Cap beats indexed by input beat number g (slot g mod
// Cap), a RAM with one write port and one registered read port
// ((* ram_style = RamStyle *): "auto", "block", "distributed", "ultra"), followed by an
// output register.  tl = the first beat of the current window (its top-left pixel), the
// oldest beat any remaining window can need.  lead = (beats written) - tl, a signed
// counter: the writer may write beat g iff g < tl + Cap (lead < Cap); the reader may read
// tap offset off (beat tl + off) iff lead > off.  After a window's last tap, tl jumps to
// the next window (next column, next row, or the next frame's first window); a frame's
// input is therefore accepted while the previous frame's last windows are still emitted.
// s_axis_tready is a register (lead < Cap); m_axis_* are registers.
//
// Buffer size (the RAM depth, in beats of SIMD*ElemBits bits; elements = Cap * SIMD,
// bits = Cap * SIMD * ElemBits):
//   Cap  = S + J + X + L + CF
//   S    = ((KH-1)*DH*W + (KW-1)*DW + 1) * CF      one window's span in the raster stream
//   J    = max(SW*CF            [if OW > 1],       the largest jump of tl between
//              (SH*W - (OW-1)*SW)*CF [if OH > 1],  consecutive windows: next column,
//              (H*W - (OH-1)*SH*W - (OW-1)*SW)*CF)  next row, next frame
//   L    = KH*KW*CF                                 beats per window
//   X    = O - Il if Il < O < SH*W*CF, else 0,  with O = OW*L (output beats of a window
//          row) and Il = (H - (OH-1)*SH)*W*CF (input beats of the last window row)
// S lets a window be read while the writer waits; J lets the writer fill the next row's
// (frame's) first window while the current row's (frame's) last window is emitted; X
// covers frames whose window rows are input-bound but whose last one is output-bound
// (the writer runs ahead into the next frame by that difference); L + CF is pipeline
// slack.  With it, the unstalled steady state reaches max(H*W*CF, OH*OW*L) cycles per
// frame, checked against a cycle model on 12500 random configurations (kernels 1..7,
// strides 1..3, dilations 1..3, both orders) and in tb_qr_swg.  The exact minimum for
// that rate is smaller (often S + L .. S + J); e.g. 3x3, stride 1, W = 8, CF = 1:
// Cap = 19 + 19 + 9 + 1 = 48 beats vs 30 minimal.
//
// Latency: when the unit is idle (after reset, or after a pause in the input), a frame's
// first output beat (tap 0 of window (0,0): input beat 0) leaves 3 cycles after the
// frame's first input beat (write, RAM read register, output register).  Later taps
// follow as soon as their input beats are written (one cycle after the write, plus 2).
module qr_swg #(
  parameter int ElemBits = 8,
  parameter int C = 1,
  parameter int H = 8,
  parameter int W = 8,
  parameter int KH = 3,
  parameter int KW = 3,
  parameter int SH = 1,
  parameter int SW = 1,
  parameter int DH = 1,
  parameter int DW = 1,
  parameter int SIMD = 1,
  parameter int DepthwiseOrder = 0,
  // ram_style of the buffer; only an attribute, which Verilator ignores.
  /* verilator lint_off UNUSEDPARAM */
  parameter RamStyle = "auto"
  /* verilator lint_on UNUSEDPARAM */
) (
  input  wire                      clk,
  input  wire                      rst_n,
  input  wire  [SIMD*ElemBits-1:0] s_axis_tdata,
  input  wire                      s_axis_tvalid,
  output logic                     s_axis_tready,
  output logic [SIMD*ElemBits-1:0] m_axis_tdata,
  output logic                     m_axis_tvalid,
  input  wire                      m_axis_tready
);
  localparam int DB = SIMD * ElemBits;
  localparam int CF = C / SIMD;
  localparam int OH = (H - (KH - 1) * DH - 1) / SH + 1;
  localparam int OW = (W - (KW - 1) * DW - 1) / SW + 1;
  localparam int L = KH * KW * CF;
  localparam int S = ((KH - 1) * DH * W + (KW - 1) * DW + 1) * CF;
  // tl jumps: next column, next row, next frame.
  localparam int JCol = SW * CF;
  localparam int JRow = (SH * W - (OW - 1) * SW) * CF;
  localparam int JFrm = (H * W - (OH - 1) * SH * W - (OW - 1) * SW) * CF;
  localparam int J1 = (OW > 1 && JCol > JFrm) ? JCol : JFrm;
  localparam int J = (OH > 1 && JRow > J1) ? JRow : J1;
  localparam int ORow = OW * L;
  localparam int ILast = (H - (OH - 1) * SH) * W * CF;
  localparam int X = (ORow < SH * W * CF && ORow > ILast) ? ORow - ILast : 0;
  localparam int Cap = S + J + X + L + CF;

  localparam int AW = (Cap > 1) ? $clog2(Cap) : 1;       // RAM address
  localparam int OffW = (S > 1) ? $clog2(S) : 1;         // tap offset 0 .. S-1
  localparam int LW = $clog2(Cap + 1) + 1;               // lead, signed, |lead| <= Cap
  localparam int CfW = (CF > 1) ? $clog2(CF) : 1;
  localparam int KhW = (KH > 1) ? $clog2(KH) : 1;
  localparam int KwW = (KW > 1) ? $clog2(KW) : 1;
  localparam int OxW = (OW > 1) ? $clog2(OW) : 1;
  localparam int OyW = (OH > 1) ? $clog2(OH) : 1;

  // Tap offset steps (beats).  Order 0: cf, then kw, then kh.  Order 1: kw, kh, then cf.
  localparam int StepKw0 = DW * CF - (CF - 1);
  localparam int StepKh0 = DH * W * CF - (KW - 1) * DW * CF - (CF - 1);
  localparam int StepKw1 = DW * CF;
  localparam int StepKh1 = DH * W * CF - (KW - 1) * DW * CF;

  if (SIMD < 1 || C < 1 || C % SIMD != 0) begin : g_bad_simd
    initial $fatal(1, "qr_swg: SIMD must divide C");
  end
  if (KH < 1 || KW < 1 || SH < 1 || SW < 1 || DH < 1 || DW < 1 || ElemBits < 1) begin : g_bad_kernel
    initial $fatal(1, "qr_swg: kernel, stride, dilation and ElemBits must be >= 1");
  end
  if ((KH - 1) * DH + 1 > H || (KW - 1) * DW + 1 > W) begin : g_bad_size
    initial $fatal(1, "qr_swg: the (dilated) window is larger than the image");
  end

  // ------------------------------------------------------------------ write side --
  logic push, issue, adv;
  logic [AW-1:0] waddr, raddr, base;
  logic signed [LW-1:0] lead, lead_next, delta, off_s;
  localparam logic signed [LW-1:0] CapS = LW'(Cap);

  assign push = s_axis_tvalid && s_axis_tready;

  // ------------------------------------------------------------------- read side --
  logic [OffW-1:0] off;
  logic [CfW-1:0] cf;
  logic [KhW-1:0] kh;
  logic [KwW-1:0] kw;
  logic [OxW-1:0] ox;
  logic [OyW-1:0] oy;
  logic last_cf, last_kh, last_kw, last_ox, last_oy;
  logic [AW:0] rsum, bsum;
  logic [AW-1:0] dmod;
  logic q_valid, q_move;
  logic [DB-1:0] q;

  assign last_cf = (cf == CfW'(CF - 1));
  assign last_kh = (kh == KhW'(KH - 1));
  assign last_kw = (kw == KwW'(KW - 1));
  assign last_ox = (ox == OxW'(OW - 1));
  assign last_oy = (oy == OyW'(OH - 1));

  // The tap is readable once its beat is written: tl + off < written, i.e. lead > off.
  assign off_s = $signed(LW'(off));
  assign q_move = q_valid && (!m_axis_tvalid || m_axis_tready);
  assign issue = (lead > off_s) && (!q_valid || q_move);
  assign adv = issue && last_cf && last_kh && last_kw;   // window done: tl moves on

  // Read address (tl + off) mod Cap; both terms are < Cap.
  assign rsum = {1'b0, base} + (AW + 1)'(off);
  assign raddr = (rsum >= (AW + 1)'(Cap)) ? AW'(rsum - (AW + 1)'(Cap)) : AW'(rsum);

  // The jump of tl (beats), and the same modulo Cap for the buffer address.
  always_comb begin
    if (!last_ox) begin
      delta = LW'(JCol);
      dmod = AW'(JCol % Cap);
    end else if (!last_oy) begin
      delta = LW'(JRow);
      dmod = AW'(JRow % Cap);
    end else begin
      delta = LW'(JFrm);
      dmod = AW'(JFrm % Cap);
    end
  end
  assign bsum = {1'b0, base} + {1'b0, dmod};
  assign lead_next = lead + (push ? LW'(1) : LW'(0)) - (adv ? delta : LW'(0));

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      lead <= '0;
      waddr <= '0;
      s_axis_tready <= 1'b0;
    end else begin
      lead <= lead_next;
      s_axis_tready <= (lead_next < CapS);
      if (push) waddr <= (waddr == AW'(Cap - 1)) ? '0 : waddr + AW'(1);
    end
  end

  // Tap and window counters.
  always_ff @(posedge clk) begin
    if (!rst_n) begin
      off <= '0;
      cf <= '0;
      kh <= '0;
      kw <= '0;
      ox <= '0;
      oy <= '0;
      base <= '0;
    end else if (issue) begin
      if (DepthwiseOrder == 0) begin
        if (!last_cf) begin
          cf <= cf + CfW'(1);
          off <= off + OffW'(1);
        end else if (!last_kw) begin
          cf <= '0;
          kw <= kw + KwW'(1);
          off <= off + OffW'(StepKw0);
        end else if (!last_kh) begin
          cf <= '0;
          kw <= '0;
          kh <= kh + KhW'(1);
          off <= off + OffW'(StepKh0);
        end else begin
          cf <= '0;
          kw <= '0;
          kh <= '0;
          off <= '0;
        end
      end else begin
        if (!last_kw) begin
          kw <= kw + KwW'(1);
          off <= off + OffW'(StepKw1);
        end else if (!last_kh) begin
          kw <= '0;
          kh <= kh + KhW'(1);
          off <= off + OffW'(StepKh1);
        end else if (!last_cf) begin
          kw <= '0;
          kh <= '0;
          cf <= cf + CfW'(1);
          off <= OffW'(cf) + OffW'(1);
        end else begin
          cf <= '0;
          kw <= '0;
          kh <= '0;
          off <= '0;
        end
      end
      if (adv) begin
        ox <= last_ox ? '0 : ox + OxW'(1);
        if (last_ox) oy <= last_oy ? '0 : oy + OyW'(1);
        base <= (bsum >= (AW + 1)'(Cap)) ? AW'(bsum - (AW + 1)'(Cap)) : AW'(bsum);
      end
    end
  end

  // ------------------------------------------------------- buffer and output --
  (* ram_style = RamStyle *) logic [DB-1:0] mem [Cap];

  always_ff @(posedge clk) begin
    if (push) mem[waddr] <= s_axis_tdata;
    if (issue) q <= mem[raddr];
  end

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      q_valid <= 1'b0;
      m_axis_tvalid <= 1'b0;
    end else begin
      if (issue) q_valid <= 1'b1;
      else if (q_move) q_valid <= 1'b0;
      if (q_move) m_axis_tvalid <= 1'b1;
      else if (m_axis_tready) m_axis_tvalid <= 1'b0;
    end
  end

  always_ff @(posedge clk) begin
    if (q_move) m_axis_tdata <= q;
  end
endmodule
`default_nettype wire
