"""The synthetic-report generator (mirror/reports) on its own, without the parser.

Its numbers must satisfy every rule of docs/SCHEMA.md (or break exactly the planted one), its narrative
must state the table's counts, and every renderer must write what the print model holds. The rules are
re-implemented here from SCHEMA.md, independently of both the generator and the parser.
"""

from __future__ import annotations

import io
import re
import zipfile

import docx
import openpyxl
import pdfplumber
import pytest
from lxml import html as lxml_html

from mirror.reports import (
    Variation,
    generate_report,
    render_docx,
    render_html,
    render_pdf,
    render_text,
    render_xlsx,
    seed_reports,
)
from mirror.reports.printed import Table
from mirror.reports.seeds import _read_cell_rows, _read_tab_rows
from mirror.reports.to_text import row_walk

COLS = ["natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org"]
LEAVES_T2021 = [
    "granted",
    "partially_granted",
    *(
        f"denied.{x}"
        for x in [
            "state_secret",
            "prohibited_by_law",
            "three_safeties",
            "third_party",
            "internal_affairs",
            "process_info",
            "enforcement_file",
            "query_matter",
        ]
    ),
    "unable.not_held",
    "unable.needs_creation",
    "unable.unclear",
    *(f"not_processed.{x}" for x in ["petition", "duplicate", "publication", "excessive", "reconfirm"]),
    "other.overdue_correction",
    "other.overdue_fee",
    "other.other",
]
LEAVES_T2019 = [k for k in LEAVES_T2021 if not k.startswith("other.")] + ["other"]
_DENIED = [
    "state_secret",
    "commercial_secret",
    "privacy",
    "security_stability",
    "not_government_info",
    "other_law",
]
_ANSWERS = "already_public granted partially_granted denied not_this_agency not_exist correction_requested other_channel"
# parent -> alternative sets of printed parts (the Fujian list has its own rows)
LEGACY_SUMS: dict[str, list[list[str]]] = {
    "requests.received": [
        [f"requests.received.{x}" for x in ("in_person", "fax", "online", "letter")],
        ["requests.received.in_person", "requests.received.online", "label:3.信函、传真申请数"],
    ],
    "requests.closed": [["requests.closed.on_time", "requests.closed.extended"]],
    "requests.answered": [
        [f"requests.answered.{x}" for x in _ANSWERS.split()],
        [
            "requests.answered.granted",
            "requests.answered.partially_granted",
            "requests.answered.denied",
            "label:4.其他类型答复数",
        ],
    ],
    "requests.answered.denied": [[f"requests.denied.{x}" for x in _DENIED]],
    "review.total": [["review.upheld", "review.corrected", "review.other"]],
    "litigation.total": [["litigation.upheld", "litigation.corrected", "litigation.other"]],
    "staffing.staff": [["staffing.full_time", "staffing.part_time"]],
}
AGENCIES = [
    "北京市海淀区科学技术和信息化局",
    "北京市科学技术委员会",
    "宁夏银川市金凤区科技局",
    "平潭综合实验区管委会办公室",
]


def broken_rules(facts: dict, template: str) -> set[str]:
    """The SCHEMA.md rules that do not hold on `facts`."""
    broken: set[str] = set()

    def v(t: str, r: str, c: str) -> int | float:
        return facts.get((t, r, c)) or 0

    if template in ("T2019", "T2021"):
        leaves = LEAVES_T2019 if template == "T2019" else LEAVES_T2021
        a = "applications"
        for c in [*COLS, "total"]:
            if v(a, "new_received", c) + v(a, "carried_over", c) != v(a, "total_processed", c) + v(
                a, "carried_forward", c
            ):
                broken.add("applications.balance")
            if sum(v(a, r, c) for r in leaves) != v(a, "total_processed", c):
                broken.add("applications.results_sum")
        for r in ["new_received", "carried_over", *leaves, "total_processed", "carried_forward"]:
            if sum(v(a, r, c) for c in COLS) != v(a, r, "total"):
                broken.add("applications.row_total")
        for r in ("review", "litigation_direct", "litigation_after_review"):
            parts = sum(v("review_litigation", r, c) for c in ("upheld", "corrected", "other", "pending"))
            if parts != v("review_litigation", r, "total"):
                broken.add("review_litigation.row_total")
    else:
        g = "legacy_stats"
        for parent, options in LEGACY_SUMS.items():
            for col in ("value", "cumulative"):
                if (g, parent, col) not in facts:
                    continue
                for parts in options:
                    if all((g, p, col) in facts for p in parts):
                        if sum(v(g, p, col) for p in parts) != v(g, parent, col):
                            broken.add("legacy_stats.sums")
                        break
    return broken


