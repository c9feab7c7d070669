"""Per-document limits, so that one hostile or huge file cannot hang or exhaust a crawl."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from parsers.errors import ParseError


@dataclass(frozen=True, slots=True)
class Limits:
    max_bytes: int = 100 * 1024 * 1024  # input size
    max_seconds: float = 60.0  # wall time for one document
    max_pages: int = 1000  # PDF pages read
    max_unpacked_bytes: int = 200 * 1024 * 1024  # total uncompressed size of a zip container (DOCX/XLSX)
    max_cells: int = 200_000  # table cells kept from one document


@dataclass(slots=True)
class Deadline:
    """Readers call `check()` in their loops; past the time limit it raises ParseError(kind='timeout')."""

    seconds: float
    started: float = field(default_factory=time.monotonic)

    def remaining(self) -> float:
        return self.seconds - (time.monotonic() - self.started)

    def check(self, where: str = "") -> None:
        if self.remaining() < 0:
            at = f" while {where}" if where else ""
            raise ParseError(f"time limit of {self.seconds:g}s exceeded{at}", kind="timeout")
