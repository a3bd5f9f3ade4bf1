"""``servsim sweep`` and ``report``: experiments and their results directories."""

from __future__ import annotations

import sys
from pathlib import Path

import click

import sim
from sim.cli.base import cli
from sim.errors import InputError
from sim.experiment.spec import MAX_RUNS


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
@click.option("--max-runs", type=click.IntRange(min=1), default=MAX_RUNS, show_default=True,
              help="Refuse experiments planning more runs (scenarios x replications) than this.")
def sweep(experiment, jobs, executor, scheduler, resume, out, replications, overrides, rank_by, no_report,
          max_runs) -> None:
    """Run every scenario of an experiment file, with replications, and rank the scenarios.

    \b
    Examples:
      servsim sweep experiments/staffing_x_volume.yaml
      servsim sweep experiments/staffing_x_volume.yaml --jobs 2 --replications 20
      servsim sweep experiments/staffing_x_volume.yaml --executor dask --scheduler tcp://10.0.0.5:8786
      servsim sweep experiments/staffing_x_volume.yaml --resume      # after an interruption
    """
    from sim.console import print_ranking, progress_callbacks
    from sim.experiment.spec import load_experiment

    if scheduler is not None and executor != "dask":
        raise InputError("--scheduler goes with --executor dask")
    plan = load_experiment(experiment, list(overrides), replications, max_runs)
    rank_by = rank_by or plan.experiment.rank_by
    if rank_by not in plan.experiment.summary_kpis:
        raise InputError(f"--rank-by {rank_by!r}: not among the experiment's KPIs "
                         f"({', '.join(plan.experiment.summary_kpis)}); add it to 'kpis' in {experiment}")
    traced = [s.name for s in plan.scenarios if s.scenario.output.trace]
    if traced:
        click.echo(f"note: output.trace is on in {len(traced)} scenario(s) but a sweep keeps no event trace; "
                   "write one with servsim run --out", err=True)
    out = out or Path("results") / plan.name
    with progress_callbacks(plan.name) as callbacks:
        try:
            results = sim.sweep(plan, out, executor=executor, jobs=jobs, scheduler=scheduler, resume=resume,
                                **callbacks)
        except KeyboardInterrupt:
            click.echo(f"\ninterrupted: finished runs are saved in {out}/; continue with --resume", err=True)
            sys.exit(130)
    print_ranking(results, plan, rank_by)
    if not results.runs.empty:
        from sim.console import stdout
        from sim.report.decision import decide, print_decision

        print_decision(decide(results), stdout())
    click.echo(f"results: {out}/")
    if not no_report:
        from sim.report import write_report

        click.echo(f"report:  {write_report(out)}")
    manifest = results.manifest
    if manifest["failures"]:
        click.echo(f"{len(manifest['failures'])} of {manifest['runs_planned']} runs failed; see {out}/manifest.json "
                   "(continue with --resume to retry them)", err=True)
        sys.exit(1)
    if manifest["status"] != "complete":
        missing = manifest["runs_planned"] - manifest["runs_done"]
        click.echo(f"{missing} of {manifest['runs_planned']} planned runs are missing from {out}/runs; "
                   "continue with --resume", err=True)
        sys.exit(1)


@cli.command()
@click.argument("results_dir", type=click.Path(file_okay=False, path_type=Path))
def report(results_dir: Path) -> None:
    """Draw the charts of a finished sweep (or of a ``servsim run --out`` directory) and write its
    self-contained report.html.

    \b
    Examples:
      servsim report results/staffing_x_volume
      servsim report results/my_run          # after: servsim run my.yaml --out results/my_run
    """
    from sim.report import write_report

    if not results_dir.is_dir():
        raise InputError(f"{results_dir}: no such directory")
    path = write_report(results_dir)
    click.echo(f"charts:  {results_dir / 'charts'}/")
    click.echo(f"report:  {path}")
