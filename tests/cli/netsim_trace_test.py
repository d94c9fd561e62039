#!/usr/bin/env python3
"""`netsim run --trace`: every format comes out of a failing run of the catalogue's
pick_first_restart and of a small scenario, and reads back: the text timeline marks the
violation inline, jsonl parses line by line and follows its schema (docs/traces.md), the
trace hash is the same with and without writers, the filters keep only what they name, and
bad trace options exit 2 with a message. Usage: netsim_trace_test.py NETSIM"""
import json
import os
import re
import shutil
import struct
import xml.etree.ElementTree as ElementTree
import zlib
import subprocess
import sys
import tempfile

NETSIM = sys.argv[1]
failures = []
passed = 0


def run(*args, timeout=120):
    return subprocess.run([NETSIM, *args], capture_output=True, text=True, timeout=timeout)


def check(name, condition, detail=""):
    global passed
    if condition:
        passed += 1
    else:
        failures.append(f"{name}: {detail}")


def trace_hash(stdout):
    return [l for l in stdout.splitlines() if l.startswith("trace-hash: ")]


def trace_event_problems(doc):
    """What breaks the Trace Event Format (the keys each phase requires, B/E nesting per
    thread, flows that start and finish, named processes and threads); [] when none."""
    problems = []
    events = doc.get("traceEvents")
    if not isinstance(events, list) or not events:
        return ["no traceEvents array"]
    required = {"B": {"ts", "pid", "tid", "name"}, "E": {"ts", "pid", "tid"}, "X": {"ts", "pid", "tid", "name", "dur"},
                "i": {"ts", "pid", "tid", "name", "s"}, "C": {"ts", "pid", "name", "args"},
                "s": {"ts", "pid", "tid", "name", "id", "cat"}, "f": {"ts", "pid", "tid", "name", "id", "cat"},
                "M": {"pid", "name", "args"}}
    stacks, flows, named_pids, named_tids = {}, {}, set(), set()
    for e in events:
        ph = e.get("ph")
        if ph not in required:
            problems.append(f"unknown phase {ph!r}: {e}")
            continue
        missing = required[ph] - set(e)
        if missing:
            problems.append(f"{ph} event without {sorted(missing)}: {e}")
            continue
        if "ts" in e and not isinstance(e["ts"], (int, float)):
            problems.append(f"ts is not a number: {e}")
        if ph == "M":
            (named_pids if e["name"] == "process_name" else named_tids).add((e["pid"], e.get("tid")))
            continue
        if ph == "C" and not all(isinstance(v, (int, float)) for v in e["args"].values()):
            problems.append(f"counter with a value that is not a number: {e}")
        thread = (e["pid"], e.get("tid"))
        if ph != "C" and thread not in named_tids:
            problems.append(f"thread without a thread_name: {e}")
        if (e["pid"], 0) not in named_pids:
            problems.append(f"process without a process_name: {e}")
        if ph == "B":
            stacks.setdefault(thread, []).append(e["ts"])
        elif ph == "E":
            if not stacks.get(thread):
                problems.append(f"E without a B: {e}")
            elif stacks[thread].pop() > e["ts"]:
                problems.append(f"E before its B: {e}")
        elif ph == "s":
            flows[e["id"]] = e["ts"]
        elif ph == "f":
            if flows.pop(e["id"], None) is None:
                problems.append(f"flow end without a start: {e}")
    problems += [f"B never ended on {t}" for t, stack in stacks.items() if stack]
    problems += [f"flow {i} never ended" for i in flows]
    return problems


