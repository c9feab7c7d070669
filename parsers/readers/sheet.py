"""Spreadsheets: XLS (BIFF, via xlrd) and XLSX (via openpyxl). Each non-empty sheet is a Table after
a Paragraph with the sheet's name; merged ranges become spans; numbers read as the sheet prints them.

A sheet's title rows (the report's or the table's title typed above the ruled grid, one cell a row)
come as Paragraphs between the sheet's name and its table. The table reaches as far as its ruled
cells do: a last row printed entirely blank (all zeros left empty) is still a row of the table.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from parsers.errors import ParseError
from parsers.layout import Block, Cell, Layout, Paragraph, Table
from parsers.limits import Deadline, Limits
from parsers.readers.containers import OLE_MAGIC, guard_zip
from parsers.readers.failures import reader
from parsers.readers.textjoin import collapse_spaces, join_lines

XLS_TYPE = "application/vnd.ms-excel"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# openpyxl holds every cell as an object; bound the sheet XML before it does.
SHEET_XML_BYTES_PER_CELL = 200

_DECIMALS = re.compile(r"0\.(0+)")


@dataclass(slots=True)
class _Sheet:
    name: str
    values: dict[tuple[int, int], str]  # (row, col) -> printed text, non-empty cells only
    merges: list[tuple[int, int, int, int]]  # first row, first col, last row, last col (inclusive)
    framed: set[tuple[int, int]] = field(default_factory=set)  # cells with a border drawn (empty or not)


@reader("spreadsheet")
def read_sheet(data: bytes, limits: Limits, deadline: Deadline) -> Layout:
    if data.startswith(OLE_MAGIC):
        sheets, title, media_type = _read_xls(data, deadline), None, XLS_TYPE
    else:
        sheets, title = _read_xlsx(data, limits, deadline)
        media_type = XLSX_TYPE
    blocks: list[Block] = []
    n_cells = 0
    warnings: list[str] = []
    for sheet in sheets:
        titles = _title_rows(sheet)
        table = _table(sheet)
        if table is None and not titles:
            continue
        blocks.append(Paragraph(sheet.name, heading=True))
        blocks += [Paragraph(text) for text in titles]
        if table is not None:
            n_cells += len(table.cells)
            if n_cells > limits.max_cells:
                raise ParseError(f"more than {limits.max_cells} table cells", kind="too_large")
            blocks.append(table)
    if not blocks:
        warnings.append("every sheet of the workbook is empty")
    return Layout(blocks, media_type, title, {}, warnings)


MAX_BLANK_FRAMED_ROWS = 50  # ruled empty rows below the last value still taken as the table's


def _title_rows(sheet: _Sheet) -> list[str]:
    """Texts of the leading rows that hold one cell of text outside the ruled grid; removed from
    `sheet.values` (they are printed above the table, not in it). A sheet without rules has no grid
    to be outside of: its rows all stay in the table."""
    if not sheet.framed:
        return []
    by_row: dict[int, list[tuple[int, str]]] = {}
    for (r, c), text in sheet.values.items():
        by_row.setdefault(r, []).append((c, text))
    titles: list[str] = []
    for r in sorted(by_row):
        cells = by_row[r]
        if len(cells) != 1 or (r, cells[0][0]) in sheet.framed:
            break
        titles.append(cells[0][1])
        del sheet.values[(r, cells[0][0])]
    return titles


def _table(sheet: _Sheet) -> Table | None:
    """The sheet's used range as a table: every slot a cell (blank ones ''), merges as spans."""
    if not sheet.values:
        return None
    rows = [r for r, _ in sheet.values]
    cols = [c for _, c in sheet.values]
    # Ruled rows right below the last value row belong to the table (printed blank, not absent).
    last = max(rows)
    framed_rows = {r for r, c in sheet.framed if min(cols) <= c <= max(cols)}
    while last + 1 in framed_rows and last + 1 - max(rows) <= MAX_BLANK_FRAMED_ROWS:
        last += 1
    rows.append(last)
    merges = [m for m in sheet.merges if m[2] >= m[0] and m[3] >= m[1]]
    top = min(rows + [m[0] for m in merges if (m[0], m[1]) in sheet.values])
    left = min(cols + [m[1] for m in merges if (m[0], m[1]) in sheet.values])
    bottom, right = max(rows), max(cols)
    # A merge holding a value may reach beyond the last value: the printed cell does.
    for r0, c0, r1, c1 in merges:
        if (r0, c0) in sheet.values:
            bottom, right = max(bottom, r1), max(right, c1)
    covered: set[tuple[int, int]] = set()
    span: dict[tuple[int, int], tuple[int, int]] = {}
    for r0, c0, r1, c1 in merges:
        if r1 < top or c1 < left or r0 > bottom or c0 > right:
            continue
        r0, c0, r1, c1 = max(r0, top), max(c0, left), min(r1, bottom), min(c1, right)
        span[(r0, c0)] = (r1 - r0 + 1, c1 - c0 + 1)
        covered.update((r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1) if (r, c) != (r0, c0))
    cells = []
    for r in range(top, bottom + 1):
        for c in range(left, right + 1):
            if (r, c) in covered:
                continue
            rowspan, colspan = span.get((r, c), (1, 1))
            cells.append(Cell(sheet.values.get((r, c), ""), r - top, c - left, rowspan, colspan))
    return Table(cells)


