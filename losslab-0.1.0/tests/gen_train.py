#!/usr/bin/python3
#
# gen_train.py -- golden training trajectories for tests/test_train.c,
# computed by PyTorch.
#
# Run by hand from a built tree (the test suite itself never needs torch):
#
#	LOSSLAB=./src/losslab /usr/bin/python3 tests/gen_train.py \
#	    > tests/train_golden.txt
#
# For every case, `losslab train ARGS --json` gives the data and the initial
# parameters (so the data sets and the generator are losslab's own); this
# script then trains the equivalent nn.Module in float64 with
# torch.optim.SGD from those parameters and writes, per epoch, the
# pipeline's loss, the correct loss of the same logits and the accuracy,
# and the final parameters.  It also checks that losslab follows its own
# documentation: the data and params0 are regenerated here from the
# generator described in src/core/data.h and the initialiser of
# src/core/train.h, and must be equal bit for bit; the mini-batch order is
# that generator's permutation (RNG_STREAM_ORDER), one per epoch, which
# torch's DataLoader cannot reproduce, so it is made here.
#
# The rules of a run are train.h's: entry e is evaluated on the whole data
# set after e epochs; a run stops when an entry's loss is inf or nan
# (diverged, the entry kept), when an update leaves a parameter inf or nan
# (diverged in that epoch, no entry), or when torch raises (refused: the
# entry or the batch that raised is not recorded).
#
# torchvision is not installed: sigmoid_focal_loss is transcribed from
# torchvision/ops/focal_loss.py as in tests/gen_golden.py.
#
# naive-float32 is the loss pipeline in float32 as src/core/pitfall.c
# computes it, the model in float64: the logits are cast to float32 before
# sigmoid and BCELoss (the weight too), and autograd casts the gradient
# back to float64 at the cast.

import json
import math
import os
import subprocess
import sys

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)

LOSSLAB = os.environ.get("LOSSLAB", "./src/losslab")

