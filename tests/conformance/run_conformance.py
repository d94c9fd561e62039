#!/usr/bin/env python3
"""Conformance harness: socket-operation scripts on real Linux, their recorded outcomes, and the
kernel model (see tests/conformance/README.md for the script format).

For every corpus script DIR/NAME.txt it runs the real-Linux runner twice, each run in a fresh
private network namespace (`unshare -n`): scripts that wait on kernel timers all at once (so the
corpus takes about as long as its longest script), the short ones --jobs at a time. A script's second run starts a second after its first: a 60 s kernel
timer fires anywhere in a granule of up to 5 s after its due time, and two runs started together
would share that phase and agree even when the outcome depends on it. Two real runs that
differ make the script UNSTABLE: reported, not compared. A stable real output must equal
NAME.expected, or NAME.alt.expected where a script keeps a second recording (else the real
kernel has drifted from the recordings). With --model CMD, `CMD NAME.txt` must print
NAME.expected (the model follows the first recording). Generated scripts (--generator) run on real Linux
twice and on the model, compared with each other live.

Without root or a working `unshare -n` the real side is SKIPPED (said loudly); the model is
still compared with the .expected files. Exit status: 0 all compared passed, 1 a failure,
77 nothing could be compared. The last line reads `conformance: P passed, F failed, S skipped`.
"""
import argparse
import concurrent.futures
import os
import pathlib
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

EXIT_SKIP = 77


class Outcome:
    """What one command printed, or why it did not finish."""

    def __init__(self, lines=None, error=None):
        self.lines = lines or []
        self.error = error

    def __eq__(self, other):
        if not isinstance(other, Outcome):
            return NotImplemented
        return self.lines == other.lines and self.error == other.error


def run_command(argv, timeout, delay=0.0):
    time.sleep(delay)
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return Outcome(error=f"timed out after {timeout}s: {shlex.join(argv)}")
    except OSError as e:
        return Outcome(error=f"cannot run {shlex.join(argv)}: {e}")
    if done.returncode != 0:
        why = done.stderr.strip().splitlines()
        return Outcome(done.stdout.splitlines(),
                       f"exit status {done.returncode}: {why[-1] if why else '(no message)'}")
    return Outcome(done.stdout.splitlines())


def real_side_unavailable(runner):
    """Why real-Linux runs cannot happen here, or None."""
    if not pathlib.Path(runner).is_file():
        return f"the real runner {runner} does not exist"
    if os.geteuid() != 0:
        return "not root (unshare -n needs CAP_SYS_ADMIN)"
    if shutil.which("unshare") is None:
        return "unshare(1) is not installed"
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        return f"`unshare -n true` fails: {probe.stderr.strip()}"
    return None


def parse_outcomes(lines):
    """{(script line number, k): outcome} and the lines that are neither `N outcome` nor a
    `table ...` line; the k-th table line after step N is keyed (N, k), the step itself (N, 0)."""
    by_line, stray = {}, []
    last, tables = None, 0
    for text in lines:
        number, _, outcome = text.partition(" ")
        if number.isdigit() and (int(number), 0) not in by_line:
            last, tables = int(number), 0
            by_line[(last, 0)] = outcome
        elif number == "table" and last is not None:
            tables += 1
            by_line[(last, tables)] = outcome
        else:
            stray.append(text)
    return by_line, stray


def diff_table(script_path, left_name, left, right_name, right):
    """A line-by-line comparison of two outputs beside the script's lines; `!` marks mismatches."""
    script_lines = pathlib.Path(script_path).read_text(encoding="utf-8").splitlines()
    a, a_stray = parse_outcomes(left.lines)
    b, b_stray = parse_outcomes(right.lines)
    rows = [f"    {'':2}{'line':>5}  {'script':<44} {left_name:<16} {right_name}"]
    for key in sorted(set(a) | set(b)):
        number, k = key
        if k == 0:
            source = script_lines[number - 1].strip()[:44] if 0 < number <= len(script_lines) else "?"
            label = f"{number}"
        else:
            source, label = "  (socket table)", f"{number}.{k}"
        mark = "!" if a.get(key) != b.get(key) else " "
        rows.append(f"    {mark:2}{label:>5}  {source:<44} {a.get(key, '-'):<16} {b.get(key, '-')}")
    for name, stray in ((left_name, a_stray), (right_name, b_stray)):
        rows += [f"    ! {name} printed an unexpected line: {text!r}" for text in stray]
    for name, outcome in ((left_name, left), (right_name, right)):
        if outcome.error:
            rows.append(f"    ! {name}: {outcome.error}")
    return "\n".join(rows)


def report_unstable(title, script, real_runs):
    """Prints and returns True when the real runs of a script differ."""
    other = next((run for run in real_runs[1:] if run != real_runs[0]), None)
    if other is None:
        return False
    print(f"{title}: two real-Linux runs differ (not compared)")
    print(diff_table(script, "real run 1", real_runs[0], "other run", other))
    return True


