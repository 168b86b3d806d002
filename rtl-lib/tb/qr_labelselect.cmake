# qr_labelselect: top-1 and top-K, signed and unsigned scores, 1..16 score bits (ties
# everywhere at small widths), one beat per frame (PE = Classes) to 20 beats per frame,
# padded indices (IdxBits above $clog2(Classes)).
qr_add_rtl_test(NAME tb_qr_labelselect TOP qr_labelselect
  SOURCES ${CMAKE_SOURCE_DIR}/rtl-lib/qr_labelselect.sv ${CMAKE_SOURCE_DIR}/rtl-lib/qr_skid.sv
  TB ${CMAKE_CURRENT_LIST_DIR}/tb_qr_labelselect.c
  IN_BITS "PE*ScoreBits" OUT_BITS "K*IdxBits"
  CONFIGS
    "Classes=10,PE=1,ScoreBits=8,Signed=1,K=1,IdxBits=4"
    "Classes=10,PE=2,ScoreBits=8,Signed=1,K=3,IdxBits=4"
    "Classes=10,PE=10,ScoreBits=4,Signed=0,K=1,IdxBits=4"
    "Classes=12,PE=4,ScoreBits=3,Signed=1,K=5,IdxBits=4"
    "Classes=7,PE=7,ScoreBits=1,Signed=0,K=7,IdxBits=3"
    "Classes=100,PE=5,ScoreBits=16,Signed=1,K=5,IdxBits=8"
    "Classes=1,PE=1,ScoreBits=4,Signed=0,K=1,IdxBits=1"
    "Classes=64,PE=8,ScoreBits=12,Signed=0,K=2,IdxBits=6"
    "Classes=20,PE=4,ScoreBits=2,Signed=1,K=4,IdxBits=5"
    "Classes=256,PE=16,ScoreBits=8,Signed=1,K=3,IdxBits=8")
