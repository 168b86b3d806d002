# --seed takes a whole number >= 0
args: tfc.onnx --seed=-1 -o out
exit: 2
