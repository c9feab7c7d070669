"""Tables printed without ruling lines, recovered from the positions of their text.

Only used on pages where the ruled-line finder found nothing. Columns are the x-ranges that the
numeric rows occupy (the gaps no numeric row crosses separate them); each numeric line is a row, and
text-only lines between them (labels wrapped over several lines) join the nearest row. The result is
less certain than a ruled table, and the reader says so in a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsers.layout import Cell, Table
from parsers.readers.pdf_lines import Line, make_line
from parsers.readers.textjoin import join_lines

_NUMBERED = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[.．、])")
_NUMBER = re.compile(r"^[-+−－]?[\d,，.．]+%?$|^[/／\\—–-]+$")
MAX_GAP_LINES = 6  # text-only lines allowed between two numeric rows of one table
MAX_HEADER_LINES = 8


def is_number(text: str) -> bool:
    return bool(_NUMBER.match(text.replace(" ", "")))


def numeric_cells(line: Line) -> int:
    return sum(is_number(s[2]) for s in line.segments)


def is_tabular(line: Line) -> bool:
    """A line of a table body: at least three columns, two of them numbers."""
    return len(line.segments) >= 3 and numeric_cells(line) >= 2


@dataclass(slots=True)
class TextTable:
    start: int  # first line (header lines included)
    first_body: int  # first line of the body (the header is lines[start:first_body])
    end: int  # line after the last
    table: Table
    numbers_left: float  # x where the number columns begin


def find_text_tables(lines: list[Line], page: int) -> list[TextTable]:
    """Tables among `lines` (one page's text lines, top to bottom)."""
    tabular = [is_tabular(line) for line in lines]
    found: list[TextTable] = []
    i = 0
    while i < len(lines):
        if not tabular[i]:
            i += 1
            continue
        last = i
        k = i + 1
        while k < len(lines) and k - last <= MAX_GAP_LINES:
            if tabular[k]:
                last = k
            k += 1
        body = list(range(i, last + 1))
        numeric_rows = [n for n in body if tabular[n]]
        columns = _columns([lines[n] for n in numeric_rows], [lines[n] for n in body])
        start = _header_start(lines, i, columns)
        wide_row = any(numeric_cells(lines[n]) >= 5 for n in numeric_rows)
        if len(numeric_rows) >= 3 or (wide_row and start < i):
            # Re-cut every line of the table at the column starts: neighbouring cells are often
            # closer than the gap that separates columns elsewhere.
            cuts = [c0 for c0, _ in columns[1:]]
            recut = list(lines)
            for n in range(start, last + 1):
                recut[n] = make_line(lines[n].chars, cuts)
            table = _table(recut, start, i, body, tabular, columns, page)
            numbers_left = columns[1][0] if len(columns) > 1 else columns[0][0]
            number_cols = [
                c0
                for c0, _c1 in columns
                if any(
                    is_number(s[2]) and s[0] < _c1 and s[1] > c0
                    for n in numeric_rows
                    for s in lines[n].segments
                )
            ]
            numbers_left = min(number_cols, default=numbers_left)
            found.append(TextTable(start, i, last + 1, table, numbers_left))
        i = last + 1
    return found


def _columns(numeric_lines: list[Line], body: list[Line]) -> list[tuple[float, float]]:
    """Number columns where numeric cells stack; label columns where label text starts.

    Labels of a 表三-like table sit in up to three columns (一、… / （三）不予公开 / 1.属于国家秘密)
    and the longest ones run across all of them, so label columns come from where text starts.
    """
    spans = sorted((s[0], s[1]) for line in numeric_lines for s in line.segments if is_number(s[2]))
    numbers: list[list[float]] = []
    for x0, x1 in spans:
        if numbers and x0 <= numbers[-1][1]:
            numbers[-1][1] = max(numbers[-1][1], x1)
        else:
            numbers.append([x0, x1])
    if not numbers:
        return []
    numbers_left = numbers[0][0]
    starts = sorted(
        s[0] for line in body for s in line.segments if s[0] < numbers_left and not is_number(s[2])
    )
    clusters: list[list[float]] = []
    for x in starts:
        if clusters and x - clusters[-1][-1] <= 4.0:
            clusters[-1].append(x)
        else:
            clusters.append([x])
    label_starts = [c[0] for k, c in enumerate(clusters) if k == 0 or len(c) >= 2]
    edges = label_starts + [numbers_left]
    labels = [(edges[k], edges[k + 1] - 0.01) for k in range(len(label_starts))]
    return labels + [(a, b) for a, b in numbers]


def _header_start(lines: list[Line], first_body: int, columns: list[tuple[float, float]]) -> int:
    """Header lines directly above the body: several columns of text, or text over the number columns."""
    if len(columns) < 2:
        return first_body
    numbers_left = columns[1][0]
    start = first_body
    while start > 0 and first_body - start < MAX_HEADER_LINES:
        line = lines[start - 1]
        gap = lines[start].top - line.bottom
        if gap > 2.5 * line.size:
            break  # a blank band: the table starts below it
        if len(line.segments) >= 2 or line.x0 >= numbers_left - line.size:
            start -= 1
            continue
        break
    return start


def _hit(columns: list[tuple[float, float]], x0: float, x1: float) -> list[int]:
    hit = [k for k, (c0, c1) in enumerate(columns) if x0 < c1 and x1 > c0]
    if hit:
        return hit
    centre = (x0 + x1) / 2
    return [min(range(len(columns)), key=lambda k: abs((columns[k][0] + columns[k][1]) / 2 - centre))]


@dataclass(slots=True)
class _Piece:
    col: int
    last: int  # last column it reaches
    top: float
    bottom: float
    text: str
    line: int  # index of its line
    size: float


def _table(
    lines: list[Line],
    start: int,
    first_body: int,
    body: list[int],
    tabular: list[bool],
    columns: list[tuple[float, float]],
    page: int,
) -> Table:
    """Header lines are a row each; each numeric line is a body row, and text-only lines join the
    piece of label they continue (same column, tight line gap, no new numbering) or the nearest row."""
    anchors = [n for n in body if tabular[n]]
    n_header = first_body - start
    row_of_line = {n: n_header + k for k, n in enumerate(anchors)}
    row_of_line.update({n: k for k, n in enumerate(range(start, first_body))})
    by_col: dict[int, list[_Piece]] = {}
    for n in range(start, body[-1] + 1):
        line = lines[n]
        for x0, x1, text in line.segments:
            hit = _hit(columns, x0, x1)
            by_col.setdefault(hit[0], []).append(
                _Piece(hit[0], hit[-1], line.top, line.bottom, text, n, line.size)
            )
    placed: list[tuple[int, _Piece]] = []
    for pieces in by_col.values():
        for block in _blocks(pieces, row_of_line, first_body):
            rows = [row_of_line[p.line] for p in block if p.line in row_of_line]
            if rows:
                row = rows[0]
            else:  # text-only lines with no row of their own: the nearest numeric row
                cy = (block[0].top + block[-1].bottom) / 2
                nearest = min(anchors, key=lambda a: (abs(lines[a].cy - cy), a < block[0].line))
                row = row_of_line[nearest]
            merged = _Piece(block[0].col, max(p.last for p in block), block[0].top, block[-1].bottom,
                            join_lines(p.text for p in block), block[0].line, block[0].size)  # fmt: skip
            placed.append((row, merged))

    by_row: dict[int, list[_Piece]] = {}
    for row, piece in placed:
        by_row.setdefault(row, []).append(piece)
    cells: list[Cell] = []
    for r in sorted(by_row):
        pieces = sorted(by_row[r], key=lambda p: (p.col, p.top))
        current: Cell | None = None
        covered: set[int] = set()
        for piece in pieces:
            if current is not None and piece.col < current.col + current.colspan:
                # Text reaching into a column already covered by a wide piece joins that cell.
                current.text = join_lines([current.text, piece.text])
                current.colspan = max(current.colspan, piece.last - current.col + 1)
            else:
                current = Cell(piece.text, r, piece.col, 1, piece.last - piece.col + 1, page)
                cells.append(current)
            covered.update(range(current.col, current.col + current.colspan))
        if r >= n_header:  # a blank in the body is a printed blank cell
            cells += [Cell("", r, c, 1, 1, page) for c in range(len(columns)) if c not in covered]
    # Header lines that only continued a cell above leave no row behind.
    renumber = {r: k for k, r in enumerate(sorted({c.row for c in cells}))}
    for cell in cells:
        cell.row = renumber[cell.row]
    cells.sort(key=lambda c: (c.row, c.col))
    return Table(cells, page)


def _blocks(pieces: list[_Piece], row_of_line: dict[int, int], first_body: int) -> list[list[_Piece]]:
    """One column's pieces grouped into cells: a piece continues the one above when it is close below
    it, starts no new numbered label, and does not bring a second row's own line into the cell."""
    blocks: list[list[_Piece]] = []
    for piece in sorted(pieces, key=lambda p: p.top):
        current = blocks[-1] if blocks else None
        if current is not None:
            prev = current[-1]
            close = 0 <= piece.top - prev.bottom <= 0.9 * piece.size
            same_part = (piece.line < first_body) == (prev.line < first_body)
            second_row = (
                piece.line >= first_body
                and piece.line in row_of_line
                and any(p.line in row_of_line for p in current)
            )
            if close and same_part and not second_row and not _NUMBERED.match(piece.text):
                current.append(piece)
                continue
        blocks.append([piece])
    return blocks
