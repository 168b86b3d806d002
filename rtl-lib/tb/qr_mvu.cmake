# qr_mvu: one Verilated sweep over the configurations below (tb_qr_mvu.c).
#
# Grid MW=20 x MH=12: PE x SIMD over {1, 2, 4, full} x {1, 2, 4, full}, each with a
# different input/weight type so every one of bipolar, UINT1..4, INT2..8 occurs as
# input and as weight; then MW/MH 49/10 (folds 7/49 and 5/10), an AccBits narrower
# than the default (exact interval, as the compiler passes it), and two large ones
# at high SIMD (784x16 bipolar, 600x64 INT2).  Datapaths: xnor, bipolar weights,
# bipolar inputs, LUT, DSP, and MulStyle forcing LUT on wide / DSP on narrow
# operands.  Thresholds T = 1 (bipolar out), 2, 3, 7, 15 with offsets, and none
# (accumulator out; OBits = AccBits, written out so the RTL default is checked);
# threshold tables (ThreshStyle 1) with T = 1, 7, 15, 255.
# WeightFile/ThreshFile are absolute (Icarus runs in a temp dir); the testbench
# writes them before the model is created.
set(_qr_mvu_mem ${CMAKE_CURRENT_BINARY_DIR}/tb_qr_mvu_mem)
file(MAKE_DIRECTORY ${_qr_mvu_mem})
set(_qr_mvu_bip_i "IBits=1,IBipolar=1")
set(_qr_mvu_bip_w "WBits=1,WBipolar=1")
set(_qr_mvu_configs
  # MW 20, MH 12: PE 1
  "MW=20,MH=12,PE=1,SIMD=1,${_qr_mvu_bip_i},${_qr_mvu_bip_w},NumThresholds=1,OBits=1"
  "MW=20,MH=12,PE=1,SIMD=2,IBits=1,ISigned=0,WBits=2,WSigned=1,OBits=9"
  "MW=20,MH=12,PE=1,SIMD=4,IBits=2,ISigned=0,WBits=3,WSigned=1,NumThresholds=3,OBias=-2,OBits=2"
  "MW=20,MH=12,PE=1,SIMD=20,NumVec=4,IBits=3,ISigned=0,WBits=4,WSigned=1,OBits=13"
  # PE 2
  "MW=20,MH=12,PE=2,SIMD=1,IBits=4,ISigned=0,${_qr_mvu_bip_w},NumThresholds=15,OBits=4"
  "MW=20,MH=12,PE=2,SIMD=2,IBits=2,ISigned=1,WBits=1,WSigned=0,OBits=9"
  "MW=20,MH=12,PE=2,SIMD=4,IBits=3,ISigned=1,WBits=2,WSigned=0,NumThresholds=7,OBias=-4,OBits=3"
  "MW=20,MH=12,PE=2,SIMD=20,IBits=4,ISigned=1,WBits=3,WSigned=0,OBits=13"
  # PE 4
  "MW=20,MH=12,PE=4,SIMD=1,IBits=5,ISigned=1,WBits=4,WSigned=0,OBits=15"
  "MW=20,MH=12,PE=4,SIMD=2,IBits=6,ISigned=1,WBits=5,WSigned=1,MulStyle=1,OBits=16"
  "MW=20,MH=12,PE=4,SIMD=4,IBits=7,ISigned=1,WBits=6,WSigned=1,NumThresholds=2,OBits=2"
  "MW=20,MH=12,PE=4,SIMD=20,IBits=8,ISigned=1,WBits=7,WSigned=1,OBits=20"
  # PE 12 (full)
  "MW=20,MH=12,PE=12,SIMD=1,${_qr_mvu_bip_i},WBits=8,WSigned=1,OBits=14"
  "MW=20,MH=12,PE=12,SIMD=2,IBits=8,ISigned=1,WBits=8,WSigned=1,NumThresholds=15,OBias=-8,OBits=4"
  "MW=20,MH=12,PE=12,SIMD=4,IBits=4,ISigned=0,WBits=4,WSigned=0,MulStyle=2,OBits=15"
  "MW=20,MH=12,PE=12,SIMD=20,${_qr_mvu_bip_i},${_qr_mvu_bip_w},OBits=7"
  # MW 49, MH 10
  "MW=49,MH=10,PE=5,SIMD=7,NumVec=2,IBits=2,ISigned=0,${_qr_mvu_bip_w},NumThresholds=3,OBits=2"
  "MW=49,MH=10,PE=10,SIMD=49,${_qr_mvu_bip_i},${_qr_mvu_bip_w},NumThresholds=1,OBits=1"
  "MW=49,MH=10,PE=1,SIMD=7,IBits=4,ISigned=1,WBits=4,WSigned=1,AccBits=9,OBits=9"
  # large, high SIMD
  "MW=784,MH=16,PE=4,SIMD=49,${_qr_mvu_bip_i},${_qr_mvu_bip_w},NumThresholds=1,OBits=1"
  "MW=600,MH=64,PE=8,SIMD=60,IBits=2,ISigned=0,WBits=2,WSigned=1,NumThresholds=3,OBias=-2,OBits=2"
  # threshold tables (ThreshStyle 1): 255 thresholds over a 1-bit x 2-bit layer
  # (UNSW-NB15's first layer in small), NF = 1 with SF = 1 (the deepest output
  # FIFO), bipolar out of xnor, a narrow AccBits with NumVec 3 and a signed out
  "MW=24,MH=16,PE=4,SIMD=6,IBits=1,ISigned=0,WBits=2,WSigned=1,NumThresholds=255,OBits=8,ThreshStyle=1"
  "MW=20,MH=12,PE=12,SIMD=20,IBits=2,ISigned=1,WBits=2,WSigned=1,NumThresholds=15,OBias=-8,OBits=4,ThreshStyle=1"
  "MW=49,MH=10,PE=2,SIMD=7,${_qr_mvu_bip_i},${_qr_mvu_bip_w},NumThresholds=1,OBits=1,ThreshStyle=1"
  "MW=20,MH=12,PE=3,SIMD=10,NumVec=3,IBits=3,ISigned=0,WBits=3,WSigned=1,AccBits=8,NumThresholds=7,OBias=-4,OBits=3,ThreshStyle=1"
)
set(_qr_mvu_full "")
set(_i 0)
foreach(_c ${_qr_mvu_configs})
  list(APPEND _qr_mvu_full
       "${_c},WeightFile=\"${_qr_mvu_mem}/w${_i}.mem\",ThreshFile=\"${_qr_mvu_mem}/t${_i}.mem\",TableFile=\"${_qr_mvu_mem}/a${_i}\"")
  math(EXPR _i "${_i} + 1")
