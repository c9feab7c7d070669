"""Ruled tables on a PDF page: pdfplumber's table finder on PDFium's ruling lines, characters into cells.

Table structure comes from `pdfplumber.table` (edges -> intersections -> cells -> tables), fed with
the ruling lines PDFium found; cell text comes from the characters whose centre falls in the cell, so
every character lands in exactly one place: a cell or the page's running text.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from pdfplumber import table as pt
from pdfplumber.utils import filter_edges

from parsers.layout import Cell, Table
from parsers.readers.pdf_lines import Line, group_lines
from parsers.readers.pdf_page import Char
from parsers.readers.textjoin import join_lines

SNAP = 3.0
_FIGURE = re.compile(
    r"^[-+−－]?\d[\d,，.．]*$"
)  # pdfplumber's default snap/join/intersection tolerance (points)
MAX_EDGES = 4000  # beyond this a page is a drawing, not a form: don't search it for tables


@dataclass(slots=True)
class GridTable:
    """A table found on a page: its cells as bounding boxes on a grid of column and row boundaries."""

    bbox: tuple[float, float, float, float]  # x0, top, x1, bottom
    xs: list[float]
    ys: list[float]
    cells: list[tuple[int, int, int, int]]  # row, col, rowspan, colspan
    slot: dict[tuple[int, int], int]  # grid slot -> index into cells
    texts: list[list[Char]]


def cell_text(chars: list[Char], right: float | None = None) -> str:
    """A cell's lines joined. Digits across a break are glued only where the line ran to the cell's
    right edge (`right`), i.e. the number was wrapped; numbers on lines of their own stay apart."""
    text = ""
    prev: Line | None = None
    for line in group_lines(chars):
        if prev is not None:
            wrapped = right is not None and prev.x1 >= right - 1.5 * prev.size
            text = join_lines([text, line.text], glue_digits=wrapped)
        else:
            text = line.text
        prev = line
    return text


def find_ruled_tables(edges: list[dict]) -> list[GridTable]:
    """pdfplumber's lattice algorithm on our edges; tables top to bottom."""
    edges = filter_edges(edges, min_length=1)
    if not edges or len(edges) > MAX_EDGES:
        return []
    merged = pt.merge_edges(edges, SNAP, SNAP, SNAP, SNAP)
    merged = filter_edges(merged, min_length=3)
    if len(merged) > MAX_EDGES:
        return []
    if not any(e["orientation"] == "v" for e in merged) or not any(e["orientation"] == "h" for e in merged):
        return []
    intersections = pt.edges_to_intersections(merged, SNAP, SNAP)
    frames = _missing_frames(merged, intersections)
    if frames:
        merged = filter_edges(pt.merge_edges(merged + frames, SNAP, SNAP, SNAP, SNAP), min_length=3)
        intersections = pt.edges_to_intersections(merged, SNAP, SNAP)
    boxes = _intersections_to_cells(intersections)
    return [t for t in (_grid(cells) for cells in pt.cells_to_tables(boxes)) if t is not None]


def _intersections_to_cells(intersections: dict) -> list[tuple[float, float, float, float]]:
    """`pdfplumber.table.intersections_to_cells`, same cells in the same order, without its quadratic
    scans: each crossing's rules are turned into sets of boxes once (not once per pair of points
    compared), and the crossings below and to the right of a point are looked up by their column and
    row. For each crossing (in sorted order) the smallest cell it is the top-left corner of: the first
    crossing below it and the first to its right joined to it by a rule, whose opposite corner is a
    crossing joined by rules to both."""
    points = sorted(intersections)
    v_rules = {p: {(e["x0"], e["top"], e["x1"], e["bottom"]) for e in intersections[p]["v"]} for p in points}
    h_rules = {p: {(e["x0"], e["top"], e["x1"], e["bottom"]) for e in intersections[p]["h"]} for p in points}
    columns: dict[float, list[tuple[float, float]]] = {}
    rows: dict[float, list[tuple[float, float]]] = {}
    for p in points:  # sorted by x then y: a column's points top to bottom, a row's left to right
        columns.setdefault(p[0], []).append(p)
        rows.setdefault(p[1], []).append(p)
    at_column = {p: k for column in columns.values() for k, p in enumerate(column)}
    at_row = {p: k for row in rows.values() for k, p in enumerate(row)}
    cells: list[tuple[float, float, float, float]] = []
    for p in points:
        v, h = v_rules[p], h_rules[p]
        right = [q for q in rows[p[1]][at_row[p] + 1 :] if not h.isdisjoint(h_rules[q])]
        if not right:
            continue
        for below in columns[p[0]][at_column[p] + 1 :]:
            if v.isdisjoint(v_rules[below]):
                continue
            found = None
            for q in right:
                corner = (q[0], below[1])
                if (
                    corner in v_rules
                    and not v_rules[corner].isdisjoint(v_rules[q])
                    and not h_rules[corner].isdisjoint(h_rules[below])
                ):
                    found = (p[0], p[1], corner[0], corner[1])
                    break
            if found is not None:
                cells.append(found)
                break
    return cells


