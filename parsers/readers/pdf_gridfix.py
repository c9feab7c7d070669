"""Ruled tables with some of their rules missing: the missing pieces put back where the text shows them.

An author who set some cells' borders to none (or an exporter that dropped a few) leaves a grid whose
rules stop short: the lattice finder then merges the cells on both sides of a missing piece, and a
row prints `3 5` in one cell. The table's own rules still show where its columns and rows are (some
row draws every column line); a column line is drawn back across a row wherever no text of that row
crosses it, and a row rule across a column where a figure and the text above or below it (or a blank)
each stand in the middle of their own row (a value run into the header or the value above it); labels
alone are left as they are, since a label wrapped over the rows of a merged group cell looks the same.

Only tables where some merged cell holds texts standing in two different columns, or figures in two
different rows, are touched: a table ruled in full, and its real merged cells (a title over the table,
a label over several rows, a value centred over two columns), are not.
"""

from __future__ import annotations

import re

from parsers.readers.pdf_lines import group_lines
from parsers.readers.pdf_page import Char
from parsers.readers.pdf_tables import GridTable

SNAP = 3.0
_NUMBERED = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)]|\d+[.．、]|其中)"
)
# A printed value: a number, maybe with its unit or a bracketed note (39（其中修订28件）, 251000元).
_FIGURE = re.compile(r"^[-+−－]?\d[\d,，.．]*(?:[元件条项%]|[（(].*)?$")

Run = tuple[float, float, float, float, str]  # x0, x1, top, bottom, text


def _edge(orientation: str, x0: float, top: float, x1: float, bottom: float) -> dict:
    return {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top, "width": x1 - x0,
            "height": bottom - top, "orientation": orientation}  # fmt: skip


