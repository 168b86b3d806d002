`default_nettype none
// qr_dwc: AXI4-Stream data-width converter from InElems to OutElems elements of
// ElemBits bits per beat, any ratio (integer or not, e.g. 8 -> 49 and 49 -> 8).
//
// The stream is a continuous sequence of elements: element order is preserved (element
// 0 of a beat in the least significant bits, the next beat continues the sequence), so
// no frame parameter is needed.  A frame of F elements maps to whole beats on both
// sides iff F is a multiple of both InElems and OutElems (hence of their lcm); otherwise
// output beats straddle frame boundaries.
//
// Structure: one buffer of BufG groups of G = gcd(InElems, OutElems) elements, filled
// from the bottom.  The oldest OutElems elements are the output beat (m_axis_tvalid =
// "at least OutElems buffered"); an input beat is written just above the buffered
// elements (after this cycle's output shift).  Positions are always multiples of G
// (a shifter over group positions; for integer ratios a beat select).  BufG is sized so that the faster side runs at one beat per cycle:
// full throughput (the slower side never waits on the faster one) with no stalls.
// s_axis_tready is a register; m_axis_* are functions of registers only.  Latency 1.
module qr_dwc #(
  parameter int ElemBits = 8,
  parameter int InElems = 1,
  parameter int OutElems = 1
) (
  input  wire                          clk,
  input  wire                          rst_n,
  input  wire  [InElems*ElemBits-1:0]  s_axis_tdata,
  input  wire                          s_axis_tvalid,
  output logic                         s_axis_tready,
  output logic [OutElems*ElemBits-1:0] m_axis_tdata,
  output logic                         m_axis_tvalid,
  input  wire                          m_axis_tready
);
  function automatic int gcd_of(input int a, input int b);
    gcd_of = 1;
    for (int i = 1; i <= a; i++) begin
      if (a % i == 0 && b % i == 0) gcd_of = i;
    end
  endfunction

  localparam int G = gcd_of(InElems, OutElems);
  localparam int InG = InElems / G;
  localparam int OutG = OutElems / G;
  localparam int MaxG = (InG > OutG) ? InG : OutG;
  localparam int MinG = (InG > OutG) ? OutG : InG;
  // Full rate needs room for: the slower side's beat, plus two of the faster side's
  // (one being consumed/produced, one arriving while s_axis_tready is registered).
  localparam int BufG = MaxG + 2 * MinG - 1;
  localparam int GB = G * ElemBits;      // bits per group
  localparam int CW = $clog2(BufG + 1);  // count of groups held

  logic [BufG*GB-1:0] buffer, shifted, nxt;
  logic [CW-1:0] cnt, base, cnt_next;
  logic push, pop;

  assign m_axis_tvalid = (cnt >= CW'(OutG));
  assign m_axis_tdata = buffer[OutElems*ElemBits-1:0];
  assign push = s_axis_tvalid && s_axis_tready;
  assign pop = m_axis_tvalid && m_axis_tready;

  always_comb begin
    shifted = buffer;
    base = cnt;
    if (pop) begin
      shifted = buffer >> (OutG * GB);
      base = cnt - CW'(OutG);
    end
    nxt = shifted;
    cnt_next = base;
    if (push) begin
      cnt_next = base + CW'(InG);
      // Write the input beat at group position `base` (a shift by a multiple of GB;
      // s_axis_tready guarantees base <= BufG - InG, so nothing is shifted out).
      nxt = (shifted & ~((BufG*GB)'({InElems*ElemBits{1'b1}}) << (base * GB)))
          | ((BufG*GB)'(s_axis_tdata) << (base * GB));
    end
  end

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      cnt <= '0;
      s_axis_tready <= 1'b0;
    end else begin
      cnt <= cnt_next;
      s_axis_tready <= (cnt_next <= CW'(BufG - InG));
    end
  end

  always_ff @(posedge clk) begin
    buffer <= nxt;
  end
endmodule
`default_nettype wire
