"""Sweep throughput: serial against the local process pool, and the per-run overhead of a sweep.

A 40-run sweep (4 scenarios x 10 replications) of the M/M/9+M scenario with a
horizon long enough for runs of a couple of seconds. Prints runs/s of each
executor, their ratio, and overhead = (sweep wall time x jobs - sum of run
times) / sum of run times, i.e. the share of worker time not spent simulating.

    python benchmarks/bench_sweep.py                 # 40 runs, horizon 60d (~1.5 s a run)
    python benchmarks/bench_sweep.py --horizon 5d    # smoke run
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import pandas as pd

import sim

ROOT = Path(__file__).resolve().parents[1]
EXPERIMENT = """
name: bench_sweep
base: {base}
set: {{horizon: {horizon}, warmup: 0}}
grid: {{agents.agents.staffing: [9, 10, 11, 12]}}
replications: 10
seed: 1
"""


def measure(path: Path, out: Path, executor: str, jobs: int) -> dict:
    """Wall time of one whole sweep and the sum of its runs' own times."""
    started = time.perf_counter()
    results = sim.sweep(path, out, executor=executor, jobs=jobs)
    wall = time.perf_counter() - started
    busy = float(results.runs["wall_seconds"].sum())
    return {"executor": executor, "jobs": jobs, "runs": len(results.runs), "wall_seconds": wall,
            "run_seconds": busy, "runs_per_second": len(results.runs) / wall,
            "overhead": (wall * jobs - busy) / busy, "table": results.runs.drop(columns="wall_seconds")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--horizon", default="60d")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench_sweep.yaml"
        path.write_text(EXPERIMENT.format(base=ROOT / "configs" / "erlang_a_benchmark.yaml", horizon=args.horizon))
        serial = measure(path, Path(tmp) / "serial", "serial", 1)
        local = measure(path, Path(tmp) / "local", "local", args.jobs)
    pd.testing.assert_frame_equal(serial.pop("table"), local.pop("table"))  # same results, any executor
    report = {"serial": serial, "local": local, "speedup": local["runs_per_second"] / serial["runs_per_second"]}
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"{'executor':10} {'jobs':>4} {'runs':>5} {'wall s':>8} {'runs/s':>7} {'mean run s':>10} {'overhead':>9}")
    for r in (serial, local):
        print(f"{r['executor']:10} {r['jobs']:>4} {r['runs']:>5} {r['wall_seconds']:>8.2f} {r['runs_per_second']:>7.2f}"
              f" {r['run_seconds'] / r['runs']:>10.2f} {r['overhead']:>9.1%}")
    print(f"speed-up local/serial: {report['speedup']:.2f}x (identical result tables)")


if __name__ == "__main__":
    main()