# name, arguments of `losslab train` (without --json).  @tests/ paths are
# relative to the source tree (tests/test_train.c puts $top_srcdir first).
CASES = [
    ("ce-linear-blobs",
     "--data blobs --classes 3 --model linear --loss ce --lr 0.1 "
     "--epochs 200"),
    ("ce-mlp-tanh-spiral-momentum",
     "--data spiral --model mlp --hidden 16 --loss ce --lr 0.5 "
     "--momentum 0.9 --epochs 200"),
    ("ce-mlp-relu-weight-smoothing-decay",
     "--data blobs --classes 4 --model mlp --hidden 8 --activation relu "
     "--loss ce --weight 1,2,0.5,1 --label-smoothing 0.1 --lr 0.2 "
     "--weight-decay 0.01 --epochs 200 --seed 3"),
    ("ce-ignore-index-sum",
     "--data spiral --n 90 --model linear --loss ce --ignore-index 1 "
     "--reduction sum --lr 0.01 --epochs 200 --seed 5"),
    ("ce-mlp-minibatch",
     "--data spiral --model mlp --hidden 12 --loss ce --lr 0.2 "
     "--momentum 0.9 --weight-decay 0.001 --batch 32 --epochs 50 --seed 7"),
    ("multi-margin-linear",
     "--data blobs --classes 3 --model linear --loss multi-margin --lr 0.1 "
     "--epochs 200"),
    ("multi-margin-mlp-p2-weight",
     "--data spiral --model mlp --activation relu --loss multi-margin --p 2 "
     "--margin 0.5 --weight 1,1.5,2 --lr 0.2 --momentum 0.5 --epochs 200"),
    ("bce-logits-linear-blobs",
     "--data blobs --model linear --loss bce-logits --lr 0.1 --epochs 200"),
    ("bce-logits-mlp-circles-pos-weight",
     "--data circles --model mlp --hidden 16 --loss bce-logits "
     "--pos-weight 3 --lr 0.5 --momentum 0.9 --epochs 200"),
    ("bce-logits-multilabel-weights",
     "--data multilabel --model linear --loss bce-logits --weight 1,2,0.5 "
     "--pos-weight 1,2,3 --lr 0.3 --epochs 200 --seed 11"),
    ("focal-mlp-xor",
     "--data xor --model mlp --hidden 8 --loss focal --alpha 0.25 "
     "--gamma 2 --lr 1 --momentum 0.9 --epochs 200"),
    ("focal-multilabel-no-alpha",
     "--data multilabel --classes 4 --model mlp --activation relu "
     "--loss focal --alpha -1 --gamma 1.5 --lr 0.5 --epochs 200"),
    ("multilabel-soft-margin-mlp",
     "--data multilabel --model mlp --hidden 10 --loss "
     "multilabel-soft-margin --weight 1,2,1 --lr 0.5 --momentum 0.9 "
     "--weight-decay 0.0005 --epochs 200"),
    ("multilabel-soft-margin-binary-minibatch",
     "--data circles --model mlp --loss multilabel-soft-margin --lr 0.3 "
     "--batch 25 --epochs 40 --seed 2"),
    ("pitfall-softmax-then-ce",
     "--data spiral --model mlp --loss ce --lr 0.5 --momentum 0.9 "
     "--epochs 200 --pitfall softmax-then-ce"),
    ("pitfall-log-softmax-then-ce",
     "--data blobs --classes 3 --model linear --loss ce --lr 0.1 "
     "--epochs 200 --pitfall log-softmax-then-ce"),
    ("pitfall-double-sigmoid",
     "--data blobs --model linear --loss bce-logits --lr 0.5 --epochs 200 "
     "--pitfall double-sigmoid"),
    ("pitfall-double-sigmoid-multilabel-minibatch",
     "--data multilabel --model mlp --loss bce-logits --lr 0.5 --batch 50 "
     "--epochs 40 --pitfall double-sigmoid"),
    ("pitfall-naive-float32",
     "--data xor --model mlp --hidden 8 --loss bce-logits --lr 5 "
     "--momentum 0.9 --epochs 200 --pitfall naive-float32"),
    # float32 saturation: the first 12 epochs only (see HEADER)
    ("pitfall-naive-float32-saturates",
     "--data xor --noise 0.6 --model mlp --loss bce-logits --lr 10 "
     "--momentum 0.9 --epochs 12 --pitfall naive-float32"),
    ("pitfall-bce-on-logits-refused",
     "--data blobs --model linear --loss bce-logits --lr 0.1 --epochs 200 "
     "--pitfall bce-on-logits"),
    ("pitfall-bce-on-logits-trained",
     "--data @tests/train-tiny.csv --model linear --loss bce-logits "
     "--lr 0.05 --epochs 200 --pitfall bce-on-logits --seed 5"),
    ("pitfall-bce-on-logits-refused-later",
     "--data @tests/train-tiny.csv --model linear --loss bce-logits "
     "--lr 0.5 --epochs 50 --pitfall bce-on-logits --seed 8"),
    ("pitfall-bce-on-logits-refused-in-a-batch",
     "--data @tests/train-tiny.csv --model linear --loss bce-logits "
     "--lr 0.5 --batch 8 --epochs 50 --pitfall bce-on-logits --seed 8"),
    ("csv-ce-mlp",
     "--data @tests/train-tiny.csv --model mlp --hidden 4 --loss ce "
     "--lr 0.5 --epochs 200"),
    ("diverged-ce-weight-decay",
     "--data spiral --model linear --loss ce --lr 100 --weight-decay 1 "
     "--epochs 200"),
]

HEADER = """\
# train_golden.txt -- training trajectories computed by PyTorch.
# GENERATED by tests/gen_train.py -- do not edit; regenerate with
#	LOSSLAB=./src/losslab /usr/bin/python3 tests/gen_train.py \\
#	    > tests/train_golden.txt
# torch.__version__ = %(version)s (Debian python3-torch), float64 CPU,
# torch.optim.SGD, 1 thread
# %(count)d cases
#
# Format: one record per case, one item per line, '#' lines are comments.
#   case NAME
#   args ARG...           the arguments of `losslab train` (no --json);
#                         @tests/FILE is relative to the source tree
#   h EPOCH L C A         an entry of the correct run's history: loss,
#                         correct loss, accuracy
#   param NAME SHAPE: V...  a final parameter of the correct run (W1, b1,
#                         W2, b2); SHAPE is RxC or N
#   stopped REASON EPOCH  the correct run stopped early: diverged or refused
#   ph, pparam, pstopped  the same for the pitfall run (with --pitfall)
#   end
# Numbers are Python repr() of the float64 value, nan, inf or -inf.
#
# naive-float32 runs compute the loss in float32, where torch's vectorised
# expf (SLEEF) and libm's may differ in the last bit: their trajectories
# agree to about 1e-6 until a point's sigmoid saturates (exactly 1.0 in
# float32) on one side of that bit and not on the other; from then on the
# two runs are different runs.  The saturating case therefore stops at 12
# epochs, before that happens.
"""

