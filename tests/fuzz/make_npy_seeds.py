#!/usr/bin/env python3
"""make_npy_seeds.py DIR - small .npy files covering the reader's cases (no numpy needed):
format versions 1.0/2.0/3.0, every dtype it reads (f2 f4 f8 i1..i8 u1..u8 b1) in
both byte orders, fortran_order, scalars, empty arrays, odd header spacing."""
import os, struct, sys

def npy(descr, shape, payload, version=(1, 0), fortran=False, pad=True, spacing=""):
    shp = "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"
    hdr = "{'descr': '%s',%s 'fortran_order': %s, 'shape': %s, }" % (descr, spacing, fortran, shp)
    pre = 10 if version[0] == 1 else 12
    total = pre + len(hdr) + 1
    if pad:
        hdr += " " * ((64 - total % 64) % 64)
    hdr += "\n"
    h = hdr.encode("latin1" if version[0] < 3 else "utf8")
    lenfield = struct.pack("<H", len(h)) if version[0] == 1 else struct.pack("<I", len(h))
    return b"\x93NUMPY" + bytes(version) + lenfield + h + payload

def vals(fmt, order, xs):
    return b"".join(struct.pack(order + fmt, x) for x in xs)

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
cases = {
    "f4_2x3.npy": npy("<f4", (2, 3), vals("f", "<", [0.5, -1, 2.25, 3, -0.0, 1e-3])),
    "f4_be.npy": npy(">f4", (4,), vals("f", ">", [1, 2, 3, 4])),
    "f8_1x2x2.npy": npy("<f8", (1, 2, 2), vals("d", "<", [1.5, -2, 1e300, 7])),
    "f2_3.npy": npy("<f2", (3,), vals("e", "<", [1, -2.5, 65504])),
    "i1_5.npy": npy("|i1", (5,), vals("b", "<", [-128, -1, 0, 1, 127])),
    "u1_2x2.npy": npy("|u1", (2, 2), bytes([0, 1, 128, 255])),
    "i2_be.npy": npy(">i2", (3,), vals("h", ">", [-32768, 5, 32767])),
    "u2_2.npy": npy("<u2", (2,), vals("H", "<", [0, 65535])),
    "i4_2x2.npy": npy("<i4", (2, 2), vals("i", "<", [-7, 0, 7, 2**31 - 1])),
    "u4_1.npy": npy("<u4", (1,), vals("I", "<", [2**32 - 1])),
    "i8_1x4.npy": npy("<i8", (1, 4), vals("q", "<", [-(2**63), -1, 1, 2**63 - 1])),
    "u8_2.npy": npy("<u8", (2,), vals("Q", "<", [0, 2**64 - 1])),
    "b1_4.npy": npy("|b1", (4,), bytes([0, 1, 1, 0])),
    "fortran_2x3.npy": npy("<f4", (2, 3), vals("f", "<", range(6)), fortran=True),
    "scalar.npy": npy("<f4", (), vals("f", "<", [42])),
    "empty_0x3.npy": npy("<f4", (0, 3), b""),
    "v2_f4.npy": npy("<f4", (2,), vals("f", "<", [1, 2]), version=(2, 0)),
    "v3_i8.npy": npy("<i8", (2,), vals("q", "<", [3, 4]), version=(3, 0)),
    "nopad_spacing.npy": npy("<f4", (1, 1), vals("f", "<", [1]), pad=False, spacing="  "),
    "rank8.npy": npy("<f4", (1, 1, 1, 1, 1, 1, 1, 2), vals("f", "<", [1, 2])),
}
for name, data in cases.items():
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)
print("%d .npy seeds in %s" % (len(cases), out))