def stated_applications(report) -> int | None:
    text = "".join(t for _, _, t in report.sections)
    m = re.search(r"共收到政府信息公开申请(\d+)件", text)
    return int(m.group(1)) if m else None


CASES = [
    (seed, template, variant)
    for seed in range(12)
    for template, variant in [
        ("T2021", None),
        ("T2019", "beijing"),
        ("T2019", "national"),
        ("T2008", "beijing"),
        ("T2008", "ningxia"),
        ("T2008", "fujian"),
    ]
]


@pytest.mark.parametrize(("seed", "template", "variant"), CASES)
def test_generated_numbers_satisfy_every_rule(seed, template, variant):
    r = generate_report(seed, agency=AGENCIES[seed % 4], year=2020, template=template, variant=variant)
    assert broken_rules(r.facts, template) == set()
    assert all(isinstance(x, int | float) and x >= 0 or k[2] == "change" for k, x in r.facts.items())
    stated = stated_applications(r)
    key = (
        ("applications", "new_received", "total")
        if template != "T2008"
        else ("legacy_stats", "requests.received", "value")
    )
    if stated is not None:
        assert stated == r.facts[key]


PLANTS = [
    ("T2021", None, "applications.balance"),
    ("T2021", None, "applications.results_sum"),
    ("T2021", None, "applications.row_total"),
    ("T2019", "beijing", "applications.row_total"),
    ("T2019", "national", "review_litigation.row_total"),
    ("T2008", "beijing", "legacy_stats.sums"),
    ("T2008", "ningxia", "legacy_stats.sums"),
]


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize(("template", "variant", "rule"), PLANTS)
def test_planted_error_breaks_exactly_that_rule(seed, template, variant, rule):
    r = generate_report(
        seed, agency=AGENCIES[0], year=2019, template=template, variant=variant, plant_error=rule
    )
    assert broken_rules(r.facts, template) == {rule}


@pytest.mark.parametrize("template", ["T2021", "T2019", "T2008"])
def test_planted_text_vs_table_changes_only_the_narrative(template):
    clean = generate_report(4, agency=AGENCIES[0], year=2020, template=template)
    planted = generate_report(
        4, agency=AGENCIES[0], year=2020, template=template, plant_error="text_vs_table"
    )
    assert broken_rules(planted.facts, template) == set()
    key = (
        ("applications", "new_received", "total")
        if template != "T2008"
        else ("legacy_stats", "requests.received", "value")
    )
    stated = re.search(r"收到政府信息公开申请(\d+)件", "".join(t for _, _, t in planted.sections))
    assert stated is not None and int(stated.group(1)) != planted.facts[key]
    assert stated_applications(clean) in (None, clean.facts[key])


def test_group_subtotal_planted_in_the_printed_subtotal_row():
    r = generate_report(2, agency=AGENCIES[0], year=2022, plant_error="applications.group_subtotal")
    exp = r.expected_facts()
    printed = exp[("applications", "denied", "natural_person")]
    parts = sum(
        exp[("applications", f"denied.{x}", "natural_person")]
        for x in [
            "state_secret",
            "prohibited_by_law",
            "three_safeties",
            "third_party",
            "internal_affairs",
            "process_info",
            "enforcement_file",
            "query_matter",
        ]
    )
    assert printed == parts + 1


def test_bad_plant_is_refused():
    with pytest.raises(ValueError):
        generate_report(1, agency=AGENCIES[0], year=2017, plant_error="applications.balance")
    with pytest.raises(ValueError):
        generate_report(1, agency=AGENCIES[0], year=2022, plant_error="cross_year.carry")


def test_expected_facts_follow_the_variation():
    r = generate_report(11, agency=AGENCIES[0], year=2023)
    plain = r.expected_facts(Variation())
    assert plain == {k: v for k, v in r.facts.items()}
    blank = r.expected_facts(Variation(blank_zero_cells=True))
    assert {k for k, v in blank.items() if v is None} == {
        k for k, v in r.facts.items() if v == 0 and isinstance(v, int)
    }
    one = r.expected_facts(Variation(other_as_one_row=True))
    assert ("applications", "other.other", "total") not in one
    assert one[("applications", "other", "total")] == sum(
        r.facts[("applications", k, "total")]
        for k in ("other.overdue_correction", "other.overdue_fee", "other.other")
    )
    lp = r.expected_facts(Variation(legal_person_column=True))
    assert lp[("applications", "new_received", "legal_person")] == sum(
        r.facts[("applications", "new_received", c)] for c in COLS[1:]
    )
    sub = r.expected_facts(Variation(subtotal_rows=True))
    assert sub[("applications", "unable", "total")] == sum(
        r.facts[("applications", f"unable.{x}", "total")] for x in ("not_held", "needs_creation", "unclear")
    )


