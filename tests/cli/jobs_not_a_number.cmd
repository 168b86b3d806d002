# -j takes a whole number
args: tfc.onnx -j x -o out
exit: 2
