#!/usr/bin/python3
# gallery_mpl.py -- the slide gallery of plots/gallery.sh drawn with
# matplotlib instead of gnuplot: the same figures (every plot kind as PNG
# and SVG, the Chinese versions where a CJK font exists, the four-loss
# comparison), the same curves (401 points, the same ranges, marks and
# legends), for comparing the two ways' speed.  Run by hand (it is not part
# of the build or the tests; needs python3-numpy and python3-matplotlib):
#
#   /usr/bin/python3 plots/gallery_mpl.py [OUTDIR]      (default plots/out-mpl)
#
# The curves are the closed forms of the losses (PyTorch 1.13's, as the
# loss core computes them): this script is a speed reference, the numbers
# that count are losslab's.
import os
import shutil
import subprocess
import sys
import time

import numpy as np
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

OUT = sys.argv[1] if len(sys.argv) > 1 else "plots/out-mpl"
N = 401
COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9",
           "#000000", "#F0E442"]


def softplus(x):
    # log(1 + e^x) without overflow
    return np.logaddexp(0.0, x)


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def bce(p, y):
    # nn.BCELoss: logs clamped at -100
    return -(y * np.maximum(np.log(p), -100) +
             (1 - y) * np.maximum(np.log1p(-p), -100))


def bce_logits(z, y, pw=1.0):
    # -(pw y log sigma(z) + (1-y) log(1-sigma(z)))
    return pw * y * softplus(-z) + (1 - y) * softplus(z)


def ce_margin(m, C, eps=0.0):
    # logits [m, 0, ..., 0], true class 0, label smoothing eps
    lse = np.logaddexp(m, np.log(C - 1))
    nll = lse - m
    smooth = (C * lse - m) / C
    return (1 - eps) * nll + eps * smooth


def focal(z, y, g):
    p = sigmoid(z)
    pt = p * y + (1 - p) * (1 - y)
    return bce_logits(z, y) * (1 - pt) ** g


def kinds():
    C = 3
    z = lambda a, b: np.linspace(a, b, N)  # noqa: E731
    p = np.linspace(0.005, 0.995, N)
    out = {}
    out["bce-curve"] = ("BCE loss against the predicted probability", "predicted probability p",
                        p, [("BCELoss, y=1", bce(p, 1), 0), ("BCELoss, y=0", bce(p, 0), 0)], 0.3)
    x = z(-6, 6)
    out["logits-curve"] = ("BCE with logits against the logit z (y=1)", "logit z", x,
                           [("loss BCEWithLogitsLoss(z, y)", bce_logits(x, 1), 0),
                            ("gradient σ(z) - y", sigmoid(x) - 1, 1)], 1)
    x = z(-6, 6)
    sm = np.exp(x) / (np.exp(x) + C - 1)
    out["ce-curve"] = ("Cross-entropy against the true-class margin (C=3)",
                       "margin m = z_true - z_other", x,
                       [("CrossEntropyLoss", ce_margin(x, C), 0),
                        ("gradient softmax(z)_true - 1", sm - 1, 1)], 1)
    x = z(-8, 8)
    s = sigmoid(x)
    out["double-sigmoid"] = ("Pitfall: double sigmoid (y=1)", "logit z", x,
                             [("correct BCEWithLogits(z)", bce_logits(x, 1), 0),
                              ("pitfall BCEWithLogits(σ(z))", bce_logits(s, 1), 0),
                              ("gradient (correct)", s - 1, 1),
                              ("gradient (pitfall)", (sigmoid(s) - 1) * s * (1 - s), 1)], 1)
    x = z(-6, 10)
    smx = np.exp(x) / (np.exp(x) + C - 1)
    out["softmax-then-ce"] = ("Pitfall: softmax before CrossEntropyLoss (C=3)",
                              "margin m = z_true - z_other", x,
                              [("correct CE(z)", ce_margin(x, C), 0),
                               ("pitfall CE(softmax(z))", ce_margin(smx - (1 - smx) / (C - 1), C), 0),
                               ("gradient (correct)", smx - 1, 1),
                               ("gradient (pitfall)", (smx - 1) * smx * (1 - smx), 1)], 1)
    x = z(-5, 25)
    s32 = sigmoid(x.astype(np.float32)).astype(np.float32)
    naive = np.where(s32 >= 1, 0.0, bce(np.clip(s32, 1e-45, 1), 0))
    out["naive-float32"] = ("Pitfall: BCELoss(sigmoid(z)) in float32 (y=0)", "logit z", x,
                            [("stable BCEWithLogits(z)", bce_logits(x, 0), 0),
                             ("naive float32 BCE(σ(z))", np.where(s32 >= 1, 100.0, naive), 0),
                             ("gradient (stable)", sigmoid(x), 1),
                             ("gradient (naive)", np.where(s32 >= 1, 0.0, sigmoid(x)), 1)], 10)
    x = z(-4, 4)
    out["focal"] = ("Focal loss: (1 - p_t)^gamma down-weights easy examples (y=1)", "logit z", x,
                    [("γ = %g%s" % (g, " (BCE)" if g == 0 else ""), focal(x, 1, g), 0)
                     for g in (0, 1, 2, 5)], 1)
    x = z(-4, 10)
    out["label-smoothing"] = ("Cross-entropy with label smoothing (C=3)",
                              "margin m = z_true - z_other", x,
                              [("ε = %g" % e, ce_margin(x, C, e), 0) for e in (0, 0.1, 0.3)], 1)
    x = z(-5, 5)
    out["pos-weight"] = ("BCEWithLogitsLoss with pos_weight", "logit z", x,
                         [("pos_weight = %g (y=1)" % w, bce_logits(x, 1, w), 0) for w in (1, 3, 10)] +
                         [("y=0 (pos_weight has no effect)", bce_logits(x, 0), 0)], 1)
    x = z(-4, 4)
    out["compare"] = ("Losses against the logit z (y=1, C=3)", "logit z", x,
                      [("BCEWithLogitsLoss", bce_logits(x, 1), 0),
                       ("sigmoid_focal_loss", focal(x, 1, 2), 0),
                       ("SoftMarginLoss = BCEWithLogitsLoss here", softplus(-x), 0)], 1)
    multi = np.maximum(0, 1 - x) * (C - 1) / C
    out["compare-4"] = ("Losses against the logit z (y=1, C=3)", "logit z", x,
                        out["compare"][3] + [("MultiMarginLoss", multi, 0)], None)
    return out


