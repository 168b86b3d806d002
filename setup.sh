#!/usr/bin/env bash
# setup.sh: install what qonnx-rtl needs (Debian 12), then configure and build.
#   ./setup.sh                 install + build into build/
#   QR_BUILD_TYPE=Sanitize ./setup.sh   ASan+UBSan build into build-san/
# Idempotent: packages already present are not fetched again.
set -euo pipefail
cd "$(dirname "$0")"

pkgs=(build-essential cmake pkg-config git
      libprotobuf-c-dev protobuf-c-compiler libxml2-dev libxml2-utils libonnx-dev
      libonnx-testdata verilator iverilog yosys ccache tcl valgrind python3-numpy
      clang libclang-rt-14-dev cppcheck clang-tidy)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

type=${QR_BUILD_TYPE:-RelWithDebInfo}
dir=build; [ "$type" = Sanitize ] && dir=build-san
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE="$type" \
      -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/dev/null
cmake --build "$dir" -j"$(nproc)"

# Optional reference: Python's qonnx package in a venv under the build dir, for
# the cross-check tests.  Failing here only makes those tests skip.
if [ ! -x "$dir/venv/bin/python" ] || ! "$dir/venv/bin/python" -c 'import qonnx' 2>/dev/null; then
  { python3 -m venv "$dir/venv" && "$dir/venv/bin/pip" install -q qonnx onnxruntime; } \
    >"$dir/venv-install.log" 2>&1 || echo "setup: qonnx reference venv not installed (see $dir/venv-install.log); cross-check tests will skip"
fi
echo "setup: built $dir/qonnx-rtl"
