# qr_dwc: 15 width pairs covering its three structures: non-integer ratios both ways
# (gearbox: 8 <-> 49, 3 <-> 5, 12 -> 18, 9 -> 6, 64 -> 33), integer up (gather: 1 -> 8,
# 2 -> 6, 16 -> 32), integer down and equal (scatter: 8 -> 1, 6 -> 2, 32 -> 16, 4 -> 4,
# 1 -> 1), element widths 1..16 bits, beats from 1 to 196 bits (VlWide ports).
qr_add_rtl_test(NAME tb_qr_dwc TOP qr_dwc
  SOURCES ${CMAKE_SOURCE_DIR}/rtl-lib/qr_dwc.sv
  TB ${CMAKE_CURRENT_LIST_DIR}/tb_qr_dwc.c
  IN_BITS "ElemBits*InElems" OUT_BITS "ElemBits*OutElems"
  CONFIGS
    "ElemBits=4,InElems=8,OutElems=49"
    "ElemBits=4,InElems=49,OutElems=8"
    "ElemBits=1,InElems=1,OutElems=8"
    "ElemBits=2,InElems=8,OutElems=1"
    "ElemBits=8,InElems=4,OutElems=4"
    "ElemBits=3,InElems=2,OutElems=6"
    "ElemBits=3,InElems=6,OutElems=2"
    "ElemBits=5,InElems=3,OutElems=5"
    "ElemBits=5,InElems=5,OutElems=3"
    "ElemBits=8,InElems=12,OutElems=18"
    "ElemBits=16,InElems=9,OutElems=6"
    "ElemBits=1,InElems=64,OutElems=33"
    "ElemBits=7,InElems=1,OutElems=1"
    "ElemBits=4,InElems=16,OutElems=32"
    "ElemBits=4,InElems=32,OutElems=16")
