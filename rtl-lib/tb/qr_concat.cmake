# qr_concat: through tbw_qr_concat.sv (a and b beats tagged on the one harness input,
# split into two FIFOs, each gated into the unit by its own random stall source).
# CA != CB both ways, PE 1, common divisors and PE = gcd, one channel per side,
# element widths 1..16 bits.
set(_qr_concat_src ${CMAKE_SOURCE_DIR}/rtl-lib)
qr_add_rtl_test(NAME tb_qr_concat TOP tbw_qr_concat
  SOURCES ${_qr_concat_src}/qr_skid.sv ${_qr_concat_src}/qr_fifo.sv ${_qr_concat_src}/qr_concat.sv
          ${CMAKE_CURRENT_LIST_DIR}/tbw_qr_stall.sv ${CMAKE_CURRENT_LIST_DIR}/tbw_qr_concat.sv
  TB ${CMAKE_CURRENT_LIST_DIR}/tb_qr_concat.c
  IN_BITS "PE*ElemBits+2" OUT_BITS "PE*ElemBits"
  CONFIGS
    "ElemBits=4,CA=4,CB=4,PE=1"
    "ElemBits=3,CA=2,CB=5,PE=1,SeedA=11,SeedB=12"
    "ElemBits=8,CA=12,CB=8,PE=4,ThrA=10,ThrB=3"
    "ElemBits=5,CA=6,CB=9,PE=3,SeedA=321,SeedB=123"
    "ElemBits=1,CA=1,CB=1,PE=1,ThrA=3,ThrB=12"
    "ElemBits=16,CA=8,CB=2,PE=2,SeedA=7,SeedB=8"
    "ElemBits=2,CA=16,CB=32,PE=16")
