"""Lay a synthetic report out as a `PrintedReport`, applying a `Variation`, and record the facts a
correct parser must read back from exactly what was printed."""

from __future__ import annotations

import random
import re

from mirror.reports import labels as L
from mirror.reports.model import SynthReport, Variation
from mirror.reports.narrative import filler_paragraphs
from mirror.reports.printed import Cell, Para, PrintedReport, Table
from mirror.reports.typos import DRIFT, TYPOS

Key = tuple[str, str, str]
Number = int | float

# Leading spaces of the 统计表 label cells by nesting level, as Word-made Beijing tables print them.
_INDENT = ["", "  ", "        ", "           ", "               ", "　" * 7, "　" * 10]

_HEADER_SPLITS = {
    "商业企业": "商业\n企业",
    "科研机构": "科研\n机构",
    "社会公益组织": "社会公益\n组织",
    "法律服务机构": "法律服务\n机构",
    "结果纠正": "结果\n纠正",
    "其他结果": "其他\n结果",
    "尚未审结": "尚未\n审结",
    "结果维持": "结\n果\n维\n持",
    "总计": "总 计",
    "未经复议直接起诉": "未经复议\n直接起诉",
    "其他对外管理服务事项": "其他对外管理\n服务事项",
}
_GROUP_SPLITS = {
    "（三）不予公开": "（三）不予\n公开",
    "（四）无法提供": "（四）无法\n提供",
    "（五）不予处理": "（五）不予\n处理",
    "（六）其他处理": "（六）其他\n处理",
}


def resolve_style(report_seed: int, variant: str | None, var: Variation) -> dict[str, str]:
    r = random.Random(f"style:{report_seed}")
    return {
        "html": var.html_style or r.choice(["trs", "trs", "hanweb"]),
        "text": var.text_style or ("rows" if variant == "ningxia" else "cells"),
        "pdf_font": var.pdf_font or r.choice(["embedded", "embedded", "cid"]),
    }


class Labeler:
    """Prints template labels with the variation's typos, line breaks and numbering."""

    def __init__(self, rng: random.Random, var: Variation, candidates: list[str], ningxia: bool):
        self.rng, self.var = rng, var
        self.typos: dict[str, str] = {}
        self.drift: dict[str, str] = {}
        if var.label_typos:
            present = [c for c in dict.fromkeys(candidates) if c in TYPOS]
            for label in rng.sample(present, min(len(present), rng.randint(1, 3))):
                self.typos[label] = rng.choice(TYPOS[label])
            if ningxia and rng.random() < 0.6:
                self.drift = dict(DRIFT)

    def _maybe(self, p: float = 0.7) -> bool:
        return self.var.split_labels and self.rng.random() < p

    def _number(self, text: str) -> str:
        return re.sub(r"^(\s*)(\d)\.", r"\1\2、", text) if self.var.alt_numbering else text

    def row(self, label: str) -> str:
        text = self._number(self.typos.get(label, label))
        if len(text) >= 18 and self._maybe(0.5):
            text = _wrap(text)
        return text

    def group(self, label: str) -> str:
        text = self.typos.get(label, label)
        return _GROUP_SPLITS.get(text, text) if self._maybe() else text

    def results(self, label: str) -> str:
        if self._maybe(0.6):
            return "三、本\n" + "\n".join(label[3:]) if self.rng.random() < 0.5 else "三、本年度\n办理结果"
        return label

    def header(self, label: str) -> str:
        return _HEADER_SPLITS.get(label, label) if self._maybe(0.6) else label

    def legacy(self, label: str) -> str:
        text = self._number(self.typos.get(label, label))
        if len(text) >= 22 and self._maybe(0.5):
            text = _wrap(text)
        return text


