#!/usr/bin/env bash
# Hostile command lines, one row each: the exit status they must end with and a fragment of
# the message that must name the problem. Every relnas command, AlexeyAB's detector
# commands, and every script's --help (answered at once, without building or installing).
# One rule: an input that cannot be used is an error naming it and why, never exit 0.
. "$(dirname "$0")/../lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TMP" || exit 1
printf 'garbage\000\001' > binary.txt
mkdir adir
head -c 12288 /dev/zero > one-image.f32
# A classifier of two convolutions and a file with layer 0's weights only (as `darknet partial`
# cuts them): header 3 ints + size_t seen, then 4 biases, scales, means, variances, 108 weights.
printf '[net]\nbatch=1\nwidth=8\nheight=8\nchannels=3\n[convolutional]\nfilters=4\nsize=3\npad=1\nbatch_normalize=1\nactivation=relu\n[convolutional]\nfilters=4\nsize=3\npad=1\nactivation=linear\n[avgpool]\n[softmax]\n' > two-conv.cfg
{ printf '\000\000\000\000\002\000\000\000\000\000\000\000'; head -c $((8 + 4 * 124)) /dev/zero; } > layer0.weights
printf '[net]\n' > tiny.cfg
"$DARKNET" relnas cfg RelativeNAS --preset search --classes 10 -o s.cfg >/dev/null 2>&1

