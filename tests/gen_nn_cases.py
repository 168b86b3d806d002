#!/usr/bin/env python3
"""gen_nn_cases.py - writes tests/data/nn_cases/<case>/ in the layout of ONNX's
backend node tests (model.onnx + test_data_set_0/{input,output}_N.pb), with the
expected outputs computed by onnxruntime (the reference QONNX executes standard
ops with).  They cover what ONNX's own node tests leave out and QONNX models
use: grouped/depthwise/dilated/1-D/3-D Conv, older opsets (attribute forms of
Pad, Split, Squeeze, Unsqueeze, Upsample-7/9, Resize-10, TopK-1, Softmax-11),
integer tensors, ceil_mode corner cases, and an exporter-style constant chain.

Not run by the build: the outputs are committed.  Regenerate with a Python that
has onnx + onnxruntime (e.g. the qonnx venv):  python3 tests/gen_nn_cases.py
test_onnx_nodes then runs them like the official node tests (ctest
test_onnx_nn_cases)."""
import os
import shutil

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "nn_cases")
rng = np.random.default_rng(20240601)


def onnx_type(a):
    return helper.np_dtype_to_tensor_dtype(a.dtype)


def f32(*shape):
    return rng.standard_normal(shape).astype(np.float32)


def i64(*vals):
    return np.array(vals, dtype=np.int64)


def case(name, nodes, inputs, inits=None, opset=13, outputs=None):
    """inputs: list of (name, array) fed at run time; inits: dict name -> array."""
    inits = inits or {}
    outs = outputs or [nodes[-1].output[0]]
    vi_in = [helper.make_tensor_value_info(n, onnx_type(a), a.shape) for n, a in inputs]
    vi_out = [onnx.ValueInfoProto(name=o) for o in outs]
    graph = helper.make_graph(nodes, name, vi_in, vi_out,
                              [numpy_helper.from_array(a, n) for n, a in inits.items()])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 7 if opset < 15 else 8
    sess = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    res = sess.run(outs, {n: a for n, a in inputs})
    # record the real output types and shapes in the model
    del model.graph.output[:]
    for o, r in zip(outs, res):
        model.graph.output.append(
            helper.make_tensor_value_info(o, onnx_type(r), r.shape))
    d = os.path.join(OUT, name)
    os.makedirs(os.path.join(d, "test_data_set_0"))
    onnx.save(model, os.path.join(d, "model.onnx"))
    for k, (_, a) in enumerate(inputs):
        onnx.save_tensor(numpy_helper.from_array(a), os.path.join(d, "test_data_set_0", f"input_{k}.pb"))
    for k, r in enumerate(res):
        onnx.save_tensor(numpy_helper.from_array(r), os.path.join(d, "test_data_set_0", f"output_{k}.pb"))


def N(op, ins, outs=("y",), **attrs):
    return helper.make_node(op, list(ins), list(outs), **attrs)


def conv_cases():
    case("conv_group2_dilation_asym", [N("Conv", ["x", "w", "b"], group=2, dilations=[2, 1],
                                          pads=[1, 2, 0, 1], strides=[1, 2])],
         [("x", f32(1, 4, 9, 8))], {"w": f32(6, 2, 3, 3), "b": f32(6)}, opset=11)
    case("conv_depthwise", [N("Conv", ["x", "w", "b"], group=8, pads=[1, 1, 1, 1])],
         [("x", f32(2, 8, 7, 7))], {"w": f32(8, 1, 3, 3), "b": f32(8)})
    case("conv_1d", [N("Conv", ["x", "w"], strides=[3], pads=[2, 1], dilations=[2])],
         [("x", f32(1, 3, 20))], {"w": f32(5, 3, 4)})
    case("conv_3d", [N("Conv", ["x", "w"], pads=[1, 0, 1, 0, 1, 1])],
         [("x", f32(1, 2, 4, 5, 5))], {"w": f32(3, 2, 2, 3, 3)})
    case("conv_same_upper_stride2", [N("Conv", ["x", "w"], auto_pad="SAME_UPPER", strides=[2, 2])],
         [("x", f32(1, 3, 7, 8))], {"w": f32(4, 3, 3, 3)})
    case("conv_valid_stride", [N("Conv", ["x", "w"], auto_pad="VALID", strides=[2, 3])],
         [("x", f32(1, 2, 9, 10))], {"w": f32(2, 2, 3, 2)})
    case("conv_pointwise_wide", [N("Conv", ["x", "w", "b"])],
         [("x", f32(1, 64, 6, 6))], {"w": f32(96, 64, 1, 1), "b": f32(96)})
    case("conv_kernel_shape_attr", [N("Conv", ["x", "w"], kernel_shape=[5, 5], pads=[2, 2, 2, 2])],
         [("x", f32(1, 1, 6, 6))], {"w": f32(1, 1, 5, 5)}, opset=7)