def _cluster(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > SNAP:
            out.append(v)
    return out


def _runs(chars: list[Char]) -> list[Run]:
    """The texts of some characters, line by line, split at gaps wider than half a character."""
    out: list[Run] = []
    for line in group_lines(chars):
        run: list[Char] = []
        for ch in [*line.chars, None]:
            if ch is not None and ch.text.isspace():
                continue
            if ch is not None and (not run or ch.x0 - run[-1].x1 <= 0.5 * max(ch.size, 1.0)):
                run.append(ch)
                continue
            if run:
                out.append((run[0].x0, run[-1].x1, min(c.top for c in run), max(c.bottom for c in run),
                            "".join(c.text for c in run)))  # fmt: skip
            run = [ch] if ch is not None else []
    return out


def _slot(bounds: list[float], a: float, b: float) -> int | None:
    """The interval between two bounds that [a, b] lies within, or None if it crosses a bound."""
    for k in range(len(bounds) - 1):
        if bounds[k] - SNAP <= a and b <= bounds[k + 1] + SNAP:
            return k
    return None


def missing_rules(tables: list[GridTable], edges: list[dict], chars: list[Char]) -> list[dict]:
    """Rule pieces to add so that the oddly ruled tables among `tables` read cell by cell."""
    out: list[dict] = []
    for t in tables:
        x0, top, x1, bottom = t.bbox
        inside = [e for e in edges if e["x0"] >= x0 - SNAP and e["x1"] <= x1 + SNAP
                  and e["top"] >= top - SNAP and e["bottom"] <= bottom + SNAP]  # fmt: skip
        vx = _cluster([e["x0"] for e in inside if e["orientation"] == "v"])
        hy = _cluster([e["top"] for e in inside if e["orientation"] == "h"])
        if len(vx) < 3 or len(hy) < 3:
            continue
        mine = [
            c
            for c in chars
            if x0 <= (c.x0 + c.x1) / 2 <= x1
            and top <= (c.top + c.bottom) / 2 <= bottom
            and not c.text.isspace()
        ]  # centres as Char.cx and Char.cy, without a property call per character and table
        if not _odd(t, mine, vx, hy):
            continue
        out += _columns_back(inside, mine, vx, hy) + _rows_back(inside, mine, vx, hy)
    return out


def _odd(t: GridTable, chars: list[Char], vx: list[float], hy: list[float]) -> bool:
    """Some merged cell holds texts in two of the table's columns, or figures in two of its rows."""
    centres = [(c, (c.x0 + c.x1) / 2, (c.top + c.bottom) / 2) for c in chars]  # once, not per merged cell
    for row, col, rowspan, colspan in t.cells:
        if rowspan == 1 and colspan == 1:
            continue
        bx0, bx1 = t.xs[col], t.xs[col + colspan]
        by0, by1 = t.ys[row], t.ys[row + rowspan]
        runs = _runs([c for c, cx, cy in centres if bx0 <= cx <= bx1 and by0 <= cy <= by1])
        columns = {_slot(vx, r[0], r[1]) for r in runs}
        if len(runs) >= 2 and None not in columns and len(columns) >= 2:
            return True
        for k in range(1, len(hy) - 1):
            if not by0 + SNAP < hy[k] < by1 - SNAP:
                continue
            above = [r for r in runs if hy[k - 1] <= (r[2] + r[3]) / 2 <= hy[k]]
            below = [r for r in runs if hy[k] <= (r[2] + r[3]) / 2 <= hy[k + 1]]
            if _two_cells(above, below, hy[k - 1], hy[k], hy[k + 1]):
                return True
    return False


def _covered(edges: list[dict], orientation: str, at: float, lo: float, hi: float) -> bool:
    pos, a, b = ("x0", "top", "bottom") if orientation == "v" else ("top", "x0", "x1")
    return any(
        e["orientation"] == orientation
        and abs(e[pos] - at) <= SNAP
        and e[a] <= lo + SNAP
        and e[b] >= hi - SNAP
        for e in edges
    )


def _columns_back(edges: list[dict], chars: list[Char], vx: list[float], hy: list[float]) -> list[dict]:
    out: list[dict] = []
    for a, b in zip(hy, hy[1:], strict=False):
        runs = _runs([c for c in chars if a <= c.cy <= b])
        for x in vx[1:-1]:
            if _covered(edges, "v", x, a, b) or any(r[0] + 1.0 < x < r[1] - 1.0 for r in runs):
                continue
            out.append(_edge("v", x, a, x, b))
    return out


def _rows_back(edges: list[dict], chars: list[Char], vx: list[float], hy: list[float]) -> list[dict]:
    out: list[dict] = []
    for a, b in zip(vx, vx[1:], strict=False):
        column = [c for c in chars if a <= c.cx <= b]
        for k in range(1, len(hy) - 1):
            y = hy[k]
            if _covered(edges, "h", y, a, b):
                continue
            above = _runs([c for c in column if hy[k - 1] <= c.cy <= y])
            below = _runs([c for c in column if y <= c.cy <= hy[k + 1]])
            one_side = bool(above) != bool(below)
            if _two_cells(above, below, hy[k - 1], y, hy[k + 1]) or (
                one_side and (_centred(above, hy[k - 1], y) if above else _centred(below, y, hy[k + 1]))
            ):
                # In a table found oddly ruled, a text in the middle of its row over (or under) a blank
                # cell is that row's cell too (a merged group label may be cut to its middle row: the
                # interpreters find the group from its items).
                out.append(_edge("h", a, y, b, y))
    return out


def _two_cells(above: list[Run], below: list[Run], top: float, y: float, bottom: float) -> bool:
    """The texts above and below `y` in one column are two cells: each stands in the middle of its own
    row, and at least one is a figure (a value run into the header or the value above it), or the
    lower one is a label starting with its number (`3.…` under `2.…`). Other labels are not judged:
    a label's lines wrapped over the rows of a merged group cell can stand one a row."""
    if not (above or below):
        return False
    if not any(_FIGURE.match(r[4]) for r in above + below):
        # Two labels: only when the lower one starts a numbered row of its own (`3.…` under `2.…`).
        first = min(below, key=lambda r: (r[2], r[0]))[4] if below else ""
        if not (above and _NUMBERED.match(first)):
            return False
    return (not above or _centred(above, top, y)) and (not below or _centred(below, y, bottom))


def _centred(runs: list[Run], top: float, bottom: float) -> bool:
    """The texts stand in the middle of the row between `top` and `bottom`: they are that row's cell."""
    middle = (min(r[2] for r in runs) + max(r[3] for r in runs)) / 2
    return abs(middle - (top + bottom) / 2) <= 0.2 * (bottom - top)
