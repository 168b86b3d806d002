# tests/examples.cmake - built-in example models (frontend/example*.c, onnx_build).
add_executable(test_examples ${CMAKE_CURRENT_LIST_DIR}/test_examples.c)
target_link_libraries(test_examples PRIVATE qrcore)
# every fixed example loads, cleans up, executes; determinism
add_test(NAME test_examples COMMAND test_examples fixed)
# random mlp and cnn models over seeds 1..150 each
add_test(NAME test_examples_random COMMAND test_examples random 150)
# the CLI: --list/--help, usage and input errors leave no file behind
add_test(NAME test_examples_cli COMMAND test_examples cli $<TARGET_FILE:qonnx-rtl>)
# example tfc-* against the shipped Brevitas exports (skips without shared/)
add_test(NAME test_examples_tfc_ops COMMAND test_examples tfc-ops ${QR_SHARED_DIR})
set_tests_properties(test_examples_tfc_ops PROPERTIES SKIP_RETURN_CODE 77)
# random CNNs with residual blocks, concats, dilations, avgpool and GAP: fixed option
# sets over every --scale, then --extras 1 over seeds 1..60; structure in the loaded
# graph, executor, `qonnx-rtl info` and `exec`, printed options rebuild the bytes
add_test(NAME test_examples_structures
         COMMAND test_examples structures $<TARGET_FILE:qonnx-rtl> 60)
# the same kinds of models against qonnx's executor (tests/xcheck_examples.py: 7 fixed
# option sets + 4 --extras seeds, 32 inputs each; ~1 min); skips (77) without the venv
set(QR_VENV "${CMAKE_SOURCE_DIR}/build/venv" CACHE PATH "Python venv with qonnx (optional tests)")
add_test(NAME xcheck_examples
         COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/xcheck_qonnx.sh ${QR_VENV}
                 --script xcheck_examples.py $<TARGET_FILE:qonnx-rtl> 32 4)
set_tests_properties(xcheck_examples PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 900)
set_tests_properties(test_examples test_examples_random test_examples_cli
                     test_examples_tfc_ops test_examples_structures xcheck_examples
                     PROPERTIES LABELS examples)
