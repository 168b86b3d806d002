# qr_axis_check: the SV AXI4-Stream protocol checker (rtl-lib/qr_axis_check.sv) and the
# harness's C checks catch every injected violation (tbw_bad_skid.sv: Mode 0 none,
# 1 tvalid dropped, 2 tdata changed, 3 extra beat, 4 tlast changed, 5 X on tdata),
# in Verilator and in Icarus; and the input-side checks catch a misbehaving source.
qr_add_rtl_test(NAME tb_qr_axis_check TOP tbw_bad_skid
  SOURCES ${CMAKE_SOURCE_DIR}/rtl-lib/qr_skid.sv ${CMAKE_CURRENT_LIST_DIR}/tbw_bad_skid.sv
  TB ${CMAKE_CURRENT_LIST_DIR}/tb_qr_axis_check.c
  IN_BITS "DataBits" OUT_BITS "DataBits" TLAST
  CONFIGS "DataBits=8,Mode=0" "DataBits=8,Mode=1" "DataBits=8,Mode=2" "DataBits=8,Mode=3"
          "DataBits=8,Mode=4" "DataBits=8,Mode=5"
          "DataBits=70,Mode=0" "DataBits=70,Mode=1" "DataBits=70,Mode=2" "DataBits=1,Mode=2")

# The checker itself is clean in all three tools (both HasLast settings in Verilator).
find_program(QR_YOSYS yosys)
find_program(QR_VERILATOR_EXE verilator)
if(QR_VERILATOR_EXE AND QR_IVERILOG AND QR_YOSYS)
  set(_chk ${CMAKE_SOURCE_DIR}/rtl-lib/qr_axis_check.sv)
  add_test(NAME qr_axis_check_lint
           COMMAND sh -c "set -e; \
             ${QR_VERILATOR_EXE} --lint-only -Wall ${_chk}; \
             ${QR_VERILATOR_EXE} --lint-only -Wall -GHasLast=0 -GDataBits=1 ${_chk}; \
             ${QR_VERILATOR_EXE} --lint-only -Wall -GDataBits=300 ${_chk}; \
             ${QR_IVERILOG} -g2012 -o /dev/null ${_chk}; \
             ${QR_YOSYS} -q -p 'read_verilog -sv ${_chk}; hierarchy -top qr_axis_check; proc'; \
             echo 'qr_axis_check.sv: lint clean in verilator -Wall, iverilog -g2012, yosys'")
  set_tests_properties(qr_axis_check_lint PROPERTIES LABELS rtl)
endif()
