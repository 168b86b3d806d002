# -o without its directory
args: tfc.onnx -o
exit: 2
