#!/usr/bin/python3
# gen_dtypes.py -- what torch 1.13 does with every pair of input and target
# dtypes, for every loss of losslab: the result dtype, or torch's error
# message (its first line), word for word.  Forward and backward are run
# (losslab computes both).  Run by hand with Debian's python3-torch:
#     /usr/bin/python3 tests/gen_dtypes.py > tests/dtypes_golden.txt
# One line per case: LOSS<TAB>INPUT_DTYPE<TAB>TARGET_DTYPE<TAB>ok RESULT_DTYPE
# or ...<TAB>error MESSAGE.  "ce" has class-index targets, "ce-prob" targets
# of the input's shape.  focal is torchvision.ops.sigmoid_focal_loss, whose
# body (torchvision 0.14) is written out below.
import warnings
import torch
import torch.nn.functional as F

warnings.filterwarnings('ignore')
DT = [('float16', torch.float16), ('float32', torch.float32),
      ('float64', torch.float64), ('int64', torch.int64),
      ('int32', torch.int32), ('int16', torch.int16), ('int8', torch.int8),
      ('uint8', torch.uint8), ('bool', torch.bool)]


def focal(inputs, targets, alpha=0.25, gamma=2):
    p = torch.sigmoid(inputs)
    ce_loss = F.binary_cross_entropy_with_logits(inputs, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce_loss * ((1 - p_t) ** gamma)
    if alpha >= 0:
        alpha_t = alpha * targets + (1 - alpha) * (1 - targets)
        loss = alpha_t * loss
    return loss.mean()


X = [[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]]
T = {'idx': [0, 2], 'bin': [[1, 0, 1], [0, 1, 0]],
     'prob': [[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]], 'pm': [[1, -1, 1], [-1, 1, -1]]}
LOSSES = [
    ('bce', lambda x, y: F.binary_cross_entropy(x, y), 'bin'),
    ('bce-logits', lambda x, y: F.binary_cross_entropy_with_logits(x, y), 'bin'),
    ('ce', lambda x, y: F.cross_entropy(x, y), 'idx'),
    ('ce-prob', lambda x, y: F.cross_entropy(x, y), 'prob'),
    ('nll', lambda x, y: F.nll_loss(x, y), 'idx'),
    ('multilabel-soft-margin', lambda x, y: F.multilabel_soft_margin_loss(x, y), 'bin'),
    ('multi-margin', lambda x, y: F.multi_margin_loss(x, y), 'idx'),
    ('soft-margin', lambda x, y: F.soft_margin_loss(x, y), 'pm'),
    ('kl-div', lambda x, y: F.kl_div(x, y, reduction='batchmean'), 'prob'),
    ('focal', focal, 'bin'),
]
for name, f, tk in LOSSES:
    for xn, xd in DT:
        for tn, td in DT:
            x = torch.tensor(X).to(xd)
            y = torch.tensor(T[tk]).to(td)
            if xd.is_floating_point:
                x.requires_grad_(True)
            try:
                L = f(x, y)
                if L.requires_grad:
                    L.backward()
                r = 'ok ' + str(L.dtype).replace('torch.', '')
            except Exception as ex:
                r = 'error ' + str(ex).splitlines()[0]
            print('%s\t%s\t%s\t%s' % (name, xn, tn, r))
