#!/usr/bin/python3
"""PyTorch (CPU) peer for variate's dense networks, generators and trainers.

Cases (each in float64, what variate computes in, and float32, PyTorch's default):
  gen2d      sampling: a 2-128-128-2 ReLU generator on uniform noise in [-1,1)^2,
             forward under no_grad, 4096 draws per call          -> ns_per_draw
  train2d    one step forward + backward + Adam of a 2-128-128-2 ReLU network,
             batch 256, loss sum(c * y) for a fixed c (only the network's cost)
  trainmnist the same for 64-256-256-784 (sigmoid output), batch 64
  gan2d      one discriminator step + one generator step, Adam(1e-4, betas 0.5, 0.999),
             non-saturating loss; G 2-128-128-2, D 2-128-128-1, ReLU, batch 256,
             standard normal noise, data from the ring target (8 Gaussians, radius 1, sd 0.01)
  ganmnist   the same at MNIST size: G 64-256-256-784 (sigmoid), D 784-256-256-1,
             batch 64, data uniform on [0,1)^784 (only the cost matters)
  gmmn2d     one generator step on sqrt(MMD^2) (unbiased, six Gaussian bandwidths
             0.02 0.05 0.1 0.2 0.5 1), G 2-128-128-2 ReLU, uniform noise, batch 256, Adam(1e-3)
Per case: the median and 90th percentile of the timed calls after a warm-up.
Output: one key=value line per case, after a header naming machine and versions.

usage: env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 \
         /usr/bin/python3 bench/peers/torch_learned.py [threads] [case ...]
       threads defaults to 1 (compare with GOMAXPROCS=1); all cases by default.
"""
import datetime
import math
import platform
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

RING_SD = 0.01
BANDWIDTHS = (0.02, 0.05, 0.1, 0.2, 0.5, 1.0)


def relu_mlp(widths, last=None):
    mods = []
    for i, (a, b) in enumerate(zip(widths, widths[1:])):
        mods.append(nn.Linear(a, b))
        if i + 2 < len(widths):
            mods.append(nn.ReLU())
    if last is not None:
        mods.append(last)
    return nn.Sequential(*mods)


def ring_batch(n, dt):
    angle = torch.randint(0, 8, (n,), dtype=dt) * (math.pi / 4)
    return torch.stack((angle.cos(), angle.sin()), 1) + RING_SD * torch.randn(n, 2, dtype=dt)


