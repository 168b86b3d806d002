# the output path is a file
args: tfc.onnx -o tfc.onnx
exit: 2
