"""Counting the 7-series cells of a Yosys `stat` report, one rule for
bench/results.sh and bench/unit_yosys.sh (bench/calib/run.sh counts the same
in awk):
  LUT    = LUT1..LUT6 + SRL16E/SRLC32E + LUTs in LUTRAM (RAM32M/RAM64M/
           RAM128X1D/RAM256X1S: 4, RAM32X1D/RAM64X1D/RAM128X1S: 2,
           RAM32X1S/RAM64X1S: 1); lutram = the LUTRAM part alone
  FF     = FDRE + FDSE + FDCE + FDPE
  BRAM18 = RAMB18E1 + 2 x RAMB36E1
  DSP    = DSP48E1
"""
import re


def parse_stat(path):
    """{module: {cell type: count}} of a `stat` report; cells listed before any
    `=== module ===` header (none in practice) under None."""
    mods = {None: {}}
    cur = mods[None]
    for line in open(path):
        m = re.match(r"=== (.*) ===", line)
        if m:
            cur = mods.setdefault(m.group(1), {})
            continue
        m = re.match(r"\s+(\S+)\s+(\d+)\s*$", line)
        if m:
            cur[m.group(1)] = cur.get(m.group(1), 0) + int(m.group(2))
    return mods


def totals(cells):
    """LUT, LUTRAM, FF, BRAM18 (and its RAMB18/RAMB36), DSP, CARRY4 of {cell type: count}."""
    g = lambda *ks: sum(cells.get(k, 0) for k in ks)
    lutram = 4 * g("RAM32M", "RAM64M", "RAM128X1D", "RAM256X1S") + 2 * g("RAM32X1D", "RAM64X1D", "RAM128X1S") \
        + g("RAM32X1S", "RAM64X1S")
    return {"lut": g("LUT1", "LUT2", "LUT3", "LUT4", "LUT5", "LUT6") + g("SRL16E", "SRLC32E") + lutram,
            "lutram": lutram, "ff": g("FDRE", "FDSE", "FDCE", "FDPE"),
            "bram18": g("RAMB18E1") + 2 * g("RAMB36E1"), "ramb18": g("RAMB18E1"), "ramb36": g("RAMB36E1"),
            "dsp": g("DSP48E1"), "carry4": g("CARRY4")}


def whole(path):
    """totals() over every cell line of a flat design's report (one module)."""
    cells = {}
    for mod in parse_stat(path).values():
        for k, n in mod.items():
            cells[k] = cells.get(k, 0) + n
    return totals(cells)
