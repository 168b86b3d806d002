# qr_swg: 18 configurations: kernels 1..7 (square, 1x3, 7x1, 5x1, 1x4, 2x3, 3x2), strides
# 1..3 (also larger than the kernel: rows/columns skipped), dilations 1..3, non-square
# images, uncovered bottom rows / right columns, a window as large as the image (both
# orders), K=1 stride 1 and stride 2, C=1, SIMD = 1, some, C; both DepthwiseOrder values;
# ElemBits 1..8; a block-RAM RamStyle.  Four frames back to back per run (--frames 4).
qr_add_rtl_test(NAME tb_qr_swg TOP qr_swg
  SOURCES ${CMAKE_SOURCE_DIR}/rtl-lib/qr_swg.sv
  TB ${CMAKE_CURRENT_LIST_DIR}/tb_qr_swg.c ${CMAKE_CURRENT_LIST_DIR}/model_swg.c
  IN_BITS "SIMD*ElemBits" OUT_BITS "SIMD*ElemBits"
  ARGS --frames 4
  CONFIGS
    "ElemBits=8,C=1,H=8,W=8,KH=3,KW=3,SH=1,SW=1,DH=1,DW=1,SIMD=1,DepthwiseOrder=0"
    "ElemBits=4,C=4,H=8,W=7,KH=3,KW=3,SH=1,SW=1,DH=1,DW=1,SIMD=2,DepthwiseOrder=1"
    "ElemBits=5,C=3,H=9,W=9,KH=3,KW=3,SH=2,SW=2,DH=1,DW=1,SIMD=3,DepthwiseOrder=0"
    "ElemBits=2,C=2,H=12,W=12,KH=7,KW=7,SH=1,SW=1,DH=1,DW=1,SIMD=1,DepthwiseOrder=0"
    "ElemBits=3,C=2,H=10,W=6,KH=7,KW=1,SH=1,SW=1,DH=1,DW=1,SIMD=2,DepthwiseOrder=1"
    "ElemBits=6,C=4,H=5,W=9,KH=1,KW=3,SH=1,SW=2,DH=1,DW=1,SIMD=1,DepthwiseOrder=0"
    "ElemBits=7,C=3,H=7,W=8,KH=1,KW=1,SH=2,SW=2,DH=1,DW=1,SIMD=1,DepthwiseOrder=0"
    "ElemBits=8,C=4,H=6,W=6,KH=1,KW=1,SH=1,SW=1,DH=1,DW=1,SIMD=4,DepthwiseOrder=1"
    "ElemBits=1,C=2,H=5,W=7,KH=5,KW=7,SH=1,SW=1,DH=1,DW=1,SIMD=1,DepthwiseOrder=0"
    "ElemBits=8,C=4,H=6,W=5,KH=6,KW=5,SH=1,SW=1,DH=1,DW=1,SIMD=2,DepthwiseOrder=1"
    "ElemBits=4,C=1,H=12,W=11,KH=3,KW=3,SH=1,SW=1,DH=2,DW=3,SIMD=1,DepthwiseOrder=0"
    "ElemBits=2,C=2,H=11,W=12,KH=3,KW=3,SH=3,SW=3,DH=3,DW=3,SIMD=1,DepthwiseOrder=1"
    "ElemBits=5,C=6,H=9,W=11,KH=3,KW=2,SH=2,SW=3,DH=2,DW=1,SIMD=3,DepthwiseOrder=1"
    "ElemBits=4,C=4,H=10,W=10,KH=2,KW=2,SH=2,SW=2,DH=1,DW=1,SIMD=2,DepthwiseOrder=1"
    "ElemBits=1,C=8,H=7,W=7,KH=3,KW=3,SH=2,SW=2,DH=1,DW=1,SIMD=8,DepthwiseOrder=1,RamStyle=\"block\""
    "ElemBits=8,C=1,H=5,W=7,KH=5,KW=1,SH=1,SW=2,DH=1,DW=3,SIMD=1,DepthwiseOrder=0"
    "ElemBits=3,C=2,H=8,W=8,KH=2,KW=3,SH=3,SW=1,DH=1,DW=2,SIMD=1,DepthwiseOrder=0"
    "ElemBits=2,C=5,H=6,W=9,KH=1,KW=4,SH=2,SW=1,DH=1,DW=2,SIMD=5,DepthwiseOrder=1"
    "ElemBits=4,C=3,H=11,W=11,KH=5,KW=5,SH=1,SW=1,DH=1,DW=1,SIMD=1,DepthwiseOrder=0"
    "ElemBits=2,C=3,H=20,W=20,KH=7,KW=7,SH=2,SW=2,DH=1,DW=1,SIMD=1,DepthwiseOrder=0")
