"""Throughput and peak memory of servsim's engine against ciw on one M/M/9+M (Erlang A) system.

Arrivals Poisson at 2/min, exponential handling (mean 4 min) and patience (mean 3 min), 9 agents, FCFS.
Each engine runs in its own subprocess so that its peak RSS is measured alone:

    python benchmarks/bench_erlang_a.py                      # 1,000,000 contacts, both engines
    python benchmarks/bench_erlang_a.py --contacts 20000     # smoke run, a few seconds
    python benchmarks/bench_erlang_a.py --engine servsim --contacts 1000 --json   # one child measurement
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import subprocess
import sys
import time

ARRIVAL_RATE = 2 / 60  # per second
AHT = 240.0  # seconds
PATIENCE = 180.0  # seconds
AGENTS = 9
THRESHOLD = 20.0  # service-level threshold, seconds
ENGINES = ("servsim", "ciw")
COLUMNS = ("engine", "contacts", "seconds", "contacts/s", "peak MB", "abandon", "mean wait s")


def peak_mb() -> float:
    """Peak resident set size of this process so far, in MB (ru_maxrss is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_servsim(contacts: int, repeat: int) -> dict:
    """Best-of-``repeat`` wall time of ``sim.model.simulate`` alone, then the run's KPIs from ``run_kpis``."""
    from sim.metrics import run_kpis
    from sim.model import simulate
    from sim.stationary import stationary_scenario

    baseline = peak_mb()
    scenario = stationary_scenario(
        arrival_rate=ARRIVAL_RATE, aht=AHT, agents=AGENTS, patience=PATIENCE, threshold=THRESHOLD,
        horizon=contacts / ARRIVAL_RATE, warmup=0.0,
    )
    times, out = [], None
    for _ in range(repeat):
        out = None  # let the previous run go before the next one starts
        gc.collect()
        started = time.perf_counter()
        out = simulate(scenario, replication=0, root_seed=1)
        times.append(time.perf_counter() - started)
    peak = peak_mb() - baseline
    started = time.perf_counter()
    kpis = run_kpis(out, scenario)
    post = time.perf_counter() - started
    return {
        "engine": "servsim", "contacts": int(out.meta["contacts"]), "seconds": min(times), "times": times,
        "peak_mb": peak, "abandon": kpis["abandon_rate"], "mean_wait": kpis["mean_wait_seconds"],
        "post_seconds": post,
    }


def measure_ciw(contacts: int, repeat: int) -> dict:
    """Best-of-``repeat`` wall time of building and running a ciw simulation; KPIs from its records."""
    import ciw

    baseline = peak_mb()
    times, sim = [], None
    for _ in range(repeat):
        sim = None  # let the previous run go before the next one starts
        gc.collect()
        started = time.perf_counter()
        ciw.seed(1)
        network = ciw.create_network(
            arrival_distributions=[ciw.dists.Exponential(rate=ARRIVAL_RATE)],
            service_distributions=[ciw.dists.Exponential(rate=1 / AHT)],
            number_of_servers=[AGENTS],
            reneging_time_distributions=[ciw.dists.Exponential(rate=1 / PATIENCE)],
        )
        sim = ciw.Simulation(network)
        sim.simulate_until_max_time(contacts / ARRIVAL_RATE)
        times.append(time.perf_counter() - started)
    peak = peak_mb() - baseline
    records = sim.get_all_records()
    known = [r for r in records if r.record_type in ("service", "renege")]
    in_system = sum(len(node.all_individuals) for node in sim.transitive_nodes)
    reneged = sum(r.record_type == "renege" for r in known)
    finished = len(known) or float("nan")
    return {
        "engine": "ciw", "contacts": len(records) + in_system, "seconds": min(times), "times": times,
        "peak_mb": peak, "abandon": reneged / finished, "mean_wait": sum(r.waiting_time for r in known) / finished,
    }


def run_child(engine: str, contacts: int, repeat: int) -> dict:
    """Measure one engine in a fresh interpreter and return its JSON result."""
    command = [sys.executable, __file__, "--engine", engine, "--contacts", str(contacts), "--repeat", str(repeat)]
    done = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True)
    return json.loads(done.stdout)


