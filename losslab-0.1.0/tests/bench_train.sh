#!/bin/sh
# bench_train.sh -- the speed of `losslab train` against the same training
# loop in torch (issue 14, part 6; a benchmark, not a test: `make
# bench-train`).
#
# The problem: an MLP with 16 hidden units (tanh, then relu) on 200 spiral
# points (3 classes), cross-entropy, SGD lr 0.5 momentum 0.9, 1000
# full-batch epochs.
#   losslab: the whole process, `losslab train ... --json` (start-up, data,
#            training, the JSON of 1001 entries), its CPU time (getrusage of
#            the child) and wall time, the median of RUNS runs;
#   torch:   the same data and initial parameters (from losslab's JSON), the
#            same loop (forward, loss, backward, step, the loss kept every
#            epoch) in float64 on one thread (torch.set_num_threads(1)),
#            timed after `import torch` (time.process_time() and
#            time.perf_counter()), the median of RUNS loops.
# CPU times are the figure to quote on a busy machine: wall times there
# include the time spent waiting for a processor.  The target is a ratio of
# at least 10.  Needs python3-torch (/usr/bin/python3); without it the
# script says so and exits 77.
#
#   LOSSLAB=./src/losslab RUNS=5 sh tests/bench_train.sh
: "${LOSSLAB:=./src/losslab}"
: "${RUNS:=5}"
: "${PYTHON:=/usr/bin/python3}"
: "${EPOCHS:=1000}"

if ! "$PYTHON" -c 'import torch' 2>/dev/null; then
	echo "bench_train.sh: $PYTHON cannot import torch (install python3-torch)"
	exit 77
fi

exec "$PYTHON" - "$LOSSLAB" "$RUNS" "$EPOCHS" <<'EOF'
import json
import resource
import statistics
import subprocess
import sys
import time

losslab, runs, epochs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])


def losslab_run(act):
    args = [losslab, "train", "--data", "spiral", "--n", "200", "--model",
            "mlp", "--hidden", "16", "--activation", act, "--loss", "ce",
            "--lr", "0.5", "--momentum", "0.9", "--epochs", str(epochs),
            "--json"]
    cpu, wall = [], []
    for _ in range(runs + 1):		# the first run warms the caches
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        out = subprocess.run(args, stdout=subprocess.PIPE, check=True).stdout
        wall.append(time.perf_counter() - t0)
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
    return (statistics.median(cpu[1:]), statistics.median(wall[1:]),
            json.loads(out))


import torch
torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)


def torch_run(act, j):
    X = torch.tensor(j["data"]["x"])
    Y = torch.tensor(j["data"]["y"]).long()
    p0 = j["params0"]
    cpu, wall = [], []
    for _ in range(runs + 1):
        model = torch.nn.Sequential(
            torch.nn.Linear(2, 16),
            torch.nn.Tanh() if act == "tanh" else torch.nn.ReLU(),
            torch.nn.Linear(16, 3))
        with torch.no_grad():
            model[0].weight.copy_(torch.tensor(p0["W1"]))
            model[0].bias.copy_(torch.tensor(p0["b1"]))
            model[2].weight.copy_(torch.tensor(p0["W2"]))
            model[2].bias.copy_(torch.tensor(p0["b2"]))
        opt = torch.optim.SGD(model.parameters(), lr=0.5, momentum=0.9)
        loss_fn = torch.nn.CrossEntropyLoss()
        hist = []
        c0, t0 = time.process_time(), time.perf_counter()
        for _ in range(epochs):
            loss = loss_fn(model(X), Y)
            hist.append(loss.item())
            opt.zero_grad()
            loss.backward()
            opt.step()
        hist.append(loss_fn(model(X), Y).item())
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - t0)
    dev = max(abs(a - b["loss"]) / abs(a) for a, b in zip(hist, j["history"]))
    return statistics.median(cpu[1:]), statistics.median(wall[1:]), dev


print("%d full-batch epochs of an MLP 2-16-3 on 200 points, cross-entropy, "
      "SGD; medians of %d runs" % (epochs, runs))
for act in ("tanh", "relu"):
    ocpu, owall, j = losslab_run(act)
    tcpu, twall, dev = torch_run(act, j)
    print("%s:" % act)
    print("  losslab train, whole process: cpu %7.4f s, wall %7.4f s"
          % (ocpu, owall))
    print("  torch loop, after import:     cpu %7.4f s, wall %7.4f s"
          % (tcpu, twall))
    print("  torch / losslab:              cpu %7.1f,   wall %7.1f  "
          "(target >= 10)" % (tcpu / ocpu, twall / owall))
    print("  largest relative difference of the %d losses: %.3g"
          % (epochs + 1, dev))
EOF
