"""Calibrate a scenario from a contact log: every estimate the log's columns allow, per channel.

``calibrate(log)`` returns a ``Calibration``: the fits (for the charts), every estimate with its
95% interval (``calibration.csv``), the notes on what was skipped or is weak, and the scenario
fragment (``calibrated.yaml``, see ``fragment.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from sim.config.traits import TRAITS
from sim.data.arrivals import ArrivalFit, fit_arrivals
from sim.data.durations import DurationFit, fit_duration
from sim.data.estimate import Estimate
from sim.data.journey import REDIAL_WINDOW, REPEAT_WINDOW, JourneyFit, fit_journey
from sim.data.patience import PatienceFit, fit_patience


@dataclass
class Calibration:
    """What one contact log says about a centre."""

    source: str
    interval: float
    first: pd.Timestamp
    last: pd.Timestamp
    contacts: int
    channels: list[str]
    arrivals: dict[str, ArrivalFit] = field(default_factory=dict)
    handle: dict[str, DurationFit] = field(default_factory=dict)
    acw: dict[str, DurationFit] = field(default_factory=dict)
    patience: dict[str, PatienceFit] = field(default_factory=dict)
    journey: JourneyFit = field(default_factory=JourneyFit)
    notes: list[str] = field(default_factory=list)

    @property
    def days(self) -> int:
        return (self.last.normalize() - self.first.normalize()).days + 1

    @property
    def estimates(self) -> list[Estimate]:
        """Every estimate, channel by channel, then the journey's."""
        out = []
        for channel in self.channels:
            for fits in (self.arrivals, self.handle, self.acw, self.patience):
                if channel in fits:
                    out += fits[channel].estimates
        return out + self.journey.estimates

    def table(self) -> pd.DataFrame:
        """``calibration.csv``: one row per estimate with its interval, unit, sample size, method and note."""
        return pd.DataFrame([e.row() for e in self.estimates])

    def warnings(self) -> list[str]:
        """The notes, then every estimate flagged as weak or not estimable."""
        grouped = ("arrivals.profile.", "arrivals.day_dispersion.")  # one warning per channel for these
        families: dict[tuple[str, str, str], list[str]] = {}
        for e in self.estimates:
            if e.note.startswith(("weak", "not estimable")) and not e.parameter.startswith(grouped):
                family, _, name = e.parameter.rpartition(".") if e.parameter.startswith("patience.") else \
                    (e.parameter, "", "")
                families.setdefault((e.channel, family, e.note), []).append(name)
        flagged = [f"{c} {f}{' (' + ', '.join(n) + ')' if any(n) else ''}: {note}"
                   for (c, f, note), n in families.items()]
        for prefix in grouped:
            weak = sorted({e.channel for e in self.estimates if e.parameter.startswith(prefix) and
                           e.note.startswith("weak")})
            flagged += [f"{c} {prefix.rstrip('.')} per {'interval' if 'profile' in prefix else 'weekday'}: "
                        "weak (few days)" for c in weak]
        return self.notes + flagged


def calibrate(log: pd.DataFrame, interval: float = 1800.0, redial_window: float = REDIAL_WINDOW,
              repeat_window: float = REPEAT_WINDOW) -> Calibration:
    """Every estimate from ``log`` (as read by ``sim.data.contacts.read_contacts``), intervals of ``interval`` s."""
    first, last = log["arrival_time"].min(), log["arrival_time"].max()
    channels = [c for c in TRAITS if (log["channel"] == c).any()]
    result = Calibration(log.attrs.get("source", ""), interval, first, last, len(log), channels)
    result.journey = fit_journey(log, redial_window, repeat_window)
    result.notes += result.journey.notes
    if result.days < 14:
        result.notes.append(f"the log covers {result.days} day(s): weekday volumes and day-level dispersion "
                            "need at least two weeks to be more than weak")
    fresh = log
    for follow in (result.journey.redials, result.journey.repeats):
        if follow is not None:
            fresh = fresh[~follow.reindex(fresh.index, fill_value=False)]
    for channel in channels:
        rows = log[log["channel"] == channel]
        result.arrivals[channel] = fit_arrivals(fresh.loc[fresh["channel"] == channel, "arrival_time"], channel,
                                                first, last, interval)
        answered = rows[rows["outcome"] == "answered"]
        _durations(result, channel, answered)
        if TRAITS[channel].abandons:  # patience is measured where customers give up
            queued = rows[rows["outcome"].isin(("answered", "abandoned", "queued_at_end"))]
            patience = fit_patience(queued, channel, interval) if len(queued) else None
            if patience is None:
                result.notes.append(f"{channel} patience: not estimable, no contact abandoned")
            else:
                result.patience[channel] = patience
    if result.journey.redials is not None and result.journey.redials.any():
        result.notes.append(f"{int(result.journey.redials.sum())} redial(s) left out of the arrival counts "
                            "(the scenario's redial block makes them)")
    if result.journey.repeats is not None and result.journey.repeats.any():
        result.notes.append(f"{int(result.journey.repeats.sum())} repeat contact(s) (the same customer within "
                            f"{repeat_window / 86400:g} d of an unresolved answered contact) left out of the arrival "
                            "counts (the scenario's resolution model makes them; with behaviour off, add them back)")
    return result


def _durations(result: Calibration, channel: str, answered: pd.DataFrame) -> None:
    if answered.empty:
        result.notes.append(f"{channel}: no answered contact, so no handle time")
        return
    handle = fit_duration(answered["handle_seconds"].to_numpy(float), channel, "handle_time")
    if handle is None:
        result.notes.append(f"{channel} handle_time: not estimable (fewer than two positive handle times)")
    else:
        result.handle[channel] = handle
    if "acw_seconds" not in answered.columns:
        result.notes.append(f"{channel} after_contact_work: skipped, the log has no acw_seconds column "
                            "(handle_seconds is taken as all the agent's time on the contact)")
        return
    acw = answered["acw_seconds"].fillna(0.0).to_numpy(float)
    fit = fit_duration(acw, channel, "after_contact_work")  # None: fewer than two positive values
    if fit is not None:
        result.acw[channel] = fit
        zero_share = float((acw <= 0).mean())
        if zero_share > 0.05:
            result.notes.append(f"{channel} after_contact_work: {zero_share:.0%} of answered contacts have none; "
                                "the fit is of the positive ones")
