#!/usr/bin/env bash
# A generated cfg trains with stock `darknet classifier train`: on a tiny two-class image
# set (horizontal vs vertical stripes, PPM files) the average loss goes down.
. "$(dirname "$0")/../lib.sh"

mkdir -p "$TMP/img/horizontal" "$TMP/img/vertical" "$TMP/backup"
python3 - "$TMP/img" <<'PYEOF'
import random, sys
random.seed(5)
root = sys.argv[1]
for label in ("horizontal", "vertical"):
    for n in range(24):
        period, phase = random.randint(3, 6), random.randint(0, 5)
        rows = []
        for y in range(32):
            row = bytearray()
            for x in range(32):
                t = y if label == "horizontal" else x
                v = 220 if (t + phase) // period % 2 else 30
                v += random.randint(-20, 20)
                row += bytes((v, v, v))
            rows.append(bytes(row))
        with open(f"{root}/{label}/{label}_{n:02d}.ppm", "wb") as f:
            f.write(b"P6\n32 32\n255\n" + b"".join(rows))
PYEOF
find "$TMP/img" -name '*.ppm' | sort > "$TMP/train.list"
printf 'horizontal\nvertical\n' > "$TMP/labels.txt"
printf 'classes=2\ntrain=%s\nvalid=%s\nlabels=%s\nbackup=%s\ntop=1\n' "$TMP/train.list" "$TMP/train.list" \
    "$TMP/labels.txt" "$TMP/backup" > "$TMP/stripes.data"

run "$DARKNET" relnas cfg DARTS_V2 --channels 4 --cells 3 --classes 2 --batch 16 --no-auxiliary \
    --learning-rate 0.05 --max-batches 40 -o "$TMP/net.cfg"
expect_rc "cfg for a 2-class, 3-cell network" 0

run "$DARKNET" classifier train "$TMP/stripes.data" "$TMP/net.cfg"
expect_rc "darknet classifier train runs the generated cfg" 0
losses=$(echo "$OUT" | sed -nE 's/^[0-9]+, [0-9.]+: [0-9.]+, ([0-9.]+) avg.*/\1/p')
first=$(echo "$losses" | head -n 3 | tail -n 1)
last=$(echo "$losses" | tail -n 1)
if [ -n "$first" ] && [ -n "$last" ] && awk -v a="$first" -v b="$last" 'BEGIN { exit !(b < 0.8 * a) }'; then
    pass "the average loss goes down: $first at iteration 3, $last at the end"
else
    fail "the average loss goes down" "iteration 3: '$first', last: '$last'" "$(echo "$OUT" | tail -n 3)"
fi
[ -s "$TMP/backup/net.weights" ] && pass "Darknet saved the trained weights" ||
    fail "Darknet saved the trained weights" "$(ls "$TMP/backup")"

# A rate that makes the weights explode: Darknet printed nan for every later iteration; now
# the training stops at the first non-finite loss and names where it went non-finite.
sed 's/^learning_rate=.*/learning_rate=1e30/; s/^max_batches=.*/max_batches=20/' "$TMP/net.cfg" > "$TMP/exploding.cfg"
run "$DARKNET" classifier train "$TMP/stripes.data" "$TMP/exploding.cfg"
expect_rc "a loss that goes NaN stops darknet classifier train" 1
expect_output "... naming the iteration, the rate and the first non-finite layer" \
    "^error: the loss is (nan|-nan|inf) at iteration [0-9]+ \(learning rate [0-9.e+]+\); the first layer with a non-finite output is [0-9]+ \("
n=$(echo "$OUT" | grep -cE '^[0-9]+, [0-9.]+: ')
[ "$n" -lt 20 ] && pass "... before the end of the run ($n iterations printed)" || fail "... before the end of the run" "$n"
finish
