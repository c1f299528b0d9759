# TAP helpers for the shell-level tests. Source it; call `finish` at the end.
# $DARKNET is the binary under test (set by tests/run-tests).
set -u
: "${DARKNET:=$PWD/darknet}"
# Under SANITIZE=1, leak checking stays with the cmocka tests, which free what they make:
# stock commands such as `classifier train` and `speed` exit without freeing their network.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
# Under SANITIZE=1 (3-5x slower) long trainings run a few iterations: the code paths are
# checked for memory errors; what they learn is checked by the plain `make test`.
# OpenMP threads that spin while waiting starve each other when processes share the cores.
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-passive}
SANITIZED=$([ "${RELNAS_SANITIZE:-0}" = 1 ] && echo 1 || echo 0)
TAP_COUNT=0
TAP_FAILED=0
TMP=${KEEP_TMP:-$(mktemp -d)}
mkdir -p "$TMP"
[ -n "${KEEP_TMP:-}" ] || trap 'rm -rf "$TMP"' EXIT

pass() { TAP_COUNT=$((TAP_COUNT + 1)); echo "ok $TAP_COUNT - $1"; }
fail() {
    TAP_COUNT=$((TAP_COUNT + 1)); TAP_FAILED=$((TAP_FAILED + 1))
    echo "not ok $TAP_COUNT - $1"
    shift
    for line in "$@"; do echo "# $line"; done
}
skip() { TAP_COUNT=$((TAP_COUNT + 1)); echo "ok $TAP_COUNT - $1 # SKIP $2"; }

# run CMD...: runs a command, keeping its exit status in $RC and output in $OUT.
run() { OUT=$("$@" 2>&1); RC=$?; }

# expect_rc DESC WANT: passes when the last `run` exited with status WANT ("nonzero" for any but 0).
expect_rc() {
    local ok=0
    if [ "$2" = nonzero ]; then [ "$RC" -ne 0 ] && ok=1; else [ "$RC" -eq "$2" ] && ok=1; fi
    if [ $ok = 1 ]; then pass "$1"; else fail "$1" "exit status $RC, wanted $2" "output: $(echo "$OUT" | tail -n 5)"; fi
}

# expect_output DESC REGEX: passes when the last `run` printed a line matching REGEX.
expect_output() {
    if echo "$OUT" | grep -qE -- "$2"; then pass "$1"; else fail "$1" "no line matches /$2/" "output: $(echo "$OUT" | tail -n 5)"; fi
}

# expect_at_least DESC VALUE MIN: passes when VALUE >= MIN; below it fails, except under
# SANITIZE=1, whose trainings are too short to learn: a skip that shows the value.
expect_at_least() {
    if awk -v a="${2:-0}" -v m="$3" 'BEGIN { exit !(a >= m) }'; then pass "$1: $2"
    elif [ "$SANITIZED" = 1 ]; then skip "$1" "SANITIZE=1 trains a few iterations only (got ${2:-nothing})"
    else fail "$1" "got '${2:-nothing}', wanted at least $3" "output: $(echo "$OUT" | tail -n 5)"; fi
}

finish() { echo "1..$TAP_COUNT"; [ "$TAP_FAILED" -eq 0 ]; }

# wait_while_running PID CONDITION...: polls CONDITION while PID runs, for up to an hour (a
# sanitizer build on a loaded CI machine is many times slower than a desk's plain build, so
# a limit of seconds fails there); CONDITION's status once it holds or PID has ended.
wait_while_running() {
    local pid=$1; shift
    for _ in $(seq 72000); do
        "$@" && return 0
        kill -0 "$pid" 2> /dev/null || { "$@"; return; }
        sleep 0.05
    done
    return 1
}
has_lines() { [ -f "$1" ] && [ "$(wc -l < "$1")" -ge "$2" ]; } # FILE N
