# an unknown part
args: tfc.onnx --part=xc9z999 -o out
exit: 2
