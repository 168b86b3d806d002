# two models
args: tfc.onnx tfc.onnx -o out
exit: 2
