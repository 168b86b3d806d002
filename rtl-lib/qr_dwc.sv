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
//   InElems = k * OutElems (k >= 1), "scatter": a 2-entry input queue; the head beat
//     is offered slice by slice (a k:1 multiplexer; k = 1 is a skid buffer).  Latency 1.
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
    localparam int Kr = InG;                     // output beats per input beat (>= 1)
    localparam int IW = (Kr > 1) ? $clog2(Kr) : 1;
    logic [IB-1:0] head, nxt_q;
    logic head_valid, nxt_valid, head_free;
    logic [IW-1:0] idx;

    assign head_free = !head_valid || (pop && idx == IW'(Kr - 1));
    assign m_axis_tvalid = head_valid;
    assign m_axis_tdata = head[idx*OB +: OB];

    always_ff @(posedge clk) begin
      if (!rst_n) begin
        idx <= '0;
        head_valid <= 1'b0;
        nxt_valid <= 1'b0;
        s_axis_tready <= 1'b0;
      end else begin
        if (pop) idx <= (idx == IW'(Kr - 1)) ? '0 : idx + IW'(1);
        if (head_free) begin
          head_valid <= nxt_valid || push;
          nxt_valid <= nxt_valid && push;
          s_axis_tready <= !(nxt_valid && push);
        end else begin
          nxt_valid <= nxt_valid || push;
          s_axis_tready <= !(nxt_valid || push);
        end
      end
    end

    always_ff @(posedge clk) begin
      if (head_free) begin
        if (nxt_valid) head <= nxt_q;
        else if (push) head <= s_axis_tdata;
        if (nxt_valid && push) nxt_q <= s_axis_tdata;
      end else if (push) begin
        nxt_q <= s_axis_tdata;
      end
    end
  end else begin : g_gearbox
    logic [BufG*GB-1:0] buffer, shifted, nxt;
    logic [CW-1:0] cnt, base, cnt_next;
  
    assign m_axis_tvalid = (cnt >= CW'(OutG));
    assign m_axis_tdata = buffer[OutElems*ElemBits-1:0];

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
  end
endmodule
`default_nettype wire
