#!/usr/bin/env python3
"""The `netsim` CLI's contract: exit 0 when a run holds, 1 when a scenario fails, 2 on usage or
input errors with `file:line:col: message` for malformed scripts and scenarios, one
`LINE OUTCOME` per operation, the same trace hash for the same seed, fuzz reports that end in
the exact replay command, and the catalogue listing. Usage: netsim_cli_test.py NETSIM"""
import os
import shlex
import subprocess
import sys
import tempfile

NETSIM = sys.argv[1]
failures = []
passed = 0


def run(*args, env=None):
    return subprocess.run([NETSIM, *args], capture_output=True, text=True, timeout=60,
                          env=None if env is None else {**os.environ, **env})


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
    r = run("syscalls", tmp)
    check("a directory as the script exits 2, cannot read",
          r.returncode == 2 and r.stderr == f"{tmp}: cannot read the script (a directory)\n" and r.stdout == "",
          repr(r.stdout + r.stderr))
    r = run("syscalls", "--conditions", good, tmp)
    check("--conditions with a directory exits 2, cannot read",
          r.returncode == 2 and r.stderr == f"{tmp}: cannot read the script (a directory)\n" and r.stdout == "",
          repr(r.stdout + r.stderr))
    r = run("syscalls", good, "--seed")
    check("syscalls --seed without a value says it needs one",
          r.returncode == 2 and "--seed needs a value" in r.stderr, r.stderr)
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
    for command in ("run", "fuzz"):
        r = run(command, tmp)
        check(f"{command} of a directory exits 2, cannot read",
              r.returncode == 2 and r.stderr == f"{tmp}: cannot read the file (a directory)\n", repr(r.stderr))

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

    r = run("fuzz", holds, "--runs", "1")
    check("fuzz of one seed says 1 run", r.returncode == 0 and r.stdout.splitlines()[-1].startswith(
        "fuzz holds: 1 run (seeds 0..0), 0 failed"), r.stdout)
    for both in (("--runs", "10", "--time", "1s"), ("--time", "1s", "--runs", "10")):
        r = run("fuzz", holds, *both)
        check(f"fuzz {' '.join(both)} is a usage error naming both",
              r.returncode == 2 and "--runs" in r.stderr and "--time" in r.stderr and r.stdout == "", r.stderr)
    for empty in (("--runs", "0"), ("--time", "0s"), ("--time", "0ms")):
        r = run("fuzz", holds, *empty)
        check(f"fuzz {' '.join(empty)} is a usage error",
              r.returncode == 2 and empty[0] in r.stderr and r.stdout == "", r.stdout + r.stderr)
    last = str(2**64 - 1)
    r = run("fuzz", holds, "--seed-start", last, "--runs", "3")
    check("fuzz seeds past 2^64-1 are a usage error", r.returncode == 2 and last in r.stderr and r.stdout == "",
          r.stdout + r.stderr)
    r = run("fuzz", holds, "--seed-start", str(2**64 - 3), "--runs", "3")
    check("fuzz seeds up to 2^64-1 run", r.returncode == 0 and f"3 runs (seeds {2**64 - 3}..{last})" in r.stdout,
          r.stdout + r.stderr)
    r = run("fuzz", holds, "--seed-start", last, "--time", "50ms")
    check("fuzz --time stops at seed 2^64-1", r.returncode == 0 and f"1 run (seeds {last}..{last})" in r.stdout,
          r.stdout + r.stderr)

    # A path and a --set value a shell would split or expand: the replay command quotes them.
    odd = os.path.join(tmp, "odd names", "my race's.scn")
    os.makedirs(os.path.dirname(odd))
    with open(odd, "w") as f:
        f.write(SCENARIO_RACE.replace("\n", "\nparam note = plain\n", 1))
    r = run("fuzz", odd, "--runs", "20", "--set", "note=a b$c")
    quoted = "'" + odd.replace("'", "'\\''") + "'"
    replays = [line.strip() for line in r.stdout.splitlines() if line.strip().startswith("netsim run ")]
    check("fuzz quotes the replay command for a shell",
          r.returncode == 1 and replays and all(l.startswith(f"netsim run {quoted} --seed ") and
                                                l.endswith(" --set 'note=a b$c'") for l in replays), r.stdout)
    try:
        words = shlex.split(replays[0]) if replays else []
    except ValueError:  # an unbalanced quote
        words = []
    check("the quoted replay command splits into netsim's words", len(words) >= 3, replays)
    if len(words) >= 3:
        rr = run(*words[1:])
        check("the quoted replay command, split by a shell, fails the same way",
              words[2] == odd and words[-1] == "note=a b$c" and rr.returncode == 1 and "EADDRINUSE" in rr.stdout,
              rr.stdout + rr.stderr)

    missing_values = [("run", holds, "--seed"), ("run", holds, "--set"), ("run", holds, "--trace"),
                      ("run", holds, "--trace-host"), ("fuzz", holds, "--runs"), ("fuzz", holds, "--time"),
                      ("fuzz", holds, "--seed-start"), ("fuzz", holds, "--set"), ("syscalls", holds, "--seed"),
                      ("list", "--dir")]
    for command in missing_values:
        r = run(*command)
        check(f"{' '.join(command[::len(command) - 1])} without a value says it needs one",
              r.returncode == 2 and f"{command[-1]} needs a value" in r.stderr, r.stderr)

    # A catalogue whose file names differ from their `scenario` names: list prints what run takes.
    catalogue = os.path.join(tmp, "catalogue")
    os.mkdir(catalogue)
    with open(os.path.join(catalogue, "file.scn"), "w") as f:
        f.write("scenario other\nhost machine\n")
    with open(os.path.join(catalogue, "twin.scn"), "w") as f:
        f.write("scenario other\nhost machine\n")
    with open(os.path.join(catalogue, "holds.scn"), "w") as f:
        f.write(SCENARIO_HOLDS)
    env = {"NETSIM_SCENARIOS": catalogue}
    r = run("list", env=env)
    names = [line.split(" (scenario ")[0].split()[0] for line in r.stdout.splitlines()]
    check("list prints each file's name, and a differing scenario name after it",
          r.returncode == 0 and names == ["file", "holds", "twin"] and
          r.stdout.splitlines()[0].startswith("file (scenario other) ") and
          r.stdout.splitlines()[1].startswith("holds  "), r.stdout + r.stderr)
    check("list warns of two files declaring one scenario name",
          "'other'" in r.stderr and "file.scn" in r.stderr and "twin.scn" in r.stderr, r.stderr)
    for name in names:
        for command in ("run", "fuzz"):
            rr = run(command, name, *(["--runs", "1"] if command == "fuzz" else []), env=env)
            check(f"{command} takes the name list printed: {name}", rr.returncode == 0, rr.stdout + rr.stderr)
    r = run("list", "--dir", catalogue)
    paths = [line.split(" (scenario ")[0].split()[0] for line in r.stdout.splitlines()]
    check("list --dir outside the catalogue prints paths",
          paths == [os.path.join(catalogue, n + ".scn") for n in ("file", "holds", "twin")], r.stdout)
    for path in paths:
        rr = run("run", path)
        check(f"run takes the path list --dir printed: {path}", rr.returncode == 0, rr.stdout + rr.stderr)

    r = run("list")
    check("list prints the catalogue", r.returncode == 0 and "pick_first_restart " in r.stdout, r.stdout)
    check("list of the catalogue warns of nothing", r.stderr == "" and "(scenario " not in r.stdout, r.stderr)
    r = run("list", "--dir", tmp)
    check("list --dir lists another folder, failing on a malformed file", r.returncode == 2 and "holds" in r.stdout, r.stdout + r.stderr)
    if os.path.exists("/dev/full"):
        for args in (("list",), ("run", "self_connect"), ("fuzz", "self_connect", "--runs", "2")):
            with open("/dev/full", "w") as full:
                rr = subprocess.run([NETSIM, *args], stdout=full, stderr=subprocess.PIPE, text=True, timeout=60)
            check(f"{args[0]} into a full disk exits 2 and says so",
                  rr.returncode == 2 and "writing standard output failed" in rr.stderr, rr.stderr)
    else:
        print("SKIPPED: the full-disk checks need /dev/full, which this system lacks")
    bom = os.path.join(tmp, "bom.scn")
    with open(bom, "wb") as f:
        f.write(b"\xef\xbb\xbfscenario bom\nhost m\nend at 1s\n")
    r = run("run", bom)
    check("a byte-order mark before the first line is skipped", r.returncode == 0 and "bom: holds" in r.stdout,
          r.stdout + r.stderr)
    for command in ("run", "fuzz", "list"):
        r = run(command, "--help")
        check(f"{command} --help exits 0", r.returncode == 0 and "usage: netsim " + command in r.stdout, r.stdout)

for failure in failures:
    print("FAIL", failure)
print(f"netsim cli: {passed} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