M64 = (1 << 64) - 1


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & M64


class Rng:
    """The generator of src/core/data.h, operation by operation."""

    def __init__(self, seed, stream):
        x = seed ^ ((stream * 0xd1b54a32d192ed03) & M64)
        self.s = []
        for _ in range(4):
            x = (x + 0x9e3779b97f4a7c15) & M64
            z = x
            z = ((z ^ (z >> 30)) * 0xbf58476d1ce4e5b9) & M64
            z = ((z ^ (z >> 27)) * 0x94d049bb133111eb) & M64
            self.s.append(z ^ (z >> 31))

    def next(self):
        s = self.s
        result = (rotl((s[1] * 5) & M64, 7) * 9) & M64
        t = (s[1] << 17) & M64
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        return result

    def uniform(self):
        return (self.next() >> 11) * 2.0 ** -53

    def normal(self):
        u1 = 1.0 - self.uniform()
        u2 = self.uniform()
        return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)

    def below(self, n):
        limit = M64 - ((M64 % n) + 1) % n
        while True:
            x = self.next()
            if x <= limit:
                return x % n

    def permutation(self, n):
        p = list(range(n))
        for i in range(n, 1, -1):
            j = self.below(i)
            p[i - 1], p[j] = p[j], p[i - 1]
        return p


def generate(kind, n, K, sigma, seed):
    """The data sets of src/core/data.h."""
    r = Rng(seed, 1)
    xs, ys = [], []
    for i in range(n):
        if kind == "blobs":
            c = i % K
            a = 2.0 * math.pi * c / K
            x0 = 3.0 * math.cos(a) + sigma * r.normal()
            x1 = 3.0 * math.sin(a) + sigma * r.normal()
            y = c
        elif kind == "xor":
            c = i % 4
            x0 = [1, -1, -1, 1][c] + sigma * r.normal()
            x1 = [1, 1, -1, -1][c] + sigma * r.normal()
            y = c % 2
        elif kind == "circles":
            c = i % 2
            a = 1.0 if c == 0 else 0.5
            t = 2.0 * math.pi * r.uniform()
            x0 = a * math.cos(t) + sigma * r.normal()
            x1 = a * math.sin(t) + sigma * r.normal()
            y = c
        elif kind == "spiral":
            c = i % K
            t = r.uniform()
            a = 2.0 * math.pi * c / K + 4.0 * t + sigma * r.normal()
            x0 = t * math.cos(a)
            x1 = t * math.sin(a)
            y = c
        else:
            p1 = 4.0 * r.uniform() - 2.0
            p2 = 4.0 * r.uniform() - 2.0
            y = []
            for j in range(K):
                phi = math.pi * j / K
                y.append(1 if math.cos(phi) * p1 + math.sin(phi) * p2
                         > j / K else 0)
            x0 = p1 + sigma * r.normal()
            x1 = p2 + sigma * r.normal()
        xs.append([x0, x1])
        ys.append(y)
    return xs, ys


def init_params(shapes, seed):
    """train.h's initialiser: (2u - 1) / sqrt(fan_in), W then b."""
    r = Rng(seed, 2)
    out = []
    for rows, cols in shapes:
        bound = 1.0 / math.sqrt(cols)
        W = [[(2.0 * r.uniform() - 1.0) * bound for _ in range(cols)]
             for _ in range(rows)]
        b = [(2.0 * r.uniform() - 1.0) * bound for _ in range(rows)]
        out.append((W, b))
    return out


def parse_args(words):
    a = {"--seed": "1", "--reduction": "mean", "--batch": "full",
         "--momentum": "0", "--weight-decay": "0", "--hidden": "16",
         "--activation": "tanh", "--ignore-index": "-100",
         "--label-smoothing": "0", "--margin": "1", "--p": "1",
         "--alpha": "0.25", "--gamma": "2"}
    i = 0
    while i < len(words):
        a[words[i]] = words[i + 1]
        i += 2
    return a


def vec(s):
    return torch.tensor([float(v) for v in s.split(",")])


def focal(z, t, alpha, gamma, reduction):
    p = torch.sigmoid(z)
    ce = F.binary_cross_entropy_with_logits(z, t, reduction="none")
    p_t = p * t + (1 - p) * (1 - t)
    loss = ce * ((1 - p_t) ** gamma)
    if alpha >= 0:
        alpha_t = alpha * t + (1 - alpha) * (1 - t)
        loss = alpha_t * loss
    return loss.mean() if reduction == "mean" else loss.sum()


