# a folding file with a negative PE
args: -q tfc.onnx --fold=negative_pe.json -o out
exit: 1
copy: negative_pe.json
