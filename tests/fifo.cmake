# tests/fifo.cmake - the cycle-level simulation and FIFO sizing (ir/fifo_sim.c), label fifo.
add_executable(test_fifo_sim ${CMAKE_CURRENT_LIST_DIR}/test_fifo_sim.c)
target_link_libraries(test_fifo_sim PRIVATE qrcore)

# Hand-built forks and joins: depth of the right order, deadlock at 1/4, no more bits
# than the formula, throughput at the bottleneck; single-unit rates.
add_test(NAME test_fifo_sim_unit COMMAND test_fifo_sim unit)
set_tests_properties(test_fifo_sim_unit PROPERTIES LABELS fifo)

# The switch: --fifo=bad, --fifo=formula, the default on a residual CNN; report.json.
add_test(NAME test_fifo_sim_cli COMMAND test_fifo_sim cli $<TARGET_FILE:qonnx-rtl>)
set_tests_properties(test_fifo_sim_cli PROPERTIES LABELS fifo)

# Shipped models: the simulation at the formula's depths within 2 % of the analytic
# bottleneck, sizing adds no bits (ESPCN: about 1 s of simulation each).
foreach(m mnist-tfc/TFC_1W1A mnist-tfc/TFC_1W2A mnist-tfc/TFC_2W2A unsw-nb15/unsw_nb15-mlp-w2a2
          gscv2-kws/kwsmlp_w3a3 jet-tagging/qkeras_jettagging residual/eltwise_chanlast_testcase
          espcn/espcn_subpixel_quant espcn/espcn_nn_resize_quant)
  get_filename_component(stem ${m} NAME)
  add_test(NAME test_fifo_sim_${stem} COMMAND test_fifo_sim model ${QR_SHARED_DIR}/models/${m}.onnx)
  set_tests_properties(test_fifo_sim_${stem} PROPERTIES LABELS fifo SKIP_RETURN_CODE 77 TIMEOUT 300)
endforeach()

# Built-in and generated CNNs: CNV, and residual/concat joins at three foldings.
set(QR_FIFO_CNNS
  "cnv-w1a1\;auto" "cnv-w2a2\;auto" "cnv-w2a2\;none"
  "cnn --seed 3 --input 3,16,16 --convs 8:3:1:1,res2:8:3:1:1,8:3:1:1 --scale pow2 --abits 4 --fc 10\;auto"
  "cnn --seed 3 --input 3,16,16 --convs 8:3:1:1,res2:8:3:1:1,8:3:1:1 --scale pow2 --abits 4 --fc 10\;none"
  "cnn --seed 4 --input 4,14,14 --convs 6:3:1:1,res:6:3:1:1,8:3:2:1,res:8:3:1:1 --scale pow2 --abits 3 --fc 5\;auto:fps=20000"
  "cnn --seed 5 --input 3,12,12 --convs 8:3:1:1,6:3:1:1,cat:5:1:1:0 --abits 2 --fc 4\;auto"
  "cnn --seed 6 --input 2,18,18 --convs 6:5:1:2,4:3:1:1,cat:4:1:1:0,res:8:3:1:1 --scale pow2 --abits 3 --fc 4\;none")
set(i 0)
foreach(pair ${QR_FIFO_CNNS})
  list(GET pair 0 ex)
  list(GET pair 1 fold)
  add_test(NAME test_fifo_sim_cnn_${i}
           COMMAND sh -c "t=$(mktemp -d) && $0 -q example $1 -o $t/m.onnx && $2 model $t/m.onnx $3; rc=$?; rm -rf $t; exit $rc"
                   $<TARGET_FILE:qonnx-rtl> "${ex}" $<TARGET_FILE:test_fifo_sim> ${fold})
  set_tests_properties(test_fifo_sim_cnn_${i} PROPERTIES LABELS fifo TIMEOUT 300)
  math(EXPR i "${i} + 1")
endforeach()
