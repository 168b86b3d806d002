# tests/exec.cmake - golden executor, QONNX ops, element-wise ops, .npy I/O.
add_executable(test_rounding ${CMAKE_CURRENT_LIST_DIR}/test_rounding.c)
target_link_libraries(test_rounding PRIVATE qrcore)
add_test(NAME test_rounding COMMAND test_rounding)
add_executable(test_exec_npy ${CMAKE_CURRENT_LIST_DIR}/test_exec_npy.c)
target_link_libraries(test_exec_npy PRIVATE qrcore)
add_test(NAME test_exec_npy COMMAND test_exec_npy)
