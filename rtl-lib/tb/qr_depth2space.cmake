# qr_depth2space: both modes, B = 1..3, SIMD 1, some and C; CRD with every lane-skew
# case: gcd(B*B, SIMD) = 1 (B=3, SIMD=2), = SIMD (B=2, SIMD 2/4; B=3, SIMD=3),
# < SIMD (B=2, SIMD 8 and 6: the extra skew term); non-square images, the B=1
# identity, a 2 x 512-word row bank (block RAM), and ESPCN's B=2, SIMD=3 CRD.
qr_add_rtl_test(NAME tb_qr_depth2space TOP qr_depth2space
  SOURCES ${CMAKE_SOURCE_DIR}/rtl-lib/qr_depth2space.sv
  TB ${CMAKE_CURRENT_LIST_DIR}/tb_qr_depth2space.c
  IN_BITS "SIMD*ElemBits" OUT_BITS "SIMD*ElemBits"
  CONFIGS
    "ElemBits=4,C=2,H=4,W=4,B=2,Mode=0,SIMD=1"
    "ElemBits=4,C=2,H=4,W=4,B=2,Mode=1,SIMD=1"
    "ElemBits=3,C=4,H=3,W=5,B=2,Mode=1,SIMD=2"
    "ElemBits=5,C=4,H=2,W=3,B=2,Mode=1,SIMD=4"
    "ElemBits=2,C=8,H=2,W=2,B=2,Mode=1,SIMD=8"
    "ElemBits=4,C=3,H=3,W=2,B=3,Mode=1,SIMD=3"
    "ElemBits=6,C=6,H=2,W=3,B=3,Mode=1,SIMD=2"
    "ElemBits=4,C=6,H=3,W=2,B=3,Mode=0,SIMD=3"
    "ElemBits=8,C=4,H=2,W=3,B=2,Mode=0,SIMD=4"
    "ElemBits=3,C=6,H=2,W=2,B=2,Mode=1,SIMD=6"
    "ElemBits=7,C=3,H=2,W=3,B=1,Mode=1,SIMD=1"
    "ElemBits=8,C=16,H=2,W=16,B=2,Mode=1,SIMD=4"
    "ElemBits=8,C=3,H=2,W=5,B=2,Mode=1,SIMD=3")
