#!/usr/bin/env python3
"""Writes COUNT mutated copies of the given cfgs into OUTDIR, reproducibly for a SEED.

usage: mutate_cfg.py SEED COUNT OUTDIR CFG...

Each mutant gets 1-3 of the small edits people make by hand (or by mistake): a line
dropped, duplicated or swapped with another; a number replaced by 0, -1, a huge value,
nan or x; a section header inserted. OUTDIR/LIST names each mutant and its edits.
"""
import os
import random
import re
import sys

NUMBER = re.compile(r"-?\d+(\.\d*)?([eE]-?\d+)?|-?\.\d+")
REPLACEMENTS = ["0", "-1", "-4", "2147483648", "99999999999", "1e30", "nan", "inf", "x", "3,", ""]
HEADERS = ["[net]", "[convolutional]", "[route]", "[shortcut]", "[yolo]", "[maxpool]", "[upsample]",
           "[connected]", "[softmax]", "[avgpool]", "[dropout]", "[region]", "[sep_conv]",
           "[relu_conv_bn]", "[factorized_reduce]", "[bogus]", "["]


def drop(lines, rng):
    i = rng.randrange(len(lines))
    return lines[:i] + lines[i + 1:], f"drop line {i + 1}"


def duplicate(lines, rng):
    i = rng.randrange(len(lines))
    return lines[:i + 1] + [lines[i]] + lines[i + 1:], f"duplicate line {i + 1}"


def swap(lines, rng):
    i = rng.randrange(len(lines))
    j = min(len(lines) - 1, i + 1) if rng.random() < 0.5 else rng.randrange(len(lines))
    lines = list(lines)
    lines[i], lines[j] = lines[j], lines[i]
    return lines, f"swap lines {i + 1} and {j + 1}"


def renumber(lines, rng):
    candidates = [i for i, l in enumerate(lines) if "=" in l and NUMBER.search(l.split("=", 1)[1])]
    if not candidates:
        return drop(lines, rng)
    i = rng.choice(candidates)
    key, value = lines[i].split("=", 1)
    spans = [m.span() for m in NUMBER.finditer(value)]
    a, b = rng.choice(spans)
    new = rng.choice(REPLACEMENTS)
    lines = list(lines)
    lines[i] = f"{key}={value[:a]}{new}{value[b:]}"
    return lines, f"line {i + 1}: {lines[i].strip()}"


def insert_header(lines, rng):
    i = rng.randrange(len(lines) + 1)
    header = rng.choice(HEADERS)
    return lines[:i] + [header] + lines[i:], f"insert {header} at line {i + 1}"


EDITS = [drop, duplicate, swap, renumber, renumber, renumber, insert_header]


def main():
    seed, count, outdir, cfgs = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4:]
    rng = random.Random(seed)
    bases = [(os.path.basename(p), open(p).read().splitlines()) for p in cfgs]
    os.makedirs(outdir, exist_ok=True)
    with open(os.path.join(outdir, "LIST"), "w") as listing:
        for k in range(count):
            name, lines = bases[k % len(bases)]
            edits = []
            for _ in range(rng.choice([1, 1, 1, 2, 3])):
                lines, what = rng.choice(EDITS)(lines, rng)
                edits.append(what)
            path = os.path.join(outdir, f"m{k:04d}.cfg")
            with open(path, "w") as f:
                f.write("\n".join(lines) + "\n")
            listing.write(f"{path}\t{name}\t{'; '.join(edits)}\n")


if __name__ == "__main__":
    main()
