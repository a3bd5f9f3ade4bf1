"""Memory against the horizon: peak resident memory of one replication of a scenario, for growing horizons.

Issue 11's goal: a one-year run of the shipped service centre stays under 300 MB, and memory grows by less than
1 MB per simulated week (the engine folds contact rows into daily sums, so nothing per contact is kept unless
``output.contacts`` asks for the log). Each horizon runs in a fresh process (peak RSS from ``getrusage``); the
reference, measured in the same run, is the same process after loading the scenario without simulating.

    .venv/bin/python benchmarks/bench_memory.py                       # 2, 4, 13 and 52 weeks (minutes)
    .venv/bin/python benchmarks/bench_memory.py --horizons 2w 3w      # smoke run
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL_PEAK_MB = 300.0
GOAL_GROWTH_MB_PER_WEEK = 1.0
CHILD = """
import resource, sys, time
import sim
from sim.model import simulate
horizon = sys.argv[2]
scenario = sim.load_config(sys.argv[1], [] if horizon == "0" else [f"horizon={horizon}"])
started = time.perf_counter()
contacts = 0
if horizon != "0":
    contacts = int(simulate(scenario, 0, 1).sums["offered"].sum())
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, time.perf_counter() - started, contacts)
"""


def measure(config: str, horizon: str) -> dict:
    """Peak RSS (MB), seconds and contacts of one replication with ``horizon`` (``0``: load only)."""
    out = subprocess.run([sys.executable, "-c", CHILD, config, horizon], capture_output=True, text=True,
                         cwd=ROOT, check=True)
    peak, seconds, contacts = out.stdout.split()
    return {"horizon": horizon, "peak_mb": float(peak), "seconds": float(seconds), "contacts": int(contacts)}


def weeks(horizon: str) -> float:
    from sim.config.units import parse_duration

    return parse_duration(horizon) / (7 * 86400)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default="configs/service_centre.yaml")
    parser.add_argument("--horizons", nargs="+", default=["2w", "4w", "13w", "52w"])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    reference = measure(args.config, "0")
    rows = [measure(args.config, h) for h in args.horizons]
    first, last = rows[-2] if len(rows) > 1 else rows[-1], rows[-1]
    span = weeks(last["horizon"]) - weeks(first["horizon"])
    growth = (last["peak_mb"] - first["peak_mb"]) / span if span > 0 else 0.0
    verdict = {"peak_mb": last["peak_mb"], "meets_peak_goal": last["peak_mb"] < GOAL_PEAK_MB,
               "growth_mb_per_week": growth, "meets_growth_goal": growth < GOAL_GROWTH_MB_PER_WEEK}
    if args.json:
        print(json.dumps({"config": args.config, "reference": reference, "runs": rows, **verdict}, indent=2))
        return
    print(f"{args.config}: loaded, not run: {reference['peak_mb']:.1f} MB")
    for row in rows:
        print(f"  {row['horizon']:>5}: peak {row['peak_mb']:7.1f} MB ({row['peak_mb'] - reference['peak_mb']:+6.1f} "
              f"over the reference), {row['contacts']:>10,} contacts offered, {row['seconds']:7.1f} s")
    print(f"peak {last['peak_mb']:.1f} MB (goal < {GOAL_PEAK_MB:.0f}); growth {growth:.2f} MB/week from "
          f"{first['horizon']} to {last['horizon']} (goal < {GOAL_GROWTH_MB_PER_WEEK:.0f})")


if __name__ == "__main__":
    main()
