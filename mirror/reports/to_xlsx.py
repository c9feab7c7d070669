"""The statistical tables as a spreadsheet (openpyxl): one sheet a table under the report's title,
merged cells as printed."""

from __future__ import annotations

import io
import re

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from mirror.reports.printed import PrintedReport, Table
from mirror.reports.zipfix import pin_zip

SHEET_NAMES = {
    "active_disclosure": "二、主动公开政府信息情况",
    "applications": "三、收到和处理政府信息公开申请情况",
    "review_litigation": "四、行政复议、行政诉讼情况",
    "legacy_stats": "政府信息公开情况统计表",
}
_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_THIN = Side(style="thin")


def _value(text: str) -> object:
    """Plain numbers are stored as numbers (as a spreadsheet author types them); anything else as text.
    Four-decimal amounts stay text so the printed digits (1932.5830) survive."""
    if _NUMBER.fullmatch(text):
        if "." not in text:
            return int(text)
        if len(text.split(".")[1]) < 4:
            return float(text)
    return text or None


def _write(ws, table: Table, report_title: str, title: str) -> None:
    """Row 1 the report's title, row 2 the table's, then the table as printed."""
    for row, text in ((1, report_title), (2, title)):
        ws.cell(row=row, column=1, value=text).font = Font(bold=True, size=14 if row == 1 else 12)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=table.ncols)
    top = 3
    for r, c, cell in table.placed():
        target = ws.cell(row=top + r, column=1 + c, value=_value(cell.text))
        if isinstance(target.value, float) and "." in cell.text:
            # Show the decimals as printed (52.0 would show as 52 under the General format).
            target.number_format = "0." + "0" * len(cell.text.split(".")[1])
        target.alignment = Alignment(horizontal=cell.align, vertical="center", wrap_text=True)
        target.font = Font(name="宋体", size=10)
        if cell.rowspan > 1 or cell.colspan > 1:
            ws.merge_cells(
                start_row=top + r,
                start_column=1 + c,
                end_row=top + r + cell.rowspan - 1,
                end_column=c + cell.colspan,
            )
    for row in ws.iter_rows(min_row=top, max_row=top + len(table.rows) - 1, max_col=table.ncols):
        for x in row:
            x.border = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
    total = sum(table.widths)
    for i, w in enumerate(table.widths):
        ws.column_dimensions[get_column_letter(i + 1)].width = max(6, 90 * w / total)


def render_printed_xlsx(pr: PrintedReport) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for block in pr.blocks:
        if isinstance(block, Table):
            name = SHEET_NAMES.get(block.kind, block.kind)[:31]
            _write(wb.create_sheet(name), block, pr.title, name)
    wb.properties.creator = "Administrator"
    buf = io.BytesIO()
    wb.save(buf)
    return pin_zip(buf.getvalue())
