#!/usr/bin/python3
"""Inference of the same network in PyTorch (tests/genotype/darts_network.py), eval mode
under torch.no_grad(), on BATCH random images, ROUNDS times after 3 warm-up passes. Prints
IMAGES_PER_SECOND.

RELNAS_BENCH_DEVICE=cuda runs it on the GPU (default: the CPU).

usage: bench_infer_torch.py GENOTYPE_REPR C CELLS CLASSES SIZE BATCH ROUNDS THREADS"""
import os
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests" / "genotype"))
from darts_network import NetworkCIFAR, parse_genotype  # noqa: E402


def main():
    repr_text, C, cells, classes, size, batch, rounds, threads = sys.argv[1:]
    C, cells, classes, size, batch, rounds = map(int, (C, cells, classes, size, batch, rounds))
    torch.set_num_threads(int(threads))
    torch.manual_seed(0)
    device = os.environ.get("RELNAS_BENCH_DEVICE", "cpu")
    net = NetworkCIFAR(C, classes, cells, True, parse_genotype(repr_text)).eval().to(device)
    x = torch.rand(batch, 3, size, size, device=device)
    with torch.no_grad():
        for _ in range(3):  # warm-up: allocations, and on a GPU cuDNN's choice of algorithms
            net(x)
    if device == "cuda":
        torch.cuda.synchronize()
    start = time.perf_counter()
    with torch.no_grad():
        for _ in range(rounds):
            net(x)
            if device == "cuda":
                torch.cuda.synchronize()
    print(f"{batch * rounds / (time.perf_counter() - start):.2f}")


if __name__ == "__main__":
    main()