def dense_cases():
    case("gemm_transB_row_bias", [N("Gemm", ["a", "b", "c"], transB=1, alpha=0.7)],
         [("a", f32(4, 6))], {"b": f32(5, 6), "c": f32(1, 5)}, opset=11)
    case("gemm_col_bias_transA", [N("Gemm", ["a", "b", "c"], transA=1, beta=0.25)],
         [("a", f32(6, 3))], {"b": f32(6, 2), "c": f32(3, 1)}, opset=9)
    case("gemm_no_bias_opset13", [N("Gemm", ["a", "b"])], [("a", f32(2, 7))], {"b": f32(7, 3)})
    case("matmul_1d_left", [N("MatMul", ["a", "b"])], [("a", f32(4)), ("b", f32(2, 4, 3))])
    case("matmul_1d_right", [N("MatMul", ["a", "b"])], [("a", f32(2, 3, 4)), ("b", f32(4))])
    case("matmul_batch_bcast", [N("MatMul", ["a", "b"])], [("a", f32(2, 1, 3, 4)), ("b", f32(5, 4, 2))])
    case("matmul_int64", [N("MatMul", ["a", "b"])],
         [("a", rng.integers(-50, 50, (3, 4)).astype(np.int64)),
          ("b", rng.integers(-50, 50, (4, 2)).astype(np.int64))])
    case("matmul_mlp_layer", [N("MatMul", ["a", "w"])], [("a", f32(1, 256))], {"w": f32(256, 64)})


def norm_cases():
    C = 5
    p = {"s": f32(C), "b": f32(C), "m": f32(C), "v": (rng.random(C) + 0.1).astype(np.float32)}
    case("batchnorm_2d_input_opset9", [N("BatchNormalization", ["x", "s", "b", "m", "v"])],
         [("x", f32(3, C))], p, opset=9)
    case("batchnorm_3d_input_eps", [N("BatchNormalization", ["x", "s", "b", "m", "v"], epsilon=1e-2)],
         [("x", f32(2, C, 7))], p, opset=14)
    case("softmax_opset11_axis1", [N("Softmax", ["x"], axis=1)], [("x", f32(2, 3, 4))], opset=11)
    case("softmax_opset11_default", [N("Softmax", ["x"])], [("x", f32(2, 3, 4))], opset=11)
    case("logsoftmax_opset11_axis0", [N("LogSoftmax", ["x"], axis=0)], [("x", f32(2, 3))], opset=11)
    case("softmax_opset13_axis1", [N("Softmax", ["x"], axis=1)], [("x", f32(2, 3, 4))])


