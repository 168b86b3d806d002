"""xcheck_conv_ort.py - `qonnx-rtl exec` Conv vs onnxruntime, bit for bit.

usage: VENV/bin/python xcheck_conv_ort.py QONNX_RTL [RANDOM_CASES] [SEED]

exec_conv (ir/ops_window.c) mirrors onnxruntime's MLAS convolution on x86-64
with FMA3 (im2col + SGEMM, its K slices, thread split and kernels), so that the
Quant after a Conv rounds exactly as in qonnx's reference.  This runs one-node
Conv models as qonnx's execute_node builds them (weights and bias are graph
inputs, default session options) and requires every output element to be equal
(+0 and -0 count as equal): first fixed shapes that select each MLAS path
(Segmented with thread-dependent K slices, ExpandThenGemm, GemmDirect with and
without transposed B, one filter, one output position, groups, batch, 1-D and
3-D), then RANDOM_CASES (default 300) random ones.  The session uses
intra_op_num_threads=2, the thread count exec_conv assumes (ORT_THREADS: the
default pool on the project's 2-core machines).  Skips (77) on a CPU without
FMA, where onnxruntime runs other kernels.
"""
import os
import subprocess
import sys
import tempfile

import numpy as np
import onnxruntime as rt
from onnx import TensorProto, helper

ORT_THREADS = 2

FIXED = [  # (x shape, w shape, attributes, bias)
    ([1, 64, 7, 7], [32, 64, 3, 3], dict(kernel_shape=[3, 3], pads=[1, 1, 1, 1]), True),
    ([1, 128, 5, 5], [20, 128, 3, 3], dict(kernel_shape=[3, 3], pads=[1, 1, 1, 1]), True),
    ([1, 64, 6, 6], [30, 64, 3, 3], dict(kernel_shape=[3, 3], pads=[1, 1, 1, 1]), False),
    ([1, 256, 4, 4], [64, 256, 3, 3], dict(kernel_shape=[3, 3], pads=[1, 1, 1, 1]), True),
    ([1, 64, 3, 3], [23, 64, 3, 3], dict(kernel_shape=[3, 3]), True),
    ([1, 300, 1, 1], [7, 300, 1, 1], dict(kernel_shape=[1, 1]), True),
    ([1, 7, 30, 30], [1, 7, 3, 3], dict(kernel_shape=[3, 3], pads=[1, 1, 1, 1]), True),
    ([1, 7, 30, 30], [1, 7, 3, 3], dict(kernel_shape=[3, 3], pads=[1, 1, 1, 1]), False),
    ([1, 300, 8, 8], [1, 300, 3, 3], dict(kernel_shape=[3, 3], pads=[1, 1, 1, 1]), True),
    ([1, 1, 50, 9], [1, 1, 3, 9], dict(kernel_shape=[3, 9]), True),
    ([1, 1, 50, 9], [5, 1, 3, 9], dict(kernel_shape=[3, 9]), True),
    ([1, 1, 6, 40], [4, 1, 6, 1], dict(kernel_shape=[6, 1]), True),
    ([1, 48, 32, 32], [24, 48, 1, 1], dict(kernel_shape=[1, 1]), True),
    ([2, 48, 32, 32], [24, 48, 1, 1], dict(kernel_shape=[1, 1]), True),
    ([1, 300, 4, 4], [24, 300, 1, 1], dict(kernel_shape=[1, 1]), False),
    ([2, 64, 9, 9], [32, 32, 3, 3], dict(kernel_shape=[3, 3], pads=[1, 1, 1, 1], group=2), True),
    ([1, 32, 40, 40], [32, 1, 3, 3], dict(kernel_shape=[3, 3], pads=[1, 1, 1, 1], group=32), True),
    ([1, 16, 500], [8, 16, 5], dict(kernel_shape=[5], pads=[2, 2]), True),
    ([1, 8, 6, 10, 10], [4, 8, 3, 3, 3], dict(kernel_shape=[3, 3, 3], pads=[1] * 6), True),
    ([1, 3, 64, 64], [64, 3, 5, 5], dict(kernel_shape=[5, 5], pads=[2, 2, 2, 2]), True),
    ([1, 64, 64, 64], [32, 64, 3, 3], dict(kernel_shape=[3, 3], pads=[1, 1, 1, 1]), True),
]