def test_yuan_amounts_are_expected_in_wanyuan():
    for seed in range(40):
        r = generate_report(seed, agency=AGENCIES[0], year=2020, template="T2019", variant="beijing")
        amount = r.facts[("active_disclosure", "procurement", "amount")]
        if amount:
            break
    html = render_html(r, Variation(yuan_amounts=True))
    yuan = round(amount * 10000)
    assert f"{yuan}元" in re.sub(r"<[^>]+>", "", html)
    assert r.expected_facts(Variation(yuan_amounts=True))[
        ("active_disclosure", "procurement", "amount")
    ] == pytest.approx(amount)


def test_ningxia_drift_and_header_rows_are_unknown_rows():
    for seed in range(30):
        r = generate_report(seed, agency="金凤区科技局", year=2018, variant="ningxia")
        exp = r.expected_facts(Variation(label_typos=True))
        if ("legacy_stats", "label:(二)设置政府信息公开工作人员数", "value") in exp:
            assert ("legacy_stats", "staffing.reading_rooms", "value") not in exp
            assert ("legacy_stats", "label:一、主动公开情况", "value") in exp
            return
    pytest.fail("no Ningxia report among 30 printed the 工作人员数 drift")


def _text_of_html(fragment: str) -> str:
    return lxml_html.fromstring(f"<div>{fragment}</div>").text_content()


@pytest.mark.parametrize("template", ["T2021", "T2019", "T2008"])
def test_every_renderer_prints_the_expected_values(template):
    r = generate_report(21, agency=AGENCIES[1], year=2020, template=template)
    var = Variation(split_labels=True, page_break_in_table=True, annotations=True)
    exp = r.expected_facts(var)
    numbers = {str(v) for v in exp.values() if isinstance(v, int) and v >= 10}
    assert numbers, "the report should print some numbers of two digits or more"

    html_text = _text_of_html(render_html(r, var))
    docx_doc = docx.Document(io.BytesIO(render_docx(r, var)))
    docx_text = "".join(c.text for t in docx_doc.tables for row in t.rows for c in row.cells)
    with pdfplumber.open(io.BytesIO(render_pdf(r, var))) as pdf:
        pdf_text = "\n".join(p.extract_text() or "" for p in pdf.pages)
        pages = len(pdf.pages)
    text = render_text(r, var)
    wb = openpyxl.load_workbook(io.BytesIO(render_xlsx(r, var)))
    xlsx_text = " ".join(
        str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None
    )
    for n in numbers:
        for name, rendered in [
            ("html", html_text),
            ("docx", docx_text),
            ("pdf", pdf_text),
            ("text", text),
            ("xlsx", xlsx_text),
        ]:
            assert n in rendered, f"{n} missing from the {name} rendering"
    for page in range(1, pages + 1):
        assert f"- {page} -" in pdf_text
    assert len(docx_doc.tables) >= (2 if template == "T2008" else 4)  # the page break cuts one table in two


def test_docx_tables_are_the_printed_tables():
    """Walked cell by cell (a vertically merged cell as an empty continuation), every DOCX table is the
    print model's table, page-break pieces included."""
    r = generate_report(6, agency=AGENCIES[0], year=2022)
    var = Variation(subtotal_rows=True, legal_person_column=True, page_break_in_table=True, split_labels=True)
    d = docx.Document(io.BytesIO(render_docx(r, var)))
    pieces = [p for b in r.printed(var).blocks if isinstance(b, Table) for p in b.pieces()]
    assert len(d.tables) == len(pieces) == 4
    for table, piece in zip(d.tables, pieces, strict=True):
        walk = [
            [
                ""
                if tc.vMerge == "continue"
                else "\n".join(p.text for p in docx.table._Cell(tc, table).paragraphs)
                for tc in tr.tc_lst
            ]
            for tr in table._tbl.tr_lst
        ]
        assert walk == row_walk(piece)


def test_docx_tables_keep_their_merged_cells():
    r = generate_report(5, agency=AGENCIES[0], year=2022)
    d = docx.Document(io.BytesIO(render_docx(r)))
    apps = next(t for t in d.tables if "勾稽关系" in t.cell(0, 0).text)
    assert apps.cell(0, 0)._tc is apps.cell(2, 2)._tc  # the corner spans 3 rows and 3 columns
    xml = apps._tbl.xml
    assert "w:vMerge" in xml and "w:gridSpan" in xml


def test_renders_are_deterministic():
    a = generate_report(8, agency=AGENCIES[0], year=2021)
    b = generate_report(8, agency=AGENCIES[0], year=2021)
    var = Variation(label_typos=True, split_labels=True)
    for render in (render_html, render_text, render_docx, render_pdf, render_xlsx):
        assert render(a, var) == render(b, var)