def draw(name, spec, path, zh):
    title, xlabel, x, curves, mark = spec
    fig, ax = plt.subplots(figsize=(9.6, 5.4), dpi=100)
    ax2 = None
    li = gi = 0
    for label, y, grad in curves:
        if grad:
            if ax2 is None:
                ax2 = ax.twinx()
                ax2.set_ylabel("梯度" if zh else "gradient")
            ax2.plot(x, y, color=COLOURS[gi % 8], lw=2, ls="--", label=label)
            gi += 1
        else:
            ax.plot(x, y, color=COLOURS[li % 8], lw=2.5, label=label,
                    ls=(0, (6, 6)) if " here" in label else "-")
            li += 1
    if mark is not None:
        for label, y, grad in curves:
            if not grad:
                ax.plot([mark], [np.interp(mark, x, y)], "ko", ms=8)
    ax.set_title(title, fontsize=14)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("损失" if zh else "loss")
    ax.grid(True, color="#d9d9d9", lw=0.8)
    h, l = ax.get_legend_handles_labels()
    if ax2 is not None:
        h2, l2 = ax2.get_legend_handles_labels()
        h, l = h + h2, l + l2
    fig.legend(h, l, loc="lower center", ncol=2, frameon=False)
    fig.subplots_adjust(bottom=0.3)
    fig.savefig(path)
    plt.close(fig)


def main():
    np.seterr(all="ignore")
    os.makedirs(OUT, exist_ok=True)
    langs = ["en"]
    if shutil.which("fc-list") and subprocess.run(
            ["fc-list", ":lang=zh"], capture_output=True, text=True).stdout.strip():
        langs.append("zh")
        fam = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True,
                             text=True).stdout.splitlines()[0].split(",")[0]
        plt.rcParams["font.sans-serif"] = [fam, "DejaVu Sans"]
    start = time.time()
    n = 0
    specs = kinds()
    for name, spec in specs.items():
        for lang in (["en"] if name == "compare-4" else langs):
            suffix = "" if lang == "en" else "-" + lang
            for ext in ("png", "svg"):
                draw(name, spec, os.path.join(OUT, name + suffix + "." + ext), lang == "zh")
                n += 1
    print("gallery_mpl: %d figures in %s, %.2f s" % (n, OUT, time.time() - start))


if __name__ == "__main__":
    main()
