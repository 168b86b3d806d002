# control: options before the model, success, the output directory appears
args: -q -o out --fold=none tfc.onnx
exit: 0
creates: out
