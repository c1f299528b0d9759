#!/usr/bin/env bash
# scripts/eval-search and scripts/rank-correlation: their statistics against hand-computed
# values and the textbook formula (scripts/relnas_eval.py), the acceptance verdict on made-up
# results, reading a search's log.csv, and a tiny end-to-end evaluation on Fashion-MNIST.
. "$(dirname "$0")/../lib.sh"
SCRIPTS="$(cd "$(dirname "$0")/../../scripts" && pwd)"

run /usr/bin/python3 - "$SCRIPTS" <<'PYEOF'
import math, random, sys
from importlib.machinery import SourceFileLoader
sys.path.insert(0, sys.argv[1])
import relnas_eval as ev

def close(a, b, tol=1e-9):
    assert abs(a - b) <= tol, (a, b)

m, se = ev.mean_se([1, 2, 3, 4])
close(m, 2.5); close(se, math.sqrt(5 / 3) / 2)          # sample std sqrt(5/3), over sqrt(4)
assert math.isnan(ev.mean_se([7])[1])
m, se = ev.group_mean_se([[1, 3], [2, 2], [5, 7]])        # cell means 2, 2, 6
close(m, 10 / 3); close(se, math.sqrt(16 / 3) / math.sqrt(3))
assert ev.ranks([10, 20, 20, 5]) == [2, 3.5, 3.5, 1]
close(ev.spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]), 8 / math.sqrt(95))  # by hand, with a tie
close(ev.spearman([1, 2, 3], [3, 2, 1]), -1)
rng = random.Random(4)
for _ in range(20):                                         # no ties: 1 - 6 sum d^2 / (n (n^2 - 1))
    n = rng.randint(3, 12)
    x, y = [rng.random() for _ in range(n)], [rng.random() for _ in range(n)]
    rx, ry = ev.ranks(x), ev.ranks(y)
    close(ev.spearman(x, y), 1 - 6 * sum((a - b) ** 2 for a, b in zip(rx, ry)) / (n * (n * n - 1)), 1e-12)
close(ev.spearman_null_p(1.0, 5), 1 / 120, 0.004)           # one order of 5! is perfect

es = SourceFileLoader("eval_search", sys.argv[1] + "/eval-search").load_module()
class A: seeds, random, random_seeds = 5, 8, 3
rows = [("searched seed 1", 0, [0.84] * 5), ("searched seed 2", 0, [0.83] * 5), ("searched seed 3", 0, [0.8365] * 5),
        ("RelativeNAS", 0, [0.835, 0.845, 0.84, 0.84, 0.84])]
rows += [(f"random {i}", 0, [0.82 + 0.001 * i] * 3) for i in range(8)]
text = es.verdicts(rows, A)
# random: cell means 0.820..0.827, mean 0.8235, SE = std / sqrt(8) = 0.000866; threshold 82.52
assert "mean 82.35 +- 0.09" in text, text
assert "searched seed 1: 84.00; beats random + 2 SE: yes; within 0.3 of the published cell: yes: PASS" in text, text
assert "searched seed 2: 83.00; beats random + 2 SE: yes; within 0.3 of the published cell: no: FAIL" in text, text
# 0.35 below the published 84.00: within 0.5, not within the 0.3 of issue 26
assert "searched seed 3: 83.65; beats random + 2 SE: yes; within 0.3 of the published cell: no: FAIL" in text, text
A.seeds = 3
assert "no verdict: below the protocol's --seeds 5" in es.verdicts(rows, A)

rc = SourceFileLoader("rank_correlation", sys.argv[1] + "/rank-correlation").load_module()
import tempfile, os
d = tempfile.mkdtemp()
with open(os.path.join(d, "log.csv"), "w") as f:
    f.write('generation,pair,candidate,role,train_loss,valid_loss,valid_accuracy,seconds,genotype\n'
            '1,1,0,fast,1,0.9,0.5,1,"G(a, 1)"\n1,1,1,slow,1,1.1,0.5,1,"G(b, 2)"\n'
            '2,1,1,fast,1,0.7,0.5,1,"G(b, 2)"\n2,1,0,slow,1,0.8,0.5,1,"G(a, 1)"\n'
            '2,2,2,fast,1,0.6,0.5,1,"G(a, 1)"\n2,2,3,slow,1,0.95,0.5,1,"G(c, 3)"\n'
            '2,0,0,final,nan,0.5,0.6,1,"G(a, 1)"\n2,0,1,final,nan,0.4,0.6,1,"G(b, 2)"\n'
            '2,0,2,final,nan,0.7,0.6,1,"G(a, 1)"\n2,0,3,final,nan,0.9,0.6,1,"G(c, 3)"\n')
