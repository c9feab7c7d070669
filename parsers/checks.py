"""The consistency rules of docs/SCHEMA.md, run on the values as printed.

A failed check is a finding about the source, never a reason to change a value. A check is made only
where the report prints what it needs; a blank cell counts as 0 (blank-for-zero is how many reports
print zeros), except that a blank total is not checked against printed parts.
`cross_year.carry` needs last year's report and is run by the storage layer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from parsers.model import Check, Fact, Number
from parsers.normalize import label_key

APP_COLS = (
    "natural_person",
    "commercial",
    "research",
    "social_welfare",
    "legal_service",
    "other_org",
    "total",
    "legal_person",
)
ORGS = ("commercial", "research", "social_welfare", "legal_service", "other_org")
GROUP_LEAVES = {
    "denied": (
        "state_secret",
        "prohibited_by_law",
        "three_safeties",
        "third_party",
        "internal_affairs",
        "process_info",
        "enforcement_file",
        "query_matter",
    ),
    "unable": ("not_held", "needs_creation", "unclear"),
    "not_processed": ("petition", "duplicate", "publication", "excessive", "reconfirm"),
    "other": ("overdue_correction", "overdue_fee", "other"),
}
REVIEW_PARTS = ("upheld", "corrected", "other", "pending")

# T2008 parents and their printed parts; a rule may list alternative part sets (the Fujian list
# prints 信函、传真 as one row).
LEGACY_SUMS: list[tuple[str, list[tuple[str, ...]]]] = [
    (
        "requests.received",
        [
            (
                "requests.received.in_person",
                "requests.received.fax",
                "requests.received.online",
                "requests.received.letter",
            ),
            ("requests.received.in_person", "requests.received.online", "label:信函、传真申请数"),
        ],
    ),
    ("requests.closed", [("requests.closed.on_time", "requests.closed.extended")]),
    (
        "requests.answered",
        [
            (
                "requests.answered.already_public",
                "requests.answered.granted",
                "requests.answered.partially_granted",
                "requests.answered.denied",
                "requests.answered.not_this_agency",
                "requests.answered.not_exist",
                "requests.answered.correction_requested",
                "requests.answered.other_channel",
            ),
            (
                "requests.answered.granted",
                "requests.answered.partially_granted",
                "requests.answered.denied",
                "label:其他类型答复数",
            ),
        ],
    ),
    (
        "requests.answered.denied",
        [
            (
                "requests.denied.state_secret",
                "requests.denied.commercial_secret",
                "requests.denied.privacy",
                "requests.denied.security_stability",
                "requests.denied.not_government_info",
                "requests.denied.other_law",
            ),
        ],
    ),
    ("review.total", [("review.upheld", "review.corrected", "review.other")]),
    ("litigation.total", [("litigation.upheld", "litigation.corrected", "litigation.other")]),
    ("staffing.staff", [("staffing.full_time", "staffing.part_time")]),
]


class _Facts:
    def __init__(self, facts: Iterable[Fact]):
        self.by_key = {(f.table, f.row, f.col): f for f in facts}
        # `label:` rows by their normalised label, so that a rule naming `label:信函、传真申请数` finds
        # `label:3.信函、传真申请数` or `label:3、信函传真申请数`.
        self.by_label = {
            (f.table, "label:" + label_key(f.row[6:]), f.col): f
            for f in self.by_key.values()
            if f.row.startswith("label:")
        }

    def has(self, table: str, row: str, col: str) -> bool:
        return (table, row, col) in self.by_key

    def get(self, table: str, row: str, col: str) -> Fact | None:
        if row.startswith("label:"):
            return self.by_label.get((table, "label:" + label_key(row[6:]), col))
        return self.by_key.get((table, row, col))

    def rows(self, table: str) -> list[str]:
        return list(dict.fromkeys(r for (t, r, _c) in self.by_key if t == table))


def _v(f: Fact | None) -> Number:
    return 0 if f is None or f.value is None else f.value


def _eq(a: Number, b: Number) -> bool:
    return abs(a - b) < 1e-6


class _Out(list):
    """The checks made, and beside them the facts each was made on (for `checks_on`)."""

    def __init__(self) -> None:
        super().__init__()
        self.facts: list[list[Fact]] = []

    def add(self, check: Check, facts: Iterable[Fact | None]) -> None:
        self.append(check)
        self.facts.append([f for f in facts if f is not None])


def _check(
    out: _Out, rule: str, where: str, expected: Number, actual: Number, facts: Iterable[Fact | None]
) -> None:
    expected, actual = _tidy(expected), _tidy(actual)
    check = Check(rule=rule, ok=_eq(expected, actual), where=where, expected=expected, actual=actual)
    out.add(check, facts)


def _tidy(x: Number) -> Number:
    if isinstance(x, float):
        x = round(x, 6)
        if x.is_integer():
            return int(x)
    return x


def run_checks(facts: list[Fact], narrative: str = "") -> list[Check]:
    return list(_run(facts, narrative))


def checks_on(facts: list[Fact]) -> list[tuple[Check, list[Fact]]]:
    """The table rules (not the narrative's) with the facts each was made on: which printed values a
    failed rule puts in doubt, and which a rule that holds confirms."""
    out = _run(facts, "")
    return list(zip(out, out.facts, strict=True))


def _run(facts: list[Fact], narrative: str) -> _Out:
    fx = _Facts(facts)
    out = _Out()
    _applications(fx, out)
    _review(fx, out)
    _legacy(fx, out)
    _text_vs_table(fx, narrative, out)
    return out


def _applications(fx: _Facts, out: _Out) -> None:
    t = "applications"
    rows = fx.rows(t)
    if not rows:
        return
    cols = [c for c in APP_COLS if any(fx.has(t, r, c) for r in rows)]
    for col in cols:
        parts = [
            fx.get(t, r, col) for r in ("new_received", "carried_over", "total_processed", "carried_forward")
        ]
        if all(p is not None for p in parts) and not _blank_total(parts[2:], parts[:2]):
            _check(
                out,
                "applications.balance",
                col,
                _v(parts[0]) + _v(parts[1]),
                _v(parts[2]) + _v(parts[3]),
                parts,
            )
    # A sum is checked only on a whole set of parts: a part the parser left out (a cell it could not
    # read) would make a sum the source keeps look broken. The rows a column must hold are those the
    # table prints in any column.
    leaves_of = {col: _result_leaves(fx, col) for col in cols}
    every_leaf = {f.row for col in cols for f in leaves_of[col]}
    for col in cols:
        total = fx.get(t, "total_processed", col)
        if total is None:
            continue
        leaves = leaves_of[col]
        if {f.row for f in leaves} != every_leaf or not _whole_template(every_leaf):
            continue
        if leaves and not _blank_total([total], leaves):
            _check(
                out, "applications.results_sum", col, sum(_v(f) for f in leaves), _v(total), [*leaves, total]
            )
    for row in rows:
        total = fx.get(t, row, "total")
        natural = fx.get(t, row, "natural_person")
        orgs = [fx.get(t, row, c) for c in ORGS]
        present = [f for f in orgs if f is not None]
        legal = fx.get(t, row, "legal_person")
        if total is None or natural is None:
            continue
        if len(present) == len(ORGS):
            parts = [natural, *present]
        else:
            parts = [natural, legal] if not present and legal is not None else []
        if parts and not _blank_total([total], parts):
            _check(out, "applications.row_total", row, sum(_v(f) for f in parts), _v(total), [*parts, total])
        if legal is not None and len(present) == len(ORGS) and not _blank_total([legal], present):
            _check(
                out,
                "applications.group_subtotal",
                f"{row}:legal_person",
                sum(_v(f) for f in present),
                _v(legal),
                [*present, legal],
            )
    for group, leaves in GROUP_LEAVES.items():
        printed = {f"{group}.{leaf}" for leaf in leaves if any(fx.has(t, f"{group}.{leaf}", c) for c in cols)}
        for col in cols:
            sub = fx.get(t, group, col)
            parts = [f for leaf in leaves if (f := fx.get(t, f"{group}.{leaf}", col)) is not None]
            if {f.row for f in parts} != printed:
                continue
            if sub is not None and parts and not _blank_total([sub], parts):
                _check(
                    out,
                    "applications.group_subtotal",
                    f"{group}:{col}",
                    sum(_v(f) for f in parts),
                    _v(sub),
                    [*parts, sub],
                )


def _result_leaves(fx: _Facts, col: str) -> list[Fact]:
    t = "applications"
    leaves = [f for r in ("granted", "partially_granted") if (f := fx.get(t, r, col)) is not None]
    for group, names in GROUP_LEAVES.items():
        parts = [f for n in names if (f := fx.get(t, f"{group}.{n}", col)) is not None]
        if parts:
            leaves.extend(parts)
        elif (sub := fx.get(t, group, col)) is not None:
            leaves.append(sub)  # a group printed only as its subtotal (T2019's single （六）其他处理 row)
    return leaves


def _whole_template(rows: set[str]) -> bool:
    """Every result row of the template is there: granted, partially granted, and each group whole (all
    its sub-rows, or only its subtotal). A row missing from every column is one the parser left out (a
    label it could not read), not one the report lacks: a sum without it would look broken."""
    if not {"granted", "partially_granted"} <= rows:
        return False
    for group, names in GROUP_LEAVES.items():
        parts = {f"{group}.{n}" for n in names}
        if not (parts <= rows or (not parts & rows and group in rows)):
            return False
    return True


def _blank_total(totals: list[Fact | None], parts: list[Fact | None]) -> bool:
    """A blank total with printed parts: the report did not print the total, nothing to check."""
    return any(f is not None and f.value is None for f in totals) and any(
        f is not None and f.value is not None for f in parts
    )


def _review(fx: _Facts, out: _Out) -> None:
    t = "review_litigation"
    for row in ("review", "litigation_direct", "litigation_after_review"):
        total = fx.get(t, row, "total")
        parts = [f for c in REVIEW_PARTS if (f := fx.get(t, row, c)) is not None]
        if total is not None and len(parts) == len(REVIEW_PARTS) and not _blank_total([total], parts):
            _check(
                out, "review_litigation.row_total", row, sum(_v(f) for f in parts), _v(total), [*parts, total]
            )


def _legacy(fx: _Facts, out: _Out) -> None:
    t = "legacy_stats"
    for col in ("value", "cumulative"):
        for parent, options in LEGACY_SUMS:
            total = fx.get(t, parent, col)
            if total is None:
                continue
            best: list[Fact] = []
            for option in options:
                parts = [f for k in option if (f := fx.get(t, k, col)) is not None]
                if len(parts) == len(option) and len(parts) > len(best):
                    best = parts
            if len(best) >= 2 and not _blank_total([total], best):
                where = parent if col == "value" else f"{parent}:cumulative"
                _check(out, "legacy_stats.sums", where, sum(_v(f) for f in best), _v(total), [*best, total])


# Counts the narrative states, and the table cell each must agree with.
_NARRATIVE = [
    (
        re.compile(
            r"(?:收到|受理|接收|新收)[^，。；、：:]{0,12}?(?:申请|依申请公开)(?:共计|总计|合计|共)?(\d+)件"
        ),
        [("applications", "new_received", "total"), ("legacy_stats", "requests.received", "value")],
    ),
    (
        re.compile(
            r"(?:(\d+)件结转(?:至)?下(?:一)?年度|结转(?:至)?下(?:一)?年度(?:继续)?(?:办理)?(?:的)?(?:申请)?(\d+)件)"
        ),
        [("applications", "carried_forward", "total")],
    ),
    (
        re.compile(r"主动公开(?:政府)?信息(?:共计|总计|合计|共)?(\d+)条"),
        [("legacy_stats", "active.total", "value")],
    ),
]


def _text_vs_table(fx: _Facts, narrative: str, out: _Out) -> None:
    if not narrative:
        return
    text = re.sub(r"\s+", "", narrative)
    for pattern, targets in _NARRATIVE:
        m = pattern.search(text)
        if not m:
            continue
        stated = int(next(g for g in m.groups() if g))
        for table, row, col in targets:
            f = fx.get(table, row, col)
            if f is None or f.value is None:
                continue
            check = Check(
                rule="text_vs_table",
                ok=_eq(stated, f.value),
                where=row if table == "legacy_stats" else f"{row}.{col}",
                expected=_tidy(f.value),
                actual=stated,
                message=f"the text says {m.group(0)!r}",
            )
            out.add(check, [f])
            break
