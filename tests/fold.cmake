# tests/fold.cmake - folding (ir/fold.c), cost model (ir/resources.c), parts
# (boards/parts.c), the JSON reader (ir/json.c) and the report (rtlgen/report.c).
add_executable(test_fold ${CMAKE_CURRENT_LIST_DIR}/test_fold.c)
target_link_libraries(test_fold PRIVATE qrcore)
foreach(what model auto fps json errors)
  add_test(NAME test_fold_${what} COMMAND test_fold ${what})
  set_tests_properties(test_fold_${what} PROPERTIES LABELS fold)
endforeach()
