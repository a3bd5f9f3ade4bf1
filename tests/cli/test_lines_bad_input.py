"""Bad shift lines (``agents.<group>.lines``) to ``servsim run``: one line naming the field, exit 2, no traceback,
nothing written; and a good file runs."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from sim.cli import cli

LINE = {"start": "08:00", "end": "16:30", "count": 3,
        "breaks": [{"start": "10:00", "length": "15min", "paid": True},
                   {"start": "12:00", "length": "30min", "paid": False}]}


def scenario(group: dict) -> dict:
    return {"horizon": "1d", "behaviour": "off",
            "channels": {"phone": {"arrivals": {"rate": "30/h"}, "handle_time": {"dist": "exponential",
                                                                                   "mean": "4min"}}},
            "agents": {"team": group}}


def run(tmp: Path, group: dict):
    source = tmp / "scenario.yaml"
    source.write_text(yaml.safe_dump(scenario(group), sort_keys=False))
    out = tmp / "out"
    return CliRunner().invoke(cli, ["run", str(source), "-r", "1", "--out", str(out)]), out


def with_break(**changes) -> dict:
    return {**LINE, "breaks": [{**LINE["breaks"][0], **changes}, LINE["breaks"][1]]}


CASES = {
    "break outside the line": ({"lines": [with_break(start="17:00")]}, ["agents.team.lines.0", "breaks.0",
                                                                        "outside the line"]),
    "break running past the end": ({"lines": [{**LINE, "end": "10:10"}]}, ["breaks.0", "outside the line"]),
    "line of a whole day from mid-morning": ({"lines": [{**LINE, "end": "08:00"}]},
                                             ["agents.team.lines.0", "at most a day"]),
    "breaks overlapping": ({"lines": [{**LINE, "breaks": [LINE["breaks"][1], {**LINE["breaks"][1],
                                                                               "start": "12:15"}]}]},
                           ["breaks.1", "before the break ahead of it has ended"]),
    "breaks out of order": ({"lines": [{**LINE, "breaks": LINE["breaks"][::-1]}]}, ["breaks.1", "time order"]),
    "a break length without its unit": ({"lines": [with_break(length=15)]},
                                        ["agents.team.lines.0.breaks.0.length", "no unit"]),
    "a clock time that is not one": ({"lines": [{**LINE, "start": "25:00"}]},
                                     ["agents.team.lines.0.start", "not a time of day"]),
    "no paid flag": ({"lines": [{**LINE, "breaks": [{"start": "10:00", "length": "15min"}]}]},
                     ["agents.team.lines.0.breaks.0.paid", "required"]),
    "no agents on a line": ({"lines": [{**LINE, "count": 0}]}, ["agents.team.lines.0.count"]),
    "a day twice": ({"lines": [{**LINE, "days": ["mon", "mon"]}]}, ["agents.team.lines.0", "a day twice"]),
    "a day that is not one": ({"lines": [{**LINE, "days": ["monday"]}]}, ["agents.team.lines.0.days"]),
    "lines and staffing": ({"lines": [LINE], "staffing": 4}, ["agents.team", "either lines or staffing"]),
    "lines and days": ({"lines": [LINE], "days": ["mon"]}, ["agents.team", "either lines or days"]),
    "no lines at all": ({"lines": []}, ["agents.team.lines"]),
    "unknown key": ({"lines": [{**LINE, "colour": "red"}]}, ["agents.team.lines.0.colour"]),
}


@pytest.mark.parametrize(("group", "names"), list(CASES.values()), ids=list(CASES))
def test_bad_lines_are_one_clean_error(tmp_path, group, names):
    result, out = run(tmp_path, group)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and result.output.count("error:") == 1, result.output
    for name in names:
        assert name in result.output, (name, result.output)
    assert not out.exists()


def test_good_lines_run_and_a_night_line_wraps_past_midnight(tmp_path):
    result, out = run(tmp_path, {"lines": [LINE, {"start": "22:00", "end": "06:00", "count": 1, "days": [0]}]})
    assert result.exit_code == 0, result.output
    assert out.is_dir()
