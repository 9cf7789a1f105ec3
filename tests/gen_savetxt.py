#!/usr/bin/python3
"""gen_savetxt.py -- text fixtures written by np.savetxt, for tests/savetxt.sh.

A 1-D array saved with np.savetxt is one value a line; np.loadtxt reads it
back 1-D, shape (N,), and so must losslab's @FILE.  Writes into
tests/savetxt/: x.txt and y.txt (1-D logits and targets), x2.txt and y2.txt
(a (3, 2) matrix each, which stay 2-D), col.txt (a (3, 1) matrix: with
delimiter ';' ... no: savetxt cannot write one that loadtxt reads (3, 1), so
none is made), and expected.txt: the shapes np.loadtxt gives and
BCEWithLogitsLoss's mean, from torch 1.13 in float64.

Run from the source tree: /usr/bin/python3 tests/gen_savetxt.py
"""
import os

import numpy as np
import torch

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "savetxt")
os.makedirs(out, exist_ok=True)

x = np.array([2.0, -1.0, 0.5, 3.25, -0.125])
y = np.array([1.0, 0.0, 1.0, 1.0, 0.0])
x2 = np.array([[2.0, -1.0], [0.5, 0.25], [-3.0, 1.5]])
y2 = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
np.savetxt(os.path.join(out, "x.txt"), x)
np.savetxt(os.path.join(out, "y.txt"), y, delimiter=",", fmt="%g")
np.savetxt(os.path.join(out, "x2.txt"), x2)
np.savetxt(os.path.join(out, "y2.txt"), y2, delimiter=",", fmt="%g")


def bce(a, b):
    a = torch.tensor(np.loadtxt(a, delimiter=None), dtype=torch.float64)
    b = torch.tensor(np.loadtxt(b, delimiter=","), dtype=torch.float64)
    return list(a.shape), torch.nn.BCEWithLogitsLoss()(a, b).item()


with open(os.path.join(out, "expected.txt"), "w") as f:
    f.write("# file shape(np.loadtxt) BCEWithLogitsLoss mean (torch %s)\n"
            % torch.__version__)
    for a, b in (("x.txt", "y.txt"), ("x2.txt", "y2.txt")):
        shape, v = bce(os.path.join(out, a), os.path.join(out, b))
        f.write("%s %s %s %r\n" % (a, b, "x".join(map(str, shape)), v))
