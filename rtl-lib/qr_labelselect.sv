`default_nettype none
// qr_labelselect: top-K class indices of Classes scores per frame (QONNX/FINN
// LabelSelect, TopK on the class axis).
//
// Needs: qr_skid.sv.
//
// Input: Classes / PE beats per frame, PE scores of ScoreBits bits per beat, class
// c = beat * PE + p at s_axis_tdata[p*ScoreBits +: ScoreBits]; two's complement if
// Signed != 0, else unsigned.
// Output: one beat per frame with the K best class indices, best first: rank r (0 =
// highest score) at m_axis_tdata[r*IdxBits +: IdxBits], unsigned.  IdxBits defaults
// to $clog2(Classes) (at least 1); set it larger to pad (e.g. 8 for byte indices).
// Ties: the lower class index ranks first (a stable sort by descending score), the
// same as numpy's argsort(-x, kind="stable")[:K].
//
// One input beat per cycle (the running top-K list absorbs the PE scores of a beat in
// one cycle: PE insertion steps of K comparators each).  The result goes through a
// qr_skid, so s_axis_tready is a register and m_axis_* are registers.
module qr_labelselect #(
  parameter int Classes = 10,
  parameter int PE = 1,
  parameter int ScoreBits = 8,
  parameter int Signed = 1,
  parameter int K = 1,
  parameter int IdxBits = (Classes > 1) ? $clog2(Classes) : 1
) (
  input  wire                    clk,
  input  wire                    rst_n,
  input  wire  [PE*ScoreBits-1:0] s_axis_tdata,
  input  wire                    s_axis_tvalid,
  output logic                   s_axis_tready,
  output logic [K*IdxBits-1:0]   m_axis_tdata,
  output logic                   m_axis_tvalid,
  input  wire                    m_axis_tready
);
  localparam int NF = Classes / PE;                 // beats per frame
  localparam int FW = (NF > 1) ? $clog2(NF) : 1;
  localparam int SB = ScoreBits;
  localparam int EB = ScoreBits + 1;                // sign-extended compare width

  if (Classes % PE != 0) begin : g_bad_pe
    initial $fatal(1, "qr_labelselect: PE must divide Classes");
  end
  if (K < 1 || K > Classes) begin : g_bad_k
    initial $fatal(1, "qr_labelselect: need 1 <= K <= Classes");
  end
  if ((1 << IdxBits) < Classes) begin : g_bad_idx
    initial $fatal(1, "qr_labelselect: IdxBits too small for Classes");
  end

  // Running top-K list, best first: scores, indices, valid bits.
  logic [K*SB-1:0] lst_val, nv;
  logic [K*IdxBits-1:0] lst_idx, ni;
  logic [K-1:0] lst_vld, nvld;
  logic [FW-1:0] fold;
  logic push, frame_done, res_ready;

  assign push = s_axis_tvalid && s_axis_tready;
  assign frame_done = push && (fold == FW'(NF - 1));
  assign s_axis_tready = res_ready;

  // Insert the PE scores of this beat, in class order, into the list (empty at the
  // first beat of a frame): PE insertion steps.  A candidate goes before entry j iff j
  // is empty or the candidate is strictly greater, so equal scores keep the earlier
  // (lower) index first.  Scores are compared sign- (or zero-) extended by one bit.
  logic [K-1:0] beats, bprev;
  logic [EB-1:0] cand_e;
  logic [IdxBits-1:0] cand_i;
  logic [K*EB-1:0] cur_e, sh_e;
  logic [K*IdxBits-1:0] sh_i;

  always_comb begin
    for (int j = 0; j < K; j++) begin
      cur_e[j*EB +: EB] = {(Signed != 0) ? lst_val[j*SB + SB-1] : 1'b0, lst_val[j*SB +: SB]};
    end
    ni = lst_idx;
    nvld = (fold == '0) ? '0 : lst_vld;
    for (int p = 0; p < PE; p++) begin
      cand_e = {(Signed != 0) ? s_axis_tdata[p*SB + SB-1] : 1'b0, s_axis_tdata[p*SB +: SB]};
      cand_i = IdxBits'(fold) * IdxBits'(PE) + IdxBits'(p);
      for (int j = 0; j < K; j++) begin
        beats[j] = !nvld[j] || ($signed(cand_e) > $signed(cur_e[j*EB +: EB]));
      end
      bprev = beats << 1;   // bprev[j] = beats[j-1]: entry j-1 moves down to j
      sh_e = cur_e << EB;   // sh_*[j] = entry j-1
      sh_i = ni << IdxBits;
      for (int j = 0; j < K; j++) begin
        if (beats[j]) begin
          cur_e[j*EB +: EB] = bprev[j] ? sh_e[j*EB +: EB] : cand_e;
          ni[j*IdxBits +: IdxBits] = bprev[j] ? sh_i[j*IdxBits +: IdxBits] : cand_i;
        end
      end
      nvld = (nvld << 1) | K'(1);
    end
    for (int j = 0; j < K; j++) begin
      nv[j*SB +: SB] = cur_e[j*EB +: SB];
    end
  end

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      fold <= '0;
      lst_vld <= '0;
    end else if (push) begin
      fold <= frame_done ? '0 : fold + FW'(1);
      lst_vld <= nvld;
    end
  end

  always_ff @(posedge clk) begin
    if (push) begin
      lst_val <= nv;
      lst_idx <= ni;
    end
  end

  qr_skid #(.DataBits(K*IdxBits)) u_out (
    .clk(clk),
    .rst_n(rst_n),
    .s_axis_tdata(ni),
    .s_axis_tvalid(frame_done),
    .s_axis_tready(res_ready),
    .m_axis_tdata(m_axis_tdata),
    .m_axis_tvalid(m_axis_tvalid),
    .m_axis_tready(m_axis_tready)
  );
endmodule
`default_nettype wire
