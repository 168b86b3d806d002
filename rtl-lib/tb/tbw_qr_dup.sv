`default_nettype none
// tbw_qr_dup: test-only wrapper presenting qr_dup to the single-stream harness.
//
// Harness input beat: {stall_en, data} (DataBits + 1 bits) -> qr_dup's s_axis.
// Each output branch m0/m1 is back-pressured by its own random stall source
// (tbw_qr_stall, different seed and polynomial; tready is simply gated) into its own
// qr_fifo; the harness output zips the two FIFOs back into one beat {m1, m0}
// (2 * DataBits), taken when both hold a beat.  stall_en of the latest accepted beat
// turns both stall sources on or off (off: the harness's own regime only).
module tbw_qr_dup #(
  parameter int DataBits = 8,
  parameter int Seed0 = 4660,
  parameter int Seed1 = 22136,
  parameter int Thr0 = 6,
  parameter int Thr1 = 9
) (
  input  wire                   clk,
  input  wire                   rst_n,
  input  wire  [DataBits:0]     s_axis_tdata,
  input  wire                   s_axis_tvalid,
  output logic                  s_axis_tready,
  output logic [2*DataBits-1:0] m_axis_tdata,
  output logic                  m_axis_tvalid,
  input  wire                   m_axis_tready
);
  logic stall_en, on0, on1;
  logic [DataBits-1:0] d0, d1, f0_data, f1_data;
  logic v0, v1, r0, r1, f0_ready, f1_ready, f0_valid, f1_valid, zip;

  always_ff @(posedge clk) begin
    if (!rst_n) stall_en <= 1'b0;
    else if (s_axis_tvalid && s_axis_tready) stall_en <= s_axis_tdata[DataBits];
  end

  qr_dup #(.DataBits(DataBits)) u_dut (
    .clk(clk), .rst_n(rst_n),
    .s_axis_tdata(s_axis_tdata[DataBits-1:0]), .s_axis_tvalid(s_axis_tvalid),
    .s_axis_tready(s_axis_tready),
    .m0_axis_tdata(d0), .m0_axis_tvalid(v0), .m0_axis_tready(r0),
    .m1_axis_tdata(d1), .m1_axis_tvalid(v1), .m1_axis_tready(r1));

  tbw_qr_stall #(.Seed(Seed0), .Poly(0), .Thr(Thr0)) u_stall0 (
    .clk(clk), .rst_n(rst_n), .en(stall_en), .on(on0));
  tbw_qr_stall #(.Seed(Seed1), .Poly(1), .Thr(Thr1)) u_stall1 (
    .clk(clk), .rst_n(rst_n), .en(stall_en), .on(on1));

  assign r0 = f0_ready && on0;
  assign r1 = f1_ready && on1;

  qr_fifo #(.DataBits(DataBits), .Depth(4), .RamStyle("distributed")) u_f0 (
    .clk(clk), .rst_n(rst_n),
    .s_axis_tdata(d0), .s_axis_tvalid(v0 && on0), .s_axis_tready(f0_ready),
    .m_axis_tdata(f0_data), .m_axis_tvalid(f0_valid), .m_axis_tready(zip));
  qr_fifo #(.DataBits(DataBits), .Depth(4), .RamStyle("distributed")) u_f1 (
    .clk(clk), .rst_n(rst_n),
    .s_axis_tdata(d1), .s_axis_tvalid(v1 && on1), .s_axis_tready(f1_ready),
    .m_axis_tdata(f1_data), .m_axis_tvalid(f1_valid), .m_axis_tready(zip));

  assign m_axis_tvalid = f0_valid && f1_valid;
  assign m_axis_tdata = {f1_data, f0_data};
  assign zip = m_axis_tvalid && m_axis_tready;
endmodule
`default_nettype wire
