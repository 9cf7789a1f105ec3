#!/usr/bin/python3
# gen_golden_nd.py -- golden cases for the N-D entry point (loss_eval_nd):
# cross-entropy and NLL on (N, C, d1..dk), 0-d targets, empty batches,
# element-wise losses and multilabel-soft-margin beyond two dimensions, and
# torch's own error messages for shapes it refuses.  Run by hand with
# Debian's python3-torch (1.13):
#     /usr/bin/python3 tests/gen_golden_nd.py > tests/golden_nd.txt
# Format, one case per block ended by "end":
#     case ID LOSS key=value...          (reduction, weight, ls, ii, pw, log_target)
#     input SHAPE v...                   SHAPE: 2x3x4, or "-" for 0-d
#     target SHAPE v...
#     error MESSAGE                      (torch raised: its first line), or
#     value V / elem SHAPE v... / grad v...
import random
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
rng = random.Random(20261202)

def shp(s):
    return 'x'.join(str(d) for d in s) if len(s) else '-'

def vals(t):
    return ' '.join(repr(float(v)) for v in t.flatten().tolist())

def emit(cid, loss, x, y, opts, fn):
    kv = ' '.join('%s=%s' % (k, v if not isinstance(v, list) else ','.join(repr(a) for a in v))
                  for k, v in opts.items())
    print('case %s %s %s' % (cid, loss, kv))
    print('input %s %s' % (shp(x.shape), vals(x)))
    print('target %s %s' % (shp(y.shape), vals(y)))
    X = x.clone().requires_grad_(True)
    try:
        out = fn(X, y)
    except Exception as ex:
        print('error %s' % str(ex).splitlines()[0])
        print('end')
        return
    out.sum().backward()
    red = opts.get('reduction', 'mean')
    print('value %r' % (float(out.sum()) if red == 'none' else float(out)))
    print('elem %s %s' % (shp(out.shape) if red == 'none' else '-',
                          vals(out) if red == 'none' else repr(float(out))))
    print('grad %s' % vals(X.grad))
    print('end')

def logits(*shape):
    return torch.tensor([rng.gauss(0, 2) for _ in range(torch.Size(shape).numel())]).reshape(shape)

def index(C, *shape):
    return torch.tensor([rng.randrange(C) for _ in range(torch.Size(shape).numel())], dtype=torch.long).reshape(shape)

def probs(*shape):
    return torch.softmax(logits(*shape), dim=1 if len(shape) > 1 else 0)

def ce(opts):
    w = torch.tensor(opts['weight']) if 'weight' in opts else None
    return lambda X, y: F.cross_entropy(X, y, weight=w, reduction=opts.get('reduction', 'mean'),
                                        label_smoothing=opts.get('ls', 0.0),
                                        ignore_index=opts.get('ii', -100))

def nll(opts):
    w = torch.tensor(opts['weight']) if 'weight' in opts else None
    return lambda X, y: F.nll_loss(X, y, weight=w, reduction=opts.get('reduction', 'mean'),
                                   ignore_index=opts.get('ii', -100))

n = 0
def case(loss, x, y, **opts):
    global n
    n += 1
    fn = {'ce': ce, 'nll': nll}.get(loss)
    if fn is None:
        red = opts.get('reduction', 'mean')
        w = torch.tensor(opts['weight']) if 'weight' in opts else None
        pw = torch.tensor(opts['pw']) if 'pw' in opts else None
        f = {
            'bce': lambda X, y: F.binary_cross_entropy(X, y, weight=w, reduction=red),
            'bce-logits': lambda X, y: F.binary_cross_entropy_with_logits(X, y, weight=w, pos_weight=pw, reduction=red),
            'soft-margin': lambda X, y: F.soft_margin_loss(X, y, reduction=red),
            'kl-div': lambda X, y: F.kl_div(X, y, reduction=red, log_target=bool(opts.get('log_target', 0))),
            'multilabel-soft-margin': lambda X, y: F.multilabel_soft_margin_loss(X, y, weight=w, reduction=red),
            'multi-margin': lambda X, y: F.multi_margin_loss(X, y, reduction=red),
        }[loss]
    else:
        f = fn(opts)
    emit('nd%03d' % n, loss, x, y, opts, f)

