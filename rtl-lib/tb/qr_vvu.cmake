# qr_vvu: one Verilated sweep over the configurations below (tb_qr_vvu.c).
#
# Windows K = 1, 4, 9, 25, 49 (1x1 .. 7x7); PE over 1, some, all of C; SIMD over 1,
# some, all of K (fully unrolled 3x3 and 7x7).  Inputs bipolar, UINT1/2/3/4/5,
# INT3/4/6/7/8; weights bipolar, UINT1/3/7, INT2/4/5/6/8.  Datapaths: xnor, bipolar
# weights, bipolar inputs, LUT, DSP, MulStyle forcing LUT on wide / DSP on narrow
# operands.  Thresholds T = 1 (bipolar out, from xnor and from a LUT datapath), 2, 3,
# 7, 15 with negative offsets, and none (accumulator out; OBits = AccBits written
# out, so the RTL default is checked); one AccBits narrower than the default (exact
# interval, as the compiler passes it); NumVec 2 and 3.
# WeightFile/ThreshFile are absolute (Icarus runs in a temp dir); the testbench
# writes them before the model is created.
set(_qr_vvu_mem ${CMAKE_CURRENT_BINARY_DIR}/tb_qr_vvu_mem)
file(MAKE_DIRECTORY ${_qr_vvu_mem})
set(_qr_vvu_bip_i "IBits=1,IBipolar=1")
set(_qr_vvu_bip_w "WBits=1,WBipolar=1")
set(_qr_vvu_configs
  "C=8,K=9,PE=1,SIMD=1,IBits=4,ISigned=0,WBits=4,WSigned=1,OBits=13"
  "C=8,K=9,PE=2,SIMD=3,${_qr_vvu_bip_i},${_qr_vvu_bip_w},NumThresholds=1,OBits=1"
  "C=6,K=4,PE=6,SIMD=4,IBits=2,ISigned=0,${_qr_vvu_bip_w},NumThresholds=3,OBias=-2,OBits=2"
  "C=4,K=25,PE=2,SIMD=5,IBits=8,ISigned=1,WBits=8,WSigned=1,OBits=21"
  "C=3,K=49,PE=1,SIMD=7,NumVec=2,IBits=1,ISigned=0,WBits=2,WSigned=1,NumThresholds=15,OBits=4"
  "C=16,K=1,PE=4,SIMD=1,IBits=3,ISigned=1,WBits=3,WSigned=0,NumThresholds=7,OBias=-4,OBits=3"
  "C=5,K=9,PE=5,SIMD=9,${_qr_vvu_bip_i},WBits=5,WSigned=1,OBits=10"
  "C=8,K=49,PE=8,SIMD=49,IBits=4,ISigned=1,WBits=4,WSigned=1,NumThresholds=15,OBias=-8,OBits=4"
  "C=12,K=4,PE=3,SIMD=2,IBits=5,ISigned=0,WBits=6,WSigned=1,MulStyle=1,NumThresholds=2,OBits=2"
  "C=2,K=25,PE=1,SIMD=25,IBits=6,ISigned=1,WBits=7,WSigned=0,OBits=19"
  "C=8,K=9,PE=4,SIMD=1,NumVec=3,${_qr_vvu_bip_i},${_qr_vvu_bip_w},OBits=6"
  "C=1,K=9,PE=1,SIMD=3,IBits=2,ISigned=0,WBits=4,WSigned=1,AccBits=8,OBits=8"
  "C=4,K=4,PE=1,SIMD=2,IBits=7,ISigned=1,WBits=1,WSigned=0,NumThresholds=15,OBits=4"
  "C=6,K=25,PE=3,SIMD=1,IBits=3,ISigned=0,WBits=2,WSigned=1,MulStyle=2,NumThresholds=1,OBits=1"
)
set(_qr_vvu_full "")
set(_i 0)
foreach(_c ${_qr_vvu_configs})
  list(APPEND _qr_vvu_full
       "${_c},WeightFile=\"${_qr_vvu_mem}/w${_i}.mem\",ThreshFile=\"${_qr_vvu_mem}/t${_i}.mem\"")
  math(EXPR _i "${_i} + 1")
endforeach()

qr_add_rtl_test(NAME tb_qr_vvu TOP qr_vvu
  SOURCES ${CMAKE_SOURCE_DIR}/rtl-lib/qr_vvu.sv ${CMAKE_SOURCE_DIR}/rtl-lib/qr_mvu_mul.sv
          ${CMAKE_SOURCE_DIR}/rtl-lib/qr_mvu_addtree.sv ${CMAKE_SOURCE_DIR}/rtl-lib/qr_mvu_fifo.sv
          ${CMAKE_SOURCE_DIR}/rtl-lib/qr_thresh_core.sv
  TB ${CMAKE_CURRENT_LIST_DIR}/tb_qr_vvu.c ${CMAKE_CURRENT_LIST_DIR}/model_vvu.c
     ${CMAKE_CURRENT_LIST_DIR}/model_threshold.c
  IN_BITS "SIMD*PE*IBits" OUT_BITS "PE*OBits"
  CONFIGS ${_qr_vvu_full})
