#!/usr/bin/env bash
# The cfg check (plugin/cfgcheck/): the broken cfgs users write get one line naming the
# file, line and key, exit 1, from `darknet ops` (any command that parses a cfg) and from
# `darknet relnas check`; every generated cfg and Darknet's own cfg/*.cfg still pass.
. "$(dirname "$0")/../lib.sh"

NET='[net]\nbatch=1\nwidth=32\nheight=32\nchannels=3\n'

# expect_one_line DESC FILE REGEX: `darknet ops FILE` and `relnas check FILE` exit 1, and
# ops prints exactly one line, matching REGEX.
expect_one_line() {
    local desc=$1 file=$2 regex=$3
    run "$DARKNET" ops "$file"
    if [ "$RC" -eq 1 ] && [ "$(echo "$OUT" | wc -l)" -eq 1 ] && echo "$OUT" | grep -qE -- "$regex"; then
        pass "$desc: ops exits 1 with one line"
    else
        fail "$desc: ops exits 1 with one line" "exit status $RC" "output: $(echo "$OUT" | head -n 5)"
    fi
    run "$DARKNET" relnas check --quiet "$file"
    if [ "$RC" -eq 1 ] && echo "$OUT" | grep -qE -- "$regex"; then pass "$desc: relnas check agrees"
    else fail "$desc: relnas check agrees" "exit status $RC" "output: $(echo "$OUT" | head -n 5)"; fi
}

head -c 1000 /dev/urandom > "$TMP/random.cfg"
printf '\x01\x02garbage' >> "$TMP/random.cfg"
expect_one_line "random bytes" "$TMP/random.cfg" "^$TMP/random.cfg:[0-9]+: expected a text cfg file, found byte 0x"

: > "$TMP/empty.cfg"
expect_one_line "an empty file" "$TMP/empty.cfg" "^$TMP/empty.cfg:1: expected a \[net\] section and layers, found an empty file$"

printf "batch=1\n$NET\n[convolutional]\nfilters=4\n" > "$TMP/before.cfg"
expect_one_line "a key before [net]" "$TMP/before.cfg" \
    "^$TMP/before.cfg:1: batch: expected a section header such as \[net\] before the first key"

printf "$NET\n[convolutional]\nsize=3\nfilters=-4\n" > "$TMP/filters.cfg"
expect_one_line "filters=-4" "$TMP/filters.cfg" \
    "^$TMP/filters.cfg:9: \[convolutional\] \(layer 0\): filters: expected an integer in \[1, 1048576\], found '-4'$"

printf "$NET\n[convolutional]\nfilters=4\n\n[route]\nlayers=2\n\n[convolutional]\nfilters=4\n" > "$TMP/route.cfg"
expect_one_line "a forward [route]" "$TMP/route.cfg" \
    "^$TMP/route.cfg:11: \[route\] \(layer 1\): layers: expected an earlier layer .*found 2 \(this layer or a later one\)"

printf "$NET\n[convolutional]\nfilters=72\nsize=1\n\n[yolo]\nmask=0,1,2\nanchors=10,13,16,30,33,23\nnum=3\nclasses=20\n" > "$TMP/yolo.cfg"
expect_one_line "a wrong [yolo] filter count" "$TMP/yolo.cfg" \
    "^$TMP/yolo.cfg:8: \[convolutional\] \(layer 0\): filters: expected 75 = \(classes 20 \+ 5\) x 3 masks for the \[yolo\] at line 11, found 72$"

printf '[net]\nbatch=1\nwidth=32\nheight=32\nchannels=x\n\n[convolutional]\nfilters=4\n' > "$TMP/channels.cfg"
expect_one_line "channels=x (Darknet: 'No input parameters supplied', abort)" "$TMP/channels.cfg" \
    "^$TMP/channels.cfg:5: \[net\]: channels: expected an integer in \[0, 1048576\], found 'x'$"

printf "$NET\n[convolutional]\nfilters=4\nsize=3\n\n[shortcut]\nfrom=-1\n\n[shortcut]\nfrom=-3\n" > "$TMP/shortcut.cfg"
expect_one_line "a [shortcut] before layer 0" "$TMP/shortcut.cfg" \
    "^$TMP/shortcut.cfg:15: \[shortcut\] \(layer 2\): from: expected an earlier layer .*found -3 \(before layer 0\)$"

printf "$NET\n[convolutional]\nfilters=4\nsize=3\n\n[convolutional]\nfilters=4\nstride=2\n\n[route]\nlayers=-1,-2\n\n[route]\nlayers=0,-4\n" > "$TMP/route2.cfg"
run "$DARKNET" relnas check "$TMP/route2.cfg"
expect_rc "check: several problems" 1
expect_output "... [route] of different sizes" "route2.cfg:16: \[route\] \(layer 2\): layers: expected layers of one height and width, found layer 1 15 x 15 and layer 0 30 x 30"
expect_output "... and every other problem, not only the first" "route2.cfg:19: \[route\] \(layer 3\): layers: expected an earlier layer .*found -4"
expect_output "... with the shapes it could work out" "^ +1 \[convolutional\] +line 11 +30 x +30 x +4 -> +15 x +15 x +4$"
expect_output "... and a summary" "route2.cfg: 4 layers, 2 errors, 0 warnings$"

