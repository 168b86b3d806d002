# an existing non-empty output directory needs --force
args: tfc.onnx -o out
exit: 2
mkdir: out keep.txt
