# qr_add: through tbw_qr_add.sv (a and b from one harness beat {stall_en, b, a}, split
# into two FIFOs, each gated into the unit by its own random stall source).
# Input types: unsigned, signed and bipolar on either side; MulA/MulB positive,
# negative, zero-free, up to 2^20; PE 1, 2, 3, 4, 5, 8.  OBits is the exact width of
# the output range (as the compiler passes it), except the last config, which wraps
# modulo 2^OBits on purpose.  Output widths 2..37 bits (VlWide ports).
set(_qr_add_src ${CMAKE_SOURCE_DIR}/rtl-lib)
qr_add_rtl_test(NAME tb_qr_add TOP tbw_qr_add
  SOURCES ${_qr_add_src}/qr_skid.sv ${_qr_add_src}/qr_fifo.sv ${_qr_add_src}/qr_add.sv
          ${CMAKE_CURRENT_LIST_DIR}/tbw_qr_stall.sv ${CMAKE_CURRENT_LIST_DIR}/tbw_qr_add.sv
  TB ${CMAKE_CURRENT_LIST_DIR}/tb_qr_add.c
  IN_BITS "PE*(ABits+BBits)+1" OUT_BITS "PE*OBits"
  CONFIGS
    "ABits=4,BBits=4,MulA=1,MulB=1,OBits=5,PE=1"
    "ABits=4,ASigned=1,BBits=3,BSigned=1,MulA=1,MulB=-1,OBits=5,PE=2,SeedA=1,SeedB=2"
    "ABits=1,ABipolar=1,BBits=1,BBipolar=1,MulA=1,MulB=1,OBits=3,PE=8,ThrA=10,ThrB=3"
    "ABits=8,ASigned=1,BBits=1,BBipolar=1,MulA=3,MulB=-5,OBits=10,PE=2,SeedA=77,SeedB=5"
    "ABits=2,BBits=6,BSigned=1,MulA=1048576,MulB=-1000003,OBits=27,PE=4,ThrA=8,ThrB=8"
    "ABits=16,ASigned=1,BBits=16,BSigned=1,MulA=1048575,MulB=-1048575,OBits=37,PE=1,ThrA=3,ThrB=11"
    "ABits=3,BBits=5,MulA=-2,MulB=7,OBits=9,PE=3,SeedA=999,SeedB=31"
    "ABits=1,ABipolar=1,BBits=4,BSigned=1,MulA=-6,MulB=1,OBits=5,PE=5"
    "ABits=8,BBits=8,BSigned=1,MulA=5,MulB=-3,OBits=6,PE=1,SeedA=3,SeedB=4")
