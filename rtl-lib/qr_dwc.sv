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
// Full throughput: with no stalls the faster side moves one beat per cycle (the slower
// side never waits).  s_axis_tready is a register; m_axis_* are functions of registers
// only.  Three structures, chosen by the ratio:
//   OutElems = k * InElems (k >= 2), "gather": input beats are written into slot idx of
//     an assembly register; a complete beat moves to the output register (directly
//     with its last slot, or from the assembly register if the output was still busy).
//     Latency 1 after the last slot.  About 2 * OutElems * ElemBits flip-flops.
//   InElems = k * OutElems (k >= 1), "scatter": two input registers used in turn, the
//     older full one offered slice by slice (a 2k:1 multiplexer; k = 1 is a skid
//     buffer).  Latency 1.
//   otherwise (non-integer ratio): a gearbox buffer of BufG groups of
//     G = gcd(InElems, OutElems) elements, filled from the bottom; the oldest OutElems
//     elements are the output beat, an input beat is written just above the buffered
//     ones (a shifter over group positions).  BufG is sized for full rate.  Latency 1.
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

  localparam int IB = InElems * ElemBits;   // input beat bits
  localparam int OB = OutElems * ElemBits;  // output beat bits

  logic push, pop;
  assign push = s_axis_tvalid && s_axis_tready;
  assign pop = m_axis_tvalid && m_axis_tready;

  if (OutG > 1 && InG == 1) begin : g_gather
    localparam int Kr = OutG;                    // input beats per output beat
    localparam int IW = $clog2(Kr);
    logic [OB-1:0] acc, out_q;
    logic [IW-1:0] idx;
    logic acc_full, out_valid, last_in, out_free, acc_full_next;

    assign last_in = push && (idx == IW'(Kr - 1));
    assign out_free = !out_valid || m_axis_tready;
    assign m_axis_tvalid = out_valid;
    assign m_axis_tdata = out_q;
    // A complete beat waits in acc only if the output register is busy.
    assign acc_full_next = acc_full ? !out_free : (last_in && !out_free);

    always_ff @(posedge clk) begin
      if (!rst_n) begin
        idx <= '0;
        acc_full <= 1'b0;
        out_valid <= 1'b0;
        s_axis_tready <= 1'b0;
      end else begin
        if (push) idx <= last_in ? '0 : idx + IW'(1);
        acc_full <= acc_full_next;
        if (acc_full || last_in) begin
          if (out_free) out_valid <= 1'b1;
        end else if (pop) begin
          out_valid <= 1'b0;
        end
        s_axis_tready <= !acc_full_next;
      end
    end

    always_ff @(posedge clk) begin
      for (int j = 0; j < Kr; j++) begin   // slot decode (cheaper than acc[idx*IB +: IB])
        if (push && idx == IW'(j)) acc[j*IB +: IB] <= s_axis_tdata;
      end
      if (acc_full && out_free) begin
        out_q <= acc;
      end else if (last_in && out_free) begin
        out_q <= acc;
        out_q[(Kr-1)*IB +: IB] <= s_axis_tdata;
      end
    end
  end else if (OutG == 1) begin : g_scatter
    // Two input registers used in turn, each loaded straight from s_axis_tdata
    // (no multiplexer in front of the input bits); the output is a 2*Kr:1
    // multiplexer over both, slice idx of the register rsel.
    localparam int Kr = InG;                     // output beats per input beat (>= 1)
    localparam int IW = (Kr > 1) ? $clog2(Kr) : 1;
    logic [IB-1:0] buf0, buf1;
    logic full0, full1, full0_next, full1_next;
    logic wsel, rsel, last, wsel_next;
    logic [IW-1:0] idx;

    assign last = pop && (idx == IW'(Kr - 1));
    assign m_axis_tvalid = rsel ? full1 : full0;
    // Slices at a power-of-two stride (the padding is constant and vanishes), so
    // that selecting slice idx is a plain multiplexer, not a shifter by idx*OB.
    localparam int OBP = 1 << $clog2(OB);
    logic [Kr*OBP-1:0] pad0, pad1;
    always_comb begin
      pad0 = '0;
      pad1 = '0;
      for (int j = 0; j < Kr; j++) begin
        pad0[j*OBP +: OB] = buf0[j*OB +: OB];
        pad1[j*OBP +: OB] = buf1[j*OB +: OB];
      end
    end
    assign m_axis_tdata = rsel ? pad1[idx*OBP +: OB] : pad0[idx*OBP +: OB];
    assign wsel_next = wsel ^ push;
    assign full0_next = (full0 && !(last && !rsel)) || (push && !wsel);
    assign full1_next = (full1 && !(last && rsel)) || (push && wsel);

    always_ff @(posedge clk) begin
      if (!rst_n) begin
        idx <= '0;
        full0 <= 1'b0;
        full1 <= 1'b0;
        wsel <= 1'b0;
        rsel <= 1'b0;
        s_axis_tready <= 1'b0;
      end else begin
        if (pop) idx <= last ? '0 : idx + IW'(1);
        if (last) rsel <= !rsel;
        wsel <= wsel_next;
        full0 <= full0_next;
        full1 <= full1_next;
        s_axis_tready <= wsel_next ? !full1_next : !full0_next;
      end
    end

    always_ff @(posedge clk) begin
      if (push && !wsel) buf0 <= s_axis_tdata;
      if (push && wsel) buf1 <= s_axis_tdata;
    end
  end else begin : g_gearbox
    // Groups at and above `cnt` are kept zero (reset, filled with zeros by the
    // shift of a pop, never written but by an input beat), so an input beat is
    // ORed in at group position `base` without masking the groups around it.
    // Groups are held at a power-of-two stride GP >= GB (the padding bits are
    // constant zero and vanish in synthesis), so that the shift by `base` groups
    // is a shifter over group positions, not a multiplication by GB.
    localparam int GP = 1 << $clog2(GB);
    logic [BufG*GP-1:0] buffer, shifted, nxt, din;
    logic [CW-1:0] cnt, base, cnt_next;

    assign m_axis_tvalid = (cnt >= CW'(OutG));
    always_comb begin
      for (int j = 0; j < OutG; j++) m_axis_tdata[j*GB +: GB] = buffer[j*GP +: GB];
      din = '0;
      for (int j = 0; j < InG; j++) din[j*GP +: GB] = s_axis_tdata[j*GB +: GB];
    end

    always_comb begin
      shifted = buffer;
      base = cnt;
      if (pop) begin
        shifted = buffer >> (OutG * GP);
        base = cnt - CW'(OutG);
      end
      nxt = shifted;
      cnt_next = base;
      if (push) begin
        cnt_next = base + CW'(InG);
        // s_axis_tready guarantees base <= BufG - InG: nothing is shifted out.
        nxt = shifted | (din << (base * GP));
      end
    end

    always_ff @(posedge clk) begin
      if (!rst_n) begin
        cnt <= '0;
        s_axis_tready <= 1'b0;
        buffer <= '0;
      end else begin
        cnt <= cnt_next;
        s_axis_tready <= (cnt_next <= CW'(BufG - InG));
        buffer <= nxt;
      end
    end
  end
endmodule
`default_nettype wire