printf '[net]\nwidth=8\nheight=8\nchannels=3\n\n[cost]\n' > "$TMP/cost.cfg"
expect_one_line "only a [cost] layer (Darknet read layers[-1] as the output)" "$TMP/cost.cfg" \
    "^$TMP/cost.cfg:6: \[cost\] \(layer 0\): expected a layer other than \[cost\] to be the network's output"

printf '[net]\nwidth=8\nheight=8\nchannels=3\ninputs=10\n\n[connected]\noutput=4\n' > "$TMP/inputs.cfg"
expect_one_line "inputs= that disagrees with the image size" "$TMP/inputs.cfg" \
    "^$TMP/inputs.cfg:5: \[net\]: inputs: expected height x width x channels = 192 \(or no inputs=\), found 10$"

for v in nan 1e30 "3," x; do
    printf "$NET\n[maxpool]\nsize=$v\n" > "$TMP/num.cfg"
    run "$DARKNET" relnas check --quiet "$TMP/num.cfg"
    expect_output "size=$v is an error, not 0" "num.cfg:8: \[maxpool\] \(layer 0\): size: expected an integer in \[1, 4096\], found '$v'"
done

# Unknown keys: a warning naming the line, an error under --strict.
printf "$NET\n[convolutional]\nfilter=8\nsize=3\n" > "$TMP/typo.cfg"
run "$DARKNET" relnas check "$TMP/typo.cfg"
expect_rc "a misspelt key is a warning" 0
expect_output "... naming file, line and key" "typo.cfg:8: \[convolutional\] \(layer 0\): filter: warning: expected a key this section reads, found an unknown key"
run "$DARKNET" relnas check --strict "$TMP/typo.cfg"
expect_rc "... an error under --strict" 1
run "$DARKNET" ops "$TMP/typo.cfg"
expect_rc "... Darknet still builds the network" 0
expect_output "... and prints the warning" "typo.cfg:8: .*filter: warning:"

printf "$NET\n[sep_conv]\nfilters=8\nfilters=4\n" > "$TMP/twice.cfg"
expect_one_line "a key given twice in a plugin section (found by fuzz_cfg)" "$TMP/twice.cfg" \
    "^$TMP/twice.cfg:9: \[sep_conv\] \(layer 0\): filters: expected each key once, found it again \(line 8: '8'\)$"

# CRLF line ends and comments after values are read as written, not misread.
printf "$NET\n[convolutional]\nfilters=8\nsize=3\nactivation=leaky\n\n[maxpool]\nsize=2\nstride=2\n" > "$TMP/lf.cfg"
sed -e 's/$/\r/' -e 's/^\(filters=8\)\r$/\1   # eight filters\r/' "$TMP/lf.cfg" > "$TMP/crlf.cfg"
grep -q $'\r' "$TMP/crlf.cfg" && grep -q '# eight' "$TMP/crlf.cfg" || fail "the CRLF cfg has CRs and a comment"
run "$DARKNET" ops "$TMP/lf.cfg"
want=$OUT
run "$DARKNET" ops "$TMP/crlf.cfg"
expect_rc "a CRLF cfg with a comment after a value loads" 0
[ "$OUT" = "$want" ] && pass "... into the same network as the LF cfg" ||
    fail "... into the same network as the LF cfg" "LF: $want" "CRLF: $OUT"
expect_output "... with the activation read (not 'leaky\\r')" "conv +8 +3 x 3 / 1 +32 x +32 x +3 +-> +30 x +30 x +8"
echo "$OUT" | grep -q "Couldn't find activation" && fail "CRLF: activation misread" "$OUT" || pass "... no misread activation"

# Every generated cfg passes, strictly (no unknown or repeated key either).
for g in RelativeNAS DARTS_V1 DARTS_V2; do
    for p in cifar imagenet search yolo; do
        "$DARKNET" relnas cfg "$g" --preset "$p" -o "$TMP/$g-$p.cfg" > /dev/null 2>&1
        run "$DARKNET" relnas check --strict --quiet "$TMP/$g-$p.cfg"
        expect_rc "generated $g --preset $p passes the strict check" 0
    done
done

# Darknet's own cfgs load (warnings allowed: some carry keys this Darknet ignores). They
# name data files relative to Darknet's root.
dn=$RELNAS_ROOT/build/darknet
if [ -d "$dn/cfg" ]; then
    bad=
    n=0
    for f in "$dn"/cfg/*.cfg; do
        n=$((n + 1))
        (cd "$dn" && "$DARKNET" relnas check --quiet "cfg/$(basename "$f")" > /dev/null 2>&1) || bad="$bad $(basename "$f")"
    done
    [ -z "$bad" ] && [ "$n" -ge 40 ] && pass "Darknet's $n cfg/*.cfg pass the check" || fail "Darknet's cfgs pass the check" "failed:$bad (of $n)"
else
    skip "Darknet's cfg/*.cfg pass the check" "no $dn/cfg"
fi

# relnas check's usage and a missing file.
run "$DARKNET" relnas check
expect_rc "check without a cfg prints its usage" 2
run "$DARKNET" relnas check "$TMP/missing.cfg"
expect_rc "a missing cfg is an error" 1
expect_output "... naming it" "missing.cfg: expected a readable cfg file, found: No such file or directory"

finish
