`default_nettype none
// qr_concat: channel concatenation of two NHWC streams of the same pixels.
// Per pixel, s0_axis (a) carries CA channels and s1_axis (b) CB channels, PE elements
// of ElemBits per beat (element 0 in the least significant bits; PE divides CA and
// CB).  The output pixel is the CA channels of a followed by the CB channels of b:
// CA/PE beats taken from a, then CB/PE beats from b, then the next pixel.  Frames are
// back to back (the pixel count needs no parameter).
//
// Each input has a skid buffer (qr_skid): s0/s1_axis_tready are flip-flop outputs; an
// input that is not being read simply waits there.  A beat counter over the
// CA/PE + CB/PE beats of a pixel selects the input; m_axis_* come from the output
// register.  One beat per cycle without stalls (cycles per frame = pixels *
// (CA + CB) / PE); latency 2 cycles.
// Flip-flops: 2 * 2 * PE * ElemBits + 4 (skids) + PE * ElemBits + 1 + counter.
module qr_concat #(
  parameter int ElemBits = 4,
  parameter int CA = 4,
  parameter int CB = 4,
  parameter int PE = 1
) (
  input  wire                      clk,
  input  wire                      rst_n,
  input  wire  [PE*ElemBits-1:0]   s0_axis_tdata,
  input  wire                      s0_axis_tvalid,
  output logic                     s0_axis_tready,
  input  wire  [PE*ElemBits-1:0]   s1_axis_tdata,
  input  wire                      s1_axis_tvalid,
  output logic                     s1_axis_tready,
  output logic [PE*ElemBits-1:0]   m_axis_tdata,
  output logic                     m_axis_tvalid,
  input  wire                      m_axis_tready
);
  localparam int DB = PE * ElemBits;
  localparam int NA = CA / PE;          // beats of a per pixel
  localparam int NT = (CA + CB) / PE;   // beats per output pixel
  localparam int CW = $clog2(NT);       // NT >= 2

  if (PE < 1 || CA < 1 || CB < 1 || CA % PE != 0 || CB % PE != 0) begin : g_bad
    initial $fatal(1, "qr_concat: PE must divide CA and CB (all >= 1)");
  end

  logic [DB-1:0] a_data, b_data;
  logic a_valid, b_valid, a_ready, b_ready;

  qr_skid #(.DataBits(DB)) u_skid_a (
    .clk(clk), .rst_n(rst_n),
    .s_axis_tdata(s0_axis_tdata), .s_axis_tvalid(s0_axis_tvalid), .s_axis_tready(s0_axis_tready),
    .m_axis_tdata(a_data), .m_axis_tvalid(a_valid), .m_axis_tready(a_ready));
  qr_skid #(.DataBits(DB)) u_skid_b (
    .clk(clk), .rst_n(rst_n),
    .s_axis_tdata(s1_axis_tdata), .s_axis_tvalid(s1_axis_tvalid), .s_axis_tready(s1_axis_tready),
    .m_axis_tdata(b_data), .m_axis_tvalid(b_valid), .m_axis_tready(b_ready));

  logic [CW-1:0] cnt;
  logic sel_b, in_valid, out_free, move;

  assign sel_b = (cnt >= CW'(NA));
  assign in_valid = sel_b ? b_valid : a_valid;
  assign out_free = !m_axis_tvalid || m_axis_tready;
  assign move = in_valid && out_free;
  assign a_ready = move && !sel_b;
  assign b_ready = move && sel_b;

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      cnt <= '0;
      m_axis_tvalid <= 1'b0;
    end else begin
      if (move) cnt <= (cnt == CW'(NT - 1)) ? '0 : cnt + CW'(1);
      if (out_free) m_axis_tvalid <= in_valid;
    end
  end

  always_ff @(posedge clk) begin
    if (move) m_axis_tdata <= sel_b ? b_data : a_data;
  end
endmodule
`default_nettype wire
