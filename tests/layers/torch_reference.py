#!/usr/bin/python3
"""Writes PyTorch reference cases for the plugin's layers (tests/layers/test_layer_torch.c).

The ops are written here from the DARTS/RelativeNAS definitions in docs/design.md,
'Search space' (PyTorch BatchNorm2d: eps 1e-5, momentum 0.1, running variance unbiased);
the plugin's layers follow the same BN convention, so outputs must agree to float rounding.

For each case NAME it writes into OUTDIR:
  NAME.cfg      a one-layer Darknet cfg for the op
  NAME.weights  the op's random parameters in Darknet .weights layout (plugin order:
                BN biases, BN scales, running means, running variances, conv weights)
  NAME.gold     tensors: input, probe, train-mode output, gradients of sum(probe * output)
                for input / conv weights / BN scales / BN biases, the running statistics
                after that training step, and the inference-mode output after it.
.gold layout: magic b"RNASGOLD", uint32 version 1, uint32 count, then per tensor: uint32
name length, name bytes, uint32 element count, float32 values.

usage: torch_reference.py OUTDIR
"""
import struct
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
try:
    import torch
    import torch.nn as nn
    from darts_torch import SepConv, DilConv, ReLUConvBN, FactorizedReduce, avg_pool, max_pool
except ImportError as exc:  # the C test reports the skip with this reason
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    (out / "SKIPPED").write_text(f"PyTorch is not importable by /usr/bin/python3 ({exc}); "
                                 "install Debian's python3-torch\n")
    sys.exit(0)

torch.set_num_threads(1)
BATCH = 4


# name, (h, w, c), plugin cfg section, module
CASES = [
    ("sep_conv_3x3_s1", (9, 9, 6), "[sep_conv]\nsize=3\nstride=1\nfilters=8\n", lambda: SepConv(6, 8, 3, 1)),
    ("sep_conv_3x3_s2", (9, 9, 6), "[sep_conv]\nsize=3\nstride=2\nfilters=8\n", lambda: SepConv(6, 8, 3, 2)),
    ("sep_conv_5x5_s1", (8, 8, 6), "[sep_conv]\nsize=5\nstride=1\nfilters=6\n", lambda: SepConv(6, 6, 5, 1)),
    ("sep_conv_5x5_s2", (8, 8, 6), "[sep_conv]\nsize=5\nstride=2\nfilters=12\n", lambda: SepConv(6, 12, 5, 2)),
    ("dil_conv_3x3_s1", (9, 9, 6), "[dil_conv]\nsize=3\nstride=1\nfilters=6\n", lambda: DilConv(6, 6, 3, 1)),
    ("dil_conv_3x3_s2", (8, 8, 6), "[dil_conv]\nsize=3\nstride=2\nfilters=12\n", lambda: DilConv(6, 12, 3, 2)),
    ("dil_conv_5x5_s1", (8, 8, 6), "[dil_conv]\nsize=5\nstride=1\nfilters=6\n", lambda: DilConv(6, 6, 5, 1)),
    ("dil_conv_5x5_s2", (9, 9, 6), "[dil_conv]\nsize=5\nstride=2\nfilters=6\n", lambda: DilConv(6, 6, 5, 2)),
    ("relu_conv_bn", (7, 9, 6), "[relu_conv_bn]\nfilters=10\n", lambda: ReLUConvBN(6, 10)),
    ("factorized_reduce", (8, 8, 6), "[factorized_reduce]\nfilters=10\n", lambda: FactorizedReduce(6, 10)),
    ("avg_pool_3x3_s1", (9, 9, 5), "[avg_pool]\nsize=3\nstride=1\n", lambda: avg_pool(3, 1, 1)),
    ("avg_pool_3x3_s2", (9, 9, 5), "[avg_pool]\nsize=3\nstride=2\n", lambda: avg_pool(3, 2, 1)),
    ("aux_head_pool_5x5_s3", (8, 8, 5), "[avg_pool]\nsize=5\nstride=3\npad=0\nactivation=relu\n",
     lambda: avg_pool(5, 3, 0, relu=True)),
    ("max_pool_3x3_s1", (9, 9, 5), "[max_pool]\nsize=3\nstride=1\n", lambda: max_pool(3, 1, 1)),
    ("max_pool_3x3_s2", (8, 8, 5), "[max_pool]\nsize=3\nstride=2\n", lambda: max_pool(3, 2, 1)),
]