for red in ('none', 'mean', 'sum'):
    case('ce', logits(2, 3, 4), index(3, 2, 4), reduction=red)
    case('ce', logits(2, 3, 4, 5), index(3, 2, 4, 5), reduction=red)
    case('ce', logits(2, 3, 2, 2, 2), index(3, 2, 2, 2, 2), reduction=red)
    case('nll', torch.log_softmax(logits(2, 4, 3), 1), index(4, 2, 3), reduction=red)
    case('nll', torch.log_softmax(logits(1, 3, 2, 2), 1), index(3, 1, 2, 2), reduction=red)
    case('ce', logits(2, 3, 4), probs(2, 3, 4), reduction=red)
    case('ce', logits(2, 3, 2, 3), probs(2, 3, 2, 3), reduction=red, ls=0.1)
    case('ce', logits(3, 4, 2), index(4, 3, 2), reduction=red, weight=[0.5, 1.0, 2.0, 1.5])
    case('ce', logits(3, 4, 2), index(4, 3, 2), reduction=red, ls=0.2)
    case('ce', logits(3, 4, 2), index(4, 3, 2), reduction=red, ls=0.2, weight=[0.5, 1.0, 2.0, 1.5])
    case('ce', logits(2, 3, 4), torch.tensor([[0, -100, 2, 1], [-100, -100, 1, 0]]), reduction=red)
    case('ce', logits(2, 3, 4), torch.tensor([[1, 7, 2, 1], [7, 7, 1, 0]]), reduction=red, ii=7, ls=0.1)
    case('ce', logits(4), torch.tensor(2), reduction=red)
    case('ce', logits(1), torch.tensor(0), reduction=red)
    case('nll', torch.log_softmax(logits(3), 0), torch.tensor(1), reduction=red)
    case('ce', logits(0, 3, 4), index(3, 0, 4), reduction=red)
    case('ce', logits(0, 3), index(3, 0), reduction=red)
    case('bce-logits', logits(2, 3, 4), torch.tensor([float(rng.randrange(2)) for _ in range(24)]).reshape(2, 3, 4), reduction=red)
    case('bce-logits', logits(2, 2, 3), torch.rand(2, 2, 3), reduction=red, weight=[1.0, 2.0, 0.5], pw=[3.0, 1.0, 0.5])
    case('bce', torch.sigmoid(logits(2, 2, 2, 2)), torch.rand(2, 2, 2, 2), reduction=red)
    case('soft-margin', logits(2, 3, 2), torch.tensor([rng.choice([-1.0, 1.0]) for _ in range(12)]).reshape(2, 3, 2), reduction=red)
    case('multilabel-soft-margin', logits(2, 3, 4), torch.tensor([float(rng.randrange(2)) for _ in range(24)]).reshape(2, 3, 4), reduction=red, weight=[1.0, 0.5, 2.0, 1.5])
    case('bce-logits', logits(), torch.tensor(1.0), reduction=red)
for red in ('none', 'sum', 'batchmean'):
    case('kl-div', torch.log_softmax(logits(3, 2, 4), 1), probs(3, 2, 4), reduction=red)

# torch's refusals, word for word
case('ce', logits(2, 3, 4), index(3, 2, 3))
case('ce', logits(2, 3, 4), index(3, 3, 4))
case('ce', logits(2, 3, 4), index(3, 2))
case('ce', logits(2, 3, 4), index(3, 2, 4, 1))
case('ce', logits(2, 3, 4, 5), index(3, 2, 4, 4))
case('ce', logits(2, 3, 4, 5), index(3, 2, 4))
case('ce', logits(2, 3, 2, 2, 2), index(3, 2, 2, 2, 3))
case('nll', logits(2, 3, 4), index(3, 2, 5))
case('ce', logits(2, 3), index(3, 2, 1))
case('ce', logits(3), index(3, 1))
case('nll', logits(3), index(3, 2))
case('nll', torch.tensor(1.0), torch.tensor(0))
case('ce', logits(2, 3, 4), torch.full((2, 4), 3, dtype=torch.long))
case('ce', logits(2, 3, 4, 5), torch.full((2, 4, 5), 3, dtype=torch.long))
case('multi-margin', logits(2, 3, 4), index(3, 2, 4))
case('bce-logits', logits(2, 3, 4), torch.zeros(2, 3, 5))
case('bce', torch.sigmoid(logits(2, 3, 4)), torch.zeros(2, 3, 5))
