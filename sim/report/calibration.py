"""A calibration's results directory: ``calibrated.yaml``, ``calibration.csv``, ``volumes.csv``, the fit charts
and ``calibration.html``, a self-contained page in the report's style (images embedded, no network)."""

from __future__ import annotations

import html
import math
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

import sim
from sim.data.calibrate import Calibration
from sim.data.durations import DurationFit, qq_points
from sim.data.fragment import fragment_text
from sim.data.volumes import volumes_from_log, write_csv
from sim.experiment.store import write_atomic
from sim.report.html import CSS, _figure, _section

SOURCES = """<ul>
<li>Brown, Gans, Mandelbaum, Sakov, Shen, Zeltyn &amp; Zhao (2005). Statistical analysis of a telephone call
centre: a queueing-science perspective. <em>JASA</em> 100(469):36–50. Lognormal service times; patience from
censored waits.</li>
<li>Kaplan &amp; Meier (1958). Nonparametric estimation from incomplete observations. <em>JASA</em> 53:457–481.</li>
<li>Mandelbaum &amp; Zeltyn (2007). Service engineering in action: the Palm/Erlang-A queue. P(abandon) =
E[wait] / mean patience under exponential patience.</li>
<li>Akaike (1974). A new look at the statistical model identification. <em>IEEE TAC</em> 19(6):716–723 (AIC).</li>
<li>Cochran (1977). <em>Sampling Techniques</em>, 3rd ed., ch. 6: the ratio estimator (profile intervals).</li>
</ul>"""


def write_calibration(cal: Calibration, log, out: Path, command: str | None = None) -> list[Path]:
    """Every output of a calibration in ``out``; returns the paths written (charts included)."""
    out = Path(out)
    written = [out / "calibrated.yaml", out / "calibration.csv", out / "volumes.csv"]
    write_atomic(written[0], lambda tmp: tmp.write_text(fragment_text(cal), encoding="utf-8"))
    write_atomic(written[1], lambda tmp: cal.table().to_csv(tmp, index=False))
    write_csv(volumes_from_log(log, cal.interval), written[2])
    charts = make_charts(cal, out / "charts")
    written += [Path(c["png"]) for c in charts]
    page = render(cal, charts, command)
    write_atomic(out / "calibration.html", lambda tmp: tmp.write_text(page, encoding="utf-8"))
    return written + [out / "calibration.html"]


def make_charts(cal: Calibration, directory: Path) -> list[dict]:
    """One chart per fit, saved as PNG and SVG; each a dict with png, title and caption."""
    from sim.plots import fits
    from sim.plots.style import save

    charts = []

    def add(stem: str, fig, title: str, caption: str) -> None:
        png, _ = save(fig, directory / stem)
        charts.append({"png": str(png), "title": title, "caption": caption})

    for channel in cal.channels:
        a = cal.arrivals[channel]
        add(f"{channel}_daily", fits.daily_volumes(a.daily, a.weekdays, channel), f"{channel}: daily volume",
            "Contacts per day; by weekday, the mean with its 95% interval, every observed day (black ticks) and "
            "the spread Poisson days would have. Days spread wider than Poisson mean day-level over-dispersion.")
        add(f"{channel}_profile", fits.intraday_profile(a.profile, channel, cal.interval),
            f"{channel}: intraday profile", "Share of a day's contacts per interval, 95% intervals with days "
            "as clusters.")
        for fit in (cal.handle.get(channel), cal.acw.get(channel)):
            if fit is not None and fit.fits:
                add(f"{channel}_{fit.what}", _duration_chart(fit), f"{channel}: {fit.what.replace('_', ' ')}",
                    f"Lognormal and gamma fits by maximum likelihood; {fit.chosen} chosen by AIC. The QQ plot "
                    "lies on the diagonal when the chosen distribution fits.")
        p = cal.patience.get(channel)
        if p is not None:
            add(f"{channel}_patience", _patience_chart(p), f"{channel}: patience",
                "Kaplan-Meier survival of patience from all waits (abandonments are events, answered waits are "
                "censored), with the exponential and Weibull fits; right, the Mandelbaum-Zeltyn check: under "
                "exponential patience the points lie on the line.")
        delays = cal.journey.redial_delays.get(channel)
        if delays is not None:
            mean = next(e.value for e in cal.journey.estimates
                        if e.parameter == "redial.delay_mean" and e.channel == channel)
            add(f"{channel}_redial", fits.redial_delays(delays, mean, channel), f"{channel}: redial delay",
                "Time from abandoning to calling again, for customers seen to redial, with the fitted exponential.")
    return charts


