"""Comparing what the parser read with what a report prints (golden files, synthetic reports).

Each function returns a list of problems in words, so a failing test shows every wrong cell at once
instead of stopping at the first.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from parsers.model import Document

Key = tuple[str, str, str]
# The knobs of mirror.reports.Variation that change what a report prints (extra_pages and the styles aside).
KNOBS = (
    "label_typos",
    "split_labels",
    "page_break_in_table",
    "blank_zero_cells",
    "annotations",
    "yuan_amounts",
    "other_as_one_row",
    "legal_person_column",
    "subtotal_rows",
    "alt_numbering",
    "heading_variants",
    "blank_totals",
    "dash_cells",
    "thousands_separators",
)
MEDIA = {
    "html": "text/html",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "text": "text/plain",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
STAT_TABLES = ("active_disclosure", "applications", "review_litigation", "legacy_stats")
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"
SCHEMA_PATH = Path(__file__).resolve().parents[2] / "parsers" / "data" / "report.schema.json"
VALIDATOR = Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def schema_errors(doc: Document) -> list[str]:
    """Where the document breaks report.schema.json (a misspelt key fails here at once)."""
    return [f"{list(e.absolute_path)}: {e.message}" for e in VALIDATOR.iter_errors(doc.to_dict())]


def same_value(got: Any, want: Any) -> bool:
    """The parser's conventions: int for an integer cell, float otherwise, None for a blank one."""
    if want is None or got is None:
        return got is None and want is None
    if isinstance(got, bool) or not isinstance(got, int | float):
        return False
    if isinstance(want, int):
        return isinstance(got, int) and got == want
    return isinstance(got, float) and math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-9)


def fact_problems(
    doc: Document,
    expected: dict[Key, Any],
    *,
    tables: tuple[str, ...] | None = None,
    units: dict[Key, str | None] | None = None,
) -> list[str]:
    """Every expected fact present with its value (and unit, where given); no fact in `tables` that is
    not expected; no fact read twice."""
    tables = tables or tuple(sorted({k[0] for k in expected}))
    facts = [f for f in doc.facts if f.table in tables]
    problems: list[str] = []
    for key, n in Counter(f.key for f in facts).items():
        if n > 1:
            problems.append(f"{'.'.join(key)} read {n} times")
    got = {f.key: f for f in facts}
    for key, want in expected.items():
        f = got.get(key)
        name = ".".join(key)
        if f is None:
            problems.append(f"missing {name} (expected {want!r})")
            continue
        if not same_value(f.value, want):
            problems.append(f"{name}: got {f.value!r} (raw {f.raw!r}, label {f.label!r}), expected {want!r}")
        if units is not None and key in units and f.unit != units[key]:
            problems.append(f"{name}: unit {f.unit!r}, expected {units[key]!r}")
    for key in sorted(got.keys() - expected.keys()):
        f = got[key]
        problems.append(f"unexpected {'.'.join(key)} = {f.value!r} (raw {f.raw!r}, label {f.label!r})")
    return problems


@dataclass
class Tally:
    """Facts of a parse counted against what was printed: `right` (present, right value), `wrong`
    (present with another value, under a row or column that was not printed, or read twice with
    another value) and `missing` (printed, not read)."""

    right: int = 0
    wrong: int = 0
    missing: int = 0

    def add(self, other: Tally) -> None:
        self.right += other.right
        self.wrong += other.wrong
        self.missing += other.missing


def fact_tally(doc: Document, expected: dict[Key, Any], *, tables: tuple[str, ...]) -> Tally:
    """How many expected facts the parse got right, how many facts it gave wrong, how many it left out."""
    tally = Tally()
    by_key: dict[Key, list[Any]] = {}
    for f in doc.facts:
        if f.table in tables:
            by_key.setdefault(f.key, []).append(f.value)
    for key, want in expected.items():
        values = by_key.get(key)
        if not values:
            tally.missing += 1
            continue
        good = sum(1 for v in values if same_value(v, want))
        tally.right += 1 if good else 0
        tally.wrong += len(values) - good
    tally.wrong += sum(len(v) for k, v in by_key.items() if k not in expected)
    return tally


def check_problems(doc: Document, expected: dict[str, str]) -> list[str]:
    """`expected` maps a rule to "ok" (it was checked, and held everywhere) or "fails" (it was checked
    and failed somewhere, every other rule being listed as ok)."""
    problems: list[str] = []
    for rule, want in expected.items():
        checks = [c for c in doc.checks if c.rule == rule]
        if not checks:
            problems.append(f"no {rule} check was made")
            continue
        failed = [c for c in checks if not c.ok]
        if want == "ok" and failed:
            problems += [
                f"{rule} failed at {c.where}: expected {c.expected}, actual {c.actual}" for c in failed
            ]
        if want == "fails" and not failed:
            problems.append(f"{rule} held everywhere ({len(checks)} checks); it was planted to fail")
    return problems


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def section_problems(doc: Document, expected: list[tuple[str | None, str, str]]) -> list[str]:
    """Each numbered section found with its heading, its printed text within the section's text
    (whitespace aside: line breaks differ from format to format; what else a section holds, such as
    a table's title row or the 附表 line after the last section, is the parser's business)."""
    got: dict[str, Any] = {}
    for s in doc.sections:
        if s.number:
            got.setdefault(s.number, s)
    problems: list[str] = []
    for number, heading, text in expected:
        s = got.get(number or "")
        if s is None:
            problems.append(f"section {number}、{heading} not found")
            continue
        if _compact(s.heading) != _compact(heading):
            problems.append(f"section {number}: heading {s.heading!r}, expected {heading!r}")
        got_text, want = _compact(s.text), _compact(text)
        if want not in got_text:
            at = next(
                (i for i, (x, y) in enumerate(zip(got_text, want, strict=False)) if x != y),
                min(len(got_text), len(want)),
            )
            problems.append(
                f"section {number}: text differs at {at}: {got_text[at - 10 : at + 30]!r}, "
                f"expected {want[at - 10 : at + 30]!r}"
            )
    return problems


