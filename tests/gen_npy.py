#!/usr/bin/python3
"""gen_npy.py -- write the .npy fixtures of tests/npy/ and tests/npy-bad/
and their expectations, tests/npy/cases.txt, with numpy and torch 1.13.

Run from the source tree's top (it is not run by `make check`; the files it
writes are committed):

    /usr/bin/python3 tests/gen_npy.py

tests/npy/*.npy are valid files as np.save writes them (every dtype losslab
reads, both byte orders, C and Fortran order, versions 1.0, 2.0 and 3.0,
ranks 0 to 3, an empty array); tests/npy-bad/*.npy are files losslab must
refuse (truncated, a header that lies about the data's size, complex,
object -- pickled -- and structured dtypes, beyond the size limit).  Both
are also the fuzzer's seeds.  cases.txt holds one line per check:

    read FILE DTYPE SHAPE VALUE...   the file's dtype, shape and values in C
                                     order (float.hex: exact)
    bad FILE MESSAGE...              npy_parse refuses FILE, its message
                                     contains MESSAGE
    eval LOSS REDUCTION INPUT TARGET VALUE GRAD ELEM
                                     `losslab eval` on the two files gives
                                     torch's VALUE (float.hex), and
                                     --out-grad / --out-elem write torch's
                                     gradient and reduction='none' output,
                                     the files GRAD and ELEM (written here
                                     from torch's tensors, float64)
"""
import os
import struct

import numpy as np
import torch
import torch.nn.functional as F

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GOOD = os.path.join(TOP, "tests", "npy")
BAD = os.path.join(TOP, "tests", "npy-bad")
lines = []


def hexs(a):
    return " ".join(float(v).hex() for v in np.asarray(a).reshape(-1, order="C"))


def shape_str(a):
    s = tuple(a.shape)
    return "(" + ", ".join(str(d) for d in s) + ("," if len(s) == 1 else "") + ")"


def good(name, a, version=None):
    path = os.path.join(GOOD, name)
    with open(path, "wb") as f:
        if version is None:
            np.save(f, a)
        else:
            np.lib.format.write_array(f, a, version=version)
    # the shape string as losslab prints it has no blanks inside for the
    # parser of cases.txt: "(2,3)"
    lines.append("read tests/npy/%s %s %s %s" % (
        name, a.dtype.name, shape_str(a).replace(" ", ""), hexs(a)))


def raw(directory, name, data):
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data)


def header(d, version=1):
    """A preamble and header as numpy writes them, for a dict text d."""
    h = d.encode("latin1")
    pre = 10 if version == 1 else 12
    pad = 64 - (pre + len(h) + 1) % 64
    h += b" " * (pad % 64) + b"\n"
    if version == 1:
        return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(h)) + h
    return b"\x93NUMPY" + bytes([version, 0]) + struct.pack("<I", len(h)) + h


def bad(name, data, message):
    raw(BAD, name, data)
    lines.append("bad tests/npy-bad/%s %s" % (name, message))