def _duration_chart(fit: DurationFit):
    from sim.plots.fits import duration_fit

    x = np.linspace(np.quantile(fit.sample, 0.001), np.quantile(fit.sample, 0.99), 300)
    densities = {name: (x, f["dist"].pdf(x)) for name, f in fit.fits.items()}
    return duration_fit(fit.sample, densities, qq_points(fit), fit.chosen,
                        f"{fit.channel}: {fit.what.replace('_', ' ')}")


def _patience_chart(p):
    from scipy import stats

    from sim.plots.fits import patience_fit

    t = np.linspace(0, max(p.times.max(), 1.0), 300)
    curves = {f"exponential, mean {p.exponential_mean:.0f} s": (t, np.exp(-t / p.exponential_mean))}
    if p.weibull is not None:
        shape, scale = p.weibull
        curves[f"Weibull, shape {shape:.2f}"] = (t, stats.weibull_min.sf(t, shape, scale=scale))
    return patience_fit(p.survival, curves, p.by_interval, p.exponential_mean, p.channel)


def render(cal: Calibration, charts: list[dict], command: str | None) -> str:
    """The whole page as one string."""
    warnings = cal.warnings()
    sections = [
        _header(cal, command),
        _section("Warnings", "<ul>" + "".join(f"<li>{html.escape(w)}</li>" for w in warnings) + "</ul>"
                 if warnings else "<p>None: every estimate rests on enough data.</p>"),
        _section("Scenario fragment (calibrated.yaml)", f"<pre>{html.escape(fragment_text(cal))}</pre>"),
        _section("Fits", "".join(_figure(c) for c in charts)),
        _section("Every estimate (calibration.csv)", _table(cal)),
        _section("Sources", SOURCES),
    ]
    title = html.escape(f"servsim calibration: {Path(cal.source).name}")
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>"
            f"<style>{CSS}</style></head><body>{''.join(sections)}</body></html>\n")


def _header(cal: Calibration, command: str | None) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    run = f"<p class=\"meta\">Command: <code>{html.escape(command)}</code></p>" if command else ""
    return (f"<h1>Calibration of {html.escape(Path(cal.source).name)}</h1>"
            f"<p class=\"meta\">{cal.contacts:,} contacts on {', '.join(cal.channels)}, {cal.first.date()} to "
            f"{cal.last.date()} ({cal.days} days), intervals of {cal.interval / 60:g} min; made {when} with "
            f"servsim {html.escape(sim.__version__)}. Intervals are 95%.</p>{run}")


def _table(cal: Calibration) -> str:
    rows = []
    for e in cal.estimates:
        if e.parameter.startswith("arrivals.profile."):
            continue  # 48 rows per channel: in calibration.csv and the profile chart
        cells = [e.channel, e.parameter, _num(e.value), f"{_num(e.low)} – {_num(e.high)}", e.unit, f"{e.n:,}",
                 e.method, e.note]
        rows.append("<tr>" + "".join(f"<td class=\"name\">{html.escape(str(c))}</td>" if i in (0, 1, 6, 7) else
                                     f"<td>{html.escape(str(c))}</td>" for i, c in enumerate(cells)) + "</tr>")
    head = "".join(f"<th>{h}</th>" for h in ("channel", "parameter", "estimate", "95% interval", "unit", "n",
                                              "method", "note"))
    return (f"<p>The intraday profile's shares are in calibration.csv and the profile charts.</p>"
            f"<table><tr>{head}</tr>{''.join(rows)}</table>")


def _num(value: float) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if math.isinf(value):
        return "∞"
    return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.0f}"
