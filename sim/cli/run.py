"""``servsim run``, ``validate`` and ``schema``: one scenario file."""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path

import click

import sim
from sim.cli.base import cli


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
    from sim.console import channel_table, stability_line, stdout, summary_table

    scenario = sim.load_config(config, overrides)
    if out is None:
        results = sim.run(scenario, replications, seed)
    else:
        from sim.experiment.outdir import OutDir
        from sim.experiment.store import save_results

        with OutDir(out, "run") as directory:
            directory.claim()  # before simulating: a directory we may not write into is refused at once
            results = sim.run(scenario, replications, seed)
            save_results(results, directory, command=shlex.join(["servsim", *sys.argv[1:]]))
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
    from sim.kpis import headline_kpis

    console.print(summary_table(results.summary, headline_kpis(scenario.channels.names)))
    if len(thresholds) > 1:
        console.print(channel_table(results.channels, thresholds))
    console.print(stability_line(results.runs))
    if out is not None:
        click.echo(f"results written to {out}/")


_SL_WORDS = {
    "offered": "(answered + abandoned)",
    "answered": "answered",
    "offered_excl_short_abandons": "(answered + abandoned - short abandons)",
}


def _run_json(results: sim.Results) -> dict:
    from sim.console import headline_json, summary_json
    from sim.stability import verdict

    scenario = results.scenario
    sl = scenario.service_level
    return {
        "scenario": scenario.name,
        "replications": results.meta["replications"],
        "seed": results.meta["root_seed"],
        "service_level_definition": sl.definition,
        "service_level_threshold_seconds": sl.threshold,
        "stability": verdict(results.runs),
        "channels": headline_json(results.summary, {c: scenario.threshold_for(c) for c in scenario.channels.names}),
        "kpis": summary_json(results.summary),
    }


@cli.command()
@click.argument("config", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE", help="Override a config value (repeatable).")
@click.option("--max-runs", type=click.IntRange(min=1), default=100_000, show_default=True,
              help="For an experiment: refuse more runs (scenarios x replications) than this.")
def validate(config: Path, overrides: tuple[str, ...], max_runs: int) -> None:
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

        plan = load_experiment(config, list(overrides), max_runs=max_runs)
        click.echo(f"{config}: ok (experiment {plan.name!r}: {len(plan.scenarios)} scenarios x "
                   f"{plan.experiment.replications} replications = {len(plan.runs)} runs)")
        return
    scenario = sim.load_config(config, overrides)
    click.echo(f"{config}: ok ({scenario.name}; horizon {format_duration(scenario.horizon)}, "
               f"{scenario.n_intervals} intervals of {format_duration(scenario.interval)})")


@cli.command()
def schema() -> None:
    """Print the JSON Schema of scenario files (for editor autocompletion).

    \b
    Example:
      servsim schema > servsim.schema.json
    """
    from sim.config.schema import Scenario

    click.echo(json.dumps(Scenario.model_json_schema(by_alias=True), indent=2))
