# tests/resources.cmake - the resource model (ir/resources.c) against its calibration
# data (bench/calib/data.csv, Yosys synth_xilinx on a sweep of unit configurations).
#
# test_resources reads the committed data and checks, through hw_estimate_part, that
# the LUT estimate is within 25 % of Yosys on >= 90 % of the rows and that BRAM18 and
# DSP are exact on >= 90 %; it never runs Yosys.  test_resources_detects runs the same
# check with every LUT estimate 40 % too high and must fail.  bench/calib/run.sh
# re-runs the sweep and the fit; calib_gen and calib_fit are its tools.
add_executable(test_resources ${CMAKE_CURRENT_LIST_DIR}/test_resources.c)
target_link_libraries(test_resources PRIVATE qrcore)
add_test(NAME test_resources COMMAND test_resources ${CMAKE_SOURCE_DIR}/bench/calib/data.csv)
add_test(NAME test_resources_detects
         COMMAND test_resources ${CMAKE_SOURCE_DIR}/bench/calib/data.csv --lut-scale 1.4)
set_tests_properties(test_resources test_resources_detects PROPERTIES LABELS "fold;resources")
set_tests_properties(test_resources_detects PROPERTIES WILL_FAIL TRUE)

add_executable(calib_gen ${CMAKE_SOURCE_DIR}/bench/calib/gen.c ${CMAKE_SOURCE_DIR}/rtl-lib/tb/model_mvu.c
                         ${CMAKE_SOURCE_DIR}/rtl-lib/tb/model_threshold.c)
target_link_libraries(calib_gen PRIVATE qrcore)
add_executable(calib_fit ${CMAKE_SOURCE_DIR}/bench/calib/fit.c)
target_link_libraries(calib_fit PRIVATE qrcore m)
