`default_nettype none
// qr_maxpool: max pooling over the K taps of each window, PE channels per beat.
//
// Needs: qr_mvu_fifo.sv.
//
// Input in "depthwise order" (what the sliding-window generator emits): per
// output pixel, for each channel group cf in 0..C/PE-1, for each tap t in
// 0..K-1 one beat carrying channels cf*PE + p of tap t at
// [p*ElemBits +: ElemBits].  Output: per output pixel C/PE beats, beat cf
// carries max_t x[cf*PE + p][t] at [p*ElemBits +: ElemBits].  So every K
// consecutive input beats reduce to one output beat; the unit counts taps only
// (C just fixes the folding that must divide).  Frames follow back to back.
//
// Elements are ElemBits wide, compared as two's complement if Signed, else
// unsigned.  A bipolar tensor is passed as unsigned 1-bit (bit 1 = +1), whose
// max is the OR.
//
// Throughput: one input beat per cycle (pixels * C/PE * K cycles), one output
// beat per K cycles.  Backpressure as in qr_mvu/qr_threshold: the last tap of
// a window is only accepted with a slot of the output FIFO (qr_mvu_fifo)
// reserved for its result, so s_axis_tready is a function of registers and
// m_axis_tready drives only the FIFO's read side.  Latency: the output beat
// leaves 2 cycles after the window's last input beat.
module qr_maxpool #(
  parameter int ElemBits = 4,
  parameter int Signed = 0,
  parameter int C = 8,
  parameter int K = 4,
  parameter int PE = 1
) (
  input  logic                   clk,
  input  logic                   rst_n,
  input  logic [PE*ElemBits-1:0] s_axis_tdata,
  input  logic                   s_axis_tvalid,
  output logic                   s_axis_tready,
  output logic [PE*ElemBits-1:0] m_axis_tdata,
  output logic                   m_axis_tvalid,
  input  logic                   m_axis_tready
);
  localparam int TW = (K > 1) ? $clog2(K) : 1;

  if (C % PE != 0 || K < 1) begin : g_bad_fold
    initial $fatal(1, "qr_maxpool: PE must divide C, and K >= 1");
  end

  // ------------------------------------------------ stage 0: accept a beat --
  logic [TW-1:0] t;
  logic t_last, in_hs, space;

  assign t_last = (t == TW'(K - 1));
  assign s_axis_tready = !t_last || space;
  assign in_hs = s_axis_tvalid && s_axis_tready;

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      t <= '0;
    end else if (in_hs) begin
      t <= t_last ? '0 : t + 1'b1;
    end
  end

  // --------------------------------------------- stage 1: running maximum --
  logic [PE*ElemBits-1:0] x_q, mx, mx_next;
  logic v1, first1, last1;

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      v1 <= 1'b0;
    end else begin
      v1 <= in_hs;
    end
    if (in_hs) begin
      x_q <= s_axis_tdata;
      first1 <= (t == '0);
      last1 <= t_last;
    end
  end

  always_comb begin
    logic [PE*ElemBits-1:0] m;
    logic [ElemBits-1:0] a, b;
    logic b_gt;
    for (int p = 0; p < PE; p++) begin
      a = mx[p*ElemBits +: ElemBits];
      b = x_q[p*ElemBits +: ElemBits];
      if (Signed != 0) b_gt = $signed(b) > $signed(a);
      else b_gt = b > a;
      m[p*ElemBits +: ElemBits] = (first1 || b_gt) ? b : a;
    end
    mx_next = m;
  end

  always_ff @(posedge clk) begin
    if (v1) mx <= mx_next;
  end

  // A reservation (made at a window's last tap) lives 2 cycles until its
  // word can leave; at most 2 are alive at a check, so 4 slots.
  qr_mvu_fifo #(.Width(PE*ElemBits), .Depth(4)) u_fifo (
    .clk(clk),
    .rst_n(rst_n),
    .reserve(in_hs && t_last),
    .space(space),
    .wr_en(v1 && last1),
    .wr_data(mx_next),
    .m_axis_tdata(m_axis_tdata),
    .m_axis_tvalid(m_axis_tvalid),
    .m_axis_tready(m_axis_tready));
endmodule
`default_nettype wire
