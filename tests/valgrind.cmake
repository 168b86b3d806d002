# tests/valgrind.cmake - no leaks and no invalid accesses in `info` and `exec`
# (valgrind memcheck; label valgrind).  Disabled when ../shared is absent,
# and in the Sanitize build: valgrind cannot run an ASan binary (ASan's
# shadow memory and valgrind's both want the address space), and that build
# checks the same things with ASan's leak checker.
find_program(QR_VALGRIND valgrind)
if(CMAKE_BUILD_TYPE STREQUAL "Sanitize")
  message(STATUS "valgrind tests: off in the Sanitize build (ASan does their job there)")
elseif(QR_VALGRIND AND EXISTS ${QR_SHARED_DIR}/models/mnist-tfc/TFC_2W2A.onnx)
  set(QR_VG ${QR_VALGRIND} --quiet --error-exitcode=3 --leak-check=full
            --errors-for-leak-kinds=definite,indirect)
  set(QR_VG_DIR ${CMAKE_BINARY_DIR}/tests/valgrind_work)
  file(MAKE_DIRECTORY ${QR_VG_DIR})
  set(m ${QR_SHARED_DIR}/models)
  add_test(NAME valgrind_info_tfc
           COMMAND ${QR_VG} $<TARGET_FILE:qonnx-rtl> -q info ${m}/mnist-tfc/TFC_2W2A.onnx)
  add_test(NAME valgrind_exec_floatquant
           COMMAND ${QR_VG} $<TARGET_FILE:qonnx-rtl> -q exec ${m}/floatquant/qonnx_act_weight_fp8.onnx
                   -i ${m}/floatquant/test_data/input.npy -o ${QR_VG_DIR}/fq_out.npy)
  add_test(NAME valgrind_exec_mnist_conv
           COMMAND ${QR_VG} $<TARGET_FILE:qonnx-rtl> -q exec ${m}/mnist-conv/model.onnx
                   -i ${m}/mnist-conv/test_data_set_0/input_0.pb -o ${QR_VG_DIR}/mc_out.npy)
  add_test(NAME valgrind_compile_tfc
           COMMAND ${QR_VG} $<TARGET_FILE:qonnx-rtl> -q ${m}/mnist-tfc/TFC_1W1A.onnx
                   -o ${QR_VG_DIR}/tfc_out --force)
  set_tests_properties(valgrind_info_tfc valgrind_exec_floatquant valgrind_exec_mnist_conv
                       valgrind_compile_tfc PROPERTIES LABELS valgrind)
endif()
