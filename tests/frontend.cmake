# tests/frontend.cmake - loader, checks, cleanup, verifier; golden diagnostics.
add_executable(test_frontend_models ${CMAKE_CURRENT_LIST_DIR}/test_frontend_models.c)
target_link_libraries(test_frontend_models PRIVATE qrcore)
add_test(NAME test_frontend_models COMMAND test_frontend_models ${QR_SHARED_DIR})
set_tests_properties(test_frontend_models PROPERTIES SKIP_RETURN_CODE 77)