def waits_on_timers(script):
    """True for a script whose real run sleeps a second or more, or waits for SYN retries."""
    text = pathlib.Path(script).read_text(encoding="utf-8")
    for line in text.splitlines():
        words = line.split("#")[0].split()
        if len(words) == 2 and words[0] == "sleep" and words[1].endswith("s") and not words[1].endswith("ms"):
            return True
        if len(words) == 3 and words[0] == "listen" and words[2] == "0":
            return True
    return "times_out" in pathlib.Path(script).name


def read_expected(path):
    return Outcome(path.read_text(encoding="utf-8").splitlines()) if path.is_file() else None


def alternative_path(script):
    """NAME.alt.expected: a second real recording, for a script whose outcome differs between
    kernels that report the same version (the script's comment says where each was seen)."""
    return script.with_name(script.stem + ".alt.expected")


def matches_a_recording(outcome, expected, alternative):
    return outcome == expected or (alternative is not None and outcome == alternative)


class Tally:
    def __init__(self):
        self.passed = self.failed = self.skipped = 0

    def add(self, verdict):
        if verdict == "pass":
            self.passed += 1
        elif verdict == "fail":
            self.failed += 1
        else:
            self.skipped += 1


def judge_corpus_script(script, real_runs, model, record):
    """Compares one corpus script's outputs; prints what it finds; returns pass, fail or skip."""
    name = script.name
    expected_path = script.with_suffix(".expected")
    expected = read_expected(expected_path)
    alternative = read_expected(alternative_path(script))
    compared = failed = False
    if real_runs is not None:
        first = real_runs[0]
        if first.error:
            print(f"FAIL real {name}: the runner failed: {first.error}")
            failed = True
        elif report_unstable(f"UNSTABLE {name}", script, real_runs):
            pass
        elif record:
            if not matches_a_recording(first, expected, alternative):
                expected_path.write_text("".join(line + "\n" for line in first.lines), encoding="utf-8")
                print(f"RECORDED {expected_path.name}")
            expected = first
            compared = True
        elif expected is None:
            print(f"FAIL real {name}: no {expected_path.name} (record it with --record)")
            failed = True
        elif not matches_a_recording(first, expected, alternative):
            print(f"FAIL real {name}: the real kernel no longer prints {expected_path.name}"
                  + (f" or {alternative_path(script).name}" if alternative is not None else ""))
            print(diff_table(script, "expected", expected, "real", first))
            failed = True
        else:
            compared = True
    if model is not None:
        if expected is None:
            print(f"FAIL model {name}: no {expected_path.name} to compare with")
            failed = True
        elif model != expected:
            print(f"FAIL model {name}: the model differs from {expected_path.name}")
            print(diff_table(script, "expected", expected, "model", model))
            failed = True
        else:
            compared = True
    return "fail" if failed else "pass" if compared else "skip"


def judge_generated_script(script, real_runs, model):
    """Real twice (the generator promises a deterministic outcome) and the model against real."""
    name = script.name
    if real_runs is None:
        return "skip"
    first = real_runs[0]
    if first.error:
        print(f"FAIL generated {name}: the real runner failed: {first.error}")
        return "fail"
    if report_unstable(f"UNSTABLE generated {name}", script, real_runs):
        return "skip"
    if model is not None and model != first:
        print(f"FAIL generated {name}: the model differs from real Linux")
        print(diff_table(script, "real", first, "model", model))
        return "fail"
    return "pass"


def coverage_holds(model_argv, scripts, required, timeout):
    """Prints which (operation, socket condition) pairs the scripts meet on the model; False when
    a pair the directed scripts promise is not met (a recipe no longer reaches its condition)."""
    met = run_command(model_argv + ["--conditions"] + [str(s) for s in scripts], timeout)
    if met.error:
        print(f"FAIL coverage: the model could not list conditions: {met.error}")
        return False
    seen = {tuple(line.split()[:2]) for line in met.lines}
    missing = sorted(required - seen)
    print(f"coverage: {len(seen)} (operation, socket condition) pairs met by {len(scripts)} scripts; "
          f"{len(required) - len(missing)} of the {len(required)} required")
    for operation, condition in missing:
        print(f"FAIL coverage: no script applies {operation} to a socket in {condition}")
    return not missing


