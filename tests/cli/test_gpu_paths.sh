#!/usr/bin/env bash
# The device choice on the command line, in every build: Darknet's -nogpu and -i N (which
# left NULLs in argv: a segfault), -gpus N, and a GPU build on a machine without a usable
# GPU (one line naming the CUDA error and -nogpu, exit 1; with -nogpu its CPU path runs:
# the whole suite runs that way there, see tests/run-tests).
. "$(dirname "$0")/../lib.sh"
bin=${RELNAS_DARKNET_BINARY:-$DARKNET}
gpu=${RELNAS_TEST_GPU:-no: RELNAS_TEST_GPU unset}
gpu_build=$([[ "$(ldd "$bin" 2>/dev/null)" == *libcudart* ]] && echo 1 || echo 0)

run "$bin" relnas genotype RelativeNAS -nogpu
expect_rc "-nogpu after a relnas command (argv had a NULL where -nogpu was)" 0
expect_output "... and the command ran" "^Genotype\(normal="
run "$bin" -nogpu relnas genotype RelativeNAS
expect_rc "-nogpu before the command" 0
run "$bin" relnas genotype -nogpu
expect_rc "-nogpu taken away leaves no NULL argument behind (a missing genotype is a named error)" 2
run "$bin" relnas layers -i 0 -nogpu
expect_rc "-i 0 with -nogpu (two arguments removed)" 0
run "$bin" -nogpu
expect_rc "darknet -nogpu alone: Darknet's usage, no crash" 0
expect_output "... the usage line" "^usage: .* <function>"
run "$bin" -i 0 -nogpu
expect_rc "darknet -i 0 -nogpu alone: the usage, no crash" 0
run "$bin" relnas info -i 0 -nogpu
expect_rc "... relnas info without a cfg after -i 0 -nogpu: usage, no crash" 2

run "$bin" relnas genotype RelativeNAS -i 0
if [ "$gpu_build" = 0 ] || [ "$gpu" = yes ]; then
    expect_rc "-i 0 runs the command" 0
else
    expect_rc "a GPU build without a usable GPU refuses, exit 1" 1
    [ "$(echo "$OUT" | wc -l)" = 1 ] && pass "... in one line" || fail "... in one line" "$OUT"
    expect_output "... naming the CUDA error and -nogpu" "CUDA error: .*-nogpu"
    run "$bin" relnas genotype RelativeNAS
    expect_rc "... also without -i (GPU 0 by default)" 1
fi

run "$DARKNET" relnas valid a.data b.cfg c.weights -gpus 0
if [ "$gpu_build" = 0 ]; then
    expect_rc "-gpus 0 in a CPU build is refused" 2
    expect_output "... saying how to build for a GPU" "built without a GPU; rebuild with .make GPU=1 CUDNN=1."
elif [ "$gpu" = yes ]; then
    expect_output "-gpus 0 on a GPU: the command goes on to its data (a named error)" "a.data"
else
    expect_rc "-gpus 0 without a usable GPU is refused" 2
    expect_output "... naming the CUDA error and -nogpu" "CUDA error: .*-nogpu"
fi
if [ "$gpu_build" = 0 ]; then
    run "$DARKNET" detector train a.data b.cfg -gpus 0
    expect_rc "-gpus 0 for Darknet's own detector train in a CPU build is refused too" 1
    expect_output "... with the same message" "built without a GPU; rebuild with .make GPU=1 CUDNN=1."
fi
run "$DARKNET" relnas valid a.data b.cfg c.weights -gpus x
expect_rc "-gpus takes a number" 2

finish
