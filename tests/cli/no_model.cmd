# no model, only options
args: -o out --fold=none
exit: 2
