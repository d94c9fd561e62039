#!/usr/bin/env python3
"""The `netsim` CLI's contract: exit 0 when a run holds, 2 on usage or input errors with
`file:line:col: message` for malformed scripts, one `LINE OUTCOME` per operation, and the same
trace hash for the same seed. Usage: netsim_cli_test.py NETSIM"""
import os
import subprocess
import sys
import tempfile

NETSIM = sys.argv[1]
failures = []
passed = 0


def run(*args):
    return subprocess.run([NETSIM, *args], capture_output=True, text=True, timeout=60)


def check(name, condition, detail=""):
    global passed
    if condition:
        passed += 1
    else:
        failures.append(f"{name}: {detail}")


with tempfile.TemporaryDirectory() as tmp:
    good = os.path.join(tmp, "good.txt")
    with open(good, "w") as f:
        f.write("# a comment\nsocket s\nbind s 127.0.0.1 5000\n\nsocket t\nbind t 127.0.0.1 5000\nport s\n")
    bad = os.path.join(tmp, "bad.txt")
    with open(bad, "w") as f:
        f.write("socket s\nbind s 127.0.0.300 5000\n")

    r = run("syscalls", good)
    check("good script exits 0", r.returncode == 0, r.stderr)
    check("one line per operation", r.stdout == "2 ok\n3 ok\n5 ok\n6 EADDRINUSE\n7 ok 5000\n", repr(r.stdout))

    r = run("syscalls", bad)
    check("malformed script exits 2", r.returncode == 2, str(r.returncode))
    check("malformed script says file:line:col", r.stderr.startswith(f"{bad}:2:8: "), repr(r.stderr))
    check("malformed script executes nothing", r.stdout == "", repr(r.stdout))

    r = run("syscalls", os.path.join(tmp, "missing.txt"))
    check("missing script exits 2", r.returncode == 2 and "cannot read" in r.stderr, r.stderr)
    r = run("syscalls", good, "--bogus")
    check("unknown option exits 2", r.returncode == 2, r.stderr)
    r = run("syscalls", good, "--seed", "x")
    check("bad seed exits 2", r.returncode == 2, r.stderr)
    r = run("frobnicate")
    check("unknown command exits 2", r.returncode == 2, r.stderr)
    r = run()
    check("no command exits 2", r.returncode == 2, r.stderr)
    r = run("--help")
    check("--help exits 0", r.returncode == 0 and "syscalls" in r.stdout, r.stdout)
    r = run("syscalls", "--help")
    check("syscalls --help exits 0", r.returncode == 0 and "--seed" in r.stdout, r.stdout)

    hashes = set()
    for _ in range(2):
        r = run("syscalls", good, "--trace", "--seed", "7")
        lines = [line for line in r.stdout.splitlines() if line.startswith("trace-hash: ")]
        check("--trace prints a trace hash", len(lines) == 1 and len(lines[0]) == len("trace-hash: ") + 16, r.stdout)
        hashes.update(lines)
    check("same seed, same trace hash", len(hashes) == 1, str(hashes))

for failure in failures:
    print("FAIL", failure)
print(f"netsim cli: {passed} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
