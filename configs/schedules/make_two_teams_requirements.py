"""Write two_teams_requirements.csv: the phone line's requirement and an email desk's, one file, two groups.

An example for scheduling several groups in one command (``servsim schedule`` with ``two_teams_shifts.yaml``):

- ``phone_team``: the rows of phone_line_requirements.csv as they are;
- ``email_desk``: 3 agents from 08:00 to 18:00 Monday to Friday and none otherwise (a flat backlog worked in
  office hours), channel ``email``, in the same half hours.

Run from the repository root:  .venv/bin/python configs/schedules/make_two_teams_requirements.py
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
EMAIL_AGENTS = 3


def table() -> pd.DataFrame:
    phone = pd.read_csv(HERE / "phone_line_requirements.csv", dtype=str, keep_default_na=False)
    hours = phone["interval_start"].str.slice(0, 2).astype(int)
    office = (phone["day"].astype(int) < 5) & (hours >= 8) & (hours < 18)
    email = pd.DataFrame({"day": phone["day"], "interval_start": phone["interval_start"], "channel": "email",
                          "group": "email_desk", "net_fte": office.map({True: EMAIL_AGENTS, False: 0}).astype(str)})
    return pd.concat([phone, email], ignore_index=True).fillna("")


def main() -> None:
    table().to_csv(HERE / "two_teams_requirements.csv", index=False)


if __name__ == "__main__":
    main()
