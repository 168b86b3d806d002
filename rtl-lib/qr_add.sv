`default_nettype none
// qr_add: element-wise weighted sum of two AXI4-Streams (residual add),
//   out = MulA * a + MulB * b,
// PE elements per beat on all three streams, element 0 in the least significant bits.
//
// Inputs: a (s0_axis, ABits per element), b (s1_axis, BBits per element), each
// unsigned, two's complement (XSigned = 1) or bipolar (XBipolar = 1: one bit, 1 = +1,
// 0 = -1).  MulA, MulB: integer constants of either sign (|Mul| < 2^31).
// Output: two's complement, OBits per element.  The sum is computed modulo 2^OBits,
// which is the exact value whenever OBits is wide enough for it (the compiler passes
// the exact width from interval arithmetic); constant multiplies reduce to shifts and
// adds (bipolar operands: +-Mul, a 2:1 mux).
//
// Handshake: one beat of a and one beat of b make one output beat (consumed together);
// a and b may arrive with independent gaps.  Each input has a skid buffer (qr_skid),
// so s0_axis_tready and s1_axis_tready are flip-flop outputs; m_axis_* come from the
// output register.  One beat per cycle without stalls; latency 2 cycles.
// Flip-flops: 2 * PE * (ABits + BBits) + 2 (skids) + PE * OBits + 1 (output).
module qr_add #(
  parameter int ABits = 4,
  parameter int ASigned = 0,
  parameter int ABipolar = 0,
  parameter int BBits = 4,
  parameter int BSigned = 0,
  parameter int BBipolar = 0,
  parameter int MulA = 1,
  parameter int MulB = 1,
  parameter int OBits = 10,
  parameter int PE = 1
) (
  input  wire                   clk,
  input  wire                   rst_n,
  input  wire  [PE*ABits-1:0]   s0_axis_tdata,
  input  wire                   s0_axis_tvalid,
  output logic                  s0_axis_tready,
  input  wire  [PE*BBits-1:0]   s1_axis_tdata,
  input  wire                   s1_axis_tvalid,
  output logic                  s1_axis_tready,
  output logic [PE*OBits-1:0]   m_axis_tdata,
  output logic                  m_axis_tvalid,
  input  wire                   m_axis_tready
);
  localparam int MaxIn = (ABits > BBits) ? ABits : BBits;
  // Working width: holds either input extended by one bit and the OBits result.
  localparam int XW = ((OBits > MaxIn) ? OBits : MaxIn) + 1;

  if (ABits < 1 || BBits < 1 || OBits < 1 || PE < 1) begin : g_bad
    initial $fatal(1, "qr_add: ABits, BBits, OBits and PE must be >= 1");
  end
  if ((ABipolar != 0 && ABits != 1) || (BBipolar != 0 && BBits != 1)) begin : g_bad_bip
    initial $fatal(1, "qr_add: a bipolar input has 1 bit per element");
  end

  // A 32-bit integer sign-extended (or truncated) to XW bits.
  function automatic logic [XW-1:0] sext_int(input int v);
    for (int i = 0; i < XW; i++) sext_int[i] = v[(i < 32) ? i : 31];
  endfunction

  localparam logic [XW-1:0] MA = sext_int(MulA);
  localparam logic [XW-1:0] MB = sext_int(MulB);

  // Input skids: registered tready towards the producers.
  logic [PE*ABits-1:0] a_data;
  logic [PE*BBits-1:0] b_data;
  logic a_valid, b_valid, a_ready, b_ready;

  qr_skid #(.DataBits(PE*ABits)) u_skid_a (
    .clk(clk), .rst_n(rst_n),
    .s_axis_tdata(s0_axis_tdata), .s_axis_tvalid(s0_axis_tvalid), .s_axis_tready(s0_axis_tready),
    .m_axis_tdata(a_data), .m_axis_tvalid(a_valid), .m_axis_tready(a_ready));
  qr_skid #(.DataBits(PE*BBits)) u_skid_b (
    .clk(clk), .rst_n(rst_n),
    .s_axis_tdata(s1_axis_tdata), .s_axis_tvalid(s1_axis_tvalid), .s_axis_tready(s1_axis_tready),
    .m_axis_tdata(b_data), .m_axis_tvalid(b_valid), .m_axis_tready(b_ready));

  // Join: both operands present and the output register free (or leaving).
  logic fire;
  assign fire = a_valid && b_valid && (!m_axis_tvalid || m_axis_tready);
  assign a_ready = fire;
  assign b_ready = fire;

  // Operands extended to XW bits, products and sum modulo 2^OBits.
  logic [PE*OBits-1:0] sum;
  for (genvar i = 0; i < PE; i++) begin : g_pe
    logic [XW-1:0] ax, bx;
    if (ABipolar != 0) begin : g_a_bip
      assign ax = a_data[i] ? XW'(1) : '1;
    end else if (ASigned != 0) begin : g_a_sgn
      assign ax = {{(XW-ABits){a_data[i*ABits+ABits-1]}}, a_data[i*ABits +: ABits]};
    end else begin : g_a_uns
      assign ax = {{(XW-ABits){1'b0}}, a_data[i*ABits +: ABits]};
    end
    if (BBipolar != 0) begin : g_b_bip
      assign bx = b_data[i] ? XW'(1) : '1;
    end else if (BSigned != 0) begin : g_b_sgn
      assign bx = {{(XW-BBits){b_data[i*BBits+BBits-1]}}, b_data[i*BBits +: BBits]};
    end else begin : g_b_uns
      assign bx = {{(XW-BBits){1'b0}}, b_data[i*BBits +: BBits]};
    end
    // Two's complement products and sums modulo 2^XW are sign-agnostic.
    assign sum[i*OBits +: OBits] = OBits'(ax * MA + bx * MB);
  end

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      m_axis_tvalid <= 1'b0;
    end else if (!m_axis_tvalid || m_axis_tready) begin
      m_axis_tvalid <= a_valid && b_valid;
    end
  end

  always_ff @(posedge clk) begin
    if (fire) m_axis_tdata <= sum;
  end
endmodule
`default_nettype wire
