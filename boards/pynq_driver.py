#!/usr/bin/env python3
"""driver.py - host driver of a qonnx-rtl accelerator (PYNQ on Zynq boards,
PYNQ for Alveo on the U250).  qonnx-rtl copies this file beside design.json
into DIR/boards/<board>/; design.json says everything particular to the design.

What it does, in order (Accelerator.execute):

1. Host pre-processing: the ONNX nodes between the model's input and the first
   integer tensor the hardware consumes (design.json "host"/"pre": e.g.
   Reshape, Mul/Sub normalisation, the input quantizer), run in numpy with
   qonnx-rtl's executor's float32 semantics (float32 step by step; MatMul and
   Gemm accumulate in float64 and round once).  Then the integer level of each
   element: round-half-even(value / scale), or the sign for a bipolar input.
2. Pack: a beat carries `elems_per_beat` elements of `bits` bits, element 0 in
   the least significant bits, bipolar +1 as bit 1, two's complement for
   signed; TDATA is padded to whole bytes, and a beat in memory is padded with
   zero bytes to `beat_bytes` (a power of two) - the format the block design's
   width converters expect.  Identical to qonnx-rtl's rtl_pack.
3. DMA: one MM2S transfer for the whole batch; one S2MM transfer per frame,
   because the AXI DMA ends a receive transfer at TLAST, which the IP raises on
   the last beat of every frame.  (Alveo: qr_mm2s/qr_s2mm kernels, one call
   each for the batch.)
4. Unpack (rtl_unpack), then the float value of the hardware output (levels
   times the per-channel scale, or the last layer's affine map of the
   accumulator) and the host post-processing nodes (design.json "host"/"post").

Only numpy is needed besides pynq; the pure functions (pack, unpack,
Accelerator.pre/post) run anywhere, which is how qonnx-rtl tests them.
"""
import json
import os
import sys
import time

import numpy as np

HOST_OPS = (
    "Identity", "Reshape", "Flatten", "Transpose", "Squeeze", "Unsqueeze", "Add", "Sub",
    "Mul", "Div", "Relu", "Clip", "Quant", "BipolarQuant", "MatMul", "Gemm",
    "BatchNormalization", "Softmax", "LogSoftmax", "ArgMax",
)

F32 = np.float32


# ------------------------------------------------------------ stream format

def _elem_bits(fmt):
    return 1 if fmt["bipolar"] else int(fmt["bits"])


def _check_range(v, fmt):
    if fmt["bipolar"]:
        bad = (v != 1) & (v != -1)
        what = "-1 or +1"
    else:
        b = int(fmt["bits"])
        lo, hi = (-(1 << (b - 1)), (1 << (b - 1)) - 1) if fmt["signed"] else (0, (1 << b) - 1)
        bad = (v < lo) | (v > hi)
        what = "%d..%d" % (lo, hi)
    if np.any(bad):
        raise ValueError("value %d does not fit the stream type (%s)" % (int(v[bad][0]), what))


def pack(vals, fmt, beat_bytes=None):
    """Integer levels (any shape, a whole number of beats) -> uint8 array of
    shape (beats, beat_bytes): the bytes the DMA reads."""
    b, k = _elem_bits(fmt), int(fmt["elems_per_beat"])
    beat_bytes = int(beat_bytes or fmt["beat_bytes"])
    v = np.asarray(vals, dtype=np.int64).reshape(-1)
    if v.size % k:
        raise ValueError("%d elements are not a whole number of %d-element beats" % (v.size, k))
    _check_range(v, fmt)
    if fmt["bipolar"]:
        u = (v > 0).astype(np.uint64)
    else:
        u = v.astype(np.uint64) & np.uint64((1 << b) - 1)
    u = u.reshape(-1, k)
    bits = ((u[:, :, None] >> np.arange(b, dtype=np.uint64)) & np.uint64(1)).astype(np.uint8)
    beat = np.zeros((u.shape[0], beat_bytes * 8), dtype=np.uint8)
    beat[:, : k * b] = bits.reshape(u.shape[0], k * b)
    return np.packbits(beat, axis=1, bitorder="little")


