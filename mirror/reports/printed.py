"""The print model every renderer writes out: paragraphs and tables with merged cells, in reading order.

A synthetic report (or a seed) is first laid out as a `PrintedReport`; the HTML, DOCX, PDF, text and
XLSX renderers only decide how that looks in their format. Tables are stored the way HTML writes them:
each row lists the cells that start in it, with rowspan/colspan.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Key = tuple[str, str, str]
Number = int | float


@dataclass
class Cell:
    text: str  # "\n" separates printed lines inside the cell
    rowspan: int = 1
    colspan: int = 1
    header: bool = False
    align: str = "center"  # "left" for row labels


@dataclass
class Table:
    kind: str  # the schema table it prints: active_disclosure, applications, review_litigation, legacy_stats
    rows: list[list[Cell]]
    ncols: int
    widths: list[float]  # relative column widths
    breaks: list[int] = field(default_factory=list)  # page breaks fall before these row indices

    def placed(self) -> list[tuple[int, int, Cell]]:
        """(row, col, cell) for every cell, with the column resolved the way HTML tables resolve it."""
        taken: set[tuple[int, int]] = set()
        out: list[tuple[int, int, Cell]] = []
        for r, row in enumerate(self.rows):
            c = 0
            for cell in row:
                while (r, c) in taken:
                    c += 1
                out.append((r, c, cell))
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        taken.add((r + dr, c + dc))
                c += cell.colspan
        return out

    def split(self, at: int) -> tuple[Table, Table]:
        """Cut the table before row `at`, as a page break cuts it: a merged cell that crosses the cut
        keeps the first part of its text above and the rest below ("（四）无" / "法提供")."""
        top: list[list[tuple[int, Cell]]] = [[] for _ in range(at)]
        bottom: list[list[tuple[int, Cell]]] = [[] for _ in range(len(self.rows) - at)]
        for r, c, cell in self.placed():
            if r >= at:
                bottom[r - at].append((c, cell))
            elif r + cell.rowspan <= at:
                top[r].append((c, cell))
            else:
                above = at - r
                head, tail = _cut_text(cell.text, above, cell.rowspan - above)
                top[r].append((c, Cell(head, above, cell.colspan, cell.header, cell.align)))
                bottom[0].append((c, Cell(tail, cell.rowspan - above, cell.colspan, cell.header, cell.align)))

        def rows(parts: list[list[tuple[int, Cell]]]) -> list[list[Cell]]:
            return [[cell for _, cell in sorted(row, key=lambda t: t[0])] for row in parts]

        return (
            Table(self.kind, rows(top), self.ncols, self.widths),
            Table(self.kind, rows(bottom), self.ncols, self.widths),
        )

    def pieces(self) -> list[Table]:
        """The table cut at each of its page breaks."""
        out: list[Table] = []
        rest, offset = self, 0
        for b in sorted(self.breaks):
            if 0 < b - offset < len(rest.rows):
                head, rest = rest.split(b - offset)
                out.append(head)
                offset = b
        out.append(rest)
        return out

    def cell_grid(self) -> list[list[Cell | None]]:
        """Each grid slot -> the cell covering it."""
        n = len(self.rows)
        grid: list[list[Cell | None]] = [[None] * self.ncols for _ in range(n)]
        for r, c, cell in self.placed():
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    if r + dr < n and c + dc < self.ncols:
                        grid[r + dr][c + dc] = cell
        return grid


def _cut_text(text: str, above: int, below: int) -> tuple[str, str]:
    lines = text.split("\n")
    if len(lines) > 1:
        k = max(1, round(len(lines) * above / (above + below)))
        return "\n".join(lines[:k]), "\n".join(lines[k:])
    k = max(1, round(len(text) * above / (above + below)))
    if len(text) <= 2:
        return text, ""
    return text[:k], text[k:]


@dataclass
class Para:
    text: str
    # title | heading | subheading | body | caption | appendix
    style: str = "body"


Block = Para | Table


@dataclass
class PrintedReport:
    title: str
    blocks: list[Block]
    expected: dict[Key, Number | None] = field(default_factory=dict)
    units: dict[Key, str | None] = field(default_factory=dict)
    # Rendering choices (html_style, text_style, pdf_font) resolved for this document.
    style: dict[str, str] = field(default_factory=dict)
    agency: str = ""
    year: int = 0
    # The numbered sections as printed: (number, heading, text of its paragraphs and subsections).
    sections: list[tuple[str | None, str, str]] = field(default_factory=list)