def make_losses(a):
    """The correct loss and the pipeline, as functions of (z, target)."""
    red = a["--reduction"]
    w = vec(a["--weight"]) if "--weight" in a else None
    pw = vec(a["--pos-weight"]) if "--pos-weight" in a else None
    loss = a["--loss"]

    def correct(z, t):
        if loss == "ce":
            return F.cross_entropy(
                z, t, weight=w, ignore_index=int(a["--ignore-index"]),
                reduction=red,
                label_smoothing=float(a["--label-smoothing"]))
        if loss == "multi-margin":
            return F.multi_margin_loss(z, t, p=int(a["--p"]),
                                       margin=float(a["--margin"]),
                                       weight=w, reduction=red)
        if loss == "bce-logits":
            return F.binary_cross_entropy_with_logits(
                z, t, weight=w, reduction=red, pos_weight=pw)
        if loss == "focal":
            return focal(z, t, float(a["--alpha"]), float(a["--gamma"]), red)
        return F.multilabel_soft_margin_loss(z, t, weight=w, reduction=red)

    pit = a.get("--pitfall")

    def pipeline(z, t):
        if pit is None:
            return correct(z, t)
        if pit == "softmax-then-ce":
            return correct(torch.softmax(z, dim=1), t)
        if pit == "log-softmax-then-ce":
            return correct(torch.log_softmax(z, dim=1), t)
        if pit == "double-sigmoid":
            return correct(torch.sigmoid(z), t)
        if pit == "bce-on-logits":
            return F.binary_cross_entropy(z, t, weight=w, reduction=red)
        if pit == "naive-float32":
            return F.binary_cross_entropy(
                torch.sigmoid(z.float()), t.float(),
                weight=None if w is None else w.float(), reduction=red)
        raise ValueError(pit)

    return correct, pipeline


def accuracy(z, labels, index):
    if index:
        return (torch.argmax(z, dim=1) == labels).double().mean().item()
    return ((z > 0) == (labels.view_as(z) == 1)).double().mean().item()


def finite(model):
    return all(bool(torch.isfinite(p).all()) for p in model.parameters())


def train(j, a, pitfall):
    """One run in torch; returns (history, params, stopped)."""
    loss = a["--loss"]
    index = loss in ("ce", "multi-margin")
    X = torch.tensor(j["data"]["x"])
    Y = torch.tensor(j["data"]["y"])
    n, d = X.shape
    multilabel = Y.dim() == 2
    if index:
        T = Y.long()
    elif multilabel:
        T = Y.double()
    else:
        T = Y.double().view(n, 1)
    p0 = j["params0"]
    mlp = "W2" in p0
    if mlp:
        H = len(p0["b1"])
        out = len(p0["b2"])
        act = torch.nn.Tanh() if a["--activation"] == "tanh" \
            else torch.nn.ReLU()
        model = torch.nn.Sequential(torch.nn.Linear(d, H), act,
                                    torch.nn.Linear(H, out))
        layers = [model[0], model[2]]
        names = [("W1", "b1"), ("W2", "b2")]
    else:
        out = len(p0["b1"])
        model = torch.nn.Linear(d, out)
        layers = [model]
        names = [("W1", "b1")]
    with torch.no_grad():
        for layer, (wn, bn) in zip(layers, names):
            layer.weight.copy_(torch.tensor(p0[wn]))
            layer.bias.copy_(torch.tensor(p0[bn]))
    b = dict(a)
    if not pitfall:
        b.pop("--pitfall", None)
    correct, pipeline = make_losses(b)
    opt = torch.optim.SGD(model.parameters(), lr=float(a["--lr"]),
                          momentum=float(a["--momentum"]),
                          weight_decay=float(a["--weight-decay"]))
    E = int(a["--epochs"])
    batch = a["--batch"]
    B = n if batch == "full" or int(batch) >= n else int(batch)
    order = Rng(int(a["--seed"]), 3)
    hist = []
    stopped = None
    e = 0
    while True:
        # entry e, on the whole data set
        z = model(X)
        try:
            L = pipeline(z, T)
        except RuntimeError:
            stopped = ("refused", e)
            break
        with torch.no_grad():
            Lc = correct(z.detach(), T).item() if pitfall else L.item()
        hist.append((e, L.item(), Lc, accuracy(z.detach(), Y, index)))
        if not math.isfinite(L.item()):
            stopped = ("diverged", e)
            break
        if e == E:
            break
        if B == n:
            opt.zero_grad()
            L.backward()
            opt.step()
            if not finite(model):
                stopped = ("diverged", e + 1)
                break
        else:
            perm = order.permutation(n)
            bad = False
            for s in range(0, n, B):
                idx = torch.tensor(perm[s:s + B])
                zb = model(X[idx])
                try:
                    Lb = pipeline(zb, T[idx])
                except RuntimeError:
                    stopped = ("refused", e + 1)
                    bad = True
                    break
                opt.zero_grad()
                Lb.backward()
                opt.step()
                if not finite(model):
                    stopped = ("diverged", e + 1)
                    bad = True
                    break
            if bad:
                break
        e += 1
    params = []
    for layer, (wn, bn) in zip(layers, names):
        params.append((wn, layer.weight.detach().tolist()))
        params.append((bn, layer.bias.detach().tolist()))
    return hist, params, stopped


