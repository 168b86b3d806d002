# qr_dup: through tbw_qr_dup.sv (both output branches back-pressured by independent
# random stall sources, then zipped into one harness beat {m1, m0}).  Widths 1, 7,
# 32 and 45 bits (the last two make VlWide harness ports), different stall seeds and
# probabilities per branch.
set(_qr_dup_src ${CMAKE_SOURCE_DIR}/rtl-lib)
qr_add_rtl_test(NAME tb_qr_dup TOP tbw_qr_dup
  SOURCES ${_qr_dup_src}/qr_skid.sv ${_qr_dup_src}/qr_fifo.sv ${_qr_dup_src}/qr_dup.sv
          ${CMAKE_CURRENT_LIST_DIR}/tbw_qr_stall.sv ${CMAKE_CURRENT_LIST_DIR}/tbw_qr_dup.sv
  TB ${CMAKE_CURRENT_LIST_DIR}/tb_qr_dup.c
  IN_BITS "DataBits+1" OUT_BITS "2*DataBits"
  CONFIGS
    "DataBits=1"
    "DataBits=7,Seed0=3,Seed1=1234,Thr0=10,Thr1=2"
    "DataBits=32,Seed0=999,Seed1=77,Thr0=4,Thr1=12"
    "DataBits=45,Seed0=5,Seed1=6,Thr0=8,Thr1=8")
