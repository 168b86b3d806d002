# tests/lint.cmake - static analysis of the compiler's C sources (label `lint`).
#
#   cmake -DQR_LINT=ON ..   then   ctest -L lint
#
# Off by default: on this 2-core machine cppcheck takes ~1 min and
# clang-tidy several minutes.  Both use the committed configuration:
# .clang-tidy (checks and why the others are off) and .cppcheck-suppressions
# (each waiver with its reason).  Each test fails on any finding and prints
# them; the count of findings per check is on the last line.
option(QR_LINT "register the lint tests (cppcheck, clang-tidy)" OFF)
if(QR_LINT)
  set(QR_LINT_DIRS frontend ir rtlgen ipxact boards sim/driver)
  find_program(QR_CPPCHECK cppcheck)
  find_program(QR_CLANG_TIDY NAMES clang-tidy clang-tidy-14)
  if(QR_CPPCHECK)
    add_test(NAME lint_cppcheck
             COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/lint/run_cppcheck.sh ${QR_CPPCHECK} ${CMAKE_SOURCE_DIR})
    set_tests_properties(lint_cppcheck PROPERTIES LABELS lint TIMEOUT 900)
  endif()
  if(QR_CLANG_TIDY)
    add_test(NAME lint_clang_tidy
             COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/lint/run_clang_tidy.sh ${QR_CLANG_TIDY} ${CMAKE_SOURCE_DIR}
                     ${CMAKE_BINARY_DIR})
    set_tests_properties(lint_clang_tidy PROPERTIES LABELS lint TIMEOUT 3600)
  endif()
endif()
