`default_nettype none
// qr_upsample: nearest-neighbour resize by integer factors of an NHWC stream.
// Input frame H x W x C, output frame (H*SH) x (W*SW) x C with
//   out[y][x][c] = in[y / SH][x / SW][c];
// SIMD channels per beat on both sides (SIMD divides C), element 0 in the least
// significant bits; frames back to back.
//
// Row buffer: two banks (double buffer) of one input row each, written in input order
// while the other bank is read out SH times (each pixel SW times in a row), so the
// next row arrives while the current one is repeated.
//   words = 2 * W * C / SIMD, of SIMD * ElemBits bits:  2 * W * C * ElemBits bits.
// It is an inferred simple dual-port RAM with a registered read (one write port, one
// read port), which synthesis maps to LUT RAM when small and block RAM when large
// (Yosys synth_xilinx / Vivado choose by size).
//
// Throughput: the output moves one beat per cycle while the next row is written
// (input needs W*C/SIMD cycles per row, output takes SH*SW times that), so with no
// stalls a frame of back-to-back frames takes exactly H*SH*W*SW*C/SIMD cycles; the
// first output beat comes one input row plus 3 cycles after the first input beat.
// Read pipeline: address -> RAM read register -> output register (m_axis_* are
// registers); s_axis_tready is a flip-flop output.
module qr_upsample #(
  parameter int ElemBits = 4,
  parameter int C = 4,
  parameter int H = 4,
  parameter int W = 4,
  parameter int SH = 2,
  parameter int SW = 2,
  parameter int SIMD = 1
) (
  input  wire                       clk,
  input  wire                       rst_n,
  input  wire  [SIMD*ElemBits-1:0]  s_axis_tdata,
  input  wire                       s_axis_tvalid,
  output logic                      s_axis_tready,
  output logic [SIMD*ElemBits-1:0]  m_axis_tdata,
  output logic                      m_axis_tvalid,
  input  wire                       m_axis_tready
);
  localparam int DB = SIMD * ElemBits;
  localparam int CF = C / SIMD;             // beats per pixel
  localparam int RowBeats = W * CF;         // words per bank
  localparam int Depth = 2 * RowBeats;      // both banks
  localparam int AW = $clog2(Depth);        // Depth >= 2
  localparam int CW = (CF > 1) ? $clog2(CF) : 1;
  localparam int SXW = (SW > 1) ? $clog2(SW) : 1;
  localparam int SYW = (SH > 1) ? $clog2(SH) : 1;

  if (ElemBits < 1 || C < 1 || H < 1 || W < 1 || SH < 1 || SW < 1 || SIMD < 1 ||
      C % SIMD != 0) begin : g_bad
    initial $fatal(1, "qr_upsample: all parameters must be >= 1 and SIMD must divide C");
  end

  // ---------------------------------------------------------------- banks --
  logic [1:0] full, full_next;   // bank holds a complete row not yet read out
  logic wb, rb;                  // bank being written / read
  logic push, wr_last, issue, rd_last;

  assign push = s_axis_tvalid && s_axis_tready;

  always_comb begin
    full_next = full;
    if (wr_last) full_next[wb] = 1'b1;
    if (rd_last) full_next[rb] = 1'b0;
  end

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      full <= '0;
      wb <= 1'b0;
      rb <= 1'b0;
      s_axis_tready <= 1'b0;
    end else begin
      full <= full_next;
      wb <= wb ^ wr_last;
      rb <= rb ^ rd_last;
      // The bank written next cycle must be free; equals !full[wb] one cycle later.
      s_axis_tready <= !full_next[wb ^ wr_last];
    end
  end

  // ---------------------------------------------------------------- write --
  logic [AW-1:0] wa;   // 0 .. RowBeats-1

  assign wr_last = push && (wa == AW'(RowBeats - 1));

  always_ff @(posedge clk) begin
    if (!rst_n) wa <= '0;
    else if (push) wa <= wr_last ? '0 : wa + AW'(1);
  end

  // ----------------------------------------------------------------- read --
  // Order: SH times { for each pixel: SW times { its CF beats } }.
  logic [CW-1:0] c;          // beat within the pixel
  logic [SXW-1:0] sx;        // horizontal repeat
  logic [AW-1:0] pb;         // word of the pixel's first beat (x * CF)
  logic [SYW-1:0] sy;        // vertical repeat
  logic c_last, sx_last, pb_last, sy_last;
  logic [AW-1:0] ra;

  assign c_last = (c == CW'(CF - 1));
  assign sx_last = (sx == SXW'(SW - 1));
  assign pb_last = (pb == AW'((W - 1) * CF));
  assign sy_last = (sy == SYW'(SH - 1));
  assign rd_last = issue && c_last && sx_last && pb_last && sy_last;
  assign ra = pb + AW'(c);

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      c <= '0;
      sx <= '0;
      pb <= '0;
      sy <= '0;
    end else if (issue) begin
      c <= c_last ? '0 : c + CW'(1);
      if (c_last) begin
        sx <= sx_last ? '0 : sx + SXW'(1);
        if (sx_last) begin
          pb <= pb_last ? '0 : pb + AW'(CF);
          if (pb_last) sy <= sy_last ? '0 : sy + SYW'(1);
        end
      end
    end
  end

  // RAM, registered read into q, then the output register.
  logic [DB-1:0] mem [Depth];
  logic [DB-1:0] q;
  logic q_valid, q_move;

  assign q_move = q_valid && (!m_axis_tvalid || m_axis_tready);
  assign issue = full[rb] && (!q_valid || q_move);

  always_ff @(posedge clk) begin
    if (push) mem[wb ? AW'(RowBeats) + wa : wa] <= s_axis_tdata;
    if (issue) q <= mem[rb ? AW'(RowBeats) + ra : ra];
  end

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      q_valid <= 1'b0;
      m_axis_tvalid <= 1'b0;
    end else begin
      if (issue) q_valid <= 1'b1;
      else if (q_move) q_valid <= 1'b0;
      if (q_move) m_axis_tvalid <= 1'b1;
      else if (m_axis_tvalid && m_axis_tready) m_axis_tvalid <= 1'b0;
    end
  end

  always_ff @(posedge clk) begin
    if (q_move) m_axis_tdata <= q;
  end
endmodule
`default_nettype wire
