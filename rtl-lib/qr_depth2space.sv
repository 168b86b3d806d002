`default_nettype none
// qr_depth2space: ONNX DepthToSpace (pixel shuffle) on an NHWC stream.
// Input frame H x W x (C*B*B), output frame (H*B) x (W*B) x C with
//   out[y*B + by][x*B + bx][c] = in[y][x][ch],
//   ch = (by*B + bx)*C + c      Mode 0 (DCR, ONNX default)
//   ch = c*B*B + by*B + bx      Mode 1 (CRD)
// Both streams carry SIMD elements per beat (SIMD divides C), element 0 in the least
// significant bits: an input beat is SIMD consecutive input channels, an output beat
// SIMD consecutive output channels c of one output pixel.  Frames back to back.
//
// Row buffer: two banks (double buffer) of one whole input row each; one bank is
// written in input order while the other is read out as the B output rows it makes.
//   words = 2 * W * C*B*B / SIMD per lane, SIMD lanes of ElemBits bits:
//   2 * W * C * B*B * ElemBits bits in all.
// Each lane is an inferred simple dual-port RAM (one write, one registered read port),
// mapped by synthesis to LUT RAM when small and block RAM when large.
//
// Lanes: element e (input channel within a pixel) of beat k = e / SIMD is stored at
// word k of lane L(e).  DCR: L(e) = e mod SIMD; an output beat is exactly one input
// word, all lanes read the same address.  CRD: an output beat needs elements B*B
// apart, (c0+i)*B*B + q for i < SIMD (q = by*B + bx), which fall into one lane under
// e mod SIMD whenever gcd(B*B, SIMD) > 1.  So CRD stores them skewed:
//   L(e) = (e + (e / lcm(B*B, SIMD)) mod g) mod SIMD,   g = gcd(B*B, SIMD).
// An input beat never crosses a multiple of lcm (a multiple of SIMD), so it is a
// rotation by t = (k / (B*B/g)) mod g; an output beat's elements land in lanes
// (P(i) + q) mod SIMD with P(i) = (i*B*B + i / (SIMD/g)) mod SIMD, all distinct, at
// word pixel*C*B*B/SIMD + c0*B*B/SIMD + (i*B*B + q) / SIMD.  So every lane is read
// once per output beat (its own address) and the read data are rotated back by q:
// one output beat per cycle for every mode and SIMD.
//
// Throughput: input and output both move one beat per cycle (a row has W*C*B*B/SIMD
// beats on each side, the next row is written while the current one is read), so
// with no stalls a frame of back-to-back frames takes H*W*C*B*B/SIMD cycles; the
// first output beat comes one input row plus 3 cycles after the first input beat.
// Read pipeline: address -> RAM read register -> output register (m_axis_* are
// registers); s_axis_tready is a flip-flop output.
module qr_depth2space #(
  parameter int ElemBits = 4,
  parameter int C = 2,
  parameter int H = 4,
  parameter int W = 4,
  parameter int B = 2,
  parameter int Mode = 0,
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
  function automatic int gcd_of(input int a, input int b);
    gcd_of = 1;
    for (int i = 1; i <= a; i++) begin
      if (a % i == 0 && b % i == 0) gcd_of = i;
    end
  endfunction

  localparam int EB = ElemBits;
  localparam int S = SIMD;
  localparam int BB = B * B;
  localparam int NBp = C * BB / S;          // input beats per input pixel
  localparam int CF = C / S;                // output beats per output pixel
  localparam int RowBeats = W * NBp;        // words per bank and lane
  localparam int Depth = 2 * RowBeats;      // both banks
  localparam int AW = (Depth > 1) ? $clog2(Depth) : 1;
  localparam int Crd = (Mode != 0) ? 1 : 0;
  localparam int G = (Crd != 0) ? gcd_of(BB, S) : 1;  // write rotation period
  localparam int KB = (Crd != 0) ? BB / G : 1;        // input beats per rotation step
  localparam int Sg = S / G;
  localparam int MW = (CF > 1) ? $clog2(CF) : 1;
  localparam int BW = (B > 1) ? $clog2(B) : 1;
  localparam int QW = (BB > 1) ? $clog2(BB) : 1;
  localparam int LW = (S > 1) ? $clog2(S) : 1;
  localparam int GW = (G > 1) ? $clog2(G) : 1;
  localparam int KW = (KB > 1) ? $clog2(KB) : 1;
  localparam int XW = $clog2(S * BB + 2 * S) + 1;   // index arithmetic

  // (i*B*B + q) / S for lane i < S and q < B*B, QW bits each at (i*B*B + q)*QW.
  function automatic logic [S*BB*QW-1:0] div_table();
    div_table = '0;
    for (int n = 0; n < S * BB; n++) div_table[n*QW +: QW] = QW'(n / S);
  endfunction
  localparam logic [S*BB*QW-1:0] DivTab = div_table();

  // Lane offset of output element i (the lane is (perm(i) + q) mod S); DCR: i.
  function automatic int perm(input int i);
    perm = (Crd != 0) ? (i * BB + i / Sg) % S : i;
  endfunction

  // The output element that lane l holds when q mod S = r.
  function automatic int src_of(input int l, input int r);
    src_of = 0;
    for (int i = 0; i < S; i++) begin
      if ((perm(i) + r) % S == l) src_of = i;
    end
  endfunction

  if (ElemBits < 1 || C < 1 || H < 1 || W < 1 || B < 1 || SIMD < 1 || C % SIMD != 0 ||
      (Mode != 0 && Mode != 1)) begin : g_bad
    initial $fatal(1, "qr_depth2space: parameters >= 1, SIMD divides C, Mode 0 or 1");
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
      s_axis_tready <= !full_next[wb ^ wr_last];
    end
  end

  // ---------------------------------------------------------------- write --
  logic [AW-1:0] wa, waddr;   // word within the bank (0 .. RowBeats-1), RAM address
  logic [KW-1:0] kk;          // beats within the rotation step (0 .. KB-1)
  logic [GW-1:0] t;           // write rotation (0 .. G-1)
  logic [S*EB-1:0] wdata;     // lane l gets input element (l - t) mod S

  assign wr_last = push && (wa == AW'(RowBeats - 1));
  assign waddr = wb ? AW'(RowBeats) + wa : wa;

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      wa <= '0;
      kk <= '0;
      t <= '0;
    end else if (push) begin
      wa <= wr_last ? '0 : wa + AW'(1);
      // A pixel has C/(S/G) rotation steps, a multiple of G: t is 0 at every pixel.
      if (kk == KW'(KB - 1)) begin
        kk <= '0;
        t <= (t == GW'(G - 1)) ? '0 : t + GW'(1);
      end else begin
        kk <= kk + KW'(1);
      end
    end
  end

  // Input beat twice over, so a rotation is a part-select: lane l <- element S + l - t.
  logic [2*S*EB-1:0] in2;
  assign in2 = {s_axis_tdata, s_axis_tdata};
  for (genvar l = 0; l < S; l++) begin : g_wrot
    logic [XW-1:0] src;
    assign src = XW'(S + l) - XW'(t);
    assign wdata[l*EB +: EB] = in2[src*EB +: EB];
  end

  // ----------------------------------------------------------------- read --
  // Order: for by < B { for each input pixel x { for bx < B { CF beats (m) } } }.
  logic [MW-1:0] m;          // output beat within the output pixel
  logic [BW-1:0] bx, by;
  logic [AW-1:0] pb;         // word of the input pixel's first beat (x * NBp)
  logic m_last, bx_last, pb_last, by_last;
  logic [S*AW-1:0] raddr;    // per lane, within the bank
  logic [LW-1:0] rot;        // read data rotation (CRD: q mod S)

  assign m_last = (m == MW'(CF - 1));
  assign bx_last = (bx == BW'(B - 1));
  assign pb_last = (pb == AW'((W - 1) * NBp));
  assign by_last = (by == BW'(B - 1));
  assign rd_last = issue && m_last && bx_last && pb_last && by_last;

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      m <= '0;
      bx <= '0;
      pb <= '0;
      by <= '0;
    end else if (issue) begin
      m <= m_last ? '0 : m + MW'(1);
      if (m_last) begin
        bx <= bx_last ? '0 : bx + BW'(1);
        if (bx_last) begin
          pb <= pb_last ? '0 : pb + AW'(NBp);
          if (pb_last) by <= by_last ? '0 : by + BW'(1);
        end
      end
    end
  end

  if (Crd == 0) begin : g_dcr
    // Word within the pixel: (by*B + bx)*CF + m, counted up across (bx, m).
    localparam int OfsW = (NBp > 1) ? $clog2(NBp) : 1;
    logic [OfsW-1:0] ofs, row_ofs;   // row_ofs = by*B*CF

    always_ff @(posedge clk) begin
      if (!rst_n) begin
        ofs <= '0;
        row_ofs <= '0;
      end else if (issue) begin
        if (!(m_last && bx_last)) begin
          ofs <= ofs + OfsW'(1);
        end else if (!pb_last) begin
          ofs <= row_ofs;
        end else if (by_last) begin
          ofs <= '0;
          row_ofs <= '0;
        end else begin
          ofs <= row_ofs + OfsW'(B * CF);
          row_ofs <= row_ofs + OfsW'(B * CF);
        end
      end
    end

    for (genvar l = 0; l < S; l++) begin : g_addr
      assign raddr[l*AW +: AW] = pb + AW'(ofs);
    end
    assign rot = '0;
  end else begin : g_crd
    // q = by*B + bx and q mod S, counted alongside; mbb = m * B*B.
    logic [QW-1:0] q, qrow;
    logic [LW-1:0] qs, qrow_s;
    logic [AW-1:0] mbb, base;

    function automatic logic [LW-1:0] inc_s(input logic [LW-1:0] v);
      inc_s = (v == LW'(S - 1)) ? '0 : v + LW'(1);
    endfunction

    always_ff @(posedge clk) begin
      if (!rst_n) begin
        q <= '0;
        qs <= '0;
        qrow <= '0;
        qrow_s <= '0;
        mbb <= '0;
      end else if (issue) begin
        mbb <= m_last ? '0 : mbb + AW'(BB);
        if (m_last) begin
          if (!bx_last) begin
            q <= q + QW'(1);
            qs <= inc_s(qs);
          end else if (!pb_last) begin
            q <= qrow;
            qs <= qrow_s;
          end else if (by_last) begin
            q <= '0;
            qs <= '0;
            qrow <= '0;
            qrow_s <= '0;
          end else begin   // next output row: q = (by+1)*B = q + 1
            q <= q + QW'(1);
            qs <= inc_s(qs);
            qrow <= q + QW'(1);
            qrow_s <= inc_s(qs);
          end
        end
      end
    end

    assign base = pb + mbb;

    // Word of output element i: base + (i*B*B + q) / S.  The quotient (< B*B)
    // is a constant per (i, q), looked up by q: a divider by S (not a power of
    // 2) would cost hundreds of LUTs (ESPCN, S = 3: ~900).
    logic [S*AW-1:0] addr_i;
    for (genvar i = 0; i < S; i++) begin : g_addr_i
      assign addr_i[i*AW +: AW] = base + AW'(DivTab[(i * BB + 32'(q)) * QW +: QW]);
    end

    // Lane l holds output element src_of(l, r) when q mod S = r.
    for (genvar l = 0; l < S; l++) begin : g_addr
      logic [S*AW-1:0] cand;
      for (genvar r = 0; r < S; r++) begin : g_r
        assign cand[r*AW +: AW] = addr_i[src_of(l, r)*AW +: AW];
      end
      assign raddr[l*AW +: AW] = cand[qs*AW +: AW];
    end
    assign rot = qs;
  end

  // Lane RAMs, registered read into lq, then the output register.
  logic [S*EB-1:0] lq, odata;
  logic [LW-1:0] rot_q;
  logic q_valid, q_move;

  assign q_move = q_valid && (!m_axis_tvalid || m_axis_tready);
  assign issue = full[rb] && (!q_valid || q_move);

  for (genvar l = 0; l < S; l++) begin : g_lane
    logic [EB-1:0] mem [Depth];
    logic [AW-1:0] ra;
    assign ra = rb ? AW'(RowBeats) + raddr[l*AW +: AW] : raddr[l*AW +: AW];
    always_ff @(posedge clk) begin
      if (push) mem[waddr] <= wdata[l*EB +: EB];
      if (issue) lq[l*EB +: EB] <= mem[ra];
    end
  end

  always_ff @(posedge clk) begin
    if (issue) rot_q <= rot;
  end

  // Output element i from lane (P(i) + rot) mod S (identity for DCR): a part-select
  // of the lanes twice over.
  logic [2*S*EB-1:0] lq2;
  assign lq2 = {lq, lq};
  for (genvar i = 0; i < S; i++) begin : g_orot
    logic [XW-1:0] src;
    assign src = XW'(perm(i)) + XW'(rot_q);
    assign odata[i*EB +: EB] = lq2[src*EB +: EB];
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
    if (q_move) m_axis_tdata <= odata;
  end
endmodule
`default_nettype wire
