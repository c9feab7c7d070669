"""The spreadsheet reader on XLSX made by openpyxl and XLS made from it by LibreOffice."""

from __future__ import annotations

import io

import openpyxl
import pytest

from parsers.errors import ParseError
from parsers.layout import Layout, Paragraph, Table
from parsers.limits import Deadline, Limits
from parsers.readers.containers import OLE_MAGIC
from parsers.readers.sheet import format_number, read_sheet
from tests.parsers import make_inputs as mk

XLS = (mk.INPUTS / "report.xls").read_bytes()


def read(data: bytes, **limits) -> Layout:
    return read_sheet(data, Limits(**limits), Deadline(60))


def cell_set(table: Table) -> set[tuple]:
    return {(c.text, c.row, c.col, c.rowspan, c.colspan) for c in table.cells}


@pytest.fixture(scope="module", params=["xlsx", "xls"])
def workbook(request) -> Layout:
    return read(mk.report_xlsx() if request.param == "xlsx" else XLS)


def test_each_non_empty_sheet_is_its_name_then_its_table(workbook):
    kinds = [b.text if isinstance(b, Paragraph) else "T" for b in workbook.blocks]
    assert kinds == ["表三", "T", "表四", "T", "表二", "T", "格式", "T"]  # the empty sheet 空白 is left out
    assert all(p.heading for p in workbook.paragraphs())


def test_merged_ranges_are_spans_and_every_cell_is_there(workbook):
    tables = workbook.tables()
    assert [cell_set(t) for t in tables[:3]] == [
        s.expected_cells() for s in (mk.table3(), mk.table4(), mk.table2())
    ]


def test_numbers_read_as_printed(workbook):
    formatted = workbook.tables()[3]  # written from B3 down: the table starts at the first used cell
    assert [(c.row, c.col) for c in formatted.cells] == [(r, 0) for r in range(len(mk.FORMATTED))]
    assert [c.text for c in formatted.cells] == [printed for _, _, printed in mk.FORMATTED]


def test_media_types():
    assert read(XLS).media_type == "application/vnd.ms-excel"
    assert (
        read(mk.report_xlsx()).media_type
        == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


@pytest.mark.parametrize(
    ("value", "fmt", "printed"),
    [
        (22.0, None, "22"),
        (22.5, "General", "22.5"),
        (1932.583, "0.0000", "1932.5830"),
        (24252.311082, "General", "24252.311082"),
        (-1234.5, "#,##0.00;[Red]-#,##0.00", "-1,234.50"),
        (7, '0"件"', "7件"),
        (3.5, '"¥"#,##0.00_);[Red]("¥"#,##0.00)', "¥3.50"),
        (0.5, "0%", "50%"),
    ],
)
def test_format_number(value, fmt, printed):
    assert format_number(value, fmt) == printed


def test_used_range_offset_merges_reaching_past_it_and_title():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "统计表"
    ws["C3"] = "统计指标"
    ws["D3"] = "统计数"
    ws["C4"] = "收到申请数"
    ws["D4"] = 11
    ws["C5"] = "合计"
    ws.merge_cells("C5:E6")  # the merged cell is wider and taller than the values
    wb.properties.title = "某局2018年政府信息公开情况统计表"
    out = io.BytesIO()
    wb.save(out)
    layout = read(out.getvalue())
    assert layout.title == "某局2018年政府信息公开情况统计表"
    (table,) = layout.tables()
    assert cell_set(table) == {
        ("统计指标", 0, 0, 1, 1),
        ("统计数", 0, 1, 1, 1),
        ("", 0, 2, 1, 1),
        ("收到申请数", 1, 0, 1, 1),
        ("11", 1, 1, 1, 1),
        ("", 1, 2, 1, 1),
        ("合计", 2, 0, 2, 3),
    }


@pytest.mark.parametrize("fmt", ["xlsx", "xls"])
def test_title_rows_above_the_grid_are_paragraphs_and_a_ruled_blank_row_stays(fmt):
    """Titles typed in unruled rows above the table are the sheet's title lines, not table rows; a
    ruled data row printed all blank (every zero left empty) is still a row of the table."""
    data = mk.titled_xlsx() if fmt == "xlsx" else (mk.INPUTS / "titled.xls").read_bytes()
    layout = read(data)
    texts = [b.text if isinstance(b, Paragraph) else "T" for b in layout.blocks]
    assert texts == ["表四", *mk.TITLED, "T"]
    (table,) = layout.tables()
    assert table.n_rows == 4 and table.n_cols == 15
    last = [c for c in table.cells if c.row == 3]
    assert [(c.col, c.text) for c in last] == [(col, "") for col in range(15)]


def test_all_empty_workbook_has_no_blocks_and_says_so():
    wb = openpyxl.Workbook()
    out = io.BytesIO()
    wb.save(out)
    layout = read(out.getvalue())
    assert layout.blocks == [] and layout.warnings == ["every sheet of the workbook is empty"]


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not a spreadsheet",
        OLE_MAGIC + b"\x00" * 3000,
        XLS[:2000],
        mk.report_docx(),
        mk.report_xlsx()[:3000],
    ],
    ids=["empty", "text", "ole-garbage", "xls-truncated", "docx", "xlsx-truncated"],
)
def test_bad_bytes_are_unreadable(data):
    with pytest.raises(ParseError) as err:
        read(data)
    assert err.value.kind == "unreadable"


def test_limits():
    with pytest.raises(ParseError) as err:
        read(mk.zip_bomb(16 * 1024 * 1024))
    assert err.value.kind == "too_large"
    with pytest.raises(ParseError) as err:
        read(XLS, max_cells=100)
    assert err.value.kind == "too_large"
    with pytest.raises(ParseError) as err:
        read(mk.report_xlsx(), max_cells=10)  # refused from the size of the sheet XML, before loading
    assert err.value.kind == "too_large"
    with pytest.raises(ParseError) as err:
        read_sheet(XLS, Limits(), Deadline(0))
    assert err.value.kind == "timeout"


def test_damaged_files_give_a_parse_error_or_a_layout_never_another_exception():
    for k, source in enumerate([mk.report_xlsx(), XLS]):
        for damaged in mk.mutations(source, 60, seed=k):
            try:
                assert isinstance(read(damaged), Layout)
            except ParseError as err:
                assert err.kind in ("unreadable", "encrypted", "too_large") and err.reason
