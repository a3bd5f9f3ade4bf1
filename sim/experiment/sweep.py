"""Run an experiment: expand it, skip what a resumed sweep already has, execute the rest, combine."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sim.experiment.executors import Outcome, execute
from sim.experiment.results import SweepResults, SweepStore
from sim.experiment.spec import Plan, load_experiment


def sweep(
    experiment: str | Path | Plan,
    out: str | Path | None = None,
    *,
    executor: str = "local",
    jobs: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    on_start: Callable[[int, int], None] | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> SweepResults:
    """Run every (scenario, replication) of ``experiment`` and write ``out`` (default ``results/<name>``).

    ``on_start(total, already_done)`` and ``on_outcome(outcome)`` let a caller
    show progress; each finished run is on disk before ``on_outcome`` is called.
    """
    plan = experiment if isinstance(experiment, Plan) else load_experiment(experiment)
    out = Path(out) if out is not None else Path("results") / plan.name
    store = SweepStore(out, plan)
    done = store.open(resume)
    try:
        todo = [spec for spec in plan.runs if spec.key not in done]
        if on_start is not None:
            on_start(len(plan.runs), len(plan.runs) - len(todo))
        tasks = [(plan.scenarios[spec.scenario_index].scenario, spec) for spec in todo]
        for outcome in execute(tasks, executor, jobs, scheduler):
            store.save(outcome)
            if on_outcome is not None:
                on_outcome(outcome)
        return store.finish()
    finally:
        store.close()