def loud(message):
    bar = "*" * 78
    print(f"{bar}\n* {message}\n{bar}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--real-runner", required=True, help="path of the real_linux_runner executable")
    parser.add_argument("--scripts", required=True, help="folder of NAME.txt scripts with NAME.expected")
    parser.add_argument("--model",
                        help="command that runs a script on the model, e.g. 'build/tools/netsim syscalls'")
    parser.add_argument("--generator", help="path of the generate_scripts executable")
    parser.add_argument("--generated", type=int, default=0, help="how many scripts to generate (default 0)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--directed", action="store_true",
                        help="also run the generator's directed scripts (one per (operation, socket condition) "
                             "pair), and check that the corpus plus every generated script meets each such pair "
                             "on the model")
    parser.add_argument("--record", action="store_true",
                        help="(re)write NAME.expected from the real kernel for every stable script")
    parser.add_argument("--filter", default="", help="only corpus scripts whose name contains this")
    parser.add_argument("--real-runs", type=int, default=2,
                        help="real runs per script (default 2, at least 2)")
    parser.add_argument("--stagger", type=float, default=1.0,
                        help="seconds between the starts of a script's real runs (default 1.0), so that they "
                             "fall differently on the kernel's timer-wheel granules")
    parser.add_argument("--timeout", type=int, default=400, help="seconds one run may take (default 400)")
    parser.add_argument("--jobs", type=int, default=8 * (os.cpu_count() or 1),
                        help="short runs (real and model) at a time (default 8 per CPU: 16 runs on 2 cores kept the "
                             "corpus plus 500 generated scripts at 136 s, its longest script; 4 took 161 s); "
                             "scripts that wait on timers always start at once")
    args = parser.parse_args()
    if args.real_runs < 2:
        parser.error("--real-runs must be at least 2")
    if args.record and args.model:
        parser.error("--record writes the real kernel's outcomes; leave out --model")

    scripts = sorted(p for p in pathlib.Path(args.scripts).glob("*.txt") if args.filter in p.name)
    unavailable = real_side_unavailable(args.real_runner)
    if unavailable:
        loud(f"SKIPPED: real-Linux runs, because {unavailable}")
    if args.record and unavailable:
        print("conformance: 0 passed, 0 failed, 0 skipped")
        return EXIT_SKIP

    model_argv = shlex.split(args.model) if args.model else None
    with tempfile.TemporaryDirectory(prefix="netsim-generated-") as scratch:
        generated = []
        if args.generator and args.generated > 0:
            out = pathlib.Path(scratch)
            made = run_command([args.generator, "--seed", str(args.seed), "--count", str(args.generated),
                                "--out", str(out)], args.timeout)
            if made.error:
                print(f"FAIL generator: {made.error}")
                print("conformance: 0 passed, 1 failed, 0 skipped")
                return 1
            generated = sorted(out.glob("*.txt"))
            print(f"generated {len(generated)} scripts with seed {args.seed}")
        required_pairs = set()
        if args.generator and args.directed:
            out = pathlib.Path(scratch) / "directed"
            made = run_command([args.generator, "--directed", "--out", str(out)], args.timeout)
            if made.error:
                print(f"FAIL generator --directed: {made.error}")
                print("conformance: 0 passed, 1 failed, 0 skipped")
                return 1
            required_pairs = {tuple(line.split()) for line in made.lines}
            directed = sorted(out.glob("*.txt"))
            print(f"generated {len(directed)} directed scripts, one per (operation, socket condition) pair")
            generated += directed

        every = scripts + generated
        # Scripts that wait on kernel timers (sleeps of a second or more, SYN retries against a
        # full accept queue) sleep for up to 135 s: they all start at once, in a pool of their
        # own. Every other run is short and CPU-bound (a namespace, a process, a few system
        # calls): those run --jobs at a time, which is what the machine sustains.
        slow = [s for s in every if waits_on_timers(s)]
        quick = [s for s in every if s not in slow]
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, len(slow) * args.real_runs)) as slow_pool, \
                concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            real = {}
            if not unavailable:
                for script in slow + quick:
                    argv = ["unshare", "-n", args.real_runner, str(script)]
                    runner_pool = slow_pool if script in slow else pool
                    real[script] = [runner_pool.submit(run_command, argv, args.timeout, run * args.stagger)
                                    for run in range(args.real_runs)]
            model = {s: pool.submit(run_command, model_argv + [str(s)], args.timeout) for s in every} \
                if model_argv else {}
            tally = Tally()
            noteworthy = []  # generated scripts that failed or were unstable
            for script in every:
                real_runs = [f.result() for f in real[script]] if script in real else None
                model_run = model[script].result() if script in model else None
                if script in generated:
                    verdict = judge_generated_script(script, real_runs, model_run)
                    if verdict != "pass" and real_runs is not None:
                        noteworthy.append(script)
                else:
                    verdict = judge_corpus_script(script, real_runs, model_run, args.record)
                tally.add(verdict)
        if required_pairs and model_argv:
            if not coverage_holds(model_argv, scripts + generated, required_pairs, args.timeout):
                tally.add("fail")
        if noteworthy:
            keep = pathlib.Path(tempfile.mkdtemp(prefix="netsim-generated-kept-"))
            for script in noteworthy:
                shutil.copy(script, keep / script.name)
            print(f"{len(noteworthy)} generated scripts that failed or were unstable are kept in {keep}; "
                  f"all of them again: {pathlib.Path(args.generator).name} --seed {args.seed} "
                  f"--count {args.generated} --out DIR")

    print(f"conformance: {tally.passed} passed, {tally.failed} failed, {tally.skipped} skipped")
    if tally.failed:
        return 1
    return EXIT_SKIP if tally.passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
