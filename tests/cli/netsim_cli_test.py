#!/usr/bin/env python3
"""The `netsim` CLI's contract: exit 0 when a run holds, 1 when a scenario fails, 2 on usage or
input errors with `file:line:col: message` for malformed scripts and scenarios, one
`LINE OUTCOME` per operation, the same trace hash for the same seed, fuzz reports that end in
the exact replay command, and the catalogue listing. Usage: netsim_cli_test.py NETSIM"""
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

SCENARIO_HOLDS = """scenario holds
description "one backend, one RPC"
host machine
server a on machine at 127.0.0.1:5000 started
channel client on machine policy=pick_first target=a
at 10ms as first: rpc client
expect a receives rpcs within 1s after first
"""

# Shared with the other CLI test: a squatter takes a's port between stop and restart on some
# seeds only (a window). Written to a temporary file below, so reports name that file.
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "race.scn"), encoding="utf-8") as shared:
    SCENARIO_RACE = shared.read()

with tempfile.TemporaryDirectory() as tmp:
    holds = os.path.join(tmp, "holds.scn")
    with open(holds, "w") as f:
        f.write(SCENARIO_HOLDS)
    race = os.path.join(tmp, "race.scn")
    with open(race, "w") as f:
        f.write(SCENARIO_RACE)
    broken = os.path.join(tmp, "broken.scn")
    with open(broken, "w") as f:
        f.write("scenario broken\nhost machine\nserver a on nowhere at 127.0.0.1:0\n")

    r = run("run", holds)
    check("a holding scenario exits 0", r.returncode == 0, r.stdout + r.stderr)
    check("run prints the verdict", r.stdout.startswith("holds: holds (seed 0"), r.stdout)
    hashes = {line for line in r.stdout.splitlines() if line.startswith("trace-hash: ")}
    r2 = run("run", holds)
    check("same scenario and seed, same trace hash", hashes == {l for l in r2.stdout.splitlines() if l.startswith("trace-hash: ")} and len(hashes) == 1, r2.stdout)
    r = run("run", holds, "-v")
    check("run -v prints the timeline", "server.start" in r.stdout and r.returncode == 0, r.stdout[:200])

    r = run("run", broken)
    check("a malformed scenario exits 2", r.returncode == 2, str(r.returncode))
    check("a malformed scenario says file:line:col", r.stderr.startswith(f"{broken}:3:"), repr(r.stderr))
    r = run("run", holds, "--set", "nope=1")
    check("an unknown --set exits 2", r.returncode == 2 and "nope" in r.stderr, r.stderr)
    r = run("run", holds, "--seed")
    check("--seed without a value exits 2", r.returncode == 2, r.stderr)
    r = run("run", os.path.join(tmp, "missing.scn"))
    check("a missing scenario exits 2", r.returncode == 2, r.stderr)

    r = run("fuzz", race, "--runs", "60")
    check("fuzz exits 1 when a seed fails", r.returncode == 1, r.stdout + r.stderr)
    replays = [line.strip() for line in r.stdout.splitlines() if line.strip().startswith("netsim run ")]
    check("fuzz prints a replay command per failure group", len(replays) >= 1, r.stdout)
    check("fuzz ends with a summary line", "60 runs (seeds 0..59)" in r.stdout.splitlines()[-1], r.stdout)
    if replays:
        words = replays[0].split()[1:]  # drop "netsim"
        rr = run(*words)
        check("the replay command fails the same way", rr.returncode == 1 and "EADDRINUSE" in rr.stdout, rr.stdout)
        check("the replay names who holds the port", "port 5000 held by squatter" in rr.stdout, rr.stdout)
        lines = r.stdout.splitlines()
        at = [i for i, line in enumerate(lines) if line.strip() == replays[0]][0]
        promised = lines[at + 1].strip() if at + 1 < len(lines) else ""
        check("fuzz prints the trace hash its replay command prints",
              promised.startswith("trace-hash: ") and promised in rr.stdout.splitlines(), promised + "\n" + rr.stdout)
        announced = [line.strip() for line in lines if line.startswith("  trace-hash: ")]
        check("each new failure announces its replay's trace hash", promised in announced, r.stdout)
    r = run("fuzz", race, "--runs", "60", "--set", "squat_rate=0/s")
    check("a noise rate of 0/s turns the noise off: no seed fails", r.returncode == 0 and "0 failed" in r.stdout, r.stdout + r.stderr)
    r = run("fuzz", race, "--runs", "20", "--set", "listener=reuseaddr")
    check("fuzz keeps --set in its replay commands", all("--set listener=reuseaddr" in l for l in r.stdout.splitlines() if "netsim run" in l), r.stdout)
    r = run("fuzz", holds, "--runs", "10")
    check("fuzz exits 0 when no seed fails", r.returncode == 0 and "0 failed" in r.stdout, r.stdout)
    r = run("fuzz", race, "--time", "soon")
    check("fuzz --time needs a duration", r.returncode == 2, r.stderr)
    r = run("fuzz", race, "--stop-on-first", "--runs", "1000")
    check("fuzz --stop-on-first stops at the first failure", r.returncode == 1 and "1 failed" in r.stdout.splitlines()[-1], r.stdout)

    r = run("list")
    check("list prints the catalogue", r.returncode == 0 and "pick_first_restart " in r.stdout, r.stdout)
    r = run("list", "--dir", tmp)
    check("list --dir lists another folder, failing on a malformed file", r.returncode == 2 and "holds" in r.stdout, r.stdout + r.stderr)
    for command in ("run", "fuzz", "list"):
        r = run(command, "--help")
        check(f"{command} --help exits 0", r.returncode == 0 and "usage: netsim " + command in r.stdout, r.stdout)

for failure in failures:
    print("FAIL", failure)
print(f"netsim cli: {passed} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
