#!/usr/bin/env python3
"""test_driver.py - driver.py (boards/pynq_driver.py) against qonnx-rtl's C code.

1. pack/unpack vs rtl_pack on random frames of every element type (bipolar,
   1..8-bit signed and unsigned, odd wider ones), random elements per beat,
   with TDATA-sized and power-of-two (DMA) beats: bytes and values identical.
2. For compiled models (tfc-w1a1, tfc-w2a2, random MLPs incl. an integer-input
   one and one with BatchNorm and float scales, and the shipped MLPs when
   ../shared is there): the driver's host pre-processing equals hw_host_pre
   level for level, pack equals rtl_pack byte for byte, unpack inverts it,
   the host post-processing equals hw_host_post bit for bit (float32), and
   Accelerator.execute() through a fake pynq (AXI DMA, or the Vitis movers)
   whose "hardware" answers with the C integer model's output returns the
   same outputs.
3. HOST_OPS equals the C list of host ops (boards/boards.c).

usage: test_driver.py QONNX_RTL TEST_DRIVER_REF SOURCE_DIR SHARED_DIR WORKDIR
Exit 77 (skip) without numpy.
"""
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import types

try:
    import numpy as np
except ImportError:
    print("skip: numpy is not installed for %s (Debian python3-numpy)" % sys.executable)
    sys.exit(77)

qr, ref, src, shared, work = sys.argv[1:6]
passed = failed = 0


def check(ok, msg):
    global passed, failed
    if ok:
        passed += 1
        print("ok  : " + msg)
    else:
        failed += 1
        print("FAIL: " + msg)
    return ok


