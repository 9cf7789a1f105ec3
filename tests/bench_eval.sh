#!/bin/sh
# bench_eval.sh -- `losslab eval` on a learner's arrays against torch doing
# the same (issue 11, item 6; a benchmark, not a test: `make bench-eval`).
#
# End to end, as a learner runs it: process start, read the .npy files,
# value and gradient, write the gradient .npy.
#   losslab: `losslab eval LOSS --input @x.npy --target @y.npy --out-grad
#            g.npy`, the whole process (CPU and wall time of the child);
#   torch:   after `import torch` (not timed): np.load of both files,
#            torch.from_numpy, the loss and its backward, np.save of the
#            gradient; with 1 thread and with a thread per processor.
# Cases: bce-logits N = 10^7 float64, ce 10^4 x 1000 float64 (index
# targets), ce 10^4 x 200 float32.  Also the text parser's linearity: 10^5
# values one per line against the same values on one line.  The
# memory-bandwidth bound of the same traffic is tests/bench_loss's (`make
# bench` runs it first).
# Medians of RUNS runs (default 5), after one untimed run of each.  Each
# case starts after os.sync() (so that the write-back of an earlier case's
# files falls on no one) and has two passes, torch's thread count set once
# for each: losslab and torch with 1 thread take turns run by run, then
# losslab and torch with a thread for every processor eval may run on
# (torch's own default, printed first, can be fewer: 1 thread on the
# 2-processor virtual machines this was written on, where the 1-thread
# pass is torch's default then); a ratio is the pass's torch
# median over the same pass's losslab median (the losslab column: the
# mean of the two passes' medians).  Turns rather than blocks, so that a
# change of the machine's state falls on both alike.  Needs python3-torch
# and numpy.
#
#   LOSSLAB=./src/losslab RUNS=5 sh tests/bench_eval.sh
: "${LOSSLAB:=./src/losslab}"
: "${RUNS:=5}"
: "${PYTHON:=/usr/bin/python3}"

if ! "$PYTHON" -c 'import torch, numpy' 2>/dev/null; then
	echo "bench_eval.sh: $PYTHON cannot import torch and numpy"
	exit 77
fi
dir=$(mktemp -d "${TMPDIR:-/tmp}/losslab-bench.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT INT TERM

exec "$PYTHON" - "$LOSSLAB" "$RUNS" "$dir" <<'PY'
import os, resource, statistics, subprocess, sys, time
import numpy as np
import torch
import torch.nn.functional as F

losslab, runs, d = sys.argv[1], int(sys.argv[2]), sys.argv[3]
nthreads = torch.get_num_threads()     # torch's default
rng = np.random.default_rng(1)

def child_time(args):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(args, stdout=subprocess.DEVNULL, check=True)
    w = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime, w)

def meds(fs):
    """The fs in turns, runs + 1 times (the first untimed): the median
    (cpu, wall) of each."""
    cs, ws = [[] for f in fs], [[] for f in fs]
    for i in range(runs + 1):
        for k, f in enumerate(fs):
            c, w = f()
            if i:
                cs[k].append(c); ws[k].append(w)
    return [(statistics.median(c), statistics.median(w))
            for c, w in zip(cs, ws)]


def torch_run(loss, xf, yf, gf):
    def once():
        c0, t0 = time.process_time(), time.perf_counter()
        x = torch.from_numpy(np.load(xf)).requires_grad_(True)
        y = torch.from_numpy(np.load(yf))
        if loss == 'bce-logits':
            L = F.binary_cross_entropy_with_logits(x, y)
        else:
            L = F.cross_entropy(x, y)
        L.backward()
        np.save(gf, x.grad.numpy())
        return time.process_time() - c0, time.perf_counter() - t0
    return once

cases = [
    ('bce-logits N=10^7 float64', 'bce-logits', rng.normal(0, 3, 10**7),
     rng.integers(0, 2, 10**7).astype(np.float64)),
    ('ce 10^4x1000 float64', 'ce', rng.normal(0, 3, (10**4, 1000)),
     rng.integers(0, 1000, 10**4)),
    ('ce 10^4x200 float32', 'ce', rng.normal(0, 3, (10**4, 200)).astype(np.float32),
     rng.integers(0, 200, 10**4)),
]
ncpu = len(os.sched_getaffinity(0))
print("torch's default here: %d thread%s (torch.get_num_threads() after "
      "import); this machine: %d processor%s" % (nthreads, 's' * (nthreads != 1),
      ncpu, 's' * (ncpu != 1)))
print('%-26s %12s %12s %12s %8s %8s' % ('case (median of %d)' % runs,
      'losslab', 'torch 1 thr', 'torch %d thr' % ncpu, '1thr/ll',
      '%dthr/ll' % ncpu))
for name, loss, x, y in cases:
    xf, yf = os.path.join(d, 'x.npy'), os.path.join(d, 'y.npy')
    np.save(xf, x); np.save(yf, y)
    gl, gt = os.path.join(d, 'gl.npy'), os.path.join(d, 'gt.npy')
    os.sync()
    run_ll = lambda: child_time([losslab, 'eval', loss, '--input', '@' + xf,
                                 '--target', '@' + yf, '--out-grad', gl])
    torch.set_num_threads(1)
    l1, t1 = meds([run_ll, torch_run(loss, xf, yf, gt)])
    torch.set_num_threads(ncpu)
    ld, td = meds([run_ll, torch_run(loss, xf, yf, gt)])
    torch.set_num_threads(nthreads)
    ll = tuple((a + b) / 2 for a, b in zip(l1, ld))
    diff = np.max(np.abs(np.load(gl) - np.load(gt)))
    print('%-26s %10.4f s %10.4f s %10.4f s %7.2fx %7.2fx  (cpu; max |grad diff| %.1e)' %
          (name, ll[0], t1[0], td[0], t1[0] / l1[0], td[0] / ld[0], diff))
    print('%-26s %10.4f s %10.4f s %10.4f s %7.2fx %7.2fx  (wall)' %
          ('', ll[1], t1[1], td[1], t1[1] / l1[1], td[1] / ld[1]))

# The text parser: 10^5 values one per line against one line.
v = rng.normal(0, 1, 10**5)
a, b = os.path.join(d, 'lines.txt'), os.path.join(d, 'one.txt')
np.savetxt(a, v)
with open(b, 'w') as f:
    f.write(','.join(repr(float(t)) for t in v) + '\n')
ta, tb = meds([
    lambda: child_time([losslab, 'eval', 'bce-logits', '--input', '@' + a,
                        '--target', '@' + a]),
    lambda: child_time([losslab, 'eval', 'bce-logits', '--input', '@' + b,
                        '--target', '@' + b])])
print('text: 10^5 values one per line %.3f s, on one line %.3f s: ratio %.2f (cpu)' %
      (ta[0], tb[0], ta[0] / tb[0]))
PY
