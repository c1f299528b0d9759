#!/usr/bin/env bash
# `darknet relnas search` end to end on a tiny IDX image set: every output is written, the
# result is a valid genotype and cfg, the same seed gives the same search, a search killed
# with SIGKILL or stopped with Ctrl-C resumes to the same result, and bad settings and
# damaged checkpoints are named errors. It passes on a CPU build, on a GPU build without a GPU
# (tests/run-tests adds -nogpu) and on a GPU: every search names its profile (the default one
# follows the device: paper on a GPU, quick on the CPU), and what only the CPU does
# (--bn-batches, so the cpu profile) runs with -nogpu there.
. "$(dirname "$0")/../lib.sh"

if [ "${RELNAS_TEST_GPU:-no}" = yes ]; then
    device=GPU cpu_only=-nogpu
else
    device=CPU cpu_only=
fi

python3 "$(dirname "$0")/tiny_idx.py" "$TMP" 3
data="idx:$TMP/images.gz,$TMP/labels.gz"
tiny_settings="--population 4 --generations 2 --batch 16 --train-batches 4 --valid-batches 2 --channels 4 --cells 3 --seed 7"
tiny="--profile quick $tiny_settings"
# Long enough (3 generations, ~3 s) to be interrupted after its first pair.
longer="--profile quick --population 4 --generations 3 --batch 16 --train-batches 60 --valid-batches 4 --channels 4 --cells 3 --seed 5"

run "$DARKNET" relnas search "$data" $tiny --out "$TMP/a"
expect_rc "a tiny search runs end to end" 0
expect_output "it prints its data, device and (on the CPU) threads" "^RelativeNAS search on idx:.* on the $device(, [0-9]+ threads?)?$"
expect_output "... and its settings by name, the options given and the quick profile's defaults" \
    "^settings: population 4, generations 2, batch 16, train_batches 4, valid_batches 2, C 4, cells 3, lr_max 0.1, lr_min 0.001, momentum 0.9, decay 0.0003, clip 5, drop_path 0.3, train_portion 0.5, cutout 0, pad 4, flip 1, seed 7, bn_batches 0, warmup_batches 0, select_batches 0, select_valid_batches 0, select_rounds 1, select_keep 2, select_all_cells 0, select_lr 0.025, select_cutout 16, time_budget none, parallel_pairs off$"
expect_output "... and how the result is chosen (by default the paper's way)" "^result: the lowest validation loss on the final weight set$"
expect_output "it reports each candidate with an ETA" "^gen 2/2 pair 2/2 .* valid loss .* ETA "
expect_output "... from the first pair on (it printed -- there, and twice the time after pair 2)" "^gen 1/2 pair 1/2 .* valid loss .* ETA [0-9]+(m[0-9]{2}s|h[0-9]{2}m)$"
expect_output "it reports each generation's diversity, best and ETA" "^generation 2/2 done: diversity [0-9.]+ \(before pairing\), best valid loss [0-9.]+ \(#[0-9]\), 0 diverged, .* ETA "
expect_output "it re-scores the last generation on the final weight set, showing both losses" \
    "^final #3   valid loss in its pair +[0-9.]+ acc [0-9.]+, on the final weight set +[0-9.]+ acc"
expect_output "... and reports the best of those" "^best of the last generation re-scored on the final weight set: #[0-9]"
expect_output "it says what the result's accuracy rests on" "^evidence: validation accuracy [0-9.]+, standard error [0-9.]+, on 32 validation images with the weight set's parameters"
expect_output "... and prints the cell" "^cell:     Genotype\\(normal=\\["
expect_output "it ends with the genotype and cfg paths" "^genotype: $TMP/a/final.genotype"
expect_output "it reports the time outside forward/backward/update" "outside forward/backward/update"
[ "$(head -c 4 "$TMP/a/chart.png" | tail -c 3)" = PNG ] && pass "writes chart.png, a PNG" ||
    fail "writes chart.png, a PNG"
for f in final.genotype final.cfg log.txt log.csv log.jsonl population_gen000.txt population_gen001.txt; do
    [ -s "$TMP/a/$f" ] && pass "writes $f" || fail "writes $f"
done
[ "$(grep -c '^Genotype(' "$TMP/a/population_gen001.txt")" = 4 ] && pass "a generation file holds the population" ||
    fail "a generation file holds the population"
