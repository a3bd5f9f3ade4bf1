"""How long ``servsim staff`` takes by simulation: ``isa`` on the phone line and ``simulate`` on the service centre.

Goals (issue 12): isa on configs/phone_line.yaml (a week of 30-minute intervals) under 60 s on 2 cores;
simulate on configs/service_centre.yaml under 10 minutes. Each method is timed end to end (as the command
runs it: every simulation on the process pool with ``--jobs``), and beside it, in the same run, the time of
one replication of the same scenario by the engine alone (``sim.model.simulate``, best of three), so the
ratio ``staff time / one replication`` can be compared across machines.

    python benchmarks/bench_staff.py                       # both, the shipped settings, 2 jobs
    python benchmarks/bench_staff.py --method isa --json
    python benchmarks/bench_staff.py --horizon 1d --replications 4 --max-iterations 2   # smoke run
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import sim
from sim.staffing import Request, staff

ROOT = Path(__file__).resolve().parents[1]
CASES = {"isa": (ROOT / "configs" / "phone_line.yaml", 60.0),
         "simulate": (ROOT / "configs" / "service_centre.yaml", 600.0)}


def one_replication(scenario) -> float:
    from sim.model import simulate

    started = time.perf_counter()
    simulate(scenario, 0, scenario.seed)
    return time.perf_counter() - started


def measure(method: str, args) -> dict:
    path, goal = CASES[method]
    overrides = [f"horizon={args.horizon}", "warmup=0s"] if args.horizon else []
    scenario = sim.load_config(path, overrides)
    reference = min(one_replication(scenario) for _ in range(3))
    request = Request(method=method, replications=args.replications, jobs=args.jobs,
                      max_iterations=args.max_iterations)
    started = time.perf_counter()
    result = staff(scenario, request)
    wall = time.perf_counter() - started
    summary = result.summary()
    info = result.meta.get("isa") or result.meta.get("search")
    return {
        "method": method, "scenario": str(path.relative_to(ROOT)), "jobs": args.jobs,
        "replications": result.meta["replications"], "iterations": info["iterations"],
        "simulation_runs": result.meta["simulation_runs"], "seconds": wall, "goal_seconds": goal,
        "within_goal": wall < goal, "one_replication_seconds": reference, "ratio": wall / reference,
        "net_agent_hours": {g: s["net_agent_hours"] for g, s in summary.items()},
        "converged": info.get("converged", info.get("all_targets_met")),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--method", choices=["isa", "simulate", "both"], default="both")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--replications", type=int, default=None, help="default: the method's own")
    parser.add_argument("--max-iterations", type=int, default=None)
    parser.add_argument("--horizon", default=None, help="cut the scenarios' horizon (smoke runs)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    methods = ["isa", "simulate"] if args.method == "both" else [args.method]
    report = [measure(m, args) for m in methods]
    if args.json:
        print(json.dumps(report, indent=2))
        return
    for r in report:
        mark = "within" if r["within_goal"] else "OVER"
        print(f"{r['method']:>8} on {r['scenario']}: {r['seconds']:.1f} s ({mark} the {r['goal_seconds']:.0f} s goal), "
              f"{r['iterations']} iterations, {r['simulation_runs']} runs of {r['replications']} replications, "
              f"{r['jobs']} jobs; one replication {r['one_replication_seconds']:.2f} s, ratio {r['ratio']:.0f}")


if __name__ == "__main__":
    main()
