#!/usr/bin/env bash
# Every command in README.md's code blocks, read from README.md and run as written on small
# data, in a directory laid out like the repository root (./darknet, scripts/, cfg/, data/):
# an example that drifts from the program fails here. A README command this test does not
# know fails too, until it is given its small data below or named as run elsewhere.
#
# Small data: placeholders (DIR, VOCdevkit, runs/search-X) are replaced by tiny datasets
# made here, a few options that keep runs short are appended (named per command in BUDGET),
# and networks that train are first replaced by small ones of the same kind (SETUP).
. "$(dirname "$0")/../lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

# README code-block lines (4-space indent after a blank or code line) that are commands.
readme_commands() {
    awk '/^    [^ ]/ && code_ok { line = substr($0, 5); sub(/[ \t]+# .*$/, "", line);
                                   if (line ~ /^(\.\/darknet|make|mpirun)( |$)/ || line ~ /^scripts\//) print line }
         { code_ok = ($0 == "" || /^    /) }' "$ROOT/README.md"
}

# Commands run elsewhere, exactly as written: name -> where.
elsewhere() {
    case "$1" in
        "make && ./darknet relnas search") echo ".ci/run runs it in a fresh clone, default profile and run directory" ;;
        "make test") echo "it is this test suite" ;;
        "make GPU=1 CUDNN=1 BUILD=build/gpu EXEC=build/gpu/darknet") echo ".ci/run builds the CUDA variant" ;;
        "mpirun -np 8 ./darknet relnas search --parallel-pairs --profile paper")
            echo ".ci/run builds MPI=1 and tests/search/test_parallel_pairs.sh runs it under mpirun on tiny settings" ;;
        *) return 1 ;;
    esac
}

