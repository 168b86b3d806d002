# ops_refs.py - prints the reference numbers hard-coded in tests/test_exec_ops.c,
# computed by qonnx's own code (run with the qonnx venv's python).
import numpy as np
from qonnx.custom_op.general.floatquant import float_quant
from qonnx.custom_op.general.multithreshold import multithreshold

f = np.float32
def arr(a): return "{" + ", ".join(repr(float(v)) for v in np.asarray(a, dtype=f).ravel()) + "}"

# FloatQuant: e4m3 (OCP: bias 7, max 448) and e5m2 (bias 15, max 57344), scale 1 and 0.125
X = np.array([0.0, -0.0, 1.0, 0.3, -0.3, 1.0625, 1.1875, 3.14159, -100.7, 447.0, 460.0, 1e6,
              -1e6, 0.001953125, 0.0009765625, 0.0029296875, 1e-5, 17.5, 18.5, -0.0625], dtype=f)
print("static const float fq_x[%d] = %s;" % (X.size, arr(X)))
for (name, e, m, b, mx, s, mode) in [("e4m3", 4, 3, 7, 448, 1.0, "ROUND"),
                                      ("e4m3_s", 4, 3, 7, 448, 0.125, "ROUND"),
                                      ("e5m2", 5, 2, 15, 57344, 1.0, "ROUND"),
                                      ("e4m3_floor", 4, 3, 7, 448, 1.0, "FLOOR")]:
    y = float_quant(X.copy(), np.array(s, dtype=f), np.array(e, dtype=f), np.array(m, dtype=f),
                    np.array(b, dtype=f), True, np.array(mx, dtype=f), False, False, False, mode, True)
    print("/* %s: exp %d mant %d bias %d max %g scale %g %s */" % (name, e, m, b, mx, s, mode))
    print("static const float fq_%s[%d] = %s;" % (name, X.size, arr(y)))
# saturation=0 with has_inf / has_nan
for name, hi, hn in [("inf", True, False), ("nan", False, True)]:
    y = float_quant(X.copy(), np.array(1, dtype=f), np.array(4, dtype=f), np.array(3, dtype=f),
                    np.array(7, dtype=f), True, np.array(448, dtype=f), hi, hn, False, "ROUND", False)
    print("/* e4m3 saturation=0 has_%s */" % name)
    print("static const float fq_sat_%s[%d] = %s;" % (name, X.size, arr(y)))

# MultiThreshold: NCHW [1,2,2,2] per-channel thresholds, out_scale/out_bias; NHWC; shared
v = (np.arange(8, dtype=f).reshape(1, 2, 2, 2) - 3.5) * 0.75
th = np.array([[-1.5, 0.0, 0.75], [-3.0, -0.75, 2.0]], dtype=f)
print("static const float mt_v[8] = %s;" % arr(v))
print("static const float mt_th[6] = %s;" % arr(th))
print("static const float mt_nchw[8] = %s;" % arr(multithreshold(v, th)))
print("static const float mt_scaled[8] = %s;  /* out_scale 0.5, out_bias -1.5 */" %
      arr(multithreshold(v, th, 0.5, -1.5)))
vh = np.moveaxis(v, 1, -1)
print("static const float mt_nhwc[8] = %s;  /* input = mt_v viewed as NHWC [1,2,2,2] */" %
      arr(multithreshold(v.reshape(1, 2, 2, 2).transpose(0, 3, 1, 2), th).transpose(0, 2, 3, 1)))
print("static const float mt_shared[8] = %s;  /* thresholds row 0 for all channels */" %
      arr(multithreshold(v, th[:1])))
