# --verify=N needs N >= 1
args: tfc.onnx --verify=0 -o out
exit: 2
