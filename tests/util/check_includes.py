#!/usr/bin/env python3
"""Checks plugin/'s include graph against docs/design.md, 'The plugin's layers'.

    python3 tests/util/check_includes.py PLUGIN_DIR

Reads every `#include "x.h"` of PLUGIN_DIR/*/*.{c,h,cu,cuh} and resolves it the way the
build does: the including file's own folder first, then every folder of PLUGIN_DIR (the
Makefile's -I list). A header found nowhere under PLUGIN_DIR is Darknet's or the system's
and is ignored. Prints one line per problem and exits 1 when there is any:

    cycle: a.h -> b.h -> a.h              a circle of includes, file by file
    module cycle: x -> y -> x             x.c/x.h use y and y.c/y.h use x (checked when no file circle)
    upward: FILE:LINE includes HEADER     a header of a higher-ranked folder
    sideways: FILE:LINE includes HEADER   a header of another folder of the same rank
    unranked: FOLDER                      a folder missing from RANKS below
"""
import os
import re
import sys

# Lowest first. A file may include headers of its own folder and of lower-ranked folders;
# folders of one rank are independent of each other.
RANKS = {
    "util": 0,
    "layers": 1,
    "runtime": 2,
    "compat": 3,
    "cfgcheck": 4, "data": 4,
    "eval": 5, "genotype": 5,
    "hooks": 6,
    "train": 7, "export": 7,
    "search": 8,
    "cli": 9,
}
SOURCES = (".c", ".h", ".cu", ".cuh")
INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')


def read_graph(root):
    """{file: [(included file, line number)]}, paths relative to root."""
    folders = sorted(d for d in os.listdir(root) if os.path.isdir(os.path.join(root, d)))
    files = sorted(os.path.join(d, f) for d in folders
                   for f in os.listdir(os.path.join(root, d)) if f.endswith(SOURCES))
    graph = {}
    for path in files:
        edges = []
        with open(os.path.join(root, path), encoding="utf-8", errors="replace") as f:
            for number, line in enumerate(f, 1):
                m = INCLUDE.match(line)
                if not m:
                    continue
                own = os.path.normpath(os.path.join(os.path.dirname(path), m.group(1)))
                found = [own] + [os.path.normpath(os.path.join(d, m.group(1))) for d in folders]
                found = [p for p in found if os.path.isfile(os.path.join(root, p))]
                if found:
                    edges.append((found[0], number))
        graph[path] = edges
    return folders, graph


def modules(graph):
    """The graph of modules: x.c, x.h (and x.cu) are one module x, which uses the modules its
    files include. A module circle (a.c includes b.h, b.c includes a.h) is a circle of use even
    where no file includes itself."""
    stem = lambda p: os.path.splitext(p)[0]
    g = {}
    for path, edges in graph.items():
        mine = g.setdefault(stem(path), [])
        mine += [(stem(h), n) for h, n in edges if stem(h) != stem(path) and (stem(h), n) not in mine]
    return g


def cycles(graph):
    """(circle, size) for each strongly connected part of the graph (Tarjan): a shortest
    circle through its first file, and how many files the part holds."""
    index, low, stack, on_stack, parts = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w, _ in graph.get(v, []):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            part = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                part.add(w)
                if w == v:
                    break
            if len(part) > 1 or any(w == v for w, _ in graph.get(v, [])):
                parts.append(part)

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted((shortest_circle(graph, part, min(part)), len(part)) for part in parts)


def shortest_circle(graph, part, start):
    """The shortest path start -> ... -> start inside one strongly connected part."""
    came_from, frontier = {}, [start]
    while frontier:
        following = []
        for v in frontier:
            for w, _ in graph[v]:
                if w == start:
                    path = [v]
                    while path[0] != start:
                        path.insert(0, came_from[path[0]])
                    return path + [start]
                if w in part and w not in came_from:
                    came_from[w] = v
                    following.append(w)
        frontier = following


def main(root):
    folders, graph = read_graph(root)
    problems = ["unranked: %s (add it to RANKS in %s)" % (d, sys.argv[0])
                for d in folders if d not in RANKS and any(p.startswith(d + os.sep) for p in graph)]
    for path, edges in sorted(graph.items()):
        mine = path.split(os.sep)[0]
        for header, number in edges:
            theirs = header.split(os.sep)[0]
            if mine == theirs or mine not in RANKS or theirs not in RANKS:
                continue
            if RANKS[theirs] >= RANKS[mine]:
                problems.append("%s: %s:%d includes %s (%s rank %d, %s rank %d)" % (
                    "upward" if RANKS[theirs] > RANKS[mine] else "sideways",
                    path, number, header, mine, RANKS[mine], theirs, RANKS[theirs]))
    problems += ["cycle: %s (%d files tangled)" % (" -> ".join(c), n) for c, n in cycles(graph)]
    if not any(p.startswith("cycle:") for p in problems):
        problems += ["module cycle: %s (%d modules tangled)" % (" -> ".join(c), n) for c, n in cycles(modules(graph))]
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__.strip().splitlines()[2].strip())
    sys.exit(main(sys.argv[1]))
