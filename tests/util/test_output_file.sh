#!/usr/bin/env bash
# Writes never lie (plugin/util/output_file.c, through the commands that write files): a
# write to a device fails with its reason and leaves the device alone; a symlink is followed,
# a FIFO written in place, a directory refused; a failed write keeps the old file; output to
# standard output that cannot be written is an error.
. "$(dirname "$0")/../lib.sh"

if [ -c /dev/full ]; then
    run "$DARKNET" relnas cfg RelativeNAS -o /dev/full
    expect_rc "relnas cfg -o /dev/full fails" 1
    expect_output "... naming the device and the reason" "/dev/full: cannot write: No space left on device"
    [ -c /dev/full ] && pass "... and /dev/full is still a character device" || fail "... and /dev/full is still a character device" "$(ls -la /dev/full)"
    OUT=$("$DARKNET" relnas genotype RelativeNAS 2>&1 >/dev/full); RC=$?
    expect_rc "relnas genotype > /dev/full fails" 1
    expect_output "... saying standard output could not be written" "relnas genotype: cannot write standard output: No space left on device"
else
    skip "writes to /dev/full" "no /dev/full on this machine"
fi

ln -s real.cfg "$TMP/link.cfg"
run "$DARKNET" relnas cfg RelativeNAS -o "$TMP/link.cfg"
expect_rc "a dangling symlink as the output" 0
[ -L "$TMP/link.cfg" ] && [ -f "$TMP/real.cfg" ] && grep -q '^\[net\]' "$TMP/real.cfg" &&
    pass "... is followed: the link stays, the file it names is written" || fail "... is followed" "$(ls -la "$TMP")"
run "$DARKNET" relnas cfg DARTS_V2 -o "$TMP/link.cfg"
[ -L "$TMP/link.cfg" ] && grep -q 'DARTS_V2' "$TMP/real.cfg" && pass "a symlink to a file: the file is replaced, not the link" ||
    fail "a symlink to a file: the file is replaced, not the link" "$(ls -la "$TMP")"

mkfifo "$TMP/fifo"
cat "$TMP/fifo" > "$TMP/from_fifo" &
reader=$!
run "$DARKNET" relnas cfg RelativeNAS -o "$TMP/fifo"
wait $reader
expect_rc "a FIFO as the output" 0
[ -p "$TMP/fifo" ] && grep -q '^\[net\]' "$TMP/from_fifo" && pass "... is written in place, and stays a FIFO" ||
    fail "... is written in place, and stays a FIFO" "$(ls -la "$TMP")"

run "$DARKNET" relnas cfg RelativeNAS -o "$TMP"
expect_rc "a directory as the output is refused" 1
expect_output "... saying so" "is a directory: expected a file path"

cp "$TMP/real.cfg" "$TMP/before.cfg"
run "$DARKNET" relnas cfg "Genotype(normal=[('nope', 0)])" -o "$TMP/real.cfg"
expect_rc "a failed cfg write" 1
cmp -s "$TMP/real.cfg" "$TMP/before.cfg" && [ ! -e "$TMP/real.cfg.tmp" ] &&
    pass "... keeps the old file and leaves no temporary file" || fail "... keeps the old file" "$(ls -la "$TMP")"
finish
