# tests/cli.cmake - golden tests of the compile command line (tests/cli/):
# CASE.cmd (arguments, expected exit code, setup) + CASE.err (exact stderr).
# Each checks one clear message, the exit code (2 usage, 1 bad input) and
# that nothing is left behind.  Adding a case = adding those two files.
add_executable(test_cli ${CMAKE_CURRENT_LIST_DIR}/cli/test_cli.c)
set(QR_CLI_WORK ${CMAKE_BINARY_DIR}/tests/cli_work)
file(MAKE_DIRECTORY ${QR_CLI_WORK})
add_test(NAME cli_model COMMAND qonnx-rtl -q example tfc-w1a1 -o ${QR_CLI_WORK}/tfc.onnx)
set_tests_properties(cli_model PROPERTIES FIXTURES_SETUP qr_cli_model LABELS cli)
file(GLOB QR_CLI_CASES CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/cli/*.cmd)
foreach(cmd ${QR_CLI_CASES})
  get_filename_component(case ${cmd} NAME_WE)
  add_test(NAME cli_${case}
           COMMAND test_cli $<TARGET_FILE:qonnx-rtl> ${CMAKE_CURRENT_LIST_DIR}/cli ${case} ${QR_CLI_WORK})
  set_tests_properties(cli_${case} PROPERTIES FIXTURES_REQUIRED qr_cli_model LABELS cli)
endforeach()
# ^C / SIGTERM during --verify: the unfinished output is removed, the simulator stopped.
find_program(QR_IVERILOG_CLI iverilog)
if(QR_IVERILOG_CLI)
  add_test(NAME cli_interrupt_verify
           COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/cli/interrupt.sh $<TARGET_FILE:qonnx-rtl>
                   ${QR_CLI_WORK}/tfc.onnx ${QR_CLI_WORK})
  set_tests_properties(cli_interrupt_verify PROPERTIES FIXTURES_REQUIRED qr_cli_model LABELS cli
                       TIMEOUT 300)
endif()
