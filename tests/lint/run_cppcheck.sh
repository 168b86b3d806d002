#!/bin/sh
# run_cppcheck.sh CPPCHECK SOURCE_DIR - cppcheck (warning + portability) over
# the compiler's C sources with the waivers of .cppcheck-suppressions; prints
# every finding and a count per check id; fails if there is any.
set -u
cppcheck=$1; src=$2
cd "$src" || exit 1
out=$(mktemp); trap 'rm -f "$out"' EXIT
echo "cppcheck --enable=warning,portability on frontend ir rtlgen ipxact boards sim/driver main.c"
"$cppcheck" --enable=warning,portability --std=c11 --quiet --inline-suppr \
  --suppressions-list=.cppcheck-suppressions --max-configs=1 -I . -D_POSIX_C_SOURCE=200809L \
  --template='{file}:{line}:{column}: {severity}: {message} [{id}]' \
  frontend ir rtlgen ipxact boards sim/driver main.c 2>"$out"
grep ': \(error\|warning\|portability\|style\|performance\): ' "$out"
n=$(grep -c ': \(error\|warning\|portability\|style\|performance\): ' "$out")
echo "cppcheck: $n findings"
grep -o '\[[A-Za-z0-9_]*\]$' "$out" | sort | uniq -c | sort -rn
[ "$n" -eq 0 ]