def pool_cases():
    case("maxpool_ceil_last_window_in_pad", [N("MaxPool", ["x"], kernel_shape=[2, 2], strides=[2, 2],
                                                pads=[0, 0, 1, 1], ceil_mode=1)],
         [("x", f32(1, 2, 4, 4))], opset=12)
    case("maxpool_ceil_5x5_k3_s2", [N("MaxPool", ["x"], kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1)],
         [("x", f32(1, 1, 6, 6))], opset=12)
    case("maxpool_1d_dilated_strided", [N("MaxPool", ["x"], kernel_shape=[3], strides=[2], dilations=[2],
                                           pads=[1, 2])], [("x", f32(2, 3, 15))], opset=12)
    case("maxpool_same_upper_s3", [N("MaxPool", ["x"], kernel_shape=[3, 3], strides=[3, 3],
                                      auto_pad="SAME_UPPER")], [("x", f32(1, 2, 8, 7))], opset=12)
    case("maxpool_int8", [N("MaxPool", ["x"], kernel_shape=[2, 2], strides=[2, 2])],
         [("x", rng.integers(-128, 127, (1, 3, 4, 6)).astype(np.int8))], opset=12)
    case("maxpool_opset8_indices", [N("MaxPool", ["x"], ["y", "i"], kernel_shape=[3, 3], strides=[2, 2],
                                       pads=[1, 1, 1, 1])],
         [("x", f32(2, 2, 5, 5))], opset=8, outputs=["y", "i"])
    case("avgpool_ceil_include_pad", [N("AveragePool", ["x"], kernel_shape=[3, 3], strides=[2, 2],
                                         pads=[1, 1, 1, 1], ceil_mode=1, count_include_pad=1)],
         [("x", f32(1, 2, 6, 6))], opset=11)
    case("avgpool_1d_pads", [N("AveragePool", ["x"], kernel_shape=[4], pads=[1, 2])],
         [("x", f32(1, 2, 9))], opset=11)
    case("avgpool_opset7", [N("AveragePool", ["x"], kernel_shape=[2, 2], strides=[2, 2])],
         [("x", f32(1, 3, 8, 8))], opset=7)
    case("globalavgpool_opset13", [N("GlobalAveragePool", ["x"])], [("x", f32(2, 3, 5, 4))])
    case("globalmaxpool_1d", [N("GlobalMaxPool", ["x"])], [("x", f32(2, 3, 9))])


def select_cases():
    case("argmax_opset11_axis_neg", [N("ArgMax", ["x"], axis=-2, keepdims=0)],
         [("x", f32(3, 4, 5))], opset=11)
    case("argmax_select_last_ties", [N("ArgMax", ["x"], axis=1, select_last_index=1)],
         [("x", rng.integers(0, 3, (4, 6)).astype(np.float32))], opset=12)
    case("topk_opset9_attr_k", [N("TopK", ["x"], ["v", "i"], k=3, axis=1)],
         [("x", f32(2, 7))], opset=9, outputs=["v", "i"])
    case("topk_int64_smallest_ties", [N("TopK", ["x", "k"], ["v", "i"], axis=0, largest=0)],
         [("x", rng.integers(0, 4, (8, 3)).astype(np.int64))], {"k": i64(5)}, opset=11,
         outputs=["v", "i"])


