# qr_skid: identity model, widths from 1 bit to a VlWide (3 words).
qr_add_rtl_test(NAME tb_qr_skid TOP qr_skid
  SOURCES ${CMAKE_SOURCE_DIR}/rtl-lib/qr_skid.sv
  TB ${CMAKE_CURRENT_LIST_DIR}/tb_qr_skid.c
  IN_BITS "DataBits" OUT_BITS "DataBits"
  CONFIGS "DataBits=1" "DataBits=8" "DataBits=33" "DataBits=70")