endforeach()

qr_add_rtl_test(NAME tb_qr_mvu TOP qr_mvu
  SOURCES ${CMAKE_SOURCE_DIR}/rtl-lib/qr_mvu.sv ${CMAKE_SOURCE_DIR}/rtl-lib/qr_mvu_mul.sv
          ${CMAKE_SOURCE_DIR}/rtl-lib/qr_mvu_addtree.sv ${CMAKE_SOURCE_DIR}/rtl-lib/qr_mvu_fifo.sv
          ${CMAKE_SOURCE_DIR}/rtl-lib/qr_thresh_core.sv
  TB ${CMAKE_CURRENT_LIST_DIR}/tb_qr_mvu.c ${CMAKE_CURRENT_LIST_DIR}/model_mvu.c
     ${CMAKE_CURRENT_LIST_DIR}/model_threshold.c
  IN_BITS "SIMD*IBits" OUT_BITS "PE*OBits"
  CONFIGS ${_qr_mvu_full}
  ARGS --range 0:9)
# The second half of the sweep as its own ctest test, so `ctest -j2` runs the two
# halves (mostly Icarus time) in parallel.  Same binary, same simulator choice.
get_property(_qr_mvu_have_verilator GLOBAL PROPERTY QR_VERILATOR_FOUND)
set(_qr_mvu_sim "")
if(NOT _qr_mvu_have_verilator)
  set(_qr_mvu_sim --sim=icarus)
elseif(NOT QR_IVERILOG)
  set(_qr_mvu_sim --sim=verilator)
endif()
# (No target when the harness disabled tb_qr_mvu for a lint failure: that test fails.)
if(TARGET tb_qr_mvu)
  add_test(NAME tb_qr_mvu_b COMMAND tb_qr_mvu ${_qr_mvu_sim} --range 10:24)
  set_tests_properties(tb_qr_mvu_b PROPERTIES LABELS rtl TIMEOUT 300)
endif()
