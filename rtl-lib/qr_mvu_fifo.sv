`default_nettype none
// qr_mvu_fifo: output FIFO with credits, the backpressure scheme of qr_mvu and
// qr_threshold.
//
// The producer's pipeline never stalls.  Instead it asks for a slot
// (`reserve`) at the moment it commits to producing one output word, and may
// only do so while `space` is high; the word arrives `wr_en`/`wr_data` some
// fixed number of cycles later and is guaranteed to fit.  A slot is given back
// when its word leaves on m_axis.  So m_axis_tready drives nothing but the read
// pointer and the credit counter, and `space` is a function of registers only.
// With Depth > (reservations that can be alive at once at full rate) the
// producer runs at full rate whenever the consumer does.
//
// m_axis_tdata is read asynchronously from the storage (LUTRAM) at the read
// pointer, so it holds still while tvalid && !tready.  Depth is a power of two.
module qr_mvu_fifo #(
  parameter int Width = 8,
  parameter int Depth = 8
) (
  input  logic             clk,
  input  logic             rst_n,
  input  logic             reserve,
  output logic             space,
  input  logic             wr_en,
  input  logic [Width-1:0] wr_data,
  output logic [Width-1:0] m_axis_tdata,
  output logic             m_axis_tvalid,
  input  logic             m_axis_tready
);
  localparam int PtrW = (Depth > 1) ? $clog2(Depth) : 1;
  localparam int CntW = $clog2(Depth + 1);

  logic [Width-1:0] mem [Depth];
  logic [PtrW-1:0] wr_ptr, rd_ptr;
  logic [CntW-1:0] used;     // words stored
  logic [CntW-1:0] credits;  // slots reserved and not yet read out
  logic pop;

  assign pop = m_axis_tvalid && m_axis_tready;
  assign space = (credits < CntW'(Depth));
  assign m_axis_tvalid = (used != '0);
  assign m_axis_tdata = mem[rd_ptr];

  always_ff @(posedge clk) begin
    if (wr_en) mem[wr_ptr] <= wr_data;
  end

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      wr_ptr <= '0;
      rd_ptr <= '0;
      used <= '0;
      credits <= '0;
    end else begin
      if (wr_en) wr_ptr <= wr_ptr + 1'b1;
      if (pop) rd_ptr <= rd_ptr + 1'b1;
      used <= used + CntW'(wr_en) - CntW'(pop);
      credits <= credits + CntW'(reserve) - CntW'(pop);
    end
  end
endmodule
`default_nettype wire
