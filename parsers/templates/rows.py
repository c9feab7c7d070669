"""Table rows as the interpreters see them: label cells on the left, value cells on the right.

A reader gives tables; a report's statistical table may arrive as several of them (a PDF page break, a
DOCX table split by an empty paragraph). The interpreters therefore work on one stream of rows in
reading order, each row knowing which table it came from and whether that table's grid is regular
(every slot covered, so column positions mean something) or ragged (a text rendering that lost the
spans, where only the order of cells in a row can be trusted).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from parsers.layout import Cell, Layout, Paragraph, Table
from parsers.normalize import numbering, printed
from parsers.numbers import CellValue, parse_cell


@dataclass(slots=True)
class Row:
    cells: list[Cell]  # distinct cells, left to right (a merged cell on every row it spans)
    table: int  # index of the table among the layout's tables
    index: int  # grid row index in that table
    regular: bool  # the table's grid is fully covered: Cell.col can be compared across rows
    page: int | None = None

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.cells]

    def split(self) -> tuple[list[Cell], list[Cell]]:
        """(label cells, value cells): the value cells are those after the last cell holding text.

        Blank label cells (the empty slot under a merged label in a text rendering) are dropped.
        """
        last_label = -1
        for i, cell in enumerate(self.cells):
            if parse_cell(cell.text).is_label:
                last_label = i
        labels = [c for c in self.cells[: last_label + 1] if c.text.strip()]
        return labels, self.cells[last_label + 1 :]

    def label_texts(self) -> list[str]:
        return [printed(c.text) for c in self.split()[0]]

    def page_of(self, cell: Cell | None = None) -> int | None:
        if cell is not None and cell.page is not None:
            return cell.page
        return self.page


def grid(table: Table) -> list[list[Cell | None]]:
    """Table.grid(), computing the table's size once (the interpreters call this for every table)."""
    cells = table.cells
    n_rows = max((c.row + c.rowspan for c in cells), default=0)
    n_cols = max((c.col + c.colspan for c in cells), default=0)
    slots: list[list[Cell | None]] = [[None] * n_cols for _ in range(n_rows)]
    for cell in cells:
        for r in range(cell.row, cell.row + cell.rowspan):
            row = slots[r]
            for c in range(cell.col, cell.col + cell.colspan):
                row[c] = cell
    return slots


def distinct_rows(slots: list[list[Cell | None]]) -> list[list[Cell]]:
    """Table.rows() from a grid: each row's distinct cells, left to right."""
    out: list[list[Cell]] = []
    for row in slots:
        seen: list[Cell] = []
        for cell in row:
            if cell is not None and (not seen or seen[-1] is not cell):
                seen.append(cell)
        out.append(seen)
    return out


def is_regular(table: Table) -> bool:
    """True when every grid slot is covered by a cell, i.e. the reader knew the spans."""
    return all(s is not None for slots in grid(table) for s in slots)


def full_text(layout: Layout) -> str:
    """Layout.text(), with each table's grid built once."""
    parts: list[str] = []
    for b in layout.blocks:
        if isinstance(b, Paragraph):
            parts.append(b.text)
        else:
            parts.extend("\t".join(c.text for c in row) for row in distinct_rows(grid(b)))
    return "\n".join(parts)


def table_rows(table: Table, index: int) -> list[Row]:
    slots = grid(table)
    regular = all(s is not None for row in slots for s in row)
    rows: list[Row] = []
    for r, cells in enumerate(distinct_rows(slots)):
        if not cells:
            continue
        page = next((c.page for c in cells if c.page is not None), table.page)
        rows.append(Row(cells, index, r, regular, page))
    return rows


def values_of(cells: list[Cell]) -> list[CellValue]:
    return [parse_cell(c.text) for c in cells]


def header_stack(rows: list[Row], col: int) -> list[str]:
    """Texts of the header cells covering grid column `col`, top to bottom (regular tables only)."""
    out: list[str] = []
    for row in rows:
        for cell in row.cells:
            if cell.col <= col < cell.col + cell.colspan:
                if cell.text.strip() and (not out or out[-1] != cell.text):
                    out.append(cell.text)
                break
    return out


def _starts_numbered(text: str) -> bool:
    return numbering(text) is not None or text.lstrip().startswith(("（", "("))


def join_page_split(prev: Row, row: Row) -> Row | None:
    """`row` continues `prev` across a page break (Word lets a row break over two pages): the merged row.

    The first row of a table on a later page whose value cells are all empty, whose labels do not start a
    new numbered row, and whose label cells sit in `prev`'s label columns, is the rest of `prev`'s labels:
    `1.申请人无正当理由逾期` + `不补正、行政机关不再处理其政府信息公开申请`.
    """
    if row.table != prev.table + 1 or row.index != 0 or (row.page or 0) <= (prev.page or 0):
        return None
    labels, values = row.split()
    prev_labels, prev_values = prev.split()
    if not labels or any(c.text.strip() for c in values) or not any(c.text.strip() for c in prev_values):
        return None
    if [c.col for c in values] != [c.col for c in prev_values]:
        return None  # not the same row layout (a block heading spanning the table, another table)
    if any(_starts_numbered(c.text) for c in labels):
        return None
    by_col = {c.col: c for c in prev_labels}
    if not all(c.col in by_col for c in labels):
        return None
    extra = {c.col: c.text for c in labels}
    label_ids = {id(c) for c in prev_labels}
    cells = [
        replace(c, text=printed(c.text + extra[c.col])) if c.col in extra and id(c) in label_ids else c
        for c in prev.cells
    ]
    return Row(cells, prev.table, prev.index, prev.regular, prev.page)
