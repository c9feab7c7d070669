"""What every reader produces: the document as paragraphs and tables, in reading order.

Readers (`parsers/readers/`) know formats and nothing of the report templates; the interpreters
(`parsers/templates/`, `metadata.py`, `sections.py`) know the templates and nothing of formats.
This module is the contract between the two.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Cell:
    """One cell as printed. A merged cell appears once, at its top-left grid position, with its span."""

    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    page: int | None = None


# Table.uncertain: what the reader of a table printed without some of its ruling lines inferred.
COLUMNS_INFERRED = "column lines were inferred from where its text stands"  # its rows are ruled
GRID_REPAIRED = "grid was repaired where some of its ruling lines were missing"
ROWS_AND_COLUMNS_INFERRED = "rows and columns were inferred from where its text stands"


@dataclass(slots=True)
class Table:
    cells: list[Cell]
    page: int | None = None  # page of the first row, where the format has pages
    # x positions of the grid's column boundaries (n_cols + 1), where the format places the table on
    # a page (PDF): lets a table continued on the next page line its columns up with the part above.
    xs: list[float] | None = None
    # Why the cells' rows and columns may be wrong, where the reader had to infer them (a PDF table
    # printed without some or all of its ruling lines); None when the format states them. The
    # interpreters keep a value of such a table only where the table's structure confirms it.
    uncertain: str | None = None
    # Rebuilt from lines of text (`templates.flat`): a cell's column is its place in the line, not a
    # place under the header, so the grid of another table's header never applies to it.
    from_lines: bool = False

    @property
    def n_rows(self) -> int:
        return max((c.row + c.rowspan for c in self.cells), default=0)

    @property
    def n_cols(self) -> int:
        return max((c.col + c.colspan for c in self.cells), default=0)

    def grid(self) -> list[list[Cell | None]]:
        """Rows of grid slots; every slot a merged cell covers points at that one cell."""
        grid: list[list[Cell | None]] = [[None] * self.n_cols for _ in range(self.n_rows)]
        for cell in self.cells:
            for r in range(cell.row, cell.row + cell.rowspan):
                for c in range(cell.col, cell.col + cell.colspan):
                    grid[r][c] = cell
        return grid

    def rows(self) -> list[list[Cell]]:
        """Each grid row as its distinct cells, left to right (a merged cell listed on every row it spans)."""
        out: list[list[Cell]] = []
        for slots in self.grid():
            seen: list[Cell] = []
            for cell in slots:
                if cell is not None and (not seen or seen[-1] is not cell):
                    seen.append(cell)
            out.append(seen)
        return out


@dataclass(slots=True)
class Paragraph:
    text: str
    page: int | None = None
    # A hint from the format that this is a heading (h1-h6, Markdown '#', a Word heading style, a
    # whole-bold paragraph). Interpreters decide from the text; this only breaks ties.
    heading: bool = False


Block = Paragraph | Table


@dataclass(slots=True)
class Layout:
    blocks: list[Block]
    media_type: str
    # Title as the container states it (HTML <meta name="ArticleTitle">, <title>, DOCX core title).
    title: str | None = None
    # Other container metadata (HTML meta tags such as ContentSource, PubDate; encoding used).
    meta: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    # True when the document has pages but no text layer (a scanned PDF): it needs OCR.
    needs_ocr: bool = False
    pages: int | None = None

    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    def text(self) -> str:
        """All text in reading order, tables as tab-separated rows; for search and narrative checks."""
        parts: list[str] = []
        for b in self.blocks:
            if isinstance(b, Paragraph):
                parts.append(b.text)
            else:
                parts.extend("\t".join(c.text for c in row) for row in b.rows())
        return "\n".join(parts)