def check_docs(j, a):
    """The data and params0 follow data.h and train.h exactly."""
    kind = a["--data"]
    if not kind.startswith("@"):
        defaults = {"blobs": (2, 1.0), "xor": (2, 0.25),
                    "circles": (2, 0.1), "spiral": (3, 0.2),
                    "multilabel": (3, 0.2)}
        K = int(a.get("--classes", defaults[kind][0]))
        sigma = float(a.get("--noise", defaults[kind][1]))
        xs, ys = generate(kind, int(a.get("--n", 200)), K, sigma,
                          int(a["--seed"]))
        if xs != j["data"]["x"] or ys != j["data"]["y"]:
            sys.exit("gen_train.py: the %s data differ from data.h" % kind)
    p0 = j["params0"]
    d = len(p0["W1"][0])
    if "W2" in p0:
        shapes = [(len(p0["b1"]), d), (len(p0["b2"]), len(p0["b1"]))]
        names = [("W1", "b1"), ("W2", "b2")]
    else:
        shapes = [(len(p0["b1"]), d)]
        names = [("W1", "b1")]
    for (W, bb), (wn, bn) in zip(init_params(shapes, int(a["--seed"])),
                                 names):
        if W != p0[wn] or bb != p0[bn]:
            sys.exit("gen_train.py: params0 differ from train.h's "
                     "initialiser")


def num(v):
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return repr(float(v))


def shape_of(v):
    if isinstance(v[0], list):
        return "%dx%d" % (len(v), len(v[0]))
    return "%d" % len(v)


def flat(v):
    if isinstance(v[0], list):
        return [x for row in v for x in row]
    return v


def record(out, prefix, hist, params, stopped):
    for e, L, Lc, acc in hist:
        out.append("%sh %d %s %s %s" % (prefix, e, num(L), num(Lc),
                                        num(acc)))
    for name, v in params:
        out.append("%sparam %s %s: %s" % (prefix, name, shape_of(v),
                                          " ".join(num(x) for x in flat(v))))
    if stopped is not None:
        out.append("%sstopped %s %d" % (prefix, stopped[0], stopped[1]))


def ours(name, j, key, hist):
    """The largest relative deviation of losslab's history from torch's."""
    h = j[key]["history"] if key else j["history"]
    worst = 0.0
    for (e, L, Lc, acc), mine in zip(hist, h):
        for want, got in ((L, mine["loss"]), (Lc, mine["correct_loss"])):
            if isinstance(got, str) or not math.isfinite(want):
                continue
            if want != got:
                worst = max(worst, abs(got - want) / max(abs(want), 1e-300))
    return worst


def main():
    out = []
    for name, args in CASES:
        words = args.split()
        a = parse_args(words)
        cmd = [LOSSLAB, "train"] + [
            w.replace("@tests/", "@" + os.path.join(
                os.path.dirname(os.path.abspath(__file__)), ""))
            for w in words] + ["--json"]
        res = subprocess.run(cmd, stdout=subprocess.PIPE, check=True)
        j = json.loads(res.stdout)
        check_docs(j, a)
        out.append("case " + name)
        out.append("args " + args)
        hist, params, stopped = train(j, a, False)
        record(out, "", hist, params, stopped)
        dev = ours(name, j, None, hist)
        if "--pitfall" in a:
            ph, pp, ps = train(j, a, True)
            record(out, "p", ph, pp, ps)
            dev = max(dev, ours(name, j, "pitfall", ph))
        out.append("end")
        sys.stderr.write("%-45s largest relative deviation %.3g\n"
                         % (name, dev))
    sys.stdout.write(HEADER % {"version": torch.__version__,
                               "count": len(CASES)})
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
