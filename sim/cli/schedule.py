"""``servsim schedule``: shifts with breaks and days off that cover a requirement, optionally simulated."""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path

import click

import sim
from sim.cli.base import POSITIVE_DURATION, _jsonable, cli
from sim.errors import InputError

COLUMNS = "net_fte (default), net_agents, gross_agents or any numeric column"


@cli.command()
@click.argument("requirements", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--shifts", "shifts_file", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Shift types, breaks, weekly patterns and opening hours (YAML).")
@click.option("--column", default="net_fte", show_default=True, help=f"Requirement column: {COLUMNS}.")
@click.option("--group", help="Agent group to schedule (when the file has several) and to staff in the scenario.")
@click.option("--objective", type=click.Choice(["cost", "headcount", "paid-hours"]), default="cost",
              show_default=True, help="What to minimise.")
@click.option("--under-penalty", type=click.FloatRange(min=0, min_open=True),
              help="Soft cover: price of one agent-hour short, in the objective's units (default: hard cover).")
@click.option("--over-penalty", type=click.FloatRange(min=0), default=0.0, show_default=True,
              help="Price of one agent-hour over the requirement.")
@click.option("--time-limit", type=POSITIVE_DURATION, default="60s", show_default=True, help="Solver time limit.")
@click.option("--mip-gap", type=click.FloatRange(0, 1), default=0.005, show_default=True,
              help="Stop when the schedule is within this share of the bound.")
@click.option("--scenario", "scenario_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write DIR/scenario.yaml: this scenario staffed by the schedule.")
@click.option("--evaluate", "evaluate_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Simulate the schedule in this scenario (and write DIR/scenario.yaml).")
@click.option("--replications", "-r", type=click.IntRange(min=2), help="Replications (default: the scenario's).")
@click.option("--seed", type=click.IntRange(min=0), help="Root random seed (default: the scenario's).")
@click.option("--target-sl", type=click.FloatRange(0, 1, min_open=True, max_open=True), default=0.8,
              show_default=True, help="Service level an interval must reach; shortfalls are listed.")
@click.option("--refine-step", type=click.FloatRange(min=0, min_open=True), default=1.0, show_default=True,
              help="Agents added to each short interval in DIR/requirements_refined.csv.")
@click.option("--refine", type=click.IntRange(min=0), default=0, show_default=True,
              help="With --evaluate: up to this many more rounds of adding requirement where the simulation "
                   "fell short and solving again.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Worker processes (default: all cores).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("results/schedule"),
              show_default=True, help="Results directory.")
@click.option("--no-charts", is_flag=True, help="Skip the charts.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def schedule(requirements, shifts_file, column, group, objective, under_penalty, over_penalty, time_limit, mip_gap,
             scenario_file, evaluate_file, replications, seed, target_sl, refine_step, refine, jobs, out, no_charts,
             as_json) -> None:
    """Shifts with breaks and days off that cover a requirement per interval (integer programming).

    REQUIREMENTS is a CSV with day, interval_start (HH:MM) and agents needed (servsim staff writes one).
    Without --under-penalty every interval is covered (hard cover); with it, shortfalls are priced and
    listed. --evaluate simulates the schedule with replications and lists the intervals whose service
    level misses --target-sl; DIR/requirements_refined.csv adds agents there for a second pass, and
    --refine N makes up to N such passes in one command.

    \b
    Examples:
      servsim schedule configs/schedules/phone_line_requirements.csv --shifts configs/schedules/phone_line_shifts.yaml
      servsim schedule REQ.csv --shifts SHIFTS.yaml --under-penalty 200 --over-penalty 5 --out results/plan
      servsim schedule REQ.csv --shifts SHIFTS.yaml --evaluate configs/phone_line.yaml -r 10 --out results/plan
      servsim schedule results/plan/requirements_refined.csv --shifts SHIFTS.yaml --evaluate configs/phone_line.yaml
      servsim schedule REQ.csv --shifts SHIFTS.yaml --evaluate configs/phone_line.yaml --refine 3 --target-sl 0.85
    """
    from sim.experiment.outdir import OutDir

    if scenario_file and evaluate_file and scenario_file.resolve() != evaluate_file.resolve():
        raise InputError("--scenario and --evaluate name different scenarios; give one of them")
    if refine and evaluate_file is None:
        raise InputError("--refine goes with --evaluate SCENARIO (it refines where the simulation fell short)")
    from sim.scheduling.groups import match_groups
    from sim.scheduling.model import Options
    from sim.scheduling.requirement import file_groups, read_requirements
    from sim.scheduling.spec import load_shifts

    found = read_requirements(requirements, column, group)  # bad input is refused before anything is written
    shifts = load_shifts(shifts_file)
    pairs = match_groups(found, file_groups(requirements), shifts, shifts_file)
    if refine and len(pairs) > 1:
        raise InputError("--refine refines one group at a time: give --group (without it every group of "
                         f"{requirements} is scheduled)")
    with OutDir(out, "schedule") as directory:
        directory.claim()  # a new or empty directory, or an earlier schedule's; nothing else is touched
        if len(pairs) > 1:
            options = Options(objective, under_penalty, over_penalty, time_limit, mip_gap)
            data = _groups_solved_and_written(directory, pairs, shifts, shifts_file, options, evaluate_file,
                                              scenario_file, (replications, seed, target_sl, jobs), no_charts)
        else:
            data = _solve_and_write(directory, pairs[0][0], pairs[0][1], shifts_file, group, objective, under_penalty,
                                    over_penalty, time_limit, mip_gap, evaluate_file, scenario_file, replications,
                                    seed, target_sl, refine_step, jobs, refine, no_charts)
    if as_json:
        click.echo(json.dumps(_jsonable(data), indent=2))
        return
    _print(data, out)


