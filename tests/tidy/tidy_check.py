#!/usr/bin/env python3
"""Tidy check: fails on code that would break determinism or the layering.

Scans sim/, policies/ and scenarios/ (the code that runs inside a simulation) for:
  - non-deterministic APIs: std::random_device, rand()/srand(), std::*_distribution,
    wall clocks (system_clock, steady_clock, high_resolution_clock, time(nullptr)), threads;
  - unordered containers, whose iteration order can reach behaviour (a line may opt out with
    the comment `tidy: lookup-only` when the container is never iterated);
and every C++ file in the layers for includes that point upwards (sim/core <- sim/net <-
sim/kernel <- sim/app; policies over sim; scenarios over both), and headers without a leading
comment that says what the type is for. `--self-test` proves each rule fires.
"""
import pathlib
import re
import sys

BANNED = [
    (re.compile(r"std::random_device"), "std::random_device: draw from the simulation's Rng"),
    (re.compile(r"(?<![\w:.>])s?rand\s*\("), "rand()/srand(): draw from the simulation's Rng"),
    (re.compile(r"std::\w+_distribution"), "std::*_distribution differs between standard libraries"),
    (re.compile(r"(system_clock|steady_clock|high_resolution_clock)"), "wall clock inside the simulation"),
    (re.compile(r"\btime\s*\(\s*(nullptr|NULL|0)\s*\)"), "wall clock inside the simulation"),
    (re.compile(r"std::(thread|jthread|async)\b"), "threads inside one simulation"),
    (re.compile(r"std::unordered_(map|set|multimap|multiset)"),
     "unordered container (iteration order can reach behaviour); mark `tidy: lookup-only` if never iterated"),
]

# Which top-level layers each layer may include (besides itself and the standard/third-party ones).
ALLOWED = {
    "sim/core": {"sim/core"},
    "sim/net": {"sim/core", "sim/net"},
    "sim/kernel": {"sim/core", "sim/net", "sim/kernel"},
    "sim/app": {"sim/core", "sim/net", "sim/kernel", "sim/app"},
    "sim/explore": {"sim/core", "sim/explore"},
    "sim/trace": {"sim/core", "sim/trace"},
    "policies": {"sim", "policies"},
    "scenarios": {"sim", "policies", "scenarios"},
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def layer_of(rel: str):
    for layer in sorted(ALLOWED, key=len, reverse=True):
        if rel == layer or rel.startswith(layer + "/"):
            return layer
    return None


def strip_comment(line: str) -> str:
    return line.split("//", 1)[0]


def check_file(rel: str, text: str):
    problems = []
    layer = layer_of(rel)
    if layer is None:
        return problems
    lines = text.splitlines()
    for number, line in enumerate(lines, 1):
        code = strip_comment(line)
        for pattern, why in BANNED:
            if pattern.search(code) and "tidy: lookup-only" not in line:
                problems.append(f"{rel}:{number}: {why}")
        m = INCLUDE.match(line)
        if m:
            target = m.group(1)
            if target.startswith(("sim/", "policies/", "scenarios/", "tools/", "tests/")):
                ok = any(target == a or target.startswith(a + "/") for a in ALLOWED[layer])
                if not ok:
                    problems.append(f"{rel}:{number}: {layer} must not include {target} (layers only look down)")
    if rel.endswith(".h"):
        first = next((l for l in lines if l.strip()), "")
        if not first.startswith("//"):
            problems.append(f"{rel}:1: header must open with a comment saying what it is for and guarantees")
    return problems


def self_test() -> int:
    cases = [
        ("sim/core/a.cc", "std::random_device rd;", True),
        ("sim/core/a.cc", "int x = rand();", True),
        ("sim/core/a.cc", "std::uniform_int_distribution<int> d;", True),
        ("sim/kernel/a.cc", "auto t = std::chrono::steady_clock::now();", True),
        ("policies/a.cc", "std::unordered_map<int, int> m;", True),
        ("policies/a.cc", "std::unordered_map<int, int> m;  // tidy: lookup-only", False),
        ("sim/core/a.cc", '#include "sim/net/address.h"', True),
        ("sim/kernel/a.cc", '#include "sim/net/address.h"', False),
        ("sim/core/a.h", "#pragma once", True),
        ("sim/core/a.h", "// What it is.\n#pragma once", False),
        ("sim/core/a.cc", "int y = operand(3);", False),
        ("tools/a.cc", "std::random_device rd;", False),
    ]
    failures = 0
    for rel, text, should_fire in cases:
        fired = bool(check_file(rel, text))
        if fired != should_fire:
            print(f"tidy self-test FAILED: {rel!r} {text!r}: fired={fired}, expected {should_fire}")
            failures += 1
    print(f"tidy self-test: {len(cases) - failures} passed, {failures} failed")
    return 1 if failures else 0


def main() -> int:
    if self_test() != 0:
        return 1
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
    problems = []
    files = 0
    for path in sorted(root.rglob("*")):
        if path.suffix not in (".h", ".cc") or any(p.startswith("build") for p in path.relative_to(root).parts):
            continue
        rel = path.relative_to(root).as_posix()
        files += 1
        problems += check_file(rel, path.read_text(encoding="utf-8"))
    for p in problems:
        print(p)
    print(f"tidy: {files} files checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
