"""Property tests: synthetic reports, printed with real-world variation, parse back to the same facts.

Reports come from `mirror.reports.generate_report` (numbers consistent under every rule of
docs/SCHEMA.md); `Variation` adds label typos, labels split over lines, page breaks inside tables,
blank-for-zero cells, annotations in cells, amounts in 元, the one-row （六）, an 法人 subtotal column,
subtotal rows, "1、" numbering, a blank 总计 column, "/" for not applicable, 3,985,758. Whatever the
format (HTML fragment, DOCX, PDF, text; XLSX for the tables alone), the parser
must return exactly `expected_facts(variation)` for the statistical tables, the right metadata, checks
that hold, the numbered sections with their headings and text, and a document valid against the JSON
schema. A planted error must be reported.

Profiles are set in conftest.py (`ci`: fixed seed, sized for CI; HYPOTHESIS_PROFILE=dev for more).
"""

from __future__ import annotations

import os

from fact_compare import KNOBS, MEDIA, report_problems
from hypothesis import given, note, settings
from hypothesis import strategies as st

from mirror.reports import (
    SynthReport,
    Variation,
    generate_report,
    render_docx,
    render_html,
    render_pdf,
    render_text,
    render_xlsx,
)
from parsers import parse

# The profiles are registered in conftest.py; HYPOTHESIS_PROFILE=dev runs more, random examples.
PROPERTY_SETTINGS = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

SHAPES = [
    ("T2021", None),
    ("T2019", "beijing"),
    ("T2019", "national"),
    ("T2008", "beijing"),
    ("T2008", "ningxia"),
    ("T2008", "fujian"),
]
AGENCIES = {
    "beijing": [
        "北京市科学技术委员会",
        "北京市丰台区科学技术和信息化局",
        "北京市密云区人民政府办公室",
        "中关村科技园区管理委员会",
        "北京市海淀区教育委员会",
    ],
    "ningxia": ["金凤区科技局", "银川市金凤区人民政府", "兴庆区民政局"],
    "fujian": ["平潭综合实验区管委会办公室", "福州市长乐区人民政府"],
    "national": ["上海市杨浦区科学技术委员会", "江苏省淮安市淮阴区人民政府", "宁夏回族自治区科学技术厅"],
    None: [
        "北京市科学技术委员会、中关村科技园区管理委员会",
        "北京市东城区人民政府",
        "上海市科学技术委员会",
        "淮安市洪泽区财政局",
    ],
}
YEARS = {"T2008": (2008, 2018), "T2019": (2019, 2020), "T2021": (2021, 2025)}


@st.composite
def reports(draw: st.DrawFn, plant: str | None = None) -> SynthReport:
    template, variant = draw(st.sampled_from(SHAPES))
    if plant and plant.split(".")[0] in ("applications", "review_litigation"):
        template, variant = draw(st.sampled_from(SHAPES[:3]))
    if plant == "legacy_stats.sums":
        template, variant = draw(st.sampled_from(SHAPES[3:5]))
    agency = draw(st.sampled_from(AGENCIES[variant]))
    year = draw(st.integers(*YEARS[template]))
    seed = draw(st.integers(0, 2**31 - 1))
    return generate_report(
        seed, agency=agency, year=year, template=template, variant=variant, plant_error=plant
    )


@st.composite
def variations(draw: st.DrawFn) -> Variation:
    flags = {k: draw(st.booleans()) for k in KNOBS}
    return Variation(
        **flags,
        html_style=draw(st.sampled_from(["trs", "hanweb"])),
        text_style=draw(st.sampled_from(["cells", "rows"])),
        pdf_font=draw(st.sampled_from(["embedded", "cid"])),
    )


def render(report: SynthReport, var: Variation, fmt: str) -> bytes:
    if fmt == "html":
        return render_html(report, var).encode("utf-8")
    if fmt == "docx":
        return render_docx(report, var)
    if fmt == "pdf":
        return render_pdf(report, var)
    if fmt == "xlsx":
        return render_xlsx(report, var)
    return render_text(report, var).encode("utf-8")


def roundtrip(report: SynthReport, var: Variation, fmt: str) -> None:
    note(f"{report.template}/{report.variant} seed={report.seed} agency={report.agency} year={report.year}")
    note(f"{var}")
    doc = parse(render(report, var, fmt), MEDIA[fmt], f"synthetic.{fmt}")
    # Every kind of problem is collected, so one failing example shows all that went wrong.
    problems = report_problems(report, var, fmt, doc)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:60])


@PROPERTY_SETTINGS
@given(report=reports(), var=variations())
def test_html_parses_back(report, var):
    roundtrip(report, var, "html")


@PROPERTY_SETTINGS
@given(report=reports(), var=variations())
def test_docx_parses_back(report, var):
    roundtrip(report, var, "docx")


@PROPERTY_SETTINGS
@given(report=reports(), var=variations())
def test_pdf_parses_back(report, var):
    roundtrip(report, var, "pdf")


@PROPERTY_SETTINGS
@given(report=reports(), var=variations())
def test_text_parses_back(report, var):
    roundtrip(report, var, "text")


@PROPERTY_SETTINGS
@given(report=reports(), var=variations())
def test_xlsx_parses_back(report, var):
    """The statistical tables as a workbook (one sheet a table under the report's title)."""
    roundtrip(report, var, "xlsx")


PLANTABLE = [
    "applications.balance",
    "applications.results_sum",
    "applications.row_total",
    "applications.group_subtotal",
    "review_litigation.row_total",
    "legacy_stats.sums",
    "text_vs_table",
]


@PROPERTY_SETTINGS
@given(data=st.data(), rule=st.sampled_from(PLANTABLE), fmt=st.sampled_from(["docx", "html", "pdf", "text"]))
def test_planted_error_is_reported(data, rule, fmt):
    report = data.draw(reports(plant=rule))
    roundtrip(report, Variation(), fmt)
