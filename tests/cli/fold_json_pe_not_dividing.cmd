# a folding file whose PE does not divide MH
args: -q tfc.onnx --fold=pe_not_dividing.json -o out
exit: 1
copy: pe_not_dividing.json
