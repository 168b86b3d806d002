`default_nettype none
// tbw_qr_stall: test-only random stall source for the multi-stream testbench wrappers
// (tbw_qr_*.sv).  A 16-bit Fibonacci LFSR (Poly selects one of two maximal-length
// polynomials, so two instances with different seeds and polynomials are independent)
// advances every cycle; `on` is 1 unless the stall is enabled and the low 4 bits of the
// LFSR are below Thr (probability of a stall cycle about Thr/16; consecutive states
// overlap, so stalls come in short bursts).
module tbw_qr_stall #(
  parameter int Seed = 1,
  parameter int Poly = 0,
  parameter int Thr = 6
) (
  input  wire  clk,
  input  wire  rst_n,
  input  wire  en,
  output logic on
);
  logic [15:0] lfsr;
  logic fb;

  if (Poly == 0) begin : g_p0  // x^16 + x^14 + x^13 + x^11 + 1
    assign fb = lfsr[15] ^ lfsr[13] ^ lfsr[12] ^ lfsr[10];
  end else begin : g_p1        // x^16 + x^15 + x^13 + x^4 + 1
    assign fb = lfsr[15] ^ lfsr[14] ^ lfsr[12] ^ lfsr[3];
  end

  always_ff @(posedge clk) begin
    if (!rst_n) lfsr <= (16'(Seed) == 16'd0) ? 16'hace1 : 16'(Seed);
    else lfsr <= {lfsr[14:0], fb};
  end

  assign on = !en || (lfsr[3:0] >= 4'(Thr));
endmodule
`default_nettype wire
