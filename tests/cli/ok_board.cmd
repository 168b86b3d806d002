# control: a board build succeeds and writes DIR/boards/BOARD
args: -q tfc.onnx --board=pynq-z2 -o out
exit: 0
creates: out
creates: out/boards
