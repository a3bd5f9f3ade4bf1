"""Throughput of servsim's full customer-journey centre on the service centre, and against the plain engine on M/M/9+M.

(a) configs/service_centre.yaml (walk-in, phone and email, behavioural model on) over ``--days`` days,
    as shipped and with the switches it leaves off (behaviour parts such as handle-time pressure,
    phone queue-position information) also on, against issue 3's goal of 50,000 contacts/s on one core;
    and without its customer base, to price the loyalty, churn and memory bookkeeping.
(b) the M/M/9+M system of bench_erlang_a.py run by the plain queue engine (what ``engine="auto"``
    picks) and by the full centre forced with ``engine="full"``: same scenario, seed and customers.

Each measurement runs in its own subprocess so that its peak RSS is measured alone:

    python benchmarks/bench_journey.py                                # 20 days; 1,000,000 contacts for (b)
    python benchmarks/bench_journey.py --days 5 --contacts 20000      # smoke run, a few seconds
    python benchmarks/bench_journey.py --child full --contacts 1000 --json   # one child measurement
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "configs" / "service_centre.yaml"
GOAL = 50_000  # contacts/s on one core, full default scenario (issue 3, "Speed")
# The foundation engine's Erlang-A figure, the reference for issue 3's "no more than 10% slower":
# bench_erlang_a.py, 1,000,000 contacts, best of 3, 2-core VM, 2026-11-22 (benchmarks/README.md).
FOUNDATION_RATE = 211_060
# Switched on for the "all switches" row of (a), besides every behaviour part the file leaves off.
ALL_ON = ("channels.phone.queue_position_info=true",)
JOURNEYS = {"as shipped": "shipped", "all switches": "all", "no base": "anonymous"}
ARRIVAL_RATE = 2 / 60  # per second; the M/M/9+M system of bench_erlang_a.py
AHT = 240.0
PATIENCE = 180.0
AGENTS = 9
THRESHOLD = 20.0
CHILDREN = ("shipped", "all", "anonymous", "plain", "full")
COLUMNS = ("run", "engine", "contacts", "seconds", "contacts/s", "peak MB")


def peak_mb() -> float:
    """Peak resident set size of this process so far, in MB (ru_maxrss is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def behaviour_parts(scenario) -> dict[str, bool]:
    """Each part of the behavioural model and whether it is active in ``scenario``."""
    behaviour = scenario.behaviour
    return {name: behaviour.on(name) for name, part in behaviour if hasattr(part, "enabled")}


def journey_scenario(kind: str, days: int):
    """The service centre over ``days`` days (the per-day staffing and weekly day weights repeat).

    ``all``: also every behaviour part the file leaves off, and queue-position information on the phone.
    ``anonymous``: without the customer base (every contact a new customer: no loyalty, churn or memory).
    """
    from sim.config.loader import load_config

    overrides = [f"horizon={days}d", "warmup=0s"] + (["customers.base=null"] if kind == "anonymous" else [])
    scenario = load_config(CONFIG, overrides)
    if kind == "all":
        off = [name for name, on in behaviour_parts(scenario).items() if not on]
        overrides += [f"behaviour.{name}.enabled=true" for name in off] + list(ALL_ON)
        scenario = load_config(CONFIG, overrides)
    return scenario, overrides


def erlang_a_scenario(contacts: int):
    """M/M/9+M with a horizon of ``contacts`` expected arrivals, as in bench_erlang_a.py."""
    from sim.stationary import stationary_scenario

    return stationary_scenario(
        arrival_rate=ARRIVAL_RATE, aht=AHT, agents=AGENTS, patience=PATIENCE, threshold=THRESHOLD,
        horizon=contacts / ARRIVAL_RATE, warmup=0.0,
    )


def measure(kind: str, days: int, contacts: int, repeat: int) -> dict:
    """Best-of-``repeat`` wall time of ``sim.model.simulate`` alone (scenario built beforehand, no KPIs)."""
    import pandas as pd

    import sim.config.loader  # noqa: F401  imported before the baseline, like the engine itself
    import sim.stationary  # noqa: F401
    from sim.model import simulate

    baseline = peak_mb()
    if kind in ("shipped", "all", "anonymous"):
        scenario, overrides = journey_scenario(kind, days)
        engine = "auto"
    else:
        scenario, overrides = erlang_a_scenario(contacts), []
        engine = "auto" if kind == "plain" else "full"
    times, out = [], None
    for _ in range(repeat):
        out = None  # let the previous run go before the next one starts
        gc.collect()
        started = time.perf_counter()
        out = simulate(scenario, replication=0, root_seed=1, engine=engine)
        times.append(time.perf_counter() - started)
    peak = peak_mb() - baseline
    parts = behaviour_parts(scenario)
    slots = out.sums
    return {
        "run": kind, "engine": out.meta["engine"], "contacts": int(out.meta["contacts"]),
        "seconds": min(times), "times": times, "peak_mb": peak, "overrides": overrides,
        "horizon_days": scenario.horizon / 86400, "channels": scenario.channels.names,
        "behaviour_on": [name for name, on in parts.items() if on],
        "behaviour_off": [name for name, on in parts.items() if not on],
        "answered": int(slots["answered"].sum()), "abandoned": int(slots["abandoned"].sum()),
        # A digest of the per-(interval, channel) sums, so (b) can say whether both engines simulated the same
        # thing; to 10 significant digits, since the two add the same contacts' waits in another order.
        "slots_digest": hashlib.sha256(pd.util.hash_pandas_object(_rounded(slots), index=True).values.tobytes())
        .hexdigest(),
    }


def _rounded(frame: pd.DataFrame) -> pd.DataFrame:
    floats = frame.select_dtypes("float").columns
    return frame.assign(**{c: frame[c].map(lambda x: float(f"{x:.10g}")) for c in floats})


def run_child(kind: str, args: argparse.Namespace) -> dict:
    """Measure one case in a fresh interpreter and return its JSON result."""
    command = [sys.executable, __file__, "--child", kind, "--days", str(args.days),
               "--contacts", str(args.contacts), "--repeat", str(args.repeat)]
    done = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True)
    return json.loads(done.stdout)