# ---------------------------------------------------------------------------------------- numbers


def format_number(value: float, number_format: str | None) -> str:
    """A number as the cell's format prints it: decimals, thousands separators, percent and literal
    text ('0"件"' prints 7件); General prints integers without '.0', others at up to 15 digits."""
    section = (number_format or "General").split(";")[0]
    if section.strip().lower() in ("general", "@", ""):
        return str(int(value)) if float(value).is_integer() else f"{value:.15g}"
    prefix, pattern, suffix = _split_literals(section)
    if "%" in pattern:
        value *= 100
    decimals = _DECIMALS.search(pattern)
    n = len(decimals.group(1)) if decimals else 0
    text = f"{abs(value):,.{n}f}" if "," in pattern else f"{abs(value):.{n}f}"
    sign = "-" if value < 0 and float(text.replace(",", "")) != 0 else ""
    return sign + prefix + text + ("%" if "%" in pattern else "") + suffix


def _split_literals(section: str) -> tuple[str, str, str]:
    """(text before the number, the number pattern, text after) of one format section."""
    prefix, pattern, suffix = [], [], []
    i = 0
    while i < len(section):
        ch = section[i]
        if ch == '"':
            end = section.find('"', i + 1)
            end = len(section) if end < 0 else end
            literal, i = section[i + 1 : end], end + 1
        elif ch == "\\" and i + 1 < len(section):
            literal, i = section[i + 1], i + 2
        elif ch in "_*" and i + 1 < len(section):
            i += 2  # padding and fill characters print no text of their own
            continue
        elif ch == "[":
            end = section.find("]", i)
            i = len(section) if end < 0 else end + 1  # colours and conditions
            continue
        elif ch in "0#?.,%":
            pattern.append(ch)
            i += 1
            continue
        else:
            literal, i = ch, i + 1
        (suffix if pattern else prefix).append(literal)
    return "".join(prefix), "".join(pattern), "".join(suffix)


def _text(value: str) -> str:
    return join_lines(value.splitlines()) if "\n" in value or "\r" in value else collapse_spaces(value)


# -------------------------------------------------------------------------------------------- XLS


def _read_xls(data: bytes, deadline: Deadline) -> list[_Sheet]:
    import xlrd

    try:
        book = xlrd.open_workbook(
            file_contents=data, formatting_info=True, on_demand=True, logfile=io.StringIO()
        )
    except Exception as exc:  # xlrd raises XLRDError, CompDocError, struct.error, AssertionError ...
        raise ParseError(f"not a readable XLS: {type(exc).__name__}: {exc}", kind="unreadable") from exc
    try:
        return list(_xls_sheets(book, deadline))
    except ParseError:
        raise
    except Exception as exc:
        raise ParseError(
            f"the XLS could not be read: {type(exc).__name__}: {exc}", kind="unreadable"
        ) from exc
    finally:
        book.release_resources()


