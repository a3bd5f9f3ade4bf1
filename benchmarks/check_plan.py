"""How a staffing plan does per channel and interval: the week's service level and abandonment, and how many
staffed intervals fall below the target, simulated with any seed (fresh random numbers test a plan that
was searched on others).

    python benchmarks/check_plan.py plan.yaml                        # the file's seed and replications
    python benchmarks/check_plan.py plan.yaml --seed 99 -r 10 --json

Per-interval service levels pool the replications (answered within the threshold / answered + abandoned);
email is judged over the week (an email is answered hours after it arrives).
"""

from __future__ import annotations

import argparse
import json

import numpy as np

import sim
from sim.staffing.measure import measure
from sim.staffing.runs import Runner
from sim.staffing.slots import Slots


def check(path: str, seed: int | None, replications: int | None, target: float, jobs: int) -> dict:
    scenario = sim.load_config(path)
    seed = scenario.seed if seed is None else seed
    replications = replications or scenario.replications
    runner = Runner(replications, seed, jobs=jobs)
    outcomes = runner(scenario.model_copy(update={"output": sim.config.schema.Output(contacts=True)}))
    slots = Slots.of_scenario(scenario)
    thresholds = {c: scenario.threshold_for(c) for c in scenario.channels.names}
    m = measure(outcomes, scenario, slots, thresholds, scenario.service_level.definition, list(scenario.agents))
    hours = scenario.interval / 3600.0
    out = {"file": path, "seed": seed, "replications": replications, "target": target,
           "agent_hours": {g: sum(spec.plan(scenario.n_intervals, scenario.intervals_per_day)) * hours
                           for g, spec in scenario.agents.items()}}
    for c, channel in enumerate(m.channels):
        t = {k: v[:, c, :] for k, v in m.tallies.items()}
        known = t["answered"] + t["abandoned"]
        row = {"service_level_week": float(t["within"].sum() / known.sum()),
               "abandon_rate_week": float(t["abandoned"].sum() / known.sum())}
        if channel != "email":
            sl, counted = m.kpis["service_level"][0][c], known.sum(axis=0) > 0
            row.update(intervals=int(counted.sum()), intervals_below_target=int((sl[counted] < target).sum()),
                       worst_interval=float(np.min(sl[counted])))
        out[channel] = row
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("plan")
    parser.add_argument("--seed", type=int)
    parser.add_argument("--replications", "-r", type=int)
    parser.add_argument("--target", type=float, default=0.8)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = check(args.plan, args.seed, args.replications, args.target, args.jobs)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{result['file']}: seed {result['seed']}, {result['replications']} replications; agent-hours "
          + ", ".join(f"{g} {h:,.1f}" for g, h in result["agent_hours"].items()))
    for channel in (c for c in ("walk_in", "phone", "email") if c in result):
        r = result[channel]
        line = f"  {channel}: service level {r['service_level_week']:.1%}, abandoned {r['abandon_rate_week']:.1%}"
        if "intervals" in r:
            line += (f"; {r['intervals_below_target']} of {r['intervals']} intervals below {args.target:.0%} "
                     f"(worst {r['worst_interval']:.1%})")
        print(line)


if __name__ == "__main__":
    main()
