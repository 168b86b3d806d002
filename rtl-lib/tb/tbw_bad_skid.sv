`default_nettype none
// tbw_bad_skid: TEST ONLY.  qr_skid with one AXI4-Stream violation injected into its
// output stream, to show that the protocol checks catch it: the C harness (Verilator
// and the Icarus testbench) and the SV checker rtl-lib/qr_axis_check.sv that every
// Icarus testbench binds.  Driven by rtl-lib/tb/tb_qr_axis_check.c.
//
//   Mode 0  none: a correct stream
//   Mode 1  tvalid dropped for one cycle while stalled (tvalid && !tready before)
//   Mode 2  tdata changed (bit 0 flipped) for one cycle while stalled
//   Mode 3  one extra beat: beat number After is sent twice
//   Mode 4  tlast changed for one cycle while stalled
//   Mode 5  tdata all X for one cycle while tvalid (4-state simulators; in Verilator,
//           where X does not exist, the same as mode 0)
//
// m_axis_tlast marks every FrameBeats-th beat sent.  The violation fires once, at its
// first chance after After beats went out; none is lost or invented except in mode 3
// (the unit's own handshake is held back while the outside one happens).
module tbw_bad_skid #(
  parameter int DataBits   = 8,
  parameter int Mode       = 0,
  parameter int FrameBeats = 4,
  parameter int After      = 3
) (
  input  wire                 clk,
  input  wire                 rst_n,
  input  wire  [DataBits-1:0] s_axis_tdata,
  input  wire                 s_axis_tvalid,
  output logic                s_axis_tready,
  output logic [DataBits-1:0] m_axis_tdata,
  output logic                m_axis_tvalid,
  input  wire                 m_axis_tready,
  output logic                m_axis_tlast
);
  logic [DataBits-1:0] u_data;
  logic                u_valid, u_ready;

  qr_skid #(.DataBits(DataBits)) u_skid (
    .clk(clk), .rst_n(rst_n),
    .s_axis_tdata(s_axis_tdata), .s_axis_tvalid(s_axis_tvalid), .s_axis_tready(s_axis_tready),
    .m_axis_tdata(u_data), .m_axis_tvalid(u_valid), .m_axis_tready(u_ready));

  logic [31:0] sent;     // beats sent downstream since reset
  logic        stalled;  // previous cycle: m_axis_tvalid && !m_axis_tready
  logic        armed;    // the violation has not fired yet

  wire due   = armed && sent >= 32'(After);
  wire fire  = (Mode == 1 || Mode == 2 || Mode == 4) ? due && stalled
             : (Mode == 3) ? due && u_valid && m_axis_tready
             : (Mode == 5) ? due && u_valid && !stalled
             : 1'b0;

  assign m_axis_tvalid = u_valid && !(Mode == 1 && fire);
  assign u_ready       = m_axis_tready && !((Mode == 1 || Mode == 3) && fire);
  assign m_axis_tlast  = (sent % 32'(FrameBeats) == 32'(FrameBeats - 1)) ^ (Mode == 4 && fire);

  always_comb begin
    m_axis_tdata = u_data;
    if (Mode == 2 && fire) m_axis_tdata[0] = ~u_data[0];
`ifndef VERILATOR
    if (Mode == 5 && fire) m_axis_tdata = 'x;
`endif
  end

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      sent    <= '0;
      stalled <= 1'b0;
      armed   <= Mode != 0;
    end else begin
      if (m_axis_tvalid && m_axis_tready) sent <= sent + 32'd1;
      stalled <= m_axis_tvalid && !m_axis_tready;
      if (fire) armed <= 1'b0;
    end
  end
endmodule
`default_nettype wire
