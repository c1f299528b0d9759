#!/usr/bin/python3
"""Training throughput of the same network in PyTorch (tests/genotype/darts_network.py):
SGD with momentum and weight decay on one fixed batch, after 3 warm-up steps. Prints
IMAGES_PER_SECOND STEPS.

RELNAS_BENCH_DEVICE=cuda runs it on the GPU (default: the CPU).

usage: bench_train_torch.py GENOTYPE_REPR C CELLS CLASSES SIZE BATCH STEPS THREADS AUXILIARY"""
import os
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests" / "genotype"))
from darts_network import NetworkCIFAR, parse_genotype  # noqa: E402


def main():
    repr_text, C, cells, classes, size, batch, steps, threads, aux = sys.argv[1:]
    C, cells, classes, size, batch, steps = map(int, (C, cells, classes, size, batch, steps))
    torch.set_num_threads(int(threads))
    torch.manual_seed(0)
    device = os.environ.get("RELNAS_BENCH_DEVICE", "cpu")
    net = NetworkCIFAR(C, classes, cells, aux == "1", parse_genotype(repr_text)).train().to(device)
    opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9, weight_decay=3e-4)
    x = torch.rand(batch, 3, size, size, device=device)
    y = torch.arange(batch, device=device) % classes
    start = 0.0
    for s in range(steps + 3):
        if s == 3:
            start = time.perf_counter()
        opt.zero_grad()
        F.cross_entropy(net(x), y).backward()
        opt.step()
        if device == "cuda":
            torch.cuda.synchronize()  # as Darknet, which reads the output back every step
    print(f"{batch * steps / (time.perf_counter() - start):.2f} {steps}")


if __name__ == "__main__":
    main()
