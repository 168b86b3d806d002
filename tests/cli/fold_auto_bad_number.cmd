# a bad auto folding spec is found before any work
args: tfc.onnx --fold=auto:fps=abc -o out
exit: 2
