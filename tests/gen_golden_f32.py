#!/usr/bin/python3
# gen_golden_f32.py -- float32 golden cases: every loss on float32 tensors
# in torch 1.13 (value, 'none' output, gradient), for losslab's float32
# mode (loss_opts.float32, `eval --dtype float32`).  Same format as
# tests/golden_nd.txt (see gen_golden_nd.py), each case with float32=1.
# Inputs are float32 values, written exactly.  Run by hand:
#     /usr/bin/python3 tests/gen_golden_f32.py > tests/golden_f32.txt
import random
import torch
import torch.nn.functional as F

rng = random.Random(20261203)
f32 = torch.float32


def shp(s):
    return 'x'.join(str(d) for d in s) if len(s) else '-'


def vals(t):
    return ' '.join(repr(float(v)) for v in t.double().flatten().tolist())


n = 0


def case(loss, x, y, f, **opts):
    global n
    n += 1
    opts = dict(opts, float32=1)
    kv = ' '.join('%s=%s' % (k, ','.join(repr(float(a)) for a in v) if isinstance(v, list) else v)
                  for k, v in opts.items())
    print('case f32_%03d %s %s' % (n, loss, kv))
    print('input %s %s' % (shp(x.shape), vals(x)))
    print('target %s %s' % (shp(y.shape), vals(y)))
    X = x.clone().requires_grad_(True)
    try:
        out = f(X, y)
    except Exception as ex:
        print('error %s' % str(ex).splitlines()[0])
        print('end')
        return
    out.sum().backward()
    red = opts.get('reduction', 'mean')
    assert out.dtype == f32
    print('value %r' % (float(out.sum()) if red == 'none' else float(out)))
    print('elem %s %s' % (shp(out.shape) if red == 'none' else '-',
                          vals(out) if red == 'none' else repr(float(out))))
    print('grad %s' % vals(X.grad))
    print('end')


def logits(*s, scale=3.0):
    return torch.tensor([rng.gauss(0, scale) for _ in range(torch.Size(s).numel())], dtype=f32).reshape(s)


def idx(C, *s):
    return torch.tensor([rng.randrange(C) for _ in range(torch.Size(s).numel())]).reshape(s)


def binary(*s):
    return torch.tensor([float(rng.randrange(2)) for _ in range(torch.Size(s).numel())], dtype=f32).reshape(s)


for red in ('mean', 'sum', 'none'):
    for scale in (1.0, 4.0, 30.0):
        N, C = rng.randint(1, 6), rng.randint(2, 6)
        x = logits(N, C, scale=scale)
        case('bce-logits', x, binary(N, C), lambda X, y: F.binary_cross_entropy_with_logits(X, y, reduction=red), reduction=red)
        w = [rng.uniform(0.2, 3) for _ in range(C)]
        pw = [rng.uniform(0.2, 3) for _ in range(C)]
        case('bce-logits', x, binary(N, C), lambda X, y: F.binary_cross_entropy_with_logits(
            X, y, weight=torch.tensor(w, dtype=f32), pos_weight=torch.tensor(pw, dtype=f32), reduction=red),
            reduction=red, weight=[float(torch.tensor(v, dtype=f32)) for v in w], pw=[float(torch.tensor(v, dtype=f32)) for v in pw])
        p = torch.sigmoid(logits(N, C, scale=scale))
        case('bce', p, binary(N, C), lambda X, y: F.binary_cross_entropy(X, y, reduction=red), reduction=red)
        t = idx(C, N)
        case('ce', x, t, lambda X, y: F.cross_entropy(X, y, reduction=red), reduction=red)
        case('ce', x, t, lambda X, y: F.cross_entropy(X, y, reduction=red, label_smoothing=0.1), reduction=red, ls=0.1)
        wc = [float(torch.tensor(rng.uniform(0.2, 3), dtype=f32)) for _ in range(C)]
        case('ce', x, t, lambda X, y: F.cross_entropy(X, y, weight=torch.tensor(wc, dtype=f32), reduction=red), reduction=red, weight=wc)
        pr = torch.softmax(logits(N, C), 1)
        case('ce', x, pr, lambda X, y: F.cross_entropy(X, y, reduction=red), reduction=red)
        case('nll', torch.log_softmax(x, 1), t, lambda X, y: F.nll_loss(X, y, reduction=red), reduction=red)
        case('ce', logits(2, C, 3, scale=scale), idx(C, 2, 3), lambda X, y: F.cross_entropy(X, y, reduction=red), reduction=red)
        case('soft-margin', x, binary(N, C) * 2 - 1, lambda X, y: F.soft_margin_loss(X, y, reduction=red), reduction=red)
        case('multilabel-soft-margin', x, binary(N, C), lambda X, y: F.multilabel_soft_margin_loss(X, y, reduction=red), reduction=red)
        case('multi-margin', x, t, lambda X, y: F.multi_margin_loss(X, y, reduction=red), reduction=red)
for red in ('sum', 'batchmean', 'none'):
    x = torch.log_softmax(logits(3, 4), 1)
    case('kl-div', x, torch.softmax(logits(3, 4), 1), lambda X, y: F.kl_div(X, y, reduction=red), reduction=red)
# where float32 differs from float64 the most: saturation
sat = torch.tensor([20.0, -20.0, 40.0, 90.0, -90.0, 17.0], dtype=f32)
case('bce-logits', sat, torch.tensor([1.0, 0.0, 1.0, 1.0, 0.0, 1.0], dtype=f32),
     lambda X, y: F.binary_cross_entropy_with_logits(X, y, reduction='none'), reduction='none')
case('ce', torch.tensor([[30.0, 0.0, -5.0], [0.0, 1e-3, 0.0]], dtype=f32), torch.tensor([0, 1]),
     lambda X, y: F.cross_entropy(X, y, reduction='none'), reduction='none')
case('bce', torch.tensor([1.0, 0.0, 1e-8, 0.99999994], dtype=f32), torch.tensor([1.0, 0.0, 1.0, 0.0], dtype=f32),
     lambda X, y: F.binary_cross_entropy(X, y, reduction='none'), reduction='none')