def unpack(data, fmt, beat_bytes=None):
    """Bytes of whole beats (beat_bytes each) -> int64 levels, flat
    (sign-extended for signed types, -1/+1 for bipolar)."""
    b, k = _elem_bits(fmt), int(fmt["elems_per_beat"])
    beat_bytes = int(beat_bytes or fmt["beat_bytes"])
    d = np.asarray(data, dtype=np.uint8).reshape(-1, beat_bytes)
    bits = np.unpackbits(d, axis=1, bitorder="little")[:, : k * b].reshape(-1, k, b)
    u = (bits.astype(np.uint64) << np.arange(b, dtype=np.uint64)).sum(axis=2, dtype=np.uint64)
    if fmt["bipolar"]:
        return np.where(u & np.uint64(1), 1, -1).astype(np.int64).reshape(-1)
    v = u.astype(np.int64)
    if fmt["signed"]:
        v = np.where(v >= (1 << (b - 1)), v - (1 << b), v)
    return v.reshape(-1)


# ---------------------------------------------------- host graph in numpy

def _tensor(t):
    data = [float(x) if isinstance(x, str) else x for x in t["data"]]
    dt = F32 if t["dtype"] == "float32" else np.int64
    return np.array(data, dtype=dt).reshape([int(s) for s in t["shape"]])


def _attr(n, name, default=None):
    v = n["attrs"].get(name, default)
    if isinstance(v, dict) and "tensor" in v:
        return _tensor(v["tensor"])
    return v


def _round(mode, y):
    mode = mode.upper()
    if mode in ("ROUND", "HALF_EVEN"):
        return np.rint(y)
    if mode == "CEIL":
        return np.ceil(y)
    if mode == "FLOOR":
        return np.floor(y)
    if mode == "UP":
        return np.sign(y) * np.ceil(np.abs(y))
    if mode == "DOWN":
        return np.trunc(y)
    if mode == "HALF_UP":
        return np.sign(y) * np.floor(np.abs(y) + F32(0.5))
    if mode == "HALF_DOWN":
        return np.sign(y) * np.ceil(np.abs(y) - F32(0.5))
    raise ValueError("unknown rounding_mode " + mode)


def _quant(n, x, s, z, bw):
    signed = _attr(n, "signed", 1) != 0
    narrow = _attr(n, "narrow", 0) != 0
    mode = _attr(n, "rounding_mode", "ROUND")
    y = x / s
    y = y + z
    b = np.asarray(bw, dtype=np.float64)
    if signed:
        p = np.ldexp(1.0, b.astype(np.int64) - 1)
        lo, hi = (-p + 1.0 if narrow else -p), p - 1.0
    else:
        p = np.ldexp(1.0, b.astype(np.int64))
        lo, hi = np.zeros_like(p), (p - 2.0 if narrow else p - 1.0)
    yd = y.astype(np.float64)
    c = np.where(yd > hi, np.asarray(hi).astype(F32), y)
    c = np.where(c.astype(np.float64) < lo, np.asarray(lo).astype(F32), c).astype(F32)
    c = _round(mode, c).astype(F32)
    if signed:
        c = np.where(b == 1.0, np.where(y >= 0, F32(1), F32(-1)), c).astype(F32)
    o = c - z
    return (o * s).astype(F32)


def _axes(n, ins):
    if len(ins) > 1 and ins[1] is not None:
        return [int(a) for a in ins[1].reshape(-1)]
    a = _attr(n, "axes")
    return None if a is None else [int(v) for v in a]


def _softmax(n, x, opset, log):
    r = x.ndim
    if opset < 13:
        ax = int(_attr(n, "axis", 1))
        ax = ax + r if ax < 0 else ax
        shp = (int(np.prod(x.shape[:ax], dtype=np.int64)), int(np.prod(x.shape[ax:], dtype=np.int64)), 1)
    else:
        ax = int(_attr(n, "axis", -1))
        ax = ax + r if ax < 0 else ax
        shp = (int(np.prod(x.shape[:ax], dtype=np.int64)), x.shape[ax],
               int(np.prod(x.shape[ax + 1:], dtype=np.int64)))
    xd = x.astype(np.float64).reshape(shp)
    v = xd - xd.max(axis=1, keepdims=True)
    s = np.exp(v).sum(axis=1, keepdims=True)
    y = v - np.log(s) if log else np.exp(v) / s
    return y.astype(F32).reshape(x.shape)


def _binop(op, a, b):
    if a.dtype == np.int64 and b.dtype == np.int64:
        if op == "Div":
            q = np.abs(a) // np.abs(b)
            return np.where((a < 0) != (b < 0), -q, q)
        return {"Add": np.add, "Sub": np.subtract, "Mul": np.multiply}[op](a, b)
    a, b = a.astype(F32, copy=False), b.astype(F32, copy=False)
    return {"Add": np.add, "Sub": np.subtract, "Mul": np.multiply, "Div": np.divide}[op](a, b).astype(F32)


