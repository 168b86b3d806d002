# --part and --board must agree
args: tfc.onnx --board=pynq-z2 --part=xczu7ev -o out
exit: 2