def load_driver(path):
    spec = importlib.util.spec_from_file_location("qr_driver_%d" % abs(hash(path)), path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def words_to_bytes(words, nbytes, beat_bytes):
    """[beats, words] of 32-bit words -> [beats, beat_bytes] bytes, zero padded."""
    w = np.asarray(words, dtype=np.int64).astype("<u4")
    b = w.view(np.uint8).reshape(w.shape[0], -1)[:, :nbytes]
    out = np.zeros((w.shape[0], beat_bytes), dtype=np.uint8)
    out[:, :nbytes] = b
    return out


shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
drv = load_driver(os.path.join(src, "boards", "pynq_driver.py"))

# ------------------------------------------------------------ 1. pack/unpack
pdir = os.path.join(work, "pack")
os.makedirs(pdir)
subprocess.run([ref, "pack", "12345", pdir], check=True)
ncase = nbad = 0
kinds = set()
for line in open(os.path.join(pdir, "pack.txt")):
    name, bits, signed, bipolar, elems, tdata, beats = line.split()
    bits, elems, tdata, beats = int(bits), int(elems), int(tdata), int(beats)
    fmt = {"bits": bits, "signed": signed == "1", "bipolar": bipolar == "1", "elems_per_beat": elems}
    vals = np.load(os.path.join(pdir, name + "_vals.npy"))
    words = np.load(os.path.join(pdir, name + "_words.npy"))
    pow2 = 1 << (tdata // 8 - 1).bit_length()
    ok = True
    for bb in sorted({tdata // 8, pow2}):
        want = words_to_bytes(words, tdata // 8, bb)
        got = drv.pack(vals, fmt, beat_bytes=bb)
        ok &= got.shape == want.shape and np.array_equal(got, want)
        back = drv.unpack(want, fmt, beat_bytes=bb)
        ok &= np.array_equal(back, vals)
    ncase += 1
    nbad += not ok
    kinds.add(re.sub(r"_\d+$", "", name))
    if not ok:
        print("      %s: %d x %d bits per beat, tdata %d: mismatch" % (name, elems, bits, tdata))
check(nbad == 0, "pack == rtl_pack and unpack inverts it on %d random cases of %d element types (%s)"
      % (ncase, len(kinds), " ".join(sorted(kinds, key=lambda k: (re.sub(r"\d", "", k), int(re.sub(r"\D", "", k)))))))
for fmt, bad in (({"bits": 3, "signed": True, "bipolar": False, "elems_per_beat": 1}, [4]),
                 ({"bits": 3, "signed": False, "bipolar": False, "elems_per_beat": 1}, [-1]),
                 ({"bits": 1, "signed": False, "bipolar": True, "elems_per_beat": 1}, [0])):
    try:
        drv.pack(bad, fmt, beat_bytes=1)
        check(False, "pack refuses %s for %s" % (bad, fmt))
    except ValueError as e:
        check(True, "pack refuses %s for a %s type: %s" % (bad, "bipolar" if fmt["bipolar"] else "%d-bit" % fmt["bits"], e))

# ------------------------------------------------------- 3. host op lists
csrc = open(os.path.join(src, "boards", "boards.c")).read()
m = re.search(r"qr_host_ops\[\] = \{(.*?)NULL\}", csrc, re.S)
cops = tuple(re.findall(r'"([A-Za-z]+)"', m.group(1))) if m else ()
check(set(cops) == set(drv.HOST_OPS) and len(cops) == len(drv.HOST_OPS),
      "driver.py HOST_OPS equals boards.c qr_host_ops (%d ops)" % len(cops))


# ------------------------------------------------------------ 2. models
class Buf(np.ndarray):
    def flush(self): pass
    def invalidate(self): pass
    def freebuffer(self): pass
    def sync_to_device(self): pass
    def sync_from_device(self): pass


class Hardware:
    """Answers each input frame's bytes with the C model's output frame bytes."""

    def __init__(self, table, fin, fout):
        self.table, self.fin, self.fout = table, fin, fout
        self.pending = []
        self.frames_out = 0

    def feed(self, data):
        data = np.asarray(data, dtype=np.uint8).reshape(-1, self.fin)
        for fr in data:
            self.pending.append(self.table[fr.tobytes()])


class Channel:
    def __init__(self, hw, send):
        self.hw, self.send = hw, send

    def transfer(self, buf, start=0, nbytes=0):
        nbytes = nbytes or buf.size - start
        if self.send:
            self.hw.feed(np.asarray(buf)[start:start + nbytes])
        else:
            assert nbytes == self.hw.fout, "S2MM transfers one frame (TLAST) at a time"
            buf[start:start + nbytes] = np.frombuffer(self.hw.pending.pop(0), dtype=np.uint8)
            self.hw.frames_out += 1

    def wait(self):
        pass


class Kernel:
    def __init__(self, hw, kind):
        self.hw, self.kind = hw, kind
        self.todo = None

    def call(self, buf, beats):
        self.hw.feed(np.asarray(buf))

    def start(self, buf, beats):
        k = self

        class Handle:
            def wait(self_):
                out = b"".join(k.hw.pending)
                buf[:len(out)] = np.frombuffer(out, dtype=np.uint8)
                k.hw.frames_out += len(k.hw.pending)
                k.hw.pending = []
        return Handle()


fake = types.ModuleType("pynq")
fake.allocate = lambda shape, dtype, **kw: np.zeros(shape, dtype=dtype).view(Buf)
sys.modules["pynq"] = fake


def run_model(tag, model, board, example=None, opts=()):
    print("-- %s (%s)" % (tag, board))
    if example:
        model = os.path.join(work, tag + ".onnx")
        if subprocess.run([qr, "-q", "example"] + example.split() + ["-o", model]).returncode:
            return check(False, "example %s written" % example)
    out = os.path.join(work, tag)
    r = subprocess.run([qr, "-q", model, "-o", out, "--board=" + board] + list(opts),
                       stderr=subprocess.PIPE, text=True)
    if not check(r.returncode == 0, "%s compiles for %s %s" % (tag, board, r.stderr.strip())):
        return
    bdir = os.path.join(out, "boards", board)
    rdir = os.path.join(work, tag + "_ref")
    os.makedirs(rdir)
    subprocess.run([ref, "host", model, os.path.join(out, "folding.json"), "24", "7", rdir], check=True)
    R = {k: np.load(os.path.join(rdir, k + ".npy")) for k in ("x", "hwin", "hwout", "y", "inwords", "outwords")}
    d = load_driver(os.path.join(bdir, "driver.py"))
    acc = d.Accelerator(load=False)
    fin, fout = acc.fin, acc.fout
    n = R["x"].shape[0]
    q = acc.pre(R["x"])
    check(np.array_equal(q, R["hwin"]), "%s: host pre-processing (%s) == hw_host_pre on %d frames"
          % (tag, ", ".join(x["op"] for x in acc.design["host"]["pre"]) or "none", n))
    inb = words_to_bytes(R["inwords"], fin["tdata_bytes"], fin["beat_bytes"])
    check(np.array_equal(d.pack(R["hwin"], fin).reshape(inb.shape), inb),
          "%s: pack == rtl_pack (%d x %s%d per %d-byte beat, %d-byte DMA beat)"
          % (tag, fin["elems_per_beat"], "bipolar" if fin["bipolar"] else "int" if fin["signed"] else "uint",
             fin["bits"], fin["tdata_bytes"], fin["beat_bytes"]))
    outb = words_to_bytes(R["outwords"], fout["tdata_bytes"], fout["beat_bytes"])
    check(np.array_equal(d.unpack(outb, fout).reshape(n, -1), R["hwout"]), "%s: unpack(rtl_pack(hw output)) == hw output" % tag)
    y = np.asarray(acc.post(R["hwout"]), dtype=np.float32).reshape(n, -1)
    exact = np.array_equal(y.view(np.uint32), R["y"].view(np.uint32))
    check(exact, "%s: host post-processing (%s %s) == hw_host_post bit for bit%s"
          % (tag, acc.design["host"]["hw_out"]["mode"], ", ".join(x["op"] for x in acc.design["host"]["post"]) or "",
             "" if exact else " (max |diff| %g)" % np.max(np.abs(y - R["y"]))))
    # execute() through a fake pynq whose hardware is the C integer model
    table = {}
    fb_in, fb_out = acc.in_frame_bytes, acc.out_frame_bytes
    for i in range(n):
        table[inb.reshape(n, -1)[i].tobytes()] = outb.reshape(n, -1)[i].tobytes()
    hw = Hardware(table, fb_in, fb_out)
    ov = types.SimpleNamespace()
    if acc.design["flow"] == "vitis":
        setattr(ov, acc.design["dma"]["mm2s"], Kernel(hw, "mm2s"))
        setattr(ov, acc.design["dma"]["s2mm"], Kernel(hw, "s2mm"))
    else:
        setattr(ov, acc.design["dma"]["name"], types.SimpleNamespace(sendchannel=Channel(hw, True), recvchannel=Channel(hw, False)))
    acc2 = d.Accelerator(overlay=ov)
    y2 = np.asarray(acc2.execute(R["x"]), dtype=np.float32).reshape(n, -1)
    check(hw.frames_out == n and np.array_equal(y2.view(np.uint32), R["y"].view(np.uint32)),
          "%s: execute() through the fake %s (%d frames, %d-byte frames in, %d out) == C host+hardware model"
          % (tag, "Vitis movers" if acc.design["flow"] == "vitis" else "AXI DMA", n, fb_in, fb_out))


run_model("tfc_w1a1", None, "pynq-z2", "tfc-w1a1")
run_model("tfc_w2a2", None, "zcu104", "tfc-w2a2")
run_model("mlp_odd", None, "pynq-z1", "mlp --seed 7 --layers 37,13,5 --wbits 3 --abits 3 --ibits 5")
run_model("mlp_int_in", None, "kv260", "mlp --seed 4 --layers 19,11,6 --wbits 4 --abits 5 --ibits 6 --isigned 1 --iquant 0")
run_model("mlp_bn", None, "ultra96-v2", "mlp --seed 9 --layers 30,17,9 --wbits 2 --abits 3 --scale float --bn 1 --relu 1")
run_model("mlp_u250", None, "u250", "mlp --seed 11 --layers 21,9,3 --wbits 5 --abits 7 --ibits 7 --isigned 1 --scale chan")
for rel in ("mnist-tfc/TFC_2W2A.onnx", "mnist-tfc/TFC_1W1A.onnx", "jet-tagging/qkeras_jettagging.onnx",
            "unsw-nb15/unsw_nb15-mlp-w2a2.onnx", "gscv2-kws/kwsmlp_w3a3.onnx"):
    path = os.path.join(shared, "models", rel)
    if os.path.exists(path):
        run_model(os.path.basename(rel)[:-5], path, "pynq-z2")
    else:
        print("skip: %s not found" % path)

print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
