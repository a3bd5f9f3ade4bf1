"""This tree against a release, in one run: identical results where the model is unchanged, and the speed ratio.

The release (default: a814e1d, the commit issue 13's speed goal refers to) is checked out in a temporary
git worktree; each side runs in its own subprocess with ``PYTHONPATH`` pointing at its tree, on the same
scenario files (taken from the release, so both sides simulate the same centre) with the same seeds.

- **fingerprints**: every table ``sim.run`` returns (runs, intervals, days, weeks, tiers, channels, issues,
  groups), each column the release has, numbers as floats rounded to 10 significant digits (sums taken in
  another order differ in the last bits, a count may be kept as an integer on one side and a float on the
  other, -0.0 is 0.0: none of that is a model change), hashed. Columns the tree adds are listed, not compared.
  The cases (``CASES``) include callbacks on the phone and shift lines with breaks; a case the release
  cannot read (a feature newer than it) is skipped and said so.
- **speed**: contacts simulated per second by ``sim.model.simulate`` (the engine alone: demand, SimPy, the
  tallies), best of ``--repeat`` processes of two runs each, for the release, this tree's engine as built
  (compiled by mypyc where ``setup.py`` could, see ``sim.compiled``; the line says which) and this tree's
  engine from its Python source (``SERVSIM_PURE=1``), alternating the sides so that load on the machine hits
  all alike; per second of wall time and per second of the process's CPU time (steadier on a
  shared machine, where other work takes the CPU away from a run but is not charged to it).

    python benchmarks/release_check.py                      # fingerprints and speed, default sizes
    python benchmarks/release_check.py --days 10 --repeat 3 # longer timing runs
    python benchmarks/release_check.py --skip-speed         # fingerprints only
    python benchmarks/release_check.py --release 1e81236 --skip-speed   # a refactoring against its base commit
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RELEASE = "a814e1d"
# (config, overrides, replications): what is compared; horizons short enough for a quick check.
CASES = (
    ("configs/phone_line.yaml", ["horizon=2d"], 2),
    ("configs/service_centre.yaml", ["horizon=3d", "warmup=0s"], 2),
    ("configs/service_centre.yaml", ["horizon=8d", "warmup=1d", "customers.base.size=20000"], 1),
    ("configs/erlang_a_benchmark.yaml", ["horizon=1d"], 2),
    # features newer than a814e1d (a release that cannot read a case skips it): callbacks on the phone, and
    # shift lines with breaks for the specialists
    ("configs/service_centre.yaml", ["horizon=4d", "warmup=0s", "channels.phone.callbacks={offer_above: 5s, "
                                     "missed: 0.3}"], 2),
    ("configs/service_centre.yaml", ["horizon=4d", "warmup=0s", "agents.specialists={channels: [phone, email], "
                                     "skills: {general: 0.9, specialist: 1.0}, tenure: {dist: exponential, mean: 2y}, "
                                     "lines: [{name: early, start: '08:00', end: '16:30', count: 8, breaks: [{name: "
                                     "rest, start: '10:00', length: 15min, paid: true}, {name: lunch, start: '12:00', "
                                     "length: 30min, paid: false}]}, {name: late, start: '12:00', end: '20:00', "
                                     "count: 6}]}", "channels.phone.callbacks={offer_above: 20s}"], 2),
)
TABLES = ("runs", "intervals", "days", "weeks", "tiers", "channels", "issues", "groups")

CHILD = r"""
import hashlib, json, sys, time
import numpy as np, pandas as pd
mode, config, overrides, reps = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), int(sys.argv[4])
from sim.config.loader import load_config
scenario = load_config(config, overrides)
if mode == "speed":
    from sim.model.simulate import simulate
    wall = cpu = 0.0
    for rep in range(reps):  # the same replication each time (the first run also pays for lazy imports)
        t, c = time.perf_counter(), time.process_time(); out = simulate(scenario, 0, 1)
        t, c = time.perf_counter() - t, time.process_time() - c
        wall, cpu = max(wall, out.meta["contacts"] / t), max(cpu, out.meta["contacts"] / c)
    import sim
    engine = getattr(sim, "ENGINE", "pure")  # a release older than the compiled engine runs Python
    print(json.dumps({"contacts_per_second": wall, "contacts_per_cpu_second": cpu, "engine": engine}))
    sys.exit()
import sim
res = sim.run(scenario, reps, 11)
out = {}
for name in TABLES_HERE:
    frame = getattr(res, name, None)
    if frame is None:
        continue
    cols = {}
    for col in frame.columns:
        values = frame[col]
        if values.dtype.kind in "iufc":  # a count kept as float elsewhere is the same count; -0.0 is 0.0
            values = values.astype(float).map(lambda x: "nan" if x != x else float(f"{x:.10g}") + 0.0)
        cols[str(col)] = hashlib.sha256(json.dumps(list(map(str, values))).encode()).hexdigest()[:12]
    out[name] = cols
