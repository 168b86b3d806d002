# qr_upsample: factors 1..4 with SH != SW both ways, SIMD 1, some and C, non-square
# images, the 1x1x1 identity corner (a one-word row bank), and a row buffer large
# enough for block RAM (2 * 32 * 16 * 8 bits, 256 words).
qr_add_rtl_test(NAME tb_qr_upsample TOP qr_upsample
  SOURCES ${CMAKE_SOURCE_DIR}/rtl-lib/qr_upsample.sv
  TB ${CMAKE_CURRENT_LIST_DIR}/tb_qr_upsample.c
  IN_BITS "SIMD*ElemBits" OUT_BITS "SIMD*ElemBits"
  CONFIGS
    "ElemBits=4,C=4,H=4,W=4,SH=2,SW=2,SIMD=1"
    "ElemBits=5,C=3,H=3,W=5,SH=1,SW=3,SIMD=3"
    "ElemBits=3,C=2,H=5,W=2,SH=4,SW=1,SIMD=1"
    "ElemBits=8,C=6,H=2,W=3,SH=3,SW=2,SIMD=2"
    "ElemBits=2,C=1,H=1,W=1,SH=1,SW=1,SIMD=1"
    "ElemBits=8,C=8,H=3,W=7,SH=2,SW=4,SIMD=8"
    "ElemBits=8,C=16,H=2,W=32,SH=2,SW=2,SIMD=2")
