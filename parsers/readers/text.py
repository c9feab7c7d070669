"""Plain text and Markdown: paragraphs, headings and the table styles text renderings of reports use.

Three table styles occur:

* the seeds' style (a Word table saved as text): every cell on its own line starting with a tab, a cell's
  wrapped text continuing on lines without the tab (even after one blank line: `（三）不予` / `` / `公开`),
  rows separated by a blank line, the table ended by two blank lines or by prose;
* tab-separated rows, one row per line (`一、主动公开情况\\t—\\t139`), blank lines allowed inside;
* Markdown pipe tables (`| 规章 | 0 | 0 | 0 |`).

Cells come out as printed; nothing here knows the report templates.
"""

from __future__ import annotations

import re

from parsers.layout import Cell, Layout, Paragraph, Table
from parsers.limits import Deadline, Limits
from parsers.normalize import printed
from parsers.readers.encoding import decode

_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s*(.*?)\s*#*\s*$")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\((?:[^()\s]|\([^()]*\))*\)")
_ARTEFACT = re.compile(r"\[(?:image|bookmark|footnote|comment)\s*:[^\]]*\]", re.I)
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
# Page numbers of the document the text was taken from (`- 2 -`, `— 2 —`, `第 2 页`, `2/10`).
_PAGE_FOOTER = re.compile(
    r"^\s*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4})\s*$"
)
_PIPE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def read_text(data: bytes, limits: Limits, deadline: Deadline, media_type: str | None = None) -> Layout:
    decoded = decode(data, media_type)
    text = decoded.text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    blocks = _Scanner(lines, limits, deadline).blocks()
    markdown = (media_type or "").startswith("text/markdown") or any(
        isinstance(b, Paragraph) and b.heading for b in blocks
    )
    layout = Layout(
        blocks=blocks,
        media_type="text/markdown" if markdown else "text/plain",
        meta={"encoding": decoded.encoding},
        warnings=list(decoded.warnings),
    )
    return layout


def _is_blank(line: str) -> bool:
    return not line.startswith("\t") and not line.strip()


def _is_cell_line(line: str) -> bool:
    """A cell of the seeds' style: one leading tab, then the cell's text."""
    return line.startswith("\t") and line.count("\t") == 1


def _tsv_fields(line: str) -> list[str] | None:
    """The fields of a tab-separated row (a tab after some text, or several tabs), or None."""
    if "\t" not in line or _is_cell_line(line):
        return None
    return line.split("\t")


def _is_pipe_row(line: str) -> bool:
    s = line.strip()
    return len(s) > 2 and s.startswith("|") and s.endswith("|")


def _clean_inline(text: str) -> str:
    text = _ARTEFACT.sub("", text)
    text = _MD_LINK.sub(r"\1", text)
    return _EMPHASIS.sub(r"\2", text)


class _Scanner:
    def __init__(self, lines: list[str], limits: Limits, deadline: Deadline):
        self.lines = lines
        self.limits = limits
        self.deadline = deadline
        self.cells = 0

    def blocks(self) -> list[Paragraph | Table]:
        out: list[Paragraph | Table] = []
        lines = self.lines
        i = 0
        n = len(lines)
        while i < n:
            if i % 2000 == 0:
                self.deadline.check("reading text")
            line = lines[i]
            if _is_cell_line(line):
                table, i = self._cell_block(i)
                if table.cells:
                    out.append(table)
                continue
            if _PAGE_FOOTER.match(line):
                i += 1
                continue
            fields = _tsv_fields(line)
            if fields is not None and (sum(1 for f in fields if f.strip()) >= 2 or line.count("\t") >= 3):
                table, i = self._tsv_block(i)
                out.append(table)
                continue
            if _is_pipe_row(line) and i + 1 < n and _PIPE_SEPARATOR.match(lines[i + 1]):
                table, i = self._pipe_block(i)
                out.append(table)
                continue
            i += 1
            if not line.strip():
                continue
            m = _MD_HEADING.match(line)
            if m:
                body = printed(_clean_inline(m.group(2)))
                if body:
                    out.append(Paragraph(body, heading=True))
                continue
            body = printed(_clean_inline(line))
            if body:
                out.append(Paragraph(body))
        return out

    def _table(self, rows: list[list[str]]) -> Table:
        cells: list[Cell] = []
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                cells.append(Cell(printed(_clean_inline(text)), r, c))
        self.cells += len(cells)
        if self.cells > self.limits.max_cells:
            from parsers.errors import ParseError

            raise ParseError(f"more than {self.limits.max_cells} table cells", kind="too_large")
        return Table(cells)

    def _cell_block(self, i: int) -> tuple[Table, int]:
        """The seeds' style: a cell per tab-prefixed line, rows separated by one blank line."""
        lines = self.lines
        n = len(lines)
        rows: list[list[str]] = []
        row: list[list[str]] = []  # cells, each a list of its lines
        blanks = 0
        while i < n:
            line = lines[i]
            if _PAGE_FOOTER.match(line):
                blanks = max(blanks, 1)  # a page break in the source: the row ends here
                i += 1
                continue
            if _is_cell_line(line):
                if blanks >= 1 and row:
                    rows.append(["\n".join(c) for c in row])
                    row = []
                row.extend([part] for part in line[1:].split("\t"))
                blanks = 0
            elif not line.strip():
                blanks += 1
                if blanks >= 2:
                    # Two blank lines end the table, unless cells follow at once (a table broken by a
                    # page break in the source goes on after the blank lines and the page number).
                    j = i
                    while j < n and (_is_blank(lines[j]) or _PAGE_FOOTER.match(lines[j])):
                        j += 1
                    if j < n and _is_cell_line(lines[j]) and self._page_break(i, j):
                        i = j
                        continue
                    break
            else:
                # Text without the tab: the wrapped rest of the cell above, directly below it or after
                # one blank line when the row goes on with another cell; otherwise prose after the table.
                follows_cell = blanks == 0 or (blanks == 1 and i + 1 < n and _is_cell_line(lines[i + 1]))
                if not row or not follows_cell:
                    break
                row[-1].append(line)
                blanks = 0
            i += 1
        if row:
            rows.append(["\n".join(c) for c in row])
        return self._table(rows), i

    def _page_break(self, i: int, j: int) -> bool:
        """Lines i..j (blank) hold a page number: the table goes on over a page break."""
        return any(_PAGE_FOOTER.match(self.lines[k]) for k in range(i, j))

    def _tsv_block(self, i: int) -> tuple[Table, int]:
        lines = self.lines
        n = len(lines)
        rows: list[list[str]] = []
        while i < n:
            fields = _tsv_fields(lines[i])
            if fields is not None:
                rows.append(fields)
                i += 1
                continue
            if not lines[i].strip() or _PAGE_FOOTER.match(lines[i]):
                # Blank lines inside a table (page breaks in the source) do not end it.
                j = i
                while j < n and (_is_blank(lines[j]) or _PAGE_FOOTER.match(lines[j])):
                    j += 1
                if j < n and _tsv_fields(lines[j]) is not None:
                    i = j
                    continue
            break
        return self._table(rows), i

    def _pipe_block(self, i: int) -> tuple[Table, int]:
        lines = self.lines
        n = len(lines)
        rows: list[list[str]] = []
        while i < n and (_is_pipe_row(lines[i]) or _PIPE_SEPARATOR.match(lines[i])):
            if not _PIPE_SEPARATOR.match(lines[i]):
                rows.append(lines[i].strip()[1:-1].split("|"))
            i += 1
        return self._table(rows), i
