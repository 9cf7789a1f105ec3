#!/usr/bin/python3
# gen_npy_nd.py -- .npy fixtures of arrays beyond two dimensions for
# `losslab eval` (tests/npy-nd.sh), with torch 1.13's results: for each case
# NAME the input NAME-x.npy, the target NAME-y.npy, torch's gradient
# NAME-grad.npy (float64) and reduction='none' output NAME-elem.npy, and
# the mean value in values.txt.  Run by hand:
#     /usr/bin/python3 tests/gen_npy_nd.py tests/npy-nd
import os, sys
import numpy as np
import torch
import torch.nn.functional as F

out = sys.argv[1]
rng = np.random.default_rng(20261202)
cases = {
    'ce3d': ('ce', rng.normal(0, 2, (2, 3, 4)), rng.integers(0, 3, (2, 4))),
    'ce4d': ('ce', rng.normal(0, 2, (2, 3, 2, 2)), rng.integers(0, 3, (2, 2, 2))),
    'ce3d-prob': ('ce', rng.normal(0, 2, (2, 3, 4)), None),
    'nll3d': ('nll', None, rng.integers(0, 4, (3, 2))),
    'ce0d': ('ce', rng.normal(0, 2, (5,)), np.array(3)),
    'ce-empty': ('ce', np.zeros((0, 3, 4)), np.zeros((0, 4), dtype=np.int64)),
    'bcel3d': ('bce-logits', rng.normal(0, 2, (2, 2, 3)), rng.integers(0, 2, (2, 2, 3)).astype(np.float64)),
}
lines = []
for name, (loss, x, y) in cases.items():
    if name == 'ce3d-prob':
        y = torch.softmax(torch.tensor(rng.normal(0, 1, (2, 3, 4))), 1).numpy()
    if name == 'nll3d':
        x = torch.log_softmax(torch.tensor(rng.normal(0, 1, (3, 4, 2))), 1).numpy()
    np.save(os.path.join(out, name + '-x.npy'), x)
    np.save(os.path.join(out, name + '-y.npy'), y)
    X = torch.tensor(x, requires_grad=True)
    Y = torch.tensor(y)
    f = {'ce': F.cross_entropy, 'nll': F.nll_loss,
         'bce-logits': F.binary_cross_entropy_with_logits}[loss]
    f(X, Y).backward()
    np.save(os.path.join(out, name + '-grad.npy'), X.grad.numpy())
    np.save(os.path.join(out, name + '-elem.npy'),
            f(X.detach(), Y, reduction='none').numpy())
    lines.append('%s %s %s' % (name, loss, float(f(X.detach(), Y)).hex()))
with open(os.path.join(out, 'values.txt'), 'w') as fp:
    fp.write('# written by tests/gen_npy_nd.py (torch %s); NAME LOSS MEAN\n' % torch.__version__)
    fp.write('\n'.join(lines) + '\n')
