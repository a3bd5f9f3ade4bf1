"""``calibrated.yaml``: the calibration as a scenario fragment, durations with units, ready to paste or merge.

It holds the keys a scenario takes directly (``interval``; per channel ``arrivals``, ``handle_time``,
``after_contact_work``, ``patience``, phone ``redial``). Outcomes of the behaviour model that a log
measures but a scenario does not take as inputs (FCR, transfer and repeat rates) are listed as
comments: the targets to tune ``behaviour.resolution`` against.
"""

from __future__ import annotations

import yaml

import sim
from sim.config.traits import TRAITS
from sim.config.units import format_duration
from sim.data.calibrate import Calibration


def fragment(cal: Calibration) -> dict:
    """The scenario keys the calibration sets, as plain data."""
    channels = {}
    for channel in cal.channels:
        block: dict = {"arrivals": cal.arrivals[channel].scenario}
        if channel in cal.handle:
            block["handle_time"] = cal.handle[channel].scenario
        if channel in cal.acw:
            block["after_contact_work"] = cal.acw[channel].scenario
        if channel in cal.patience:
            block["patience"] = cal.patience[channel].scenario
        if TRAITS[channel].redials and channel in cal.journey.redial_scenario:
            block["redial"] = cal.journey.redial_scenario[channel]
        channels[channel] = block
    return {"interval": format_duration(cal.interval), "channels": channels}


def fragment_text(cal: Calibration) -> str:
    """``calibrated.yaml`` with a header saying where it comes from and the measured outcomes as comments."""
    header = [
        f"# Calibrated by servsim {sim.__version__} from {cal.source}:",
        f"# {cal.contacts:,} contacts, {cal.first.date()} to {cal.last.date()} ({cal.days} days).",
        "# Every estimate with its 95% interval is in calibration.csv; the fits are in calibration.html.",
        "# Paste these keys into a scenario (or merge them); the horizon starts on a Monday.",
    ]
    outcomes = [e for e in cal.journey.estimates if e.parameter in ("fcr", "transfer_rate", "repeat_rate",
                                                                      "fcr_by_customer")]
    if outcomes:
        header.append("# Measured outcomes to tune behaviour.resolution against (servsim KPIs fcr, "
                      "transfer_rate, repeat_rate):")
        header += [f"#   {e.channel} {e.parameter}: {e.value:.3f} [{e.low:.3f}, {e.high:.3f}]" for e in outcomes]
    warnings = cal.warnings()
    if warnings:
        header.append("# Warnings:")
        header += [f"#   {w}" for w in warnings]
    body = yaml.safe_dump(fragment(cal), sort_keys=False, default_flow_style=None, width=110)
    return "\n".join(header) + "\n" + body
