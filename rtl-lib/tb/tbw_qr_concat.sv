`default_nettype none
// tbw_qr_concat: test-only wrapper presenting qr_concat to the single-stream harness.
//
// Harness input beat: {stall_en, tag, data} (PE*ElemBits + 2 bits): tag 0 sends data
// to input a (s0), tag 1 to input b (s1), through one qr_fifo per input; each FIFO
// feeds the unit through its own random stall gate (tbw_qr_stall, different seed and
// polynomial; once raised, tvalid holds until the handshake), so a and b arrive with
// independent gaps.  The testbench interleaves a and b beats with a bounded lead
// (never more beats of one input outstanding than its FIFO holds), else a full FIFO
// would block the beat the unit needs.  stall_en of the latest accepted beat turns
// both gates on or off.  Harness output = qr_concat's m_axis.
module tbw_qr_concat #(
  parameter int ElemBits = 4,
  parameter int CA = 4,
  parameter int CB = 4,
  parameter int PE = 1,
  parameter int SeedA = 4660,
  parameter int SeedB = 22136,
  parameter int ThrA = 6,
  parameter int ThrB = 9
) (
  input  wire                     clk,
  input  wire                     rst_n,
  input  wire  [PE*ElemBits+1:0]  s_axis_tdata,
  input  wire                     s_axis_tvalid,
  output logic                    s_axis_tready,
  output logic [PE*ElemBits-1:0]  m_axis_tdata,
  output logic                    m_axis_tvalid,
  input  wire                     m_axis_tready
);
  localparam int DB = PE * ElemBits;

  logic stall_en, tag, fa_ready, fb_ready, fa_valid, fb_valid;
  logic s0_valid, s1_valid, s0_ready, s1_ready, on_a, on_b, hold_a, hold_b;
  logic [DB-1:0] fa_data, fb_data;

  assign tag = s_axis_tdata[DB];
  assign s_axis_tready = s_axis_tvalid && (tag ? fb_ready : fa_ready);

  always_ff @(posedge clk) begin
    if (!rst_n) stall_en <= 1'b0;
    else if (s_axis_tvalid && s_axis_tready) stall_en <= s_axis_tdata[DB+1];
  end

  qr_fifo #(.DataBits(DB), .Depth(4), .RamStyle("distributed")) u_fa (
    .clk(clk), .rst_n(rst_n),
    .s_axis_tdata(s_axis_tdata[DB-1:0]), .s_axis_tvalid(s_axis_tvalid && !tag),
    .s_axis_tready(fa_ready),
    .m_axis_tdata(fa_data), .m_axis_tvalid(fa_valid), .m_axis_tready(s0_valid && s0_ready));
  qr_fifo #(.DataBits(DB), .Depth(4), .RamStyle("distributed")) u_fb (
    .clk(clk), .rst_n(rst_n),
    .s_axis_tdata(s_axis_tdata[DB-1:0]), .s_axis_tvalid(s_axis_tvalid && tag),
    .s_axis_tready(fb_ready),
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

  qr_concat #(.ElemBits(ElemBits), .CA(CA), .CB(CB), .PE(PE)) u_dut (
    .clk(clk), .rst_n(rst_n),
    .s0_axis_tdata(fa_data), .s0_axis_tvalid(s0_valid), .s0_axis_tready(s0_ready),
    .s1_axis_tdata(fb_data), .s1_axis_tvalid(s1_valid), .s1_axis_tready(s1_ready),
    .m_axis_tdata(m_axis_tdata), .m_axis_tvalid(m_axis_tvalid), .m_axis_tready(m_axis_tready));
endmodule
`default_nettype wire
