#!/usr/bin/env bash
# scripts/bench-network runs end to end on a tiny network (no figure is asserted: timings are
# the benchmark's, not a test's): its default of 3 alternating rounds, the measured peaks, the
# training and predict tables with their ratios, --profile's op table whose shares add up, and
# --before with an earlier build's bench_train (here the same binary) in the same rounds.
. "$(dirname "$0")/../lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

if ! /usr/bin/python3 -c "import torch" 2>/dev/null; then
    skip "bench-network end to end" "python3-torch missing (make test installs it as root)"
    finish; exit
fi
small="--channels 4 --cells 3 --batch 4 --steps 1"
run "$ROOT/scripts/bench-network" $small --no-predict --profile
expect_rc "bench-network --no-predict --profile exits 0" 0
expect_output "... measures the machine's peaks" "^machine peaks measured now, 2 threads: SGEMM [0-9.]+ GFLOP/s"
expect_output "... 3 rounds by default" "median of 3 rounds"
expect_output "... ours, PyTorch and their ratio" "^ratio +[0-9.]+x"
expect_output "... the op table's rows" "^pointwise forward +[0-9]+ +[0-9.]+ +[0-9.]+%"
shares=$(echo "$OUT" | awk '/^  backward .*forward .*update/ { gsub(/[a-z%,]/, ""); s = 0; for (i = 1; i <= NF; i++) s += $i; print s }')
awk -v s="$shares" 'BEGIN { exit !(s > 99.5 && s < 100.5) }' &&
    pass "... the phases' shares add up to 100 % ($shares)" || fail "... the phases' shares add up to 100 %" "got '$shares'"
if echo "$OUT" | grep -q "predict"; then fail "--no-predict still predicted"; else pass "--no-predict leaves predict out"; fi

bench_train=$(cd "$ROOT" && make -s bench | awk '{ print $NF }')
run "$ROOT/scripts/bench-network" $small --rounds 1 --before "$bench_train"
expect_rc "bench-network --before exits 0" 0
expect_output "... the earlier build's row" "^before +[0-9.]+"
expect_output "... its speed-up" "^speed-up +[0-9.]+x"
expect_output "... predicts at batch 1 and 32 by default" "batch 1 img/s .*batch 32 img/s"
finish