def _run_node(n, ins, opset):
    op = n["op"]
    x = ins[0]
    if op == "Identity":
        return x
    if op == "Reshape":
        shape = [int(s) for s in ins[1].reshape(-1)]
        if not _attr(n, "allowzero", 0):
            shape = [x.shape[i] if s == 0 else s for i, s in enumerate(shape)]
        return x.reshape(shape)
    if op == "Flatten":
        ax = int(_attr(n, "axis", 1))
        ax = ax + x.ndim if ax < 0 else ax
        return x.reshape(int(np.prod(x.shape[:ax], dtype=np.int64)), -1)
    if op == "Transpose":
        perm = _attr(n, "perm")
        return np.ascontiguousarray(np.transpose(x, None if perm is None else [int(p) for p in perm]))
    if op == "Squeeze":
        axes = _axes(n, ins)
        return np.squeeze(x, axis=None if axes is None else tuple(a % x.ndim for a in axes))
    if op == "Unsqueeze":
        r = x.ndim + len(_axes(n, ins))
        y = x
        for a in sorted(v % r for v in _axes(n, ins)):
            y = np.expand_dims(y, a)
        return y
    if op in ("Add", "Sub", "Mul", "Div"):
        return _binop(op, x, ins[1])
    if op == "Relu":
        return np.where(x > 0, x, np.zeros((), x.dtype)).astype(x.dtype)
    if op == "Clip":
        lo = ins[1] if len(ins) > 1 and ins[1] is not None else _attr(n, "min", -np.finfo(F32).max)
        hi = ins[2] if len(ins) > 2 and ins[2] is not None else _attr(n, "max", np.finfo(F32).max)
        if x.dtype == np.int64:
            return np.minimum(np.maximum(x, int(np.asarray(lo).reshape(-1)[0])),
                              int(np.asarray(hi).reshape(-1)[0]))
        lo = F32(np.asarray(lo, dtype=np.float64).reshape(-1)[0])
        hi = F32(np.asarray(hi, dtype=np.float64).reshape(-1)[0])
        v = np.where(x < lo, lo, x)
        return np.where(hi < v, hi, v).astype(F32)
    if op == "Quant":
        return _quant(n, x.astype(F32), ins[1].astype(F32), ins[2].astype(F32), ins[3])
    if op == "BipolarQuant":
        return (np.where(x >= 0, F32(1), F32(-1)) * ins[1].astype(F32)).astype(F32)
    if op == "MatMul":
        if x.dtype == np.int64:
            return np.matmul(x, ins[1])
        return np.matmul(x.astype(np.float64), ins[1].astype(np.float64)).astype(F32)
    if op == "Gemm":
        a = x.T if _attr(n, "transA", 0) else x
        b = ins[1].T if _attr(n, "transB", 0) else ins[1]
        v = float(F32(_attr(n, "alpha", 1.0))) * np.matmul(a.astype(np.float64), b.astype(np.float64))
        if len(ins) > 2 and ins[2] is not None:
            v = v + float(F32(_attr(n, "beta", 1.0))) * ins[2].astype(np.float64)
        return v.astype(F32)
    if op == "BatchNormalization":
        sc, bi, mean, var = (t.astype(F32) for t in ins[1:5])
        eps = F32(_attr(n, "epsilon", 1e-5))
        t = np.sqrt((var + eps).astype(F32))
        t = (F32(1) / t).astype(F32)
        s = (t * sc).astype(F32)
        b = (bi - (mean * s).astype(F32)).astype(F32)
        shp = (1, -1) + (1,) * (x.ndim - 2)
        return ((x.astype(F32) * s.reshape(shp)).astype(F32) + b.reshape(shp)).astype(F32)
    if op in ("Softmax", "LogSoftmax"):
        return _softmax(n, x.astype(F32), opset, op == "LogSoftmax")
    if op == "ArgMax":
        ax = int(_attr(n, "axis", 0))
        keep = int(_attr(n, "keepdims", 1)) != 0
        if int(_attr(n, "select_last_index", 0)):
            flipped = np.flip(x, axis=ax)
            idx = x.shape[ax % x.ndim] - 1 - np.argmax(flipped, axis=ax)
        else:
            idx = np.argmax(x, axis=ax)
        idx = idx.astype(np.int64)
        return np.expand_dims(idx, ax % x.ndim) if keep else idx
    raise NotImplementedError(op)