[ "$(tail -n +2 "$TMP/a/log.csv" | wc -l)" = 12 ] && [ "$(grep -c ',final,' "$TMP/a/log.csv")" = 4 ] &&
    pass "log.csv has a line per candidate evaluation and per re-score" ||
    fail "log.csv has a line per candidate evaluation and per re-score" "$(wc -l < "$TMP/a/log.csv")"
# The logs count generations and pairs as the terminal does (from 1): "gen G/.. pair P/.. #N role"
# is the row G,P,N,role in the same order.
terminal=$(sed -nE 's|^gen ([0-9]+)/[0-9]+ pair ([0-9]+)/[0-9]+ +#([0-9]+) +([a-z]+) .*|\1,\2,\3,\4|p' <<<"$OUT")
logged=$(grep -E ',(fast|slow),' "$TMP/a/log.csv" | cut -d, -f1-4)
[ -n "$terminal" ] && [ "$terminal" = "$logged" ] && pass "log.csv counts generations and pairs from 1, as the terminal" ||
    fail "log.csv counts generations and pairs from 1, as the terminal" "$(diff <(echo "$terminal") <(echo "$logged") | head -4)"
python3 -c "import json, sys; rows = [json.loads(l) for l in open(sys.argv[1])]; assert len(rows) == 12 and {r['role'] for r in rows} == {'fast', 'slow', 'final'}" "$TMP/a/log.jsonl" &&
    pass "log.jsonl holds a JSON object per candidate evaluation" || fail "log.jsonl holds a JSON object per candidate evaluation"
IFS=$'\t' read -r vector logged < <(python3 -c "import json, sys; r = json.loads(open(sys.argv[1]).readlines()[-1]); print(' '.join(repr(v) for v in r['vector']) + '\t' + r['genotype'])" "$TMP/a/log.jsonl")
[ "$("$DARKNET" relnas genotype "$vector" 2>&1)" = "$logged" ] &&
    pass "... with each candidate's 32-number vector, which decodes to its genotype" ||
    fail "... with each candidate's vector, which decodes to its genotype" "$vector" "$logged"
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

if [ $device = GPU ]; then
    run "$DARKNET" relnas search "$data" --profile cpu $tiny_settings --out "$TMP/cpu_on_gpu"
    expect_rc "on a GPU the cpu profile (BN statistics recomputed) is refused" 1
    expect_output "... saying it is for the CPU" "\(--bn-batches\) runs on the CPU only"
fi
run "$DARKNET" relnas search "$data" --profile cpu $tiny_settings --bn-batches 1 --warmup-batches 2 --out "$TMP/cpu" $cpu_only
expect_rc "the cpu profile with its options runs" 0
expect_output "... printing them" "bn_batches 1, warmup_batches 2, "
expect_output "... and the profile's default selection: every cell 160 batches, the best quarter 320" \
    "^result: the most accurate of every distinct cell the search produced trained alone from new weights \\(160 batches at rate 0.025 with cutout 16, doubled in each of up to 2 rounds of successive halving, each keeping the best 1/4\\)$"
expect_output "... whose result names that selection" "^chosen by successive halving over every distinct cell the search produced \\(([0-9]+) x 160, [0-9]+ x 320 batches\\)"
expect_output "... warming the weight set up member by member" "^warm-up 4/4  #3 "
expect_output "... with the warm-up's own ETA" "^warm-up 1/4  #0 .* warm-up ETA [0-9]+m[0-9]{2}s$"
run "$DARKNET" relnas search "$data" --profile cpu $tiny_settings --out "$TMP/cpu_defaults" $cpu_only
expect_output "the cpu profile's defaults: BN statistics on 10 batches, no warm-up" \
    "train_batches 4, valid_batches 2, .* bn_batches 10, warmup_batches 0, select_batches 160, select_valid_batches 160, select_rounds 2, select_keep 4, select_all_cells 1, "
echo "$OUT" | grep -q '^warm-up ' && fail "... and no warm-up runs" "a warm-up line was printed" ||
    pass "... and no warm-up runs"

# The ETA's pace is the candidates' own: a warm-up of 1200 batches before candidates of 2 must
# not make the ETA after generation 1 about the warm-up's length (it did: the warm-up's time
# counted as the first pair's).
run "$DARKNET" relnas search "$data" --profile quick --population 2 --generations 2 --batch 16 --train-batches 1 --valid-batches 1 \
    --channels 4 --cells 3 --warmup-batches 600 --out "$TMP/eta"
