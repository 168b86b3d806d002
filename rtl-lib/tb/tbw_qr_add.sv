`default_nettype none
// tbw_qr_add: test-only wrapper presenting qr_add to the single-stream harness.
//
// Harness input beat: {stall_en, b, a} (PE*ABits bits of a in the LSBs, then PE*BBits
// of b, then one control bit).  The beat is split into two qr_fifo's (accepted when
// both can take it); each FIFO feeds one input of qr_add through its own random
// stall gate (tbw_qr_stall, different seed and polynomial), so a and b reach the unit
// with independent gaps.  The gate only ever delays raising tvalid: once raised it
// holds until the handshake (AXI).  stall_en of the latest accepted beat turns both
// gates on or off (off: the harness's own regime only, e.g. for throughput).
// Harness output = qr_add's m_axis.
module tbw_qr_add #(
  parameter int ABits = 4,
  parameter int ASigned = 0,
  parameter int ABipolar = 0,
  parameter int BBits = 4,
  parameter int BSigned = 0,
  parameter int BBipolar = 0,
  parameter int MulA = 1,
  parameter int MulB = 1,
  parameter int OBits = 10,
  parameter int PE = 1,
  parameter int SeedA = 4660,
  parameter int SeedB = 22136,
  parameter int ThrA = 6,
  parameter int ThrB = 9
) (
  input  wire                        clk,
  input  wire                        rst_n,
  input  wire  [PE*(ABits+BBits):0]  s_axis_tdata,
  input  wire                        s_axis_tvalid,
  output logic                       s_axis_tready,
  output logic [PE*OBits-1:0]        m_axis_tdata,
  output logic                       m_axis_tvalid,
  input  wire                        m_axis_tready
);
  localparam int AW = PE * ABits, BW = PE * BBits;

  logic stall_en;
  logic fa_ready, fb_ready, push;
  logic [AW-1:0] fa_data;
  logic [BW-1:0] fb_data;
  logic fa_valid, fb_valid, s0_valid, s1_valid, s0_ready, s1_ready;
  logic on_a, on_b, hold_a, hold_b;

  assign s_axis_tready = fa_ready && fb_ready;
  assign push = s_axis_tvalid && s_axis_tready;

  always_ff @(posedge clk) begin
    if (!rst_n) stall_en <= 1'b0;
    else if (push) stall_en <= s_axis_tdata[AW+BW];
  end

  qr_fifo #(.DataBits(AW), .Depth(4), .RamStyle("distributed")) u_fa (
    .clk(clk), .rst_n(rst_n),
    .s_axis_tdata(s_axis_tdata[AW-1:0]), .s_axis_tvalid(push), .s_axis_tready(fa_ready),
    .m_axis_tdata(fa_data), .m_axis_tvalid(fa_valid), .m_axis_tready(s0_valid && s0_ready));
  qr_fifo #(.DataBits(BW), .Depth(4), .RamStyle("distributed")) u_fb (
    .clk(clk), .rst_n(rst_n),
    .s_axis_tdata(s_axis_tdata[AW +: BW]), .s_axis_tvalid(push), .s_axis_tready(fb_ready),
    .m_axis_tdata(fb_data), .m_axis_tvalid(fb_valid), .m_axis_tready(s1_valid && s1_ready));

  tbw_qr_stall #(.Seed(SeedA), .Poly(0), .Thr(ThrA)) u_stall_a (
    .clk(clk), .rst_n(rst_n), .en(stall_en), .on(on_a));
  tbw_qr_stall #(.Seed(SeedB), .Poly(1), .Thr(ThrB)) u_stall_b (
    .clk(clk), .rst_n(rst_n), .en(stall_en), .on(on_b));

  assign s0_valid = fa_valid && (on_a || hold_a);
  assign s1_valid = fb_valid && (on_b || hold_b);

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      hold_a <= 1'b0;
      hold_b <= 1'b0;
    end else begin
      hold_a <= s0_valid && !s0_ready;
      hold_b <= s1_valid && !s1_ready;
    end
  end

  qr_add #(
    .ABits(ABits), .ASigned(ASigned), .ABipolar(ABipolar),
    .BBits(BBits), .BSigned(BSigned), .BBipolar(BBipolar),
    .MulA(MulA), .MulB(MulB), .OBits(OBits), .PE(PE)
  ) u_dut (
    .clk(clk), .rst_n(rst_n),
    .s0_axis_tdata(fa_data), .s0_axis_tvalid(s0_valid), .s0_axis_tready(s0_ready),
    .s1_axis_tdata(fb_data), .s1_axis_tvalid(s1_valid), .s1_axis_tready(s1_ready),
    .m_axis_tdata(m_axis_tdata), .m_axis_tvalid(m_axis_tvalid), .m_axis_tready(m_axis_tready));
endmodule
`default_nettype wire
