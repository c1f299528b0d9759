#!/usr/bin/python3
"""Times forward + backward (training mode, input gradient included) of each DARTS
primitive in PyTorch (Debian's python3-torch) on the CPU, with the plugin benchmark's
shapes. Prints lines in bench_ops's format: OP C HxW STRIDE torch MS_PER_STEP PEAK_MB.

usage: bench_ops_torch.py BATCH SECONDS THREADS"""
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import torch  # noqa: E402
from darts_torch import SepConv, DilConv, FactorizedReduce, avg_pool, max_pool  # noqa: E402

OPS = {
    "sep_conv_3x3": lambda c, s: SepConv(c, c, 3, s),
    "sep_conv_5x5": lambda c, s: SepConv(c, c, 5, s),
    "dil_conv_3x3": lambda c, s: DilConv(c, c, 3, s),
    "dil_conv_5x5": lambda c, s: DilConv(c, c, 5, s),
    "max_pool_3x3": lambda c, s: max_pool(3, s, 1),
    "avg_pool_3x3": lambda c, s: avg_pool(3, s, 1),
    "skip_connect": lambda c, s: FactorizedReduce(c, c),
}
SHAPES = [(16, 32), (32, 16), (64, 8)]


def time_steps(module, x, seconds):
    steps, start = 0, 0.0
    while True:
        now = time.perf_counter()
        if steps == 2:
            start = now
        if steps > 2 and now - start >= seconds:
            return (now - start) * 1e3 / (steps - 2)
        x.grad = None
        module(x).sum().backward()
        steps += 1


def main():
    batch, seconds, threads = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    for name, make in OPS.items():
        for c, size in SHAPES:
            for stride in (1, 2):
                if name == "skip_connect" and stride == 1:
                    continue
                module = make(c, stride).train()
                x = torch.rand(batch, c, size, size, requires_grad=True)
                ms = time_steps(module, x, seconds)
                peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
                print(f"{name} {c} {size}x{size} {stride} torch {ms:.3f} {peak}", flush=True)


if __name__ == "__main__":
    main()