expect_rc "a search with a long warm-up before short candidates" 0
warm_s=$(echo "$OUT" | sed -nE 's/^warm-up [0-9]\/2 .* ([0-9.]+)s  warm-up ETA .*/\1/p' | awk '{ s += $1 } END { print s }')
eta_s=$(echo "$OUT" | sed -nE 's/^generation 1\/2 done: .*, ETA ([0-9]+)m([0-9]{2})s$/\1 \2/p' | awk '{ print $1 * 60 + $2 }')
[ -n "$warm_s" ] && [ -n "$eta_s" ] && awk -v e="$eta_s" -v w="$warm_s" 'BEGIN { exit !(e * 4 < w) }' &&
    pass "... whose ETA after generation 1 ($eta_s s) is a small part of the warm-up ($warm_s s)" ||
    fail "... whose ETA after generation 1 is a small part of the warm-up" "ETA ${eta_s:-?} s, warm-up ${warm_s:-?} s"
run "$DARKNET" relnas search "$data" --profile fast
expect_rc "an unknown profile is refused" 2
expect_output "... naming the profiles" "unknown profile 'fast' \(paper, quick, cpu\)"

run "$DARKNET" relnas search "$data" --population 3
expect_rc "an odd population is refused" 2
run "$DARKNET" relnas search "idx:$TMP/nope.gz,$TMP/labels.gz" $tiny --out "$TMP/c"
expect_rc "missing data is an error" 1
expect_output "... naming the file" "nope.gz: cannot open"

# same_search DIR_A DIR_B: same roles, losses, accuracies, populations and final genotype.
same_search() {
    cmp -s "$1/final.genotype" "$2/final.genotype" &&
        diff <(cut -d, -f1-7 "$1/log.csv") <(cut -d, -f1-7 "$2/log.csv") >/dev/null &&
        diff <(grep '^gen ' "$1/log.txt" | cut -c1-76) <(grep '^gen ' "$2/log.txt" | cut -c1-76) >/dev/null &&
        for f in "$1"/population_gen*.txt; do cmp -s "$f" "$2/${f##*/}" || return 1; done
}

# start_and_wait_for_a_pair DIR: starts the longer search in the background ($PID) and
# returns once its first pair is in the checkpoint (log.csv has its two lines).
start_and_wait_for_a_pair() {
    "$DARKNET" relnas search "$data" $longer --out "$1" > "$TMP/bg.out" 2>&1 &
    PID=$!
    wait_while_running $PID has_lines "$1/log.csv" 3
}

run "$DARKNET" relnas search "$data" $longer --out "$TMP/whole"
expect_rc "an uninterrupted search for the resume tests" 0
[ -s "$TMP/whole/checkpoint" ] && pass "the run directory holds a checkpoint" || fail "the run directory holds a checkpoint"

start_and_wait_for_a_pair "$TMP/killed" && kill -KILL $PID; wait $PID 2>/dev/null
[ ! -e "$TMP/killed/final.genotype" ] && [ -s "$TMP/killed/checkpoint" ] &&
    pass "a search killed with SIGKILL mid-generation leaves a checkpoint and no result" ||
    fail "a search killed with SIGKILL mid-generation leaves a checkpoint and no result" "$(ls "$TMP/killed")"
run "$DARKNET" relnas search --resume "$TMP/killed"
expect_rc "--resume continues a killed search to its end" 0
expect_output "... saying where it resumes" "^resuming $TMP/killed at generation [0-9]+/3, pair [0-9]/2"
same_search "$TMP/whole" "$TMP/killed" && pass "killed and resumed gives the uninterrupted search's result, logs and populations" ||
    fail "killed and resumed gives the uninterrupted search's result" "$(diff <(cut -d, -f1-7 "$TMP/whole/log.csv") <(cut -d, -f1-7 "$TMP/killed/log.csv") | head -4)"

# Killed three times (after 1, 3 and 5 pairs), resumed each time.
"$DARKNET" relnas search "$data" $longer --out "$TMP/thrice" > /dev/null 2>&1 &
PID=$!
for lines in 3 7 11; do
    wait_while_running $PID has_lines "$TMP/thrice/log.csv" $lines; kill -KILL $PID; wait $PID 2>/dev/null
    "$DARKNET" relnas search --resume "$TMP/thrice" > /dev/null 2>&1 &
    PID=$!
