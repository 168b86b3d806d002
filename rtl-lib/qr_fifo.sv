`default_nettype none
// qr_fifo: AXI4-Stream FIFO of exactly Depth beats (any Depth >= 1, not only powers
// of two), one beat per cycle in and out, s_axis_tready a flip-flop output.
//
// RamStyle picks the storage ("auto" by default):
//   "distributed", "registers"  circular buffer with asynchronous read (LUT RAM or
//                  flip-flops); m_axis_tvalid is a register, m_axis_tdata the read mux.
//                  Latency 1 (a beat accepted in cycle c is offered in cycle c + 1).
//   "block", "ultra"  inferred RAM with a registered read (BRAM/URAM, Yosys `memory`)
//                  followed by the RAM's read register and an output register, both
//                  counted in the Depth beats; m_axis_* are registers.  Latency 3.
//   "auto"         "block" if Depth > AutoBlockDepth (64), else "distributed".
// Full throughput (a beat can enter and leave in the same cycle) from Depth >= 2
// ("distributed") or Depth >= 4 ("block": the read and output registers count in
// Depth); shallower FIFOs run at 1 beat per 2 (resp. up to 4) cycles.  When the FIFO
// is full, s_axis_tready returns one cycle after a beat leaves (it is registered).
// tlast: not carried; pack it into tdata (DataBits + 1) where needed.
module qr_fifo #(
  parameter int DataBits = 8,
  parameter int Depth = 16,
  parameter RamStyle = "auto",
  parameter int AutoBlockDepth = 64
) (
  input  wire                 clk,
  input  wire                 rst_n,
  input  wire  [DataBits-1:0] s_axis_tdata,
  input  wire                 s_axis_tvalid,
  output logic                s_axis_tready,
  output logic [DataBits-1:0] m_axis_tdata,
  output logic                m_axis_tvalid,
  input  wire                 m_axis_tready
);
  localparam int AW = (Depth > 1) ? $clog2(Depth) : 1;   // RAM address
  localparam int OccW = $clog2(Depth + 1);               // holds 0..Depth
  // String parameters compared at a fixed width (they are bit vectors of their own
  // length, and Verilator -Wall rejects comparing vectors of different widths).
  localparam int IsBlock = (128'(RamStyle) == 128'("block") || 128'(RamStyle) == 128'("ultra")) ? 1 : 0;
  localparam int IsDist = (128'(RamStyle) == 128'("distributed") || 128'(RamStyle) == 128'("registers")) ? 1 : 0;
  localparam int IsAuto = (128'(RamStyle) == 128'("auto")) ? 1 : 0;
  localparam int UseBlock = (IsBlock != 0 || (IsAuto != 0 && Depth > AutoBlockDepth)) ? 1 : 0;

  if (Depth < 1) begin : g_bad_depth
    initial $fatal(1, "qr_fifo: Depth must be >= 1");
  end
  if (IsBlock == 0 && IsDist == 0 && IsAuto == 0) begin : g_bad_style
    initial $fatal(1, "qr_fifo: RamStyle must be auto, distributed, registers, block or ultra");
  end

  logic push, pop;
  logic [AW-1:0] wr_ptr, rd_ptr;
  logic [OccW-1:0] occ, occ_next;   // beats held in total

  assign push = s_axis_tvalid && s_axis_tready;
  assign pop = m_axis_tvalid && m_axis_tready;
  assign occ_next = occ + OccW'(push) - OccW'(pop);

  function automatic logic [AW-1:0] incr(input logic [AW-1:0] p);
    incr = (p == AW'(Depth - 1)) ? '0 : p + AW'(1);
  endfunction

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      occ <= '0;
      s_axis_tready <= 1'b0;
      wr_ptr <= '0;
    end else begin
      occ <= occ_next;
      s_axis_tready <= (occ_next < OccW'(Depth));
      if (push) wr_ptr <= incr(wr_ptr);
    end
  end

  if (UseBlock == 0) begin : g_dist
    // Circular buffer, asynchronous read.
    logic [DataBits-1:0] mem [Depth];

    always_ff @(posedge clk) begin
      if (push) mem[wr_ptr] <= s_axis_tdata;
    end

    always_ff @(posedge clk) begin
      if (!rst_n) begin
        rd_ptr <= '0;
        m_axis_tvalid <= 1'b0;
      end else begin
        if (pop) rd_ptr <= incr(rd_ptr);
        m_axis_tvalid <= (occ_next != '0);
      end
    end

    assign m_axis_tdata = mem[rd_ptr];
  end else begin : g_block
    // RAM (registered read) -> read register q -> output register.  A read is issued
    // when the RAM holds a beat and q is free or moving on this cycle.
    (* ram_style = "block" *) logic [DataBits-1:0] mem [Depth];
    logic [DataBits-1:0] q;
    logic q_valid, q_move, issue;
    logic [OccW-1:0] ram_cnt;   // beats in the RAM not yet read

    assign q_move = q_valid && (!m_axis_tvalid || m_axis_tready);
    assign issue = (ram_cnt != '0) && (!q_valid || q_move);

    always_ff @(posedge clk) begin
      if (push) mem[wr_ptr] <= s_axis_tdata;
      if (issue) q <= mem[rd_ptr];
    end

    always_ff @(posedge clk) begin
      if (!rst_n) begin
        rd_ptr <= '0;
        ram_cnt <= '0;
        q_valid <= 1'b0;
        m_axis_tvalid <= 1'b0;
      end else begin
        if (issue) rd_ptr <= incr(rd_ptr);
        ram_cnt <= ram_cnt + OccW'(push) - OccW'(issue);
        if (issue) q_valid <= 1'b1;
        else if (q_move) q_valid <= 1'b0;
        if (q_move) m_axis_tvalid <= 1'b1;
        else if (pop) m_axis_tvalid <= 1'b0;
      end
    end

    always_ff @(posedge clk) begin
      if (q_move) m_axis_tdata <= q;
    end
  end
endmodule
`default_nettype wire
