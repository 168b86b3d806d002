# --ip-vlnv as the last word, without its value
args: tfc.onnx -o out --ip-vlnv
exit: 2