def erlang_a() -> dict:
    """The exact Erlang A figures for the same system, as a sanity anchor."""
    from sim.analytic import queue_kpis

    exact = queue_kpis(ARRIVAL_RATE, AHT, AGENTS, PATIENCE, THRESHOLD).as_dict()
    return {"engine": "erlang-a", "abandon": exact["abandon_rate"], "mean_wait": exact["mean_wait_seconds"]}


def benchmark(args: argparse.Namespace) -> dict:
    """Every engine asked for, plus the servsim memory check at a quarter of the contacts."""
    repeats = {"servsim": args.repeat, "ciw": args.ciw_repeat}
    rows = {name: run_child(name, args.contacts, repeats[name]) for name in args.engines}
    result = {"contacts": args.contacts, "results": rows, "erlang_a": erlang_a()}
    if "servsim" in rows and "ciw" in rows:
        result["ratio"] = rate(rows["servsim"]) / rate(rows["ciw"])
    if "servsim" in rows:
        quarter = run_child("servsim", max(args.contacts // 4, 1), 1)
        result["memory"] = {
            "quarter": {"contacts": quarter["contacts"], "peak_mb": quarter["peak_mb"]},
            "full": {"contacts": rows["servsim"]["contacts"], "peak_mb": rows["servsim"]["peak_mb"]},
        }
    return result


def rate(row: dict) -> float:
    """Contacts simulated per wall-clock second."""
    return row["contacts"] / row["seconds"]


def table(result: dict) -> str:
    """The results as a plain fixed-width table with the ratio and memory lines under it."""
    def line(cells):
        return f"{cells[0]:<9}" + "".join(f"{c:>12}" for c in cells[1:])

    lines = [line(COLUMNS)]
    for row in result["results"].values():
        lines.append(line((
            row["engine"], f"{row['contacts']:,}", f"{row['seconds']:.2f}", f"{rate(row):,.0f}",
            f"{row['peak_mb']:.1f}", f"{row['abandon']:.4f}", f"{row['mean_wait']:.2f}",
        )))
    exact = result["erlang_a"]
    lines.append(line((exact["engine"], "", "", "", "", f"{exact['abandon']:.4f}", f"{exact['mean_wait']:.2f}")))
    if "ratio" in result:
        lines.append(f"ratio servsim/ciw: {result['ratio']:.2f}  (contacts/s)")
    if "servsim" in result["results"]:
        lines.append(f"servsim post-processing (run_kpis): {result['results']['servsim']['post_seconds']:.3f} s")
        memory = result["memory"]
        lines.append(
            f"servsim memory: N/4 -> {memory['quarter']['peak_mb']:.1f} MB, N -> {memory['full']['peak_mb']:.1f} MB"
            f"  ({memory['quarter']['contacts']:,} and {memory['full']['contacts']:,} contacts)"
        )
    return "\n".join(lines)


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=1_000_000, help="contacts to simulate (default 1,000,000)")
    parser.add_argument("--repeat", type=int, default=3, help="servsim runs, best taken (default 3)")
    parser.add_argument("--ciw-repeat", type=int, default=1, help="ciw runs, best taken (default 1)")
    parser.add_argument("--engines", nargs="+", choices=ENGINES, default=list(ENGINES), help="engines to compare")
    parser.add_argument("--engine", choices=ENGINES, help="measure this engine in this process (child mode)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of the table")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark, or one child measurement with ``--engine``."""
    args = parse(argv)
    if args.engine:
        measure = measure_servsim if args.engine == "servsim" else measure_ciw
        print(json.dumps(measure(args.contacts, args.repeat)))
        return
    result = benchmark(args)
    print(json.dumps(result, indent=2) if args.json else table(result))


if __name__ == "__main__":
    main()
