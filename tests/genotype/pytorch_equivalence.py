#!/usr/bin/python3
"""Writes a reference case for tests/genotype/test_pytorch_equivalence.sh: a DARTS-family
network with random weights and non-trivial BN statistics, its state_dict, an input and
its eval-mode logits.

usage: pytorch_equivalence.py GENOTYPE_REPR PRESET C CELLS CLASSES SIZE OUTDIR"""
import sys
from pathlib import Path

import torch
import torch.nn as nn

sys.path.insert(0, str(Path(__file__).resolve().parent))
from darts_network import NetworkCIFAR, NetworkImageNet, parse_genotype  # noqa: E402


def main():
    repr_text, preset, C, cells, classes, size, outdir = sys.argv[1:]
    C, cells, classes, size = int(C), int(cells), int(classes), int(size)
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(7)
    genotype = parse_genotype(repr_text)
    if preset == "imagenet":
        net = NetworkImageNet(C, classes, cells, genotype)
    else:
        net = NetworkCIFAR(C, classes, cells, True, genotype)
    gen = torch.Generator().manual_seed(11)
    for m in net.modules():  # BN statistics far from the identity, so a wrong formula shows
        if isinstance(m, nn.BatchNorm2d):
            m.weight.data.uniform_(0.5, 1.5, generator=gen)
            m.bias.data.uniform_(-0.5, 0.5, generator=gen)
            m.running_mean.uniform_(-0.5, 0.5, generator=gen)
            m.running_var.uniform_(0.01, 0.2, generator=gen)
    net.eval()
    x = torch.rand(2, 3, size, size, generator=gen) * 2 - 1
    with torch.no_grad():
        logits = net(x)
    torch.save(net.state_dict(), out / "state_dict.pt")
    x.numpy().astype("<f4").tofile(out / "input.f32")
    logits.numpy().astype("<f4").tofile(out / "logits.f32")
    print(f"{preset} C={C} cells={cells}: {sum(p.numel() for p in net.parameters())} parameters, "
          f"max |logit| {logits.abs().max().item():.4g}")


if __name__ == "__main__":
    main()