def timed(fn, warm, reps):
    """Median and 90th percentile wall time of one call; the processor time
    per call (all threads) is kept in LAST_CPU, a steadier measure on a
    shared machine."""
    global LAST_CPU
    for _ in range(warm):
        fn()
    ts = []
    c0 = time.process_time()
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    LAST_CPU = (time.process_time() - c0) / reps
    ts.sort()
    return ts[len(ts) // 2], ts[(9 * len(ts)) // 10]


LAST_CPU = 0.0


def case_gen2d(dt):
    g = relu_mlp([2, 128, 128, 2]).to(dt)
    n = 4096
    z = torch.rand(n, 2, dtype=dt) * 2 - 1

    def call():
        with torch.no_grad():
            g(z)

    med, p90 = timed(call, 10, 60)
    return "draws=%d ns_per_draw=%.1f p90_ns_per_draw=%.1f cpu_ns_per_draw=%.1f" % (n, 1e9 * med / n, 1e9 * p90 / n, 1e9 * LAST_CPU / n)


def train_case(widths, last, batch, dt):
    net = relu_mlp(widths, last).to(dt)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    x = torch.randn(batch, widths[0], dtype=dt)
    c = torch.randn(batch, widths[-1], dtype=dt)

    def step():
        opt.zero_grad(set_to_none=True)
        (net(x) * c).sum().backward()
        opt.step()

    med, p90 = timed(step, 20, 200)
    return "batch=%d ms_per_step=%.3f p90_ms=%.3f cpu_ms_per_step=%.3f" % (batch, 1e3 * med, 1e3 * p90, 1e3 * LAST_CPU)


def case_train2d(dt):
    return train_case([2, 128, 128, 2], None, 256, dt)


def case_trainmnist(dt):
    return train_case([64, 256, 256, 784], nn.Sigmoid(), 64, dt)


def gan_case(zdim, gw, dw, batch, data, gout, dt):
    g, d = relu_mlp([zdim] + gw, gout).to(dt), relu_mlp(dw).to(dt)
    og = torch.optim.Adam(g.parameters(), lr=1e-4, betas=(0.5, 0.999))
    od = torch.optim.Adam(d.parameters(), lr=1e-4, betas=(0.5, 0.999))
    real_label = torch.ones(batch, 1, dtype=dt)
    fake_label = torch.zeros(batch, 1, dtype=dt)

    def step():
        x = data(batch, dt)
        with torch.no_grad():
            fake = g(torch.randn(batch, zdim, dtype=dt))
        loss_d = (F.binary_cross_entropy_with_logits(d(x), real_label)
                  + F.binary_cross_entropy_with_logits(d(fake), fake_label))
        od.zero_grad(set_to_none=True)
        loss_d.backward()
        od.step()
        loss_g = F.binary_cross_entropy_with_logits(d(g(torch.randn(batch, zdim, dtype=dt))), real_label)
        og.zero_grad(set_to_none=True)
        loss_g.backward()
        og.step()

    med, p90 = timed(step, 20, 200)
    return "batch=%d ms_per_step=%.3f p90_ms=%.3f cpu_ms_per_step=%.3f" % (batch, 1e3 * med, 1e3 * p90, 1e3 * LAST_CPU)


def case_gan2d(dt):
    return gan_case(2, [128, 128, 2], [2, 128, 128, 1], 256, ring_batch, None, dt)


def case_ganmnist(dt):
    return gan_case(64, [256, 256, 784], [784, 256, 256, 1], 64,
                    lambda n, t: torch.rand(n, 784, dtype=t), nn.Sigmoid(), dt)


def unbiased_mmd2(x, y):
    def ksum(a, b):
        d2 = ((a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2 * a @ b.T).clamp_min(0)
        return sum(torch.exp(d2 * (-0.5 / (s * s))) for s in BANDWIDTHS)

    n, m = x.shape[0], y.shape[0]
    kxx, kyy, kxy = ksum(x, x), ksum(y, y), ksum(x, y)
    off = lambda k: k.sum() - k.diagonal().sum()
    return off(kxx) / (n * (n - 1)) + off(kyy) / (m * (m - 1)) - 2 * kxy.mean()


def case_gmmn2d(dt):
    g = relu_mlp([2, 128, 128, 2]).to(dt)
    opt = torch.optim.Adam(g.parameters(), lr=1e-3)
    batch = 256

    def step():
        loss = unbiased_mmd2(g(torch.rand(batch, 2, dtype=dt) * 2 - 1), ring_batch(batch, dt)).clamp_min(1e-12).sqrt()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()

    med, p90 = timed(step, 20, 200)
    return "batch=%d ms_per_step=%.3f p90_ms=%.3f cpu_ms_per_step=%.3f" % (batch, 1e3 * med, 1e3 * p90, 1e3 * LAST_CPU)


CASES = {"gen2d": case_gen2d, "train2d": case_train2d, "trainmnist": case_trainmnist,
         "gan2d": case_gan2d, "ganmnist": case_ganmnist, "gmmn2d": case_gmmn2d}
METHOD = {"gen2d": "sample", "train2d": "train", "trainmnist": "train",
          "gan2d": "gan", "ganmnist": "gan", "gmmn2d": "gmn"}


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main(argv):
    threads = int(argv[0]) if argv and argv[0].isdigit() else 1
    names = [a for a in argv if not a.isdigit()] or list(CASES)
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    print("# date=%s cpu=%r python=%s torch=%s threads=%d"
          % (datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
             cpu_model(), platform.python_version(), torch.__version__, threads))
    for dt in (torch.float64, torch.float32):
        for name in names:
            res = CASES[name](dt)
            print("peer=torch method=%s case=%s dtype=%s threads=%d %s"
                  % (METHOD[name], name, str(dt).replace("torch.", ""), threads, res), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
