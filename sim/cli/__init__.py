"""The ``servsim`` command: a thin click layer over the library, one module per command family.

Bad input exits 2 with one message (``base._Group``). A new command lives in its own module
here and is registered by importing that module below.
"""

from __future__ import annotations

from sim.cli import calibrate, erlang, forecast, run, schedule, sensitivity, staff, sweep  # noqa: F401 - importing a module registers its commands
from sim.cli.base import cli

__all__ = ["cli", "main"]


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="servsim")
