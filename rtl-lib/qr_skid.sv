`default_nettype none
// qr_skid: registered-ready skid buffer (pipeline register) for one AXI4-Stream.
//
// Cuts every combinational path between the two sides: m_axis_* come from the output
// register, s_axis_tready is a flip-flop output (not a function of m_axis_tready).
// Full throughput (one beat per cycle, also while backpressure comes and goes); latency
// 1 cycle; holds up to 2 beats.  Beats leave in order, tdata unchanged.
//
//   out register (m_axis_*): the beat on offer downstream.
//   skid register: catches the beat accepted in the cycle the output stalled, because
//   s_axis_tready (registered) could not drop in time.  While it is full, tready = 0.
module qr_skid #(
  parameter int DataBits = 8
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
  logic [DataBits-1:0] skid_data;
  logic                skid_valid;

  // s_axis_tready is exactly "skid register empty": a register output.
  assign s_axis_tready = ~skid_valid;

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      m_axis_tvalid <= 1'b0;
      skid_valid    <= 1'b0;
    end else if (!skid_valid) begin
      if (!m_axis_tvalid || m_axis_tready) begin
        // Output free (or leaving): the input beat, if any, goes straight out.
        m_axis_tvalid <= s_axis_tvalid;
      end else if (s_axis_tvalid) begin
        // Output stalled but tready was 1: park the beat in the skid register.
        skid_valid <= 1'b1;
      end
    end else if (m_axis_tready) begin
      // Skid full, so the output is full too: refill the output from the skid.
      skid_valid <= 1'b0;
    end
  end

  // Data registers need no reset; loaded exactly when the valid flags above say so.
  always_ff @(posedge clk) begin
    if (!skid_valid) begin
      if (!m_axis_tvalid || m_axis_tready) begin
        if (s_axis_tvalid) m_axis_tdata <= s_axis_tdata;
      end else if (s_axis_tvalid) begin
        skid_data <= s_axis_tdata;
      end
    end else if (m_axis_tready) begin
      m_axis_tdata <= skid_data;
    end
  end
endmodule
`default_nettype wire
