"""NetworkCIFAR and NetworkImageNet of DARTS/RelativeNAS in PyTorch, written from
docs/design.md, 'Search space', with the ops of scripts/darts_torch.py, module names as the official
model.py registers them (so state_dict keys match official checkpoints): the independent
reference for the generated cfgs and scripts/pytorch2darknet."""
import sys
from collections import namedtuple
from pathlib import Path

import torch
import torch.nn as nn

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from darts_torch import SepConv, DilConv, ReLUConvBN, FactorizedReduce  # noqa: E402

Genotype = namedtuple("Genotype", "normal normal_concat reduce reduce_concat")


def parse_genotype(text):
    """The official repr; evaluated with nothing but Genotype and range in scope."""
    return eval(text, {"__builtins__": {}}, {"Genotype": Genotype, "range": range})


class Wrapped(nn.Module):
    """DARTS keeps most ops in an `op` attribute (keys like op.1.weight)."""

    def __init__(self, op):
        super().__init__()
        self.op = op

    def forward(self, x):
        return self.op(x)


def make_op(name, C, stride):
    if name == "skip_connect":
        return nn.Identity() if stride == 1 else FactorizedReduce(C, C)
    if name == "max_pool_3x3":
        return nn.MaxPool2d(3, stride, 1)
    if name == "avg_pool_3x3":
        return nn.AvgPool2d(3, stride, 1, count_include_pad=False)
    kind, k = name[:8], int(name[-1])
    return Wrapped(SepConv(C, C, k, stride) if kind == "sep_conv" else DilConv(C, C, k, stride))


class Cell(nn.Module):
    def __init__(self, genotype, C_prev_prev, C_prev, C, reduction, reduction_prev):
        super().__init__()
        self.preprocess0 = FactorizedReduce(C_prev_prev, C) if reduction_prev else Wrapped(ReLUConvBN(C_prev_prev, C))
        self.preprocess1 = Wrapped(ReLUConvBN(C_prev, C))
        edges = genotype.reduce if reduction else genotype.normal
        self.concat = list(genotype.reduce_concat if reduction else genotype.normal_concat)
        self.indices = [i for _, i in edges]
        self._ops = nn.ModuleList(make_op(name, C, 2 if reduction and i < 2 else 1) for name, i in edges)
        self.multiplier = len(self.concat)

    def forward(self, s0, s1):
        states = [self.preprocess0(s0), self.preprocess1(s1)]
        for j in range(len(self._ops) // 2):
            states.append(self._ops[2 * j](states[self.indices[2 * j]]) +
                          self._ops[2 * j + 1](states[self.indices[2 * j + 1]]))
        return torch.cat([states[i] for i in self.concat], dim=1)


class AuxiliaryHeadCIFAR(nn.Module):
    def __init__(self, C, num_classes):
        super().__init__()
        self.features = nn.Sequential(
            nn.ReLU(), nn.AvgPool2d(5, stride=3, padding=0, count_include_pad=False),
            nn.Conv2d(C, 128, 1, bias=False), nn.BatchNorm2d(128), nn.ReLU(),
            nn.Conv2d(128, 768, 2, bias=False), nn.BatchNorm2d(768), nn.ReLU())
        self.classifier = nn.Linear(768, num_classes)

    def forward(self, x):
        return self.classifier(self.features(x).flatten(1))


def build_cells(net, genotype, C, layers, C_prev_prev, C_prev, reduction_prev):
    net.cells = nn.ModuleList()
    C_curr, C_aux = C, None
    for i in range(layers):
        reduction = i in (layers // 3, 2 * layers // 3)
        if reduction:
            C_curr *= 2
        cell = Cell(genotype, C_prev_prev, C_prev, C_curr, reduction, reduction_prev)
        net.cells.append(cell)
        reduction_prev = reduction
        C_prev_prev, C_prev = C_prev, cell.multiplier * C_curr
        if i == 2 * layers // 3:
            C_aux = C_prev
    return C_prev, C_aux


class NetworkCIFAR(nn.Module):
    def __init__(self, C, num_classes, layers, auxiliary, genotype):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 3 * C, 3, padding=1, bias=False), nn.BatchNorm2d(3 * C))
        C_prev, C_aux = build_cells(self, genotype, C, layers, 3 * C, 3 * C, False)
        if auxiliary:
            self.auxiliary_head = AuxiliaryHeadCIFAR(C_aux, num_classes)
        self.global_pooling = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Linear(C_prev, num_classes)

    def forward(self, x):
        s0 = s1 = self.stem(x)
        for cell in self.cells:
            s0, s1 = s1, cell(s0, s1)
        return self.classifier(self.global_pooling(s1).flatten(1))


class NetworkImageNet(nn.Module):
    def __init__(self, C, num_classes, layers, genotype):
        super().__init__()
        self.stem0 = nn.Sequential(
            nn.Conv2d(3, C // 2, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(C // 2), nn.ReLU(),
            nn.Conv2d(C // 2, C, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(C))
        self.stem1 = nn.Sequential(nn.ReLU(), nn.Conv2d(C, C, 3, stride=2, padding=1, bias=False),
                                   nn.BatchNorm2d(C))
        C_prev, _ = build_cells(self, genotype, C, layers, C, C, True)
        self.global_pooling = nn.AvgPool2d(7)
        self.classifier = nn.Linear(C_prev, num_classes)

    def forward(self, x):
        s0 = self.stem0(x)
        s1 = self.stem1(s0)
        for cell in self.cells:
            s0, s1 = s1, cell(s0, s1)
        return self.classifier(self.global_pooling(s1).flatten(1))
