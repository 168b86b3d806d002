# a folding file that is not JSON (a doubled comma)
args: -q tfc.onnx --fold=malformed.json -o out
exit: 1
copy: malformed.json
