"""What scripts/eval-search and scripts/rank-correlation share: the one training recipe every
genotype is judged by (a CIFAR-preset network trained on Fashion-MNIST with `relnas train`,
scored on its test set), a pool that runs trainings in parallel, and the statistics
(mean and standard error, a group's mean over cells, Spearman's rank correlation).
Pure Python, no third-party packages."""
import hashlib
import math
import os
import random
import re
import statistics
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DARKNET = str(ROOT / "darknet")
PRIMITIVES = 7  # ops in [0, 7]; node j's inputs in [0, 2 + j]


def random_vector(rng):
    """32 reals uniform within the RelativeNAS bounds (docs/design.md, 'The search'), as text."""
    v = []
    for _ in range(2):
        for j in range(4):
            v += [rng.uniform(0, 2 + j), rng.uniform(0, PRIMITIVES), rng.uniform(0, 2 + j), rng.uniform(0, PRIMITIVES)]
    return " ".join(f"{x:.4f}" for x in v)


def darknet(*args, env=None):
    return subprocess.run([DARKNET, "relnas", *args], cwd=ROOT, env=env, check=True, capture_output=True,
                          text=True).stdout


def add_recipe_arguments(p, images=12000, batch=64):
    """The recipe's options, the same for every script; images and batch: the script's defaults."""
    p.add_argument("--channels", type=int, default=8, help="C of the trained network (default 8)")
    p.add_argument("--cells", type=int, default=5, help="cells of the trained network (default 5)")
    p.add_argument("--batch", type=int, default=batch, help=f"images per batch (default {batch})")
    p.add_argument("--images", type=int, default=images, help=f"training images per run (default {images})")
    p.add_argument("--jobs", type=int, default=2, help="trainings at once (default 2)")
    p.add_argument("--threads", type=int, default=os.cpu_count(), help="CPU threads in all (default: all)")
    p.add_argument("-gpus", dest="gpus", help="train on this GPU (a GPU build)")


def recipe_text(a):
    return (f"CIFAR preset C={a.channels}, {a.cells} cells, no auxiliary head, no drop-path, batch {a.batch}, "
            f"{a.images} Fashion-MNIST training images (`relnas train` defaults otherwise), top-1 on the 10k test images")


def make_cfg(genotype, path, a):
    """Writes the recipe's cfg for genotype; returns its parameters in millions."""
    darknet("cfg", genotype, "--preset", "cifar", "--channels", str(a.channels), "--cells", str(a.cells),
            "--width", "28", "--height", "28", "--input-channels", "1", "--classes", "10", "--batch", str(a.batch),
            "--no-auxiliary", "--drop-path", "0", "-o", str(path))
    info = darknet("info", str(path), "--no-memory")
    return float(re.search(r"^parameters: ([0-9.]+) M", info, re.M).group(1))


def iterations(a):
    """The recipe's training iterations: a.images at a.batch a step."""
    return max(1, a.images // a.batch)


def result_path(cfg, seed, a):
    """Where a finished training's top-1 is kept: named by what decides it (the cfg's text, the
    training seed, the iterations, CPU or GPU), so an interrupted evaluation resumes with the
    trainings it finished and a changed recipe or cell trains again."""
    what = cfg.read_bytes() + f"\nseed {seed} iterations {iterations(a)} gpus {a.gpus}".encode()
    return cfg.parent / "results" / f"{hashlib.sha256(what).hexdigest()[:20]}.top1"


def train(cfg, seed, a, env):
    """Trains cfg with the recipe and training seed, or reads the top-1 an earlier run of the
    same training kept; returns (test top-1 in 0..1, True when it was kept)."""
    kept = result_path(cfg, seed, a)
    if kept.exists():
        return float(kept.read_text()), True
    backup = cfg.parent / f"backup-{cfg.stem}-{seed}"
    cmd = ["train", "fashion-mnist", str(cfg), "--iterations", str(iterations(a)), "--seed", str(seed),
           "--valid-every", "1000000", "--backup", str(backup)] + (["-gpus", a.gpus] if a.gpus else [])
    out = darknet(*cmd, env=env)
    top1 = float(re.search(r"^done after .*validation top-1 ([0-9.]+)", out, re.M).group(1))
    kept.parent.mkdir(exist_ok=True)
    partial = kept.with_suffix(f".partial{os.getpid()}")
    partial.write_text(f"{top1!r}\n")
    os.replace(partial, kept)  # atomic: a killed run leaves no half-written result
    return top1, False


def train_all(cfgs, runs, a, log=print):
    """Trains every (name, seed) of runs, a.jobs at a time; cfgs[name] is its cfg path. Trainings
    finished by an earlier run with the same cfg text and recipe are read back, not repeated.
    Returns {name: [top-1 in seed order]}."""
    env = dict(os.environ, OMP_NUM_THREADS=str(max(1, a.threads // a.jobs)), OMP_WAIT_POLICY="passive")
    results, start, trained = {}, time.time(), 0
    with ThreadPoolExecutor(max_workers=a.jobs) as pool:
        futures = {pool.submit(train, cfgs[name], seed, a, env): (name, seed) for name, seed in runs}
        for done, f in enumerate(as_completed(futures), 1):
            name, seed = futures[f]
            top1, was_kept = f.result()
            results.setdefault(name, {})[seed] = top1
            trained += not was_kept
            elapsed = time.time() - start
            eta = f"{elapsed / trained * (len(runs) - done) / 60:.1f} min" if trained else "--"
            log(f"[{done}/{len(runs)}] {name} seed {seed}: top-1 {100 * top1:.2f}"
                + (" (kept from an earlier run)" if was_kept else "")
                + f"  elapsed {elapsed / 60:.1f} min, ETA {eta}")
    return {name: [by_seed[s] for s in sorted(by_seed)] for name, by_seed in results.items()}


def mean_se(xs):
    """(mean, standard error of the mean); the error is NaN for fewer than two values."""
    m = statistics.fmean(xs)
    return m, statistics.stdev(xs) / math.sqrt(len(xs)) if len(xs) > 1 else float("nan")


def group_mean_se(cells):
    """The mean over cells of each cell's mean, and its standard error across cells (seed
    noise and the spread between cells both in it): for comparing one cell with the group."""
    return mean_se([statistics.fmean(xs) for xs in cells])


def ranks(xs):
    """Ranks 1..n, ties sharing their mean rank."""
    order = sorted(range(len(xs)), key=lambda i: xs[i])
    r = [0.0] * len(xs)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and xs[order[j + 1]] == xs[order[i]]:
            j += 1
        for k in range(i, j + 1):
            r[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return r


def pearson(xs, ys):
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx, syy = sum((x - mx) ** 2 for x in xs), sum((y - my) ** 2 for y in ys)
    return sxy / math.sqrt(sxx * syy) if sxx > 0 and syy > 0 else float("nan")


def spearman(xs, ys):
    """Spearman's rank correlation: Pearson's of the ranks (ties at mean rank)."""
    return pearson(ranks(xs), ranks(ys))


def spearman_null_p(rho, n, draws=20000, seed=1):
    """One-sided permutation p-value of a correlation >= rho among n untied items."""
    rng, base, hits = random.Random(seed), list(range(n)), 0
    for _ in range(draws):
        perm = base[:]
        rng.shuffle(perm)
        hits += spearman(base, perm) >= rho - 1e-12
    return hits / draws