done
wait $PID; RC=$?
expect_rc "a search killed three times resumes to its end" 0
same_search "$TMP/whole" "$TMP/thrice" && pass "... with the uninterrupted search's result, logs and populations" ||
    fail "... with the uninterrupted search's result"

start_and_wait_for_a_pair "$TMP/stopped" && kill -INT $PID; wait $PID; RC=$?; OUT=$(cat "$TMP/bg.out")
expect_rc "Ctrl-C stops the search with status 130" 130
expect_output "... telling how to continue" "^  $RELNAS_DARKNET_BINARY relnas search --resume $TMP/stopped"
run "$DARKNET" relnas search --resume "$TMP/stopped"
expect_rc "a stopped search resumes" 0
same_search "$TMP/whole" "$TMP/stopped" && pass "stopped and resumed gives the uninterrupted search's result" ||
    fail "stopped and resumed gives the uninterrupted search's result"
run "$DARKNET" relnas search --resume "$TMP/stopped"
expect_rc "resuming a finished search writes its results again" 0
cmp -s "$TMP/whole/final.genotype" "$TMP/stopped/final.genotype" && pass "... the same ones" || fail "... the same ones"

# Killed while writing a checkpoint (tests/search/kill_during_checkpoint.c): in the header,
# inside the weights, and with the file complete but not yet renamed into place. The
# previous checkpoint is what --resume finds: at most the pair in progress is lost.
cc -shared -fPIC -O1 -o "$TMP/kill_checkpoint.so" "$(dirname "$0")/kill_during_checkpoint.c" -ldl
for point in 2:20 3:60000 4:-1; do
    RELNAS_KILL_CHECKPOINT=$point LD_PRELOAD="$TMP/kill_checkpoint.so" ASAN_OPTIONS=verify_asan_link_order=0 \
        "$DARKNET" relnas search "$data" $longer --out "$TMP/cut$point" > "$TMP/cut.out" 2>&1
    RC=$?
    expect_rc "killed during checkpoint write $point (N-th write:bytes, -1 before the rename)" 137
    [ -s "$TMP/cut$point/checkpoint.tmp" ] && [ ! -e "$TMP/cut$point/final.genotype" ] &&
        pass "... leaving a partial temporary file and no result" ||
        fail "... leaving a partial temporary file and no result" "$(ls -l "$TMP/cut$point")"
    run "$DARKNET" relnas search --resume "$TMP/cut$point"
    expect_rc "... --resume continues" 0
    expect_output "... from the checkpoint before: the pair in progress is lost, no more" \
        "^resuming $TMP/cut$point at generation [0-9]+/3, pair [0-9]/2 \\($(( 2 * (${point%%:*} - 2) )) of 12 candidate evaluations done"
    same_search "$TMP/whole" "$TMP/cut$point" && pass "... to the uninterrupted search's result" ||
        fail "... to the uninterrupted search's result"
done

# The options beyond the paper resume exactly too: killed during the warm-up, then mid-search.
warm="--warmup-batches 30 --bn-batches 2"
run "$DARKNET" relnas search "$data" $longer $warm --out "$TMP/warm_whole" $cpu_only
expect_rc "an uninterrupted search with warm-up and recomputed BN statistics" 0
"$DARKNET" relnas search "$data" $longer $warm --out "$TMP/warm_killed" $cpu_only > /dev/null 2>&1 &
PID=$!
wait_while_running $PID has_lines "$TMP/warm_killed/log.txt" 3; kill -KILL $PID; wait $PID 2>/dev/null
grep -q '^gen ' "$TMP/warm_killed/log.txt" && fail "... killed during the warm-up" "it had finished the warm-up"
"$DARKNET" relnas search --resume "$TMP/warm_killed" $cpu_only > /dev/null 2>&1 &
PID=$!
wait_while_running $PID has_lines "$TMP/warm_killed/log.csv" 5; kill -KILL $PID; wait $PID 2>/dev/null
run "$DARKNET" relnas search --resume "$TMP/warm_killed" $cpu_only
expect_rc "... killed during the warm-up and mid-search, it resumes to its end" 0
same_search "$TMP/warm_whole" "$TMP/warm_killed" && pass "... with the uninterrupted search's result" ||
    fail "... with the uninterrupted search's result"

