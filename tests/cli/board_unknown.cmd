# an unknown board names the known ones
args: tfc.onnx --board=pynq-z9 -o out
exit: 2
