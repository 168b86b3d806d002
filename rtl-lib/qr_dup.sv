`default_nettype none
// qr_dup: stream fork.  Every beat of s_axis goes to both m0_axis and m1_axis, in
// order, unchanged (DataBits wide; frames pass through, no tlast).
//
// Each branch has its own skid buffer (qr_skid), so the two outputs can be
// back-pressured independently: a branch that stalls keeps up to two beats while
// the other one moves on.  An input beat is accepted when both branches can take it:
// s_axis_tready is the AND of the two skids' registered readies (a function of two
// flip-flops, no path from m0/m1_axis_tready).  m0/m1_axis_* are registers.
// One beat per cycle while neither output stalls; latency 1 cycle.
// Flip-flops: 4 * DataBits + 4.
module qr_dup #(
  parameter int DataBits = 8
) (
  input  wire                 clk,
  input  wire                 rst_n,
  input  wire  [DataBits-1:0] s_axis_tdata,
  input  wire                 s_axis_tvalid,
  output logic                s_axis_tready,
  output logic [DataBits-1:0] m0_axis_tdata,
  output logic                m0_axis_tvalid,
  input  wire                 m0_axis_tready,
  output logic [DataBits-1:0] m1_axis_tdata,
  output logic                m1_axis_tvalid,
  input  wire                 m1_axis_tready
);
  logic ready0, ready1, push;

  assign s_axis_tready = ready0 && ready1;
  assign push = s_axis_tvalid && s_axis_tready;

  qr_skid #(.DataBits(DataBits)) u_skid0 (
    .clk(clk), .rst_n(rst_n),
    .s_axis_tdata(s_axis_tdata), .s_axis_tvalid(push), .s_axis_tready(ready0),
    .m_axis_tdata(m0_axis_tdata), .m_axis_tvalid(m0_axis_tvalid), .m_axis_tready(m0_axis_tready));
  qr_skid #(.DataBits(DataBits)) u_skid1 (
    .clk(clk), .rst_n(rst_n),
    .s_axis_tdata(s_axis_tdata), .s_axis_tvalid(push), .s_axis_tready(ready1),
    .m_axis_tdata(m1_axis_tdata), .m_axis_tvalid(m1_axis_tvalid), .m_axis_tready(m1_axis_tready));
endmodule
`default_nettype wire