# --select-batches with --select-rounds and --select-all-cells: successive halving over every
# distinct cell the search produced. log.csv's "alone" rows (the round in the pair column)
# decide here independently: each round holds the better half, rounded up, of the one before
# (highest accuracy, then lowest loss, then the first cell), with the batches doubled, and
# final.genotype is the last round's best. Killed during the rounds, it resumes exactly.
select="--select-batches 50 --select-valid-batches 4 --select-rounds 3 --select-all-cells 1"
run "$DARKNET" relnas search "$data" $longer $select --out "$TMP/select_whole"
expect_rc "a search that chooses its result by successive halving over every cell" 0
expect_output "... says so in its settings" "^result: the most accurate of every distinct cell the search produced trained alone from new weights \(50 batches at rate 0.025 with cutout 16, doubled in each of up to 3 rounds of successive halving, each keeping the best half\)$"
expect_output "... whose ETA after the last generation counts the selection still to come, not 0" \
    "^generation 3/3 done: .* ETA ([1-9][0-9]*m[0-9]{2}|0m0[1-9]|0m[1-5][0-9])s$"
expect_output "... prints its plan" "^selection: [5-8] distinct cells \(every cell the search produced\), .* 3 rounds, each keeping the most accurate half: [5-8] x 50 batches \(64 validation images\), [3-4] x 100 batches \(128 validation images\), 2 x 200 batches \(128 validation images\)$"
expect_output "... reports each cell trained alone with an ETA" "^select round 3/3 cell 2/2  #[0-9]+ +\((initial population|new after generation [12])\) valid loss .* acc [0-9.]+ .* ETA "
expect_output "... its evidence: validation images and the training alone" "^evidence: .* on 128 validation images after training alone on 3200 images \(round 3 of the selection, one run, one seed; the standard error counts the validation sample only\)$"
expect_output "... and the result with its figures" "^chosen by successive halving over every distinct cell the search produced \([5-8] x 50, [3-4] x 100, 2 x 200 batches\): cell #[0-9]+ \((of the initial population|new after generation [12])\), validation accuracy"
check=$(python3 - "$TMP/select_whole/log.csv" <<'PY'
import csv, math, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["role"] == "alone"]
gens = {r["genotype"] for r in csv.DictReader(open(sys.argv[1])) if r["role"] in ("fast", "slow")}
rounds = {}
for r in rows:
    rounds.setdefault(int(r["pair"]), []).append(r)
key = lambda r: (not math.isfinite(float(r["valid_accuracy"])), -float(r["valid_accuracy"]), float(r["valid_loss"]),
                 int(r["candidate"]))
