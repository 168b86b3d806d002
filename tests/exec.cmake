# tests/exec.cmake - golden executor, QONNX ops, element-wise ops, .npy I/O.
add_executable(test_rounding ${CMAKE_CURRENT_LIST_DIR}/test_rounding.c)
target_link_libraries(test_rounding PRIVATE qrcore)
add_test(NAME test_rounding COMMAND test_rounding)
add_executable(test_exec_npy ${CMAKE_CURRENT_LIST_DIR}/test_exec_npy.c)
target_link_libraries(test_exec_npy PRIVATE qrcore)
add_test(NAME test_exec_npy COMMAND test_exec_npy)
add_executable(test_exec_refs ${CMAKE_CURRENT_LIST_DIR}/test_exec_refs.c)
target_link_libraries(test_exec_refs PRIVATE qrcore)
add_test(NAME test_exec_refs COMMAND test_exec_refs ${QR_SHARED_DIR})
set_tests_properties(test_exec_refs PROPERTIES SKIP_RETURN_CODE 77)
add_executable(test_exec_ops ${CMAKE_CURRENT_LIST_DIR}/test_exec_ops.c)
target_link_libraries(test_exec_ops PRIVATE qrcore)
add_test(NAME test_exec_ops COMMAND test_exec_ops)

# Optional cross-check against qonnx's own executor (Python venv made by setup.sh:
# build/venv with qonnx + onnxruntime; configure with -DQR_VENV=... elsewhere).
# Every shared model, 32 seeded random inputs; skips (77) with a message when the
# venv is missing.  Takes ~2-3 minutes (ESPCN dominates).
set(QR_VENV "${CMAKE_SOURCE_DIR}/build/venv" CACHE PATH "Python venv with qonnx (optional tests)")
add_test(NAME xcheck_qonnx
         COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/xcheck_qonnx.sh ${QR_VENV}
                 $<TARGET_FILE:qonnx-rtl> ${QR_SHARED_DIR} 32)
set_tests_properties(xcheck_qonnx PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 1200)
# Conv bit for bit against onnxruntime (exec_conv mirrors its MLAS order): 21
# fixed shapes, one per MLAS path, and 300 random one-node Convs; ~15 s.
add_test(NAME xcheck_conv_ort
         COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/xcheck_qonnx.sh ${QR_VENV}
                 --script xcheck_conv_ort.py $<TARGET_FILE:qonnx-rtl> 300 1)
set_tests_properties(xcheck_conv_ort PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600)
