"""Tables ruled by rows only: the column lines a PDF did not draw, put back from where the text stands.

WPS and Word exports of tables styled without vertical borders (or with the outer frame only) draw the
row rules alone, so the lattice finder sees no cells. Such a table's rows are the bands between its
rules; its columns are the x-ranges its text occupies. For each band, a column boundary becomes a
vertical rule across that band wherever no text of the band crosses it; a text crossing it (a title
over the whole table, a value centred over two grid columns) is a merged cell, as in a ruled grid. The
lattice finder then reads the table as if it had been ruled.
"""

from __future__ import annotations

from parsers.readers.pdf_lines import group_lines
from parsers.readers.pdf_page import Char

MIN_RULES = 2  # row rules a table needs: a row's top and bottom (one row: the rest of a table cut by a page)
MAX_ROW = 120.0  # points between two rules of one table (a tall row of wrapped labels)
SNAP = 1.5
CELL_GAP = 0.5  # a gap wider than this many font sizes separates the texts of two cells (a space is ~0.3)


def _edge(orientation: str, x0: float, top: float, x1: float, bottom: float) -> dict:
    return {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top, "width": x1 - x0,
            "height": bottom - top, "orientation": orientation}  # fmt: skip


def _regions(rules: list[dict]) -> list[list[dict]]:
    """Row rules grouped into tables: rules stacked close below each other and touching in x (an
    exporter draws each cell's border on its own, so one row's rule comes in pieces end to end)."""
    regions: list[list[dict]] = []
    for rule in sorted(rules, key=lambda e: (e["top"], e["x0"])):
        joined = [
            region
            for region in regions
            if rule["top"] - max(e["top"] for e in region) <= MAX_ROW
            and rule["x0"] <= max(e["x1"] for e in region) + SNAP
            and rule["x1"] >= min(e["x0"] for e in region) - SNAP
        ]
        merged = [rule]
        for region in joined:
            merged += region
            regions.remove(region)
        regions.append(merged)
    return [r for r in regions if len({round(e["top"] / SNAP) for e in r}) >= MIN_RULES]


def _cluster(values: list[float], tol: float = SNAP) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tol:
            out.append(v)
    return out


def _segments(chars: list[Char], ends: list[float]) -> list[tuple[float, float]]:
    """x-ranges of the texts of a band, line by line, split where the gap between two characters is
    wider than the space between two cells' texts, or holds the end of a cell's rule."""
    out: list[tuple[float, float]] = []
    for line in group_lines(chars):
        visible = [c for c in line.chars if not c.text.isspace()]
        start = prev = None
        for ch in visible:
            gap = ch.x0 - prev.x1 if prev is not None else 0.0
            size = max(min(ch.size, prev.size), 1.0) if prev is not None else 1.0
            if prev is not None and (
                gap > CELL_GAP * size or (gap > 0.1 * size and any(prev.x1 <= x <= ch.x0 for x in ends))
            ):
                out.append((start, prev.x1))
                start = None
            if start is None:
                start = ch.x0
            prev = ch
        if prev is not None:
            out.append((start, prev.x1))
    return out


def column_rules(edges: list[dict], chars: list[Char]) -> list[dict]:
    """Vertical rules for the tables on a page that are ruled by rows only (empty if there are none)."""
    rules = [e for e in edges if e["orientation"] == "h" and e["x1"] - e["x0"] >= 10]
    verticals = [e for e in edges if e["orientation"] == "v"]
    out: list[dict] = []
    for region in _regions(rules):
        x0, x1 = min(e["x0"] for e in region), max(e["x1"] for e in region)
        ys = _cluster([e["top"] for e in region])
        inner = [
            v for v in verticals
            if x0 + SNAP < v["x0"] < x1 - SNAP and v["top"] < ys[-1] - SNAP and v["bottom"] > ys[0] + SNAP
        ]  # fmt: skip
        if inner:
            continue  # the table draws its column lines: the lattice finder reads it as it is
        inside = [c for c in chars if x0 <= c.cx <= x1 and ys[0] <= c.cy <= ys[-1] and not c.text.isspace()]
        bands = [[c for c in inside if a <= c.cy < b] for a, b in zip(ys, ys[1:], strict=False)]
        if len(bands) == 1 and len(_segments(bands[0], [])) < 3:
            continue  # two lines around some text (a boxed title), not a row of cells
        for part in _tables(ys, bands):
            out += _part_rules(
                part, [r for r in region if part[0][0] - SNAP <= r["top"] <= part[-1][1] + SNAP]
            )
    return out


Band = tuple[float, float, list[Char]]


def _tables(ys: list[float], bands: list[list[Char]]) -> list[list[Band]]:
    """The bands cut into tables at bands that hold a paragraph between two tables (its text in
    another size or face than the tables', as a heading between table 三 and table 四 is)."""
    sized = [c for band in bands for c in band]
    if not sized:
        return []
    sizes = sorted(round(c.size * 2) / 2 for c in sized)
    size = sizes[len(sizes) // 2]
    faces: dict[str, int] = {}
    for c in sized:
        faces[c.font] = faces.get(c.font, 0) + 1
    face = max(faces, key=faces.__getitem__)
    parts: list[list[Band]] = [[]]
    for (a, b), band in zip(zip(ys, ys[1:], strict=False), bands, strict=True):
        foreign = band and all(abs(c.size - size) > 1.0 or c.font != face for c in band)
        if foreign:
            parts.append([])
        else:
            parts[-1].append((a, b, band))
    return [p for p in parts if p]


def _part_rules(part: list[Band], rules: list[dict]) -> list[dict]:
    x0, x1 = min(e["x0"] for e in rules), max(e["x1"] for e in rules)
    ends = _cluster([x for e in rules for x in (e["x0"], e["x1"]) if x0 + SNAP < x < x1 - SNAP])
    bands = [(a, b, _segments(chars, ends)) for a, b, chars in part]
    texts = [s for _a, _b, segments in bands if len(segments) >= 3 for s in segments]
    bounds = _boundaries(texts, ends)
    out: list[dict] = []
    for a, b, segments in bands:
        out.append(_edge("v", x0, a, x0, b))
        out.append(_edge("v", x1, a, x1, b))
        for x in bounds:
            if not any(s0 < x < s1 for s0, s1 in segments):
                out.append(_edge("v", x, a, x, b))
    return out


def _boundaries(segments: list[tuple[float, float]], ends: list[float]) -> list[float]:
    """Column boundaries: where rules of single cells end inside the table (exporters draw each
    cell's border), and the middles of the other gaps that no text of a many-celled row crosses."""
    spans: list[list[float]] = []
    for s0, s1 in sorted(segments):
        if spans and s0 <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], s1)
        else:
            spans.append([s0, s1])
    bounds = list(ends)
    for a, b in zip(spans, spans[1:], strict=False):
        if not any(a[1] - SNAP <= x <= b[0] + SNAP for x in ends):
            bounds.append((a[1] + b[0]) / 2)
    return sorted(bounds)