def _solve_and_write(directory, requirement, shifts, shifts_file, group, objective, under_penalty, over_penalty,
                     time_limit, mip_gap, evaluate_file, scenario_file, replications, seed, target_sl, refine_step,
                     jobs, refine, no_charts) -> dict:
    """Solve (and simulate, refine) the schedule; write its files and a manifest listing them; its summary."""
    from sim.scheduling.model import Options
    from sim.scheduling.outputs import write_outputs

    out = directory.path
    options = Options(objective, under_penalty, over_penalty, time_limit, mip_gap)
    simulate = (evaluate_file, group, replications, seed, target_sl, refine_step, jobs)
    plan, evaluation, refined, rounds = _rounds(requirement, shifts, shifts_file, options, simulate, refine)
    base = evaluate_file or scenario_file
    scenario = None
    if base is not None:
        from sim.scheduling.evaluate import schedule_to_scenario

        scenario = schedule_to_scenario(plan, base, group)[0]
    name = group or requirement.group or (next(iter(scenario["agents"])) if scenario and len(scenario["agents"]) == 1
                                          else "scheduled")
    extra = {"refine_rounds": rounds} if refine else None
    directory.remove_previous()
    written = write_outputs(plan, out, name, scenario, evaluation, refined, with_charts=not no_charts, extra=extra)
    return _manifest(out, written)


def _groups_solved_and_written(directory, pairs, shifts, shifts_file, options, evaluate_file, scenario_file,
                               simulation, no_charts) -> dict:
    """Every group scheduled (one model each), the scenario staffed with all of them and, with --evaluate,
    simulated once per group's view (the same replications, common random numbers); one set of files."""
    from sim.scheduling.groups import make_schedules, staffed_scenario, write_group_outputs

    plans = make_schedules(pairs, shifts, shifts_file, options)
    base = evaluate_file or scenario_file
    scenario, staffed = staffed_scenario(plans, base) if base is not None else (None, None)
    evaluations = None
    if evaluate_file is not None:
        from sim.console import progress_callbacks
        from sim.scheduling.evaluate import evaluate

        replications, seed, target_sl, jobs = simulation
        evaluations = {}
        for name, plan in plans.items():
            with progress_callbacks(f"simulating the schedule ({name})") as callbacks:
                evaluations[name] = evaluate(plan, evaluate_file, name, replications, seed, target_sl, jobs=jobs,
                                             staffed=staffed, **callbacks)
    directory.remove_previous()
    written = write_group_outputs(plans, directory.path, scenario, evaluations, with_charts=not no_charts)
    return _manifest(directory.path, written)


def _manifest(out: Path, written: list[Path]) -> dict:
    """Write the manifest listing the files; return summary.json's content."""
    from sim.experiment.store import write_json

    write_json(out / "manifest.json", {"kind": "schedule", "servsim_version": sim.__version__,
                                       "command": shlex.join(["servsim", *sys.argv[1:]]),
                                       "files": [p.relative_to(out).as_posix() for p in written]})
    return json.loads((out / "summary.json").read_text())


def _rounds(requirement, shifts, shifts_file, options, simulate, refine):
    """Solve; with a scenario, simulate, and up to ``refine`` times add requirement where it fell short and
    solve again. Returns the last schedule, its evaluation and refined requirement, and each round's numbers."""
    from sim.scheduling.evaluate import as_requirement
    from sim.scheduling.schedule import make_schedule

    evaluation, refined, rounds = None, None, []
    for number in range(refine + 1):
        plan = make_schedule(requirement, shifts, shifts_file, options)
        if simulate[0] is None:
            break
        evaluation, refined = _evaluate(plan, *simulate)
        rounds.append(_round(number, plan, evaluation))
        if evaluation.short.empty or number == refine:
            break
        requirement = as_requirement(requirement, refined)
    return plan, evaluation, refined, rounds


