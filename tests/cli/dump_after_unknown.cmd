# --dump-after names a stage
args: tfc.onnx --dump-after=lower -o out
exit: 2
