# tests/nodetests.cmake - neural-network and shape kernels; ONNX backend node tests.
add_executable(test_ops_nn ${CMAKE_CURRENT_LIST_DIR}/test_ops_nn.c)
target_link_libraries(test_ops_nn PRIVATE qrcore)
add_test(NAME test_ops_nn COMMAND test_ops_nn)