cells = {g: (r, p, s) for g, r, p, s in rc.last_generation(os.path.join(d, "log.csv"))}
assert set(cells) == {"G(a, 1)", "G(b, 2)", "G(c, 3)"}, cells
close(cells["G(a, 1)"][0], 0.6); close(cells["G(a, 1)"][1], 0.7)   # two members: means
close(cells["G(b, 2)"][0], 0.4); close(cells["G(b, 2)"][1], 0.7)   # the last generation's pair loss
assert cells["G(c, 3)"][2] is None  # no selection by training alone in this search
with open(os.path.join(d, "log.csv"), "a") as f:  # --select-batches: a row per cell and round (the pair column)
    f.write('3,1,0,alone,0.3,0.45,0.8,9,"G(a, 1)"\n3,1,1,alone,0.3,0.5,0.7,9,"G(b, 2)"\n'
            '3,1,4,alone,0.4,0.6,0.55,9,"G(c, 3)"\n3,1,5,alone,0.4,0.6,0.35,9,"G(d, 4)"\n'
            '3,2,0,alone,0.2,0.3,0.9,9,"G(a, 1)"\n')  # round 2 is not what the first round measured
cells = {g: s for g, r, p, s in rc.last_generation(os.path.join(d, "log.csv"))}
close(cells["G(a, 1)"], 0.8); close(cells["G(b, 2)"], 0.7); close(cells["G(c, 3)"], 0.55)
print("statistics ok")
PYEOF
expect_rc "statistics, verdicts and log reading of eval-search and rank-correlation" 0
expect_output "... all checked" "^statistics ok"

# The judge's default recipe (issue 26: under it the published cell stands above the random
# cells) and rank-correlation's, the search selection's recipe it is compared with.
run "$SCRIPTS/eval-search" --help
expect_output "eval-search's default recipe: 30000 images per run" "training images per run \\(default 30000\\)"
expect_output "... batch 128" "images per batch \\(default 128\\)"
run "$SCRIPTS/rank-correlation" --help
expect_output "rank-correlation's default recipe: 12000 images, batch 64" "training images per run \\(default 12000\\)"
expect_output "... batch 64" "images per batch \\(default 64\\)"

if [ "$SANITIZED" = 1 ]; then
    skip "eval-search end to end" "SANITIZE=1: trainings through ASan take minutes"
elif [ -n "${RELNAS_FASHION_MNIST:-}" ] && [ -r "$RELNAS_FASHION_MNIST/t10k-images-idx3-ubyte.gz" ]; then
    echo "$(cat "$(dirname "$0")/../../genotypes/relativenas.genotype" 2>/dev/null || echo RelativeNAS)" > "$TMP/found.genotype"
    # eval-search on tiny settings (8 trainings of a few batches) into $TMP/ev; $1: images per run
    tiny_eval() {
        run env RELNAS_FASHION_MNIST="$RELNAS_FASHION_MNIST" "$SCRIPTS/eval-search" --searched "$TMP/found.genotype" \
            --seeds 2 --random 2 --random-seeds 2 --images "$1" --batch 16 --channels 2 --cells 3 --jobs 2 \
            --threads 2 --out "$TMP/ev" --markdown "$TMP/ev.md"
    }
    tiny_eval 32
    expect_rc "eval-search end to end on tiny settings (8 trainings of 2 batches)" 0
    expect_output "... a row per cell with mean +- SE over its seeds" "^\| random 2 \| [0-9.]+ M \| [0-9.]+ \+- [0-9.]+ \| 2 \| "
    expect_output "... the random group and no verdict below the protocol" "^searched 1: .*no verdict: below the protocol's --seeds 5, --random 8, --random-seeds 3"
    grep -q '^| RelativeNAS |' "$TMP/ev.md" && grep -q '^    scripts/eval-search --searched' "$TMP/ev.md" &&
        pass "... and writes the table with its command" || fail "... and writes the table with its command"
    grep '^|' "$TMP/ev.md" > "$TMP/first-table"
    tiny_eval 32
    expect_rc "eval-search run again in the same directory (an interrupted evaluation resumes)" 0
    [ "$(echo "$OUT" | grep -c "(kept from an earlier run)")" = 8 ] && grep '^|' "$TMP/ev.md" | cmp -s - "$TMP/first-table" &&
        pass "... reads back all 8 finished trainings and writes the same table" ||
        fail "... reads back all 8 finished trainings and writes the same table"
    tiny_eval 48
    expect_rc "eval-search with another recipe (48 images) in the same directory" 0
    ! echo "$OUT" | grep -q '(kept from an earlier run)' && [ "$(echo "$OUT" | grep -c '^\[[0-9]/8\] .*top-1')" = 8 ] &&
        pass "... trains all 8 again: nothing kept from the other recipe" ||
        fail "... trains all 8 again: nothing kept from the other recipe"
else
    skip "eval-search end to end" "Fashion-MNIST not found (RELNAS_FASHION_MNIST unset; make test fetches it)"
fi
finish
