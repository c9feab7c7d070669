"""Synthetic reports: what `generate_report` returns, and the rendering variations."""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass, field

from mirror.reports import numbers
from mirror.reports.narrative import NarrativeSection, legacy_sections, modern_sections
from mirror.reports.numbers import Facts, Key, Number

TEMPLATES = ("T2008", "T2019", "T2021")
T2008_VARIANTS = ("beijing", "ningxia", "fujian")
T2019_VARIANTS = ("beijing", "national")


@dataclass(frozen=True)
class Variation:
    """How a report is printed. Each knob reproduces a variant seen in real reports (templates.md
    §4.2–4.8); all off is the clean official layout. Style fields left None are chosen from the report's
    seed, so one report always looks the same in one format."""

    label_typos: bool = False  # one-character slips on long labels (收到申请书, 危机国家安全, 行政止公开)
    split_labels: bool = (
        False  # labels broken over lines (商业/企业, （三）不予/公开, vertical 三、本/年/度…)
    )
    page_break_in_table: bool = False  # a page break inside table 三 (or the 统计表), cutting a merged cell
    blank_zero_cells: bool = False  # zero printed as an empty cell (上海 2019 &nbsp;)
    annotations: bool = False  # notes inside numeric cells: 22（其中修订16件）
    yuan_amounts: bool = False  # 万元 amounts printed in 元 with the unit in the cell: 251000元
    other_as_one_row: bool = False  # a T2021 report printing （六）其他处理 as one row, as T2019 does
    legal_person_column: bool = False  # an 法人或其他组织 小计 column in table 三 (8 numbers a row)
    subtotal_rows: bool = False  # 小计 rows under （三）（四）（五） in table 三
    alt_numbering: bool = False  # "1、" instead of "1." on the numbered rows
    heading_variants: bool = False  # seen variants of section headings (四、因政府信息公开工作被申请…)
    blank_totals: bool = False  # table 三's 总计 column left blank (上海市科委 2024)
    dash_cells: bool = False  # zeros of table 二 printed "/", "—" or "-" (not applicable), read as blank
    thousands_separators: bool = False  # large counts printed 3,985,758
    extra_pages: int = 0  # count-free appendix pages (long documents for limits and benchmarks)
    html_style: str | None = None  # "trs" (TRS_UEDITOR paste) | "hanweb" (Word MsoNormal paste)
    text_style: str | None = (
        None  # "cells" (one cell a line, seeds 000-003) | "rows" (tab-separated, seed 004)
    )
    pdf_font: str | None = None  # "embedded" (TrueType subset, as Word/WPS export) | "cid" (STSong-Light)

    def key(self) -> str:
        return repr(dataclasses.astuple(self))


@dataclass
class SynthReport:
    """A generated report: its truth (`facts`) and what is needed to print it."""

    seed: int
    agency: str
    year: int
    template: str
    variant: str | None
    title: str
    title_lines: list[str]
    intro: str
    narrative: list[NarrativeSection]
    facts: Facts
    units: dict[Key, str | None] = field(default_factory=dict)
    plant_error: str | None = None
    planted_at: str = ""

    def __repr__(self) -> str:
        return (
            f"SynthReport(seed={self.seed}, agency={self.agency!r}, year={self.year}, template={self.template!r}, "
            f"variant={self.variant!r}, plant_error={self.plant_error!r})"
        )

    def _repr_pretty_(self, printer, cycle: bool) -> None:
        # hypothesis and IPython print dataclasses field by field; the facts alone run to pages.
        printer.text(repr(self))

    @property
    def sections(self) -> list[tuple[str | None, str, str]]:
        """(number, heading, text) of each section, the subsections' text included."""
        out: list[tuple[str | None, str, str]] = []
        for s in self.narrative:
            parts = list(s.paragraphs)
            for head, paras in s.subsections:
                parts.append(head)
                parts.extend(paras)
            out.append((s.number, s.heading, "\n".join(parts)))
        return out

    def printed(self, variation: Variation | None = None):  # -> PrintedReport
        from mirror.reports.layout import lay_out

        return lay_out(self, variation or Variation())

    def expected_facts(self, variation: Variation | None = None) -> dict[Key, Number | None]:
        """The facts a correct parser returns for this report printed with `variation`: blank-for-zero
        cells give None, 元 amounts are given in 万元, a one-row （六） replaces its three rows, …"""
        return dict(self.printed(variation).expected)

    def expected_sections(self, variation: Variation | None = None) -> list[tuple[str | None, str, str]]:
        """The numbered sections as printed with `variation` (heading variants applied)."""
        return list(self.printed(variation).sections)

    def expected_units(self, variation: Variation | None = None) -> dict[Key, str | None]:
        """T2008 only: the unit printed on each fact's row (None where — or nothing is printed)."""
        return dict(self.printed(variation).units)


