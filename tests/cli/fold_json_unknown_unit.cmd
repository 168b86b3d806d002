# a folding file naming a unit the design does not have
args: -q tfc.onnx --fold=unknown_unit.json -o out
exit: 1
copy: unknown_unit.json