problems = []
if sorted(rounds) != [1, 2, 3]: problems.append(f"rounds {sorted(rounds)}")
if {r["genotype"] for r in rounds.get(1, [])} != gens: problems.append("round 1 is not every cell of the generations")
for k in (2, 3):
    prev = sorted(rounds.get(k - 1, []), key=key)
    want = {r["candidate"] for r in prev[:(len(prev) + 1) // 2]}
    if {r["candidate"] for r in rounds.get(k, [])} != want: problems.append(f"round {k} is not the better half")
print("; ".join(problems) if problems else min(rounds[3], key=key)["genotype"])
PY
)
[ -n "$check" ] && [ "$check" = "$(cat "$TMP/select_whole/final.genotype")" ] &&
    pass "... each round the better half of the one before, final.genotype the last round's best" ||
    fail "... each round the better half of the one before, final.genotype the last round's best" "log.csv says ${check:0:80}"
"$DARKNET" relnas search "$data" $longer $select --out "$TMP/select_killed" > "$TMP/select.out" 2>&1 &
PID=$!
wait_while_running $PID grep -q '^select round 2/3 cell 1/' "$TMP/select.out"
kill -KILL $PID; wait $PID 2>/dev/null
[ ! -e "$TMP/select_killed/final.genotype" ] && grep -q '^select round 2/3 cell 1/' "$TMP/select.out" &&
    pass "... killed in the selection's second round (no result yet)" ||
    fail "... killed in the selection's second round (no result yet)" "$(tail -2 "$TMP/select.out")"
run "$DARKNET" relnas search --resume "$TMP/select_killed"
expect_rc "... --resume continues" 0
expect_output "... saying where" "^resuming $TMP/select_killed after its 3 generations and the re-score: selection round 2 of 3, [1-3] cells of the round trained alone$"
same_search "$TMP/select_whole" "$TMP/select_killed" && pass "... to the uninterrupted search's result and logs" ||
    fail "... to the uninterrupted search's result and logs" "$(diff <(cut -d, -f1-7 "$TMP/select_whole/log.csv") <(cut -d, -f1-7 "$TMP/select_killed/log.csv") | tail -4)"
run "$DARKNET" relnas search "$data" $longer --select-batches 50 --out "$TMP/select_last"
expect_output "the selection's defaults outside the cpu profile: the last generation's cells, one round, the whole validation half" \
    "^selection: [1-4] distinct cells \(the last generation's\), .*; 1 round: [1-4] x 50 batches \(128 validation images\)$"

# A full disk while a checkpoint is written: the write fails with a message, the previous
# checkpoint stays as it was, and a later --resume works.
cp -r "$TMP/stopped" "$TMP/full"
size=$(stat -c %s "$TMP/full/checkpoint")
OUT=$(trap '' XFSZ; ulimit -f $((size / 2048)); "$DARKNET" relnas search --resume "$TMP/full" 2>&1); RC=$?
expect_rc "a checkpoint that cannot be written (file size limit) stops the search" 1
expect_output "... saying so" "full/checkpoint: cannot write: File too large"
cmp -s "$TMP/stopped/checkpoint" "$TMP/full/checkpoint" && pass "... and leaves the previous checkpoint intact" ||
    fail "... and leaves the previous checkpoint intact"
run "$DARKNET" relnas search --resume "$TMP/full"
expect_rc "... from which the search resumes" 0

run "$DARKNET" relnas search "$data" $tiny --out "$TMP/whole"
expect_rc "a new search into a run directory that holds one is refused" 1
expect_output "... pointing to --resume" "holds a search already: continue it with --resume"
run "$DARKNET" relnas search --resume "$TMP/whole" --batch 8
expect_rc "--resume with a setting is refused" 2
expect_output "... naming it" "drop --batch"
printf 'x' | dd of="$TMP/whole/checkpoint" bs=1 seek=200 conv=notrunc 2>/dev/null
run "$DARKNET" relnas search --resume "$TMP/whole"
expect_rc "a damaged checkpoint is refused" 1
expect_output "... naming the file and the problem" "$TMP/whole/checkpoint: corrupt \\(checksum mismatch"
run "$DARKNET" relnas search --resume "$TMP/nowhere"
expect_rc "--resume of a directory without a checkpoint is an error" 1
expect_output "... naming the file" "$TMP/nowhere/checkpoint: cannot open"
run "$DARKNET" relnas search "$data" $tiny -gpus 0,1 --out "$TMP/g"
expect_rc "-gpus takes one GPU" 2

# On a GPU (tests/run-tests sets RELNAS_TEST_GPU) every search above but the cpu profile's ran
# there: the same seed and kill/resume checks are the GPU's determinism tests. The tiny search
# ($TMP/a, settings all given) on the CPU path of the same binary must agree with it: the
# roles, pairs and members of every row, and each loss within 1e-3 relative (GPU and CPU sum
# in different orders). scripts/gpu-check compares whole runs with scripts/compare-runs.
if [ $device = GPU ]; then
    run "$DARKNET" relnas search "$data" $tiny --out "$TMP/a_nogpu" -nogpu
    expect_rc "the tiny search on the CPU path of the GPU build" 0
    if OUT=$(python3 - "$TMP/a/log.csv" "$TMP/a_nogpu/log.csv" 2>&1 <<'PYEOF'
import csv, sys
gpu, cpu = (list(csv.reader(open(p)))[1:] for p in sys.argv[1:])
if len(gpu) != len(cpu):
    sys.exit(f"{len(gpu)} rows on the GPU, {len(cpu)} on the CPU")
for n, (g, c) in enumerate(zip(gpu, cpu), 2):
    if g[:4] != c[:4]:
        sys.exit(f"line {n}: GPU {g[:4]}, CPU {c[:4]}")
    for k in (4, 5):  # training and validation loss
        if abs(float(g[k]) - float(c[k])) > 1e-3 * max(1.0, abs(float(c[k]))):
            sys.exit(f"line {n}, column {k + 1}: GPU {g[k]}, CPU {c[k]}")
PYEOF
    ); then pass "every row of the tiny search's log on the GPU equals the CPU's (losses within 1e-3 relative)"
    else fail "every row of the tiny search's log on the GPU equals the CPU's" "$OUT"; fi
else
    skip "the tiny search on the GPU against the CPU" "${RELNAS_TEST_GPU:-no GPU}"
fi

finish