def default_template(year: int) -> str:
    return "T2008" if year <= 2018 else "T2019" if year <= 2020 else "T2021"


def default_variant(template: str, agency: str) -> str | None:
    if template == "T2008":
        if any(w in agency for w in ("宁夏", "银川", "金凤", "兴庆", "西夏")):
            return "ningxia"
        if any(w in agency for w in ("福建", "平潭", "福州")):
            return "fujian"
        return "beijing"
    if template == "T2019":
        return "beijing" if "北京" in agency or "中关村" in agency else "national"
    return None


def generate_report(
    seed: int,
    *,
    agency: str,
    year: int,
    template: str | None = None,
    variant: str | None = None,
    plant_error: str | None = None,
    previous: SynthReport | None = None,
) -> SynthReport:
    """A synthetic report, deterministic for a given seed. Every check of docs/SCHEMA.md holds on its
    numbers and narrative, except `plant_error`, which is violated on purpose. With `previous` (the
    same agency's report of an earlier year) this year continues it: 上年结转 = its 结转下年度
    (cross_year.carry), and table 二 carries on where both use the same template."""
    template = template or default_template(year)
    if template not in TEMPLATES:
        raise ValueError(f"unknown template {template!r}")
    # A province's T2008 variant names no T2019 variant: outside Beijing, T2019 is the national table.
    if template == "T2019" and variant in T2008_VARIANTS and variant != "beijing":
        variant = "national"
    variant = None if template == "T2021" else variant or default_variant(template, agency)
    if template == "T2008" and variant not in T2008_VARIANTS:
        raise ValueError(f"T2008 variant must be one of {T2008_VARIANTS}, not {variant!r}")
    if template == "T2019" and variant not in T2019_VARIANTS:
        raise ValueError(f"T2019 variant must be one of {T2019_VARIANTS}, not {variant!r}")
    if plant_error is not None and plant_error not in numbers.PLANTABLE:
        raise ValueError(f"cannot plant {plant_error!r}; plantable rules: {', '.join(numbers.PLANTABLE)}")
    if (
        template == "T2008"
        and plant_error
        and plant_error.split(".")[0] in ("applications", "review_litigation")
    ):
        raise ValueError(f"{plant_error} needs a T2019/T2021 report")
    rng = random.Random(seed)

    units: dict[Key, str | None] = {}
    if template == "T2008":
        assert variant is not None
        facts = numbers.legacy(rng, variant)
        units = numbers.units_for(variant)
    else:
        one_row = template == "T2019"
        carried = None
        if previous is not None and previous.template != "T2008":
            carried = {
                c: int(previous.facts.get(("applications", "carried_forward", c)) or 0)
                for c in numbers.APP_COLS
            }
        facts = numbers.applications(
            rng, other_as_one_row=one_row, at_least_one=plant_error is not None, carried_over=carried
        )
        facts.update(numbers.review_litigation(rng))
        facts.update(
            numbers.disclosure_t2021(rng)
            if template == "T2021"
            else numbers.disclosure_t2019(rng, beijing=variant == "beijing")
        )
    if previous is not None and previous.template == template != "T2008":
        numbers.follow_previous(facts, previous.facts, template)
    planted_at = ""
    if plant_error:
        planted_at = numbers.plant(rng, facts, plant_error, template, other_as_one_row=template == "T2019")
    offset = rng.randint(1, 5) if plant_error == "text_vs_table" else 0

    suffix = "政府信息公开工作年度报告" if rng.random() < 0.85 else "政府信息公开年度报告"
    title = f"{agency}{year}年{suffix}"
    title_lines = [agency, f"{year}年{suffix}"] if rng.random() < 0.6 else [title]
    if template == "T2008":
        intro, narrative = legacy_sections(rng, agency, year, variant or "beijing", facts, offset)
    else:
        intro, narrative = modern_sections(rng, agency, year, template, facts, offset)
    return SynthReport(
        seed=seed,
        agency=agency,
        year=year,
        template=template,
        variant=variant,
        title=title,
        title_lines=title_lines,
        intro=intro,
        narrative=narrative,
        facts=facts,
        units=units,
        plant_error=plant_error,
        planted_at=planted_at,
    )
