"""servsim's own contacts in the contact-log format (``docs/data.md``): what ``servsim run --out`` writes as
``contacts.csv``, so a simulated centre can be calibrated like a real one (the round trip).

The horizon starts on Monday ``LOG_START``. Replication r is placed r blocks later, a block being
the horizon rounded up to whole weeks, so the replications read as consecutive weeks of history
with weekdays kept; the ``replication`` column says which is which.
The engine records the agent's whole time on a contact as ``handle_seconds`` and, on the full centre,
its after-contact work as ``acw_seconds`` (then the log's ``handle_seconds`` is talk time alone); the
optional columns (agent, customer, resolved, transferred, after-contact work) are written when its contact
table has them (``OPTIONAL_ENGINE_COLUMNS``).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

LOG_START = pd.Timestamp("2024-01-01")  # a Monday
WEEK = 7 * 86400.0
# the engine's column -> the log's, for columns the engine may record
OPTIONAL_ENGINE_COLUMNS = {"queue": "queue", "skill": "queue", "acw_seconds": "acw_seconds",
                           "agent": "agent_id", "agent_id": "agent_id", "customer": "customer_id",
                           "customer_id": "customer_id", "resolved": "resolved", "transferred": "transferred"}


def contact_log(contacts: pd.DataFrame, horizon: float, start: pd.Timestamp = LOG_START) -> pd.DataFrame:
    """The engine's contact table (``Results.contacts``) as a contact log, in arrival order."""
    block = math.ceil(horizon / WEEK - 1e-9) * WEEK
    replication = contacts["replication"].to_numpy() if "replication" in contacts.columns else 0
    seconds = contacts["arrival_seconds"].to_numpy(float) + replication * block
    outcome = contacts["outcome"].astype(str)
    served = (outcome == "answered").to_numpy()
    log = pd.DataFrame({
        "arrival_time": start + pd.to_timedelta(np.round(seconds, 3), unit="s"),
        "channel": contacts["channel"].astype(str).to_numpy(),
        "tier": contacts["tier"].astype(str).to_numpy() if "tier" in contacts.columns else "regular",
        "wait_seconds": contacts["wait_seconds"].to_numpy(float).round(3),
        "outcome": outcome.to_numpy(),
        "handle_seconds": np.where(served, contacts["handle_seconds"].to_numpy(float).round(3), np.nan),
    })
    for engine, column in OPTIONAL_ENGINE_COLUMNS.items():
        if engine in contacts.columns and column not in log.columns:
            log[column] = contacts[engine].array  # Int64 ids stay whole numbers, blank where unknown
    if "acw_seconds" in log.columns:  # then handle_seconds is talk time alone
        log["handle_seconds"] = log["handle_seconds"] - np.where(served, log["acw_seconds"], 0.0)
        log.loc[~served, "acw_seconds"] = np.nan
    log["replication"] = replication
    return log.sort_values("arrival_time", kind="stable", ignore_index=True)


def write_contact_log(contacts: pd.DataFrame, horizon: float, path: Path) -> Path:
    """``contact_log`` written atomically as CSV (timestamps to the millisecond)."""
    from sim.experiment.store import write_atomic

    log = contact_log(contacts, horizon)
    log["arrival_time"] = log["arrival_time"].dt.strftime("%Y-%m-%d %H:%M:%S.%f").str[:-3]
    write_atomic(Path(path), lambda tmp: log.to_csv(tmp, index=False))
    return Path(path)