def randomize(module, gen):
    for p in module.parameters():
        p.data = torch.empty_like(p).uniform_(-1, 1, generator=gen)
    for m in module.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.weight.data = torch.empty_like(m.weight).uniform_(0.5, 1.5, generator=gen)
            m.running_mean = torch.empty_like(m.running_mean).uniform_(-0.5, 0.5, generator=gen)
            m.running_var = torch.empty_like(m.running_var).uniform_(0.5, 1.5, generator=gen)


def grouped(module, field):
    """Concatenates, over the plugin's stages, one kind of parameter the way the plugin lays
    them out (field: 'weights', 'scales', 'biases', 'rolling_mean', 'rolling_variance';
    grad=True for gradients)."""
    parts = []
    for dw, pw, bn in module.plugin_params():
        if field == "weights":
            parts += [c.weight for c in (dw, pw) if c is not None]
        elif bn is not None:
            parts.append({"scales": bn.weight, "biases": bn.bias, "rolling_mean": bn.running_mean,
                          "rolling_variance": bn.running_var}[field])
    return parts


def flat(tensors, grad=False):
    vals = [(t.grad if grad else t).detach().reshape(-1) for t in tensors]
    return torch.cat(vals) if vals else torch.zeros(0)


def write_weights(path, module):
    header = struct.pack("<iiiQ", 0, 2, 0, 0)
    body = b"".join(flat(grouped(module, f)).numpy().astype("<f4").tobytes()
                    for f in ("biases", "scales", "rolling_mean", "rolling_variance", "weights"))
    path.write_bytes(header + body)


def write_gold(path, tensors):
    out = [b"RNASGOLD", struct.pack("<II", 1, len(tensors))]
    for name, t in tensors:
        data = t.detach().reshape(-1).numpy().astype("<f4").tobytes()
        out += [struct.pack("<I", len(name)), name.encode(), struct.pack("<I", t.numel()), data]
    path.write_bytes(b"".join(out))


def make_case(outdir, index, name, shape, section, build):
    gen = torch.Generator().manual_seed(1000 + index)
    h, w, c = shape
    module = build()
    randomize(module, gen)
    (outdir / f"{name}.cfg").write_text(
        f"[net]\nbatch={BATCH}\nheight={h}\nwidth={w}\nchannels={c}\n\n{section}")
    write_weights(outdir / f"{name}.weights", module)
    x = torch.empty(BATCH, c, h, w).uniform_(-1, 1, generator=gen).requires_grad_()
    module.train()
    y = module(x)
    probe = torch.empty_like(y).uniform_(-1, 1, generator=gen)
    (y * probe).sum().backward()
    module.eval()
    with torch.no_grad():
        y_eval = module(x)
    write_gold(outdir / f"{name}.gold", [
        ("input", x), ("probe", probe), ("output_train", y), ("grad_input", x.grad),
        ("grad_weights", flat(grouped(module, "weights"), grad=True)),
        ("grad_scales", flat(grouped(module, "scales"), grad=True)),
        ("grad_biases", flat(grouped(module, "biases"), grad=True)),
        ("rolling_mean", flat(grouped(module, "rolling_mean"))),
        ("rolling_variance", flat(grouped(module, "rolling_variance"))),
        ("output_eval", y_eval),
    ])


def main():
    outdir = Path(sys.argv[1])
    outdir.mkdir(parents=True, exist_ok=True)
    (outdir / "SKIPPED").unlink(missing_ok=True)
    names = []
    for i, (name, shape, section, build) in enumerate(CASES):
        make_case(outdir, i, name, shape, section, build)
        names.append(name)
    (outdir / "CASES").write_text("\n".join(names) + "\n")
    print(f"torch_reference: {len(names)} cases written to {outdir} (PyTorch {torch.__version__})")


if __name__ == "__main__":
    main()
