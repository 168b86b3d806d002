# an unknown option is a usage error naming it
args: tfc.onnx --frobnicate -o out
exit: 2
