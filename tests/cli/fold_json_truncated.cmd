# a folding file cut short
args: -q tfc.onnx --fold=truncated.json -o out
exit: 1
copy: truncated.json