def _wrap(text: str) -> str:
    """Break a long label where a table cell would wrap it: at a bracket or comma near the middle."""
    mid = len(text) // 2
    cuts = [m.start() for m in re.finditer(r"[（，、]", text) if 4 < m.start() < len(text) - 3]
    at = min(cuts, key=lambda i: abs(i - mid)) if cuts else mid
    if text[at] in "，、":
        at += 1
    return text[:at] + "\n" + text[at:]


def _number_text(value: Number, *, decimals4: bool = False) -> str:
    if isinstance(value, int):
        return str(value)
    return f"{value:.4f}" if decimals4 else repr(value)


class Printer:
    """Prints fact values into cells and records what a parser must read back."""

    def __init__(self, rng: random.Random, var: Variation, report: SynthReport):
        self.rng, self.var, self.report = rng, var, report
        self.expected: dict[Key, Number | None] = {}
        self.units: dict[Key, str | None] = {}
        self.annotate: set[Key] = set()
        self.dash = rng.choice(["/", "—", "-"])  # one report uses one mark for "not applicable"
        if var.annotations:
            pool = [
                k
                for k, v in report.facts.items()
                if isinstance(v, int)
                and v > 1
                and (
                    (
                        k[0] == "active_disclosure"
                        and k[2] in ("issued", "made", "published", "decisions", "in_force")
                    )
                    or (
                        k[0] == "legacy_stats"
                        and k[1] in ("active.total", "requests.received", "active.channel.website")
                    )
                )
            ]
            self.annotate = set(rng.sample(sorted(pool), min(len(pool), rng.randint(1, 3))))

    def value(self, key: Key, value: Number, *, decimals4: bool = False) -> Cell:
        if self.var.blank_totals and key[0] == "applications" and key[2] == "total":
            self.expected[key] = None
            return Cell("")
        blank_ok = key[0] != "legacy_stats"
        if self.var.blank_zero_cells and blank_ok and value == 0 and isinstance(value, int):
            self.expected[key] = None
            return Cell("")
        if self.var.dash_cells and key[0] == "active_disclosure" and value == 0 and isinstance(value, int):
            self.expected[key] = None
            return Cell(self.dash)
        self.expected[key] = value
        if self.var.yuan_amounts and key[2] == "amount" and value:
            yuan = round(value * 10000, 2)
            text = f"{int(yuan)}元" if yuan == int(yuan) else f"{yuan:.2f}元"
            self.expected[key] = round(yuan / 10000, 6)
            return Cell(text)
        text = _number_text(value, decimals4=decimals4)
        if self.var.thousands_separators and isinstance(value, int) and abs(value) >= 1000:
            text = f"{value:,}"
        if key in self.annotate:
            part = self.rng.randint(1, int(value) - 1)
            note = self.rng.choice(
                ["（其中修订{n}件）", "（含转载{n}条）", "（其中网上办理{n}件）", "（其中新增{n}项）"]
            )
            text += note.format(n=part)
        return Cell(text)


# ---------------------------------------------------------------- tables


