"""``servsim staff``: agents per interval for a target, by formula or by simulation."""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path

import click

from sim.cli.base import DURATION, POSITIVE_DURATION, cli
from sim.errors import InputError

METHOD_CHOICES = ["sipp", "lag-sipp", "mol", "isa", "simulate"]
DEFINITIONS = ["offered", "answered", "offered_excl_short_abandons"]


@cli.command()
@click.argument("scenario", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE",
              help="Override a scenario value first (repeatable), e.g. --set horizon=3w --set warmup=2w.")
@click.option("--method", type=click.Choice(METHOD_CHOICES), default="mol", show_default=True,
              help="sipp, lag-sipp, mol: formulas; isa: iterative staffing by simulation of the queue; "
                   "simulate: search with the whole journey simulated.")
@click.option("--target-sl", type=float, help="Service level to reach in every interval, e.g. 0.8 "
              "(the default target when none is given).")
@click.option("--threshold", type=DURATION, help="Service-level threshold (default: the channel's in the scenario).")
@click.option("--target-asa", type=POSITIVE_DURATION, help="Average speed of answer at most, e.g. 30s.")
@click.option("--target-abandon", type=float, help="Abandon rate at most, e.g. 0.05.")
@click.option("--target-wait-probability", type=float, help="Share of contacts that wait at most, e.g. 0.2.")
@click.option("--definition", type=click.Choice(DEFINITIONS),
              help="Service-level definition (default: the scenario's).")
@click.option("--channel", help="Only this channel's targets (default: every channel with demand).")
@click.option("--group", help="Only this agent group (default: every group serving the channels).")
@click.option("--shrinkage", type=float, help="Share of paid time off the floor, e.g. 0.3 (gross = net / (1 - s)).")
@click.option("--shrinkage-file", type=click.Path(dir_okay=False, path_type=Path),
              help="CSV: weekday,interval_start,shrinkage.")
@click.option("--occupancy-cap", type=float,
              help="Occupancy at most, e.g. 0.85 (formulas: net >= load / cap; simulate: each group's simulated one).")
@click.option("--max-agents", type=click.IntRange(min=1), help="At most this many agents per group and interval.")
@click.option("--replications", "-r", type=click.IntRange(min=2), help="Simulation methods: replications "
              "(default: the scenario's, at least 10; isa: at least 40).")
@click.option("--seed", type=click.IntRange(min=0), help="Simulation methods: root seed (default: the scenario's).")
@click.option("--check", is_flag=True, help="sipp, lag-sipp, mol: also simulate the plan (with --replications, "
              "default the scenario's, at least 10) and report the simulated KPIs beside the predicted ones.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Worker processes (default: all cores).")
@click.option("--executor", type=click.Choice(["local", "serial", "dask"]), default="local", show_default=True)
@click.option("--max-iterations", type=click.IntRange(min=1), default=None,
              help="Simulation methods: at most this many rounds of simulation (default: isa 10, simulate 25).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Results directory (default: results/<scenario file name>_staff).")
