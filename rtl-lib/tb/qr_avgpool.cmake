# qr_avgpool: one Verilated sweep (tb_qr_avgpool.c).  Global = 0 (windows K = 1, 4,
# 9, 25, 49) and Global = 1 (Pixels = 1, 4, 49, 64; running sums in memory, and in
# one register when C/PE = 1), PE 1, some, all of C; inputs UINT1/2/4/6,
# INT2/3/5/8.  OBits is the exact width of the sum, as the compiler passes it (the
# testbench checks that too).
qr_add_rtl_test(NAME tb_qr_avgpool TOP qr_avgpool
  SOURCES ${CMAKE_SOURCE_DIR}/rtl-lib/qr_avgpool.sv ${CMAKE_SOURCE_DIR}/rtl-lib/qr_mvu_fifo.sv
  TB ${CMAKE_CURRENT_LIST_DIR}/tb_qr_avgpool.c
  IN_BITS "PE*IBits" OUT_BITS "PE*OBits"
  CONFIGS
    "IBits=4,ISigned=0,OBits=6,C=8,K=4,PE=1"
    "IBits=8,ISigned=1,OBits=12,C=4,K=9,PE=4"
    "IBits=1,ISigned=0,OBits=1,C=3,K=1,PE=3"
    "IBits=3,ISigned=1,OBits=8,C=6,K=25,PE=2"
    "IBits=2,ISigned=1,OBits=8,C=2,K=49,PE=1"
    "IBits=4,ISigned=0,OBits=10,C=8,PE=2,Global=1,Pixels=49"
    "IBits=8,ISigned=1,OBits=14,C=16,PE=4,Global=1,Pixels=64"
    "IBits=2,ISigned=0,OBits=4,C=4,PE=1,Global=1,Pixels=4"
    "IBits=5,ISigned=1,OBits=5,C=6,PE=3,Global=1,Pixels=1"
    "IBits=6,ISigned=0,OBits=12,C=5,PE=5,Global=1,Pixels=49"
    "IBits=1,ISigned=0,OBits=7,C=2,PE=1,Global=1,Pixels=64")
