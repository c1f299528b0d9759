#!/usr/bin/env bash
# `darknet relnas train` / `relnas valid`: a generated CIFAR-preset cfg (C=4, 5 cells) trains
# for 100 iterations of 32 Fashion-MNIST images and validates well above chance; Darknet
# image-list data (.data) trains too; backups, chart and summary are written; a run resumes
# from NAME_last.weights and stops cleanly on Ctrl-C; bad input and a diverging loss are
# named errors.
. "$(dirname "$0")/../lib.sh"

run "$DARKNET" relnas cfg RelativeNAS --preset cifar --channels 4 --cells 5 --width 28 --height 28 \
    --input-channels 1 --batch 32 --no-auxiliary -o "$TMP/fm.cfg"
expect_rc "a CIFAR-preset cfg for 28x28 grey images" 0
grep -q '^policy=cosine' "$TMP/fm.cfg" && pass "the generated cfg anneals the rate by a cosine" ||
    fail "the generated cfg anneals the rate by a cosine"

if [ "$SANITIZED" = 1 ]; then
    skip "relnas train/valid on Fashion-MNIST" "SANITIZE=1: 70k images through ASan take minutes; the image-list part below runs the same code"
elif [ -n "${RELNAS_FASHION_MNIST:-}" ] && [ -r "$RELNAS_FASHION_MNIST/t10k-images-idx3-ubyte.gz" ]; then
    run "$DARKNET" relnas train fashion-mnist "$TMP/fm.cfg" --iterations 100 --cutout 0 --backup "$TMP/bk"
    expect_rc "relnas train: 100 iterations on Fashion-MNIST" 0
    expect_output "... printing Darknet's per-iteration line with an ETA" "^100, [0-9.]+: [0-9.]+, [0-9.]+ avg, [0-9.]+ rate, .* images, ETA "
    expect_output "... validating at the end" "^epoch 0: validation top-1 0\.[0-9]+"
    expect_output "... ending with where the weights are and how to evaluate (the binary as invoked)" "^evaluate: $RELNAS_DARKNET_BINARY relnas valid fashion-mnist"
    run "$DARKNET" relnas valid fashion-mnist "$TMP/fm.cfg" "$TMP/bk/fm_final.weights"
    expect_rc "relnas valid" 0
    top1=$(echo "$OUT" | sed -nE 's/^top-1 ([0-9.]+)  top-5 ([0-9.]+).*/\1/p')
    expect_at_least "top-1 after 3200 images is well above chance (0.1)" "$top1" 0.3
    [ "$(echo "$OUT" | grep -cE '^ +[0-9] +1000 ')" = 10 ] && pass "... with a line per class (1000 test images each)" ||
        fail "... with a line per class" "$(echo "$OUT" | tail -12)"
    run "$DARKNET" relnas valid fashion-mnist "$TMP/fm.cfg" "$TMP/bk/fm_final.weights" --tta flip
    expect_output "--tta flip evaluates with mirrored images too" "^top-1 0\.[0-9]+  top-5"
    run "$DARKNET" relnas cfg RelativeNAS --preset cifar --channels 4 --cells 5 -o "$TMP/c32.cfg"
    run "$DARKNET" relnas train fashion-mnist "$TMP/c32.cfg" --iterations 1
    expect_rc "data of another size than the cfg's is refused" 1
    expect_output "... saying how to generate a cfg that fits" "fashion-mnist has 28x28x1 images, the cfg takes 32x32x3: generate it with .*--width 28 --height 28 --input-channels 1"
else
    skip "relnas train on Fashion-MNIST" "Fashion-MNIST not found (RELNAS_FASHION_MNIST unset; make test fetches it)"
fi

# Darknet's classification data: image lists labelled by their paths.
mkdir -p "$TMP/img/red" "$TMP/img/blue"
python3 - "$TMP/img" <<'PYEOF'
import random, sys
random.seed(2)
for label, rgb in (("red", (200, 40, 40)), ("blue", (40, 40, 200))):
    for n in range(40):
        pixels = bytes(max(0, min(255, c + random.randint(-60, 60))) for _ in range(8 * 8) for c in rgb)
        with open(f"{sys.argv[1]}/{label}/{label}_{n:02d}.ppm", "wb") as f:
            f.write(b"P6\n8 8\n255\n" + pixels)
PYEOF
find "$TMP/img" -name '*.ppm' | sort > "$TMP/all.list"
printf 'red\nblue\n' > "$TMP/labels.txt"
printf 'classes=2\ntrain=%s\nvalid=%s\nlabels=%s\n' "$TMP/all.list" "$TMP/all.list" "$TMP/labels.txt" > "$TMP/colours.data"
run "$DARKNET" relnas cfg DARTS_V2 --preset cifar --channels 4 --cells 3 --classes 2 --width 8 --height 8 \
    --batch 8 --no-auxiliary -o "$TMP/colours.cfg"
