"""frontend_qonnx_shapes.py - cross-check of our cleanup + shape inference
against Python qonnx (InferShapes + FoldConstants keeping Quant/BipolarQuant
on weights, which keeps tensor names).  For every shared model: every tensor
that a node of ours writes after cleanup and that qonnx also knows must have
the same shape.  Prints per model how many tensors were compared.

usage: python frontend_qonnx_shapes.py TEST_FRONTEND_MODELS SHARED_DIR
"""
import os
import subprocess
import sys

from qonnx.core.modelwrapper import ModelWrapper
from qonnx.transformation.fold_constants import FoldConstants
from qonnx.transformation.infer_shapes import InferShapes

MODELS = [
    "mnist-tfc/TFC_1W1A.onnx", "mnist-tfc/TFC_1W2A.onnx", "mnist-tfc/TFC_2W2A.onnx",
    "gscv2-kws/kwsmlp_w3a3.onnx", "jet-tagging/qkeras_jettagging.onnx",
    "unsw-nb15/unsw_nb15-mlp-w2a2.onnx", "espcn/espcn_nn_resize_quant.onnx",
    "espcn/espcn_subpixel_quant.onnx", "residual/residual_block_clean.onnx",
    "residual/eltwise_chanlast_testcase.onnx", "floatquant/qonnx_act_weight_fp8.onnx",
    "mnist-conv/model.onnx",
]


def qonnx_shapes(path):
    m = ModelWrapper(path)
    m = m.transform(InferShapes())
    m = m.transform(FoldConstants(exclude_op_types=["Quant", "BipolarQuant", "Trunc",
                                                    "FloatQuant"]))
    m = m.transform(InferShapes())
    shapes = {}
    for vi in list(m.graph.value_info) + list(m.graph.output) + list(m.graph.input):
        s = m.get_tensor_shape(vi.name)
        if s is not None and all(isinstance(d, int) and d > 0 for d in s):
            shapes[vi.name] = tuple(s)
    return shapes


def ours(tool, path):
    out = subprocess.run([tool, "--shapes", path], capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError("our cleanup failed: " + out.stderr.strip())
    res = {}
    for line in out.stdout.splitlines():
        name, dims = line.split("\t")
        res[name] = tuple(int(d) for d in dims.split(",")) if dims else ()
    return res


def main():
    tool, shared = sys.argv[1], sys.argv[2]
    failed = passed = skipped = 0
    for rel in MODELS:
        path = os.path.join(shared, "models", rel)
        if not os.path.exists(path):
            print("SKIP %s: not present" % rel)
            skipped += 1
            continue
        try:
            mine, ref = ours(tool, path), qonnx_shapes(path)
        except Exception as e:  # report and go on with the next model
            print("FAIL %s: %s" % (rel, e))
            failed += 1
            continue
        common = [n for n in mine if n in ref]
        bad = [n for n in common if mine[n] != ref[n]]
        for n in bad[:5]:
            print("    %s: ours %s, qonnx %s" % (n, mine[n], ref[n]))
        ok = not bad and common
        print("%s %s: %d of our %d tensors compared with qonnx, %d differ"
              % ("ok  " if ok else "FAIL", rel, len(common), len(mine), len(bad)))
        if ok:
            passed += 1
        else:
            failed += 1
    print("%d passed, %d failed, %d skipped" % (passed, failed, skipped))
    sys.exit(1 if failed else (77 if not passed else 0))


if __name__ == "__main__":
    main()
