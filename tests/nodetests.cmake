# tests/nodetests.cmake - neural-network and shape kernels; ONNX backend node tests.
add_executable(test_ops_nn ${CMAKE_CURRENT_LIST_DIR}/test_ops_nn.c)
target_link_libraries(test_ops_nn PRIVATE qrcore)
add_test(NAME test_ops_nn COMMAND test_ops_nn)

# ONNX's backend node tests (Debian libonnx-testdata); skips (77) when absent.
add_executable(test_onnx_nodes ${CMAKE_CURRENT_LIST_DIR}/test_onnx_nodes.c)
target_link_libraries(test_onnx_nodes PRIVATE qrcore)
add_test(NAME test_onnx_nodes COMMAND test_onnx_nodes /usr/share/libonnx-testdata/data/node)
set_tests_properties(test_onnx_nodes PROPERTIES SKIP_RETURN_CODE 77)

# Our own cases in the same layout (tests/gen_nn_cases.py, expected outputs from
# onnxruntime): features ONNX's node tests leave out (older opsets, groups, 1-D/3-D).
add_test(NAME test_onnx_nn_cases
         COMMAND test_onnx_nodes ${CMAKE_CURRENT_LIST_DIR}/data/nn_cases)
set_tests_properties(test_onnx_nn_cases PROPERTIES SKIP_RETURN_CODE 77)
