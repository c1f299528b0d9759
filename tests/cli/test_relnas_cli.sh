#!/usr/bin/env bash
# `darknet relnas` dispatch, usage and exit codes; stock commands behave as stock Darknet.
. "$(dirname "$0")/../lib.sh"

run "$DARKNET" relnas
expect_rc "relnas with no command exits 0" 0
expect_output "relnas with no command lists its commands, one line each" '^  layers +list '

run "$DARKNET" relnas no-such-command
expect_rc "unknown relnas command exits non-zero" 2
expect_output "unknown relnas command names it" "unknown command 'no-such-command'"
expect_output "unknown relnas command prints the usage" '^usage: darknet relnas'

run "$DARKNET" relnas layers
expect_rc "relnas layers exits 0" 0

cat > "$TMP/bad.cfg" <<'CFG'
[net]
width=8
height=8
channels=3

[convolutional]
filters=2
size=3

[not_a_layer]
size=2
CFG
run "$DARKNET" ops "$TMP/bad.cfg"
expect_rc "a cfg with an unknown section fails" 1
expect_output "the error names file, line and section" "$TMP/bad.cfg:10: \[not_a_layer\] \(layer 1\): unknown section type"

stock=$RELNAS_ROOT/build/darknet/cfg/cifar.test.cfg
run "$DARKNET" speed "$stock" 2
expect_rc "stock cifar.test.cfg loads and runs forward passes (darknet speed)" 0
expect_output "darknet speed reports its timing" '^Speed: '

run "$DARKNET" not-a-darknet-command
expect_output "stock dispatch is unchanged for unknown commands" '^Not an option: not-a-darknet-command'

finish
