# qr_pad: 9 configurations: zero and nonzero PadValue (negative ones give the low bits:
# -8 -> INT4 minimum, -1, -128, -2), symmetric, asymmetric and one-sided pads, zero pads
# (identity), a 1x1 image, pads larger than the image, SIMD = 1, some, C; ElemBits 1..8.
# Four frames back to back per run (--frames 4).
qr_add_rtl_test(NAME tb_qr_pad TOP qr_pad
  SOURCES ${CMAKE_SOURCE_DIR}/rtl-lib/qr_pad.sv ${CMAKE_SOURCE_DIR}/rtl-lib/qr_skid.sv
  TB ${CMAKE_CURRENT_LIST_DIR}/tb_qr_pad.c
  IN_BITS "SIMD*ElemBits" OUT_BITS "SIMD*ElemBits"
  ARGS --frames 4
  CONFIGS
    "ElemBits=8,C=1,H=4,W=4,PadT=1,PadB=1,PadL=1,PadR=1,SIMD=1,PadValue=0"
    "ElemBits=4,C=4,H=5,W=7,PadT=2,PadB=0,PadL=1,PadR=3,SIMD=4,PadValue=-8"
    "ElemBits=3,C=6,H=6,W=5,PadT=0,PadB=2,PadL=0,PadR=1,SIMD=2,PadValue=5"
    "ElemBits=8,C=3,H=7,W=6,PadT=0,PadB=0,PadL=0,PadR=0,SIMD=1,PadValue=0"
    "ElemBits=1,C=8,H=3,W=9,PadT=3,PadB=1,PadL=2,PadR=0,SIMD=8,PadValue=1"
    "ElemBits=5,C=2,H=1,W=1,PadT=1,PadB=2,PadL=2,PadR=1,SIMD=1,PadValue=-1"
    "ElemBits=8,C=4,H=6,W=6,PadT=1,PadB=1,PadL=1,PadR=1,SIMD=2,PadValue=-128"
    "ElemBits=2,C=1,H=5,W=5,PadT=3,PadB=6,PadL=7,PadR=3,SIMD=1,PadValue=-2"
    "ElemBits=7,C=12,H=4,W=5,PadT=0,PadB=3,PadL=0,PadR=2,SIMD=3,PadValue=100")