def resize_cases():
    x = f32(1, 2, 3, 4)
    case("upsample_opset7_attr", [N("Upsample", ["x"], scales=[1.0, 1.0, 2.0, 3.0])], [("x", x)], opset=7)
    case("upsample_opset9_input", [N("Upsample", ["x", "s"])], [("x", x)],
         {"s": np.array([1, 1, 2, 2], np.float32)}, opset=9)
    case("resize_opset10_up", [N("Resize", ["x", "s"])], [("x", x)],
         {"s": np.array([1, 1, 2, 1.5], np.float32)}, opset=10)
    case("resize_opset10_down", [N("Resize", ["x", "s"])], [("x", f32(1, 1, 6, 8))],
         {"s": np.array([1, 1, 0.5, 0.5], np.float32)}, opset=10)
    case("resize_opset10_down_0p6", [N("Resize", ["x", "s"])], [("x", f32(1, 1, 7, 9))],
         {"s": np.array([1, 1, 0.6, 0.7], np.float32)}, opset=10)
    case("resize_opset13_nearest_down_0p6", [N("Resize", ["x", "", "sc"])], [("x", f32(1, 1, 7, 9))],
         {"sc": np.array([1, 1, 0.6, 0.7], np.float32)})
    case("resize_opset11_linear_asym_down",
         [N("Resize", ["x", "roi", "sc"], mode="linear", coordinate_transformation_mode="asymmetric")],
         [("x", f32(1, 2, 7, 9))], {"roi": np.zeros(0, np.float32),
                                    "sc": np.array([1, 1, 0.6, 0.45], np.float32)}, opset=11)
    case("resize_opset11_cubic_sizes",
         [N("Resize", ["x", "roi", "sc", "sz"], mode="cubic")], [("x", f32(1, 1, 5, 6))],
         {"roi": np.zeros(0, np.float32), "sc": np.zeros(0, np.float32), "sz": i64(1, 1, 8, 4)}, opset=11)
    case("resize_opset11_sizes_asym_floor",
         [N("Resize", ["x", "roi", "sc", "sz"], coordinate_transformation_mode="asymmetric",
            nearest_mode="floor")], [("x", x)],
         {"roi": np.zeros(0, np.float32), "sc": np.zeros(0, np.float32), "sz": i64(1, 2, 7, 9)}, opset=11)
    case("resize_opset13_linear_half_pixel", [N("Resize", ["x", "", "sc"], mode="linear")], [("x", x)],
         {"sc": np.array([1, 1, 2.5, 1.5], np.float32)})
    case("resize_opset13_nearest_uint8", [N("Resize", ["x", "", "sc"])],
         [("x", rng.integers(0, 255, (1, 1, 3, 3)).astype(np.uint8))],
         {"sc": np.array([1, 1, 2, 2], np.float32)})
    case("resize_opset18_axes", [N("Resize", ["x", "", "sc"], axes=[2, 3], mode="nearest")], [("x", x)],
         {"sc": np.array([2, 2], np.float32)}, opset=18)
    case("depthtospace_crd_bs3", [N("DepthToSpace", ["x"], blocksize=3, mode="CRD")],
         [("x", f32(2, 18, 2, 3))], opset=11)
    case("depthtospace_dcr", [N("DepthToSpace", ["x"], blocksize=2)], [("x", f32(2, 8, 2, 2))], opset=13)


def pad_cases():
    case("pad_opset2_attr_reflect", [N("Pad", ["x"], pads=[0, 0, 1, 2, 0, 0, 2, 1], mode="reflect")],
         [("x", f32(1, 2, 4, 4))], opset=7)
    case("pad_opset2_attr_value", [N("Pad", ["x"], pads=[0, 1, 1, 0], value=1.5)], [("x", f32(2, 3))], opset=7)
    case("pad_opset11_value_input", [N("Pad", ["x", "p", "v"])], [("x", f32(1, 2, 3, 3))],
         {"p": i64(0, 0, 1, 1, 0, 0, 1, 1), "v": np.array(-2.0, np.float32)}, opset=11)
    case("pad_opset13_negative_crop", [N("Pad", ["x", "p"], mode="edge")], [("x", f32(3, 5))],
         {"p": i64(-1, 2, 1, -2)}, opset=13)
    case("pad_opset18_axes", [N("Pad", ["x", "p", "", "a"])], [("x", f32(2, 3, 4))],
         {"p": i64(1, 2, 3, 0), "a": i64(0, 2)}, opset=18)
    case("pad_opset19_wrap", [N("Pad", ["x", "p"], mode="wrap")], [("x", f32(3, 4))],
         {"p": i64(1, 2, 2, 1)}, opset=19)
    case("pad_int64_constant", [N("Pad", ["x", "p", "v"])],
         [("x", np.arange(6, dtype=np.int64).reshape(2, 3))], {"p": i64(1, 0, 0, 2), "v": i64(7)}, opset=13)


