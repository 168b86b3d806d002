# --sim names a simulator
args: tfc.onnx --sim=vcs -o out
exit: 2
