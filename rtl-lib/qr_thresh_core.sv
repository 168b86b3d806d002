`default_nettype none
// qr_thresh_core: multi-threshold activation of one value (combinational).
//
//   y = (#{ t in 0..NumThresholds-1 : value >= thresholds[t] } + OBias) mod 2^OBits
//
// i.e. FINN/QONNX MultiThreshold: the count of thresholds the value reaches,
// plus an output offset.  value is two's complement (VBits; a caller with an
// unsigned value zero-extends it by one bit), threshold t is two's complement
// at thresholds[t*TBits +: TBits].  Thresholds are expected in ascending order
// (as MultiThreshold defines them) but the count does not rely on it.
// The caller chooses OBits so that OBias .. OBias+NumThresholds fits (as
// unsigned if OBias >= 0, else as two's complement): e.g. T=3, OBias=-2 gives
// a signed 2-bit output -2..1; T=1, OBias=0, OBits=1 is a bipolar output
// (bit 1 = +1).  All NumThresholds comparisons run in parallel and are
// counted by an adder tree.  Shared by qr_mvu (fused thresholds) and
// qr_threshold.
module qr_thresh_core #(
  parameter int VBits = 8,
  parameter int NumThresholds = 1,
  parameter int TBits = 9,
  parameter int OBits = $clog2(NumThresholds + 1),
  parameter int OBias = 0
) (
  input  logic [VBits-1:0]               value,
  input  logic [NumThresholds*TBits-1:0] thresholds,
  output logic [OBits-1:0]               y
);
  localparam int CW = (VBits > TBits) ? VBits : TBits;
  localparam int NW = $clog2(NumThresholds + 1);  // width of the count

  logic [NumThresholds-1:0] ge;
  logic [NW-1:0] cnt;

  // All comparisons in one always_comb, the result assigned once (Icarus
  // elaborates and runs this far faster than one generate block per threshold).
  always_comb begin
    logic [NumThresholds-1:0] g;
    logic signed [CW-1:0] v, th;
    v = CW'($signed(value));
    for (int t = 0; t < NumThresholds; t++) begin
      th = CW'($signed(thresholds[t*TBits +: TBits]));
      g[t] = (v >= th);
    end
    ge = g;
  end

  qr_mvu_addtree #(.N(NumThresholds), .InW(1), .Signed(0), .OutW(NW)) u_count (
    .in(ge), .sum(cnt));

  // Modulo 2^OBits: the count and the bias are both taken at OBits bits.
  assign y = OBits'(cnt) + OBits'(OBias);
endmodule
`default_nettype wire
