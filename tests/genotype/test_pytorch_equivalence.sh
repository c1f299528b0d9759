#!/usr/bin/env bash
# A generated cfg + weights exported from PyTorch by scripts/pytorch2darknet give the
# logits of an independent PyTorch implementation of the same network (eval mode, random
# weights, BN statistics far from the identity): within 1e-4 of the largest |logit|.
. "$(dirname "$0")/../lib.sh"
PY=/usr/bin/python3
HERE=$(dirname "$0")

if ! $PY -c "import torch" 2>/dev/null; then
    skip "PyTorch equivalence" "PyTorch is not importable by $PY (Debian's python3-torch)"
    finish; exit
fi

check() { # NAME GENOTYPE PRESET C CELLS CLASSES SIZE
    local name=$1 genotype=$2 preset=$3 C=$4 cells=$5 classes=$6 size=$7 dir=$TMP/$1
    local repr
    repr=$("$DARKNET" relnas genotype "$genotype") || { fail "$name: genotype"; return; }
    run $PY "$HERE/pytorch_equivalence.py" "$repr" "$preset" "$C" "$cells" "$classes" "$size" "$dir"
    [ "$RC" = 0 ] || { fail "$name: PyTorch reference" "$OUT"; return; }
    run "$DARKNET" relnas cfg "$genotype" --preset "$preset" --channels "$C" --cells "$cells" \
        --classes "$classes" --width "$size" --height "$size" --batch 2 -o "$dir/net.cfg"
    [ "$RC" = 0 ] || { fail "$name: relnas cfg" "$OUT"; return; }
    run $PY "$RELNAS_ROOT/scripts/pytorch2darknet" "$dir/state_dict.pt" "$dir/net.cfg" "$dir/net.weights"
    [ "$RC" = 0 ] || { fail "$name: pytorch2darknet" "$OUT"; return; }
    run "$DARKNET" relnas forward "$dir/net.cfg" "$dir/net.weights" "$dir/input.f32" "$dir/out.f32" --layer -2
    [ "$RC" = 0 ] || { fail "$name: relnas forward" "$OUT"; return; }
    run $PY - "$dir/logits.f32" "$dir/out.f32" <<'PYEOF'
import sys
import numpy as np
want, got = (np.fromfile(p, dtype="<f4") for p in sys.argv[1:])
assert want.shape == got.shape, (want.shape, got.shape)
scale = np.abs(want).max()
print(f"max |diff| {np.abs(want - got).max():.3g}, max |logit| {scale:.3g}, "
      f"relative {np.abs(want - got).max() / scale:.3g}")
sys.exit(0 if np.abs(want - got).max() <= 1e-4 * scale else 1)
PYEOF
    if [ "$RC" = 0 ]; then pass "$name: $OUT"; else fail "$name" "$OUT"; fi
}

check "RelativeNAS, CIFAR preset, C=8, 5 cells" RelativeNAS cifar 8 5 10 32
check "DARTS_V2, CIFAR preset, C=8, 5 cells" DARTS_V2 cifar 8 5 10 32
check "RelativeNAS, ImageNet preset, C=8, 5 cells, 224x224" RelativeNAS imagenet 8 5 20 224
check "DARTS_V1, ImageNet preset, C=8, 4 cells, 224x224" DARTS_V1 imagenet 8 4 20 224

finish
