# tests/info.cmake - `qonnx-rtl info` (ir/info.c) and datatype inference (ir/dtype_infer.c).
add_executable(test_info ${CMAKE_CURRENT_LIST_DIR}/test_info.c)
target_link_libraries(test_info PRIVATE qrcore)
# inference rules on small hand-built models
add_test(NAME test_info_dtypes COMMAND test_info dtypes)
# example tfc-*/cnv-* against the QONNX paper and qonnx's own reference figures
add_test(NAME test_info COMMAND test_info examples $<TARGET_FILE:qonnx-rtl>)
# the shipped TFC models against the paper (skips without shared/)
add_test(NAME test_info_tfc COMMAND test_info tfc $<TARGET_FILE:qonnx-rtl> ${QR_SHARED_DIR})
set_tests_properties(test_info_tfc PROPERTIES SKIP_RETURN_CODE 77)

# Optional cross-check against qonnx's own inference_cost (Python venv made by
# setup.sh: build/venv with qonnx + onnxruntime); skips when it is missing.
set(QR_VENV "${CMAKE_SOURCE_DIR}/build/venv" CACHE PATH "Python venv with qonnx (optional tests)")
add_test(NAME test_info_qonnx
         COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/test_info_qonnx.sh ${QR_VENV}
                 $<TARGET_FILE:qonnx-rtl> ${QR_SHARED_DIR})
set_tests_properties(test_info_qonnx PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 900)
