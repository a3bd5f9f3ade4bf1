"""``report.html``: one self-contained page (images embedded, no network) a planner can read and forward."""

from __future__ import annotations

import base64
import html
import json
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from sim.experiment.results import SweepResults, load_results, record_report_files
from sim.experiment.store import write_atomic
from sim.formatting import fmt, fmt_difference, fmt_interval
from sim.kpis import KPI_DOCS, REGISTRY
from sim.report.decision import Decision, changes, decide, signed
from sim.report.findings import Finding, headline, headline_findings

SL_WORDS = {
    "offered": "answered within the threshold / (answered + abandoned)",
    "answered": "answered within the threshold / answered",
    "offered_excl_short_abandons": "answered within the threshold / (answered + abandoned − short abandons)",
}
CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;
color:#1a1a1a;line-height:1.45}
h1{margin-bottom:.2em}h2{border-bottom:2px solid #0072B2;padding-bottom:.2em;margin-top:2em}.meta{color:#555}
table{border-collapse:collapse;margin:1em 0;font-size:.92em}
th,td{border:1px solid #ccc;padding:.3em .6em;text-align:right}th{background:#f0f4f8}
td.name,th.name{text-align:left}figure{margin:1.5em 0}figure img{max-width:100%;border:1px solid #ddd}
figcaption{color:#444;font-size:.92em}pre{background:#f6f8fa;padding:1em;overflow-x:auto;font-size:.85em}
li{margin:.3em 0}.baseline{font-weight:600}.scroll{overflow-x:auto;max-width:100%}
.decision{border:2px solid #0072B2;border-radius:6px;padding:.2em 1em .6em;margin:1em 0;background:#f7fbff}
.decision h2{margin-top:.4em}.decision table{margin:.5em 0}.decision td{padding:.12em .5em;white-space:nowrap}
.decision p,.decision ul{margin:.4em 0}.better{color:#006d4f;font-weight:600}
.worse{color:#b23c00;font-weight:600}.unclear{color:#555}.recommendation{font-size:1.08em}
nav.contents ol{margin:.3em 0}h3{margin-top:1.6em;color:#0a3d62}.unstable{color:#b00020;font-weight:600}
"""


def write_report(directory: str | Path, charts: list[dict] | None = None) -> Path:
    """Build ``report.html`` in a sweep's results directory (making the charts unless given) and return its path."""
    directory = Path(directory)
    results = load_results(directory)
    if charts is None:
        from sim.plots.gallery import charts_for

        charts = charts_for(results, directory / "charts")
    sensitivity, extra, made = _sensitivity(directory, results)
    page = render(results, charts, directory, decide(results, sensitivity), extra)
    path = directory / "report.html"
    write_atomic(path, lambda tmp: tmp.write_text(page, encoding="utf-8"))
    record_report_files(directory, [path, *made, *(c[kind] for c in charts for kind in ("png", "svg"))])
    return path


def _sensitivity(directory: Path, results: SweepResults) -> tuple[pd.DataFrame | None, tuple[tuple[str, str], ...],
                                                                  list[Path]]:
    """The table of ``servsim sensitivity`` when it was run into ``directory``, its report section and the
    tornado chart's files."""
    from sim.report.sensitivity import TITLE, read_sensitivity, section_html

    table = read_sensitivity(directory)
    if table is None or table.empty:
        return table, (), []
    from sim.plots.sensitivity import tornado
    from sim.plots.style import currency_of, save

    currency = currency_of(results.manifest)
    png, svg = save(tornado(table, currency), directory / "charts" / "sensitivity_tornado")
    chart = {"title": "Sensitivity of the headline difference", "png": png,
             "caption": "Each bar runs from the difference with the coefficient at its low value to that at its high "
                        "value (labels at the ends); the black line is every coefficient at its default."}
    return table, ((TITLE, section_html(table, _figure(chart), currency)),), [png, svg]


def render(results: SweepResults, charts: list[dict], directory: Path, decision: Decision | None = None,
           extra: tuple[tuple[str, str], ...] = ()) -> str:
    """The whole page as one string: the decision summary first, then the evidence behind it; ``extra`` are
    further (title, HTML body) sections, such as the sensitivity analysis, placed after the summary."""
    m = results.manifest
    decision = decision or decide(results)
    body = [
        ("Scenarios", _scenarios(results)),
        ("Headline findings", _findings(results)),
        *extra,
        ("Charts", _charts(charts)),
        ("KPIs by scenario", _kpi_table(results)),
        ("KPI definitions", _definitions(results)),
        ("Model assumptions", _assumptions(m)),
        ("Reproduce", _reproduce(m, directory)),
    ]
    sections = [f"<h1>{html.escape(m['experiment'])}</h1>", decision_html(decision), _contents(body, charts),
                _header(m), *(_section(t, b) for t, b in body)]
    title = html.escape(f"servsim report: {m['experiment']}")
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>"
            f"<style>{CSS}</style></head><body>{''.join(sections)}</body></html>\n")


def _section(title: str, body: str) -> str:
    return f"<section id=\"{_anchor(title)}\"><h2>{html.escape(title)}</h2>{body}</section>"


def _anchor(title: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in title.lower()).strip("-")


def decision_html(d: Decision) -> str:
    """The decision summary as the report's first screen (the terminal prints the same ``Decision``)."""
    question = f"<p><strong>Question.</strong> {html.escape(d.question)}</p>" if d.question else ""
    options = "".join(f"<li><strong>{html.escape(o.name)}</strong>: {html.escape(o.changes)}</li>" for o in d.options)
    head = "".join(f"<th>{html.escape(o.name)}</th>" for o in d.options)
    rows = "".join(
        f"<tr><td class=\"name\">{html.escape(r.label)}</td><td class=\"name\">{html.escape(r.unit)}</td>"
        + "".join(_decision_cell(r.kpi, c) for c in r.cells) + "</tr>" for r in d.rows)
    others = f" {d.others} more scenarios are in the tables below." if d.others else ""
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in d.notes)
    condition = f"<p><strong>Condition.</strong> {html.escape(d.condition)}</p>" if d.condition else ""
    return (f"<section class=\"decision\" id=\"decision-summary\"><h2>Decision summary</h2>{question}"
            f"<p>Options compared with the baseline <span class=\"baseline\">{html.escape(d.baseline)}</span>, "
            f"paired over {d.replications} replications of {html.escape(d.horizon)} (the same simulated "
            f"customers in every option):</p><ul>{options}</ul>"
            f"<p class=\"recommendation\"><strong>Recommendation.</strong> {html.escape(d.recommendation)}</p>"
            f"{condition}<div class=\"scroll\"><table><tr><th class=\"name\">difference from the baseline</th>"
            f"<th class=\"name\">unit</th>{head}</tr>{rows}</table></div>"
            f"<p class=\"meta\">Each cell: the mean paired difference and its 95% interval; ✓ better, ✗ worse, "
            f"~ not distinguishable from the baseline (the interval contains 0).{others}</p>"
            + (f"<ul class=\"meta\">{notes}</ul>" if notes else "") + "</section>")


def _decision_cell(kpi: str, c) -> str:
    if c.verdict in ("none", "same"):
        return f"<td>{'0' if c.verdict == 'same' else '–'}</td>"
    mark = {"better": "✓", "worse": "✗"}.get(c.verdict, "~")
    return (f"<td class=\"{c.verdict}\">{signed(kpi, c.mean)} {mark} <small>({signed(kpi, c.low)} to "
            f"{signed(kpi, c.high)})</small></td>")


def _contents(body: list[tuple[str, str]], charts: list[dict]) -> str:
    items = []
    for title, _ in body:
        items.append(f"<li><a href=\"#{_anchor(title)}\">{html.escape(title)}</a>")
        if title == "Charts":
            groups = list(dict.fromkeys(c.get("group", "Other charts") for c in charts))
            items[-1] += "<ul>" + "".join(f"<li><a href=\"#{_anchor(g)}\">{html.escape(g)}</a></li>"
                                         for g in groups) + "</ul>"
        items[-1] += "</li>"
    return f"<nav class=\"contents\"><strong>Contents</strong><ol>{''.join(items)}</ol></nav>"


def _charts(charts: list[dict]) -> str:
    """The charts under a heading per group (``group`` of each chart, in their order)."""
    if not charts:
        return "<p>No charts for this experiment.</p>"
    groups: dict[str, list[dict]] = {}
    for chart in charts:
        groups.setdefault(chart.get("group", "Other charts"), []).append(chart)
    return "".join(f"<h3 id=\"{_anchor(g)}\">{html.escape(g)}</h3>" + "".join(_figure(c) for c in cs)
                   for g, cs in groups.items())


def _header(m: dict) -> str:
    when = datetime.fromtimestamp(m.get("started_unix", 0), tz=UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (f"<p class=\"meta\">{len(m['scenarios'])} scenarios × {m['replications']} replications, root seed "
            f"{m['root_seed']}; run {when} with servsim {html.escape(m['servsim_version'])}"
            f"{', commit ' + html.escape(m['git_commit'][:10]) if m.get('git_commit') else ''}. "
            f"Every scenario saw the same simulated customers (common random numbers).</p>")


def _scenarios(results: SweepResults) -> str:
    m = results.manifest
    factors = sorted({k for s in m["scenarios"] for k in s["factors"]})
    summary = results.summary
    stability = dict(zip(summary["scenario_name"], summary["stability"])) if "stability" in summary else {}
    head = "".join(f"<th>{html.escape(f)}</th>" for f in factors) + ("<th>stability</th>" if stability else "")
    rows = []
    for s in m["scenarios"]:
        cls = ' class="baseline"' if s["name"] == m["baseline"] else ""
        cells = "".join(f"<td>{html.escape(json.dumps(s['factors'].get(f, '')))}</td>" for f in factors)
        if stability:  # sim.stability: does any channel's end-of-day backlog grow?
            text = str(stability.get(s["name"], ""))
            mark = ' class="unstable"' if text.startswith("UNSTABLE") else ""
            cells += f"<td{mark}>{html.escape(text)}</td>"
        rows.append(f"<tr{cls}><td class=\"name\">{html.escape(s['name'])}</td>{cells}"
                    f"<td class=\"name\">{html.escape(changes(m, s['name']))}</td></tr>")
    unstable = [n for n, t in stability.items() if str(t).startswith("UNSTABLE")]
    warning = (f"<p class=\"unstable\">{len(unstable)} scenario(s) are unstable: a backlog grows day after day, "
               "so their KPIs depend on the horizon and are not a steady state.</p>") if unstable else ""
    return (f"<p>The baseline, which the others are compared with, is <span class=\"baseline\">"
            f"{html.escape(m['baseline'])}</span>.</p>{warning}<div class=\"scroll\"><table><tr><th class=\"name\">"
            f"scenario</th>{head}<th class=\"name\">changes from the baseline</th></tr>{''.join(rows)}</table></div>")


def _findings(results: SweepResults) -> str:
    m = results.manifest
    spec = next(s for s in m["scenarios"] if s["name"] == m["baseline"])
    has_base = bool((spec["config"].get("customers") or {}).get("base"))
    currency = (spec["config"].get("money") or {}).get("currency", "EUR")
    findings = headline_findings(results.summary, results.differences, m["baseline"], has_base)
    items = "".join(f"<li>{_finding_sentence(f, currency)}</li>" for f in findings)
    return (f"<ul>{items}</ul><p class=\"meta\">Intervals are 95% Student-t intervals over replications; "
            "differences are paired replication by replication against the baseline.</p>")


def _finding_sentence(f: Finding, currency: str = "EUR") -> str:
    unit = {"seconds": " s", "money": f" {currency}"}.get(REGISTRY[f.kpi].unit, "")
    text = (f"<strong>{headline(f.kpi)}</strong>: {html.escape(f.scenario)}, {fmt(f.kpi, f.mean)}{unit} "
            f"(95% interval {fmt_interval(f.kpi, f.ci_low, f.ci_high)}{unit})")
    if f.is_baseline:
        return text + ", the baseline itself."
    if f.diff_mean is not None and f.diff_ci_low is not None and f.diff_ci_high is not None:  # (set together)
        text += (f", {fmt_difference(f.kpi, f.diff_mean)}{unit} against the baseline "
                 f"({fmt_difference(f.kpi, f.diff_ci_low)} to {fmt_difference(f.kpi, f.diff_ci_high)}{unit})")
    return text + "."


def _figure(chart: dict) -> str:
    data = base64.b64encode(Path(chart["png"]).read_bytes()).decode("ascii")
    title = html.escape(chart["title"])
    return (f"<figure><img alt=\"{title}\" src=\"data:image/png;base64,{data}\">"
            f"<figcaption><strong>{title}.</strong> {html.escape(chart.get('caption', ''))}</figcaption></figure>")


def _kpi_table(results: SweepResults) -> str:
    kpis = results.manifest["kpis"]
    head = "".join(f"<th>{html.escape(k)}</th>" for k in kpis)
    rows = []
    for row in results.summary.to_dict("records"):
        cls = ' class="baseline"' if row["scenario_name"] == results.manifest["baseline"] else ""
        cells = "".join(
            f"<td>{fmt(k, row[f'{k}_mean'])}<br><small>{fmt_interval(k, row[f'{k}_ci_low'], row[f'{k}_ci_high'])}"
            "</small></td>" for k in kpis)
        rows.append(f"<tr{cls}><td class=\"name\">{html.escape(row['scenario_name'])}</td>{cells}</tr>")
    return f"<div class=\"scroll\"><table><tr><th class=\"name\">scenario</th>{head}</tr>{''.join(rows)}</table></div>"


def _definitions(results: SweepResults) -> str:
    m = results.manifest
    threshold = m["scenarios"][0]["config"]["service_level"]["threshold"]
    definition = m["service_level_definition"]
    items = "".join(f"<li><code>{k}</code>: {html.escape(KPI_DOCS[k])}</li>" for k in m["kpis"] if k in KPI_DOCS)
    return (f"<p><strong>Service level</strong> in this report is the <code>{definition}</code> definition: "
            f"{html.escape(SL_WORDS[definition])}, with a threshold of {threshold:g} s.</p><ul>{items}</ul>"
            "<p>Rates count contacts whose fate is known by the end of a run (answered or abandoned).</p>")


def _assumptions(m: dict) -> str:
    config = m["scenarios"][0]["config"]
    items = [
        "Arrivals are Poisson with a rate constant within each interval "
        f"({config['interval']:g} s), following the scenario's daily volume, profile and day weights.",
        *(_channel_assumption(name, spec) for name, spec in config["channels"].items() if spec),
        f"Contacts are routed by the {config['routing']['policy'].replace('_', ' ')} policy, higher priority "
        "tiers first and first-come first-served within a tier; a caller whose patience runs out hangs up.",
        "At each interval boundary the floor is brought to the planned headcount; an agent whose shift "
        "ends finishes the current contact first.",
        _behaviour_assumption(config),
        _customers_assumption(config),
        "(For the baseline configuration; every scenario's configuration is in manifest.json.)",
    ]
    return "<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>"


def _channel_assumption(name: str, spec: dict) -> str:
    acw = spec.get("after_contact_work")
    text = (f"{name.replace('_', '-')}: handle time {_dist(spec['handle_time'])}; after-contact work "
            f"{_dist(acw) if acw else 'none'}")
    if spec.get("patience"):
        text += f"; patience {_dist(spec['patience'])}"
    if spec.get("response_target"):
        text += f"; answered against a {spec['response_target'] / 3600:g} h response target, no abandonment"
    return text + "."


def _behaviour_assumption(config: dict) -> str:
    if not config["behaviour"].get("enabled", True):
        return ("Behavioural model off: no frustration, satisfaction, resolution, learning or stress; "
                "the plain queue that Erlang formulas describe.")
    return ("The default behavioural model (docs/model.md): frustration from waits, transfers and repeat "
            "contacts; resolution, CSAT, NPS and defection; agent learning, stress and exhaustion.")


def _customers_assumption(config: dict) -> str:
    base, money = config["customers"].get("base"), config.get("money") or {}
    if not base:
        return "No customer base: churn, loyalty, active customers, revenue and net value are not measured."
    return (f"A base of {base['size']:,} customers whose loyalty follows the service given; those who defect "
            "or drift away stop contacting (churn feeds back into demand). Money is in "
            f"{money.get('currency', 'EUR')}; a lost customer costs their lifetime margin "
            f"(margin {money.get('margin', 0.25):g} of their yearly value, discounted at "
            f"{money.get('discount_rate', 0.1):g} a year over their expected stay), booked the day they leave.")


def _dist(spec: dict) -> str:
    params = ", ".join(f"{k} {v:g}" if isinstance(v, (int, float)) else f"{k} {v}"
                       for k, v in spec.items() if k != "dist")
    return f"{spec['dist']} ({params})" if params else spec["dist"]


def _reproduce(m: dict, directory: Path) -> str:
    version = (f"<p>With servsim {html.escape(m['servsim_version'])}"
               f"{' at commit ' + html.escape(m['git_commit']) if m.get('git_commit') else ''}:</p>")
    if m.get("kind") == "run":  # a `servsim run --out` directory: its command, and the scenario it resolved
        return (f"{version}<pre>{html.escape(m.get('command') or '')}</pre><p>The scenario's resolved "
                "configuration is in <code>manifest.json</code> (<code>scenario</code>).</p>")
    command = f"servsim sweep {m['experiment_file']} --out {directory}"
    return (f"{version}<pre>{html.escape(command)}</pre><p>The experiment file as run:</p>"
            f"<pre>{html.escape(m['experiment_text'])}</pre>"
            "<p>Every scenario's resolved configuration is in <code>manifest.json</code>.</p>")


__all__ = ["render", "write_report"]
