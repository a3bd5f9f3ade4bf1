"""The ``servsim`` command: a thin click layer over the library. Bad input exits 2 with one message."""

from __future__ import annotations

import json
import math
import shlex
import sys
from pathlib import Path

import click

import sim
from sim.errors import InputError


class _Group(click.Group):
    """Turns an ``InputError`` anywhere below into ``error: ...`` on stderr and exit status 2."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except InputError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(2)


class _Duration(click.ParamType):
    name = "DURATION"

    def __init__(self, positive: bool = False) -> None:
        self.positive = positive

    def convert(self, value, param, ctx):
        from sim.config.units import parse_duration

        try:
            seconds = value if isinstance(value, float) else parse_duration(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)
        if self.positive and seconds <= 0:
            self.fail("must be greater than zero", param, ctx)
        return seconds


class _Rate(click.ParamType):
    name = "RATE"

    def convert(self, value, param, ctx):
        from sim.config.units import parse_rate

        try:
            rate = value if isinstance(value, float) else parse_rate(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)
        if rate <= 0:
            self.fail("must be greater than zero", param, ctx)
        return rate


DURATION, POSITIVE_DURATION, RATE = _Duration(), _Duration(positive=True), _Rate()


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(sim.__version__, prog_name="servsim")
def cli() -> None:
    """Simulate customer-service operations and see what staffing does to service.

    \b
    Examples:
      servsim run configs/phone_line.yaml
      servsim erlang --arrival-rate 2/min --aht 4min --patience 3min --agents 9 --simulate
    """


@cli.command()
@click.argument("config", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE", help="Override a config value (repeatable).")
@click.option("--replications", "-r", type=click.IntRange(min=1), help="Replications (default: the config's).")
@click.option("--seed", type=click.IntRange(min=0), help="Root random seed (default: the config's).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Write result tables here.")
@click.option("--json", "as_json", is_flag=True, help="Print KPIs as JSON instead of a table.")
def run(config: Path, overrides: tuple[str, ...], replications, seed, out, as_json) -> None:
    """Simulate a scenario and print its KPIs with 95% intervals.

    \b
    Example:
      servsim run configs/phone_line.yaml --set agents.phone_team.staffing=14 -r 5
    """
    from sim.config.units import format_duration
    from sim.console import channel_table, stdout, summary_table

    scenario = sim.load_config(config, overrides)
    results = sim.run(scenario, replications, seed)
    if out is not None:
        from sim.experiment.store import save_results

        save_results(results, out, command=shlex.join(["servsim", *sys.argv[1:]]))
    if as_json:
        click.echo(json.dumps(_run_json(results), indent=2))
        return
    sl = scenario.service_level
    console = stdout()
    console.print(f"[bold]{scenario.name}[/bold]: {results.meta['replications']} replication(s), "
                  f"seed {results.meta['root_seed']}, {results.meta['wall_seconds']:.1f}s")
    thresholds = {c: format_duration(scenario.threshold_for(c)) for c in scenario.channels.names}
    console.print(f"service level = answered within {', '.join(f'{t} ({c})' for c, t in thresholds.items())} "
                  f"/ {_SL_WORDS[sl.definition]}")
    console.print(summary_table(results.summary))
    if len(thresholds) > 1:
        console.print(channel_table(results.channels, thresholds))
    if out is not None:
        click.echo(f"results written to {out}/")


_SL_WORDS = {
    "offered": "(answered + abandoned)",
    "answered": "answered",
    "offered_excl_short_abandons": "(answered + abandoned - short abandons)",
}


def _run_json(results: sim.Results) -> dict:
    from sim.console import summary_json

    sl = results.scenario.service_level
    return {
        "scenario": results.scenario.name,
        "replications": results.meta["replications"],
        "seed": results.meta["root_seed"],
        "service_level_definition": sl.definition,
        "service_level_threshold_seconds": sl.threshold,
        "kpis": summary_json(results.summary),
    }


@cli.command()
@click.argument("config", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE", help="Override a config value (repeatable).")
def validate(config: Path, overrides: tuple[str, ...]) -> None:
    """Check a scenario or experiment file without running it.

    \b
    Examples:
      servsim validate configs/phone_line.yaml
      servsim validate experiments/staffing_x_volume.yaml
    """
    from sim.config.loader import read_yaml
    from sim.config.units import format_duration

    if "base" in read_yaml(config):
        from sim.experiment.spec import load_experiment

        plan = load_experiment(config, list(overrides))
        click.echo(f"{config}: ok (experiment {plan.name!r}: {len(plan.scenarios)} scenarios x "
                   f"{plan.experiment.replications} replications = {len(plan.runs)} runs)")
        return
    scenario = sim.load_config(config, overrides)
    click.echo(f"{config}: ok ({scenario.name}; horizon {format_duration(scenario.horizon)}, "
               f"{scenario.n_intervals} intervals of {format_duration(scenario.interval)})")


@cli.command()
@click.argument("experiment", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Worker processes (default: all cores).")
@click.option("--executor", type=click.Choice(["local", "serial", "dask"]), default="local", show_default=True)
@click.option("--scheduler", metavar="ADDR", help="Dask scheduler, e.g. tcp://host:8786 (default: a local cluster).")
@click.option("--resume", is_flag=True, help="Continue an interrupted sweep; finished runs are kept.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Results directory "
              "(default: results/<experiment name>).")
@click.option("--replications", "-r", type=click.IntRange(min=1), help="Replications (default: the file's).")
@click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE", help="Override a base-scenario value.")
@click.option("--rank-by", metavar="KPI", help="KPI to rank scenarios by (default: the file's rank_by).")
@click.option("--no-report", is_flag=True, help="Skip the charts and report.html.")
def sweep(experiment, jobs, executor, scheduler, resume, out, replications, overrides, rank_by, no_report) -> None:
    """Run every scenario of an experiment file, with replications, and rank the scenarios.

    \b
    Examples:
      servsim sweep experiments/staffing_x_volume.yaml
      servsim sweep experiments/staffing_x_volume.yaml --jobs 2 --replications 20
      servsim sweep experiments/staffing_x_volume.yaml --executor dask --scheduler tcp://10.0.0.5:8786
      servsim sweep experiments/staffing_x_volume.yaml --resume      # after an interruption
    """
    from sim.experiment.spec import load_experiment
    from sim.console import print_ranking, progress_callbacks

    if scheduler is not None and executor != "dask":
        raise InputError("--scheduler goes with --executor dask")
    plan = load_experiment(experiment, list(overrides), replications)
    rank_by = rank_by or plan.experiment.rank_by
    if rank_by not in plan.experiment.summary_kpis:
        raise InputError(f"--rank-by {rank_by!r}: not among the experiment's KPIs "
                         f"({', '.join(plan.experiment.summary_kpis)}); add it to 'kpis' in {experiment}")
    out = out or Path("results") / plan.name
    with progress_callbacks(plan.name) as callbacks:
        try:
            results = sim.sweep(plan, out, executor=executor, jobs=jobs, scheduler=scheduler, resume=resume,
                                **callbacks)
        except KeyboardInterrupt:
            click.echo(f"\ninterrupted: finished runs are saved in {out}/; continue with --resume", err=True)
            sys.exit(130)
    print_ranking(results, plan, rank_by)
    click.echo(f"results: {out}/")
    if not no_report:
        from sim.report import write_report

        click.echo(f"report:  {write_report(out)}")
    failures = results.manifest["failures"]
    if failures:
        click.echo(f"{len(failures)} of {len(plan.runs)} runs failed; see {out}/manifest.json", err=True)
        sys.exit(1)


@cli.command()
@click.argument("results_dir", type=click.Path(file_okay=False, path_type=Path))
def report(results_dir: Path) -> None:
    """Draw the charts of a finished sweep and write its self-contained report.html.

    \b
    Example:
      servsim report results/staffing_x_volume
    """
    from sim.report import write_report

    if not results_dir.is_dir():
        raise InputError(f"{results_dir}: no such directory")
    path = write_report(results_dir)
    click.echo(f"charts:  {results_dir / 'charts'}/")
    click.echo(f"report:  {path}")


@cli.command()
def schema() -> None:
    """Print the JSON Schema of scenario files (for editor autocompletion).

    \b
    Example:
      servsim schema > servsim.schema.json
    """
    from sim.config.schema import Scenario

    click.echo(json.dumps(Scenario.model_json_schema(by_alias=True), indent=2))


@cli.command()
@click.option("--arrival-rate", required=True, type=RATE, help="Arrivals, e.g. 120/h or 2/min.")
@click.option("--aht", required=True, type=POSITIVE_DURATION, help="Mean handle time, e.g. 4min.")
@click.option("--patience", type=POSITIVE_DURATION, help="Mean patience (Erlang A); leave out for Erlang C.")
@click.option("--agents", type=click.IntRange(min=1), help="Agents on duty.")
@click.option("--target-sl", type=click.FloatRange(0, 1, min_open=True, max_open=True),
              help="Find the fewest agents reaching this service level, e.g. 0.8.")
@click.option("--target-asa", type=POSITIVE_DURATION, help="... and/or this ASA at most, e.g. 30s.")
@click.option("--target-abandon", type=click.FloatRange(0, 1, min_open=True, max_open=True),
              help="... and/or this abandon rate at most, e.g. 0.05.")
@click.option("--threshold", type=DURATION, default="20s", show_default=True, help="Service-level threshold.")
@click.option("--definition", type=click.Choice(["offered", "answered", "offered_excl_short_abandons"]),
              default="offered", show_default=True, help="Service-level definition the target refers to.")
@click.option("--short-abandon", type=DURATION, default="5s", show_default=True,
              help="Abandons within this are 'short' (for offered_excl_short_abandons).")
@click.option("--simulate", is_flag=True, help="Also simulate the same system and compare.")
@click.option("--replications", "-r", type=click.IntRange(min=2), default=10, show_default=True)
@click.option("--horizon", type=POSITIVE_DURATION, default="200h", show_default=True,
              help="Simulated time per replication.")
@click.option("--warmup", type=DURATION, default="2h", show_default=True, help="Left out of the statistics.")
@click.option("--seed", type=click.IntRange(min=0), default=1, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def erlang(arrival_rate, aht, patience, agents, target_sl, target_asa, target_abandon, threshold, definition,
           short_abandon, simulate, replications, horizon, warmup, seed, as_json) -> None:
    """Exact Erlang C / Erlang A: KPIs for given agents, or the agents a target needs.

    \b
    Examples:
      servsim erlang --arrival-rate 2/min --aht 4min --patience 3min --agents 9
      servsim erlang --arrival-rate 360/h --aht 4min --target-sl 0.8 --threshold 20s
      servsim erlang --arrival-rate 2/min --aht 4min --patience 3min --agents 9 --simulate
    """
    from sim.analytic import agents_for_target, queue_kpis

    targets = {"target_sl": target_sl, "target_asa": target_asa, "target_abandon": target_abandon}
    if (agents is None) == all(v is None for v in targets.values()):
        raise InputError("give either --agents N or a target (--target-sl, --target-asa, --target-abandon)")
    try:
        if agents is None:
            kpis = agents_for_target(arrival_rate, aht, patience=patience, threshold=threshold,
                                     sl_definition=definition, short_abandon=short_abandon, **targets)
        else:
            kpis = queue_kpis(arrival_rate, aht, agents, patience, threshold, short_abandon)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    analytic = kpis.as_dict()
    if simulate:
        _erlang_simulated(arrival_rate, aht, kpis.agents, patience, threshold, horizon, warmup, replications,
                          seed, short_abandon, analytic, as_json)
        return
    if as_json:
        click.echo(json.dumps(_jsonable(analytic), indent=2))
        return
    from rich.table import Table

    from sim.console import fmt, stdout

    model = "Erlang C (M/M/n)" if patience is None else "Erlang A (M/M/n+M)"
    console = stdout()
    console.print(f"{model}: load {arrival_rate * aht:.2f} Erlangs, service-level threshold {threshold:g}s")
    table = Table()
    table.add_column("KPI")
    table.add_column("value", justify="right")
    for key, value in analytic.items():
        if key != "stable":
            table.add_row(key, fmt(key, value))
    console.print(table)
    if not kpis.stable:
        console.print("[bold red]unstable[/bold red]: the load reaches the agents' capacity and nobody "
                      "abandons, so the queue grows without bound")


def _erlang_simulated(arrival_rate, aht, agents, patience, threshold, horizon, warmup, replications, seed,
                      short_abandon, analytic, as_json) -> None:
    from sim.console import comparison_table, stdout
    from sim.stationary import compare

    if warmup >= horizon:
        raise InputError("--warmup must be shorter than --horizon")
    result = compare(arrival_rate, aht, agents, patience, threshold, horizon, warmup, replications, seed,
                     short_abandon)
    result["analytic"] = {"agents": agents, **result["analytic"]}
    if as_json:
        click.echo(json.dumps(_jsonable(result), indent=2))
        return
    console = stdout()
    console.print(f"{agents} agents: exact vs simulated ({replications} replications of {horizon / 3600:g}h, "
                  f"warm-up {warmup / 3600:g}h, seed {seed})")
    console.print(comparison_table(result["analytic"], result["simulated"]))


def _jsonable(value):
    """Replace non-finite floats (not valid JSON) by null."""
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="servsim")
