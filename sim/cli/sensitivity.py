"""``servsim sensitivity``: how far an experiment's answer rests on the model's uncertain coefficients."""

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
@click.option("--coefficient", "-c", "names", multiple=True, metavar="NAME",
              help="Vary only this coefficient (repeatable; default: every one in docs/sensitivity.md).")
@click.option("--option", metavar="SCENARIO", help="The option to compare with the baseline (default: the one the "
              "decision summary recommends, else the closest to being better).")
@click.option("--kpi", metavar="KPI", help="The KPI of the headline difference (default: the decision summary's).")
@click.option("--replications", "-r", type=click.IntRange(min=1), help="Replications (default: the file's).")
@click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE", help="Override a base-scenario value.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Results directory (default: results/<experiment name>-sensitivity).")
@click.option("--resume", is_flag=True, help="Reuse the finished runs of the experiment's sweep in --out.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Worker processes (default: all cores).")
@click.option("--executor", type=click.Choice(["local", "serial", "dask"]), default="local", show_default=True)
@click.option("--scheduler", metavar="ADDR", help="Dask scheduler, e.g. tcp://host:8786 (default: a local cluster).")
@click.option("--max-runs", type=click.IntRange(min=1), default=MAX_RUNS, show_default=True,
              help="Refuse experiments planning more runs (scenarios x replications) than this.")
def sensitivity(experiment, names, option, kpi, replications, overrides, out, resume, jobs, executor, scheduler,
                max_runs) -> None:
    """Recompute the headline difference with each uncertain coefficient at its low and high value.

    Runs the experiment's sweep, takes the decision summary's option and KPI, then reruns the baseline and
    that option with each coefficient of docs/sensitivity.md at the low and at the high end of its range
    (the same simulated customers in every run). Writes sensitivity.csv, a tornado chart and a section of
    report.html, and names the coefficients that would flip the answer.
    Runs: the sweep's, plus 2 x coefficients x 2 x replications.

    \b
    Examples:
      servsim sensitivity experiments/hire_or_train.yaml -r 2 --set horizon=2d --set warmup=0s --jobs 2
      servsim sensitivity experiments/hire_or_train.yaml -c skill_gain -c training_scale_hours
      servsim sensitivity experiments/empathy.yaml --option coached_80h --kpi csat_mean
    """
    from sim.console import progress_callbacks
    from sim.experiment import sensitivity as sens
    from sim.experiment.spec import load_experiment
    from sim.report.decision import decide

    if scheduler is not None and executor != "dask":
        raise InputError("--scheduler goes with --executor dask")
    coefficients = sens.select(names)
    plan = load_experiment(experiment, list(overrides), replications, max_runs)
    _check_choice(plan, option, kpi)
    variants = sens.variant_plans(experiment, list(overrides), replications, coefficients, max_runs)
    out = out or Path("results") / f"{plan.name}-sensitivity"
    click.echo(f"{len(plan.runs)} runs of the experiment, then {len(coefficients)} coefficients x 2 values x "
               f"2 scenarios x {plan.experiment.replications} replications = "
               f"{sens.runs_needed(len(coefficients), plan.experiment.replications)} runs")
    with progress_callbacks(plan.name) as callbacks:
        results = _sweep(plan, out, executor, jobs, scheduler, resume, callbacks)
    decision = decide(results)
    option, kpi = _headline(plan, decision, option, kpi, results)
    with progress_callbacks(f"{plan.name} sensitivity") as callbacks:
        callbacks["on_start"](sens.runs_needed(len(coefficients), plan.experiment.replications), 0)
        table, failed = _variants(variants, plan, option, kpi, results, out, coefficients,
                                  executor, jobs, scheduler, callbacks["on_outcome"])
    _report(out, results, table, failed)


def _sweep(plan, out, executor, jobs, scheduler, resume, callbacks):
    try:
        return sim.sweep(plan, out, executor=executor, jobs=jobs, scheduler=scheduler, resume=resume, **callbacks)
    except KeyboardInterrupt:
        click.echo(f"\ninterrupted: finished runs are saved in {out}/; continue with --resume", err=True)
        sys.exit(130)


def _check_choice(plan, option: str | None, kpi: str | None) -> None:
    """Refuse an unknown ``--option`` or ``--kpi`` before anything runs."""
    from sim.kpis import KPIS

    names = [s.name for s in plan.scenarios if s.index != plan.baseline]
    if option is not None and option not in names:
        raise InputError(f"--option {option!r}: no such scenario besides the baseline; scenarios: {', '.join(names)}")
    if kpi is not None and kpi not in KPIS:
        raise InputError(f"--kpi {kpi!r}: unknown KPI; docs/kpis.md lists them")


def _headline(plan, decision, option: str | None, kpi: str | None, results) -> tuple[str, str]:
    """The option and KPI of the headline difference, the decision summary's unless given."""
    option = option or decision.option
    kpi = kpi or decision.decider
    if option is None or kpi is None:
        raise InputError(f"{plan.path}: no option to compare with the baseline (the experiment needs a scenario "
                         "besides its baseline, with a KPI the decision summary shows)")
    if kpi not in results.runs or not results.runs[kpi].notna().any():
        raise InputError(f"--kpi {kpi!r}: not a KPI these runs report")
    return option, kpi


def _variants(variants, plan, option, kpi, results, out, coefficients, executor, jobs, scheduler, on_outcome):
    """Run the variants and write sensitivity.csv and its runs into ``out`` (locked; a directory servsim made)."""
    from functools import partial

    from sim.experiment import sensitivity as sens
    from sim.experiment.outdir import OutDir
    from sim.experiment.results import record_report_files
    from sim.experiment.store import write_atomic
    from sim.report.sensitivity import FILE, RUNS_FILE

    baseline = plan.scenarios[plan.baseline].name
    central = sens.paired_mean(results.runs, kpi, baseline, option)
    with OutDir(out, "sweep") as directory:
        directory.claim()
        try:
            runs, failed = sens.run_variants(variants, baseline, option, executor, jobs, scheduler, on_outcome)
        except KeyboardInterrupt:
            click.echo(f"\ninterrupted: the sweep is saved in {out}/; the sensitivity runs are not", err=True)
            sys.exit(130)
        table = sens.sensitivity_table(runs, central, kpi, baseline, option, coefficients)
        write_atomic(out / RUNS_FILE, partial(runs.to_parquet, index=False))
        write_atomic(out / FILE, partial(table.to_csv, index=False))
        record_report_files(out, [out / FILE, out / RUNS_FILE])
    return table, failed


def _report(out: Path, results, table, failed: list[str]) -> None:
    """The decision summary with what the sensitivity found, the table, and the report with its section."""
    from sim.console import stdout
    from sim.plots.style import currency_of
    from sim.report import write_report
    from sim.report.decision import decide, print_decision
    from sim.report.sensitivity import print_sensitivity

    print_decision(decide(results, table), stdout())
    print_sensitivity(table, currency_of(results.manifest), stdout())
    click.echo(f"results: {out}/sensitivity.csv")
    click.echo(f"report:  {write_report(out)}")
    if failed:
        click.echo(f"{len(failed)} sensitivity runs failed (left out of the paired means):", err=True)
        for line in failed[:10]:
            click.echo(f"  {line}", err=True)
        sys.exit(1)
