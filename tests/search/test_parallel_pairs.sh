#!/usr/bin/env bash
# `darknet relnas search --parallel-pairs` (docs/scale.md): one process without MPI, and
# under mpirun with an MPI build (`make MPI=1`; RELNAS_MPI=1 says the binary has it): the
# same seed gives the same final.genotype and log for 1, 2 and 3 ranks and for one process
# without mpirun; a rank killed mid-search stops the job with a message naming it, and
# --resume on another number of ranks reaches the uninterrupted result. Without mpirun or
# an MPI build the MPI cases are skipped, named.
. "$(dirname "$0")/../lib.sh"

python3 "$(dirname "$0")/tiny_idx.py" "$TMP" 5
data="idx:$TMP/images.gz,$TMP/labels.gz"
# 3 pairs: with 2 ranks one rank trains two pairs, with 3 each one, with 4 one rank idles.
# --select-batches: the selection's cells trained alone, cell t of a round on rank t mod N.
tiny="--population 6 --generations 2 --batch 16 --train-batches 4 --valid-batches 2 --channels 4 --cells 3 --seed 11 --select-batches 3 --select-rounds 2 --select-all-cells 1"
export OMP_NUM_THREADS=1 # one thread per rank: the same arithmetic for every rank count

# same_result A B: the same final.genotype and the same figures in log.csv (seconds aside)
same_result() {
    cmp -s "$1/final.genotype" "$2/final.genotype" && [ -s "$1/final.genotype" ] &&
        diff -q <(cut -d, -f1-7 "$1/log.csv") <(cut -d, -f1-7 "$2/log.csv") > /dev/null
}

run "$DARKNET" relnas search "$data" $tiny --parallel-pairs --out "$TMP/one"
expect_rc "--parallel-pairs runs in one process" 0
expect_output "... saying so" "^parallel pairs: .* on 1 rank "
grep -q "^exchange: pairs' writes [0-9]+ bytes" -E "$TMP/one/log.txt" && pass "... logging the bytes each generation exchanges" ||
    fail "... logging the bytes each generation exchanges"
run "$DARKNET" relnas search "$data" $tiny --out "$TMP/sequential"
expect_rc "the sequential search (the default) still runs" 0
! grep -q "^parallel pairs" "$TMP/sequential/log.txt" && pass "... without the parallel mode" || fail "... without the parallel mode"

if ! command -v mpirun > /dev/null; then
    for t in "1, 2 and 3 ranks give one result" "a killed rank stops the job, named" "resume on another rank count"; do
        skip "$t" "mpirun not found (Debian's openmpi-bin; make MPI=1 installs it as root)"
    done
    finish; exit
fi
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 # CI runs as root
export OMPI_MCA_rmaps_base_oversubscribe=1 # more ranks than the machine's cores
mpirun_n() { local n=$1; shift; mpirun -np "$n" --oversubscribe "$@"; }

if [ "${RELNAS_MPI:-0}" != 1 ]; then
    run mpirun_n 2 "$DARKNET" relnas search "$data" $tiny --parallel-pairs --out "$TMP/nompi"
    expect_rc "a darknet built without MPI refuses to run as several ranks" nonzero
    expect_output "... naming the fix" "built without MPI: rebuild with .make MPI=1."
    for t in "1, 2 and 3 ranks give one result" "a killed rank stops the job, named" "resume on another rank count"; do
        skip "$t" "this darknet was built without MPI (README: Tests; .ci/run builds MPI=1 and runs this test)"
    done
    finish; exit
fi

for n in 1 2 3 4; do
    run mpirun_n $n "$DARKNET" relnas search "$data" $tiny --parallel-pairs --out "$TMP/np$n"
    expect_rc "mpirun -np $n: the search runs" 0
    same_result "$TMP/one" "$TMP/np$n" && pass "... with the result and log of one process" ||
        fail "... with the result and log of one process" "$(diff <(cut -d, -f1-7 "$TMP/one/log.csv") <(cut -d, -f1-7 "$TMP/np$n/log.csv") | head -4)"
done
expect_output "ranks report once, through rank 0" "^parallel pairs: .* on 4 ranks"
[ "$(ls "$TMP/np4" | wc -l)" = "$(ls "$TMP/one" | wc -l)" ] && pass "... which alone writes the run directory" ||
    fail "... which alone writes the run directory" "$(ls "$TMP/np4")"

run mpirun_n 2 "$DARKNET" relnas search "$data" $tiny --out "$TMP/seq2"
expect_rc "2 ranks without --parallel-pairs are refused" 1
expect_output "... naming the option" "2 ranks need --parallel-pairs"

# Generations of a few seconds each, so that the job is still running when rank 1 is killed
# after the first one (with 60 batches the rest of the job could end first on a busy machine).
killable="--population 4 --generations 3 --batch 16 --train-batches 240 --valid-batches 4 --channels 4 --cells 3 --seed 5"
run mpirun_n 2 "$DARKNET" relnas search "$data" $killable --parallel-pairs --out "$TMP/whole"
expect_rc "an uninterrupted search for the resume test" 0

# The rank-$2 process of the job writing to $1: among the processes whose command line names
# that directory, the one whose environment says so.
rank_pid() {
    local pid
    for pid in $(pgrep -f -- "--out $1"); do
        { tr '\0' '\n' < "/proc/$pid/environ"; } 2> /dev/null | grep -qx "OMPI_COMM_WORLD_RANK=$2" &&
            { echo "$pid"; return 0; }
    done
    return 1
}
mpirun_n 2 "$DARKNET" relnas search "$data" $killable --parallel-pairs --out "$TMP/killed" > "$TMP/killed.out" 2>&1 &
JOB=$!
wait_while_running $JOB grep -q "^generation 1/3 done" "$TMP/killed/log.txt" 2> /dev/null
victim=
for _ in $(seq 40); do victim=$(rank_pid "$TMP/killed" 1) && break; sleep 0.05; done
[ -n "$victim" ] && kill -KILL "$victim"
wait $JOB; RC=$?; OUT=$(cat "$TMP/killed.out")
expect_rc "a job whose rank 1 is killed mid-search stops" nonzero
expect_output "... with a message naming rank 1" "rank 1 .*(signal 9|Killed)"
[ ! -e "$TMP/killed/final.genotype" ] && [ -s "$TMP/killed/checkpoint" ] && pass "... leaving a checkpoint and no result" ||
    fail "... leaving a checkpoint and no result" "$(ls "$TMP/killed")"
run mpirun_n 1 "$DARKNET" relnas search --resume "$TMP/killed"
expect_rc "--resume on 1 rank continues the 2-rank search" 0
expect_output "... from a generation boundary" "^resuming $TMP/killed at generation [23]/3, pair 1/2"
same_result "$TMP/whole" "$TMP/killed" && pass "... to the uninterrupted result and log" ||
    fail "... to the uninterrupted result and log" "$(diff <(cut -d, -f1-7 "$TMP/whole/log.csv") <(cut -d, -f1-7 "$TMP/killed/log.csv") | head -4)"
finish
