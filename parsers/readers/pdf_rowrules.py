"""Tables ruled by rows only: the column lines a PDF did not draw, put back from where the text stands.

WPS and Word exports of tables styled without vertical borders (or with the outer frame only) draw the
row rules alone, so the lattice finder sees no cells. Such a table's rows are the bands between its
rules; its columns are the x-ranges its text occupies. For each band, a column boundary becomes a
vertical rule across that band wherever no text of the band crosses it; a text crossing it (a title
over the whole table, a value centred over two grid columns) is a merged cell, as in a ruled grid. The
lattice finder then reads the table as if it had been ruled.
"""

from __future__ import annotations

import re

from parsers.readers.pdf_lines import group_lines
from parsers.readers.pdf_page import Char

MIN_RULES = 2  # row rules a table needs: a row's top and bottom (one row: the rest of a table cut by a page)
MAX_ROW = 120.0  # points between two rules of one table (a tall row of wrapped labels)
SNAP = 1.5
CELL_GAP = 0.5  # a gap wider than this many font sizes separates the texts of two cells (a space is ~0.3)
CARRY = 2.0  # points between the edges of a table's parts on two pages
HEADER_GAP = 0.8  # header words of two columns stand at least this far apart (a space inside 总 计 less)
_NUMBER = re.compile(r"^[-+−－]?[\d,，.．]+(?:[%元件条]|[（(].*)?$|^[/／—–-]+$")


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


Segment = tuple[float, float, str, float]  # x0, x1, text, font size


def _segments(chars: list[Char], ends: list[float]) -> list[Segment]:
    """The texts of a band, line by line, split where the gap between two characters is wider than
    the space between two cells' texts, or holds the end of a cell's rule."""
    out: list[Segment] = []
    for line in group_lines(chars):
        visible = [c for c in line.chars if not c.text.isspace()]
        run: list[Char] = []
        for ch in visible:
            if run:
                prev = run[-1]
                gap = ch.x0 - prev.x1
                size = max(min(ch.size, prev.size), 1.0)
                if gap > CELL_GAP * size or (gap > 0.1 * size and any(prev.x1 <= x <= ch.x0 for x in ends)):
                    out.append(_segment(run))
                    run = []
            run.append(ch)
        if run:
            out.append(_segment(run))
    return out


def _segment(run: list[Char]) -> Segment:
    return (run[0].x0, run[-1].x1, "".join(c.text for c in run), max(c.size for c in run))


Columns = list[float]  # a table's column boundaries, its left and right edges included


def column_rules(
    edges: list[dict], chars: list[Char], carried: Columns | None = None
) -> tuple[list[dict], Columns | None]:
    """Vertical rules for the tables on a page that are ruled by rows only (none if there are none),
    and the columns of the last such table, to carry to the next page: the first table there, when its
    edges are those columns' edges, is the rest of it and keeps its columns (its rows alone, without
    the header, may not show them all)."""
    rules = [e for e in edges if e["orientation"] == "h" and e["x1"] - e["x0"] >= 10]
    verticals = [e for e in edges if e["orientation"] == "v"]
    out: list[dict] = []
    last: Columns | None = None
    for n, region in enumerate(_regions(rules)):
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
        for k, part in enumerate(_tables(ys, bands)):
            rules_of_part = [r for r in region if part[0][0] - SNAP <= r["top"] <= part[-1][1] + SNAP]
            keep = carried if n == 0 and k == 0 else None
            part_edges, last = _part_rules(part, rules_of_part, keep)
            out += part_edges
    return out, last


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