@dataclass
class Golden:
    key: str
    agency: str
    year: int
    template: str
    title: str
    facts: dict[Key, Any] = field(default_factory=dict)
    units: dict[Key, str | None] = field(default_factory=dict)
    checks: dict[str, str] = field(default_factory=dict)

    @property
    def tables(self) -> tuple[str, ...]:
        return tuple(sorted({k[0] for k in self.facts}))


def load_golden(key: str) -> Golden:
    """Read tests/fixtures/seeds/<key>/golden.yaml into (table, row, col) facts."""
    data = yaml.safe_load((FIXTURES / key / "golden.yaml").read_text(encoding="utf-8"))
    g = Golden(
        key=data["key"],
        agency=data["agency"],
        year=data["year"],
        template=data["template"],
        title=data["title"],
    )
    for row, (value, unit) in (data.get("legacy_stats") or {}).items():
        g.facts[("legacy_stats", row, "value")] = value
        g.units[("legacy_stats", row, "value")] = unit
    for row, cols in (data.get("active_disclosure") or {}).items():
        for col, value in cols.items():
            g.facts[("active_disclosure", row, col)] = value
    for table in ("applications", "review_litigation"):
        block = dict(data.get(table) or {})
        columns = block.pop("columns", [])
        for row, values in block.items():
            if len(values) != len(columns):
                raise ValueError(
                    f"golden {key}: {table}.{row} has {len(values)} values for {len(columns)} columns"
                )
            for col, value in zip(columns, values, strict=True):
                g.facts[(table, row, col)] = value
    g.checks = {rule: str(want) for rule, want in (data.get("checks") or {}).items()}
    return g


# ------------------------------------------------------------------------------ synthetic reports


def rules_that_must_hold(report, var, fmt: str = "html") -> dict[str, str]:
    """The checks a parse of this synthetic report (mirror.reports.SynthReport) must make and pass."""
    if report.template == "T2008":
        rules = {"legacy_stats.sums": "ok"}
    else:
        rules = {
            "applications.balance": "ok",
            "applications.results_sum": "ok",
            "review_litigation.row_total": "ok",
        }
        if not var.blank_totals:  # with no 总计 printed there is no row total to check
            rules["applications.row_total"] = "ok"
    narrative = "".join(text for _, _, text in report.sections)
    # The narrative's counts are compared with 总计 cells, so they need the 总计 column printed.
    compared = (
        report.template == "T2008" or not var.blank_totals
    ) and fmt != "xlsx"  # a workbook has no prose
    # Counts with a table cell to compare with: 收到…申请N件 (both), 主动公开…N条 (T2008's 主动公开政府信息数).
    stated = r"收到政府信息公开申请\d+件" + (r"|主动公开政府信息\d+条" if report.template == "T2008" else "")
    if compared and re.search(stated, narrative):
        rules["text_vs_table"] = "ok"
    return rules


def _checkable(rule: str, var, rules: dict[str, str]) -> bool:
    """Whether this printing lets a planted inconsistency be seen: a narrative count needs prose and a
    printed 总计 to compare with, a row total a printed 总计."""
    if rule == "text_vs_table":
        return rule in rules
    if rule == "applications.row_total":
        return not var.blank_totals
    return True


def report_problems(report, var, fmt: str, doc: Document) -> list[str]:
    """Everything the parse `doc` of `report` printed with `var` in format `fmt` got wrong: metadata,
    facts (and T2008 units), checks, numbered sections, schema validity."""
    problems: list[str] = []
    got = (doc.agency, doc.year, doc.template, doc.title)
    want = (report.agency, report.year, report.template, report.title)
    if got != want:
        problems.append(f"metadata (agency, year, template, title): got {got}, expected {want}")
    units = report.expected_units(var) if report.template == "T2008" else None
    tables = ("legacy_stats",) if report.template == "T2008" else STAT_TABLES[:3]
    problems += fact_problems(doc, report.expected_facts(var), tables=tables, units=units)
    rules = rules_that_must_hold(report, var, fmt)
    if report.plant_error and _checkable(report.plant_error, var, rules):
        rules[report.plant_error] = "fails"
    problems += check_problems(doc, rules)
    if fmt != "xlsx":  # the statistical workbook holds the tables only
        problems += section_problems(doc, report.expected_sections(var))
    problems += schema_errors(doc)
    return problems
