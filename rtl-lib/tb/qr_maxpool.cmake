# qr_maxpool: one Verilated sweep (tb_qr_maxpool.c).  Elements UINT1 (bipolar: max =
# OR), UINT4/5/8, INT2/3/7/8; windows K = 1, 2, 4, 9; PE 1, some, all of C.
qr_add_rtl_test(NAME tb_qr_maxpool TOP qr_maxpool
  SOURCES ${CMAKE_SOURCE_DIR}/rtl-lib/qr_maxpool.sv ${CMAKE_SOURCE_DIR}/rtl-lib/qr_mvu_fifo.sv
  TB ${CMAKE_CURRENT_LIST_DIR}/tb_qr_maxpool.c
  IN_BITS "PE*ElemBits" OUT_BITS "PE*ElemBits"
  CONFIGS
    "ElemBits=4,Signed=0,C=8,K=4,PE=1"
    "ElemBits=8,Signed=1,C=8,K=9,PE=8"
    "ElemBits=1,Signed=0,C=16,K=4,PE=4"
    "ElemBits=3,Signed=1,C=6,K=1,PE=2"
    "ElemBits=5,Signed=0,C=3,K=9,PE=3"
    "ElemBits=2,Signed=1,C=4,K=4,PE=1"
    "ElemBits=7,Signed=1,C=1,K=9,PE=1"
    "ElemBits=8,Signed=0,C=12,K=2,PE=6")
