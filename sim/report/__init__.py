"""The planner's report: one self-contained HTML page per sweep."""

from sim.report.html import write_report

__all__ = ["write_report"]
