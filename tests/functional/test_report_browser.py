"""report.html in a real browser (headless Chromium driven by Playwright): the decision summary is on the
first screen, nothing is wider than the page, every image loads, the console stays clean.

The browser is Debian's ``chromium`` (``make test`` installs it; Playwright's own download needs a host this
project's machines cannot reach) or, where someone installed one, Playwright's own. With neither, these
tests FAIL: a report nobody looked at in a browser is not checked. Screenshots are kept under
``results/browser/`` (git-ignored) to look at after a run.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from playwright.sync_api import sync_playwright  # the test extras install it; missing, these tests fail

from sim.cli import cli

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "results" / "browser"
VIEWPORT = {"width": 1280, "height": 1024}  # a laptop screen; the first screen is what is visible here
EXPERIMENT = """\
name: browser_check
question: Hire two phone agents, or train everyone 80 hours?
base: {base}
set:
  horizon: 1d
  warmup: 0s
scenarios:
  today: {{}}
  hire_2: {{agents.phone_team.extra_agents: 2}}
  train_80h: {{agents.phone_team.training_hours: 80, agents.counter.training_hours: 80}}
baseline: today
replications: 2
seed: 5
rank_by: net_value
"""


def browser_path() -> str | None:
    """Debian's chromium if installed, else None (then Playwright's own browser, if it has one)."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def swept(tmp_path_factory) -> tuple[Path, str]:
    """A small real sweep through the CLI (three scenarios, two replications, one day): its report and output."""
    where = tmp_path_factory.mktemp("browser")
    experiment = where / "browser_check.yaml"
    experiment.write_text(EXPERIMENT.format(base=ROOT / "configs" / "service_centre.yaml"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["sweep", str(experiment), "--out", str(where / "out"), "--executor", "serial"])
    assert result.exit_code == 0, result.output
    return where / "out" / "report.html", result.output


@pytest.fixture(scope="module")
def page(swept):
    with sync_playwright() as p:
        path = browser_path()
        try:
            browser = p.chromium.launch(executable_path=path, args=["--no-sandbox"]) if path else p.chromium.launch()
        except Exception as error:  # noqa: BLE001 - any launch failure means: no browser here
            pytest.fail(f"no headless Chromium could be started ({error.__class__.__name__}); `make test` installs "
                        "Debian's chromium (apt-get install chromium) - see the Makefile target .browser")
        tab = browser.new_page(viewport=VIEWPORT)
        errors: list[str] = []
        tab.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        tab.on("pageerror", lambda error: errors.append(str(error)))
        tab.goto(swept[0].resolve().as_uri(), wait_until="load")
        SHOTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(SHOTS / "report_first_screen.png"))
        tab.screenshot(path=str(SHOTS / "report_full.png"), full_page=True)
        yield tab, errors
        browser.close()


def test_the_terminal_prints_the_decision_summary(swept):
    output = swept[1]
    assert "Decision summary: Hire two phone agents" in output
    assert "Recommendation" in output and "hire_2" in output and "train_80h" in output


def test_the_decision_summary_is_on_the_first_screen(page):
    tab, _ = page
    box = tab.locator("#decision-summary").bounding_box()
    assert box is not None and box["y"] >= 0
    assert box["y"] + box["height"] <= VIEWPORT["height"], box
    first = tab.evaluate("document.querySelector('section').id")
    assert first == "decision-summary"  # before the scenarios, the findings and the charts


def test_nothing_is_wider_than_the_page(page):
    tab, _ = page
    widths = tab.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], widths


def test_every_image_loads(page):
    tab, _ = page
    images = tab.evaluate("Array.from(document.images).map(i => [i.alt, i.complete, i.naturalWidth])")
    assert images, "the report has charts"
    broken = [alt for alt, complete, width in images if not complete or width == 0]
    assert not broken, broken


def test_the_console_has_no_errors(page):
    _, errors = page
    assert not errors, errors
