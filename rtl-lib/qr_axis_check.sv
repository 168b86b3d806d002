`default_nettype none
// qr_axis_check: AXI4-Stream protocol checker (simulation), bound to one stream.
//
// Samples the stream at every rising clock edge out of reset and flags, with a
// $display naming the instance, the cycle (rising edges since reset was released,
// the harness's cycle number), the simulation time and the rule:
//
//   AXIS_TVALID_DROPPED   tvalid fell before the handshake (tvalid && !tready in
//                         the previous cycle, tvalid == 0 now)
//   AXIS_TDATA_CHANGED    tdata changed while tvalid && !tready
//   AXIS_TLAST_CHANGED    tlast changed while tvalid && !tready (HasLast only)
//   AXIS_EXTRA_BEAT       more handshakes than max_beats (max_beats == 0: no limit)
//   AXIS_X_TVALID         tvalid is X/Z out of reset            (not in Verilator:
//   AXIS_X_TREADY         tready is X/Z while tvalid             X does not exist
//   AXIS_X_TDATA          tdata has X/Z bits while tvalid        there; Icarus and
//   AXIS_X_TLAST          tlast is X/Z while tvalid (HasLast)    other 4-state sims)
//
// `error` goes high after the edge at which the first violation was seen and stays
// high until reset.  Everything but the messages and the X checks is synthesizable
// (Yosys reads the file; SYNTHESIS hides the simulation-only part).
//
// Used by the Icarus testbench sim/axis_icarus.c generates (one checker on the DUT's
// output, one on its input, which guards the testbench itself), so every Icarus run
// of every unit test and of `qonnx-rtl --verify` is checked.
module qr_axis_check #(
  parameter int DataBits = 8,
  parameter bit HasLast  = 1'b1
) (
  input  wire                clk,
  input  wire                rst_n,
  input  wire [DataBits-1:0] tdata,
  input  wire                tvalid,
  input  wire                tready,
  input  wire                tlast,      // ignored unless HasLast
  input  wire [63:0]         max_beats,  // handshakes allowed after reset; 0 = any number
  output logic               error
);
  logic                stalled;  // previous cycle had tvalid && !tready
  logic [DataBits-1:0] pdata;
  logic                plast;
  logic [63:0]         beats;    // handshakes since reset
  logic [63:0]         cycle;    // rising edges since reset

  wire last_i = HasLast ? tlast : 1'b0;

  wire drop      = stalled && tvalid != 1'b1;
  wire dchange   = stalled && tdata != pdata;
  wire lchange   = stalled && last_i != plast;
  wire handshake = tvalid && tready;
  wire extra     = handshake && max_beats != 64'd0 && beats >= max_beats;

  // X/Z: only a 4-state simulator has them.  `s !== 0 && s !== 1` is true for X and Z;
  // a reduction XOR is X if any bit of tdata is.
  wire x_valid, x_ready, x_data, x_last;
`ifdef SYNTHESIS
  assign {x_valid, x_ready, x_data, x_last} = 4'b0;
`elsif VERILATOR
  assign {x_valid, x_ready, x_data, x_last} = 4'b0;
`else
  assign x_valid = tvalid !== 1'b0 && tvalid !== 1'b1;
  assign x_ready = tvalid === 1'b1 && tready !== 1'b0 && tready !== 1'b1;
  assign x_data  = tvalid === 1'b1 && (^tdata) !== 1'b0 && (^tdata) !== 1'b1;
  assign x_last  = HasLast && tvalid === 1'b1 && tlast !== 1'b0 && tlast !== 1'b1;
`endif
  wire bad = drop || dchange || lchange || extra || x_valid || x_ready || x_data || x_last;

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      stalled <= 1'b0;
      plast   <= 1'b0;
      beats   <= '0;
      cycle   <= '0;
      error   <= 1'b0;
    end else begin
      stalled <= tvalid && !tready;
      plast   <= last_i;
      beats   <= beats + {63'd0, handshake};
      cycle   <= cycle + 64'd1;
      if (bad) error <= 1'b1;
    end
  end

  always_ff @(posedge clk) pdata <= tdata;

  // Prints every violation the cycle it is seen; the registers above flag it.
`ifndef SYNTHESIS
  always @(posedge clk) begin
    if (rst_n === 1'b1) begin
      if (drop)
        $display("qr_axis_check %m: ERROR cycle %0d (time %0t): AXIS_TVALID_DROPPED: tvalid fell before the handshake",
                 cycle, $time);
      if (dchange && !drop)
        $display("qr_axis_check %m: ERROR cycle %0d (time %0t): AXIS_TDATA_CHANGED: tdata changed while tvalid && !tready (was %h, now %h)",
                 cycle, $time, pdata, tdata);
      if (lchange && !drop)
        $display("qr_axis_check %m: ERROR cycle %0d (time %0t): AXIS_TLAST_CHANGED: tlast changed while tvalid && !tready",
                 cycle, $time);
      if (extra)
        $display("qr_axis_check %m: ERROR cycle %0d (time %0t): AXIS_EXTRA_BEAT: handshake %0d, only %0d allowed",
                 cycle, $time, beats + 64'd1, max_beats);
`ifndef VERILATOR
      if (x_valid)
        $display("qr_axis_check %m: ERROR cycle %0d (time %0t): AXIS_X_TVALID: tvalid is %b out of reset",
                 cycle, $time, tvalid);
      if (x_ready)
        $display("qr_axis_check %m: ERROR cycle %0d (time %0t): AXIS_X_TREADY: tready is %b while tvalid",
                 cycle, $time, tready);
      if (x_data)
        $display("qr_axis_check %m: ERROR cycle %0d (time %0t): AXIS_X_TDATA: tdata has X/Z bits while tvalid (%h)",
                 cycle, $time, tdata);
      if (x_last)
        $display("qr_axis_check %m: ERROR cycle %0d (time %0t): AXIS_X_TLAST: tlast is %b while tvalid",
                 cycle, $time, tlast);
`endif
    end
  end
`endif
endmodule
`default_nettype wire
