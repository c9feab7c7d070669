"""Characters to visual lines: grouping by height, spacing by gaps, segments split at column gaps."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import attrgetter

from parsers.readers.pdf_page import Char
from parsers.readers.textjoin import collapse_spaces, is_wide

_X0 = attrgetter("x0")
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
        size = ch.size
        if current:
            n = len(current)
            mean_size = sum_size / n
            if abs(cy - sum_cy / n) <= 0.35 * (mean_size if mean_size < size else size):
                current.append(ch)
                sum_cy += cy
                sum_size += size
                continue
            lines.append(current)
        current = [ch]
        sum_cy, sum_size = cy, size
    lines.append(current)
    return [make_line(sorted(cs, key=_X0)) for cs in lines]


def _space_between(left_wide: bool, right_wide: bool, gap: float, size: float) -> bool:
    """Whether the gap between two characters is a space; `size` is the smaller of their font sizes
    (at least 1 point)."""
    if left_wide and right_wide:
        return gap > 0.6 * size
    if left_wide or right_wide:
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
    prev_wide: bool | None = None  # is_wide(prev.text), once known: each character is looked at once
    pending_space = False
    visible: list[Char] = []
    for ch in chars:
        text = ch.text
        if text.isspace():
            pending_space = prev is not None
            continue
        visible.append(ch)
        wide: bool | None = None
        if prev is not None:
            gap = ch.x0 - prev.x1
            size = ch.size if ch.size < prev.size else prev.size  # max(min(prev, ch), 1.0), inline
            if size < 1.0:
                size = 1.0
            if gap > SEGMENT_GAP * size or (
                cuts and gap > 0.1 * ch.size and any(prev.x1 - 0.5 <= c <= ch.x0 + 0.5 for c in cuts)
            ):
                segments.append((seg_x0, prev.x1, collapse_spaces("".join(parts[seg_start:]))))
                parts.append(" ")
                seg_start = len(parts)
                seg_x0 = ch.x0
            elif pending_space:
                parts.append(" ")
            else:
                if prev_wide is None:
                    prev_wide = is_wide(prev.text)
                wide = is_wide(text)
                if _space_between(prev_wide, wide, gap, size):
                    parts.append(" ")
        else:
            seg_x0 = ch.x0
        parts.append(text)
        prev = ch
        prev_wide = wide
        pending_space = False
    if prev is not None:
        segments.append((seg_x0, prev.x1, collapse_spaces("".join(parts[seg_start:]))))
    # The line's box, size, weight and font from its visible characters (all of them if none is), in
    # one pass; the median is statistics.median's: the middle size, or the mean of the middle two.
    sizes = sorted(c.size for c in visible)
    n = len(sizes)
    if not visible:
        visible = chars
    first = visible[0]
    x0, x1, top, bottom = first.x0, first.x1, first.top, first.bottom
    bold = 0
    fonts: dict[str, int] = {}
    for c in visible:
        if c.x0 < x0:
            x0 = c.x0
        if c.x1 > x1:
            x1 = c.x1
        if c.top < top:
            top = c.top
        if c.bottom > bottom:
            bottom = c.bottom
        bold += c.bold
        fonts[c.font] = fonts.get(c.font, 0) + 1
    if not n:
        size = first.size
    elif n % 2:
        size = sizes[n // 2]
    else:
        size = (sizes[n // 2 - 1] + sizes[n // 2]) / 2
    return Line(
        chars=chars,
        text=collapse_spaces("".join(parts)),
        x0=x0,
        x1=x1,
        top=top,
        bottom=bottom,
        size=size,
        bold=2 * bold > len(visible),
        font=max(fonts, key=fonts.__getitem__),
        segments=segments,
    )


def dominant(values: Iterable[str]) -> str:
    counts: dict[str, int] = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    return max(counts, key=counts.__getitem__) if counts else ""
