#!/usr/bin/env bash
# cfg/ as shipped: the networks equal what `relnas cfg` writes today (scripts/make-cfgs
# regenerates them), have the paper's parameter counts, and Darknet's own cfg/ and data/
# files are reachable from the repository root after the build.
. "$(dirname "$0")/../lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

run "$ROOT/scripts/make-cfgs" "$DARKNET" "$TMP/cfg"
expect_rc "scripts/make-cfgs regenerates the shipped networks" 0
for f in "$TMP"/cfg/*.cfg; do
    name=$(basename "$f")
    if cmp -s "$f" "$ROOT/cfg/$name"; then pass "cfg/$name equals what relnas cfg writes"
    else fail "cfg/$name equals what relnas cfg writes (run make cfgs)" "$(diff "$ROOT/cfg/$name" "$f" 2>&1 | head -n 8)"; fi
done
for f in "$ROOT"/cfg/*.cfg; do
    [ -L "$f" ] && continue  # Darknet's own
    [ -e "$TMP/cfg/$(basename "$f")" ] && continue
    fail "cfg/$(basename "$f") is tracked but scripts/make-cfgs does not make it"
done
for want in relativenas-cifar10 relativenas-cifar100 relativenas-imagenet relativenas-imagenet-backbone \
    relativenas-search darts_v2-cifar10 yolo-relativenas-voc; do
    [ -s "$ROOT/cfg/$want.cfg" ] && pass "cfg/$want.cfg is shipped" || fail "cfg/$want.cfg is shipped"
done

# The papers' parameter counts (auxiliary head excluded): CIFAR-10 3.93 M, CIFAR-100 3.98 M, ImageNet 5.05 M.
params() { "$DARKNET" relnas info "$1" 2>&1 | sed -nE 's/^parameters: ([0-9.]+) M .*/\1/p'; }
for pair in relativenas-cifar10:3.93 relativenas-cifar100:3.98 relativenas-imagenet:5.05 relativenas-imagenet-backbone:5.05; do
    got=$(params "$ROOT/cfg/${pair%%:*}.cfg")
    [ "$got" = "${pair#*:}" ] && pass "cfg/${pair%%:*}.cfg has the paper's ${pair#*:} M parameters" ||
        fail "cfg/${pair%%:*}.cfg has the paper's ${pair#*:} M parameters" "relnas info says '$got'"
done
grep -q '^\[weighted_softmax\]' "$ROOT/cfg/relativenas-imagenet.cfg" && pass "the ImageNet classifier has the auxiliary head" ||
    fail "the ImageNet classifier has the auxiliary head"
grep -q '^\[weighted_softmax\]' "$ROOT/cfg/relativenas-imagenet-backbone.cfg" &&
    fail "the backbone classifier has no auxiliary head" || pass "the backbone classifier has no auxiliary head"
classes=$(grep -m1 '^classes=' "$ROOT/cfg/yolo-relativenas-voc.cfg"); width=$(grep -m1 '^width=' "$ROOT/cfg/yolo-relativenas-voc.cfg")
[ "$classes $width" = "classes=20 width=416" ] && pass "the VOC detector has 20 classes at 416" ||
    fail "the VOC detector has 20 classes at 416" "$classes $width"

# The .data templates name the files the scripts write, relative to the repository root.
for pair in voc:data/voc/train.txt fashion-mnist:data/fashion-mnist/train.list cifar10:data/cifar10/train.list; do
    grep -qx "train=${pair#*:}" "$ROOT/cfg/${pair%%:*}.data" && pass "cfg/${pair%%:*}.data trains on ${pair#*:}" ||
        fail "cfg/${pair%%:*}.data trains on ${pair#*:}" "$(cat "$ROOT/cfg/${pair%%:*}.data")"
done

# Darknet's own files where its users look for them, from the repository root.
for f in cfg/yolov3.cfg cfg/coco.data data/coco.names data/voc.names data/labels/100_0.png data/dog.jpg; do
    [ -r "$ROOT/$f" ] && pass "Darknet's $f is reachable from the repository root" ||
        fail "Darknet's $f is reachable from the repository root (make links it)"
done
if git -C "$ROOT" rev-parse --git-dir > /dev/null 2>&1; then
    ignored=1
    for f in cfg/yolov3.cfg data/dog.jpg data/labels; do git -C "$ROOT" check-ignore -q "$f" || ignored=0; done
    [ $ignored = 1 ] && pass "... and ignored by git" || fail "... and ignored by git"
else
    skip "... and ignored by git" "not a git checkout"
fi
run bash -c "cd '$ROOT' && '$DARKNET' ops cfg/yolov3.cfg"
expect_rc "darknet ops cfg/yolov3.cfg from the repository root" 0
expect_output "... prints the operations count" "^Floating Point Operations: 140.69 Bn"
finish
