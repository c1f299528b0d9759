#!/usr/bin/env bash
# `darknet relnas export`: the written files pass ONNX's checker, and OpenCV's DNN module
# computes what `relnas forward` computes (within 1e-4 of the largest output) for the
# CIFAR-10 RelativeNAS network, DARTS_V2, a C=8 / 5-cell network trained a few iterations
# (BN statistics not the defaults; folded and kept), the ImageNet network, the YOLO preset
# (three heads) and 20 random genotypes (tests/export/onnx_compare.py reads the expected
# outputs from the cfg). `--check` reports and passes; bad input is a named error.
. "$(dirname "$0")/../lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3

if ! $PY -c 'import cv2, onnx' 2>/dev/null; then
    skip "relnas export against OpenCV" "python3-opencv or python3-onnx missing (make test installs them: scripts/need-packages)"
    finish
    exit
fi

# export_and_compare DESC CFG WEIGHTS [export options...]: export, then the independent comparison.
export_and_compare() {
    local desc=$1 cfg=$2 weights=$3
    shift 3
    local aux=
    for o in "$@"; do [ "$o" = --aux ] && aux=--aux; done
    run "$DARKNET" relnas export "$cfg" "$weights" -o "$TMP/net.onnx" "$@"
    EXPORT_OUT=$OUT
    if [ "$RC" != 0 ]; then fail "$desc: export" "exit status $RC" "$(echo "$OUT" | tail -n 3)"; return; fi
    run $PY "$HERE/onnx_compare.py" "$DARKNET" "$cfg" "$weights" "$TMP/net.onnx" $aux
    if [ "$RC" = 0 ]; then pass "$desc: $(echo "$OUT" | tr '\n' ';')"
    else fail "$desc" "$(echo "$OUT" | tail -n 4)"; fi
}

run "$DARKNET" relnas cfg RelativeNAS --preset cifar -o "$TMP/relnas-cifar.cfg"
export_and_compare "CIFAR-10 RelativeNAS (C=36, 20 cells), auxiliary head left out" "$TMP/relnas-cifar.cfg" -
OUT=$EXPORT_OUT
expect_output "... the summary says the auxiliary head was left out" "layers no output reads left out \(among them the auxiliary head, which --aux keeps\)$"
export_and_compare "... with --aux: the auxiliary head's softmax as a second output" "$TMP/relnas-cifar.cfg" - --aux
OUT=$EXPORT_OUT
expect_output "... then the head is not among the layers left out (a cell input no edge reads)" "[0-9]+ layers no output reads left out$"

run "$DARKNET" relnas cfg DARTS_V2 --preset cifar --no-auxiliary -o "$TMP/darts.cfg"
export_and_compare "DARTS_V2 (CIFAR preset)" "$TMP/darts.cfg" -

if [ -n "${RELNAS_FASHION_MNIST:-}" ] && [ -r "$RELNAS_FASHION_MNIST/t10k-images-idx3-ubyte.gz" ]; then
    run "$DARKNET" relnas cfg RelativeNAS --preset cifar --channels 8 --cells 5 --width 28 --height 28 \
        --input-channels 1 --batch 16 --no-auxiliary -o "$TMP/c8.cfg"
    run "$DARKNET" relnas train fashion-mnist "$TMP/c8.cfg" --iterations 20 --cutout 0 --backup "$TMP/bk"
    expect_rc "a C=8 / 5-cell network trains 20 iterations" 0
    export_and_compare "... exported with batch norm folded (its statistics moved by training)" "$TMP/c8.cfg" "$TMP/bk/c8_final.weights"
    run $PY -c "
import onnx, sys
ops = [n.op_type for n in onnx.load('$TMP/net.onnx').graph.node]
sys.exit(0 if 'BatchNormalization' not in ops and ops.count('Conv') > 0 else 1)"
    expect_rc "... by default no BatchNormalization node is left (folded into the convolutions)" 0
    export_and_compare "... and with --keep-bn" "$TMP/c8.cfg" "$TMP/bk/c8_final.weights" --keep-bn
    run $PY -c "
