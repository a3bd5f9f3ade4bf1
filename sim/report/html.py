"""``report.html``: one self-contained page (images embedded, no network) a planner can read and forward."""

from __future__ import annotations

import base64
import html
import json
from datetime import datetime, timezone
from pathlib import Path


from sim.experiment.results import SweepResults, load_results, record_report_files
from sim.experiment.store import write_atomic
from sim.formatting import fmt, fmt_difference, fmt_interval
from sim.kpis import KPI_DOCS
from sim.report.findings import Finding, headline, headline_findings

SL_WORDS = {
    "offered": "answered within the threshold / (answered + abandoned)",
    "answered": "answered within the threshold / answered",
    "offered_excl_short_abandons": "answered within the threshold / (answered + abandoned − short abandons)",
}
CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;
color:#1a1a1a;line-height:1.45}h1{margin-bottom:.2em}h2{border-bottom:2px solid #0072B2;padding-bottom:.2em;margin-top:2em}
.meta{color:#555}table{border-collapse:collapse;margin:1em 0;font-size:.92em}th,td{border:1px solid #ccc;padding:.3em .6em;
text-align:right}th{background:#f0f4f8}td.name,th.name{text-align:left}figure{margin:1.5em 0}figure img{max-width:100%;
border:1px solid #ddd}figcaption{color:#444;font-size:.92em}pre{background:#f6f8fa;padding:1em;overflow-x:auto;font-size:.85em}
li{margin:.3em 0}.baseline{font-weight:600}.unstable{color:#b00020;font-weight:600}
"""


def write_report(directory: str | Path, charts: list[dict] | None = None) -> Path:
    """Build ``report.html`` in a sweep's results directory (making the charts unless given) and return its path."""
    directory = Path(directory)
    results = load_results(directory)
    if charts is None:
        from sim.plots.gallery import charts_for

        charts = charts_for(results, directory / "charts")
    page = render(results, charts, directory)
    path = directory / "report.html"
    write_atomic(path, lambda tmp: tmp.write_text(page, encoding="utf-8"))
    record_report_files(directory, [path, *(c[kind] for c in charts for kind in ("png", "svg"))])
    return path


def render(results: SweepResults, charts: list[dict], directory: Path) -> str:
    """The whole page as one string."""
    m = results.manifest
    sections = [
        _header(m),
        _section("Scenarios", _scenarios(results)),
        _section("Headline findings", _findings(results)),
        _section("Charts", "".join(_figure(c) for c in charts) or "<p>No charts for this experiment.</p>"),
        _section("KPIs by scenario", _kpi_table(results)),
        _section("KPI definitions", _definitions(results)),
        _section("Model assumptions", _assumptions(m)),
        _section("Reproduce", _reproduce(m, directory)),
    ]
    title = html.escape(f"servsim report: {m['experiment']}")
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>"
            f"<style>{CSS}</style></head><body>{''.join(sections)}</body></html>\n")


def _section(title: str, body: str) -> str:
    return f"<section><h2>{html.escape(title)}</h2>{body}</section>"


def _header(m: dict) -> str:
    when = datetime.fromtimestamp(m.get("started_unix", 0), tz=timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    question = f"<p><strong>Question.</strong> {html.escape(m['question'])}</p>" if m.get("question") else ""
    return (f"<h1>{html.escape(m['experiment'])}</h1>{question}"
            f"<p class=\"meta\">{len(m['scenarios'])} scenarios × {m['replications']} replications, root seed "
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
        rows.append(f"<tr{cls}><td class=\"name\">{html.escape(s['name'])}</td>{cells}</tr>")
    unstable = [n for n, t in stability.items() if str(t).startswith("UNSTABLE")]
    warning = (f"<p class=\"unstable\">{len(unstable)} scenario(s) are unstable: a backlog grows day after day, "
               "so their KPIs depend on the horizon and are not a steady state.</p>") if unstable else ""
    return (f"<p>The baseline, which the others are compared with, is <span class=\"baseline\">"
            f"{html.escape(m['baseline'])}</span>.</p>{warning}<table><tr><th class=\"name\">scenario</th>{head}</tr>"
            f"{''.join(rows)}</table>")


def _findings(results: SweepResults) -> str:
    findings = headline_findings(results.summary, results.differences, results.manifest["baseline"])
    items = "".join(f"<li>{_finding_sentence(f)}</li>" for f in findings)
    return (f"<ul>{items}</ul><p class=\"meta\">Intervals are 95% Student-t intervals over replications; "
            "differences are paired replication by replication against the baseline.</p>")


def _finding_sentence(f: Finding) -> str:
    text = (f"<strong>{headline(f.kpi)}</strong>: {html.escape(f.scenario)}, {fmt(f.kpi, f.mean)} "
            f"(95% interval {fmt_interval(f.kpi, f.ci_low, f.ci_high)})")
    if f.is_baseline:
        return text + ", the baseline itself."
    if f.diff_mean is not None:
        text += (f", {fmt_difference(f.kpi, f.diff_mean)} against the baseline "
                 f"({fmt_difference(f.kpi, f.diff_ci_low)} to {fmt_difference(f.kpi, f.diff_ci_high)})")
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
    return f"<table><tr><th class=\"name\">scenario</th>{head}</tr>{''.join(rows)}</table>"


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
            f"{money.get('currency', 'EUR')}; a lost customer's revenue counts as at risk for "
            f"{money.get('lost_value_years', 1):g} year(s).")


def _dist(spec: dict) -> str:
    params = ", ".join(f"{k} {v:g}" if isinstance(v, (int, float)) else f"{k} {v}"
                       for k, v in spec.items() if k != "dist")
    return f"{spec['dist']} ({params})" if params else spec["dist"]


def _reproduce(m: dict, directory: Path) -> str:
    command = f"servsim sweep {m['experiment_file']} --out {directory}"
    return (f"<p>With servsim {html.escape(m['servsim_version'])}"
            f"{' at commit ' + html.escape(m['git_commit']) if m.get('git_commit') else ''}:</p>"
            f"<pre>{html.escape(command)}</pre><p>The experiment file as run:</p>"
            f"<pre>{html.escape(m['experiment_text'])}</pre>"
            "<p>Every scenario's resolved configuration is in <code>manifest.json</code>.</p>")


__all__ = ["render", "write_report"]