def png_pixels(path):
    """(width, height, rows of RGBA bytes) of an 8-bit RGB/RGBA PNG, decoded with zlib alone."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, chunks = 8, {}
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunks.setdefault(kind, []).append(data[pos + 8:pos + 8 + length])
        pos += 12 + length
    width, height, depth, color = struct.unpack(">IIBB", chunks[b"IHDR"][0][:10])
    assert depth == 8 and color in (2, 6), f"unexpected PNG depth {depth} color {color}"
    bpp = 4 if color == 6 else 3
    raw = zlib.decompress(b"".join(chunks[b"IDAT"]))
    stride, rows, prev = width * bpp, [], bytearray(width * bpp)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if kind == 1: line[i] = (line[i] + a) & 255
            elif kind == 2: line[i] = (line[i] + b) & 255
            elif kind == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line) if bpp == 4 else bytes(x for j in range(width) for x in (*line[3 * j:3 * j + 3], 255)))
        prev = line
    return width, height, rows


def failing_seed(scenario, *sets):
    """The first failing seed of a sweep, as `netsim fuzz --stop-on-first` replays it."""
    r = run("fuzz", scenario, "--runs", "5000", "--stop-on-first", *sets)
    m = re.search(r"netsim run \S+ --seed (\d+)", r.stdout)
    return m.group(1) if m else None


SCENARIO_V6 = """scenario v6
host machine
server a on machine at [::1]:5000 started
channel client on machine policy=pick_first target=a
at 10ms as first: rpc client
expect a receives rpcs within 1s after first
end at 200ms
"""

# Shared with the other CLI test: a squatter takes a's port between stop and restart on some
# seeds only (a window). Written to a temporary file below, so reports name that file.
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "race.scn"), encoding="utf-8") as shared:
    SCENARIO_RACE = shared.read()

with tempfile.TemporaryDirectory() as tmp:
    race = os.path.join(tmp, "race.scn")
    with open(race, "w") as f:
        f.write(SCENARIO_RACE)
    seed = failing_seed(race)
    check("the race scenario fails on some seed", seed is not None, "no failing seed")
    seed = seed or "0"
    plain = run("run", race, "--seed", seed)
    check("the race's seed fails", plain.returncode == 1, plain.stdout)

    # text: -v and --format text give the same timeline, with the violation inline.
    r = run("run", race, "--seed", seed, "-v")
    timeline = r.stdout[: r.stdout.find("race: FAILED")]
    check("-v prints the timeline before the report", "server.start" in timeline, r.stdout[:300])
    marks = [l for l in timeline.splitlines() if l.startswith("!!")]
    check("-v marks the violation inline", len(marks) == 1 and "VIOLATION" in marks[0] and "expect restart_a succeeds" in marks[0], marks)
    check("-v keeps the trace hash", trace_hash(r.stdout) == trace_hash(plain.stdout), r.stdout[-200:])
    text = os.path.join(tmp, "t.txt")
    r = run("run", race, "--seed", seed, "--trace", text)
    check("--trace FILE.txt writes the text timeline", r.returncode == 1 and open(text).read() == timeline,
          open(text).read()[:300])
    check("--trace keeps the report and the trace hash", r.stdout == plain.stdout, r.stdout[-200:])
    lines = timeline.splitlines()
    check("the timeline's instants are aligned", len({l.index("s  ") for l in lines}) == 1, lines[:3])

    # jsonl: parses, follows the schema, and matches the text line for line.
    jsonl = os.path.join(tmp, "t.jsonl")
    r = run("run", race, "--seed", seed, "--trace", jsonl, "--format", "jsonl")
    objects = [json.loads(l) for l in open(jsonl)]
    check("jsonl has one object per timeline line", len(objects) == len(lines), f"{len(objects)} vs {len(lines)}")
    schema_ok = all(set(o) == {"t_ns", "source", "kind", "fields"} and isinstance(o["t_ns"], int)
                    and isinstance(o["source"], str) and isinstance(o["kind"], str) and isinstance(o["fields"], dict)
                    and all(isinstance(v, (int, str)) for v in o["fields"].values()) for o in objects)
    check("every jsonl object follows the schema", schema_ok, objects[:2])
    check("jsonl instants never go back", all(a["t_ns"] <= b["t_ns"] for a, b in zip(objects, objects[1:])))
    violations = [o for o in objects if o["kind"] == "violation"]
    check("jsonl has the violation as an oracle record",
          len(violations) == 1 and violations[0]["source"] == "oracle" and "restart_a" in violations[0]["fields"]["expectation"],
          violations)
    starts = [o for o in objects if o["kind"] == "server.start"]
    check("jsonl keeps integers as numbers and errno as text",
          any(o["fields"].get("result") == "EADDRINUSE" and o["fields"].get("port") == 5000 for o in starts), starts)

    # filters
    r = run("run", race, "--seed", seed, "-v", "--trace-kind", "server.*,tcp.state")
    kinds = {l.split()[2] for l in r.stdout.splitlines() if l.startswith("  ") and re.match(r"\s+\d+\.\d{9}s ", l)}
    check("--trace-kind keeps only those kinds", kinds == {"server.start", "server.stop", "tcp.state"}, kinds)
    r = run("run", race, "--seed", seed, "--trace", jsonl, "--trace-process", "squatter", "--trace-from", "10ms")
    objects = [json.loads(l) for l in open(jsonl)]
    check("--trace-process keeps that process's records", objects and all(o["source"].startswith("squatter") or o["kind"] == "violation" for o in objects), objects[:3])
    check("--trace-from drops what came before", all(o["t_ns"] >= 10_000_000 for o in objects), objects[:1])
    r = run("run", race, "--seed", seed, "--trace", jsonl, "--around-failure", "1ms")
    objects = [json.loads(l) for l in open(jsonl)]
    at = next(o["t_ns"] for o in objects if o["kind"] == "violation")
    check("--around-failure centres on the first violation", all(abs(o["t_ns"] - at) <= 1_000_000 for o in objects), objects[:1])
    r = run("run", race, "--seed", seed, "--trace", jsonl, "--trace-port", "5000", "--trace-host", "machine")
    objects = [json.loads(l) for l in open(jsonl)]
    check("--trace-port keeps records naming the port",
          objects and all("5000" in json.dumps(o["fields"]) for o in objects if o["kind"] != "violation"), objects[:3])

    r = run("run", race, "--seed", seed, "--trace", "-", "--format", "jsonl")
    check("--trace - writes only the trace to standard output", all(json.loads(l) for l in r.stdout.splitlines()),
          r.stdout[:200])
    check("--trace - sends the report to standard error", "race: FAILED" in r.stderr and r.returncode == 1, r.stderr)
    if os.path.exists("/dev/full"):
        r = run("run", race, "--seed", seed, "--trace", "/dev/full", "--format", "jsonl")
        check("a failed write exits 2 and says so", r.returncode == 2 and "writing /dev/full failed" in r.stderr, r.stderr)

    # usage errors: exit 2 with a message, no crash
    for args, why in [
        (["--trace", jsonl, "--format", "xml"], "--format needs one of"),
        (["--format", "jsonl"], "--format needs --trace"),
        (["--trace", os.path.join(tmp, "t.dat")], "say which format"),
        (["--trace", jsonl, "--trace-from", "soon"], "needs a duration"),
        (["--trace", jsonl, "--trace-from", "2s", "--trace-until", "1s"], "after --trace-until"),
        (["--trace", jsonl, "--around-failure", "1ms", "--trace-from", "1ms"], "--around-failure sets the window"),
        (["-v", "--trace-from", "2s", "--trace-until", "1s"], "after --trace-until"),
        (["-v", "--around-failure", "1ms", "--trace-until", "1ms"], "--around-failure sets the window"),
        (["--trace", jsonl, "--trace-port", "70000"], "up to 65535"),
        (["--trace-kind", "tcp.*"], "need --trace FILE or -v"),
        (["--trace", os.path.join(tmp, "no", "such", "dir.jsonl")], "cannot write"),
        (["--trace"], "needs a value"),
        (["-v", "--trace", "-", "--format", "text"], "both write to standard output"),
        (["-v", "--trace-host", "nosuch"], "no such host (hosts: machine)"),
        (["-v", "--trace-process", "nosuch"], "no such component (components: machine/kernel, a, squatter)"),
    ]:
        r = run("run", race, "--seed", seed, *args)
        check(f"run {' '.join(args)} is a usage error", r.returncode == 2 and why in r.stderr, r.stderr)

    # The catalogue's restart race, traced in every format.
    seed = failing_seed("pick_first_restart", "--set", "listener=reuseaddr") or "0"
    base = run("run", "pick_first_restart", "--seed", seed)
    for fmt in ("text", "jsonl"):
        out = os.path.join(tmp, f"restart.{fmt}")
        r = run("run", "pick_first_restart", "--seed", seed, "--trace", out, "--format", fmt)
        check(f"pick_first_restart --format {fmt} keeps the verdict and hash", r.stdout == base.stdout and r.returncode == 1,
              r.stderr)
        check(f"pick_first_restart --format {fmt} writes a trace", os.path.getsize(out) > 100000, os.path.getsize(out))

    # pcap: tshark reads it back (packet count, flags, ports, checksums).
    pcap = os.path.join(tmp, "restart.pcap")
    r = run("run", "pick_first_restart", "--seed", seed, "--trace", pcap)
    check("pick_first_restart --trace FILE.pcap keeps the verdict", r.stdout == base.stdout, r.stderr)
    tshark = shutil.which("tshark")
    if tshark is None:
        print("SKIP pcap read-back: tshark is not installed (tools/dev test installs Debian's tshark)")
    else:
        jsonl = os.path.join(tmp, "restart.jsonl")
        segments = [json.loads(l) for l in open(jsonl)]
        segments = [o["fields"] for o in segments if o["source"] == "net" and o["kind"] == "tx"]
        fields = subprocess.run(
            [tshark, "-r", pcap, "-o", "tcp.check_checksum:TRUE", "-o", "ip.check_checksum:TRUE", "-T", "fields",
             "-e", "tcp.srcport", "-e", "tcp.dstport", "-e", "tcp.flags.str", "-e", "tcp.checksum.status",
             "-e", "ip.checksum.status", "-e", "tcp.len"],
            capture_output=True, text=True, timeout=300)
        rows = [l.split("\t") for l in fields.stdout.splitlines()]
        check("tshark reads one packet per segment", len(rows) == len(segments) and len(rows) > 1000,
              f"{len(rows)} packets, {len(segments)} segments; {fields.stderr[-300:]}")
        check("every TCP and IPv4 checksum is good", all(row[3] == "1" and row[4] == "1" for row in rows),
              [row for row in rows if row[3] != "1" or row[4] != "1"][:3])
        def flag_names(shown):  # tshark's "·······A··S·" -> {"ACK", "SYN"}
            return {name for letter, name in (("S", "SYN"), ("A", "ACK"), ("F", "FIN"), ("R", "RST")) if letter in shown}
        mismatches = [(row, seg) for row, seg in zip(rows, segments)
                      if flag_names(row[2]) != set(seg["flags"].split("|")) - {"-"}
                      or row[0] != seg["src"].rsplit(":", 1)[1] or row[1] != seg["dst"].rsplit(":", 1)[1]
                      or int(row[5]) != seg["bytes"]]
        check("flags, ports and lengths are the trace's", not mismatches, mismatches[:3])
        check("the capture has SYN, SYN|ACK and FIN segments",
              {"SYN", "SYN|ACK", "FIN|ACK"} <= {seg["flags"] for seg in segments}, {seg["flags"] for seg in segments})
        expert = subprocess.run(
            [tshark, "-r", pcap, "-o", "tcp.check_checksum:TRUE", "-o", "ip.check_checksum:TRUE", "-q", "-z", "expert"],
            capture_output=True, text=True, timeout=300)
        check("tshark reports no bad checksum and no sequence problem",
              "checksum" not in expert.stdout.lower() and "out-of-order" not in expert.stdout.lower()
              and "previous segment not captured" not in expert.stdout.lower(), expert.stdout[:600])
        v6 = os.path.join(tmp, "v6.scn")
        with open(v6, "w") as f:
            f.write(SCENARIO_V6)
        v6_pcap = os.path.join(tmp, "v6.pcap")
        r = run("run", v6, "--trace", v6_pcap)
        rows = subprocess.run([tshark, "-r", v6_pcap, "-o", "tcp.check_checksum:TRUE", "-T", "fields", "-e", "ipv6.src",
                               "-e", "tcp.checksum.status", "-e", "tcp.flags.str"],
                              capture_output=True, text=True, timeout=60).stdout.splitlines()
        check("an IPv6 run's pcap has IPv6 frames with good TCP checksums",
              r.returncode == 0 and rows and all(l.split("\t")[:2] == ["::1", "1"] for l in rows), rows[:3])

    # chrome: valid trace-event JSON with the threads, slices, flows and counter it promises.
    chrome = os.path.join(tmp, "restart.json")
    r = run("run", "pick_first_restart", "--seed", seed, "--trace", chrome)
    check("pick_first_restart --trace FILE.json keeps the verdict", r.stdout == base.stdout, r.stderr)
    doc = json.load(open(chrome))
    problems = trace_event_problems(doc)
    check("the chrome trace follows the trace-event format", not problems, problems[:5])
    events = doc["traceEvents"]
    names = {e["args"]["name"] for e in events if e["ph"] == "M"}
    check("hosts are processes", "machine" in names, sorted(names)[:10])
    check("servers, channels and subchannels are threads",
          {"a", "b", "client channel", "client subchannel 1"} <= names, sorted(names)[:20])
    check("sockets are threads named by their address", any(n.startswith("sock ") and "127.0.0.1:" in n for n in names))
    slices = {e["name"] for e in events if e["ph"] == "B"}
    check("TCP states and TIME_WAIT are slices", {"SYN_SENT", "ESTABLISHED", "TIME_WAIT", "LISTEN"} <= slices, slices)
    check("segments are flows", sum(e["ph"] == "s" for e in events) == len(segments) if tshark else
          sum(e["ph"] == "s" for e in events) > 1000)
    check("the channel's state is a counter", any(e["ph"] == "C" and e["name"] == "client connectivity" for e in events))
    count = int(re.search(r"FAILED \(seed \d+, (\d+) violation", base.stdout).group(1))
    check("the violations are global instants",
          sum(e["ph"] == "i" and e.get("s") == "g" and e["name"].startswith("VIOLATION") for e in events) == count)

    # svg: well-formed, renders to a PNG of its size that is not blank, shows the race.
    svg = os.path.join(tmp, "restart.svg")
    r = run("run", "pick_first_restart", "--seed", seed, "--trace", svg, "--around-failure", "15ms")
    check("pick_first_restart --trace FILE.svg keeps the verdict", r.stdout == base.stdout, r.stderr)
    root = ElementTree.parse(svg).getroot()
    check("the svg is an svg document", root.tag == "{http://www.w3.org/2000/svg}svg", root.tag)
    text = " ".join("".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text"))
    for words in ("pick_first_restart", "server on machine", "channel on machine", "SYN", "VIOLATION"):
        check(f"the svg shows {words!r}", words in text, text[:300])
    check("the svg shows the failed bind, if the seed's failure is one",
          "failed: EADDRINUSE" in text or "EADDRINUSE" not in base.stdout, text[:300])
    rsvg = shutil.which("rsvg-convert")
    if rsvg is None:
        print("SKIP svg rendering: rsvg-convert is not installed (tools/dev test installs Debian's librsvg2-bin)")
    else:
        png = os.path.join(tmp, "restart.png")
        rr = subprocess.run([rsvg, "-o", png, svg], capture_output=True, text=True, timeout=120)
        check("rsvg-convert renders the svg", rr.returncode == 0 and os.path.exists(png), rr.stderr)
        if rr.returncode == 0:
            width, height, rows = png_pixels(png)
            check("the png has the svg's size", (width, height) == (int(root.get("width")), int(root.get("height"))),
                  (width, height, root.get("width"), root.get("height")))
            pixels = [row[i:i + 4] for row in rows[::3] for i in range(0, len(row), 12)]
            inked = sum(1 for p in pixels if min(p[:3]) < 200) / len(pixels)
            check("the png is not blank", 0.01 < inked < 0.6, inked)
            reds = sum(1 for p in pixels if p[0] > 150 and p[1] < 90 and p[2] < 90)
            blues = sum(1 for p in pixels if p[2] > 150 and p[0] < 90)
            check("the png shows red (violations) and blue (SYN) ink", reds > 10 and blues > 3, (reds, blues))

for failure in failures:
    print("FAIL", failure)
print(f"netsim trace cli: {passed} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
