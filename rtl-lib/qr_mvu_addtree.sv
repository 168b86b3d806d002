`default_nettype none
// qr_mvu_addtree: combinational balanced adder tree over N lanes (any N >= 1).
//
// Lane i is in[i*InW +: InW], two's complement if Signed != 0, else unsigned.
// sum has exactly the width the sum can need, OutW = InW + clog2(N), and is
// signed/unsigned like the lanes.  The tree splits N into N/2 and N - N/2
// recursively, so every adder is only as wide as its partial sum: a popcount
// of 784 bits costs ~2*784 adder bits, not 784 ten-bit adders as a
// `for` loop accumulation would.
//
// Used by qr_mvu (dot products, popcounts) and qr_thresh_core (comparator
// votes).
module qr_mvu_addtree #(
  parameter int N = 4,
  parameter int InW = 1,
  parameter int Signed = 0,
  parameter int OutW = InW + $clog2(N)
) (
  input  logic [N*InW-1:0] in,
  output logic [OutW-1:0]  sum
);
  if (N == 1) begin : g_leaf
    if (Signed != 0) begin : g_s
      assign sum = OutW'($signed(in));
    end else begin : g_u
      assign sum = OutW'(in);
    end
  end else begin : g_node
    localparam int NA = N / 2;
    localparam int NB = N - NA;
    localparam int WA = InW + $clog2(NA);
    localparam int WB = InW + $clog2(NB);
    logic [WA-1:0] sum_a;
    logic [WB-1:0] sum_b;
    qr_mvu_addtree #(.N(NA), .InW(InW), .Signed(Signed), .OutW(WA)) u_a (
      .in(in[NA*InW-1:0]), .sum(sum_a));
    qr_mvu_addtree #(.N(NB), .InW(InW), .Signed(Signed), .OutW(WB)) u_b (
      .in(in[N*InW-1:NA*InW]), .sum(sum_b));
    if (Signed != 0) begin : g_s
      assign sum = OutW'($signed(sum_a)) + OutW'($signed(sum_b));
    end else begin : g_u
      assign sum = OutW'(sum_a) + OutW'(sum_b);
    end
  end
endmodule
`default_nettype wire
