#!/usr/bin/python3
# cmp_f32.py -- losslab's float32 kernels against torch 1.13's float32, on
# many random cases (a development check, not a test: it needs torch).
#
#   python3 tests/cmp_f32.py [LOSSLAB] [CASES] [SEED]
#
# Each case: random float32 arrays saved with np.save (bce, bce-logits
# with and without weight and pos_weight, ce with class indices -- weights,
# ignore_index, label smoothing -- and with probabilities, nll), every
# reduction; `losslab eval` writes its value (--json), gradient and
# reduction='none' output (.npy), torch computes the same.  Prints the
# largest deviations: elementwise relative, and as tests/test_nd.c judges
# (relative, or absolute against 1e-6 of the array's largest entry), with
# the case that gave each.
import json, os, subprocess, sys, tempfile
import numpy as np
import torch
import torch.nn.functional as F

losslab = sys.argv[1] if len(sys.argv) > 1 else './src/losslab'
ncases = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
rng = np.random.default_rng(int(sys.argv[3]) if len(sys.argv) > 3 else 11)
d = tempfile.mkdtemp(prefix='losslab-cmpf32.')
worst = {'rel': (0.0, ''), 'judged': (0.0, '')}
family = {}		# the largest judged deviation by loss and option set


def save(name, a):
    p = os.path.join(d, name)
    np.save(p, a)
    return '@' + p


def dev(got, want, what):
    got = np.asarray(got, dtype=np.float64).ravel()
    want = np.asarray(want, dtype=np.float64).ravel()
    fin = np.isfinite(want)
    if not np.array_equal(np.isnan(got), np.isnan(want)) or \
            not np.array_equal(got[~fin & ~np.isnan(want)],
                               want[~fin & ~np.isnan(want)]):
        print('NON-FINITE MISMATCH', what)
        return
    g, w = got[fin], want[fin]
    if g.size == 0:
        return
    big = np.max(np.abs(w))
    diff = np.abs(g - w)
    rel = np.where((diff == 0) | (w == 0), 0,
                   diff / np.maximum(np.abs(w), 1e-300))
    judged = np.minimum(rel, diff / max(1e-6 * big, 1e-300) * 2e-6)
    for key, v in (('rel', rel.max()), ('judged', judged.max())):
        if v > worst[key][0]:
            worst[key] = (float(v), what)
    fam = what.split(' (')[0].split()[0] + ' ' + \
        ' '.join(t for t in what.split(') ')[1].split() if t.startswith('--'))
    family[fam] = max(family.get(fam, 0.0), float(judged.max()))


def one(k):
    loss = ['bce', 'bce-logits', 'ce', 'ce-prob', 'nll'][k % 5]
    red = ['mean', 'sum', 'none'][rng.integers(3)]
    args, opts = [], {}
    if loss in ('bce', 'bce-logits'):
        shape = (int(rng.integers(1, 40)), int(rng.integers(1, 40)))
        if loss == 'bce':
            x = rng.uniform(0, 1, shape).astype(np.float32)
            x.ravel()[rng.integers(0, x.size, 2)] = rng.choice([0.0, 1.0, 1e-7])
        else:
            x = (rng.normal(0, 1, shape) *
                 rng.choice([1, 3, 10, 40])).astype(np.float32)
        y = rng.uniform(0, 1, shape).astype(np.float32)
        if rng.integers(2):
            y = np.round(y)
        tx, ty = torch.from_numpy(x).requires_grad_(True), torch.from_numpy(y)
        if rng.integers(3) == 0:
            w = rng.uniform(0.1, 3, shape[1]).astype(np.float32)
            args += ['--weight', save('w.npy', w)]
            opts['weight'] = torch.from_numpy(w)
        if loss == 'bce-logits' and rng.integers(3) == 0:
            pw = rng.uniform(0.1, 5, shape[1]).astype(np.float32)
            args += ['--pos-weight', save('pw.npy', pw)]
            opts['pos_weight'] = torch.from_numpy(pw)
        f = F.binary_cross_entropy if loss == 'bce' else \
            F.binary_cross_entropy_with_logits
        out = f(tx, ty, reduction=red, **opts)
        none = f(tx, ty, reduction='none', **opts)
        name = loss
    else:
        N, C = int(rng.integers(1, 60)), int(rng.integers(1, 400))
        x = (rng.normal(0, 1, (N, C)) *
             rng.choice([1, 3, 10, 30])).astype(np.float32)
        if loss == 'nll':
            x = torch.log_softmax(torch.from_numpy(x), 1).numpy()
        tx = torch.from_numpy(x).requires_grad_(True)
        if loss == 'ce-prob':
            y = torch.softmax(torch.from_numpy(
                rng.normal(0, 2, (N, C)).astype(np.float32)), 1).numpy()
        else:
            y = rng.integers(0, C, N)
        ty = torch.from_numpy(y)
        if rng.integers(3) == 0:
            w = rng.uniform(0.1, 3, C).astype(np.float32)
            args += ['--weight', save('w.npy', w)]
            opts['weight'] = torch.from_numpy(w)
        if loss != 'ce-prob' and rng.integers(4) == 0:
            ii = int(y[0])
            args += ['--ignore-index', str(ii)]
            opts['ignore_index'] = ii
        if loss != 'nll' and rng.integers(3) == 0:
            eps = float(rng.choice([0.05, 0.1, 0.3]))
            args += ['--label-smoothing', repr(eps)]
            opts['label_smoothing'] = eps
        f = F.nll_loss if loss == 'nll' else F.cross_entropy
        out = f(tx, ty, reduction=red, **opts)
        none = f(tx, ty, reduction='none', **opts)
        name = 'nll' if loss == 'nll' else 'ce'
    out.sum().backward()
    g, e = os.path.join(d, 'g.npy'), os.path.join(d, 'e.npy')
    r = subprocess.run([losslab, 'eval', name, '--input', save('x.npy', x),
                        '--target', save('y.npy', y), '--reduction', red,
                        '--json', '--out-grad', g, '--out-elem', e] + args,
                       capture_output=True, text=True)
    what = '%s %s %s %s' % (loss, red, x.shape, ' '.join(args[::2]))
    if r.returncode != 0:
        print('FAILED', what, r.stderr.strip())
        return
    j = json.loads(r.stdout)
    want_value = out.sum().item() if red == 'none' else out.item()
    got_value = float(np.sum(np.load(e), dtype=np.float32)) \
        if red == 'none' else j['value']
    if red != 'none':
        dev([got_value], [want_value], what + ' value')
    dev(np.load(g), tx.grad.numpy(), what + ' grad')
    dev(np.load(e), none.detach().numpy(), what + ' elem')


for k in range(ncases):
    one(k)
print('%d cases; largest elementwise relative deviation (where torch '
      'is not 0) %.3g (%s)' %
      (ncases, worst['rel'][0], worst['rel'][1]))
for fam in sorted(family):
    print('  %-40s %.3g' % (fam, family[fam]))
print('largest as test_nd judges (2e-6 is its bound) %.3g (%s)' %
      (worst['judged'][0], worst['judged'][1]))
