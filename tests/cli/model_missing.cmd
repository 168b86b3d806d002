# a model file that does not exist is an input error
args: missing.onnx -o out
exit: 1
