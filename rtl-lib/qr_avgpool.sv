`default_nettype none
// qr_avgpool: the sums of average pooling, PE channels per beat.  The
// compiler puts a threshold unit after it for the division and the
// requantization, so this unit only adds, exactly: OBits is the exact width
// of the sum (two's complement if ISigned, else unsigned), and every sum is
// taken modulo 2^OBits.
//
// Needs: qr_mvu_fifo.sv.
//
// Global = 0 (AveragePool): input in "depthwise order" exactly as qr_maxpool:
//   per output pixel, for each channel group cf in 0..C/PE-1, for each tap t in
//   0..K-1 one beat, channel cf*PE + p of tap t at [p*IBits +: IBits].  Output
//   per output pixel C/PE beats, beat cf = sum_t x[cf*PE + p][t] at
//   [p*OBits +: OBits].  One input beat per cycle; one output beat per K.
// Global = 1 (GlobalAveragePool): input a plain NHWC frame of Pixels pixels,
//   C/PE beats per pixel in channel order (channel cf*PE + p at
//   [p*IBits +: IBits]).  While the frame's last pixel streams in, its beat cf
//   completes the sums of channel group cf, which leave as output beat cf
//   (sum over all Pixels pixels at [p*OBits +: OBits]); the next frame follows
//   at once.  Frame n's C/PE output beats therefore overlap with the end of
//   frame n and the start of frame n+1: Pixels*C/PE cycles per frame, one
//   input beat per cycle.  The running sums are a memory of C/PE words of
//   PE*OBits bits (read registered, written one cycle later; a channel group
//   is read again at the earliest 2 beats after its write, so no bypass is
//   needed), or one register when C/PE = 1 or Pixels = 1.  K is ignored.
//
// Backpressure as in qr_mvu/qr_threshold: a beat that completes a sum is only
// accepted with a slot of the output FIFO (qr_mvu_fifo) reserved for it, so
// s_axis_tready is a function of registers and m_axis_tready drives only the
// FIFO's read side.  Latency: an output beat leaves 2 cycles after the input
// beat that completes it.
module qr_avgpool #(
  parameter int IBits = 4,
  parameter int ISigned = 0,
  parameter int OBits = 8,
  parameter int C = 8,
  parameter int K = 4,
  parameter int PE = 1,
  parameter int Global = 0,
  parameter int Pixels = 1
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
  // Beats that make one sum when the sums are kept in one register: K taps,
  // or (global, one channel group or one pixel) Pixels beats.
  localparam int UseMem = (Global != 0 && CF > 1 && Pixels > 1) ? 1 : 0;
  localparam int N = (Global != 0) ? Pixels : K;

  if (C % PE != 0 || K < 1 || Pixels < 1) begin : g_bad_fold
    initial $fatal(1, "qr_avgpool: PE must divide C, K and Pixels must be >= 1");
  end
  if (OBits < IBits) begin : g_bad_obits
    initial $fatal(1, "qr_avgpool: OBits must be >= IBits (the exact width of the sum)");
  end

  logic in_hs, space, in_last;  // in_last: the beat at the input completes a sum
  logic [PE*OBits-1:0] base, sum_next;
  logic [PE*IBits-1:0] x_q;
  logic v1, first1, last1;

  assign s_axis_tready = !in_last || space;
  assign in_hs = s_axis_tvalid && s_axis_tready;

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      v1 <= 1'b0;
    end else begin
      v1 <= in_hs;
    end
    if (in_hs) x_q <= s_axis_tdata;
  end

  // sum = (first ? 0 : running sum) + x, each lane extended to OBits.
  always_comb begin
    logic [PE*OBits-1:0] s;
    logic [OBits-1:0] xe;
    for (int p = 0; p < PE; p++) begin
      if (ISigned != 0) xe = OBits'($signed(x_q[p*IBits +: IBits]));
      else xe = OBits'(x_q[p*IBits +: IBits]);
      s[p*OBits +: OBits] = (first1 ? '0 : base[p*OBits +: OBits]) + xe;
    end
    sum_next = s;
  end

  if (UseMem == 0) begin : g_reg
    // ----------------------------- N consecutive beats make one sum --
    localparam int TW = (N > 1) ? $clog2(N) : 1;
    logic [TW-1:0] t;
    logic [PE*OBits-1:0] acc;
    assign in_last = (t == TW'(N - 1));
    always_ff @(posedge clk) begin
      if (!rst_n) begin
        t <= '0;
      end else if (in_hs) begin
        t <= in_last ? '0 : t + 1'b1;
      end
      if (in_hs) begin
        first1 <= (t == '0);
        last1 <= in_last;
      end
      if (v1) acc <= sum_next;
    end
    assign base = acc;
  end else begin : g_mem
    // ---------------- global: one running sum per channel group, in memory --
    localparam int CfW = $clog2(CF);
    localparam int PixW = $clog2(Pixels);
    logic [PE*OBits-1:0] amem [CF];
    logic [PE*OBits-1:0] rd_q;
    logic [CfW-1:0] cf, cf1;
    logic [PixW-1:0] pix;
    logic cf_last;
    assign cf_last = (cf == CfW'(CF - 1));
    assign in_last = (pix == PixW'(Pixels - 1));
    always_ff @(posedge clk) begin
      if (!rst_n) begin
        cf <= '0;
        pix <= '0;
      end else if (in_hs) begin
        cf <= cf_last ? '0 : cf + 1'b1;
        if (cf_last) pix <= in_last ? '0 : pix + 1'b1;
      end
    end
    always_ff @(posedge clk) begin
      if (in_hs) begin
        rd_q <= amem[cf];
        cf1 <= cf;
        first1 <= (pix == '0);
        last1 <= in_last;
      end
      if (v1) amem[cf1] <= sum_next;
    end
    assign base = rd_q;
  end

  // A reservation (made at the completing beat) lives 2 cycles until its word
  // can leave; at most 2 are alive at a check, so 4 slots.
  qr_mvu_fifo #(.Width(PE*OBits), .Depth(4)) u_fifo (
    .clk(clk),
    .rst_n(rst_n),
    .reserve(in_hs && in_last),
    .space(space),
    .wr_en(v1 && last1),
    .wr_data(sum_next),
    .m_axis_tdata(m_axis_tdata),
    .m_axis_tvalid(m_axis_tvalid),
    .m_axis_tready(m_axis_tready));
endmodule
`default_nettype wire
