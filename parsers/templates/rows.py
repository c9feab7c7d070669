"""Table rows as the interpreters see them: label cells on the left, value cells on the right.

A reader gives tables; a report's statistical table may arrive as several of them (a PDF page break, a
DOCX table split by an empty paragraph). The interpreters therefore work on one stream of rows in
reading order, each row knowing which table it came from and whether that table's grid is regular
(every slot covered, so column positions mean something) or ragged (a text rendering that lost the
spans, where only the order of cells in a row can be trusted).
"""

from __future__ import annotations

from collections.abc import Callable
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
    # The table's column boundaries where the reader knows them (PDF): rows of two tables with the
    # same boundaries (the parts of one table on two pages) have comparable Cell.col too.
    xs: tuple[float, ...] | None = None
    uncertain: str | None = None  # Table.uncertain: why the cells' places were inferred

    def same_grid(self, other: Row) -> bool:
        """Whether Cell.col means the same column in this row and in `other`."""
        if not (self.regular and other.regular):
            return False
        return self.table == other.table or (self.xs is not None and self.xs == other.xs)

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
    regular = not table.from_lines and all(s is not None for row in slots for s in row)
    rows: list[Row] = []
    for r, cells in enumerate(distinct_rows(slots)):
        if not cells:
            continue
        page = next((c.page for c in cells if c.page is not None), table.page)
        xs = tuple(table.xs) if table.xs else None
        rows.append(Row(cells, index, r, regular, page, xs, table.uncertain))
    return rows


def x_range(row: Row, cell: Cell) -> tuple[float, float] | None:
    """Where a cell stands across the page (points), where the reader gave the grid's column lines."""
    if row.xs is None or cell.col + cell.colspan > len(row.xs) - 1:
        return None
    return row.xs[cell.col], row.xs[cell.col + cell.colspan]


def under(spans: dict[str, tuple[float, float]], x: tuple[float, float], share: float = 0.75) -> str | None:
    """The column (of `spans`, column key -> its header's x-range) that a cell at `x` stands under:
    the one holding at least `share` of the cell's width, with no other holding a quarter of it."""
    width = x[1] - x[0]
    if width <= 0:
        return None
    shares = sorted(
        ((min(x[1], b) - max(x[0], a)) / width, key)
        for key, (a, b) in spans.items()
        if min(x[1], b) > max(x[0], a)
    )
    if not shares or shares[-1][0] < share or (len(shares) > 1 and shares[-2][0] >= 0.25):
        return None
    return shares[-1][1]


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


def _open_note(text: str) -> bool:
    """A cell cut inside its bracketed note (`1183（其中网上`): the rest is on the next page."""
    return text.count("（") + text.count("(") > text.count("）") + text.count(")")


def join_page_split(prev: Row, row: Row, known: Callable[[str], bool] | None = None) -> Row | None:
    """`row` continues `prev` across a page break (Word and LibreOffice let a row break over two
    pages, each cell's lines going on where they were cut): the merged row, or None.

    `row` must be the first row of the next table, on a later page, with its cells where `prev` has
    cells of the same width; and each printed cell of it must go on from its cell in `prev`: the rest
    of a label (`1.申请人无正当理由逾期` + `不补正、…申请`), not a numbered row of its own nor a whole
    label that `known` recognises (its last label whole); the rest of a value cut inside its note (`77（其中修订39` + `件）`); or
    a value whose cell above printed nothing, when the row's label goes on too (a value centred in a
    row that the break cut). A row printing nothing more is the blank rest of a data row.
    """
    if row.table != prev.table + 1 or row.index != 0 or (row.page or 0) <= (prev.page or 0):
        return None
    above = {c.col: c for c in prev.cells}
    if any(c.col not in above or above[c.col].colspan != c.colspan for c in row.cells if c.text.strip()):
        return None  # not the same row layout (a block heading spanning the table, another table)
    prev_labels, prev_values = prev.split()
    if not prev_labels or not prev_values:
        return None  # `prev` is no data row (a header row, a title spanning the table)
    extra: dict[int, str] = {}
    labels: list[str] = []
    moved_values = False
    for cell in row.cells:
        text = cell.text.strip()
        if not text:
            continue
        top = above[cell.col].text.strip()
        kind = parse_cell(text)
        if _open_note(top):
            extra[cell.col] = text
        elif parse_cell(top).is_label and kind.is_label:
            if _starts_numbered(text):
                return None  # a numbered row of its own
            extra[cell.col] = text
            labels.append(text)
        elif not top and kind.is_value:
            extra[cell.col] = text
            moved_values = True
        else:
            return None  # a value under a value: two rows
    if labels and known is not None and known(labels[-1]):
        # The row's own label (its last) is whole, `行政规范性文件` under `规章`, `小计` under `5.…`: a row
        # of its own, whatever rest of a merged group label the cells before it carry.
        return None
    if moved_values and not labels:
        return None
    cells = [replace(c, text=printed(c.text + extra[c.col])) if c.col in extra else c for c in prev.cells]
    return Row(
        cells, prev.table, prev.index, prev.regular, prev.page, prev.xs, prev.uncertain or row.uncertain
    )
