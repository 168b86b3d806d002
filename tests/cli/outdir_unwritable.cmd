# an output directory that cannot be created is found before any work
args: tfc.onnx -o /proc/qonnx-rtl-test
exit: 2
