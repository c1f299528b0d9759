#!/usr/bin/env bash
# AlexeyAB's detection habits end to end on the shapes VOC data (a minute on 2 cores):
# relnas anchors (mean IoU >= YOLOv3's scaled, deterministic per seed) -> relnas cfg
# --preset yolo --anchors-from -> detector train -map -map_every 20 (60 iterations) ->
# relnas map of _best.weights prints exactly the best mAP training printed (and of
# _last.weights the last). Defaults: the interval max(100, max_batches/50) (so only at the
# end of a short run), VOC07 11-point, -points 0 all-point; without -map: chart and _last.
. "$(dirname "$0")/../lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

if ! /usr/bin/python3 -c "import PIL" 2>/dev/null; then
    skip "detector train -map end to end" "python3-pil missing (make test installs it as root: apt-get install python3-pil)"
    finish; exit
fi
/usr/bin/python3 "$ROOT/scripts/make-shapes-voc" "$TMP/shapes" --train 160 --test 40 --size 128 --seed 5 >/dev/null &&
    "$ROOT/scripts/voc_label" "$TMP/shapes/VOCdevkit" --sets 2007/trainval,2007/test \
        --names "$TMP/shapes/shapes.names" --out "$TMP/shapes" >/dev/null 2>&1 ||
    { fail "shapes VOC data"; finish; exit; }
DATA=$TMP/shapes/voc.data

run "$DARKNET" relnas anchors "$DATA" --size 128
expect_rc "relnas anchors fits anchors to the shapes labels" 0
ours=$(echo "$OUT" | awk '/^k-means/ { print $3 }'); theirs=$(echo "$OUT" | awk '/^YOLOv3/ { print $3 }')
fitted=$(echo "$OUT" | sed -nE 's/^k-means \(these\) +[0-9.]+ +//p')
awk -v a="$ours" -v b="$theirs" 'BEGIN { exit !(a >= b && b > 0) }' &&
    pass "... mean IoU $ours >= YOLOv3's scaled $theirs, side by side" || fail "... mean IoU vs YOLOv3's" "$OUT"
expect_output "... the masks of the three scales" "stride 8: mask=0,1,2, stride 16: mask=3,4,5, stride 32: mask=6,7,8"
first=$OUT
run "$DARKNET" relnas anchors "$DATA" --size 128
[ "$OUT" = "$first" ] && pass "... the same anchors again (default seed)" || fail "... deterministic" "$first" "$OUT"

ITERATIONS=$([ "$SANITIZED" = 1 ] && echo 6 || echo 60)
EVERY=$((ITERATIONS / 3))
run "$DARKNET" relnas cfg RelativeNAS --preset yolo --channels 8 --cells 5 --classes 3 --size 128 --batch 16 \
    --max-batches "$ITERATIONS" --learning-rate 0.002 --anchors-from "$DATA" -o "$TMP/yolo.cfg"
expect_rc "relnas cfg --preset yolo --anchors-from DATA" 0
[ -n "$fitted" ] && grep -qx "anchors=$fitted" "$TMP/yolo.cfg" && pass "... writes relnas anchors' anchors: $fitted" ||
    fail "... writes relnas anchors' anchors" "wanted anchors=$fitted" "$(grep -m1 anchors= "$TMP/yolo.cfg")"
sed -i 's/^random=1/random=0/' "$TMP/yolo.cfg" # one input size: seconds, not minutes

mkdir -p "$TMP/shapes/backup" "$TMP/run"
(cd "$TMP/run" && "$DARKNET" detector train "$DATA" ../yolo.cfg -map -map_every "$EVERY" -dont_show > train.log 2>&1)
RC=$?; OUT=$(tail -n 5 "$TMP/run/train.log")
expect_rc "detector train DATA CFG -map -map_every $EVERY -dont_show ($ITERATIONS iterations)" 0
OUT=$(cat "$TMP/run/train.log")
evals=$(grep -cE "^iteration [0-9]+: mAP@0.50 [0-9.]+ \(VOC07 11-point\)" "$TMP/run/train.log")
[ "$evals" = 3 ] && pass "... mAP at iterations $EVERY, $((2 * EVERY)), $ITERATIONS (VOC07 11-point by default)" ||
    fail "... three evaluations" "found $evals" "$(grep "^iteration" "$TMP/run/train.log")"
best=$(grep -E "^iteration [0-9]+: mAP@0.50" "$TMP/run/train.log" | tail -n 1 | sed -nE 's/.*best ([0-9.]+) at.*/\1/p')
max=$(sed -nE 's/^iteration [0-9]+: mAP@0.50 ([0-9.]+) .*/\1/p' "$TMP/run/train.log" | sort -g | tail -n 1)
last=$(sed -nE 's/^iteration [0-9]+: mAP@0.50 ([0-9.]+) .*/\1/p' "$TMP/run/train.log" | tail -n 1)
[ -n "$best" ] && [ "$best" = "$max" ] && pass "... the best it reports is the highest it printed: $best" ||
    fail "... best = highest" "best '$best', highest '$max'"
expect_at_least "... best mAP@0.50 after $ITERATIONS iterations" "$best" 0.01
for f in yolo_best.weights yolo_last.weights yolo_final.weights; do
    [ -s "$TMP/shapes/backup/$f" ] && pass "... writes backup/$f" || fail "... writes backup/$f"
