# tests/frontend.cmake - loader, checks, cleanup, verifier; golden diagnostics.
add_executable(test_frontend_models ${CMAKE_CURRENT_LIST_DIR}/test_frontend_models.c)
target_link_libraries(test_frontend_models PRIVATE qrcore)
add_test(NAME test_frontend_models COMMAND test_frontend_models ${QR_SHARED_DIR})
set_tests_properties(test_frontend_models PROPERTIES SKIP_RETURN_CODE 77)

# Golden diagnostics: tests/bad/CASE.err is the exact stderr `qonnx-rtl info`
# and `qonnx-rtl exec` must print for CASE.onnx, which bad_gen writes into
# the work directory first (fixture).  Adding a case = a generator entry in
# bad_gen.c + its .err file.
add_executable(bad_gen ${CMAKE_CURRENT_LIST_DIR}/bad_gen.c)
target_link_libraries(bad_gen PRIVATE qrcore)
add_executable(test_frontend_bad ${CMAKE_CURRENT_LIST_DIR}/test_frontend_bad.c)
set(QR_BAD_WORK ${CMAKE_BINARY_DIR}/tests/bad_work)
file(MAKE_DIRECTORY ${QR_BAD_WORK})
add_test(NAME bad_gen COMMAND bad_gen WORKING_DIRECTORY ${QR_BAD_WORK})
set_tests_properties(bad_gen PROPERTIES FIXTURES_SETUP qr_bad_models)
file(GLOB QR_BAD_CASES CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/bad/*.err)
foreach(err ${QR_BAD_CASES})
  get_filename_component(case ${err} NAME_WE)
  add_test(NAME bad_${case}
           COMMAND test_frontend_bad $<TARGET_FILE:qonnx-rtl> ${CMAKE_CURRENT_LIST_DIR}/bad ${case}
           WORKING_DIRECTORY ${QR_BAD_WORK})
  set_tests_properties(bad_${case} PROPERTIES FIXTURES_REQUIRED qr_bad_models)
endforeach()

# Loader/cleanup/verifier details on small built models.
add_executable(test_frontend_unit ${CMAKE_CURRENT_LIST_DIR}/test_frontend_unit.c)
target_link_libraries(test_frontend_unit PRIVATE qrcore)
add_test(NAME test_frontend_unit COMMAND test_frontend_unit
         WORKING_DIRECTORY ${CMAKE_BINARY_DIR}/tests)

# Mutated models: never a crash, always exactly one error line per rejection
# (build type Sanitize adds the memory checks).
add_executable(test_frontend_fuzz ${CMAKE_CURRENT_LIST_DIR}/test_frontend_fuzz.c)
target_link_libraries(test_frontend_fuzz PRIVATE qrcore)
add_test(NAME test_frontend_fuzz COMMAND test_frontend_fuzz ${QR_SHARED_DIR} 3000
         WORKING_DIRECTORY ${CMAKE_BINARY_DIR}/tests)

# ir_dump golden files (tests/dump/*.ir); `test_frontend_dump DIR SHARED --update`
# rewrites them.
add_executable(test_frontend_dump ${CMAKE_CURRENT_LIST_DIR}/test_frontend_dump.c)
target_link_libraries(test_frontend_dump PRIVATE qrcore)
add_test(NAME test_frontend_dump
         COMMAND test_frontend_dump ${CMAKE_CURRENT_LIST_DIR}/dump ${QR_SHARED_DIR})

# Optional: our shapes after cleanup vs Python qonnx's InferShapes (venv made
# by setup.sh, QR_VENV); skips when the venv is missing.
set(QR_VENV "${CMAKE_SOURCE_DIR}/build/venv" CACHE PATH "Python venv with qonnx (optional tests)")
add_test(NAME test_frontend_qonnx
         COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/test_frontend_qonnx.sh ${QR_VENV}
                 $<TARGET_FILE:test_frontend_models> ${QR_SHARED_DIR})
set_tests_properties(test_frontend_qonnx PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600)
