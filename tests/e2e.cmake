# tests/e2e.cmake - the main job end to end (ctest label e2e).
add_executable(test_e2e ${CMAKE_CURRENT_LIST_DIR}/test_e2e.c)
target_link_libraries(test_e2e PRIVATE qrcore)

set(QR_MLPS
  mnist-tfc/TFC_1W1A.onnx mnist-tfc/TFC_1W2A.onnx mnist-tfc/TFC_2W2A.onnx
  gscv2-kws/kwsmlp_w3a3.onnx jet-tagging/qkeras_jettagging.onnx
  unsw-nb15/unsw_nb15-mlp-w2a2.onnx)
foreach(m ${QR_MLPS})
  get_filename_component(stem ${m} NAME_WE)
  # The integer design equals the float QONNX graph on 10,000 random inputs.
  add_test(NAME e2e_streamline_${stem} COMMAND test_e2e streamline ${QR_SHARED_DIR}/models/${m} 10000)
  # Auto folding, 64 frames, Verilator and Icarus, cycles within 2 % of analytic.
  add_test(NAME e2e_verify_${stem}
           COMMAND test_e2e compile $<TARGET_FILE:qonnx-rtl> ${QR_SHARED_DIR}/models/${m} both 64)
  set_tests_properties(e2e_streamline_${stem} e2e_verify_${stem} PROPERTIES
                       LABELS e2e SKIP_RETURN_CODE 77)
endforeach()
add_test(NAME e2e_finn_tfc_folding
         COMMAND test_e2e finn-tfc $<TARGET_FILE:qonnx-rtl> ${QR_SHARED_DIR}/models/mnist-tfc/TFC_2W2A.onnx both 16)
# 30 random MLPs in 3 groups so ctest -j spreads them.
foreach(range "1;10" "11;20" "21;30")
  list(GET range 0 lo)
  list(GET range 1 hi)
  add_test(NAME e2e_random_mlp_${lo}_${hi}
           COMMAND test_e2e random $<TARGET_FILE:qonnx-rtl> ${lo} ${hi} both 16)
  # Seeds 1-10 run by default; 11-30 carry the label `long` (README's test
  # command leaves them out to keep the default run short; `ctest -L e2e` runs all).
  if(lo EQUAL 1)
    set_tests_properties(e2e_random_mlp_${lo}_${hi} PROPERTIES LABELS e2e TIMEOUT 1500)
  else()
    set_tests_properties(e2e_random_mlp_${lo}_${hi} PROPERTIES LABELS "e2e;long" TIMEOUT 1500)
  endif()
endforeach()
set_tests_properties(e2e_finn_tfc_folding PROPERTIES LABELS e2e SKIP_RETURN_CODE 77)

# The generated RTL (top + library units) is clean in all three tools:
# verilator --lint-only -Wall, iverilog -g2012, yosys read_verilog -sv.
add_test(NAME e2e_generated_rtl_lint
         COMMAND sh -c "set -e; t=$(mktemp -d); trap 'rm -rf $t' EXIT; \
           for ex in 'tfc-w2a2 --fold=none' 'tfc-w1a1 --fold=auto:lut=8000' 'mlp --seed 5 --fold=auto'; do \
             set -- $0 $ex; tool=$1; name=$2; fold=$(echo \"$ex\" | sed 's/.*--fold=/--fold=/'); \
             seed=$(echo \"$ex\" | grep -o -- '--seed [0-9]*' || true); \
             $tool -q example $name $seed -o $t/m.onnx; $tool -q $t/m.onnx $fold -o $t/o --force; \
             cd $t/o/rtl; \
             verilator --lint-only -Wall --top-module qr_m *.sv; \
             iverilog -g2012 -o /dev/null *.sv; \
             yosys -q -p \"read_verilog -sv $(ls *.sv | tr '\\n' ' ')\"; \
             echo \"lint clean: $ex\"; cd /; done; echo '3 passed, 0 failed'"
         $<TARGET_FILE:qonnx-rtl>)
set_tests_properties(e2e_generated_rtl_lint PROPERTIES LABELS e2e)
