#!/usr/bin/env bash
# Mutated cfgs never crash or hang Darknet: 500 small edits (seeded, mutate_cfg.py) of
# generated search, CIFAR and YOLO cfgs, each run through `darknet ops` (Darknet's parser
# and network construction) and `darknet relnas check`. Each must exit by itself with 0
# (the edit made another valid network) or 1 (a clear error), never by a signal or a hang.
. "$(dirname "$0")/../lib.sh"

SEED=${RELNAS_MUTATION_SEED:-14}
COUNT=500

# Small versions of each preset: the edits are about the text, and a small network keeps
# 1000 runs within a couple of minutes.
"$DARKNET" relnas cfg RelativeNAS --preset search --channels 8 --cells 3 --batch 2 -o "$TMP/search.cfg" > /dev/null 2>&1 &&
"$DARKNET" relnas cfg DARTS_V2 --preset cifar --channels 8 --cells 3 --batch 2 -o "$TMP/cifar.cfg" > /dev/null 2>&1 &&
"$DARKNET" relnas cfg RelativeNAS --preset yolo --size 64 --channels 8 --cells 3 --batch 2 -o "$TMP/yolo.cfg" > /dev/null 2>&1 ||
    { fail "generate the cfgs to mutate"; finish; exit; }
for f in search cifar yolo; do
    run "$DARKNET" ops "$TMP/$f.cfg"
    expect_rc "the unmutated $f cfg builds" 0
done

python3 "$(dirname "$0")/mutate_cfg.py" "$SEED" "$COUNT" "$TMP/m" "$TMP/search.cfg" "$TMP/cifar.cfg" "$TMP/yolo.cfg" ||
    { fail "mutate_cfg.py"; finish; exit; }
[ "$(wc -l < "$TMP/m/LIST")" -eq "$COUNT" ] && pass "$COUNT mutants (seed $SEED)" || fail "$COUNT mutants"

# The same mutant twice gives the same text: the seed reproduces a failure.
python3 "$(dirname "$0")/mutate_cfg.py" "$SEED" 3 "$TMP/again" "$TMP/search.cfg" "$TMP/cifar.cfg" "$TMP/yolo.cfg"
cmp -s "$TMP/m/m0002.cfg" "$TMP/again/m0002.cfg" && pass "mutants are reproducible from the seed" || fail "mutants reproducible"

signals=0 refused=0 accepted=0 unclear=0
failures=()
while IFS=$'\t' read -r file base edits; do
    for cmd in ops "relnas check --quiet"; do
        # 60 s: a hang, not a slow run (each takes well under a second).
        OMP_NUM_THREADS=1 timeout 60 "$DARKNET" $cmd "$file" > /dev/null 2> "$TMP/err"
        rc=$?
        case $rc in
            0) accepted=$((accepted + 1)) ;;
            1) refused=$((refused + 1))
               # A refusal names the file and a line (or says the file is unreadable).
               grep -qE "^$file(:[0-9]+)?: " "$TMP/err" || { unclear=$((unclear + 1)); failures+=("$cmd $file ($base: $edits): exit 1 without a FILE:LINE: message: $(tail -n 1 "$TMP/err")"); } ;;
            *) signals=$((signals + 1)); failures+=("$cmd $file ($base: $edits): exit status $rc: $(tail -n 2 "$TMP/err" | tr '\n' ' ')") ;;
        esac
    done
done < "$TMP/m/LIST"

echo "# $COUNT mutants x 2 commands: $accepted runs exit 0, $refused exit 1, $signals by a signal, a hang or another status"
[ "$signals" -eq 0 ] && pass "no mutant ends by a signal or a hang" || fail "no mutant ends by a signal or a hang" "${failures[@]:0:10}"
[ "$unclear" -eq 0 ] && pass "every refusal names the file and line" || fail "every refusal names the file and line" "${failures[@]:0:10}"
[ "$refused" -gt 0 ] && [ "$accepted" -gt 0 ] && pass "the mutants include valid and invalid cfgs" ||
    fail "the mutants include valid and invalid cfgs" "accepted $accepted, refused $refused"

finish
