#!/usr/bin/env bash
# The search's settings table, through the command line: the README's table of options is the
# one the binary prints (`--options-table`), every option is in --help with its defaults, an
# option sets its setting, a bad value is refused naming the option, and --resume refuses a
# setting the checkpoint fixes.
. "$(dirname "$0")/../lib.sh"

readme="$(dirname "$0")/../../README.md"
run "$DARKNET" relnas search --options-table
expect_rc "--options-table prints the table" 0
table=$OUT
in_readme=$(awk '/^<!-- search options: begin/ { on = 1; next } /^<!-- search options: end/ { on = 0 } on' "$readme")
[ -n "$in_readme" ] && [ "$in_readme" = "$table" ] && pass "the README's table of options is the binary's" ||
    fail "the README's table of options is the binary's" \
        "$(diff <(echo "$in_readme") <(echo "$table") | head -20; echo "regenerate it with: ./darknet relnas search --options-table")"

run "$DARKNET" relnas search --help
expect_rc "--help" 0
help=$OUT
missing=""
for option in $(echo "$table" | grep -o '^| `--[a-z-]*' | cut -c4-); do
    echo "$help" | grep -q -- "^  $option" || missing="$missing $option"
done
[ -z "$missing" ] && pass "--help lists every option of the table" || fail "--help lists every option of the table" "$missing"
expect_output "... with each profile's defaults where they differ" \
    "^  --population M +architecture vectors in the population \(even\) \[paper 20, quick 8, cpu 8\]$"
expect_output "... and the one default where they agree" "^  --momentum R +SGD momentum \[0.9\]$"

python3 "$(dirname "$0")/tiny_idx.py" "$TMP" 3
data="idx:$TMP/images.gz,$TMP/labels.gz"
tiny="--population 2 --generations 1 --batch 16 --train-batches 1 --valid-batches 1 --channels 4 --cells 3"
run "$DARKNET" relnas search "$data" $tiny --lr-max 0.05 --momentum 0.5 --flip 0 --select-cutout 8 --out "$TMP/set"
expect_rc "options beyond the profile's run" 0
expect_output "... and set their settings" "^settings: .*lr_max 0.05, .*momentum 0.5, .*flip 0, .*select_cutout 8, "
run "$DARKNET" relnas search "$data" $tiny --flip 2 --out "$TMP/bad"
expect_rc "a value outside a setting's range is refused" 2
expect_output "... naming the option and the range" "--flip must be an integer in \\[0, 1\\], got '2'"
run "$DARKNET" relnas search "$data" $tiny --train-portion 1.5 --out "$TMP/bad"
expect_rc "a real outside its range is refused" 2
expect_output "... naming the option" "--train-portion"
run "$DARKNET" relnas search "$data" ${tiny/--channels 4/--channels 5} --out "$TMP/bad"
expect_rc "odd channels are refused" 2
expect_output "... saying why" "C \(--channels\) must be even, got 5"
run "$DARKNET" relnas search --resume "$TMP/set" --lr-max 0.2
expect_rc "--resume with a setting of the table is refused" 2
expect_output "... naming it" "drop --lr-max"
# --time-budget (resumable) and --threads.
budget="--population 4 --generations 3 --batch 16 --train-batches 400 --valid-batches 2 --channels 4 --cells 3"
run "$DARKNET" relnas search "$data" $budget --time-budget 1s --threads 1 --out "$TMP/budget"
expect_rc "a search whose time budget (1s) cannot hold its 3 generations" 0
expect_output "... runs on the threads asked" "on the CPU, 1 thread$"
expect_output "... ends the generations at a boundary, saying so" \
    "^time budget 0m01s: the generations end after 1 of 3 .*the result is chosen from this population$"
expect_output "... chooses its result from that population" "^the time budget ended the generations after 1 of the 3 asked$"
[ -s "$TMP/budget/final.genotype" ] && [ "$(grep -c ',final,' "$TMP/budget/log.csv")" = 4 ] &&
    [ "$(grep -c -E ',(fast|slow),' "$TMP/budget/log.csv")" = 4 ] &&
    pass "... writes final.genotype, 1 generation's rows and the re-score" || fail "... its files" "$(cat "$TMP/budget/log.csv")"
run "$DARKNET" relnas search "$data" ${budget/--train-batches 400/--train-batches 4} --time-budget 10h --out "$TMP/roomy"
expect_output "a budget that holds the search changes nothing" "^generation 3/3 done"
echo "$OUT" | grep -q "time budget" && fail "... and says nothing of it" "$OUT" || pass "... and says nothing of it"
run "$DARKNET" relnas search --resume "$TMP/roomy" --time-budget 2h30m
expect_rc "--resume takes a new time budget (a resumable setting)" 0
expect_output "... and runs with it" "^settings: .*time_budget 2h30m, "
run "$DARKNET" relnas search "$data" $budget --time-budget soon --out "$TMP/bad"
expect_rc "a budget that is not a duration is refused" 2
expect_output "... naming the option and the forms" "--time-budget: expected a duration \\(90s, 20m, 1h30m\\)"
run "$DARKNET" relnas search --resume "$TMP/roomy" --time-budget 1h30
expect_rc "... on --resume too" 2
finish
