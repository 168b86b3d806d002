# --top must be a SystemVerilog identifier
args: tfc.onnx --top=1st-top -o out
exit: 2
