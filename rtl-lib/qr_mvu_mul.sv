`default_nettype none
// qr_mvu_mul: one SIMD lane of qr_mvu, input element x times weight w.
//
// Mode (qr_mvu computes it from its parameters):
//   0  xnor:      both bipolar (bit 1 = +1, bit 0 = -1); p = xnor(x, w), 1 bit
//                 unsigned (1 when the product is +1).  The caller popcounts.
//   1  bipolar w: p = w ? x : -x                  (PW = XW + 1, signed)
//   2  bipolar x: p = x ? w : -w                  (PW = WW + 1, signed)
//   3  LUT:       p = x * w as explicit shift-and-add partial products over
//                 the bits of w, so synthesis builds it from LUTs/carry chains
//                 and never infers a DSP block (PW = XW + WW, signed)
//   4  DSP:       p = x * w with `*`, for synthesis to map onto a DSP block
//                 (PW = XW + WW, signed)
// XW/WW are the two's complement widths of an element: bits, plus one zero bit
// when unsigned.  PW is the exact product width the caller must give.
module qr_mvu_mul #(
  parameter int Mode = 3,
  parameter int IBits = 4,
  parameter int ISigned = 0,
  parameter int WBits = 4,
  parameter int WSigned = 1,
  parameter int PW = 9
) (
  input  logic [IBits-1:0] x,
  input  logic [WBits-1:0] w,
  output logic [PW-1:0]    p
);
  // Operands as two's complement values sign-extended to the product width,
  // so that every operation below is done at PW bits whatever the tool's
  // expression-width rules.
  logic signed [PW-1:0] xe, we;
  if (ISigned != 0) begin : g_xs
    assign xe = PW'($signed(x));
  end else begin : g_xu
    assign xe = PW'(x);
  end
  if (WSigned != 0) begin : g_ws
    assign we = PW'($signed(w));
  end else begin : g_wu
    assign we = PW'(w);
  end

  if (Mode == 0) begin : g_xnor
    assign p = ~(x ^ w);
    // The extended operands are not needed for bipolar x bipolar.
    logic unused;
    assign unused = ^{xe, we};
  end else if (Mode == 1) begin : g_bipw
    assign p = w[0] ? xe : -xe;
    logic unused;
    assign unused = ^we;
  end else if (Mode == 2) begin : g_bipx
    assign p = x[0] ? we : -we;
    logic unused;
    assign unused = ^xe;
  end else if (Mode == 3) begin : g_lut
    // sum_i w_i * (x << i) over the WW two's complement bits of w, the top
    // one weighing -2^(WW-1).  Everything is modulo 2^PW, which is exact
    // because the product fits.
    localparam int WW = WBits + ((WSigned != 0) ? 0 : 1);
    always_comb begin
      p = '0;
      for (int i = 0; i < WW; i++) begin
        if (we[i]) begin
          if (i == WW - 1) p = p - (xe << i);
          else p = p + (xe << i);
        end
      end
    end
  end else begin : g_dsp
    assign p = xe * we;
  end
endmodule
`default_nettype wire
