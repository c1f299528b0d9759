#!/usr/bin/env bash
# Fashion-MNIST is found from any working directory: beside the checkout the darknet binary
# belongs to (where `make` fetched it), or $RELNAS_FASHION_MNIST; when it is nowhere, the
# error names every place looked.
. "$(dirname "$0")/../lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SYSTEM=/usr/share/datasets/fashion-mnist

if [ -z "${RELNAS_FASHION_MNIST:-}" ]; then
    skip "Fashion-MNIST from any working directory" "Fashion-MNIST was not fetched (make test fetches it)"
    finish; exit
fi
fetched=$RELNAS_FASHION_MNIST
unset RELNAS_FASHION_MNIST
"$DARKNET" relnas cfg DARTS_V2 --preset search --channels 4 --cells 3 --width 28 --height 28 --input-channels 1 \
    --batch 8 -o "$TMP/net.cfg" 2> /dev/null
mkdir -p "$TMP/elsewhere"
run bash -c "cd '$TMP/elsewhere' && '$DARKNET' relnas train fashion-mnist ../net.cfg --iterations 2"
expect_rc "relnas train fashion-mnist from a directory outside the checkout" 0
expect_output "... finds the data and trains" "^done after 2 iterations"

# A binary outside any checkout, with the variable pointing nowhere: every place is named.
if [ -d "$SYSTEM" ]; then
    skip "the error names every place looked" "Debian's dataset-fashion-mnist is installed system-wide"
else
    mkdir -p "$TMP/bin"
    real=${RELNAS_DARKNET_BINARY:-$DARKNET}
    if [ "$real" = "$DARKNET" ]; then cp "$real" "$TMP/bin/darknet"
    else # a GPU build without a usable GPU: tests/run-tests wraps it with -nogpu; so does this copy
        cp "$real" "$TMP/bin/darknet-binary"
        printf '#!/bin/sh\nexec "%s" "$@" -nogpu\n' "$TMP/bin/darknet-binary" > "$TMP/bin/darknet"
        chmod +x "$TMP/bin/darknet"
    fi
    run bash -c "cd '$TMP/elsewhere' && RELNAS_FASHION_MNIST='$TMP/none' '$TMP/bin/darknet' relnas train fashion-mnist ../net.cfg --iterations 2"
    expect_rc "a binary outside any checkout, no data anywhere: exit 1" 1
    expect_output "... the error names the variable, Debian's directory and ./build/data" \
        "Fashion-MNIST not found \(looked in \\\$RELNAS_FASHION_MNIST=$TMP/none, $SYSTEM, ./build/data/root$SYSTEM; the checkout of this darknet binary was not found\)"
    expect_output "... and says how to get it" "run \`make data\` in the checkout, apt-get install dataset-fashion-mnist"
fi
finish