def applications_table(report: SynthReport, var: Variation, lab: Labeler, pr: Printer) -> Table:
    one_row = report.template == "T2019" or var.other_as_one_row
    subtotals = var.subtotal_rows or report.plant_error == "applications.group_subtotal"
    lp = var.legal_person_column
    orgs = [k for k, _ in L.ORG_COLS]
    value_cols = ["natural_person", *orgs, *(["legal_person"] if lp else []), "total"]
    nval = len(value_cols)
    facts = report.facts

    def truth(row: str, col: str) -> int:
        if col == "legal_person":
            return sum(truth(row, c) for c in orgs)
        if row == "other" and ("applications", "other", col) not in facts:
            return sum(int(facts[("applications", k, col)] or 0) for k, _ in L.OTHER_LEAVES)
        if row in ("denied", "unable", "not_processed"):
            group = next(g for g in L.result_groups(one_row) if g.key == row)
            total = sum(truth(k, col) for k, _ in group.leaves)
            if (
                report.plant_error == "applications.group_subtotal"
                and row == "denied"
                and col in ("natural_person", "total")
            ):
                total += 1  # the printed subtotal disagrees with its group
            return total
        return int(facts[("applications", row, col)] or 0)

    def values(row: str) -> list[Cell]:
        return [pr.value(("applications", row, c), truth(row, c)) for c in value_cols]

    rows: list[list[Cell]] = [
        [Cell(L.CORNER, 3, 3, header=True), Cell(L.APPLICANT_HEADER, 1, nval, header=True)],
        [
            Cell(L.NATURAL_PERSON[1], 2, 1, header=True),
            Cell(L.LEGAL_PERSON_HEADER, 1, 5 + lp, header=True),
            Cell(lab.header(L.TOTAL_COL[1]), 2, 1, header=True),
        ],
        [Cell(lab.header(label), header=True) for _, label in L.ORG_COLS]
        + ([Cell(L.LEGAL_PERSON_SUBTOTAL[1], header=True)] if lp else []),
    ]
    for key, label in L.HEAD_ROWS:
        rows.append([Cell(lab.row(label), colspan=3, align="left"), *values(key)])

    groups = L.result_groups(one_row)
    with_sub = {"denied", "unable", "not_processed"} if subtotals else set()
    n_results = sum(max(1, len(g.leaves)) + (g.key in with_sub) for g in groups)
    lead: list[Cell] = [Cell(lab.results(L.RESULTS_LABEL), rowspan=n_results)]
    group_starts: list[int] = []
    for g in groups:
        if not g.leaves:
            rows.append([*lead, Cell(lab.row(g.label), colspan=2, align="left"), *values(g.key)])
            lead = []
            continue
        group_starts.append(len(rows))
        span = len(g.leaves) + (g.key in with_sub)
        for i, (key, label) in enumerate(g.leaves):
            first = [*lead, Cell(lab.group(g.label), rowspan=span)] if i == 0 else []
            rows.append([*first, Cell(lab.row(label), align="left"), *values(key)])
            lead = []
        if g.key in with_sub:
            rows.append([Cell("小计"), *values(g.key)])
    rows.append([Cell(lab.row(L.TAIL_ROW[1]), colspan=3, align="left"), *values(L.TAIL_ROW[0])])

    table = Table("applications", rows, 3 + nval, [2.2, 1.6, 4.2] + [1.0] * nval)
    if var.page_break_in_table:
        # Inside a group (its merged label is cut) or between groups, as Word's pagination falls.
        start = pr.rng.choice(group_starts[1:] or group_starts)
        table.breaks = [start + pr.rng.choice([0, 1, 1, 2])]
    return table


def review_table(report: SynthReport, lab: Labeler, pr: Printer) -> Table:
    heads = [Cell(lab.header(label), header=True) for _, label in L.REVIEW_COLS]
    rows = [
        [Cell(L.REVIEW_HEADER, colspan=5, header=True), Cell(L.LITIGATION_HEADER, colspan=10, header=True)],
        [Cell(c.text, rowspan=2, header=True) for c in heads]
        + [
            Cell(lab.header(L.REVIEW_ROWS[1][1]), colspan=5, header=True),
            Cell(L.REVIEW_ROWS[2][1], colspan=5, header=True),
        ],
        [Cell(lab.header(label), header=True) for _ in range(2) for _, label in L.REVIEW_COLS],
        [
            pr.value(("review_litigation", row, col), int(report.facts[("review_litigation", row, col)] or 0))
            for row, _ in L.REVIEW_ROWS
            for col, _ in L.REVIEW_COLS
        ],
    ]
    return Table("review_litigation", rows, 15, [1.0] * 15)


