# tests/fuzz.cmake - fuzz targets (tests/fuzz/, see its README.md).
#
#   CC=clang CXX=clang++ cmake -S . -B build-fuzz -DQR_FUZZ=ON
#   cmake --build build-fuzz --target fuzz_onnx fuzz_npy fuzz_foldjson fuzz_compile qonnx-rtl
#
# QR_FUZZ=ON (clang only) compiles the compiler library with libFuzzer's
# coverage instrumentation plus ASan/UBSan and links each fuzz_NAME with
# libFuzzer's main; everything else linking qrcore (qonnx-rtl too) gets the
# sanitizers.  Without it the same harnesses link replay_main.c instead, and
# ctest replays the committed seeds and crash regressions through them
# (fuzz_replay_NAME), so the oracles run in every build.
option(QR_FUZZ "build libFuzzer targets (needs clang; instruments qrcore with ASan/UBSan)" OFF)
set(QR_FUZZ_NAMES onnx npy foldjson compile)
set(QR_FUZZ_DIR ${CMAKE_CURRENT_LIST_DIR}/fuzz)

if(QR_FUZZ)
  if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "QR_FUZZ=ON needs clang (configure with CC=clang CXX=clang++)")
  endif()
  set(QR_FUZZ_SAN -fsanitize=address,undefined -fno-sanitize-recover=undefined
      -fno-omit-frame-pointer -g)
  target_compile_options(qrcore PRIVATE -fsanitize=fuzzer-no-link ${QR_FUZZ_SAN})
  target_compile_options(qr_onnxpb PRIVATE ${QR_FUZZ_SAN})
  target_link_options(qrcore INTERFACE -fsanitize=address,undefined)
endif()

foreach(t ${QR_FUZZ_NAMES})
  if(QR_FUZZ)
    add_executable(fuzz_${t} ${QR_FUZZ_DIR}/fuzz_${t}.c)
    target_compile_options(fuzz_${t} PRIVATE -fsanitize=fuzzer ${QR_FUZZ_SAN})
    target_link_options(fuzz_${t} PRIVATE -fsanitize=fuzzer)
  else()
    add_executable(fuzz_${t} ${QR_FUZZ_DIR}/fuzz_${t}.c ${QR_FUZZ_DIR}/replay_main.c)
  endif()
  target_link_libraries(fuzz_${t} PRIVATE qrcore)
  # Replay the committed seeds and every crash regression of this target.
  set(inputs)
  foreach(d ${QR_FUZZ_DIR}/seeds/${t} ${CMAKE_CURRENT_LIST_DIR}/regress/${t})
    if(IS_DIRECTORY ${d})
      list(APPEND inputs ${d})
    endif()
  endforeach()
  if(inputs)
    if(QR_FUZZ)  # libFuzzer: directories are corpora; -runs=0 runs each input once
      add_test(NAME fuzz_replay_${t} COMMAND fuzz_${t} -runs=0 ${inputs})
    else()
      add_test(NAME fuzz_replay_${t} COMMAND fuzz_${t} ${inputs})
    endif()
    set_tests_properties(fuzz_replay_${t} PROPERTIES LABELS fuzz)
  endif()
endforeach()

# Crash regressions: every input a fuzz target once failed on, kept as
# tests/regress/NAME/FILE and run through the normal qonnx-rtl binary
# (tests/regress/run_regress.sh: no crash, exit 0 or 1, one clean error line).
set(QR_REGRESS_WORK ${CMAKE_BINARY_DIR}/tests/regress_work)
file(MAKE_DIRECTORY ${QR_REGRESS_WORK})
foreach(t ${QR_FUZZ_NAMES})
  file(GLOB QR_REGRESS_FILES CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/regress/${t}/*)
  foreach(f ${QR_REGRESS_FILES})
    get_filename_component(name ${f} NAME)
    add_test(NAME regress_${t}_${name}
             COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/regress/run_regress.sh $<TARGET_FILE:qonnx-rtl>
                     ${t} ${f} ${QR_REGRESS_WORK})
    set_tests_properties(regress_${t}_${name} PROPERTIES LABELS fuzz)
  endforeach()
endforeach()
