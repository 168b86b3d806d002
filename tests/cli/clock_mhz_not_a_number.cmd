# --clock-mhz takes a number
args: tfc.onnx --clock-mhz=abc -o out
exit: 2
