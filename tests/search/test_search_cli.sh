#!/usr/bin/env bash
# `darknet relnas search` end to end on a tiny IDX image set: every output is written, the
# result is a valid genotype and cfg, the same seed gives the same search, and bad settings
# are named errors.
. "$(dirname "$0")/../lib.sh"

python3 - "$TMP" <<'PYEOF'
import gzip, random, struct, sys
random.seed(3)
n, side = 256, 8
images, labels = bytearray(), bytearray()
for i in range(n):
    label, phase = i % 2, random.randint(0, 1)
    labels.append(label)
    for y in range(side):
        for x in range(side):
            t = x if label else y
            images.append((200 if (t + phase) % 2 else 40) + random.randint(0, 30))
with gzip.open(f"{sys.argv[1]}/images.gz", "wb") as f:
    f.write(struct.pack(">IIII", 0x803, n, side, side) + bytes(images))
with gzip.open(f"{sys.argv[1]}/labels.gz", "wb") as f:
    f.write(struct.pack(">II", 0x801, n) + bytes(labels))
PYEOF
data="idx:$TMP/images.gz,$TMP/labels.gz"
tiny="--population 4 --generations 2 --batch 16 --train-batches 4 --valid-batches 2 --channels 4 --cells 3 --seed 7"

run "$DARKNET" relnas search "$data" $tiny --out "$TMP/a"
expect_rc "a tiny search runs end to end" 0
expect_output "it prints its settings" "^RelativeNAS search on idx:.*population 4, 2 generations"
expect_output "it reports each candidate with an ETA" "^gen 2/2 pair 2/2 .* valid loss .* ETA "
expect_output "it reports each generation's diversity, best and ETA" "^generation 2/2 done: diversity [0-9.]+, best valid loss [0-9.]+ \(#[0-9]\), 0 diverged, .* ETA "
expect_output "it ends with the genotype and cfg paths" "^genotype: $TMP/a/final.genotype"
expect_output "it reports the time outside forward/backward/update" "outside forward/backward/update"
[ "$(head -c 4 "$TMP/a/chart.png" | tail -c 3)" = PNG ] && pass "writes chart.png, a PNG" ||
    fail "writes chart.png, a PNG"
for f in final.genotype final.cfg log.txt log.csv log.jsonl population_gen000.txt population_gen001.txt; do
    [ -s "$TMP/a/$f" ] && pass "writes $f" || fail "writes $f"
done
[ "$(grep -c '^Genotype(' "$TMP/a/population_gen001.txt")" = 4 ] && pass "a generation file holds the population" ||
    fail "a generation file holds the population"
[ "$(tail -n +2 "$TMP/a/log.csv" | wc -l)" = 8 ] && pass "log.csv has a line per candidate evaluation" ||
    fail "log.csv has a line per candidate evaluation" "$(wc -l < "$TMP/a/log.csv")"
python3 -c "import json, sys; rows = [json.loads(l) for l in open(sys.argv[1])]; assert len(rows) == 8 and {r['role'] for r in rows} == {'fast', 'slow'}" "$TMP/a/log.jsonl" &&
    pass "log.jsonl holds a JSON object per candidate evaluation" || fail "log.jsonl holds a JSON object per candidate evaluation"
run "$DARKNET" relnas genotype "$TMP/a/final.genotype"
expect_rc "the final genotype reads back" 0
run "$DARKNET" relnas info "$TMP/a/final.cfg"
expect_output "the final cfg parses, sized for the data" "input 8x8x1"

run "$DARKNET" relnas search "$data" $tiny --out "$TMP/b"
# Columns 1-7: generation, pair, candidate, role, training and validation loss, accuracy.
if cmp -s "$TMP/a/final.genotype" "$TMP/b/final.genotype" &&
   diff <(cut -d, -f1-7 "$TMP/a/log.csv") <(cut -d, -f1-7 "$TMP/b/log.csv") >/dev/null; then
    pass "the same seed gives the same search (roles, losses, accuracies, final genotype)"
else
    fail "the same seed gives the same search" "$(diff <(cut -d, -f1-7 "$TMP/a/log.csv") <(cut -d, -f1-7 "$TMP/b/log.csv") | head -4)"
fi

run "$DARKNET" relnas search "$data" --population 3
expect_rc "an odd population is refused" 2
run "$DARKNET" relnas search "idx:$TMP/nope.gz,$TMP/labels.gz" $tiny --out "$TMP/c"
expect_rc "missing data is an error" 1
expect_output "... naming the file" "nope.gz: cannot open"

finish