def _evaluate(plan, scenario, group, replications, seed, target_sl, refine_step, jobs):
    from sim.console import progress_callbacks
    from sim.scheduling.evaluate import evaluate, refined_requirement

    with progress_callbacks("simulating the schedule") as callbacks:
        evaluation = evaluate(plan, scenario, group, replications, seed, target_sl, jobs=jobs, **callbacks)
    return evaluation, refined_requirement(plan, evaluation, refine_step)


def _round(number: int, plan, evaluation) -> dict:
    """One refining round in numbers, for summary.json and the screen."""
    sl = evaluation.runs["service_level"]
    return {"round": number, "requirement_agent_hours": float(plan.required.sum() * plan.grid.hours),
            "cost": float(plan.columns.cost[plan.lines.column] @ plan.lines.count), "objective_value": plan.objective,
            "service_level": float(sl.mean()), "short_intervals": int(len(evaluation.short))}


def _print(data: dict, out: Path) -> None:
    from sim.console import stdout

    console = stdout()
    console.print(f"[bold]{data['shifts_file']}[/bold] on {data['requirement']} ({data['requirement_column']}): "
                  f"{data['days']} day(s) of {data['grid_minutes']:g}-minute steps"
                  f"{', cyclic' if data['cyclic'] else ''}, {data['columns']:,} columns, {data['cover']} cover")
    console.print(f"solver: {data['status']} in {data['solve_seconds']:.1f}s; objective ({data['objective']}) "
                  f"{data['objective_value']:,.2f}, bound {data['bound']:,.2f}, gap {100 * data['gap']:.2f}%")
    console.print(f"schedule: {data['headcount']} agents, {data['shifts']} shifts, {data['paid_hours']:,.1f} paid "
                  f"hours, cost {data['cost']:,.2f}")
    console.print(f"cover: {data['required_hours']:,.1f} agent-hours required, {data['on_floor_hours']:,.1f} on the "
                  f"floor; short {data['under_hours']:,.2f} agent-hours in {data['short_intervals']} intervals, "
                  f"over {data['over_hours']:,.1f}")
    for row in data["short"][:5]:
        where = f"{row['group']} {row['day']}" if "group" in row else row["day"]
        console.print(f"  short: {where} {row['interval_start']}: {row['on_floor']:g} on the floor, "
                      f"{row['required']:g} required")
    if data.get("repair"):
        repair = data["repair"]
        console.print(f"whole breaks cost more than the model's fractional break counts (objective "
                      f"{repair['relaxed_objective']:,.2f}); solved again with whole break counts "
                      f"({repair['exact_status']}), kept the {repair['kept']} schedule")
    if data["cover"] == "hard" and data["short_intervals"]:
        console.print("note: the breaks could not all be placed without a shortfall (the model counted them as "
                      "fractions); coverage.csv lists every short interval")
    for row in data.get("refine_rounds", []):
        console.print(f"round {row['round']}: requirement {row['requirement_agent_hours']:,.1f} agent-hours, cost "
                      f"{row['cost']:,.2f}, simulated service level {100 * row['service_level']:.1f}%, "
                      f"{row['short_intervals']} short intervals")
    if data.get("evaluation"):
        _print_evaluation(console, data["evaluation"])
    for name, group in data.get("groups", {}).items():
        console.print(f"group {name}: {group['status']}, objective {group['objective_value']:,.2f} (gap "
                      f"{100 * group['gap']:.2f}%), {group['headcount']} agents, {group['shifts']} shifts, cost "
                      f"{group['cost']:,.2f}, short {group['under_hours']:,.2f} agent-hours")
        if group.get("evaluation"):
            _print_evaluation(console, group["evaluation"])
    click.echo(f"results written to {out}/")


def _print_evaluation(console, evaluation: dict) -> None:
    sl = evaluation["kpis"].get("service_level", {})
    console.print(f"simulated ({evaluation['replications']} replications, {evaluation['scenario']}): service "
                  f"level {100 * sl.get('mean', float('nan')):.1f}% [{100 * sl.get('ci_low', float('nan')):.1f}, "
                  f"{100 * sl.get('ci_high', float('nan')):.1f}]; {evaluation['short_intervals']} intervals "
                  f"below {100 * evaluation['target_service_level']:g}% even at their upper 95% bound")
    for row in evaluation["short"][:5]:
        console.print(f"  short: day {row['day']} {row['interval_start']}: {100 * row['service_level']:.1f}% "
                      f"(upper bound {100 * row['service_level_ci_high']:.1f}%) with {row['on_floor']:g} agents")