import onnx, sys
m = onnx.load('$TMP/net.onnx')
ops = [n.op_type for n in m.graph.node]
sys.exit(0 if ops.count('BatchNormalization') > 0 else 1)"
    expect_rc "... --keep-bn writes BatchNormalization nodes" 0
    run "$DARKNET" relnas export "$TMP/c8.cfg" "$TMP/bk/c8_final.weights" -o "$TMP/c8.onnx" --check
    expect_rc "--check passes on the trained network" 0
    expect_output "... running ONNX's checker" "^check: ONNX checker [0-9.]+: valid$"
    expect_output "... and OpenCV on random images, printing the largest difference" \
        "^check: OpenCV [0-9.]+ on 2 random images, probabilities: largest difference [0-9.e+-]+ \(largest output"
    expect_output "... ending with its verdict" "^check: PASS"
else
    skip "a trained C=8 network" "Fashion-MNIST not found (RELNAS_FASHION_MNIST unset; make test fetches it)"
fi

run "$DARKNET" relnas cfg RelativeNAS --preset imagenet -o "$TMP/imagenet.cfg"
export_and_compare "ImageNet RelativeNAS (C=46, 14 cells, 224x224)" "$TMP/imagenet.cfg" -

run "$DARKNET" relnas cfg RelativeNAS --preset yolo -o "$TMP/yolo.cfg"
export_and_compare "the YOLO preset: three raw heads" "$TMP/yolo.cfg" -
run $PY -c "
import onnx, sys
meta = {p.key: p.value for p in onnx.load('$TMP/net.onnx').metadata_props}
sys.exit(0 if meta.get('yolo.classes') == '20' and meta.get('yolo.yolo_raw_stride32.anchors') == '116,90, 156,198, 373,326'
         and meta.get('yolo.yolo_raw_stride8.mask') == '0,1,2' else 1)"
expect_rc "... the anchors, masks and classes in the model's metadata" 0

export_and_compare "Darknet's own yolov3-tiny.cfg (stock [maxpool] size 2 stride 1, two heads)" "$HERE/../../cfg/yolov3-tiny.cfg" -

# 20 random genotypes (uniform vectors, fixed seed), small networks.
vectors=$($PY -c "
import random
r = random.Random(28)
for _ in range(20):
    v = []
    for t in range(2):
        for j in range(4):
            for k in range(2):
                v += [round(r.uniform(0, 2 + j), 3), round(r.uniform(0, 7), 3)]
    print(','.join(map(str, v)))")
ok=0 bad=
while read -r v; do
    "$DARKNET" relnas cfg "$v" --preset cifar --channels 4 --cells 5 --no-auxiliary -o "$TMP/r.cfg" >/dev/null 2>&1 &&
        "$DARKNET" relnas export "$TMP/r.cfg" - -o "$TMP/r.onnx" >/dev/null 2>&1 &&
        $PY "$HERE/onnx_compare.py" "$DARKNET" "$TMP/r.cfg" - "$TMP/r.onnx" >"$TMP/r.out" 2>&1 &&
        ok=$((ok + 1)) || bad="$bad [$v: $(tail -n 1 "$TMP/r.out" 2>/dev/null)]"
done <<<"$vectors"
[ "$ok" = 20 ] && pass "20 random genotypes export and agree with Darknet" || fail "20 random genotypes" "$ok agree;$bad"

# Bad input.
run "$DARKNET" relnas export "$TMP/darts.cfg" -
expect_rc "no -o: usage error" 2
expect_output "... naming what is missing" "-o NET.onnx is required"
sed '0,/^activation=linear/s//activation=ramp/' "$TMP/darts.cfg" >"$TMP/ramp.cfg"
line=$(grep -n '^\[convolutional\]' "$TMP/ramp.cfg" | head -n 1 | cut -d: -f1)
run "$DARKNET" relnas export "$TMP/ramp.cfg" - -o "$TMP/ramp.onnx"
expect_rc "a layer with no ONNX form: exit 1" 1
expect_output "... naming the cfg line, the section and why" "ramp.cfg:$line: \[convolutional\] \(layer 0\) cannot be exported to ONNX: activation=ramp"
[ ! -e "$TMP/ramp.onnx" ] && pass "... and writing no file" || fail "... and writing no file"
run "$DARKNET" relnas export "$TMP/darts.cfg" - -o "$TMP/no/such/dir/x.onnx"
expect_rc "an output that cannot be written: exit 1" 1
expect_output "... naming it" "no/such/dir/x.onnx"
finish
