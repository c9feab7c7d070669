"""Characters to visual lines: grouping by height, spacing by gaps, segments split at column gaps."""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field

from parsers.readers.pdf_page import Char
from parsers.readers.textjoin import collapse_spaces, is_wide

SEGMENT_GAP = 1.5  # a gap wider than this many font sizes separates columns of text


@dataclass(slots=True)
class Line:
    chars: list[Char]
    text: str = ""
    x0: float = 0.0
    x1: float = 0.0
    top: float = 0.0
    bottom: float = 0.0
    size: float = 0.0
    bold: bool = False
    font: str = ""
    segments: list[tuple[float, float, str]] = field(default_factory=list)  # (x0, x1, text)

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


def group_lines(chars: list[Char]) -> list[Line]:
    """Characters to visual lines, top to bottom; each line's characters left to right."""
    if not chars:
        return []
    ordered = sorted(chars, key=lambda c: c.top + c.bottom)
    lines: list[list[Char]] = []
    current: list[Char] = []
    sum_cy = sum_size = 0.0
    for ch in ordered:
        cy = (ch.top + ch.bottom) / 2
        if current:
            n = len(current)
            if abs(cy - sum_cy / n) <= 0.35 * min(ch.size, sum_size / n):
                current.append(ch)
                sum_cy += cy
                sum_size += ch.size
                continue
            lines.append(current)
        current = [ch]
        sum_cy, sum_size = cy, ch.size
    lines.append(current)
    return [make_line(sorted(cs, key=lambda c: c.x0)) for cs in lines]


def _gap_is_space(left: Char, right: Char, gap: float) -> bool:
    size = max(min(left.size, right.size), 1.0)
    a, b = is_wide(left.text), is_wide(right.text)
    if a and b:
        return gap > 0.6 * size
    if a or b:
        # LibreOffice and Word put a ~0.2 em "autospace" between CJK and Latin; a real space is ~0.3 em.
        return gap > 0.27 * size
    return gap > 0.12 * size


def make_line(chars: list[Char], cuts: list[float] | None = None) -> Line:
    """A line from its characters (left to right): text with spaces where the gaps say so, and
    segments split at wide gaps, or at any visible gap across one of the x positions in `cuts`."""
    parts: list[str] = []
    segments: list[tuple[float, float, str]] = []
    seg_start = 0
    seg_x0 = None
    prev: Char | None = None
    pending_space = False
    sizes = []
    for ch in chars:
        if ch.text.isspace():
            pending_space = prev is not None
            continue
        sizes.append(ch.size)
        if prev is not None:
            gap = ch.x0 - prev.x1
            wide = gap > SEGMENT_GAP * max(min(prev.size, ch.size), 1.0)
            if wide or (
                cuts and gap > 0.1 * ch.size and any(prev.x1 - 0.5 <= c <= ch.x0 + 0.5 for c in cuts)
            ):
                segments.append((seg_x0, prev.x1, collapse_spaces("".join(parts[seg_start:]))))
                parts.append(" ")
                seg_start = len(parts)
                seg_x0 = ch.x0
            elif pending_space or _gap_is_space(prev, ch, gap):
                parts.append(" ")
        else:
            seg_x0 = ch.x0
        parts.append(ch.text)
        prev = ch
        pending_space = False
    if prev is not None:
        segments.append((seg_x0, prev.x1, collapse_spaces("".join(parts[seg_start:]))))
    visible = [c for c in chars if not c.text.isspace()] or chars
    return Line(
        chars=chars,
        text=collapse_spaces("".join(parts)),
        x0=min(c.x0 for c in visible),
        x1=max(c.x1 for c in visible),
        top=min(c.top for c in visible),
        bottom=max(c.bottom for c in visible),
        size=statistics.median(sizes) if sizes else visible[0].size,
        bold=2 * sum(c.bold for c in visible) > len(visible),
        font=dominant(c.font for c in visible),
        segments=segments,
    )


def dominant(values: Iterable[str]) -> str:
    counts: dict[str, int] = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    return max(counts, key=counts.__getitem__) if counts else ""
