#!/bin/sh
# run_regress.sh QONNX_RTL KIND FILE WORK_DIR - one crash regression (an input
# a fuzz target once crashed on, tests/regress/KIND/) through the normal binary:
#   onnx      qonnx-rtl info FILE                       (load, check, cleanup)
#   compile   qonnx-rtl FILE -o OUT                     (the whole compile, no simulation;
#             if accepted, again with --fold=OUT/folding.json: the same folding.json)
#   npy       qonnx-rtl exec tfc.onnx -i FILE -o Y.npy  (the .npy reader)
#   foldjson  qonnx-rtl tfc.onnx --fold=FILE -o OUT     (the folding JSON reader)
# Checked: the process exits by itself with 0 (accepted) or 1 (rejected), every
# stderr line is a qonnx-rtl diagnostic, a rejection prints exactly one error
# line and leaves no output behind, an acceptance prints none.  A file named
# *.reject.* was once wrongly accepted: it must be rejected (exit 1).
set -u
tool=$1; kind=$2; file=$3; work=$4
name=$(basename "$file")
dir=$work/regress_${kind}_$name
rm -rf "$dir" && mkdir -p "$dir" || exit 1
fails=0; passes=0
check() { # ok? message
  if [ "$1" = 1 ]; then echo "ok   $2"; passes=$((passes + 1)); else echo "FAIL $2"; fails=$((fails + 1)); fi
}
case $kind in
  onnx) set -- info "$file" ;;
  compile) set -- -q "$file" -o "$dir/out" ;;
  npy) "$tool" -q example tfc-w1a1 -o "$dir/tfc.onnx" || exit 1
       set -- exec "$dir/tfc.onnx" -i "$file" -o "$dir/out.npy" ;;
  foldjson) "$tool" -q example tfc-w1a1 -o "$dir/tfc.onnx" || exit 1
            set -- -q "$dir/tfc.onnx" --fold="$file" -o "$dir/out" ;;
  *) echo "FAIL unknown kind $kind"; exit 1 ;;
esac
echo "regression $kind/$name: qonnx-rtl $*"
"$tool" "$@" >"$dir/stdout" 2>"$dir/stderr"
rc=$?
check "$([ $rc -eq 0 ] || [ $rc -eq 1 ] && echo 1)" "exit status $rc (0 accepted or 1 rejected; not a crash, not a signal)"
lines=$(wc -l <"$dir/stderr")
other=$(grep -cv '^qonnx-rtl: ' "$dir/stderr")
errors=$(grep -c ': error: ' "$dir/stderr")
check "$([ "$other" -eq 0 ] && echo 1)" "all $lines stderr lines are qonnx-rtl diagnostics"
case $name in *.reject.*)
  check "$([ $rc -eq 1 ] && echo 1)" "rejected (exit 1), as its name *.reject.* says" ;;
esac
if [ $rc -eq 1 ]; then
  check "$([ "$errors" -eq 1 ] && echo 1)" "a rejection prints exactly one error line (got $errors)"
  left=$(ls -d "$dir"/out* 2>/dev/null | wc -l)
  check "$([ "$left" -eq 0 ] && echo 1)" "no output left behind"
elif [ $rc -eq 0 ]; then
  check "$([ "$errors" -eq 0 ] && echo 1)" "an acceptance prints no error line"
  if [ "$kind" = compile ]; then # the folding.json written reproduces the folding
    "$tool" -q "$file" -o "$dir/out2" --fold="$dir/out/folding.json" >"$dir/stdout2" 2>"$dir/stderr2"
    check "$([ $? -eq 0 ] && cmp -s "$dir/out/folding.json" "$dir/out2/folding.json" && echo 1)" \
      "--fold=out/folding.json compiles to the same folding.json"
    sed 's/^/  stderr (--fold): /' "$dir/stderr2" | head -3
  fi
fi
sed 's/^/  stderr: /' "$dir/stderr" | head -5
echo "regress $kind/$name: $passes passed, $fails failed"
[ $fails -eq 0 ] && rm -rf "$dir"
[ $fails -eq 0 ]
