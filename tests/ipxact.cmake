# tests/ipxact.cmake - DIR/ip (IP-XACT, FuseSoC), DIR/boards (Vivado/Vitis
# scripts under a Tcl mock of Vivado), driver.py (ctest label ipxact).
add_executable(test_ipxact ${CMAKE_CURRENT_LIST_DIR}/test_ipxact.c)
target_link_libraries(test_ipxact PRIVATE PkgConfig::LIBXML2)
add_test(NAME test_ipxact
         COMMAND test_ipxact $<TARGET_FILE:qonnx-rtl> ${QR_SHARED_DIR} ${CMAKE_CURRENT_BINARY_DIR}/ipxact_work)
set_tests_properties(test_ipxact PROPERTIES LABELS ipxact SKIP_RETURN_CODE 77 TIMEOUT 600)
add_test(NAME test_boards
         COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/test_boards.sh $<TARGET_FILE:qonnx-rtl> ${CMAKE_SOURCE_DIR}
                 ${CMAKE_CURRENT_BINARY_DIR}/boards_work)
set_tests_properties(test_boards PROPERTIES LABELS ipxact SKIP_RETURN_CODE 77 TIMEOUT 600)
