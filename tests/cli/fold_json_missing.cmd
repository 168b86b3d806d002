# a folding file that does not exist
args: -q tfc.onnx --fold=nofile.json -o out
exit: 1
