#!/usr/bin/env bash
# Detection end to end on the CPU: scripts/make-shapes-voc -> scripts/voc_label ->
# relnas cfg --preset yolo (C=8, 5 cells, 128x128) -> stock `detector train` for 1200
# iterations -> relnas map reports VOC07 mAP@0.5 >= 0.5 on the shapes test split. Also:
# multi-scale training (random=1) resizes our layers, and bad VOC input is named.
. "$(dirname "$0")/../lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

if ! /usr/bin/python3 -c "import PIL" 2>/dev/null; then
    skip "detection end to end" "python3-pil missing (make test installs it as root: apt-get install python3-pil)"
    finish; exit
fi
run /usr/bin/python3 "$ROOT/scripts/make-shapes-voc" "$TMP/shapes" --train 400 --test 100 --size 128 --seed 3
expect_rc "make-shapes-voc writes a VOC-format dataset" 0
run "$ROOT/scripts/voc_label" "$TMP/shapes/VOCdevkit" --sets 2007/trainval,2007/test --names "$TMP/shapes/shapes.names" \
    --out "$TMP/shapes"
expect_rc "voc_label makes Darknet labels and lists" 0
expect_output "... 400 training and 100 test images" "^400 training and 100 test images"
[ "$(wc -l < "$TMP/shapes/VOCdevkit/VOC2007/labels/000000.txt")" -ge 1 ] && pass "... a label file per image" ||
    fail "... a label file per image"

ITERATIONS=$([ "$SANITIZED" = 1 ] && echo 20 || echo 1200)
run "$DARKNET" relnas cfg RelativeNAS --preset yolo --channels 8 --cells 5 --classes 3 --size 128 --batch 16 \
    --max-batches $ITERATIONS --learning-rate 0.002 -o "$TMP/yolo.cfg"
expect_rc "a small YOLO cfg on the RelativeNAS backbone" 0
sed 's/^random=1/random=0/' "$TMP/yolo.cfg" > "$TMP/yolo-fixed.cfg" # one size: minutes, not hours, on a CPU
mkdir -p "$TMP/shapes/backup"
(cd "$TMP" && "$DARKNET" detector train shapes/voc.data yolo-fixed.cfg > train.log 2>&1)
RC=$?; OUT=$(tail -n 3 "$TMP/train.log")
expect_rc "stock detector train trains it ($ITERATIONS iterations)" 0
run "$DARKNET" relnas map "$TMP/shapes/voc.data" "$TMP/yolo-fixed.cfg" "$TMP/shapes/backup/yolo-fixed_final.weights"
expect_rc "relnas map runs the detector on the test list" 0
map=$(echo "$OUT" | sed -nE 's/^mAP ([0-9.]+) \(VOC07 11-point, IoU > 0.50.*/\1/p')
expect_at_least "mAP@0.5 on the shapes test split" "$map" 0.5
if /usr/bin/python3 -c 'import cv2, onnx' 2>/dev/null; then
    run "$DARKNET" relnas export "$TMP/yolo-fixed.cfg" "$TMP/shapes/backup/yolo-fixed_final.weights" -o "$TMP/det.onnx"
    expect_rc "relnas export writes the trained detector as ONNX" 0
    run /usr/bin/python3 "$ROOT/tests/export/onnx_compare.py" "$DARKNET" "$TMP/yolo-fixed.cfg" \
        "$TMP/shapes/backup/yolo-fixed_final.weights" "$TMP/det.onnx"
    expect_rc "... whose three raw heads in OpenCV equal Darknet's (trained BN statistics, sane magnitudes)" 0
else
    skip "the trained detector as ONNX" "python3-opencv or python3-onnx missing (make test installs them)"
fi

# random=1: Darknet resizes the network every 10 iterations, starting with the first (608
# within 200 iterations of the end)
sed "s/^max_batches=$ITERATIONS/max_batches=2/; s/^batch=16/batch=2/; s/^subdivisions=4/subdivisions=1/" "$TMP/yolo.cfg" > "$TMP/multi.cfg"
(cd "$TMP" && "$DARKNET" detector train shapes/voc.data multi.cfg > multi.log 2>&1)
RC=$?; OUT=$(grep -E "Resizing|^[0-9]+:" "$TMP/multi.log" | tail -n 3)
expect_rc "multi-scale training (random=1) resizes the NAS layers and trains on" 0
grep -q "^Resizing" "$TMP/multi.log" && pass "... it did resize" || fail "... it did resize" "$OUT"

mv "$TMP/shapes/VOCdevkit/VOC2007/JPEGImages/000403.jpg" "$TMP/403.jpg"
run "$DARKNET" relnas map "$TMP/shapes/voc.data" "$TMP/yolo-fixed.cfg" "$TMP/shapes/backup/yolo-fixed_final.weights"
expect_rc "a missing test image stops relnas map before it starts" 1
expect_output "... naming the image" "image 4 of the test list: cannot read .*000403.jpg"
mv "$TMP/403.jpg" "$TMP/shapes/VOCdevkit/VOC2007/JPEGImages/000403.jpg"
for label in "$TMP"/shapes/VOCdevkit/VOC2007/labels/*.txt; do echo "7 0.5 0.5 0.2 0.2" >> "$label"; done
run "$DARKNET" detector train "$TMP/shapes/voc.data" "$TMP/yolo-fixed.cfg"
expect_rc "a label with a class out of range stops detector train (patch 0010)" 1
expect_output "... naming the label file, line and range" "labels/[0-9]+.txt, line [0-9]+: class '7' is not a class number from 0 to 2"

printf '<annotation><object><name>circle</name><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>5</xmax><ymax>5</ymax></bndbox></object></annotation>\n' \
    > "$TMP/shapes/VOCdevkit/VOC2007/Annotations/000401.xml"
run "$DARKNET" relnas map "$TMP/shapes/voc.data" --dets "$TMP/none"
expect_rc "an annotation without <size> stops relnas map" 1
expect_output "... naming the file" "000401.xml: no <size>"
run "$ROOT/scripts/voc_label" "$TMP/shapes/VOCdevkit" --sets 2007/test --names "$TMP/shapes/shapes.names" --out "$TMP/relabel"
expect_output "voc_label reports a bad annotation by name and skips it" "skipped .*000401.xml: no <size>"
rm "$TMP/shapes/VOCdevkit/VOC2007/JPEGImages/000402.jpg"
run "$ROOT/scripts/voc_label" "$TMP/shapes/VOCdevkit" --sets 2007/test --names "$TMP/shapes/shapes.names" --out "$TMP/relabel"
expect_output "... and a missing image" "000402.xml: its image .*000402.jpg is missing"

finish
