# control: -o DIR/ with a trailing slash, replacing a non-empty DIR with --force
args: -q tfc.onnx -o out/ --force
exit: 0
mkdir: out keep.txt
creates: out