def _part_rules(part: list[Band], rules: list[dict], carried: Columns | None) -> tuple[list[dict], Columns]:
    x0, x1 = min(e["x0"] for e in rules), max(e["x1"] for e in rules)
    ends = _cluster([x for e in rules for x in (e["x0"], e["x1"]) if x0 + SNAP < x < x1 - SNAP])
    bands = [(a, b, _segments(chars, ends)) for a, b, chars in part]
    columns = _text_columns([segs for _a, _b, segs in bands if segs], ends)
    gaps = _gaps(columns, ends)
    bounds = [*ends, *((lo + hi) / 2 for lo, hi in gaps)]
    if carried and abs(carried[0] - x0) <= CARRY and abs(carried[-1] - x1) <= CARRY:
        # The rest of the table overleaf keeps its columns (its rows alone may not show them all,
        # blank columns among them), except where its own text stands across one of them.
        kept = [x for x in carried[1:-1] if not any(c0 + SNAP < x < c1 - SNAP for c0, c1 in columns)]
        own = [(lo + hi) / 2 for lo, hi in gaps if not any(lo - SNAP <= x <= hi + SNAP for x in kept)]
        bounds = [*ends, *kept, *own]
    bounds = _cluster(bounds)
    out: list[dict] = []
    for a, b, segments in bands:
        out.append(_edge("v", x0, a, x0, b))
        out.append(_edge("v", x1, a, x1, b))
        for x in bounds:
            if not any(s0 + SNAP < x < s1 - SNAP for s0, s1, _t, _z in segments):
                out.append(_edge("v", x, a, x, b))
    return out, [x0, *bounds, x1]


def _is_number(text: str) -> bool:
    return bool(_NUMBER.match(text))


def _gaps(spans: list[list[float]], ends: list[float]) -> list[tuple[float, float]]:
    """The gaps between text spans that hold no rule end (an end is a boundary already)."""
    return [
        (a[1], b[0])
        for a, b in zip(spans, spans[1:], strict=False)
        if not any(a[1] - SNAP <= x <= b[0] + SNAP for x in ends)
    ]


def _text_columns(bands: list[list[Segment]], ends: list[float]) -> list[list[float]]:
    """The x-ranges the table's columns of text take: first those of the rows that print figures,
    then the header's words, which also mark the columns that print no figure at all. A text reaching
    over two columns already found (法人或其他组织 over the five it heads, a value centred over two grid
    columns) tells nothing of where a column ends. The gaps between these ranges, and the ends of
    single cells' rules inside the table (exporters that draw each cell's border leave them at every
    column), are the column boundaries."""
    data = [seg for band in bands if len(band) >= 2 and any(_is_number(t) for _a, _b, t, _z in band)
            for seg in band]  # fmt: skip
    words = [
        seg for band in bands if not any(_is_number(t) for _a, _b, t, _z in band) for seg in _join_words(band)
    ]
    spans: list[list[float]] = []
    _add_columns(spans, data, ends)
    _add_columns(spans, words, ends)
    return _merged(spans)


def _add_columns(spans: list[list[float]], texts: list[Segment], ends: list[float]) -> None:
    """Widen or add the x-ranges of the columns by `texts`, narrow texts first, so that a wider text
    reaching over two columns already found is seen spanning them and left out; a text over a rule's
    end too."""
    for s0, s1, _t, _z in sorted(texts, key=lambda seg: seg[1] - seg[0]):
        if any(s0 + SNAP < x < s1 - SNAP for x in ends):
            continue
        over = [sp for sp in spans if sp[0] < s1 and s0 < sp[1]]
        if len(over) >= 2:
            continue
        if over:
            over[0][0], over[0][1] = min(over[0][0], s0), max(over[0][1], s1)
        else:
            spans.append([s0, s1])


def _merged(spans: list[list[float]]) -> list[list[float]]:
    out: list[list[float]] = []
    for s0, s1 in sorted(spans):
        if out and s0 <= out[-1][1]:
            out[-1][1] = max(out[-1][1], s1)
        else:
            out.append([s0, s1])
    return out


def _join_words(band: list[Segment]) -> list[Segment]:
    """A header band's words closer than a column gap are one cell's text (`总 计`)."""
    out: list[Segment] = []
    for seg in sorted(band):
        if out and seg[0] - out[-1][1] < HEADER_GAP * max(seg[3], out[-1][3]) and seg[0] >= out[-1][0]:
            prev = out[-1]
            out[-1] = (prev[0], max(prev[1], seg[1]), prev[2] + " " + seg[2], max(prev[3], seg[3]))
        else:
            out.append(seg)
    return out
