# --verify=N needs N >= 1, not negative
args: tfc.onnx --verify=-3 -o out
exit: 2
