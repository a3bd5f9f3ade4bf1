"""Write phone_line_requirements.csv: agents needed per half hour for configs/phone_line.yaml, a whole week.

A stand-in for ``servsim staff configs/phone_line.yaml --method sipp`` (issue 12), in its column format, so
``servsim schedule`` has a realistic example to work on. Per half hour of Monday to Sunday:

- load: the scenario's calls in the interval (daily volume x day weight x profile share) at 6.5 min each
  (lognormal talk time, mean 6 min, plus 30 s of after-call work);
- ``net_agents``: the fewest agents for 80% answered within 20 s (offered definition) by exact Erlang A
  with the scenario's 5-minute mean patience (``sim.analytic.agents_for_target``), as every calculator does;
- ``net_fte``: the fractional requirement, interpolated linearly in service level between net_agents - 1
  and net_agents to the point where the target is met exactly;
- ``gross_agents``: net_fte / (1 - 0.10) rounded up (10% absence; breaks are scheduled explicitly);
- the predicted KPIs at net_agents.

Run from the repository root:  .venv/bin/python configs/schedules/make_phone_line_requirements.py
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

import sim
from sim.analytic import agents_for_target, queue_kpis

HERE = Path(__file__).resolve().parent
TARGET, THRESHOLD, ABSENCE = 0.8, 20.0, 0.10


def requirement_rows(scenario) -> list[dict]:
    phone = scenario.channels.phone
    aht = phone.handle_time.mean + phone.after_contact_work.mean
    patience = phone.patience.mean
    profile = [p / sum(phone.arrivals.profile) for p in phone.arrivals.profile]
    rows = []
    for day in range(7):
        for k, share in enumerate(profile):
            rate = phone.arrivals.daily_volume * phone.arrivals.day_weights[day] * share / scenario.interval
            row = {"day": day, "interval_start": f"{k // 2:02d}:{30 * (k % 2):02d}", "channel": "phone",
                   "group": "phone_team", "offered_load": round(rate * aht, 4)}
            rows.append({**row, **_staff(rate, aht, patience)})
    return rows


def _staff(rate: float, aht: float, patience: float) -> dict:
    if rate <= 0:
        return {"net_fte": 0.0, "net_agents": 0, "gross_agents": 0, "binding": "", "service_level": None,
                "wait_probability": None, "abandon_rate": None, "asa_seconds": None, "occupancy": None}
    best = agents_for_target(rate, aht, patience=patience, threshold=THRESHOLD, target_sl=TARGET)
    n = best.agents
    above = best.service_level["offered"]
    below = queue_kpis(rate, aht, n - 1, patience, THRESHOLD).service_level["offered"] if n > 1 else 0.0
    fte = n - 1 + (TARGET - below) / (above - below)
    return {"net_fte": round(fte, 4), "net_agents": n, "gross_agents": math.ceil(fte / (1 - ABSENCE) - 1e-9),
            "binding": "service_level", "service_level": round(above, 4), "wait_probability": round(best.p_wait, 4),
            "abandon_rate": round(best.abandon_rate, 4), "asa_seconds": round(best.asa_seconds, 2),
            "occupancy": round(best.occupancy, 4)}


def main() -> None:
    scenario = sim.load_config(HERE.parent / "phone_line.yaml")
    frame = pd.DataFrame(requirement_rows(scenario))
    frame.to_csv(HERE / "phone_line_requirements.csv", index=False)
    print(f"wrote {HERE / 'phone_line_requirements.csv'}: {len(frame)} rows, "
          f"{frame['net_fte'].sum() / 2:.1f} agent-hours of net requirement")


if __name__ == "__main__":
    main()
