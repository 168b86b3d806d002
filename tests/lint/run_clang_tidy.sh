#!/bin/sh
# run_clang_tidy.sh CLANG_TIDY SOURCE_DIR BUILD_DIR - clang-tidy with the
# committed .clang-tidy over the compiler's C sources, using BUILD_DIR's
# compile_commands.json.  Findings listed in tests/lint/clang_tidy_waivers.txt
# (false positives, each with its reason) are counted but not reported;
# every other finding is printed and fails the test.  Counts per check at the end.
set -u
tidy=$1; src=$(cd "$2" && pwd); build=$3
cd "$src" || exit 1
waivers=$src/tests/lint/clang_tidy_waivers.txt
out=$(mktemp); keys=$(mktemp); w=$(mktemp); trap 'rm -f "$out" "$keys" "$w"' EXIT
files=$(ls frontend/*.c ir/*.c rtlgen/*.c ipxact/*.c boards/*.c sim/driver/*.c main.c 2>/dev/null)
echo "clang-tidy ($(echo $files | wc -w) files) with $src/.clang-tidy"
for f in $files; do
  "$tidy" -p "$build" --quiet "$f" 2>/dev/null
done | grep ': warning: \|: error: ' | sort -u >"$out"
# "FILE:LINE:COL: warning: MSG [CHECK]" -> "FILE: MSG [CHECK]", relative to the source dir
sed -e "s|^$src/||" -e 's|^\([^:]*\):[0-9]*:[0-9]*: [a-z]*: |\1: |' "$out" >"$keys"
grep -v '^#' "$waivers" | grep -v '^$' >"$w"
total=$(wc -l <"$keys")
new=$(grep -cvxFf "$w" "$keys")
echo "clang-tidy: $total findings, $((total - new)) waived (tests/lint/clang_tidy_waivers.txt), $new not waived:"
grep -vxFf "$w" "$keys" | sed 's/^/  /'
echo "per check (all findings):"
grep -o '\[[A-Za-z0-9.,-]*\]$' "$keys" | sort | uniq -c | sort -rn
grep -vxFf "$keys" "$w" | sed 's/^/  waiver matching nothing now (remove it?): /'
[ "$new" -eq 0 ]
