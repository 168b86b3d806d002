# qr_fifo: identity model over depths (powers of two and not) and both storage styles.
qr_add_rtl_test(NAME tb_qr_fifo TOP qr_fifo
  SOURCES ${CMAKE_SOURCE_DIR}/rtl-lib/qr_fifo.sv
  TB ${CMAKE_CURRENT_LIST_DIR}/tb_qr_fifo.c
  IN_BITS "DataBits" OUT_BITS "DataBits"
  CONFIGS
    "DataBits=8,Depth=1"
    "DataBits=8,Depth=2"
    "DataBits=5,Depth=3,RamStyle=\"distributed\""
    "DataBits=33,Depth=16"
    "DataBits=8,Depth=33"
    "DataBits=8,Depth=1,RamStyle=\"block\""
    "DataBits=8,Depth=2,RamStyle=\"block\""
    "DataBits=8,Depth=4,RamStyle=\"block\""
    "DataBits=70,Depth=5,RamStyle=\"block\""
    "DataBits=8,Depth=100"
    "DataBits=1,Depth=512,RamStyle=\"ultra\"")