def main():
    os.makedirs(GOOD, exist_ok=True)
    os.makedirs(BAD, exist_ok=True)
    rs = np.random.RandomState(11)

    # --- valid files: every dtype, both byte orders, both orders, versions
    logits = rs.randn(4, 3) * 2
    good("f8-4x3.npy", logits)
    good("f4-be-2x3.npy", np.array([[0.1, -2.5, 3], [1e-3, 7, -0.]], dtype=">f4"))
    good("f4-le-5.npy", np.array([0.5, -1, 2.25, 1e30, -1e-30], dtype="<f4"))
    good("f2-6.npy", np.array([1, -0.5, 65504, 6e-8, np.inf, -np.inf], dtype="<f2"))
    good("f2-be-3.npy", np.array([0.333, 2, -7], dtype=">f2"))
    good("f8-be-3.npy", np.array([1.5, -2**-1074, 1e308], dtype=">f8"))
    good("f8-nan.npy", np.array([np.nan, 1.0]))
    good("i8-4.npy", np.array([0, 2, 1, 1], dtype="<i8"))
    good("i8-be-4.npy", np.array([0, -100, 2, 2**53], dtype=">i8"))
    good("i4-3.npy", np.array([-1, 2, 2147483647], dtype="<i4"))
    good("i2-f-2x3.npy", np.asfortranarray(np.arange(6, dtype="<i2").reshape(2, 3) - 3))
    good("i1-3.npy", np.array([-128, 0, 127], dtype="i1"))
    good("u1-4.npy", np.array([0, 1, 255, 7], dtype="u1"))
    good("u2-be-2.npy", np.array([65535, 1], dtype=">u2"))
    good("u4-2.npy", np.array([4294967295, 0], dtype="<u4"))
    good("u8-2.npy", np.array([2**53, 3], dtype="<u8"))
    good("bool-2x2.npy", np.array([[True, False], [False, True]]))
    good("f8-f-3x2.npy", np.asfortranarray(np.arange(6.0).reshape(3, 2) / 4))
    good("f4-f-2x2x3.npy", np.asfortranarray(np.arange(12, dtype="<f4").reshape(2, 2, 3)))
    good("f8-0d.npy", np.array(2.5))
    good("f8-0x3.npy", np.zeros((0, 3)))
    good("f8-v2.npy", np.array([1.0, 2.0, 3.0]), version=(2, 0))
    good("f8-v3.npy", np.array([[4.0, -1.0]]), version=(3, 0))
    probs = rs.dirichlet(np.ones(3), size=4)
    good("f8-probs-4x3.npy", probs)
    good("f8-bce-6.npy", rs.randn(6) * 3)
    good("f8-bcet-6.npy", np.array([1, 0, 1, 1, 0, 0], dtype="<f8"))

    # --- bad files -----------------------------------------------------------
    ok = header("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }")
    data = np.arange(6.0).tobytes()
    bad("truncated-data.npy", ok + data[:40], "truncated: the header says 6 float64 values (48 bytes), the file has 40")
    bad("truncated-header.npy", ok[:30], "truncated: the header says it is")
    bad("truncated-preamble.npy", b"\x93NUMPY\x01", "truncated")
    bad("header-lies-long.npy", ok + data + b"\0" * 8, "the header says 6 float64 values (48 bytes), the file has 56")
    bad("header-lies-shape.npy", header("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 3), }") + data,
        "truncated: the header says 9 float64 values")
    bad("header-len-lies.npy", b"\x93NUMPY\x01\x00\xff\xff" + ok[10:] + data, "truncated: the header says it is 65535 bytes")
    bad("complex.npy", header("{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }") + b"\0" * 16,
        "complex dtype '<c16' is not supported")
    with open(os.path.join(BAD, "object.npy"), "wb") as f:
        np.save(f, np.array([1, "a", None], dtype=object), allow_pickle=True)
    lines.append("bad tests/npy-bad/object.npy dtype object ('|O') is refused")
    with open(os.path.join(BAD, "structured.npy"), "wb") as f:
        np.save(f, np.zeros(2, dtype=[("x", "<f8"), ("y", "<i4")]))
    lines.append("bad tests/npy-bad/structured.npy structured dtypes (a list of fields) are not supported")
    with open(os.path.join(BAD, "unicode.npy"), "wb") as f:
        np.save(f, np.array(["ab", "c"]))
    lines.append("bad tests/npy-bad/unicode.npy string dtype '<U2' is not supported")
    bad("too-many-values.npy", header("{'descr': '<f8', 'fortran_order': False, 'shape': (4097, 4096), }") + b"\0" * 64,
        "more than 16777216 values (the limit)")
    bad("too-many-values-product.npy",
        header("{'descr': '|u1', 'fortran_order': False, 'shape': (4294967296, 4294967296, 0), }"),
        "more than 16777216 values (the limit)")
    bad("huge-dim.npy", header("{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999999,), }"),
        "a dimension in the header is too large")
    bad("version-4.npy", b"\x93NUMPY\x04\x00" + ok[8:] + data, ".npy format version 4.0 is not supported")
    bad("float128.npy", header("{'descr': '<f16', 'fortran_order': False, 'shape': (1,), }") + b"\0" * 16,
        "dtype '<f16' is not supported")
    bad("bool-2.npy", header("{'descr': '|b1', 'fortran_order': False, 'shape': (2,), }") + b"\x01\x02",
        "value 2 is a bool of byte 2")
    bad("int-inexact.npy", header("{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }") + struct.pack("<q", 2**53 + 1),
        "is too large to be exact in float64")
    bad("no-shape.npy", header("{'descr': '<f8', 'fortran_order': False, }") + data, "the header lacks shape")
    bad("not-a-dict.npy", header("[1, 2]") + data, "the header is not a dict")
    bad("python-code.npy", header("{'descr': __import__('os').system('true'), 'fortran_order': False, 'shape': (6,), }") + data,
        "the header's descr is not a dtype string")
    bad("repeated-key.npy", header("{'descr': '<f8', 'descr': '<f4', 'fortran_order': False, 'shape': (6,), }") + data,
        "repeated key 'descr'")
    bad("big-endian-bool-order.npy", header("{'descr': '|f8', 'fortran_order': False, 'shape': (6,), }") + data,
        "gives no byte order")
    bad("fortran-maybe.npy", header("{'descr': '<f8', 'fortran_order': 1, 'shape': (6,), }") + data,
        "fortran_order is not True or False")
    bad("nul-header.npy", header("{'descr': '<f8',\0 'fortran_order': False, 'shape': (6,), }") + data,
        "the header holds a NUL byte")
    bad("too-many-dims.npy", header("{'descr': '<f8', 'fortran_order': False, 'shape': (%s), }" % ("1, " * 33)) + b"\0" * 8,
        "more than 32 dimensions")

    # --- eval against torch (float64 throughout: losslab computes in
    # float64 whatever the file's dtype, so a float32 input is widened
    # first, exactly as losslab does) ---------------------------------------
    def case(loss, reduction, inp, tgt, fn):
        x = torch.tensor(np.load(os.path.join(GOOD, inp)).astype(np.float64), requires_grad=True)
        t_np = np.load(os.path.join(GOOD, tgt))
        t = torch.tensor(t_np) if t_np.dtype.kind in "iu" else torch.tensor(t_np.astype(np.float64))
        elem = fn(x, t, "none")
        val = fn(x, t, reduction)
        val.backward()
        stem = "%s-%s-%s" % (loss, reduction, os.path.splitext(inp)[0])
        np.save(os.path.join(GOOD, "torch-" + stem + "-grad.npy"), x.grad.numpy().astype("<f8"))
        np.save(os.path.join(GOOD, "torch-" + stem + "-elem.npy"), elem.detach().numpy().astype("<f8"))
        lines.append("eval %s %s tests/npy/%s tests/npy/%s %s tests/npy/torch-%s-grad.npy tests/npy/torch-%s-elem.npy" % (
            loss, reduction, inp, tgt, float(val).hex(), stem, stem))

    case("ce", "mean", "f8-4x3.npy", "i8-4.npy",
         lambda x, t, r: F.cross_entropy(x, t, reduction=r))
    case("ce", "sum", "f8-4x3.npy", "f8-probs-4x3.npy",
         lambda x, t, r: F.cross_entropy(x, t, reduction=r))
    case("bce-logits", "mean", "f8-bce-6.npy", "f8-bcet-6.npy",
         lambda x, t, r: F.binary_cross_entropy_with_logits(x, t, reduction=r))
    case("nll", "mean", "f8-probs-4x3.npy", "i8-4.npy",
         lambda x, t, r: F.nll_loss(x, t, reduction=r))
    case("multi-margin", "mean", "f8-4x3.npy", "i8-4.npy",
         lambda x, t, r: F.multi_margin_loss(x, t, reduction=r))

    # --- where losslab deliberately differs: torch's own answer -----------
    # differs LOSS TORCHVALUE ARG...: `losslab eval LOSS ARG...` warns (or
    # refuses) with id differs-from-torch and names TORCHVALUE
    def t64(v):
        return torch.tensor(v, dtype=torch.float64)

    def differs(loss, value, *args):
        lines.append("differs %s %s %s" % (loss, repr(float(value)), " ".join(args)))

    differs("soft-margin", F.soft_margin_loss(t64([-800.0, 1.0]), t64([1.0, 1.0])),
            "--input", "-800,1", "--target", "1,1")
    differs("soft-margin", F.soft_margin_loss(t64([[3.0, 710.0]]), t64([1.0, -1.0]), reduction="sum"),
            "--input", "3,710;", "--target", "1,-1", "--reduction", "sum")
    differs("ce", F.cross_entropy(t64([2.0, 1.0, 0.1]), torch.tensor(0), label_smoothing=-0.1),
            "--input", "2,1,0.1", "--target", "0", "--label-smoothing", "-0.1")
    differs("multi-margin", F.multi_margin_loss(t64([[2, 1, 0.1], [0, 1, 3]]), torch.tensor([1, 0]),
                                                weight=t64([1.0, 2, 3, 4])),
            "--input", "2,1,0.1;0,1,3", "--target", "1,0", "--weight", "1,2,3,4")
    differs("multilabel-soft-margin", F.multilabel_soft_margin_loss(t64([[0.5], [-1.0]]), t64([[1.0, 0, 1], [0, 0, 1]])),
            "--input", "0.5;-1", "--target", "1,0,1;0,0,1")
    differs("multilabel-soft-margin", F.multilabel_soft_margin_loss(t64([0.5, -1.0]), t64([[1.0, 0], [0, 1], [1, 1]]), reduction="sum"),
            "--input", "0.5,-1", "--target", "1,0;0,1;1,1", "--reduction", "sum")

    with open(os.path.join(GOOD, "cases.txt"), "w") as f:
        f.write("# written by tests/gen_npy.py (numpy %s, torch %s); do not edit\n" % (
            np.__version__, torch.__version__))
        for l in lines:
            f.write(l + "\n")


if __name__ == "__main__":
    main()
