`default_nettype none
// qr_mvu_mul: the SIMD lanes of one qr_mvu PE, lane s multiplies input element
// x[s*IBits +: IBits] by weight w[s*WBits +: WBits] into p[s*PW +: PW].
//
// Mode (qr_mvu computes it from its parameters):
//   0  xnor:      both bipolar (bit 1 = +1, bit 0 = -1); p = xnor(x, w), 1 bit
//                 per lane (1 when the product is +1).  The caller popcounts.
//   1  bipolar w: p = w ? x : -x                  (PW = XW + 1, signed)
//   2  bipolar x: p = x ? w : -w                  (PW = WW + 1, signed)
//   3  LUT:       p = x * w as explicit shift-and-add partial products over
//                 the bits of w, so synthesis builds it from LUTs/carry chains
//                 and never infers a DSP block (PW = XW + WW, signed)
//   4  DSP:       p = x * w with `*`, for synthesis to map onto a DSP block
//                 (PW = XW + WW, signed)
// XW/WW are the two's complement widths of an element: bits, plus one zero bit
// when unsigned.  PW is the exact product width the caller must give.
//
// All lanes are computed in one always_comb into a local vector that is
// assigned once: Icarus runs this an order of magnitude faster than one
// instance (or one continuous assignment) per lane.
module qr_mvu_mul #(
  parameter int Mode = 3,
  parameter int Lanes = 1,
  parameter int IBits = 4,
  parameter int ISigned = 0,
  parameter int WBits = 4,
  parameter int WSigned = 1,
  parameter int PW = 9
) (
  input  logic [Lanes*IBits-1:0] x,
  input  logic [Lanes*WBits-1:0] w,
  output logic [Lanes*PW-1:0]    p
);
  if (Mode == 0) begin : g_xnor
    assign p = ~(x ^ w);
  end else begin : g_mul
    localparam int WW = WBits + ((WSigned != 0) ? 0 : 1);
    always_comb begin
      logic [Lanes*PW-1:0] pv;
      // Operands sign-extended to the product width, so that every operation
      // is done at PW bits whatever the tool's expression-width rules.
      logic signed [PW-1:0] xe, we, acc;
      for (int s = 0; s < Lanes; s++) begin
        if (ISigned != 0) xe = PW'($signed(x[s*IBits +: IBits]));
        else xe = PW'(x[s*IBits +: IBits]);
        if (WSigned != 0) we = PW'($signed(w[s*WBits +: WBits]));
        else we = PW'(w[s*WBits +: WBits]);
        if (Mode == 1) begin
          acc = we[0] ? xe : -xe;
        end else if (Mode == 2) begin
          acc = xe[0] ? we : -we;
        end else if (Mode == 3) begin
          // sum_i w_i * (x << i) over the WW two's complement bits of w, the
          // top one weighing -2^(WW-1); modulo 2^PW, exact as the product fits.
          acc = '0;
          for (int i = 0; i < WW; i++) begin
            if (we[i]) acc = (i == WW - 1) ? acc - (xe << i) : acc + (xe << i);
          end
        end else begin
          acc = xe * we;
        end
        pv[s*PW +: PW] = acc;
      end
      p = pv;
    end
  end
endmodule
`default_nettype wire
