"""Table rows as the interpreters see them: label cells on the left, value cells on the right.

A reader gives tables; a report's statistical table may arrive as several of them (a PDF page break, a
DOCX table split by an empty paragraph). The interpreters therefore work on one stream of rows in
reading order, each row knowing which table it came from and whether that table's grid is regular
(every slot covered, so column positions mean something) or ragged (a text rendering that lost the
spans, where only the order of cells in a row can be trusted).
"""

from __future__ import annotations

from dataclasses import dataclass

from parsers.layout import Cell, Table
from parsers.normalize import printed
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


def is_regular(table: Table) -> bool:
    """True when every grid slot is covered by a cell, i.e. the reader knew the spans."""
    return all(s is not None for slots in table.grid() for s in slots)


def table_rows(table: Table, index: int) -> list[Row]:
    regular = is_regular(table)
    rows: list[Row] = []
    for r, cells in enumerate(table.rows()):
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
