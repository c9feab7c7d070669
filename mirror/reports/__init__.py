"""Synthetic 政府信息公开工作年度报告 and their renderings, for the mirror, the parser's tests and the
benchmarks.

    report = generate_report(7, agency="北京市海淀区科学技术和信息化局", year=2022)  # T2021 by year
    var = Variation(split_labels=True, blank_zero_cells=True)
    html = render_html(report, var)           # body fragment; also render_docx/pdf/text/xlsx
    report.expected_facts(var)                # what a correct parser reads back from that rendering

Modules: `numbers` (consistent statistics, planted errors), `narrative` (synthetic prose stating the
tables' counts), `labels`/`typos` (the templates' printed labels and their real-world slips),
`layout` (a report + Variation -> `printed.PrintedReport`, recording the expected facts), `to_*` (one
renderer per format), `seeds` (the five real seeds of data/seeds laid out the same way).
"""

from __future__ import annotations

from mirror.reports.model import SynthReport, Variation, generate_report
from mirror.reports.printed import PrintedReport
from mirror.reports.seeds import SeedReport, seed_reports
from mirror.reports.to_docx import render_printed_docx
from mirror.reports.to_html import render_printed_html
from mirror.reports.to_pdf import render_printed_pdf
from mirror.reports.to_text import render_printed_text
from mirror.reports.to_xlsx import render_printed_xlsx

__all__ = [
    "SynthReport",
    "SeedReport",
    "Variation",
    "PrintedReport",
    "generate_report",
    "seed_reports",
    "render_html",
    "render_docx",
    "render_pdf",
    "render_text",
    "render_xlsx",
]


def _printed(report: SynthReport | SeedReport, variation: Variation | None) -> PrintedReport:
    return report.printed(variation or Variation())


def _seed(report: SynthReport | SeedReport) -> int:
    return getattr(report, "seed", 0)


def render_html(report: SynthReport | SeedReport, variation: Variation | None = None) -> str:
    """The report body as an HTML fragment (paragraphs and rowspan/colspan tables), without site chrome."""
    return render_printed_html(_printed(report, variation), _seed(report))


def render_docx(report: SynthReport | SeedReport, variation: Variation | None = None) -> bytes:
    return render_printed_docx(_printed(report, variation))


def render_pdf(report: SynthReport | SeedReport, variation: Variation | None = None) -> bytes:
    return render_printed_pdf(_printed(report, variation))


def render_text(report: SynthReport | SeedReport, variation: Variation | None = None) -> str:
    """Plain text in the seeds' style; a seed renders as its original text."""
    if isinstance(report, SeedReport):
        return report.text
    return render_printed_text(_printed(report, variation), _seed(report))


def render_xlsx(report: SynthReport | SeedReport, variation: Variation | None = None) -> bytes:
    """The statistical tables as a spreadsheet, one sheet a table."""
    return render_printed_xlsx(_printed(report, variation))