done
ls "$TMP/shapes/backup"/*.tmp >/dev/null 2>&1 && fail "... no temporary files left" || pass "... no temporary files left"
[ "$(head -c 4 "$TMP/run/chart.png" | tail -c 3)" = PNG ] && pass "... draws chart.png in the working directory" ||
    fail "... draws chart.png"

run "$DARKNET" relnas map "$DATA" "$TMP/yolo.cfg" "$TMP/shapes/backup/yolo_best.weights"
got=$(echo "$OUT" | sed -nE 's/^mAP ([0-9.]+) \(VOC07 11-point.*/\1/p')
[ -n "$got" ] && [ "$got" = "$best" ] && pass "relnas map of _best.weights = the best mAP training printed: $got" ||
    fail "relnas map of _best.weights = the best training printed" "relnas map '$got', training '$best'"
run "$DARKNET" relnas map "$DATA" "$TMP/yolo.cfg" "$TMP/shapes/backup/yolo_last.weights"
got=$(echo "$OUT" | sed -nE 's/^mAP ([0-9.]+) \(VOC07 11-point.*/\1/p')
[ -n "$got" ] && [ "$got" = "$last" ] && pass "... and of _last.weights = the last it printed: $got" ||
    fail "... _last.weights = the last printed" "relnas map '$got', training '$last'"

# AlexeyAB's `detector map` and `detector calc_anchors`: relnas map's and relnas anchors' code.
relnas_map=$OUT
run "$DARKNET" detector map "$DATA" "$TMP/yolo.cfg" "$TMP/shapes/backup/yolo_last.weights"
expect_rc "detector map DATA CFG WEIGHTS" 0
[ "$OUT" = "$relnas_map" ] && pass "... prints what relnas map prints" || fail "... prints what relnas map prints" "$OUT"
run "$DARKNET" detector map "$DATA" "$TMP/yolo.cfg" "$TMP/shapes/backup/yolo_last.weights" -points 0 -iou_thresh 0.5
expect_output "... -points 0: all-point AP" "^mAP [0-9.]+ \(VOC12 all-point"
run "$DARKNET" detector map "$DATA" "$TMP/yolo.cfg" "$TMP/shapes/backup/yolo_last.weights" -points 101
expect_rc "... -points 101 is refused" 2
expect_output "... saying what it takes" "-points 101: expected 0 .* or 11"
run "$DARKNET" detector calc_anchors "$DATA" -num_of_clusters 9 -width 128 -height 128 -show
expect_rc "detector calc_anchors DATA -num_of_clusters 9 -width 128 -height 128" 0
[ "$OUT" = "$first" ] && pass "... prints relnas anchors' 9 anchors and mean IoU" || fail "... as relnas anchors" "$OUT"

# Defaults on a 3-iteration run: interval max(100, 3/50) = 100, so mAP only at the end.
sed -E "s/^max_batches=.*/max_batches=3/" "$TMP/yolo.cfg" > "$TMP/short.cfg"
(cd "$TMP/run" && "$DARKNET" detector train "$DATA" ../short.cfg -map -points 0 > short.log 2>&1)
RC=$?; OUT=$(cat "$TMP/run/short.log")
expect_rc "detector train -map -points 0 (3 iterations)" 0
expect_output "... default interval: every 100 iterations and at the end" "^every 100 iterations and at the end"
expect_output "... all-point AP, once, at the end" "^iteration 3: mAP@0.50 [0-9.]+ \(all-point\)"
short=$(sed -nE 's/^iteration 3: mAP@0.50 ([0-9.]+) .*/\1/p' "$TMP/run/short.log")
run "$DARKNET" relnas map "$DATA" "$TMP/short.cfg" "$TMP/shapes/backup/short_last.weights" --metric voc12
expect_output "... relnas map --metric voc12 agrees: $short" "^mAP $short \(VOC12 all-point"

rm -f "$TMP/run/chart.png"
(cd "$TMP/run" && "$DARKNET" detector train "$DATA" ../short.cfg > plain.log 2>&1)
RC=$?; OUT=$(cat "$TMP/run/plain.log")
expect_rc "detector train without -map" 0
grep -q "mAP@0.50 [0-9]" "$TMP/run/plain.log" && fail "... computes no mAP" || pass "... computes no mAP"
[ -s "$TMP/run/chart.png" ] && [ -s "$TMP/shapes/backup/short_last.weights" ] && pass "... still the loss chart and _last" ||
    fail "... the loss chart and _last"

run "$DARKNET" detector train "$DATA" "$TMP/short.cfg" -map -points 5
expect_rc "-points 5 is refused" 1
expect_output "... saying what it takes" "-points 5: 0 \(all-point AP, VOC2010\+\) or 11 \(VOC2007\)"
run "$DARKNET" detector train "$DATA" "$TMP/short.cfg" -map -map_every ten
expect_rc "-map_every ten is refused" 1
expect_output "... naming the flag" "-map_every takes a whole number, found 'ten'"
run "$DARKNET" relnas anchors "$TMP/none.data"
expect_rc "relnas anchors on a missing .data file" 1
expect_output "... names it" "cannot open .*none.data"
finish