class HostGraph:
    """One list of host nodes (pre or post), run in numpy."""

    def __init__(self, nodes, constants, opset):
        bad = sorted({n["op"] for n in nodes if n["op"] not in HOST_OPS})
        self.unsupported = bad
        self.nodes = nodes
        self.constants = constants
        self.opset = opset

    def run(self, values):
        if self.unsupported:
            raise NotImplementedError("driver.py has no numpy version of host op(s) %s; "
                                      "use execute_integer()" % ", ".join(self.unsupported))
        for n in self.nodes:
            ins = [None if name is None else values[name] if name in values else self.constants[name]
                   for name in n["inputs"]]
            out = _run_node(n, ins, self.opset)
            values[n["outputs"][0]] = np.asarray(out)
        return values


# --------------------------------------------------------------- the driver

class Accelerator:
    """The accelerator on a board.  design: path of design.json or its dict
    (default: design.json beside this file).  bitfile: the overlay (.bit with
    its .hwh beside it, or .xclbin); default from design.json.  overlay: an
    already loaded pynq Overlay (then bitfile is not used).  With
    load=False nothing touches pynq: pre/post/pack/unpack still work."""

    def __init__(self, bitfile=None, design=None, overlay=None, load=True):
        here = os.path.dirname(os.path.abspath(__file__))
        if design is None:
            design = os.path.join(here, "design.json")
        if isinstance(design, str):
            with open(design) as f:
                design = json.load(f)
        self.design = d = design
        self.fin, self.fout = d["input"], d["output"]
        h = d["host"]
        consts = {k: _tensor(v) for k, v in d.get("constants", {}).items()}
        self.pre_graph = HostGraph(h["pre"], consts, int(h["opset"]))
        self.post_graph = HostGraph(h["post"], consts, int(h["opset"]))
        self.ol = None
        if overlay is not None or load:
            if overlay is None:
                import pynq
                overlay = pynq.Overlay(bitfile or os.path.join(here, d["bitfile"]))
            self.ol = overlay
            if d["flow"] == "vitis":
                self.mm2s = getattr(overlay, d["dma"]["mm2s"])
                self.s2mm = getattr(overlay, d["dma"]["s2mm"])
            else:
                self.dma = getattr(overlay, d["dma"]["name"])

    # -- sizes
    @property
    def in_frame_bytes(self):
        return int(self.fin["beats_per_frame"]) * int(self.fin["beat_bytes"])

    @property
    def out_frame_bytes(self):
        return int(self.fout["beats_per_frame"]) * int(self.fout["beat_bytes"])

    # -- host pre/post
    def _frames(self, x):
        """The model's input(s) as a list of per-frame arrays (batch 1)."""
        spec = self.design["host"]["inputs"][0]
        shape = [int(s) for s in spec["shape"]]
        x = np.asarray(x, dtype=F32)
        per = int(np.prod(shape[1:], dtype=np.int64)) if shape and shape[0] == 1 else int(np.prod(shape, dtype=np.int64))
        if x.size % max(per, 1):
            raise ValueError("input of %d elements is not a whole number of frames of shape %s" % (x.size, shape))
        return [f.reshape(shape) for f in x.reshape(-1, per)]

    def pre(self, x):
        """Float model input(s), batch on axis 0 -> int64 levels (frames, frame_elems)."""
        h = self.design["host"]
        name = h["inputs"][0]["name"]
        out = []
        for fr in self._frames(x):
            v = self.pre_graph.run({name: fr})[h["hw_in"]["tensor"]].reshape(-1)
            if h["hw_in"]["bipolar"]:
                q = np.where(v >= 0, 1, -1)
            else:
                q = np.rint(v.astype(np.float64) / float(h["hw_in"]["scale"]))
            out.append(q.astype(np.int64))
        return np.stack(out)

    def hw_value(self, q):
        """One frame of hardware output levels -> float32 value of hw_out."""
        ho = self.design["host"]["hw_out"]
        ch = int(ho["channels"])
        q = np.asarray(q, dtype=np.int64).reshape(-1, ch)
        if ho["mode"] == "levels":
            s = np.array(ho["scale"], dtype=F32)
            v = (q.astype(F32) * s).astype(F32)
        else:
            sw = np.array(ho["sw"], dtype=F32).astype(np.float64)
            v = ((np.float64(F32(ho["sx"])) * sw) * q.astype(np.float64)).astype(F32)
            alpha = F32(ho["alpha"])
            if alpha != F32(1):
                v = (alpha * v).astype(F32)
            if ho["bias"] is not None:
                bias = np.array(ho["bias"], dtype=F32)
                v = (v + (F32(ho["beta"]) * bias).astype(F32)).astype(F32)
        return v.reshape([int(s) for s in ho["shape"]])

    def post(self, q):
        """int64 levels (frames, frame_elems) -> list of the model's outputs,
        each with the batch on axis 0 (one output: that array)."""
        h = self.design["host"]
        q = np.asarray(q, dtype=np.int64).reshape(-1, int(self.fout["frame_elems"]))
        outs = [[] for _ in h["outputs"]]
        for fr in q:
            vals = self.post_graph.run({h["hw_out"]["tensor"]: self.hw_value(fr)})
            for i, o in enumerate(h["outputs"]):
                outs[i].append(vals[o["name"]])
        res = [np.concatenate(o, axis=0) if o[0].ndim else np.stack(o) for o in outs]
        return res[0] if len(res) == 1 else res

    # -- the hardware
    def _alloc(self, nbytes):
        import pynq
        kw = {}
        if self.design["flow"] == "vitis" and hasattr(self.ol, "DDR0"):
            kw["target"] = self.ol.DDR0
        return pynq.allocate(shape=(nbytes,), dtype=np.uint8, **kw)

    def _transfer(self, inbytes, nframes):
        fin, fout = self.in_frame_bytes, self.out_frame_bytes
        ibuf, obuf = self._alloc(nframes * fin), self._alloc(nframes * fout)
        try:
            ibuf[:] = inbytes
            if self.design["flow"] == "vitis":
                ibuf.sync_to_device()
                h = self.s2mm.start(obuf, nframes * int(self.fout["beats_per_frame"]))
                self.mm2s.call(ibuf, nframes * int(self.fin["beats_per_frame"]))
                h.wait()
                obuf.sync_from_device()
            else:
                ibuf.flush()
                self.dma.sendchannel.transfer(ibuf)
                for i in range(nframes):  # S2MM stops at each frame's TLAST
                    self.dma.recvchannel.transfer(obuf, start=i * fout, nbytes=fout)
                    self.dma.recvchannel.wait()
                self.dma.sendchannel.wait()
                obuf.invalidate()
            return np.array(obuf, dtype=np.uint8)
        finally:
            ibuf.freebuffer()
            obuf.freebuffer()

    def execute_integer(self, q):
        """int levels (frames, frame_elems) -> int64 levels (frames, out frame_elems)."""
        if self.ol is None:
            raise RuntimeError("no overlay loaded (Accelerator(load=False))")
        q = np.asarray(q, dtype=np.int64).reshape(-1, int(self.fin["frame_elems"]))
        per = max(1, min(int(self.design["dma"]["max_transfer_bytes"]) // self.in_frame_bytes,
                         int(self.design["dma"]["max_transfer_bytes"]) // self.out_frame_bytes))
        outs = []
        for s in range(0, q.shape[0], per):
            chunk = q[s:s + per]
            raw = self._transfer(pack(chunk, self.fin).reshape(-1), chunk.shape[0])
            outs.append(unpack(raw, self.fout).reshape(chunk.shape[0], -1))
        return np.concatenate(outs)

    def execute(self, x):
        """Float model input(s) (batch on axis 0) -> the model's output(s)."""
        return self.post(self.execute_integer(self.pre(x)))


def main(argv):
    import argparse
    p = argparse.ArgumentParser(description="Run the qonnx-rtl accelerator described by design.json.")
    p.add_argument("--input", help=".npy of float model inputs (batch on axis 0)")
    p.add_argument("--output", help="where to write the outputs (.npy)")
    p.add_argument("--bench", type=int, default=0, metavar="N", help="time N random integer frames")
    p.add_argument("--bitfile", help="overlay to load (default from design.json)")
    a = p.parse_args(argv)
    acc = Accelerator(bitfile=a.bitfile)
    if a.input:
        y = acc.execute(np.load(a.input))
        if a.output:
            np.save(a.output, y)
        else:
            print(y)
    if a.bench:
        f = acc.fin
        b = 1 if f["bipolar"] else int(f["bits"])
        lo, hi = ((-1, 2) if f["bipolar"] else
                  (-(1 << (b - 1)), 1 << (b - 1)) if f["signed"] else (0, 1 << b))
        q = np.random.default_rng(1).integers(lo, hi, size=(a.bench, int(f["frame_elems"])))
        if f["bipolar"]:
            q = np.where(q > 0, 1, -1)
        t = time.time()
        acc.execute_integer(q)
        dt = time.time() - t
        print("%d frames in %.3f s: %.1f frames/s (host loop included)" % (a.bench, dt, a.bench / dt))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
