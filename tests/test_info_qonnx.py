"""test_info_qonnx.py QONNX-RTL MODEL... - compare `qonnx-rtl info --qonnx --json`
with qonnx.util.inference_cost (discount_sparsity False and True): every
op_mac_*/mem_w_*/mem_o_* entry, the totals and the unsupported op set must be
equal.  Prints one line per model and mode; exits 1 on any difference."""
import json
import subprocess
import sys
import warnings

warnings.filterwarnings("ignore")
from qonnx.util.inference_cost import inference_cost  # noqa: E402


def ours(exe, path):
    out = subprocess.run([exe, "info", "--qonnx", "--json", path], capture_output=True,
                         text=True, check=True).stdout
    return json.loads(out)["total"]


def as_qonnx_keys(t, sparse):
    sfx = "_nonzero" if sparse else ""
    d = {"total_macs": t["macs" + sfx], "total_bops": t["bops" + sfx],
         "total_mem_w_bits": t["weight_bits" + sfx],
         "total_mem_w_elems": t["weight_elems" + sfx],
         "total_mem_o_bits": t["out_bits"], "total_mem_o_elems": t["out_elems"]}
    d.update({"op_mac_" + k: v for k, v in t["op_mac" + sfx].items()})
    d.update({"mem_w_" + k: v for k, v in t["mem_w" + sfx].items()})
    d.update({"mem_o_" + k: v for k, v in t["mem_o"].items()})
    return d


def main():
    exe, models = sys.argv[1], sys.argv[2:]
    failed = checked = 0
    for path in models:
        try:
            t = ours(exe, path)
        except subprocess.CalledProcessError as e:
            print("FAIL %s: qonnx-rtl info failed: %s" % (path, e.stderr.strip()))
            failed += 1
            continue
        for sparse in (False, True):
            ref = inference_cost(path, discount_sparsity=sparse)["total_cost"]
            mine = as_qonnx_keys(t, sparse)
            want = {k: v for k, v in ref.items() if k not in ("unsupported", "discount_sparsity")}
            diffs = []
            for k in sorted(set(want) | set(mine)):
                a, b = want.get(k, 0.0), mine.get(k, 0.0)
                if abs(a - b) > 1e-9 * max(1.0, abs(a)):
                    diffs.append("%s: qonnx %s, ours %s" % (k, a, b))
            ref_unsup = sorted(eval(ref["unsupported"])) if ref["unsupported"] != "set()" else []
            if ref_unsup != sorted(t["unsupported"]):
                diffs.append("unsupported: qonnx %s, ours %s" % (ref_unsup, t["unsupported"]))
            mode = "nonzero" if sparse else "dense"
            checked += 1
            if diffs:
                failed += 1
                print("FAIL %s (%s): %s" % (path, mode, "; ".join(diffs)))
            else:
                print("ok   %s (%s): %d MACs, %d BOPs, %d weight bits" % (
                    path, mode, want["total_macs"], want["total_bops"], want["total_mem_w_bits"]))
    print("test_info_qonnx: %d passed, %d failed" % (checked - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