def disclosure_table(report: SynthReport, lab: Labeler, pr: Printer) -> Table:
    beijing = report.template == "T2019" and report.variant == "beijing"
    blocks = L.T2021_BLOCKS if report.template == "T2021" else L.t2019_blocks(beijing)
    nlab = 2 if beijing else 1
    nval = 3
    decimals4 = beijing

    def header_cells(cols: tuple[tuple[str, str], ...]) -> list[Cell]:
        out = [Cell(lab.header(label), header=True) for _, label in cols]
        out[-1].colspan = nval - len(cols) + 1
        return out

    def value_cells(row: str, cols: tuple[tuple[str, str], ...]) -> list[Cell]:
        out = [
            pr.value(
                ("active_disclosure", row, col),
                report.facts[("active_disclosure", row, col)] or 0,
                decimals4=decimals4 and col == "amount",
            )
            for col, _ in cols
        ]
        out[-1].colspan = nval - len(cols) + 1
        return out

    rows: list[list[Cell]] = []
    for b in blocks:
        rows.append([Cell(b.title, colspan=nlab + nval, header=True)])
        rows.append([Cell(L.INFO_CONTENT, colspan=nlab, header=True), *header_cells(b.cols)])
        for key, label in b.rows:
            subs = b.sub_rows.get(key)
            if not subs:
                rows.append([Cell(label, colspan=nlab), *value_cells(key, b.cols)])
                continue
            for i, (sub_key, sub_label) in enumerate(subs):
                parent = [Cell(lab.header(label), rowspan=len(subs))] if i == 0 else []
                rows.append([*parent, Cell(sub_label), *value_cells(sub_key, b.cols)])
    widths = ([1.6, 1.4] if beijing else [2.6]) + [1.6] * nval
    return Table("active_disclosure", rows, nlab + nval, widths)


