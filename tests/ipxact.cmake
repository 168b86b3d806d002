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
# driver.py vs the C packer and host model; needs numpy (skips without it).
add_executable(test_driver_ref ${CMAKE_CURRENT_LIST_DIR}/test_driver_ref.c)
target_link_libraries(test_driver_ref PRIVATE qrcore)
find_program(QR_PYTHON3 NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(NOT QR_PYTHON3)
  find_program(QR_PYTHON3 python3)
endif()
add_test(NAME test_driver
         COMMAND ${QR_PYTHON3} ${CMAKE_CURRENT_LIST_DIR}/test_driver.py $<TARGET_FILE:qonnx-rtl>
                 $<TARGET_FILE:test_driver_ref> ${CMAKE_SOURCE_DIR} ${QR_SHARED_DIR}
                 ${CMAKE_CURRENT_BINARY_DIR}/driver_work)
set_tests_properties(test_driver PROPERTIES LABELS ipxact SKIP_RETURN_CODE 77 TIMEOUT 600)
