# qr_threshold: one Verilated sweep (tb_qr_threshold.c).  PE over 1, 2, some, full
# (C = 10, 12, 8, 6, 1); inputs UINT1/2/4/8, INT3/4/6/8; T = 1 (bipolar out), 2, 3,
# 7, 15 and 255 (8-bit out) with offsets; default and explicit TBits.
set(_qr_thr_mem ${CMAKE_CURRENT_BINARY_DIR}/tb_qr_threshold_mem)
file(MAKE_DIRECTORY ${_qr_thr_mem})
set(_qr_thr_configs
  "C=10,PE=1,IBits=4,ISigned=0,NumThresholds=15,OBits=4"
  "C=10,PE=2,IBits=8,ISigned=1,NumThresholds=3,OBias=-2,OBits=2"
  "C=10,PE=5,IBits=2,ISigned=0,NumThresholds=1,OBits=1"
  "C=10,PE=10,NumVec=3,IBits=4,ISigned=1,NumThresholds=7,OBias=-4,OBits=3"
  "C=12,PE=4,IBits=3,ISigned=1,NumThresholds=2,OBits=2"
  "C=8,PE=2,IBits=8,ISigned=0,NumThresholds=255,OBits=8"
  "C=6,PE=3,IBits=6,ISigned=1,NumThresholds=15,OBias=-8,OBits=4,TBits=9"
  "C=1,PE=1,IBits=1,ISigned=0,NumThresholds=1,OBits=1"
)
set(_qr_thr_full "")
set(_i 0)
foreach(_c ${_qr_thr_configs})
  list(APPEND _qr_thr_full "${_c},ThreshFile=\"${_qr_thr_mem}/t${_i}.mem\"")
  math(EXPR _i "${_i} + 1")
endforeach()

qr_add_rtl_test(NAME tb_qr_threshold TOP qr_threshold
  SOURCES ${CMAKE_SOURCE_DIR}/rtl-lib/qr_threshold.sv ${CMAKE_SOURCE_DIR}/rtl-lib/qr_thresh_core.sv
          ${CMAKE_SOURCE_DIR}/rtl-lib/qr_mvu_addtree.sv ${CMAKE_SOURCE_DIR}/rtl-lib/qr_mvu_fifo.sv
  TB ${CMAKE_CURRENT_LIST_DIR}/tb_qr_threshold.c ${CMAKE_CURRENT_LIST_DIR}/model_threshold.c
  IN_BITS "PE*IBits" OUT_BITS "PE*OBits"
  CONFIGS ${_qr_thr_full})
