#!/usr/bin/env bash
# `darknet relnas genotype`, `cfg` and `info` as a user runs them.
. "$(dirname "$0")/../lib.sh"

run "$DARKNET" relnas genotype RelativeNAS
expect_rc "genotype prints a bundled genotype" 0
expect_output "... in the official repr" "^Genotype\(normal=\[\('sep_conv_3x3', 0\), \('dil_conv_5x5', 1\)"

run "$DARKNET" relnas genotype "0.5 3.5 1.2 4.1 2.5 5.5 0.1 3.9 1 1 3.5 2 4.2 6.9 0.5 3 1 1 1 2 2.5 7 1.5 0 3.9 6 0.2 1 1 5 4.9 4"
expect_rc "genotype decodes a 32-number vector" 0
expect_output "... to the right ops and inputs" "^Genotype\(normal=\[\('sep_conv_3x3', 0\), \('sep_conv_5x5', 1\), \('dil_conv_3x3', 2\)"

run "$DARKNET" relnas genotype genotypes/darts_v2.genotype
expect_output "genotype reads a file" "\('dil_conv_3x3', 2\)\], normal_concat=\[2, 3, 4, 5\]"

run "$DARKNET" relnas genotype "Genotype(normal=[('sep_conv_7x7', 0)"
expect_rc "an op outside the space is an error" 1
expect_output "... naming the op and where" "1:19: op 'sep_conv_7x7' is not in the search space"

run "$DARKNET" relnas genotype NoSuchGenotype
expect_rc "an unknown name is an error" 1
expect_output "... listing the bundled ones" "neither a bundled genotype \(RelativeNAS, DARTS_V1, DARTS_V2, DARTS\)"

run "$DARKNET" relnas cfg DARTS_V2 --preset cifar --channels 8 --cells 5 -o "$TMP/d.cfg"
expect_rc "cfg writes a network" 0
[ -s "$TMP/d.cfg" ] && ! [ -e "$TMP/d.cfg.tmp" ] && pass "cfg leaves the file and no temporary" || fail "cfg output file"
grep -q "^# node 3 = skip_connect(state 0) + dil_conv_3x3(state 2)" "$TMP/d.cfg" &&
    pass "the cfg names each node and op" || fail "cfg comments" "$(grep '^# node' "$TMP/d.cfg" | head -3)"

run "$DARKNET" relnas info "$TMP/d.cfg"
expect_rc "info reads the generated cfg" 0
expect_output "info lists the stages" "^  cell 4 \(normal, C=32\) +8x8x128"
expect_output "info sets the auxiliary head apart" "^parameters: .* without the auxiliary head; auxiliary head"
expect_output "a CIFAR cfg's backbone counts its auxiliary layers and says its stem is not the detector's" \
    "^backbone \(stem and cells\): layers 0-[0-9]+, 5 of them the auxiliary head's; its stem is the CIFAR preset's"

# The count `partial` needs is the detector's own: the layers its cfg holds before the first
# YOLO head (independent of info: counted from the yolo preset's sections).
run "$DARKNET" relnas cfg DARTS_V2 --preset imagenet --no-auxiliary --channels 8 --cells 5 -o "$TMP/dn.cfg"
run "$DARKNET" relnas cfg DARTS_V2 --preset yolo --channels 8 --cells 5 --size 96 -o "$TMP/dy.cfg"
detector_backbone=$(awk '/^# stage: YOLO head/ {print n - 1; exit} /^\[/ {++n}' "$TMP/dy.cfg")
run "$DARKNET" relnas info "$TMP/dn.cfg" --no-memory
expect_output "info names the backbone's layers and how to cut them, with the binary as invoked" \
    "^  $RELNAS_DARKNET_BINARY partial CLASSIFIER.cfg CLASSIFIER.weights backbone.weights $detector_backbone$"

run "$DARKNET" relnas cfg RelativeNAS -o "$TMP/r.cfg"
run "$DARKNET" relnas info "$TMP/r.cfg"
expect_output "RelativeNAS CIFAR-10 has 3.93 M parameters" "^parameters: 3\.93 M"
expect_output "info says which layers nothing reads" "^unused layers .*\(cell 6 \(reduction, C=72\)\)"

# The memory measurement runs a YOLO network in training mode: Darknet's [yolo] layer prints a
# "Region ... Avg IOU" line per forward pass, which info keeps to itself.
run "$DARKNET" relnas cfg RelativeNAS --preset yolo --channels 8 --cells 5 --size 96 -o "$TMP/y.cfg"
run "$DARKNET" relnas info "$TMP/y.cfg"
expect_rc "info reads a YOLO cfg" 0
expect_output "... and prints its memory" "^memory"
echo "$OUT" | grep -q "Region" && fail "... without Darknet's Region lines" "$(echo "$OUT" | grep -m 2 Region)" ||
    pass "... without Darknet's Region lines"

run "$DARKNET" relnas cfg RelativeNAS --preset nope
expect_rc "an unknown preset is an error" 2
expect_output "... naming it" "unknown preset 'nope'"

run "$DARKNET" relnas cfg RelativeNAS --channels 7
expect_rc "odd channels are refused" 2

run "$DARKNET" relnas cfg RelativeNAS --cells many
expect_output "a non-number option is named" "--cells must be an integer in \[1, 1000\], got 'many'"

run "$DARKNET" relnas cfg RelativeNAS --wat 3
expect_output "an unknown option is named" "unexpected argument '--wat'"

run "$DARKNET" relnas draw RelativeNAS -o "$TMP/rn.dot"
expect_rc "draw writes the graph text" 0
grep -q 'reduce_s3 -> reduce_s5 \[label="dil_conv_5x5"\]' "$TMP/rn.dot" &&
    grep -q 'normal_s0 -> normal_s5 \[label="skip_connect"\]' "$TMP/rn.dot" &&
    ! grep -q 'reduce_s0 ->' "$TMP/rn.dot" &&
    pass "the graph has each edge with its op, and none from the unused reduction s0" ||
    fail "draw's edges" "$(grep -- '->' "$TMP/rn.dot" | head -4)"
if command -v dot >/dev/null; then
    run "$DARKNET" relnas draw DARTS_V2 -o "$TMP/d.png"
    expect_rc "draw renders a PNG with Graphviz" 0
    [ "$(head -c 4 "$TMP/d.png" | tail -c 3)" = PNG ] && pass "... which is a PNG" || fail "... which is a PNG"
else
    skip "draw renders a PNG" "Graphviz's dot is not installed (make test installs graphviz as root)"
fi
run "$DARKNET" relnas draw DARTS_V2 -o "$TMP/d.gif"
expect_output "draw names the formats it writes" "must end in .png, .svg, .pdf or .dot"

finish
