# an unknown board
args: tfc.onnx --board=pynq-z9 -o out
exit: 2