print(json.dumps(out))
""".replace("TABLES_HERE", repr(TABLES))


def child(tree: Path, *args: str, unknown_ok: bool = False, pure: bool = False) -> dict | None:
    """What the child prints; None if ``unknown_ok`` and the tree rejects the scenario (a feature it lacks).
    ``pure``: the tree's engine runs from its Python source even where it is compiled (``SERVSIM_PURE``)."""
    env = {k: v for k, v in os.environ.items() if k != "SERVSIM_PURE"} | {"PYTHONPATH": str(tree)}
    if pure:
        env["SERVSIM_PURE"] = "1"
    done = subprocess.run([sys.executable, "-c", CHILD, *args], capture_output=True, text=True, env=env, cwd=tree)
    if done.returncode != 0:
        if unknown_ok and "InputError" in done.stderr:
            return None
        raise SystemExit(f"{tree}: {' '.join(args)} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def release_tree(commit: str, into: Path) -> Path:
    subprocess.run(["git", "worktree", "add", "--detach", str(into), commit], cwd=ROOT, check=True,
                   capture_output=True)
    return into


def fingerprints(release: Path) -> bool:
    """Compare every case's tables; False if any column differs, or if no case could be compared at all."""
    same, compared = True, 0
    for config, overrides, reps in CASES:
        label = " ".join(overrides)
        label = f"{Path(config).name} {label if len(label) < 70 else label[:67] + '...'} x{reps}"
        path = str(release / config)  # the release's file: both sides simulate the same centre
        old = child(release, "tables", path, json.dumps(overrides), str(reps), unknown_ok=True)
        if old is None:
            print(f"{label}: skipped, the release does not read it")
            continue
        new = child(ROOT, "tables", path, json.dumps(overrides), str(reps))
        assert new is not None
        compared += 1
        for table in TABLES:
            if table not in old:
                if table in new:
                    print(f"{label} {table}: new table, the release has none")
                continue
            differ = [c for c, h in old[table].items() if new.get(table, {}).get(c) != h]
            added = sorted(set(new.get(table, {})) - set(old[table]))
            verdict = "identical" if not differ else f"DIFFERENT in {differ}"
            same &= not differ
            extra = f" (new columns: {', '.join(added)})" if added else ""
            print(f"{label} {table}: {verdict}{extra}")
    if not compared:
        print("no case could be compared: the release reads none of them")
    return same and compared > 0


def speed(release: Path, days: int, contacts_days: int, repeat: int) -> None:
    """Contacts per second of the release, this tree's engine as built (compiled where ``setup.py`` could) and
    this tree's engine from its Python source, alternating so that the machine's load falls on all alike."""
    cases = (("service centre", "configs/service_centre.yaml", [f"horizon={days}d", "warmup=0s"]),
             ("M/M/9+M", "configs/erlang_a_benchmark.yaml", [f"horizon={contacts_days}d", "warmup=0"]))
    sides = (("release", release, False), ("tree", ROOT, False), ("tree as Python", ROOT, True))
    for label, config, overrides in cases:
        wall = dict.fromkeys((side for side, _, _ in sides), 0.0)
        cpu = dict(wall)
        engine = ""
        for _ in range(repeat):
            for side, tree, pure in sides:
                got = child(tree, "speed", str(release / config), json.dumps(overrides), "2", pure=pure)
                assert got is not None
                wall[side] = max(wall[side], got["contacts_per_second"])
                cpu[side] = max(cpu[side], got["contacts_per_cpu_second"])
                engine = got["engine"] if side == "tree" else engine
        print(f"{label}: release {wall['release']:,.0f} contacts/s; this tree ({engine}) {wall['tree']:,.0f}, "
              f"ratio {wall['tree'] / wall['release']:.2f}; this tree as Python {wall['tree as Python']:,.0f}, "
              f"ratio {wall['tree as Python'] / wall['release']:.2f}. Per CPU second: release {cpu['release']:,.0f}, "
              f"this tree {cpu['tree']:,.0f} (ratio {cpu['tree'] / cpu['release']:.2f}), as Python "
              f"{cpu['tree as Python']:,.0f} (ratio {cpu['tree as Python'] / cpu['release']:.2f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--release", default=RELEASE)
    parser.add_argument("--days", type=int, default=5, help="service-centre horizon for timing (days)")
    parser.add_argument("--mm9-days", type=int, default=20, help="M/M/9+M horizon for timing (days)")
    parser.add_argument("--repeat", type=int, default=3, help="timing runs per side (best kept)")
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--skip-fingerprints", action="store_true")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="servsim-release-"))
    release = release_tree(args.release, scratch / "tree")
    try:
        same = True if args.skip_fingerprints else fingerprints(release)
        if not args.skip_speed:
            speed(release, args.days, args.mm9_days, args.repeat)
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(release)], cwd=ROOT, capture_output=True)
        shutil.rmtree(scratch, ignore_errors=True)
    if not same:
        raise SystemExit("results differ from the release")


if __name__ == "__main__":
    main()
