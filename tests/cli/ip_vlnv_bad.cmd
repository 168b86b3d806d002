# --ip-vlnv needs vendor:library:name:version
args: tfc.onnx --ip-vlnv=acme:ip:top -o out
exit: 2
