#!/bin/sh
# tests/cli/interrupt.sh QONNX_RTL MODEL WORK - a compile killed during its
# simulation (^C = SIGINT, or SIGTERM) removes its unfinished output and stops
# the simulator it started: no DIR.tmp-* left, no tb_icarus/vvp of it running,
# exit by that signal.  Prints `N passed, N failed`.
tool=$1 model=$2 work=$3
passed=0 failed=0
check() { if [ "$1" = 0 ]; then echo "PASS: $2"; passed=$((passed + 1)); else echo "FAIL: $2"; failed=$((failed + 1)); fi; }
for sig in INT TERM; do
  out=$work/interrupt_$sig
  rm -rf "$out" "$out".tmp-*
  # A shell's `&` ignores SIGINT in the job; the tool must see it as ^C would.
  python3 -c 'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])' \
    "$tool" -q "$model" --fold=auto --verify=64 --sim=icarus -o "$out" &
  pid=$!
  # Wait (up to 120 s) until the Icarus run has started inside the temporary directory.
  i=0
  while [ $i -lt 600 ] && ! ls "$out".tmp-*/sim/icarus.log >/dev/null 2>&1; do sleep 0.2; i=$((i + 1)); done
  tmp=$(ls -d "$out".tmp-* 2>/dev/null | head -1)
  check $([ -n "$tmp" ] && [ -f "$tmp/sim/icarus.log" ]; echo $?) "SIG$sig: the simulation started in $tmp"
  # ... and iverilog is done (killed, it leaves its own ivrlg* files in /tmp)
  i=0
  while [ $i -lt 300 ] && ps -eo args | grep -F -- "$tmp" | grep -q '^iverilog'; do sleep 0.2; i=$((i + 1)); done
  sleep 1
  kill -"$sig" "$pid"
  wait "$pid"
  rc=$?
  expect=130; [ "$sig" = TERM ] && expect=143
  check $([ "$rc" = "$expect" ]; echo $?) "SIG$sig: exit status $rc (killed by the signal: $expect)"
  check $([ -z "$(ls -d "$out".tmp-* "$out" 2>/dev/null)" ]; echo $?) "SIG$sig: no output and no temporary directory left"
  sleep 1
  left=$(ps -eo args | grep -F -- "$tmp" | grep -v grep)
  check $([ -z "$left" ]; echo $?) "SIG$sig: no simulator process of the run left${left:+: $left}"
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
