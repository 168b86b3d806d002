`default_nettype none
// qr_pad: constant padding of a stream of NHWC images (Pad / the padding of a Conv).
//
// Needs: qr_skid.sv.
//
// Input frame: H x W pixels of C channels, row-major, channels innermost, SIMD
// channels per beat (C/SIMD beats per pixel; channel cf*SIMD + i of a pixel at
// [i*ElemBits +: ElemBits] of beat cf).  Output frame: OH x OW pixels, OH = PadT + H +
// PadB, OW = PadL + W + PadR, same packing: output pixel (y, x) is input pixel
// (y - PadT, x - PadL) where that lies inside the input, else every element is the low
// ElemBits bits of PadValue (so -8 gives the INT4 minimum 4'b1000).  Frames follow
// each other back to back without tlast; the unit counts (C/SIMD) * OW * OH output beats
// per frame.  SIMD must divide C.
//
// Structure: a skid buffer (qr_skid) registers s_axis_tready; the core walks the
// output frame with counters (cf, x, y) and loads the output register either from the
// skid (interior beat) or with the pad constant (border beat).  m_axis_* are
// registers, s_axis_tready is a register.
// Throughput: with no stalls one output beat per cycle (border beats need no input),
// so a frame takes OH * OW * C/SIMD cycles; input beats are accepted at one per cycle
// while the interior is emitted.
// Latency: an input beat accepted in cycle t is offered at the output in cycle t + 2
// at the earliest (skid, output register); so is a frame's first output beat (border
// or not) relative to the frame's first input beat: a frame's output begins only when
// its first input beat is there, so nothing of a frame that never comes is emitted.
// After that, border beats need no input.
// Storage: 3 * SIMD * ElemBits flip-flops (2 in the skid, 1 output register).
module qr_pad #(
  parameter int ElemBits = 8,
  parameter int C = 1,
  parameter int H = 4,
  parameter int W = 4,
  parameter int PadT = 0,
  parameter int PadB = 0,
  parameter int PadL = 0,
  parameter int PadR = 0,
  parameter int SIMD = 1,
  parameter int PadValue = 0
) (
  input  wire                      clk,
  input  wire                      rst_n,
  input  wire  [SIMD*ElemBits-1:0] s_axis_tdata,
  input  wire                      s_axis_tvalid,
  output logic                     s_axis_tready,
  output logic [SIMD*ElemBits-1:0] m_axis_tdata,
  output logic                     m_axis_tvalid,
  input  wire                      m_axis_tready
);
  localparam int DB = SIMD * ElemBits;
  localparam int CF = C / SIMD;
  localparam int OH = PadT + H + PadB;
  localparam int OW = PadL + W + PadR;
  localparam int CfW = (CF > 1) ? $clog2(CF) : 1;
  localparam int XW = (OW > 1) ? $clog2(OW) : 1;
  localparam int YW = (OH > 1) ? $clog2(OH) : 1;
  // The pad element: the low ElemBits bits of PadValue (sign-extended first if wider).
  localparam logic [ElemBits-1:0] PadElem = ElemBits'(PadValue);
  localparam logic [DB-1:0] PadBeat = {SIMD{PadElem}};

  if (SIMD < 1 || C < 1 || C % SIMD != 0) begin : g_bad_simd
    initial $fatal(1, "qr_pad: SIMD must divide C");
  end
  if (H < 1 || W < 1 || PadT < 0 || PadB < 0 || PadL < 0 || PadR < 0 || ElemBits < 1) begin : g_bad_shape
    initial $fatal(1, "qr_pad: H, W, ElemBits must be >= 1 and the pads >= 0");
  end

  // Input side: registered s_axis_tready.
  logic [DB-1:0] in_data;
  logic in_valid, in_ready;
  qr_skid #(.DataBits(DB)) u_skid (
    .clk(clk), .rst_n(rst_n),
    .s_axis_tdata(s_axis_tdata), .s_axis_tvalid(s_axis_tvalid), .s_axis_tready(s_axis_tready),
    .m_axis_tdata(in_data), .m_axis_tvalid(in_valid), .m_axis_tready(in_ready));

  // Position of the next output beat; row_in / col_in: y (x) lies inside the input.
  logic [CfW-1:0] cf;
  logic [XW-1:0] x;
  logic [YW-1:0] y;
  logic row_in, col_in, interior, out_free, step, started;
  logic last_cf, last_x, last_y;

  // A frame's output starts only once its first input beat is in the skid (the top
  // border of a frame that has not arrived is not emitted); from then on border beats
  // need no input.  The skid holds the next frame's first beat early, so back-to-back
  // frames do not lose a cycle to this.
  assign interior = row_in && col_in;
  assign out_free = !m_axis_tvalid || m_axis_tready;
  assign step = out_free && (interior ? in_valid : (started || in_valid));
  assign in_ready = out_free && interior;
  assign last_cf = (cf == CfW'(CF - 1));
  assign last_x = (x == XW'(OW - 1));
  assign last_y = (y == YW'(OH - 1));

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      cf <= '0;
      x <= '0;
      y <= '0;
      row_in <= (PadT == 0);
      col_in <= (PadL == 0);
      m_axis_tvalid <= 1'b0;
      started <= 1'b0;
    end else begin
      if (step) begin
        m_axis_tvalid <= 1'b1;
      end else if (m_axis_tready) begin
        m_axis_tvalid <= 1'b0;
      end
      if (step) begin
        started <= !(last_cf && last_x && last_y);
        cf <= last_cf ? '0 : cf + CfW'(1);
        if (last_cf) begin
          // Columns: enter the interior after column PadL-1, leave after PadL+W-1.
          if (last_x) begin
            x <= '0;
            col_in <= (PadL == 0);
          end else begin
            x <= x + XW'(1);
            if (PadL > 0 && x == XW'(PadL - 1)) col_in <= 1'b1;
            else if (x == XW'(PadL + W - 1)) col_in <= 1'b0;
          end
          if (last_x) begin
            if (last_y) begin
              y <= '0;
              row_in <= (PadT == 0);
            end else begin
              y <= y + YW'(1);
              if (PadT > 0 && y == YW'(PadT - 1)) row_in <= 1'b1;
              else if (y == YW'(PadT + H - 1)) row_in <= 1'b0;
            end
          end
        end
      end
    end
  end

  always_ff @(posedge clk) begin
    if (step) m_axis_tdata <= interior ? in_data : PadBeat;
  end
endmodule
`default_nettype wire
