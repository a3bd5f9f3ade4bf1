"""Named random streams: one numpy Generator per source of randomness, from (root seed, replication).

A stream's seed depends only on the root seed, the replication and the stream's
name (never on the scenario, nor on which streams were asked for first), so
every scenario in a sweep sees the same customers: common random numbers.
"""

from __future__ import annotations

import zlib

import numpy as np


def stream_key(name: str) -> int:
    """A stable 32-bit number for a stream name (crc32; Python's hash() changes per process)."""
    return zlib.crc32(name.encode("utf-8"))


class Streams:
    """Factory and cache of named streams for one replication."""

    def __init__(self, root_seed: int, replication: int) -> None:
        if root_seed < 0 or replication < 0:
            raise ValueError("root_seed and replication must be >= 0")
        self.root_seed = root_seed
        self.replication = replication
        self._streams: dict[str, np.random.Generator] = {}

    def __getitem__(self, name: str) -> np.random.Generator:
        """The stream called ``name``, created on first use."""
        stream = self._streams.get(name)
        if stream is None:
            seq = np.random.SeedSequence([self.root_seed, self.replication], spawn_key=(stream_key(name),))
            stream = self._streams[name] = np.random.Generator(np.random.PCG64(seq))
        return stream

    def names(self) -> list[str]:
        """Names of the streams used so far (recorded in a run's manifest)."""
        return sorted(self._streams)