def _xls_sheets(book, deadline: Deadline) -> Iterator[_Sheet]:
    import xlrd

    for index in range(book.nsheets):
        deadline.check("reading XLS")
        sheet = book.sheet_by_index(index)
        values: dict[tuple[int, int], str] = {}
        framed: set[tuple[int, int]] = set()
        for r in range(sheet.nrows):
            if r % 256 == 0:
                deadline.check("reading XLS")
            for c, cell in enumerate(sheet.row(r)):
                kind = cell.ctype
                if _xls_framed(book, cell.xf_index):
                    framed.add((r, c))
                if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    continue
                if kind == xlrd.XL_CELL_TEXT:
                    text = _text(cell.value)
                elif kind == xlrd.XL_CELL_NUMBER:
                    text = format_number(cell.value, _xls_format(book, sheet, r, c))
                elif kind == xlrd.XL_CELL_DATE:
                    text = _date(xlrd.xldate_as_datetime(cell.value, book.datemode))
                elif kind == xlrd.XL_CELL_BOOLEAN:
                    text = "TRUE" if cell.value else "FALSE"
                else:
                    text = xlrd.error_text_from_code.get(cell.value, "#ERROR")
                if text:
                    values[(r, c)] = text
        merges = [(r0, c0, r1 - 1, c1 - 1) for r0, r1, c0, c1 in sheet.merged_cells]
        yield _Sheet(sheet.name, values, merges, framed)
        book.unload_sheet(index)


def _xls_framed(book, xf_index: int | None) -> bool:
    try:
        border = book.xf_list[xf_index].border
    except (IndexError, TypeError, AttributeError):
        return False
    return any(getattr(border, f"{side}_line_style", 0) for side in ("top", "bottom", "left", "right"))


def _xls_format(book, sheet, r: int, c: int) -> str | None:
    try:
        xf = book.xf_list[sheet.cell_xf_index(r, c)]
        return book.format_map[xf.format_key].format_str
    except (IndexError, KeyError, AttributeError):
        return None


def _date(value: dt.datetime | dt.date | dt.time) -> str:
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    return value.isoformat()


# ------------------------------------------------------------------------------------------- XLSX


def _read_xlsx(data: bytes, limits: Limits, deadline: Deadline) -> tuple[list[_Sheet], str | None]:
    import openpyxl

    members = guard_zip(data, limits, "XLSX")
    sheet_bytes = sum(size for name, size in members.items() if name.startswith("xl/worksheets/"))
    if sheet_bytes > limits.max_cells * SHEET_XML_BYTES_PER_CELL:
        raise ParseError(
            f"the XLSX worksheets are {sheet_bytes} bytes of XML, more than {limits.max_cells} cells could take",
            kind="too_large",
        )
    try:
        # data_only: the values Excel last computed for formulas, which is what the sheet printed.
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=False)
    except Exception as exc:  # openpyxl raises KeyError, InvalidFileException, lxml errors ...
        raise ParseError(f"not a readable XLSX: {type(exc).__name__}: {exc}", kind="unreadable") from exc
    deadline.check("opening XLSX")
    try:
        sheets = [_xlsx_sheet(ws, deadline) for ws in book.worksheets]
        title = collapse_spaces(book.properties.title or "") or None
    finally:
        book.close()
    return sheets, title


def _xlsx_sheet(ws, deadline: Deadline) -> _Sheet:
    values: dict[tuple[int, int], str] = {}
    framed: set[tuple[int, int]] = set()
    for n, row in enumerate(ws.iter_rows()):
        if n % 256 == 0:
            deadline.check("reading XLSX")
        for cell in row:
            if cell.has_style and _xlsx_framed(cell.border):
                framed.add((cell.row - 1, cell.column - 1))
            value = cell.value
            if value is None:
                continue
            if isinstance(value, bool):
                text = "TRUE" if value else "FALSE"
            elif isinstance(value, int | float):
                text = format_number(value, cell.number_format)
            elif isinstance(value, dt.datetime | dt.date | dt.time):
                text = _date(value)
            else:
                text = _text(str(value))
            if text:
                values[(cell.row - 1, cell.column - 1)] = text
    merges = [(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1) for m in ws.merged_cells.ranges]
    return _Sheet(ws.title, values, merges, framed)


def _xlsx_framed(border) -> bool:
    return any(
        side is not None and side.style for side in (border.top, border.bottom, border.left, border.right)
    )
