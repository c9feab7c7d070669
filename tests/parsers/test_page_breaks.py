"""Tables cut by page breaks, as Word/WPS and LibreOffice PDF exports cut them.

A row may break over two pages: each of its cells goes on at the top of the next page, where the reader
sees the first row of another table. The pieces seen in LibreOffice exports of the generated corpus
(tests/parsers/corpus.py) and in real reports are built here as the PDF reader delivers them (one
Table per page), so each case is exact; `test_libreoffice_exports_cut_by_page_breaks` runs committed
LibreOffice PDFs of generated reports where these cuts fell.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from fact_compare import fact_problems

from parsers import parse
from parsers.api import parse_layout
from parsers.layout import Cell, Layout, Paragraph, Table
from parsers.limits import Deadline
from parsers.model import Source

SOURCE = Source(sha256="0" * 64)
INPUTS = Path(__file__).resolve().parent / "inputs"
APP_COLS = (
    "natural_person",
    "commercial",
    "research",
    "social_welfare",
    "legal_service",
    "other_org",
    "total",
)
APP_HEADER = ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "", "", "自然人", "商业企业",
              "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]  # fmt: skip


def grid(rows: list[list[str]], page: int) -> Table:
    return Table(
        [Cell(t, r, c, page=page) for r, row in enumerate(rows) for c, t in enumerate(row)], page=page
    )


def parse_pages(*blocks: Paragraph | Table) -> dict[tuple[str, str, str], object]:
    layout = Layout(
        blocks=[Paragraph("某局2023年政府信息公开工作年度报告", page=1), *blocks],
        media_type="application/pdf",
    )
    doc = parse_layout(layout, SOURCE, Deadline(10))
    return {f.key: f for f in doc.facts}


def test_value_cut_inside_its_note():
    """Fujian list, 历年累计 note cut: `77（其中修订39` on page 2, `件）` on page 3."""
    facts = parse_pages(
        grid(
            [
                ["指标名称", "计量单位", "本年度", "历年累计"],
                ["主动公开文件数", "条", "77（其中修订39", "276"],
            ],
            2,
        ),
        grid(
            [
                ["", "", "件）", ""],
                ["其中：1.政府网站公开数", "条", "77", "305"],
                ["受理依申请公开信息总数", "条", "10", "39"],
            ],
            3,
        ),
    )
    f = facts[("legacy_stats", "active.total", "value")]
    assert (f.value, f.raw, f.page) == (77, "77（其中修订39件）", 2)
    assert facts[("legacy_stats", "active.total", "cumulative")].value == 276
    assert facts[("legacy_stats", "active.channel.website", "value")].value == 77


def test_label_cut_with_every_value_blank():
    """表三 row `1.本机关不掌握相关政府信息` cut after 相关, zeros printed blank: still one row of 7 blank facts."""
    blank = [""] * 7
    facts = parse_pages(
        Paragraph("三、收到和处理政府信息公开申请情况", page=3),
        grid([APP_HEADER, ["三、本年度办理结果", "（四）无法提供", "1.本机关不掌握相关", *blank]], 3),
        grid(
            [
                ["", "", "政府信息", *blank],
                ["", "", "2.没有现成信息需要另行制作", "1", "", "", "", "", "", "1"],
            ],
            4,
        ),
    )
    assert [facts[("applications", "unable.not_held", c)].value for c in APP_COLS] == [None] * 7
    assert facts[("applications", "unable.not_held", "total")].label == "1.本机关不掌握相关政府信息"
    assert facts[("applications", "unable.needs_creation", "total")].value == 1


def test_label_cut_with_the_values_on_the_second_part():
    """Values centred vertically in a row cut in two land on the next page, with the rest of the label."""
    facts = parse_pages(
        Paragraph("三、收到和处理政府信息公开申请情况", page=3),
        grid(
            [
                APP_HEADER,
                ["三、本年度办理结果", "（六）其他处理", "1.申请人无正当理由逾期不补正、", *[""] * 7],
            ],
            3,
        ),
        grid([["", "", "行政机关不再处理其政府信息公开申请", "2", "0", "0", "0", "0", "0", "2"]], 4),
    )
    assert [facts[("applications", "other.overdue_correction", c)].value for c in APP_COLS] == [
        2,
        0,
        0,
        0,
        0,
        0,
        2,
    ]


def test_disclosure_table_cut_after_penalty():
    """表二 cut after 行政处罚: 行政强制 alone in a two-column table on the next page."""
    facts = parse_pages(
        Paragraph("二、主动公开政府信息情况", page=2),
        grid(
            [
                ["第二十条第（六）项", ""],
                ["信息内容", "本年处理决定数量"],
                ["行政处罚", "2,086"],
            ],
            2,
        ),
        grid([["行政强制", "1272"]], 3),
        grid(
            [
                ["第二十条第（八）项", ""],
                ["信息内容", "本年收费金额（单位：万元）"],
                ["行政事业性收费", "14722.49"],
            ],
            3,
        ),
    )
    assert facts[("active_disclosure", "penalty", "decisions")].value == 2086
    assert facts[("active_disclosure", "coercion", "decisions")].value == 1272
    assert facts[("active_disclosure", "fees", "amount")].value == 14722.49


def test_whole_rows_at_the_top_of_a_page_are_rows_of_their_own():
    """`行政规范性文件` under `规章` (both all blank) and a blank data row under table 四's header are rows,
    not the rest of the row above."""
    facts = parse_pages(
        Paragraph("二、主动公开政府信息情况", page=2),
        grid(
            [
                ["第二十条第（一）项", "", "", ""],
                ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
                ["规章", "", "", ""],
            ],
            2,
        ),  # fmt: skip
        grid([["行政规范性文件", "", "", ""]], 3),
        Paragraph("四、政府信息公开行政复议、行政诉讼情况", page=3),
        grid(
            [
                ["行政复议", "", "", "", "", "行政诉讼", *[""] * 9],
                [
                    "结果维持",
                    "结果纠正",
                    "其他结果",
                    "尚未审结",
                    "总计",
                    "未经复议直接起诉",
                    *[""] * 4,
                    "复议后起诉",
                    *[""] * 4,
                ],
                ["", "", "", "", "", *["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2],
            ],
            3,
        ),  # fmt: skip
        grid([[""] * 15], 4),
    )
    for row in ("rules", "normative_documents"):
        assert [facts[("active_disclosure", row, c)].value for c in ("issued", "repealed", "in_force")] == [
            None
        ] * 3
    review = [f for k, f in facts.items() if k[0] == "review_litigation"]
    assert len(review) == 15 and all(f.value is None for f in review)


# Generated reports (tests/parsers/corpus.py numbering) whose LibreOffice PDF export cut a row over a
# page break: a note cut in a value (20, 58, 67, 96, 103, 187), the same where the part on the next page
# has one more column (534: the sub-rows 行政检查/行政确认 split the label column), a 小计 row at the top of
# a page (643, 712), a sentence wrapped to `一、…` (65), a two-agency title wrapped inside a word (454).
LIBREOFFICE_CASES = [20, 58, 65, 67, 96, 103, 187, 454, 534, 643, 712]


@pytest.mark.parametrize("number", LIBREOFFICE_CASES)
def test_libreoffice_exports_cut_by_page_breaks(number):
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from corpus import case
    from fact_compare import report_problems

    report, var = case(number, 0.4)
    path = INPUTS / "libreoffice" / f"{number:05d}.pdf"
    doc = parse(path.read_bytes(), "application/pdf", path.name)
    problems = report_problems(report, var, "docx", doc)
    assert not problems, "\n".join(problems)


def test_fact_problems_sees_a_missing_fact():
    """The comparison used above reports a missing cell (it is not vacuous)."""
    doc = parse((INPUTS / "libreoffice" / "00058.pdf").read_bytes(), "application/pdf")
    doc.facts = [f for f in doc.facts if f.row != "active.total"]
    assert fact_problems(doc, {("legacy_stats", "active.total", "value"): 77})


def test_parts_of_a_table_on_two_pages_share_one_column_grid():
    """The PDF reader renumbers the columns of a table's parts on the union of their boundaries: the
    part on page 3 splits the label column (sub-rows), the part on page 2 does not."""
    from parsers.readers.pdf import _align_continued_tables

    above = Table(
        [Cell("行政许可", 0, 0), Cell("52", 0, 1), Cell("5（其中", 0, 2)],
        page=2,
        xs=[50.0, 150.0, 200.0, 250.0],
    )
    below = Table(
        [
            Cell("", 0, 0, colspan=2),
            Cell("", 0, 2),
            Cell("4件）", 0, 3),
            Cell("其他", 1, 0),
            Cell("行政检查", 1, 1),
        ]
        + [Cell("83", 1, 2), Cell("/", 1, 3)],
        page=3,
        xs=[50.5, 100.0, 150.2, 199.0, 250.0],
    )
    _align_continued_tables([above, Paragraph("- 2 -", page=2), below])
    assert above.cells[2].col == 2  # a page-number paragraph between them: not joined up
    _align_continued_tables([above, below])
    assert [(c.text, c.col, c.colspan) for c in above.cells] == [
        ("行政许可", 0, 2),
        ("52", 2, 1),
        ("5（其中", 3, 1),
    ]
    assert [(c.col, c.colspan) for c in below.cells[:4]] == [(0, 2), (2, 1), (3, 1), (0, 1)]