def legacy_table(report: SynthReport, var: Variation, lab: Labeler, pr: Printer) -> Table:
    variant = report.variant or "beijing"
    facts = report.facts
    rows: list[list[Cell]] = []
    if variant == "fujian":
        rows.append([Cell(h, header=True) for h in ("指标名称", "计量单位", "本年度", "历年累计")])
        for ind in L.FUJIAN_INDICATORS:
            key = ind.key or ""
            if ("legacy_stats", key, "value") not in facts:
                continue
            label = lab.legacy(ind.label)
            # An unknown row is keyed by its label as printed (with this printing's numbering).
            printed_key = "label:" + re.sub(r"\s+", "", label) if key.startswith("label:") else key
            cells = [Cell(label, align="left"), Cell(ind.unit or "")]
            for col in ("value", "cumulative"):
                out = ("legacy_stats", printed_key, col)
                cells.append(pr.value(out, facts[("legacy_stats", key, col)] or 0))
                pr.units[out] = ind.unit
            rows.append(cells)
        table = Table("legacy_stats", rows, 4, [5.0, 1.2, 1.2, 1.2])
    else:
        ningxia = variant == "ningxia"
        indicators = L.NINGXIA_INDICATORS if ningxia else L.BEIJING_INDICATORS
        if not ningxia:
            rows += [
                [Cell("政府信息公开情况统计表", colspan=3, header=True)],
                [Cell(f"（{report.year}年度）", colspan=3, header=True)],
                [Cell(f"填报单位（盖章）：{report.agency}", align="left"), Cell("　"), Cell("　")],
            ]
        rows.append(
            [
                Cell(h, header=True)
                for h in (("统计指标", "单位", "统计数") if ningxia else ("统 计 指 标", "单位", "统计数"))
            ]
        )
        for ind in indicators:
            indent = "" if ningxia else _INDENT[ind.level]
            if ind.key is None:
                label_key = ("legacy_stats", "label:" + re.sub(r"\s+", "", ind.label), "value")
                if ningxia and label_key in facts:
                    pr.units[label_key] = None
                    rows.append(
                        [Cell(ind.label, align="left"), Cell("—"), pr.value(label_key, facts[label_key] or 0)]
                    )
                else:
                    rows.append([Cell(indent + ind.label, align="left"), Cell(""), Cell("")])
                continue
            label = lab.legacy(ind.label)
            key = ("legacy_stats", ind.key, "value")
            unit = ind.unit
            if ind.label in lab.drift:
                label = lab.drift[ind.label]
                key = ("legacy_stats", "label:" + re.sub(r"\s+", "", label), "value")
                unit = "人"
            if ind.note and not ningxia:
                label = f"{label}\n{' ' * 7}{ind.note}"
            pr.units[key] = unit
            rows.append(
                [
                    Cell(indent + label, align="left"),
                    Cell(unit or ""),
                    pr.value(key, facts[("legacy_stats", ind.key, "value")] or 0),
                ]
            )
            if ind.note and ningxia:
                rows.append([Cell(ind.note.replace("1", " 1 "), align="left"), Cell(""), Cell("")])
        table = Table("legacy_stats", rows, 3, [6.0, 1.0, 1.2])
    if var.page_break_in_table:
        table.breaks = [len(rows) // 2 + pr.rng.randint(-3, 3)]
    return table


# ---------------------------------------------------------------- the whole document


def lay_out(report: SynthReport, var: Variation) -> PrintedReport:
    rng = random.Random(f"layout:{report.seed}:{var.key()}")
    candidates = _label_candidates(report)
    lab = Labeler(rng, var, candidates, ningxia=report.variant == "ningxia")
    pr = Printer(rng, var, report)
    blocks: list[Para | Table] = [Para(line, "title") for line in report.title_lines]
    if report.template == "T2008":
        blocks.append(Para("引言", "heading"))
    blocks.append(Para(report.intro))
    sections: list[tuple[str | None, str, str]] = []
    for sec in report.narrative:
        heading = sec.heading
        modern = report.template != "T2008"
        if var.heading_variants and modern and sec.number in L.SECTION_HEADING_VARIANTS:
            heading = rng.choice(L.SECTION_HEADING_VARIANTS[sec.number])
        blocks.append(Para(f"{sec.number}、{heading}", "heading"))
        blocks += [Para(p) for p in sec.paragraphs]
        text = list(sec.paragraphs)
        for sub, paras in sec.subsections:
            blocks.append(Para(sub, "subheading"))
            blocks += [Para(p) for p in paras]
            text += [sub, *paras]
        sections.append((sec.number, heading, "\n".join(text)))
        if sec.table == "active_disclosure":
            blocks.append(disclosure_table(report, lab, pr))
        elif sec.table == "applications":
            blocks.append(applications_table(report, var, lab, pr))
        elif sec.table == "review_litigation":
            blocks.append(review_table(report, lab, pr))
    if report.template == "T2008":
        blocks.append(Para(f"附表：{report.agency}政府信息公开情况统计表（{report.year}年度）", "appendix"))
        blocks.append(legacy_table(report, var, lab, pr))
    if var.extra_pages:
        blocks.append(Para("附件：政府信息公开工作制度汇编", "appendix"))
        blocks += [
            Para(p) for p in filler_paragraphs(rng, report.agency, report.year, round(7.5 * var.extra_pages))
        ]
    return PrintedReport(
        title=report.title,
        blocks=blocks,
        expected=pr.expected,
        units=pr.units,
        style=resolve_style(report.seed, report.variant, var),
        sections=sections,
        agency=report.agency,
        year=report.year,
    )


def _label_candidates(report: SynthReport) -> list[str]:
    if report.template == "T2008":
        inds = {"beijing": L.BEIJING_INDICATORS, "ningxia": L.NINGXIA_INDICATORS}.get(
            report.variant or "", L.FUJIAN_INDICATORS
        )
        return [i.label for i in inds]
    out = [label for _, label in L.HEAD_ROWS] + [L.TAIL_ROW[1]]
    for g in L.result_groups(report.template == "T2019"):
        out.append(g.label)
        out += [label for _, label in g.leaves]
    return out