def test_docx_and_xlsx_are_valid_zips():
    r = generate_report(9, agency=AGENCIES[0], year=2021)
    for data in (render_docx(r), render_xlsx(r)):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            assert z.testzip() is None


def test_long_appendix_gives_many_pages():
    r = generate_report(1, agency=AGENCIES[0], year=2022)
    with pdfplumber.open(io.BytesIO(render_pdf(r, Variation(extra_pages=20)))) as pdf:
        assert len(pdf.pages) >= 20


def test_seed_tables_rebuild_the_seed_cells():
    """The spans put back by seeds.py give, walked as Word stores cells, exactly the seed's rows."""
    for s in seed_reports():
        lines = s.text.splitlines()
        original: list[list[list[str]]] = []
        i = 0
        while i < len(lines):
            if s.key == "004" and "\t" in lines[i]:
                rows, i = _read_tab_rows(lines, i)
                original.append(rows)
            elif s.key != "004" and lines[i].startswith("\t"):
                rows, i = _read_cell_rows(lines, i)
                original.append(rows)
            else:
                i += 1
        tables = [b for b in s.printed().blocks if isinstance(b, Table)]
        assert [row_walk(t) for t in tables] == original
        kinds = [t.kind for t in tables]
        assert kinds == (
            ["legacy_stats"]
            if s.template == "T2008"
            else ["active_disclosure", "applications", "review_litigation"]
        )


def test_seed_reports_metadata():
    seeds = {s.key: s for s in seed_reports()}
    assert sorted(seeds) == ["000", "001", "002", "003", "004"]
    assert (
        seeds["001"].title == "北京市科学技术委员会、中关村科技园区管理委员会2024年政府信息公开工作年度报告"
    )
    assert seeds["002"].template == "T2019" and seeds["000"].year == 2018
    html = seeds["002"].html
    assert 'rowspan="2"' in html and "1932.5830" in html and "行政确认" in html
    assert render_text(seeds["004"]) == seeds["004"].path.read_text(encoding="utf-8")


def test_committed_seed_fixtures_match_a_fresh_build():
    """tests/fixtures/seeds holds what make_fixtures.py makes from data/seeds and mirror.reports now
    (the PDF, which needs LibreOffice, is checked by `make_fixtures.py --check`)."""
    import sys
    from pathlib import Path

    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    sys.path.insert(0, str(fixtures))
    try:
        import make_fixtures
    finally:
        sys.path.remove(str(fixtures))
    for seed in seed_reports():
        d = fixtures / "seeds" / seed.key
        assert (d / "report.txt").read_bytes() == seed.path.read_bytes()
        assert (d / "report.html").read_text(encoding="utf-8") == make_fixtures.page_html(seed), seed.key
        assert (d / "report.docx").read_bytes() == render_docx(seed), seed.key


def test_dash_cells_and_thousands_separators():
    for seed in range(60):
        r = generate_report(seed, agency=AGENCIES[0], year=2023)
        big = [
            k for k, v in r.facts.items() if k[0] == "active_disclosure" and isinstance(v, int) and v >= 1000
        ]
        zero = [k for k, v in r.facts.items() if k[0] == "active_disclosure" and v == 0]
        if big and zero:
            break
    var = Variation(dash_cells=True, thousands_separators=True)
    exp = r.expected_facts(var)
    assert all(exp[k] is None for k in zero)
    assert all(exp[k] == r.facts[k] for k in big)
    text = render_text(r, var)
    assert f"{r.facts[big[0]]:,}" in text
    assert re.search(r"^\t(/|—|-)$", text, re.M)


@pytest.mark.parametrize(("first", "second"), [(2021, 2022), (2019, 2020), (2020, 2021)])
def test_consecutive_years_carry_over(first, second):
    last = generate_report(3, agency=AGENCIES[0], year=first)
    this = generate_report(4, agency=AGENCIES[0], year=second, previous=last)
    for c in [*COLS, "total"]:
        assert (
            this.facts[("applications", "carried_over", c)]
            == last.facts[("applications", "carried_forward", c)]
        )
    assert broken_rules(this.facts, this.template) == set()
    if this.template == last.template == "T2021":
        row = ("active_disclosure", "normative_documents")
        assert this.facts[(*row, "in_force")] == (
            last.facts[(*row, "in_force")] + this.facts[(*row, "issued")] - this.facts[(*row, "repealed")]
        )
    if this.template == last.template == "T2019":
        assert this.facts[("active_disclosure", "penalty", "prev_items")] == max(
            0,
            last.facts[("active_disclosure", "penalty", "prev_items")]
            + last.facts[("active_disclosure", "penalty", "change")],
        )
