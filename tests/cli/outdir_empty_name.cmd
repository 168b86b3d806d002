# an empty output directory name
args: tfc.onnx -o ''
exit: 2