def shape_cases():
    x = f32(2, 3, 4)
    case("reshape_opset5_zero_neg", [N("Reshape", ["x", "s"])], [("x", x)], {"s": i64(0, -1)}, opset=7)
    case("reshape_opset14_allowzero0", [N("Reshape", ["x", "s"], allowzero=0)], [("x", x)],
         {"s": i64(2, 0, 2, -1)}, opset=14)
    case("flatten_opset9_axis0", [N("Flatten", ["x"], axis=0)], [("x", x)], opset=9)
    case("transpose_5d", [N("Transpose", ["x"], perm=[4, 1, 3, 0, 2])], [("x", f32(2, 3, 1, 4, 5))])
    case("concat_3_int64", [N("Concat", ["a", "b", "c"], axis=1)],
         [("a", i64(1, 2).reshape(2, 1)), ("b", i64(3, 4, 5, 6).reshape(2, 2)), ("c", i64(7, 8).reshape(2, 1))])
    case("concat_opset7_axis", [N("Concat", ["a", "b"], axis=0)], [("a", f32(1, 3)), ("b", f32(2, 3))], opset=7)
    case("split_opset11_attr", [N("Split", ["x"], ["y0", "y1"], axis=2, split=[1, 3])], [("x", x)],
         opset=11, outputs=["y0", "y1"])
    case("split_opset13_equal", [N("Split", ["x"], ["y0", "y1", "y2"], axis=1)], [("x", x)],
         outputs=["y0", "y1", "y2"])
    case("split_opset18_uneven", [N("Split", ["x"], ["y0", "y1", "y2"], num_outputs=3)],
         [("x", f32(7, 2))], opset=18, outputs=["y0", "y1", "y2"])
    case("gather_int64_neg_2d_indices", [N("Gather", ["d", "i"], axis=1)],
         [("d", np.arange(12, dtype=np.int64).reshape(3, 4))], {"i": i64(-1, 0, 2, -4).reshape(2, 2)})
    case("gather_scalar_index", [N("Gather", ["d", "i"], axis=0)], [("d", x)], {"i": np.array(-1, np.int64)})
    case("gather_int32_indices", [N("Gather", ["d", "i"], axis=2)], [("d", x)],
         {"i": np.array([3, 0], np.int32)})
    case("unsqueeze_opset11_attr", [N("Unsqueeze", ["x"], axes=[0, 4])], [("x", x)], opset=11)
    case("squeeze_opset11_attr", [N("Squeeze", ["x"], axes=[-1])], [("x", f32(3, 1, 2, 1))], opset=11)
    case("squeeze_opset13_all", [N("Squeeze", ["x"])], [("x", f32(1, 3, 1, 2))])
    case("shape_opset15_start_end", [N("Shape", ["x"], start=1, end=-1)], [("x", f32(2, 3, 4, 5))], opset=15)
    case("constant_value_floats", [N("Constant", [], value_floats=[1.5, -2.0, 3.25])], [], opset=13)
    case("constant_value_int", [N("Constant", [], value_int=42)], [], opset=13)
    # the chain exporters write to flatten: Shape -> Gather -> Unsqueeze -> Concat -> Reshape
    case("exporter_flatten_chain",
         [N("Shape", ["x"], ["sh"]), N("Gather", ["sh", "zero"], ["n"], axis=0),
          N("Unsqueeze", ["n", "ax0"], ["n1"]), N("Concat", ["n1", "minus1"], ["shape"], axis=0),
          N("Reshape", ["x", "shape"], ["y"])],
         [("x", f32(2, 3, 2, 2))], {"zero": np.array(0, np.int64), "ax0": i64(0), "minus1": i64(-1)})
    # a small CNN block as QONNX/Brevitas models have it
    case("cnn_block", [N("Conv", ["x", "w", "b"], ["c"], pads=[1, 1, 1, 1]),
                       N("BatchNormalization", ["c", "s", "bb", "m", "v"], ["bn"]),
                       N("Relu", ["bn"], ["r"]),
                       N("MaxPool", ["r"], ["p"], kernel_shape=[2, 2], strides=[2, 2]),
                       N("Flatten", ["p"], ["f"]),
                       N("Gemm", ["f", "fw", "fb"], ["y"], transB=1)],
         [("x", f32(1, 3, 8, 8))],
         {"w": f32(4, 3, 3, 3), "b": f32(4), "s": f32(4), "bb": f32(4), "m": f32(4),
          "v": (rng.random(4) + 0.5).astype(np.float32), "fw": f32(10, 64), "fb": f32(10)})


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    for f in (conv_cases, dense_cases, norm_cases, pool_cases, select_cases, resize_cases,
              pad_cases, shape_cases):
        f()
    print(f"wrote {len(os.listdir(OUT))} cases to {OUT}")


if __name__ == "__main__":
    main()
