# tests/determinism.cmake - two compiles of one model (no --verify) give
# byte-identical output trees: the shipped MLPs (skipped when ../shared is
# absent) and the built-in examples tfc-w1a1 and `mlp --seed 3`.
add_executable(test_determinism ${CMAKE_CURRENT_LIST_DIR}/test_determinism.c)
foreach(set shipped examples)
  add_test(NAME test_determinism_${set}
           COMMAND test_determinism $<TARGET_FILE:qonnx-rtl> ${QR_SHARED_DIR}
                   ${CMAKE_BINARY_DIR}/tests/determinism_${set} ${set})
  set_tests_properties(test_determinism_${set} PROPERTIES SKIP_RETURN_CODE 77)
endforeach()
