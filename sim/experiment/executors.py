"""Where runs execute: in this process, in a local process pool, or on a Dask cluster; one interface.

Every executor calls the same ``run_one`` and yields outcomes as runs finish.
A run's result depends only on (scenario, replication, seed), so the tables are
identical whatever the executor or the number of workers.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import time
import traceback
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

import pandas as pd

from sim.config.schema import Scenario
from sim.errors import InputError
from sim.experiment.spec import RunSpec
from sim.model import simulate
from sim.reduction import RunTables, reduce_run

Task = tuple[Scenario, RunSpec]
# fork where the platform has it: spawned workers re-import the caller's main script, which breaks
# sweeps started from a notebook, from stdin or from a script without an ``if __name__ == "__main__"`` guard.
START_METHOD = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"


@dataclass
class Outcome:
    """What one run produced, or the error it raised (a failed run never stops the sweep)."""

    spec: RunSpec
    tables: RunTables | None
    seconds: float
    error: str | None = None

    @property
    def kpis(self) -> dict | None:
        return None if self.tables is None else self.tables.kpis

    @property
    def intervals(self) -> pd.DataFrame | None:
        return None if self.tables is None else self.tables.intervals

    @property
    def contacts(self) -> pd.DataFrame | None:
        return None if self.tables is None else self.tables.contacts


def run_one(scenario: Scenario, spec: RunSpec, lean: bool = False) -> Outcome:
    """Simulate one replication and reduce it (``sim.reduction``); exceptions become a recorded failure."""
    started = time.perf_counter()
    try:
        tables = reduce_run(simulate(scenario, spec.replication, spec.seed), scenario, lean)
    except Exception as exc:  # noqa: BLE001 - isolate any failure to its run
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        return Outcome(spec, None, time.perf_counter() - started, detail)
    return Outcome(spec, tables, time.perf_counter() - started)


def default_jobs() -> int:
    """All cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def serial(tasks: Iterable[Task], work: Callable[..., Outcome] = run_one) -> Iterator[Outcome]:
    """Run each task here, in order."""
    for scenario, spec in tasks:
        yield work(scenario, spec)


WORKER_DIED = ("the worker process running it died (killed by the system, e.g. for lack of memory); "
               "continue with --resume to retry")


def processes(tasks: Iterable[Task], jobs: int, work: Callable[..., Outcome] = run_one) -> Iterator[Outcome]:
    """Run tasks on ``jobs`` local worker processes, at most two queued per worker, yielding as they finish.

    A worker that dies (the OOM killer, kill -9) breaks its pool: the runs then in flight are recorded as
    failed and a new pool carries on with the rest.
    """
    tasks = iter(tasks)
    context = multiprocessing.get_context(START_METHOD)
    while (yield from _pool(tasks, jobs, context, work)):
        pass


def _pool(tasks: Iterator[Task], jobs: int, context, work: Callable[..., Outcome]) -> Generator[Outcome, None, bool]:
    """Run tasks in one pool until they are done (returns False) or a worker dies (returns True)."""
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        pending = {pool.submit(work, *task): task for task in _take(tasks, 2 * jobs)}
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                task = pending.pop(future)
                try:
                    outcome = future.result()
                except BrokenProcessPool:
                    for _, spec in [task, *pending.values()]:
                        yield Outcome(spec, None, 0.0, WORKER_DIED)
                    return True
                yield outcome
            for task in _take(tasks, len(done)):
                pending[pool.submit(work, *task)] = task
    return False


def dask(tasks: Iterable[Task], scheduler: str | None, jobs: int,
         work: Callable[..., Outcome] = run_one) -> Iterator[Outcome]:
    """Run tasks on a Dask cluster at ``scheduler``, or on a local cluster of ``jobs`` workers if None."""
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise InputError("--executor dask needs dask.distributed: pip install 'servsim[cluster]'") from None
    cluster = None
    if scheduler is None:
        cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=":0")
    try:
        client = Client(cluster if cluster is not None else scheduler, timeout="20s")
    except (OSError, TimeoutError, ValueError) as exc:
        if cluster is not None:
            cluster.close()
        raise InputError(f"--scheduler {scheduler}: cannot reach the Dask scheduler ({exc})") from None
    try:
        futures = [client.submit(work, scenario, spec, pure=False) for scenario, spec in tasks]
        for future in as_completed(futures):
            yield future.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def execute(tasks: list[Task], executor: str = "local", jobs: int | None = None,
            scheduler: str | None = None, lean: bool = False) -> Iterator[Outcome]:
    """Dispatch to the named executor: ``serial``, ``local`` (processes; serial when jobs is 1) or ``dask``.

    ``lean``: each run keeps only contacts and busy agents per group (``run_one``).
    """
    if executor not in ("serial", "local", "dask"):
        raise InputError(f"unknown executor {executor!r}; use local, serial or dask")
    jobs = jobs or default_jobs()
    work = functools.partial(run_one, lean=True) if lean else run_one
    if executor == "dask":
        return dask(tasks, scheduler, jobs, work)
    if executor == "serial" or jobs == 1 or len(tasks) <= 1:
        return serial(tasks, work)
    return processes(tasks, min(jobs, len(tasks)), work)


def _take(iterator: Iterator[Task], n: int) -> list[Task]:
    return [task for _, task in zip(range(n), iterator)]