@click.option("--write-scenario", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the scenario with the plan as its staffing, to run with `servsim run`.")
@click.option("--no-chart", is_flag=True, help="Skip the chart.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (the rows under \"requirements\").")
def staff(scenario, overrides, shrinkage, shrinkage_file, out, write_scenario, no_chart, as_json, **options) -> None:
    """Agents needed per interval to meet a target, from the scenario's own demand.

    \b
    Examples:
      servsim staff configs/phone_line.yaml
      servsim staff configs/phone_line.yaml --target-sl 0.8 --threshold 20s --shrinkage 0.3 --write-scenario plan.yaml
      servsim run plan.yaml
      servsim staff configs/phone_line.yaml --method isa --target-wait-probability 0.2
      servsim staff configs/service_centre.yaml --method simulate --jobs 2
      servsim staff configs/service_centre.yaml --set horizon=3w --set warmup=2w --method simulate
    """
    import sim
    from sim.config.loader import apply_overrides, read_yaml
    from sim.staffing import Request, Shrinkage, output
    from sim.staffing import staff as solve

    if shrinkage is not None and shrinkage_file is not None:
        raise InputError("give --shrinkage or --shrinkage-file, not both")
    shrink = Shrinkage.read(shrinkage_file) if shrinkage_file else Shrinkage.constant(shrinkage or 0.0)
    source = apply_overrides(read_yaml(scenario), overrides)
    model = sim.load_config(scenario, overrides)
    request = Request(shrinkage=shrink, **options)
    out = out or Path("results") / f"{scenario.stem}_staff"
    output.check_out_dir(out)
    if write_scenario is not None:
        output.check_scenario_target(write_scenario, scenario)
    command = shlex.join(["servsim", *sys.argv[1:]]) if sys.argv[0].endswith("servsim") else f"servsim staff {scenario}"
    result = _solve(solve, model, request)
    table = result.requirements()
    charts = [] if no_chart else _chart(result, table, out)
    files = output.write_results(result, table, out, command, scenario, charts)
    if write_scenario is not None:
        files.append(output.write_scenario(result, source, scenario, write_scenario, command))
    if as_json:
        click.echo(json.dumps(output.jsonable(_as_json(result, table, files)), indent=2))
        return
    _print(result, table, out, write_scenario)


def _chart(result, table, out: Path) -> list[Path]:
    """``staffing.png`` and ``.svg`` in ``out``: requirement against load, predicted against simulated."""
    from sim.plots import save, staffing_chart

    target = next((t.bound for t in result.targets if t.name == "service_level"), None)
    return save(staffing_chart(table, result.scenario.interval, target, result.scenario.name), out / "staffing")


def _solve(solve, model, request):
    """Run the method, with a progress bar when it simulates."""
    if not request.simulated:
        return solve(model, request)
    from sim.console import progress_callbacks

    with progress_callbacks(f"staff ({request.method})") as callbacks:
        return solve(model, request, **callbacks)


def _as_json(result, table, files) -> dict:
    from sim.staffing.output import records, request_json

    return {"scenario": result.scenario.name, **request_json(result), "meta": result.meta,
            "summary": result.summary(), "files": [str(p) for p in files], "requirements": records(table)}


def _print(result, table, out: Path, written: Path | None) -> None:
    from sim.console import stdout

    console = stdout()
    r, meta = result.request, result.meta
    thresholds = ", ".join(f"{_duration(t)} ({c})" for c, t in meta["thresholds"].items() if c in meta["channels"])
    console.print(f"[bold]{result.scenario.name}[/bold]: method {r.method}, shrinkage {r.shrinkage.describe()}"
                  + (f", occupancy cap {r.occupancy_cap:.0%}" if r.occupancy_cap else ""))
    console.print(f"target in every interval: {', '.join(t.describe() for t in result.targets)}; "
                  f"threshold {thresholds}")
    if r.simulated:
        console.print(_simulation_line(meta))
    for group in table["group"].unique():
        console.print(staffing_grid(table[table["group"] == group], group))
    console.print(staffing_totals(table, result.scenario.interval))
    unmet = int(table["unmet"].sum())
    if unmet:
        console.print(f"[bold red]{unmet} row(s) unmet[/bold red]: see the reason column of requirements.csv")
    click.echo(f"requirements: {out / 'requirements.csv'}")
    if written is not None:
        click.echo(f"scenario:     {written}  (run the plan: servsim run {written})")


def _simulation_line(meta: dict) -> str:
    if "isa" not in meta and "search" not in meta:
        return (f"checked by simulation: {meta['simulation_runs']} runs (seed {meta['seed']}), "
                f"{meta['wall_seconds']:.0f}s")
    if "isa" in meta:
        info = meta["isa"]
        state = "converged" if info["converged"] else f"stopped ({info['stopped']})"
        return (f"isa: {info['iterations']} iteration(s), {state}; {meta['simulation_runs']} runs "
                f"({meta['replications']} replications, seed {meta['seed']}), {meta['wall_seconds']:.0f}s")
    info = meta["search"]
    state = "every target met" if info["all_targets_met"] else "[bold red]targets missed[/bold red]"
    return (f"simulate: {info['iterations']} round(s), {state}; {meta['simulation_runs']} runs "
            f"({meta['replications']} replications, seed {meta['seed']}), {meta['wall_seconds']:.0f}s")


def _duration(seconds: float) -> str:
    from sim.config.units import format_duration

    return format_duration(seconds)


def staffing_grid(rows, group: str, max_days: int = 7):
    """Net agents per interval (rows) and day (columns), for the intervals with a requirement."""
    from rich.table import Table

    days = [d for d in rows["day"].unique() if rows.loc[rows["day"] == d, "net_agents"].sum() > 0][:max_days]
    shown = rows[rows["day"].isin(days)]
    staffed = shown.groupby("interval_start", sort=False)["net_agents"].sum()
    clocks = [c for c in shown["interval_start"].unique() if staffed[c]]
    channel = rows["channel"].iloc[0]
    gross = bool((rows["gross_agents"] != rows["net_agents"]).any())
    table = Table(title=f"{group} ({channel}): agents on the floor" + (" (gross after shrinkage)" if gross else ""))
    table.add_column("interval")
    for d in days:
        table.add_column(f"{rows.loc[rows['day'] == d, 'weekday'].iloc[0]} (day {d})", justify="right")
    cells = shown.set_index(["interval_start", "day"])
    for clock in clocks:
        row = cells.loc[clock]
        table.add_row(clock, *[_cell(row.loc[d], gross) for d in days])
    return table


def _cell(row, gross: bool) -> str:
    mark = "!" if row["unmet"] else ""
    return f"{row['net_agents']} ({row['gross_agents']}){mark}" if gross else f"{row['net_agents']}{mark}"


def staffing_totals(table, interval_seconds: float):
    """Per group: agent-hours net and gross, peak, and what bound the requirement."""
    from rich.table import Table

    from sim.console import add_columns

    hours = interval_seconds / 3600.0
    out = add_columns(Table(title="totals over the horizon"), (
        ("group", "left"), ("net agent-hours", "right"), ("net FTE-hours", "right"), ("gross agent-hours", "right"),
        ("peak agents", "right"), ("bound by", "left")))
    for group, rows in table.groupby("group", sort=False):
        staffed = rows[rows["net_agents"] > 0]
        bound = staffed["binding"].value_counts()
        out.add_row(group, f"{rows['net_agents'].sum() * hours:,.1f}", f"{rows['net_fte'].sum() * hours:,.1f}",
                    f"{rows['gross_agents'].sum() * hours:,.1f}", str(int(rows["net_agents"].max())),
                    ", ".join(f"{b} {n}" for b, n in bound.items()))
    return out