def _edge(orientation: str, x0: float, top: float, x1: float, bottom: float) -> dict:
    return {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top, "width": x1 - x0,
            "height": bottom - top, "orientation": orientation}  # fmt: skip


def _missing_frames(edges: list[dict], intersections: dict) -> list[dict]:
    """Outer borders of tables printed without them (inner grid only): the bounding box of each group
    of crossing rules, where that box's side is not already ruled."""
    parent = list(range(len(edges)))
    index = {id(e): k for k, e in enumerate(edges)}

    def find(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for crossing in intersections.values():
        ks = [index[id(e)] for e in crossing["v"] + crossing["h"]]
        for k in ks[1:]:
            parent[find(k)] = find(ks[0])
    groups: dict[int, list[dict]] = {}
    for k, e in enumerate(edges):
        groups.setdefault(find(k), []).append(e)
    frames: list[dict] = []
    for group in groups.values():
        v = [e for e in group if e["orientation"] == "v"]
        h = [e for e in group if e["orientation"] == "h"]
        if not v or not h or len(group) < 3:
            continue
        x0, x1 = min(e["x0"] for e in h), max(e["x1"] for e in h)
        top, bottom = min(e["top"] for e in v), max(e["bottom"] for e in v)
        x0, x1 = min(x0, min(e["x0"] for e in v)), max(x1, max(e["x0"] for e in v))
        top, bottom = min(top, min(e["top"] for e in h)), max(bottom, max(e["top"] for e in h))

        def ruled(orientation: str, at: float, lo: float, hi: float, group: list[dict] = group) -> bool:
            pos, a, b = ("top", "x0", "x1") if orientation == "h" else ("x0", "top", "bottom")
            return any(
                e["orientation"] == orientation
                and abs(e[pos] - at) <= SNAP
                and e[a] <= lo + SNAP
                and e[b] >= hi - SNAP
                for e in group
            )

        if not ruled("h", top, x0, x1):
            frames.append(_edge("h", x0, top, x1, top))
        if not ruled("h", bottom, x0, x1):
            frames.append(_edge("h", x0, bottom, x1, bottom))
        if not ruled("v", x0, top, bottom):
            frames.append(_edge("v", x0, top, x0, bottom))
        if not ruled("v", x1, top, bottom):
            frames.append(_edge("v", x1, top, x1, bottom))
    return frames


def _cluster(values: list[float], tol: float = 0.5) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tol:
            out.append(v)
    return out


def _index(bounds: list[float], v: float, tol: float = 0.5) -> int:
    return bisect.bisect_left(bounds, v - tol)


def _grid(boxes: list[tuple[float, float, float, float]]) -> GridTable | None:
    xs = _cluster([b[0] for b in boxes] + [b[2] for b in boxes])
    ys = _cluster([b[1] for b in boxes] + [b[3] for b in boxes])
    if len(xs) < 2 or len(ys) < 2:
        return None
    cells: list[tuple[int, int, int, int]] = []
    slot: dict[tuple[int, int], int] = {}
    for x0, top, x1, bottom in sorted(boxes, key=lambda b: (b[1], b[0])):
        c0, c1 = _index(xs, x0), _index(xs, x1)
        r0, r1 = _index(ys, top), _index(ys, bottom)
        if c1 <= c0 or r1 <= r0:
            continue
        if any((r, c) in slot for r in range(r0, r1) for c in range(c0, c1)):
            continue  # overlapping boxes: keep the first (top-left) one
        idx = len(cells)
        cells.append((r0, c0, r1 - r0, c1 - c0))
        for r in range(r0, r1):
            for c in range(c0, c1):
                slot[(r, c)] = idx
    if len(cells) < 2:
        return None
    bbox = (xs[0], ys[0], xs[-1], ys[-1])
    return GridTable(bbox, xs, ys, cells, slot, [[] for _ in cells])


def assign_chars(tables: list[GridTable], chars: list[Char]) -> list[Char]:
    """Put each character into the table cell under its centre; return the characters in no table."""
    free: list[Char] = []
    right = bisect.bisect_right
    grids = [(*t.bbox, t.xs, t.ys, len(t.xs) - 2, len(t.ys) - 2, t.slot, t.texts) for t in tables]
    for ch in chars:
        cx, cy = (ch.x0 + ch.x1) / 2, (ch.top + ch.bottom) / 2
        for x0, top, x1, bottom, xs, ys, last_col, last_row, slot, texts in grids:
            if x0 <= cx <= x1 and top <= cy <= bottom:
                # the grid slot under the centre, clamped to the grid
                c = right(xs, cx) - 1
                c = 0 if c < 0 else last_col if c > last_col else c
                r = right(ys, cy) - 1
                r = 0 if r < 0 else last_row if r > last_row else r
                idx = slot.get((r, c))
                if idx is not None:
                    texts[idx].append(ch)
                    break
        else:
            free.append(ch)
    return free


def to_table(t: GridTable, page: int, uncertain: str | None = None) -> Table:
    cells = []
    for (row, col, rowspan, colspan), chars in zip(t.cells, t.texts, strict=True):
        pieces = _unmerged(t, row, col, rowspan, colspan, chars)
        if pieces is not None:
            cells += [Cell(cell_text(cs, t.xs[c + 1]), r, c, 1, 1, page) for r, c, cs in pieces]
            continue
        cells.append(Cell(cell_text(chars, t.xs[col + colspan]), row, col, rowspan, colspan, page))
    return Table(cells, page, list(t.xs), uncertain)


def _unmerged(
    t: GridTable, row: int, col: int, rowspan: int, colspan: int, chars: list[Char]
) -> list[tuple[int, int, list[Char]]] | None:
    """A cell the grid merged only because a rule between two cells was not drawn (an oddly ruled
    table): its text stands as figures, each within one of the grid slots it covers, in two or more of
    them. Then the slots are cells of their own: [(row, col, chars)] for every slot. None otherwise
    (a title or label over several columns, a centred value, a single figure)."""
    if (rowspan == 1 and colspan == 1) or not chars:
        return None
    slots: dict[tuple[int, int], list[Char]] = {}
    for line in group_lines(chars):
        run: list[Char] = []
        for ch in [*line.chars, None]:
            if ch is not None and (not run or ch.x0 - run[-1].x1 <= 0.5 * max(ch.size, 1.0)):
                if not ch.text.isspace():
                    run.append(ch)
                continue
            if run:
                text = "".join(c.text for c in run)
                if not _FIGURE.match(text):
                    return None
                x0, x1 = run[0].x0, run[-1].x1
                cy = (run[0].top + run[0].bottom) / 2
                c = bisect.bisect_right(t.xs, (x0 + x1) / 2) - 1
                r = bisect.bisect_right(t.ys, cy) - 1
                if not (t.xs[c] <= x0 and x1 <= t.xs[c + 1]):
                    return None  # a figure across a column line: a value centred over the merged cell
                slots.setdefault((r, c), []).extend(run)
            run = [ch] if ch is not None and not ch.text.isspace() else []
    if len(slots) < 2 or len({c for _r, c in slots}) * len({r for r, _c in slots}) < 2:
        return None
    return [
        (r, c, slots.get((r, c), [])) for r in range(row, row + rowspan) for c in range(col, col + colspan)
    ]


ALIGN = 2.0  # column boundaries of two parts of one table closer than this (points) are one boundary


def align_columns(parts: list[Table]) -> None:
    """Give the parts of one table cut by page breaks one column grid: every part's cells renumbered
    on the union of their column boundaries, so that a grid column means the same column on every page
    (a part may lack a boundary another has: a label column split only where its sub-rows are)."""
    bounds = sorted(x for t in parts for x in t.xs or ())
    union: list[float] = []
    for x in bounds:
        if not union or x - union[-1] > ALIGN:
            union.append(x)

    nearest: dict[float, int] = {}  # a part's few boundaries are looked up once per cell

    def index(x: float) -> int:
        k = nearest.get(x)
        if k is None:
            k = nearest[x] = min(range(len(union)), key=lambda k: abs(union[k] - x))
        return k

    for t in parts:
        xs = t.xs or []
        for cell in t.cells:
            start, end = index(xs[cell.col]), index(xs[cell.col + cell.colspan])
            cell.col, cell.colspan = start, max(end - start, 1)
        t.xs = union


def same_frame(above: Table, below: Table) -> bool:
    """Whether `below` (at the top of a page) can be the rest of `above` (at the bottom of the page
    before): both ruled grids with the same left and right edges."""
    if not above.xs or not below.xs:
        return False
    return abs(above.xs[0] - below.xs[0]) <= ALIGN and abs(above.xs[-1] - below.xs[-1]) <= ALIGN
