"""``servsim erlang``: the exact Erlang C / A calculator, optionally checked by simulation."""

from __future__ import annotations

import json

import click

from sim.cli.base import DURATION, POSITIVE_DURATION, RATE, _jsonable, cli
from sim.errors import InputError


@cli.command()
@click.option("--arrival-rate", required=True, metavar="RATE",
              help="Arrivals, e.g. 120/h or 2/min (per day only with --open-hours).")
@click.option("--open-hours", type=POSITIVE_DURATION,
              help="With a rate per day (e.g. 2400/day): the hours the line is open, e.g. 10h; the day's "
                   "arrivals are spread evenly over them.")
@click.option("--aht", required=True, type=POSITIVE_DURATION, help="Mean handle time, e.g. 4min.")
@click.option("--patience", type=POSITIVE_DURATION, help="Mean patience (Erlang A); leave out for Erlang C.")
@click.option("--agents", type=click.IntRange(min=1), help="Agents on duty.")
@click.option("--target-sl", type=click.FloatRange(0, 1, min_open=True, max_open=True),
              help="Find the fewest agents reaching this service level, e.g. 0.8.")
@click.option("--target-asa", type=POSITIVE_DURATION, help="... and/or this ASA at most, e.g. 30s.")
@click.option("--target-abandon", type=click.FloatRange(0, 1, min_open=True, max_open=True),
              help="... and/or this abandon rate at most, e.g. 0.05.")
@click.option("--target-wait-probability", type=click.FloatRange(0, 1, min_open=True, max_open=True),
              help="... and/or this share of contacts waiting at most, e.g. 0.2.")
@click.option("--method", "model", type=click.Choice(["exact", "square-root", "gmr"]), default="exact",
              show_default=True, help="exact Erlang C / A; square-root: the Halfin-Whitt approximation of Erlang C; "
              "gmr: the Garnett-Mandelbaum-Reiman approximation of Erlang A (needs --patience).")
@click.option("--blocking", is_flag=True, help="Erlang B: blocked contacts are lost, nobody waits (M/M/n/n).")
@click.option("--target-blocking", type=click.FloatRange(0, 1, min_open=True, max_open=True),
              help="With --blocking: the fewest agents with blocking at most this, e.g. 0.01.")
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
def erlang(arrival_rate, open_hours, aht, patience, agents, target_sl, target_asa, target_abandon,
           target_wait_probability, model, blocking, target_blocking, threshold, definition, short_abandon, simulate,
           replications, horizon, warmup, seed, as_json) -> None:
    """Erlang C / Erlang A (exact, or their square-root and GMR approximations), and Erlang B: KPIs for
    given agents, or the agents a target needs.

    \b
    Examples:
      servsim erlang --arrival-rate 2/min --aht 4min --patience 3min --agents 9
      servsim erlang --arrival-rate 360/h --aht 4min --target-sl 0.8 --threshold 20s
      servsim erlang --arrival-rate 2/min --aht 4min --patience 3min --agents 9 --simulate
      servsim erlang --arrival-rate 600/h --aht 4min --patience 3min --agents 42 --method gmr
      servsim erlang --arrival-rate 2/min --aht 4min --blocking --target-blocking 0.01
    """
    from sim.analytic import agents_for_target, kpi_model

    arrival_rate = _arrival_rate(arrival_rate, open_hours)
    targets = {"target_sl": target_sl, "target_asa": target_asa, "target_abandon": target_abandon,
               "target_wait_probability": target_wait_probability}
    if blocking or target_blocking is not None:
        _erlang_b(arrival_rate, aht, agents, target_blocking, targets, patience, simulate, model, as_json)
        return
    if (agents is None) == all(v is None for v in targets.values()):
        raise InputError("give either --agents N or a target (--target-sl, --target-asa, --target-abandon, "
                         "--target-wait-probability)")
    if simulate and model != "exact":
        raise InputError("--simulate compares the exact formulas with the simulation; leave out --method")
    try:
        if agents is None:
            kpis = agents_for_target(arrival_rate, aht, patience=patience, threshold=threshold,
                                     sl_definition=definition, short_abandon=short_abandon, model=model, **targets)
        else:
            kpis = kpi_model(model)(arrival_rate, aht, agents, patience, threshold, short_abandon)
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

    name = "Erlang C (M/M/n)" if patience is None else "Erlang A (M/M/n+M)"
    name += {"exact": "", "square-root": ", Halfin-Whitt approximation",
             "gmr": ", Garnett-Mandelbaum-Reiman approximation"}[model]
    console = stdout()
    console.print(f"{name}: load {arrival_rate * aht:.2f} Erlangs, service-level threshold {threshold:g}s")
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


def _arrival_rate(text: str, open_hours: float | None) -> float:
    """Arrivals per second from ``--arrival-rate``; a rate per day is spread over ``--open-hours`` (required)."""
    from sim.config.units import DAY_SECONDS, parse_rate, rate_period

    try:
        rate = RATE.convert(text, None, None) if not isinstance(text, float) else text
    except click.BadParameter as exc:
        raise click.BadParameter(exc.message, param_hint="'--arrival-rate'") from None
    period = rate_period(text)
    if period > DAY_SECONDS:
        raise InputError(f"--arrival-rate {text}: give the rate per day or per a shorter period (e.g. 2400/day "
                         "with --open-hours 10h, or 120/h)")
    if period == DAY_SECONDS:
        if open_hours is None:
            raise InputError(f"--arrival-rate {text}: a rate per day would be spread over 24 hours; say how long "
                             "the line is open (--open-hours 10h), or give the rate in the busy hour (e.g. 120/h)")
        return parse_rate(text) * DAY_SECONDS / open_hours
    if open_hours is not None:
        raise InputError("--open-hours goes with a rate per day (e.g. --arrival-rate 2400/day)")
    return rate


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


def _erlang_b(arrival_rate, aht, agents, target_blocking, targets, patience, simulate, model, as_json) -> None:
    """Erlang B: blocking for given agents, or the fewest agents for a target blocking."""
    from sim.analytic import agents_for_blocking, erlang_b_kpis

    if patience is not None or simulate or model != "exact" or any(v is not None for v in targets.values()):
        raise InputError("--blocking (Erlang B) takes --agents or --target-blocking only: nobody waits, so there is "
                         "no patience, service level, ASA or abandonment")
    if (agents is None) == (target_blocking is None):
        raise InputError("--blocking: give either --agents N or --target-blocking P")
    try:
        if agents is None:
            agents = agents_for_blocking(arrival_rate * aht, target_blocking)
        kpis = erlang_b_kpis(arrival_rate, aht, agents)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    if as_json:
        click.echo(json.dumps(_jsonable(kpis), indent=2))
        return
    from sim.console import stdout

    console = stdout()
    console.print(f"Erlang B (M/M/n/n, blocked contacts lost): load {kpis['offered_load']:.2f} Erlangs")
    console.print(f"{kpis['agents']} agents: blocking {kpis['blocking']:.2%}, carried load "
                  f"{kpis['carried_load']:.2f} Erlangs, occupancy {kpis['occupancy']:.1%}")
