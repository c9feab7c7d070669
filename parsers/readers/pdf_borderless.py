"""Tables printed without any ruling lines: their row rules put back from the text lines.

A table found from text positions (`pdf_textgrid`) gets row rules drawn where its rows meet, after which
the column lines come back as for any table ruled by rows only (`pdf_rowrules`), and the lattice
finder reads it as a ruled grid: cells keep their columns even where a row prints nothing in some.

Rows are found from the lines that start one: a line printing figures, and a line whose label starts
with a number (`一、` `（三）` `2.` `4、`), which begins a row even when that row prints no figure (zeros
left blank). A numbered line just above a line of figures whose own label text goes on without a number
is the first line of that row (a label wrapped around figures centred in a tall cell). Each header line
is a row of its own; the header cells its lines broke are then put back together.
"""

from __future__ import annotations

import re

from parsers.layout import Cell, Table
from parsers.readers.pdf_lines import Line
from parsers.readers.pdf_textgrid import is_number
from parsers.readers.textjoin import join_lines

_NUMBERED = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)]|\d+[.．、])")
MARGIN = 2.0  # points the rules stand off the table's text


def _edge(x0: float, x1: float, y: float) -> dict:
    return {"x0": x0, "x1": x1, "top": y, "bottom": y, "doctop": y, "width": x1 - x0, "height": 0.0,
            "orientation": "h"}  # fmt: skip


def _figures(line: Line, numbers_left: float) -> bool:
    return any(x0 >= numbers_left - 1.0 and is_number(text) for x0, _x1, text in line.segments)


def _numbered(line: Line, numbers_left: float, from_x: float = 0.0) -> float | None:
    """x of the line's label segment that starts with a number (at or right of `from_x`), or None."""
    for x0, _x1, text in line.segments:
        if from_x - 2.0 <= x0 < numbers_left - 1.0 and _NUMBERED.match(text):
            return x0
    return None


def _heading_row(line: Line, numbers_left: float) -> bool:
    """A line of words inside the body that is a row of its own: a block's title over the figure
    columns (`第二十条第（五）项`) or a block's header (`信息内容 | 上一年项目数量 | …`)."""
    words = [seg for seg in line.segments if not is_number(seg[2])]
    if len(words) != len(line.segments):
        return False
    return len(words) >= 2 or line.x0 >= numbers_left - line.size


def row_rules(lines: list[Line], start: int, first_body: int, end: int, numbers_left: float) -> list[dict]:
    """Horizontal rules for the table on lines[start:end] (header lines before `first_body`): one above
    each header line and each row, one below the last row."""
    region = lines[start:end]
    x0 = min(line.x0 for line in region) - MARGIN
    x1 = max(line.x1 for line in region) + MARGIN
    rows: list[list[Line]] = []  # the lines that start each body row
    for line in lines[first_body:end]:
        figures = _figures(line, numbers_left)
        numbered = _numbered(line, numbers_left)
        if not (figures or numbered is not None or _heading_row(line, numbers_left)):
            continue
        if rows and figures:
            above = rows[-1][-1]
            label_x = _numbered(above, numbers_left)
            adjacent = line.top - above.bottom <= 0.6 * line.size
            if (
                adjacent
                and label_x is not None
                and not _figures(above, numbers_left)
                and _numbered(line, numbers_left, label_x) is None
            ):
                # The numbered first line of this row, wrapped above its figures (a number further
                # left on this line is a merged group label's, `三、` of 三、本年度办理结果).
                rows[-1].append(line)
                continue
        rows.append([line])
    if not rows:
        return []
    ys = [region[0].top - MARGIN]
    header = lines[start:first_body]
    for a, b in zip(header, [*header[1:], rows[0][0]], strict=False):
        ys.append((a.bottom + b.top) / 2)
    for a, b in zip(rows, rows[1:], strict=False):
        ys.append((max(line.bottom for line in a) + min(line.top for line in b)) / 2)
    ys.append(max(line.bottom for line in lines[first_body:end]) + MARGIN)
    return [_edge(x0, x1, y) for y in ys]


def join_header_lines(table: Table, header_rows: int) -> None:
    """Put back together the header cells whose words the header's lines broke (`商业企` / `业`): in the
    header rows, a printed cell under a printed cell of the same columns, with nothing printed between
    them in those columns, is the rest of it."""
    last: dict[int, Cell] = {}  # grid column -> the last printed header cell over it
    for r in range(header_rows):
        for cell in sorted((c for c in table.cells if c.row == r and c.text), key=lambda c: c.col):
            cols = range(cell.col, cell.col + cell.colspan)
            above = last.get(cell.col)
            if (
                above is not None
                and above is not cell
                and (above.col, above.colspan) == (cell.col, cell.colspan)
                and all(last.get(c) is above for c in cols)
                and not _NUMBERED.match(cell.text)
            ):
                above.text = join_lines([above.text, cell.text])
                above.rowspan = cell.row + cell.rowspan - above.row
                table.cells.remove(cell)
                continue
            for c in cols:
                last[c] = cell
    # Blank slots the joined cells now cover go; rows left with nothing of their own go too.
    covered = {(r, c) for x in table.cells if x.text for r in range(x.row, x.row + x.rowspan)
               for c in range(x.col, x.col + x.colspan) if (r, c) != (x.row, x.col)}  # fmt: skip
    table.cells[:] = [x for x in table.cells if x.text or (x.row, x.col) not in covered]
    used = sorted({x.row for x in table.cells})
    index = {r: k for k, r in enumerate(used)}
    for x in table.cells:
        end = max(k for r, k in index.items() if r < x.row + x.rowspan)
        x.row = index[x.row]
        x.rowspan = end - x.row + 1
