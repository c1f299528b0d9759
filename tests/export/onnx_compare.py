#!/usr/bin/python3
"""Checks an ONNX file written by `darknet relnas export` against Darknet itself.

    onnx_compare.py DARKNET CFG WEIGHTS MODEL [--aux] [--images N]

1. ONNX's own checker (python3-onnx, full_check: shapes inferred) accepts the file; opset >= 13;
   one input "image" [N, C, H, W] whose batch is symbolic.
2. The outputs are the ones the cfg implies, read from the cfg text here (not from the
   exporter): each [yolo] layer's input (yolo_raw_strideS, S = input width / head width) or
   "probabilities" for a cfg ending in [softmax]; with --aux also "aux_probabilities" (the
   [weighted_softmax]).
3. OpenCV's DNN module (python3-opencv) runs the file on random images, and
   `darknet relnas forward` runs the cfg + weights on the same images (a separate process);
   every output agrees within 1e-4 of its largest absolute value.
Prints one line per output; exits 1 on any failure.
"""
import argparse
import os
import subprocess
import sys
import tempfile

import cv2
import numpy as np
import onnx

TOLERANCE = 1e-4


def cfg_sections(cfg):
    """[(section name, {key: value})] in file order, [net] first."""
    sections = []
    for line in open(cfg):
        line = line.split("#", 1)[0].strip()
        if line.startswith("["):
            sections.append((line, {}))
        elif "=" in line and sections:
            key, value = line.split("=", 1)
            sections[-1][1][key.strip()] = value.strip()
    return sections


def expected_outputs(cfg, aux):
    """[(name or name prefix, darknet layer index)]; layer i is section i + 1."""
    layers = cfg_sections(cfg)[1:]
    heads = [i for i, (name, _) in enumerate(layers) if name == "[yolo]"]
    out = [("yolo_raw_stride", i - 1) for i in heads]
    if not heads:
        if layers[-1][0] != "[softmax]":
            sys.exit(f"{cfg}: this checker knows classifier ([softmax] last) and YOLO cfgs")
        out = [("probabilities", len(layers) - 1)]
    if aux:
        out += [("aux_probabilities", i) for i, (name, _) in enumerate(layers) if name == "[weighted_softmax]"]
    return out


def check_model(path):
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
    opset = max(o.version for o in model.opset_import if o.domain in ("", "ai.onnx"))
    assert opset >= 13, f"opset {opset} < 13"
    inputs = [i for i in model.graph.input if i.name not in {t.name for t in model.graph.initializer}]
    assert [i.name for i in inputs] == ["image"], f"inputs {[i.name for i in inputs]}"
    dims = inputs[0].type.tensor_type.shape.dim
    assert len(dims) == 4 and dims[0].dim_param and not dims[0].dim_value, "the batch is not symbolic"
    return model, [d.dim_value for d in dims[1:]]


def darknet_forward(darknet, cfg, weights, x, layer, tmp):
    xin, xout = os.path.join(tmp, "in.f32"), os.path.join(tmp, f"out{layer}.f32")
    x.tofile(xin)
    r = subprocess.run([darknet, "relnas", "forward", cfg, weights, xin, xout, "--layer", str(layer)],
                       capture_output=True, text=True)
    if r.returncode:
        sys.exit(f"relnas forward failed: {r.stderr[-2000:]}")
    return np.fromfile(xout, dtype=np.float32).reshape(x.shape[0], -1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("darknet")
    ap.add_argument("cfg")
    ap.add_argument("weights")
    ap.add_argument("model")
    ap.add_argument("--aux", action="store_true")
    ap.add_argument("--images", type=int, default=2)
    a = ap.parse_args()
    model, (c, h, w) = check_model(a.model)
    names = [o.name for o in model.graph.output]
    expected = expected_outputs(a.cfg, a.aux)
    if len(names) != len(expected) or any(not n.startswith(e) for n, (e, _) in zip(names, expected)):
        sys.exit(f"outputs {names}, expected {[e for e, _ in expected]}")
    x = np.random.default_rng(7).random((a.images, c, h, w), dtype=np.float32)
    net = cv2.dnn.readNetFromONNX(a.model)
    net.setInput(x, "image")
    outs = net.forward(names)
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, (_, layer), got in zip(names, expected, outs):
            ref = darknet_forward(a.darknet, a.cfg, a.weights, x, layer, tmp)
            got = np.asarray(got, dtype=np.float32).reshape(a.images, -1)
            if name.startswith("yolo_raw_stride"):
                stride = w // int(np.asarray(outs[names.index(name)]).shape[3])
                if name != f"yolo_raw_stride{stride}":
                    print(f"{name}: the head's stride is {stride}")
                    failed = 1
            if got.shape != ref.shape:
                print(f"{name}: OpenCV {got.shape}, Darknet {ref.shape}")
                failed = 1
                continue
            diff, largest = float(np.max(np.abs(got - ref))), float(np.max(np.abs(ref)))
            ok = diff <= TOLERANCE * largest and np.isfinite(diff)
            failed |= not ok
            print(f"{name}: largest difference {diff:.3g}, largest output {largest:.3g} "
                  f"({'ok' if ok else 'TOO LARGE'})")
    sys.exit(failed)


if __name__ == "__main__":
    main()