# status | fragment of the message (fixed string) | arguments of darknet, or a script (S/name)
rows=$(cat <<'ROWS'
2 | unknown command 'nope' | relnas nope
2 | darknet relnas help: unknown command 'nope' | relnas help nope
0 | usage: darknet relnas search [DATA] [options] | relnas help search
0 | usage: darknet relnas cfg GENOTYPE | relnas help cfg
2 | usage: darknet relnas genotype INPUT | relnas genotype
1 | is neither a bundled genotype | relnas genotype NoSuchGenotype
1 | binary.txt: not a genotype file (binary data: byte 7 is 0x00) | relnas genotype binary.txt
1 | adir: not a genotype file | relnas genotype adir
1 | normal: 1 edges, expected 8 | relnas genotype "Genotype(normal=[('sep_conv_3x3', 0)])"
1 | 3 numbers; an architecture vector has 32 | relnas genotype "1 2 3"
1 | not in the search space | relnas genotype "Genotype(normal=[('conv_9x9', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 2)], normal_concat=range(2, 6), reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('max_pool_3x3', 0), ('max_pool_3x3', 1), ('max_pool_3x3', 0), ('max_pool_3x3', 1), ('max_pool_3x3', 0), ('max_pool_3x3', 1)], reduce_concat=range(2, 6))"
2 | unknown preset 'nope' | relnas cfg RelativeNAS -o out.cfg --preset nope
2 | --channels must be an integer in [2, 4096], got '-3' | relnas cfg RelativeNAS -o out.cfg --channels -3
2 | --cells must be an integer in [1, 1000], got 'abc' | relnas cfg RelativeNAS -o out.cfg --cells abc
2 | --classes must be an integer in [1, 1000000], got '0' | relnas cfg RelativeNAS -o out.cfg --classes 0
1 | width and height must be multiples of 32 | relnas cfg RelativeNAS -o out.cfg --size 30 --preset yolo
2 | --channels is given twice: give it once | relnas cfg RelativeNAS -o out.cfg --channels 8 --channels 9
2 | --anchors takes 9 pairs w,h | relnas cfg RelativeNAS --anchors 1,2 -o a.cfg
1 | is a directory: expected a file path | relnas cfg RelativeNAS -o adir
1 | cannot open | relnas cfg RelativeNAS --preset yolo --anchors-from missing.data -o y.cfg
2 | usage: darknet relnas info CFG | relnas info
1 | missing.cfg: No such file or directory | relnas info missing.cfg
1 | adir: expected a readable cfg file, found: Is a directory | relnas info adir
1 | expected a text cfg file, found byte 0x00 | relnas info binary.txt
2 | unexpected argument '--bogus' | relnas info s.cfg --bogus
1 | missing.cfg: expected a readable cfg file, found: No such file or directory | relnas check missing.cfg
1 | adir: expected a readable cfg file, found: Is a directory | relnas check adir
1 | expected a text cfg file, found byte 0x00 | relnas check binary.txt
2 | unexpected argument 'extra' | relnas check s.cfg extra
2 | usage: darknet relnas forward CFG WEIGHTS IN.f32 OUT.f32 | relnas forward tiny.cfg
1 | missing.cfg: expected a readable cfg file | relnas forward missing.cfg w in.f32 out.f32
1 | missing.weights | relnas forward s.cfg missing.weights in.f32 out.f32
1 | missing.f32: expected a raw float32 input file, found: No such file or directory | relnas forward s.cfg - missing.f32 out.f32
1 | adir: expected a raw float32 input file, found: a directory | relnas forward s.cfg - adir out.f32
1 | 9 bytes is not a whole number of 3072-float (12288-byte) input images | relnas forward s.cfg - binary.txt out.f32
1 | /dev/full: cannot write: No space left on device | relnas forward s.cfg - one-image.f32 /dev/full
1 | layer0.weights: holds the weights of layers 0-0 only, and the cfg has weighted layers up to 1 | relnas forward two-conv.cfg layer0.weights one-image.f32 out.f32
1 | layer0.weights: holds the weights of layers 0-0 only | relnas valid fashion-mnist two-conv.cfg layer0.weights
2 | the name must end in .png, .svg, .pdf or .dot | relnas draw RelativeNAS -o x.xyz
1 | is neither a bundled genotype | relnas draw NoSuch -o x.png
2 | usage: darknet relnas draw GENOTYPE | relnas draw RelativeNAS
1 | unknown data 'nope:dir' | relnas search nope:dir
2 | population (--population) must be even, got 3 | relnas search --population 3
2 | --generations must be an integer in [1, 100000], got '0' | relnas search --generations 0
2 | --seed must be an integer in [0, 2000000000], got '-1' | relnas search --seed -1
2 | --flip must be an integer in [0, 1], got '2' | relnas search --flip 2
2 | C (--channels) must be even, got 5 | relnas search --channels 5
2 | --time-budget: expected a duration (90s, 20m, 1h30m) | relnas search --time-budget 5x
2 | --threads must be an integer in [0, 4096] | relnas search --threads -2
2 | unknown profile 'fast' (paper, quick, cpu) | relnas search --profile fast
1 | --valid-batches 100000: the validation part of the 60000 images (the 30000 --train-portion 0.5 leaves) holds 468 batches of 64 | relnas search --valid-batches 100000 --out vb
2 | option --profile needs a value | relnas search --profile
2 | option --resume needs a value | relnas search --resume
1 | adir/checkpoint: cannot open: No such file or directory | relnas search --resume adir
2 | unexpected argument '--bogus' | relnas search --bogus
2 | -gpus takes one GPU index (e.g. -gpus 0), got '1,2' | relnas search -gpus 1,2
2 | usage: darknet relnas train DATA CFG | relnas train
1 | missing.cfg: cannot open | relnas train missing.data missing.cfg
2 | --iterations must be an integer in [1, 2000000000], got '0' | relnas train x.data s.cfg --iterations 0
2 | both set the length: give one | relnas train x.data s.cfg --iterations 5 --epochs 2
2 | unexpected argument '--valid-batches' | relnas train x.data s.cfg --valid-batches 100000
2 | usage: darknet relnas valid DATA CFG WEIGHTS | relnas valid missing.data missing.cfg
1 | missing.data: cannot open | relnas map missing.data missing.cfg w
2 | --metric coco: voc07 or voc12 | relnas map x.data --dets adir --metric coco
2 | --iou must be a number in [0, 1], got '2' | relnas map x.data s.cfg w --iou 2
1 | cannot open missing.data | relnas anchors missing.data
2 | --num must be an integer in [1, 100], got '0' | relnas anchors x.data --num 0
2 | --width must be an integer in [1, 65536], got '0' | relnas anchors x.data --width 0
1 | missing.data: cannot open | detector map missing.data missing.cfg w
2 | -points 5: expected 0 (all-point AP, VOC2010+) or 11 | detector map x.data s.cfg w -points 5
1 | cannot open missing.data | detector calc_anchors missing.data
2 | --num must be an integer in [1, 100], got '0' | detector calc_anchors x.data -num_of_clusters 0
1 | Couldn't open file: missing.data | detector train missing.data missing.cfg
ROWS
)
while IFS='|' read -r status fragment command; do
    status=${status// /} fragment=${fragment# } fragment=${fragment% } command=${command# }
    [ -n "$status" ] || continue
    eval "set -- $command"
    OUT=$("$DARKNET" "$@" 2>&1 </dev/null); RC=$?
    if [ "$RC" = "$status" ] && grep -qF -- "$fragment" <<<"$OUT"; then pass "darknet $command: $status, '$fragment'"
    else fail "darknet $command" "expected status $status and '$fragment'; got $RC:" "$(head -n 4 <<<"$OUT")"; fi
done <<<"$rows"

# Every script answers --help at once, with its usage, exit 0, building and installing nothing.
for script in "$ROOT"/scripts/*; do
    [ -f "$script" ] && [ -x "$script" ] || continue
    OUT=$(timeout 20 "$script" --help 2>&1 </dev/null); RC=$?
    name=${script#"$ROOT"/}
    if [ "$RC" = 0 ] && [ -n "$OUT" ] && ! grep -qiE "^(cc|gcc|nvcc|clang|make)\b|installing" <<<"$OUT"; then
        pass "$name --help: usage, exit 0"
    else fail "$name --help" "status $RC" "$(head -n 3 <<<"$OUT")"; fi
done
finish
