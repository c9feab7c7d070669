"""parse() itself: limits, one error type with a clear reason, sniffing, and Layout-level interpretation
(tables split over pages as a PDF reader delivers them)."""

from __future__ import annotations

import io
import zipfile

import pytest

from parsers import ParseError, parse
from parsers.api import parse_layout
from parsers.layout import Cell, Layout, Paragraph, Table
from parsers.limits import Deadline, Limits
from parsers.model import Source

SOURCE = Source(sha256="0" * 64)


def test_size_limit_is_checked_before_reading():
    with pytest.raises(ParseError) as e:
        parse(b"<html>" + b"x" * 2000, limits=Limits(max_bytes=1000))
    assert e.value.kind == "too_large" and "limit" in e.value.reason


def test_time_limit_gives_a_timeout_error():
    body = "".join(f"<p>一、总体情况{i}</p>" for i in range(20000))
    with pytest.raises(ParseError) as e:
        parse(
            f"<html><body><div id='zoom'>{body}</div></body></html>".encode(), limits=Limits(max_seconds=0.0)
        )
    assert e.value.kind == "timeout"


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"", "unreadable"),
        (b"   \n ", "unreadable"),
        (bytes(range(256)) * 20, "unreadable"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "needs_ocr"),
        (b"{\\rtf1\\ansi hello}", "unsupported"),
        ("网站维护中，请稍后访问。".encode(), "not_a_report"),
    ],
)
def test_bad_input_raises_one_error_type(data, kind):
    with pytest.raises(ParseError) as e:
        parse(data)
    assert e.value.kind == kind and e.value.reason


def test_a_zip_that_is_no_office_document():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "hello")
    with pytest.raises(ParseError) as e:
        parse(buf.getvalue())
    assert e.value.kind in ("unsupported", "unreadable")


def test_scanned_document_needs_ocr():
    with pytest.raises(ParseError) as e:
        parse_layout(Layout(blocks=[], media_type="application/pdf", needs_ocr=True, pages=12), SOURCE)
    assert e.value.kind == "needs_ocr" and "12 pages" in e.value.reason


def grid_table(rows: list[list[str]], page: int, spans: dict[tuple[int, int], int] | None = None) -> Table:
    """A regular table as a PDF reader gives it; `spans` maps (row, col) to a rowspan."""
    cells = []
    covered = set()
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if (r, c) in covered:
                continue
            span = (spans or {}).get((r, c), 1)
            covered.update((r + k, c) for k in range(1, span))
            cells.append(Cell(text, r, c, rowspan=span, page=page))
    return Table(cells, page=page)


def test_row_broken_over_a_page_break_is_joined():
    z = ["0"] * 7
    page4 = grid_table(
        [
            [
                "（本列数据的勾稽关系）",
                "",
                "",
                "自然人",
                "商业企业",
                "科研机构",
                "社会公益组织",
                "法律服务机构",
                "其他",
                "总计",
            ],
            ["三、本年度办理结果", "（五）不予处理", "5.要求行政机关确认或重新出具已获取信息", *z],
            ["三、本年度办理结果", "（六）", "1.申请人无正当理由逾期", "2", "0", "0", "0", "0", "0", "2"],
        ],
        page=4,
        spans={(0, 0): 1},
    )
    page5 = grid_table(
        [
            ["", "其他处理", "不补正、行政机关不再处理其政府信息公开申请", "", "", "", "", "", "", ""],
            ["", "其他处理", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", *z],
            ["", "其他处理", "3.其他", "7", "0", "0", "0", "0", "0", "7"],
        ],
        page=5,
    )
    layout = Layout(
        blocks=[
            Paragraph("某局2021年政府信息公开工作年度报告", page=1),
            Paragraph("三、收到和处理政府信息公开申请情况", page=4),
            page4,
            page5,
        ],
        media_type="application/pdf",
    )
    doc = parse_layout(layout, SOURCE, Deadline(10))
    f = {(x.row, x.col): x for x in doc.facts}
    assert f[("other.overdue_correction", "natural_person")].value == 2
    assert f[("other.overdue_correction", "total")].page == 4
    assert f[("other.other", "total")].value == 7 and f[("other.other", "total")].page == 5
    assert ("other", "total") not in f
    assert f[("other.overdue_correction", "total")].label.endswith("不再处理其政府信息公开申请")


def test_a_column_page_of_report_titles_is_not_a_report():
    items = "".join(
        f"<li><a href='t{y}.html'>北京市科学技术委员会{y}年政府信息公开工作年度报告</a></li>"
        for y in range(2010, 2025)
    )
    html = f"<html><head><title>政府信息公开年报_北京市科学技术委员会</title></head><body><ul>{items}</ul></body></html>"
    with pytest.raises(ParseError) as e:
        parse(html.encode())
    assert e.value.kind == "not_a_report"


def test_a_bug_in_one_stage_costs_that_stage_not_the_document(monkeypatch):
    """An unforeseen document that trips a bug in, say, the checks still gives its facts; the warning
    names the stage and the exception. Timeouts and other ParseErrors still propagate."""
    from parsers import api

    def broken(*args):
        raise KeyError("boom")

    monkeypatch.setattr(api, "run_checks", broken)
    html = (
        "<html><body><div id='zoom'><p>某局2023年政府信息公开工作年度报告</p><table>"
        "<tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>"
        "<tr><td>规章</td><td>1</td><td>0</td><td>3</td></tr></table></div></body></html>"
    )
    doc = parse(html.encode())
    assert doc.checks == [] and doc.fact("active_disclosure", "rules", "in_force").value == 3
    assert any(w.startswith("internal error while running the checks (KeyError") for w in doc.warnings)

    def timeout(*args):
        raise ParseError("time limit of 1s exceeded", kind="timeout")

    monkeypatch.setattr(api, "run_checks", timeout)
    with pytest.raises(ParseError):
        parse(html.encode())


def test_a_top_heading_run_into_its_text_starts_its_section():
    from parsers.sections import split_sections

    layout = Layout(
        blocks=[
            Paragraph("一、总体情况。2023年，我局认真落实条例要求，全年主动公开政府信息120条。"),
            Paragraph("（一）主动公开情况。略。"),
            Paragraph("二、主动公开政府信息情况"),
            Paragraph("见下表。"),
        ],
        media_type="text/html",
    )
    sections = split_sections(layout)
    assert [(s.number, s.heading) for s in sections] == [("一", "总体情况"), ("二", "主动公开政府信息情况")]
    assert sections[0].text.startswith("2023年，我局") and "（一）主动公开情况。略。" in sections[0].text