def random_case(rng):
    ns = int(rng.choice([1, 2, 2, 2, 3]))
    kind = int(rng.integers(0, 8))
    nb = int(rng.choice([1, 1, 1, 2, 3]))
    group = int(rng.choice([1, 1, 1, 2, 3]))
    cg = int(rng.choice([1, 2, 3, 8, 16, 33, 64]))
    mg = int(rng.choice([1, 1, 2, 3, 5, 8, 17, 32, 64]))
    if ns == 3:
        cg = min(cg, 8)
    k = [int(rng.integers(1, 6 if ns < 3 else 4)) for _ in range(ns)]
    s = [int(rng.choice([1, 1, 1, 2, 3])) for _ in range(ns)]
    d = [int(rng.choice([1, 1, 1, 2])) for _ in range(ns)]
    p = [int(rng.integers(0, 3)) for _ in range(2 * ns)]
    hi = {1: 300, 2: 40, 3: 12}[ns]
    sp = [int(rng.integers(1, hi)) for _ in range(ns)]
    if kind == 0:  # pointwise: GemmDirect
        k, s, p = [1] * ns, [1] * ns, [0] * (2 * ns)
    elif kind == 1:  # one input channel, kernel as wide as the input: GemmDirect, B transposed
        cg, s, p, d = 1, [1] * ns, [0] * (2 * ns), [1] * ns
        k[-1] = sp[-1]
    elif kind == 2:  # a single output position
        s, p, d, k = [1] * ns, [0] * (2 * ns), [1] * ns, list(sp)
    elif kind == 3:  # large K, few output positions
        cg = int(rng.choice([64, 128, 200]))
        sp = [int(rng.integers(1, 9 if ns < 3 else 5)) for _ in range(ns)]
    for i in range(ns):
        while sp[i] + p[i] + p[i + ns] < (k[i] - 1) * d[i] + 1:
            sp[i] += 1
    xs = [nb, cg * group] + sp
    ws = [mg * group, cg] + k
    attrs = dict(kernel_shape=k, strides=s, dilations=d, pads=p, group=group)
    return xs, ws, attrs, bool(rng.integers(0, 2))


def check(tool, rng, case, work):
    xs, ws, attrs, bias = case
    x = rng.standard_normal(xs).astype(np.float32)
    w = (rng.standard_normal(ws) * 0.3).astype(np.float32)
    feeds = {"x": x, "w": w}
    if bias:
        feeds["b"] = rng.standard_normal([ws[0]]).astype(np.float32)
    node = helper.make_node("Conv", list(feeds), ["y"], **attrs)
    g = helper.make_graph([node], "conv", [helper.make_tensor_value_info(
        k, TensorProto.FLOAT, list(v.shape)) for k, v in feeds.items()],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)])
    m.ir_version = 8
    so = rt.SessionOptions()
    so.intra_op_num_threads = ORT_THREADS
    ref = rt.InferenceSession(m.SerializeToString(), so,
                              providers=["CPUExecutionProvider"]).run(None, feeds)[0]
    mp = os.path.join(work, "conv.onnx")
    with open(mp, "wb") as f:
        f.write(m.SerializeToString())
    args = [tool, "-q", "exec", mp]
    for k, v in feeds.items():
        p = os.path.join(work, k + ".npy")
        np.save(p, v)
        args += ["-i", p]
    args += ["-o", os.path.join(work, "y.npy")]
    r = subprocess.run(args, capture_output=True, text=True)
    if r.returncode:
        return "exec failed: " + r.stderr.strip()
    ours = np.load(os.path.join(work, "y.npy")).astype(np.float32).reshape(ref.shape)
    bad = (ours != ref) & ~(np.isnan(ours) & np.isnan(ref))
    if bad.any():
        i = int(np.argmax(bad.ravel()))
        return "%d of %d elements differ (first at %d: %r vs %r)" % (
            int(bad.sum()), ref.size, i, float(ours.ravel()[i]), float(ref.ravel()[i]))
    return None


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    tool = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    try:
        with open("/proc/cpuinfo") as f:
            flags = next((ln for ln in f if ln.startswith("flags")), "").split()
    except OSError:
        flags = []
    if "fma" not in flags:
        print("SKIP: no FMA on this CPU (or no /proc/cpuinfo): onnxruntime runs other "
              "SGEMM kernels than the FMA3 ones exec_conv mirrors")
        return 77
    rng = np.random.default_rng(seed)
    cases = list(FIXED) + [random_case(rng) for _ in range(n)]
    failed = 0
    with tempfile.TemporaryDirectory(prefix="qr_xconv_") as work:
        for i, case in enumerate(cases):
            msg = check(tool, rng, case, work)
            if msg:
                failed += 1
                print("FAIL case %d: x %s w %s %s bias=%s: %s" % (i, case[0], case[1], case[2],
                                                                  case[3], msg), flush=True)
    print("xcheck_conv_ort: %d Conv nodes (%d fixed, %d random, seed %d): %d passed, %d failed"
          % (len(cases), len(FIXED), n, seed, len(cases) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