def rate(row: dict) -> float:
    """Contacts simulated per wall-clock second."""
    return row["contacts"] / row["seconds"]


def benchmark(args: argparse.Namespace) -> dict:
    """(a) the service centre, as shipped and with every switch on; (b) plain against full on M/M/9+M."""
    journey = {name: run_child(kind, args) for name, kind in JOURNEYS.items()}
    for row in journey.values():
        row["contacts_per_s"] = rate(row)
        row["goal_ratio"] = rate(row) / GOAL
    engines = {kind: run_child(kind, args) for kind in ("plain", "full")}
    for row in engines.values():
        row["contacts_per_s"] = rate(row)
    plain, full = engines["plain"], engines["full"]
    return {
        "repeat": args.repeat,
        "journey": {"config": str(CONFIG.relative_to(ROOT)), "days": args.days, "goal": GOAL, "results": journey},
        "erlang_a": {
            "contacts": args.contacts, "results": engines,
            "plain_over_full": rate(plain) / rate(full),
            "same_contacts": plain["contacts"] == full["contacts"],
            "same_slot_tallies": plain["slots_digest"] == full["slots_digest"],
            "foundation_rate": FOUNDATION_RATE, "plain_over_foundation": rate(plain) / FOUNDATION_RATE,
        },
    }


def table(result: dict) -> str:
    """The results as two plain fixed-width tables with the ratio lines under each."""
    def line(cells):
        return f"{cells[0]:<14}" + f"{cells[1]:<8}" + "".join(f"{c:>12}" for c in cells[2:])

    def row_line(name, row):
        return line((name, row["engine"], f"{row['contacts']:,}", f"{row['seconds']:.3f}",
                     f"{row['contacts_per_s']:,.0f}", f"{row['peak_mb']:.1f}"))

    journey, erlang = result["journey"], result["erlang_a"]
    lines = [f"(a) {journey['config']}, {journey['days']} days, best of {result['repeat']}", line(COLUMNS)]
    for name, row in journey["results"].items():
        lines.append(row_line(name, row))
    for name, row in journey["results"].items():
        extra = f" (+ {', '.join(row['overrides'][1:])})" if len(row["overrides"]) > 1 else ""
        lines.append(f"{name}: {row['contacts_per_s'] / journey['goal']:.2f} x the {journey['goal']:,}/s goal"
                     f"{extra}; behaviour off: {', '.join(row['behaviour_off']) or 'none'}")
    lines += ["", f"(b) M/M/9+M (bench_erlang_a.py), {erlang['contacts']:,} contacts, best of {result['repeat']}",
              line(COLUMNS)]
    for name, row in erlang["results"].items():
        lines.append(row_line(name, row))
    lines.append(f"ratio plain/full: {erlang['plain_over_full']:.2f}  (contacts/s); same contacts: "
                 f"{'yes' if erlang['same_contacts'] else 'NO'}, same slot tallies: "
                 f"{'yes' if erlang['same_slot_tallies'] else 'NO'}")
    lines.append(f"plain / foundation's recorded {erlang['foundation_rate']:,}/s (2-core VM, 2026-11-22): "
                 f"{erlang['plain_over_foundation']:.2f}")
    return "\n".join(lines)


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=20, help="(a) horizon of the service centre in days (default 20)")
    parser.add_argument("--contacts", type=int, default=1_000_000,
                        help="(b) M/M/9+M contacts to simulate (default 1,000,000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each case, best taken (default 3)")
    parser.add_argument("--child", choices=CHILDREN, help="measure this case in this process (child mode)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of the tables")
    args = parser.parse_args(argv)
    if args.days < 1 or args.contacts < 1 or args.repeat < 1:
        parser.error("--days, --contacts and --repeat must be at least 1")
    return args


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark, or one child measurement with ``--child``."""
    args = parse(argv)
    if args.child:
        print(json.dumps(measure(args.child, args.days, args.contacts, args.repeat)))
        return
    result = benchmark(args)
    print(json.dumps(result, indent=2) if args.json else table(result))


if __name__ == "__main__":
    main()
