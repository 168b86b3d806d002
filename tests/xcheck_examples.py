"""xcheck_examples.py - cross-check `qonnx-rtl exec` against qonnx's executor on
generated CNNs with the structures the hardware compiler must handle: residual
blocks, concats, dilated convs, average pools and GlobalAveragePool.

usage: VENV/bin/python xcheck_examples.py QONNX_RTL [SAMPLES] [EXTRA_SEEDS]

Writes each model with `qonnx-rtl example cnn` (the fixed option sets below,
then `--extras 1` over seeds 1..EXTRA_SEEDS, default 4; all with --outq 1) and
checks it exactly as xcheck_qonnx.py checks the shipped models (SAMPLES seeded
inputs, default 32; the quantized outputs identical, every node alone on the
reference's inputs), with inputs drawn from the model's qonnx-rtl.input_range
metadata.  Exits 1 if any
model fails.
"""
import os
import subprocess
import sys
import tempfile

import numpy as np
import onnx

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import xcheck_qonnx as xq  # noqa: E402

CASES = [
    # residual, pow2 scales, one-conv branch, maxpool after the block
    "--seed 11 --input 3,8,8 --convs 8:3:1:1,res:8:3:1:1 --pool 1 --fc 5 --scale pow2",
    # residual at the input, two-conv branch, unit scales, Relu before the Quants
    "--seed 12 --input 4,9,9 --convs res2:6:3:1:1,4:3:1:1,5:1:1:0 --pool none --fc 6,3 "
    "--scale unit --asigned 0 --relu 1",
    # consecutive blocks, a dilated depthwise branch, float scales
    "--seed 13 --input 2,10,10 --convs 8:3:2:1,+8:3:1:1,+:8:5:1:4:8:2 --pool none --fc 4 "
    "--scale float",
    # concat of two, maxpool after it
    "--seed 14 --input 3,8,8 --convs 8:3:1:1,cat:4:1:1:0 --pool 1 --fc 7 --scale pow2",
    # concat of three at stride 2, avgpool after it, per-channel weight scales
    "--seed 15 --input 2,11,11 --convs 6:3:2:1,cat:4:1:2:0,cat:2:5:2:2 --pool none "
    "--avgpool 2 --fc 5 --scale chan",
    # dilations 2 and 3, GAP
    "--seed 16 --input 2,12,12 --convs 6:3:1:2:1:2,8:3:2:1,4:3:1:3:4:3 --pool none --gap 1 "
    "--fc 9,4 --scale pow2",
    # all of them
    "--seed 17 --input 3,12,12 --convs 8:3:1:1,cat:8:1:1:0,res2:8:3:1:1,16:3:1:2:1:2 "
    "--avgpool 1 --pool 3 --gap 1 --fc 6 --scale pow2 --bn 1",
]


def input_range(path):
    meta = {p.key: p.value for p in onnx.load(path).metadata_props}
    lo, hi = (float(v) for v in meta.get("qonnx-rtl.input_range", "0,1").split(","))
    return lo, hi, meta.get("qonnx-rtl.input_integer") == "1"


def is_quantized(model, name, orig=xq.is_quantized):
    """As xcheck_qonnx's, through the Identity the examples end with."""
    prod = model.find_producer(name)
    if prod is not None and prod.op_type == "Identity":
        name = prod.input[0]
    return orig(model, name)


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    tool = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 32
    extra = int(sys.argv[3]) if len(sys.argv) > 3 else 4
    # a quantized output layer: the outputs must be identical, not just close
    specs = [c + " --outq 1" for c in CASES] + [
        "--seed %d --extras 1 --outq 1" % s for s in range(1, extra + 1)]
    xq.is_quantized = is_quantized
    failed = 0
    with tempfile.TemporaryDirectory(prefix="qr_xcheck_ex_") as work:
        for i, opts in enumerate(specs):
            path = os.path.join(work, "cnn%d.onnx" % i)
            r = subprocess.run([tool, "example", "cnn"] + opts.split() + ["-o", path],
                               capture_output=True, text=True)
            if r.returncode:
                failed += 1
                print("FAIL example cnn %s: %s" % (opts, r.stderr.strip()), flush=True)
                continue
            spec = r.stderr.strip().split(": ", 2)[-1]  # "wrote PATH: OPTIONS"
            lo, hi, integer = input_range(path)
            orig = xq.make_inputs

            def make_inputs(model, rng, k, lo=lo, hi=hi, integer=integer):
                xs = orig(model, rng, k)  # annotated integer inputs: their range
                if integer:
                    return xs
                return {name: rng.uniform(lo, hi, size=x.shape).astype(np.float32)
                        for name, x in xs.items()}

            xq.make_inputs = make_inputs
            try:
                ok, line = xq.check_model(tool, path, n, work, 2000 + i, str(i))
            except Exception as e:  # the reference itself failing is a finding too
                ok, line = False, "reference failed: %s: %s" % (type(e).__name__, e)
            finally:
                xq.make_inputs = orig
            failed += not ok
            flag = "ok*" if ok and line.startswith("*") else "ok" if ok else "FAIL"
            print("%-4s %s\n     %d samples: %s" % (flag, spec, n, line.lstrip("*")), flush=True)
    print("xcheck_examples: %d models, %d passed, %d failed" % (
        len(specs), len(specs) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
