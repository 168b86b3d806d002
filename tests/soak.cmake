# tests/soak.cmake - soak tests (label `soak`, also `long` so the default
# `ctest -LE long` run leaves them out).  Run with `ctest -L soak`.
#
# soak_tfc_w2a2_1M: 1,000,000 random frames through TFC-w2a2 (--fold=auto) in
# Verilator, one continuous run with random input gaps and output backpressure,
# every frame compared with the integer model on the fly (tests/soak/soak.sh).
# About an hour on a loaded two-core machine.
add_test(NAME soak_tfc_w2a2_1M
         COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/soak/soak.sh $<TARGET_FILE:qonnx-rtl> tfc-w2a2 1000000)
set_tests_properties(soak_tfc_w2a2_1M PROPERTIES LABELS "soak;long" TIMEOUT 14400)

# The streaming path itself, in the default run: a small MLP, 3,000 frames streamed
# (QR_VERIFY_STREAM_FRAMES lowers the 100,000-frame threshold).  A few minutes, most
# of it the -O2 build of the Verilated model.
add_test(NAME e2e_verify_stream
         COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/soak/soak.sh $<TARGET_FILE:qonnx-rtl>
                 "mlp --seed 3 --layers 20,12,10,4" 3000)
set_tests_properties(e2e_verify_stream PROPERTIES LABELS e2e TIMEOUT 1200
                     ENVIRONMENT QR_VERIFY_STREAM_FRAMES=100)
