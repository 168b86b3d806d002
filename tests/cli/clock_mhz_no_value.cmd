# --clock-mhz as the last word, without its value
args: tfc.onnx -o out --clock-mhz
exit: 2
