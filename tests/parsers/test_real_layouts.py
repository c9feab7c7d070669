"""Real-report layouts (tests/parsers/real_reports.py), each in the formats it is published in.

Every case is judged whole: agency, year, template and title; every printed cell of tables 二/三/四 (or
the 统计表) with its value, blanks as null facts and nothing read that was not printed; the checks the
source's own inconsistencies must fail, and only those; the numbered sections.
"""

from __future__ import annotations

import pytest
from fact_compare import fact_problems, schema_errors
from real_reports import CASES, INPUTS, Case, docx, drawn_pdf, html

from parsers import Document, parse

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def problems(case: Case, doc: Document) -> list[str]:
    out: list[str] = []
    got = (doc.agency, doc.year, doc.template, doc.title)
    want = (case.agency, case.year, case.template, case.title)
    if got != want:
        out.append(f"metadata: got {got}, expected {want}")
    tables = tuple(sorted({k[0] for k in case.expected}))
    out += fact_problems(doc, case.expected, tables=tables, units=case.units or None)
    failed = {(c.rule, c.where) for c in doc.checks if not c.ok}
    if failed != case.failing:
        out.append(f"failed checks {sorted(failed)}, expected {sorted(case.failing)}")
    if not doc.checks:
        out.append("no checks made")
    numbered = {(s.number, s.heading) for s in doc.sections if s.number}
    out += [f"section {n}、{h} not found" for n, h in case.sections if (n, h) not in numbered]
    out += schema_errors(doc)
    return out


def render(case: Case, fmt: str) -> Document:
    """`fmt`: html, docx, word_pdf (LibreOffice's export of the DOCX), or a drawn PDF: grid (every cell
    ruled), grid_repeated_header (table 三's header printed again on each page), rows_ruled (row rules
    only, no column lines, drawn cell by cell as Word does), rows_ruled_long (the same drawn as long
    lines, as LibreOffice does), row_tables (each row its own one-row table)."""
    if fmt == "html":
        return parse(html(case), "text/html", "https://www.example.gov.cn/xxgk/t20200122.html")
    if fmt == "docx":
        return parse(docx(case), DOCX, "report.docx")
    if fmt == "word_pdf":
        return parse((INPUTS / f"{case.name}_word.pdf").read_bytes(), PDF, "report.pdf")
    rules, gap = {
        "grid": ("grid", 0.0),
        "grid_repeated_header": ("grid", 0.0),
        "rows_ruled": ("horizontal", 0.0),
        "rows_ruled_long": ("long", 0.0),
        "row_tables": ("grid", 3.0),
    }[fmt]
    return parse(drawn_pdf(case, rules, gap, repeat_header=fmt.endswith("header")), PDF, "report.pdf")


FORMATS = [
    "html",
    "docx",
    "word_pdf",
    "grid",
    "grid_repeated_header",
    "rows_ruled",
    "rows_ruled_long",
    "row_tables",
]
# Known not right yet: where the rows' long rules leave no column line, the Shanghai table 二 (values
# spanning two grid columns under one-column headers) is read from its text, and some of its rows'
# columns come out wrong.
KNOWN_WRONG = {("shanghai_2019", "rows_ruled_long")}


@pytest.fixture(scope="module", params=sorted(CASES))
def case(request) -> Case:
    return CASES[request.param]()


@pytest.mark.parametrize("fmt", FORMATS)
def test_real_layout(case, fmt, request):
    if (case.name, fmt) in KNOWN_WRONG:
        request.applymarker(pytest.mark.xfail(strict=True, reason="a known gap, see KNOWN_WRONG"))
    doc = render(case, fmt)
    found = problems(case, doc)
    assert not found, "\n".join(found)


def test_amount_printed_in_yuan_is_converted_and_said():
    doc = render(CASES["shanghai_2019"](), "html")
    amount = doc.fact("active_disclosure", "procurement", "amount")
    assert (amount.value, amount.raw) == (25.1, "251000元")
    assert any("251000元" in w and "25.1 万元" in w for w in doc.warnings)


def test_cells_merged_by_missing_rules_are_read_apart():
    """A 统计表 whose author left some cell borders out (one in forty sides): the values and numbered
    labels the grid merged are read as the cells they are (pdf_gridfix). Tables with many borders
    missing are not all right yet (tests/parsers/corpus.py --formats oddrules)."""
    case = CASES["national_code_2012"]()
    found = problems(case, parse(drawn_pdf(case, "odd"), PDF, "report.pdf"))
    assert not found, "\n".join(found)