# --- the directory a user works in: the repository root's layout, our binary -------------
U=$TMP/user
mkdir -p "$U/cfg" "$U/data"
ln -s "$DARKNET" "$U/darknet"
ln -s "$ROOT/scripts" "$U/scripts"
cp "$ROOT"/cfg/*.cfg "$ROOT"/cfg/*.data "$U/cfg/" 2>/dev/null
for f in "$ROOT"/data/*; do [ -e "$f" ] && ln -s "$(readlink -f "$f")" "$U/data/$(basename "$f")"; done

# --- small data ----------------------------------------------------------------------------
/usr/bin/python3 - "$TMP/cifar10" <<'PYEOF'
import os, random, sys
random.seed(11)
d = sys.argv[1]
os.makedirs(d)
def batch(name, n):
    with open(f"{d}/{name}", "wb") as f:
        for i in range(n):
            f.write(bytes([i % 10]) + bytes(random.randrange(256) for _ in range(3072)))
for k in range(1, 6):
    batch(f"data_batch_{k}.bin", 8)
batch("test_batch.bin", 20)
PYEOF
have_pil=0
if /usr/bin/python3 -c "import PIL" 2>/dev/null; then
    /usr/bin/python3 "$ROOT/scripts/make-shapes-voc" "$TMP/shapes" --train 8 --test 4 --size 96 --seed 2 > /dev/null && have_pil=1
fi

small_cfg() { # small_cfg OUT GENOTYPE PRESET EXTRA...: a network of the preset's kind, small enough for seconds
    local out=$1 genotype=$2 preset=$3; shift 3
    "$DARKNET" relnas cfg "$genotype" --preset "$preset" --channels 8 --cells 5 --batch 2 --max-batches 2 "$@" \
        -o "$out" 2> /dev/null
}

# SETUP: what a command needs that the README made earlier or that only a user has.
setup() {
    case "$1" in
        "./darknet relnas forward net.cfg net.weights in.f32 out.f32"*)
            small_cfg "$U/net.cfg" RelativeNAS cifar --no-auxiliary
            (cd "$U" && "$DARKNET" relnas train "cifar10:$TMP/cifar10" net.cfg --iterations 1 > /dev/null 2>&1)
            cp "$U/backup/net_final.weights" "$U/net.weights"
            /usr/bin/python3 -c "import struct, sys; sys.stdout.buffer.write(struct.pack('<3072f', *[0.25] * 3072))" > "$U/in.f32" ;;
        "./darknet relnas export cfg/relativenas-cifar10.cfg relativenas.weights"*)
            small_cfg "$U/cfg/relativenas-cifar10.cfg" RelativeNAS cifar
            (cd "$U" && "$DARKNET" relnas train "cifar10:$TMP/cifar10" cfg/relativenas-cifar10.cfg --iterations 1 \
                --backup export-backup > /dev/null 2>&1)
            cp "$U/export-backup/relativenas-cifar10_final.weights" "$U/relativenas.weights" ;;
        "./darknet classifier train cfg/fashion-mnist.data cfg/relativenas-cifar10.cfg")
            small_cfg "$U/cfg/relativenas-cifar10.cfg" RelativeNAS cifar --no-auxiliary ;;
        "scripts/voc_label VOCdevkit"*) # the stand-in's classes are named where cfg/voc.data looks
            rm -f "$U/data/voc.names" && cp "$TMP/shapes/shapes.names" "$U/data/voc.names" ;;
        "./darknet detector train cfg/voc.data cfg/yolo-relativenas-voc.cfg"*)
            small_cfg "$U/cfg/yolo-relativenas-voc.cfg.tmp" RelativeNAS yolo --classes 3 --size 96 &&
                sed 's/^random=1/random=0/' "$U/cfg/yolo-relativenas-voc.cfg.tmp" > "$U/cfg/yolo-relativenas-voc.cfg" ;;
        "./darknet relnas map cfg/voc.data --dets results/")
            [ -s "$U/data/voc/test.txt" ] || return 0
            mkdir -p "$U/results"
            id=$(basename "$(head -n 1 "$U/data/voc/test.txt")" .jpg)
            while read -r name; do echo "$id 0.9 10 10 40 40" > "$U/results/comp4_det_test_$name.txt"; done < "$U/data/voc.names" ;;
    esac
}

# BUDGET: the command as run here (placeholders replaced, short-run options appended).
budget() {
    local c=$1
    c=${c//cifar10:DIR/cifar10:$TMP/cifar10}
    c=${c//runs\/search-X/runs\/seed7}
    c=${c//scripts\/voc_label VOCdevkit/scripts\/voc_label $TMP/shapes/VOCdevkit --names $TMP/shapes/shapes.names}
    case "$c" in
        "./darknet relnas search fashion-mnist"*) c="$c --population 2 --train-batches 2 --valid-batches 1 --channels 4 --cells 3" ;;
        "./darknet relnas cfg runs/seed7/final.genotype"*) c="$c --channels 4 --cells 3 --batch 8 --no-auxiliary" ;;
        "./darknet relnas train "*" backup/net_last.weights") c="$c --iterations 3" ;;
        "./darknet relnas train "*) c="$c --iterations 2" ;;
        "scripts/make-image-lists fashion-mnist"*) c="$c --limit 32" ;;
    esac
    echo "$c"
}

# cfg/voc.data names the lists scripts/voc_label writes from the stand-in VOC set, which needs Pillow.
needs_pil() { case "$1" in *voc_label*|*cfg/voc.data*) return 0 ;; esac; return 1; }
# export --check runs the ONNX checker and OpenCV's DNN module.
needs_opencv() { case "$1" in *"relnas export"*--check*) return 0 ;; esac; return 1; }
have_opencv=0
/usr/bin/python3 -c 'import cv2, onnx, numpy' 2>/dev/null && have_opencv=1

n=0
while IFS= read -r cmd; do
    n=$((n + 1))
    if where=$(elsewhere "$cmd"); then pass "README: '$cmd' ($where)"; continue; fi
    if needs_pil "$cmd" && [ $have_pil = 0 ]; then
        skip "README: '$cmd'" "python3-pil missing: no VOC-format stand-in data (make test installs it as root)"; continue
    fi
    if needs_opencv "$cmd" && [ $have_opencv = 0 ]; then
        skip "README: '$cmd'" "python3-opencv, python3-onnx or python3-numpy missing (make test installs them as root)"; continue
    fi
    setup "$cmd"
    small=$(budget "$cmd")
    OUT=$(cd "$U" && timeout 600 bash -c "$small" 2>&1 < /dev/null); RC=$?
    if [ $RC -eq 0 ]; then pass "README: '$cmd'"
    else fail "README: '$cmd'" "ran as: $small" "exit status $RC" "$(echo "$OUT" | tail -n 6)"; fi
done < <(readme_commands)
[ $n -ge 15 ] && pass "README.md holds the commands ($n)" || fail "README.md holds the commands" "found $n"
finish