run "$DARKNET" relnas train "$TMP/colours.data" "$TMP/colours.cfg" --iterations 30 --cutout 0 --backup "$TMP/bk2"
expect_rc "relnas train reads Darknet's .data image lists" 0
expect_output "... all 80 images" "on .*colours.data \(80 images; validation: 80 images\)"
expect_output "... printing Darknet's per-iteration line with an ETA" "^30, [0-9.]+: [0-9.]+, [0-9.]+ avg, [0-9.]+ rate, .* images, ETA "
for f in colours_last.weights colours_best.weights colours_final.weights colours_chart.png; do
    [ -s "$TMP/bk2/$f" ] && pass "writes $f" || fail "writes $f" "$(ls "$TMP/bk2")"
done
run "$DARKNET" relnas valid "$TMP/colours.data" "$TMP/colours.cfg" "$TMP/bk2/colours_final.weights"
top1=$(echo "$OUT" | sed -nE 's/^top-1 ([0-9.]+).*/\1/p')
expect_at_least "red and blue images told apart" "$top1" 0.8
run "$DARKNET" relnas train "$TMP/colours.data" "$TMP/colours.cfg" "$TMP/bk2/colours_last.weights" --iterations 34 \
    --cutout 0 --backup "$TMP/bk2"
expect_rc "training resumes from NAME_last.weights" 0
expect_output "... at the iteration it had reached" "^31, "
"$DARKNET" relnas train "$TMP/colours.data" "$TMP/colours.cfg" --iterations 100000 --backup "$TMP/stop" > "$TMP/stop.out" 2>&1 &
pid=$!
for _ in $(seq 1200); do grep -q '^5, ' "$TMP/stop.out" 2>/dev/null && break; sleep 0.05; done
kill -INT $pid; wait $pid; RC=$?; OUT=$(cat "$TMP/stop.out")
expect_rc "Ctrl-C stops training with status 130" 130
expect_output "... saying how to continue, with every option given" \
    "^continue: $RELNAS_DARKNET_BINARY relnas train .*colours.data .*/stop/colours_last.weights --iterations 100000 --backup $TMP/stop( -nogpu)?$"
[ -s "$TMP/stop/colours_last.weights" ] && pass "... after saving NAME_last.weights" || fail "... after saving NAME_last.weights"
run "$DARKNET" relnas train "$TMP/colours.data" "$TMP/colours.cfg" --iterations 50 --learning-rate 100 --clip 0 \
    --backup "$TMP/bk3"
expect_rc "a loss that is no longer finite stops training" 1
expect_output "... saying when and where" "the loss is not finite at iteration [0-9]+ \(rate [0-9.]+\); (the first layer with a non-finite output is [0-9]+ \(|every layer's output is finite)"
echo "$TMP/img/green.ppm" >> "$TMP/all.list"
run "$DARKNET" relnas train "$TMP/colours.data" "$TMP/colours.cfg" --iterations 1 --backup "$TMP/bk2"
expect_rc "an image whose path names no label is refused" 1
expect_output "... naming the list, line and path" "all.list, line 81: .*green.ppm: no label name occurs in the path"

# A truncated image in the list (a broken download): stb_image decodes it without an error,
# into garbage. Now a named error and status 1 from relnas train and from Darknet's
# classifier train (which exited 0 even on images stb_image refused).
find "$TMP/img/red" "$TMP/img/blue" -name '*.ppm' | sort > "$TMP/broken.list"
printf 'P6\n8 8\n255\nshort' > "$TMP/img/red/red_broken.ppm"
echo "$TMP/img/red/red_broken.ppm" >> "$TMP/broken.list"
sed "s|$TMP/all.list|$TMP/broken.list|g" "$TMP/colours.data" > "$TMP/broken.data"
run "$DARKNET" relnas train "$TMP/broken.data" "$TMP/colours.cfg" --iterations 2 --backup "$TMP/bk3"
expect_rc "a truncated image stops relnas train" 1
expect_output "... naming the list, line, image and what is missing" \
    "broken.list, line 81: $TMP/img/red/red_broken.ppm: truncated P6 image \\(5 of 192 pixel bytes\\)"
sed -i "s|red_broken.ppm|red_missing.ppm|" "$TMP/broken.list"
run "$DARKNET" relnas train "$TMP/broken.data" "$TMP/colours.cfg" --iterations 2 --backup "$TMP/bk3"
expect_rc "a missing image stops relnas train" 1
expect_output "... naming the list, line and image" "broken.list, line 81: $TMP/img/red/red_missing.ppm: cannot open"
sed -i "s|red_missing.ppm|red_broken.ppm|" "$TMP/broken.list"
printf 'backup=%s\n' "$TMP/bk3" >> "$TMP/broken.data"
sed 's/^max_batches=.*/max_batches=400/' "$TMP/colours.cfg" > "$TMP/colours400.cfg"
run "$DARKNET" classifier train "$TMP/broken.data" "$TMP/colours400.cfg"
expect_rc "... and Darknet's classifier train (status 1, it was 0)" 1
expect_output "... naming it (stb_image decoded it into garbage)" "Cannot load image \"$TMP/img/red/red_broken.ppm\": .*truncated P6"
finish
