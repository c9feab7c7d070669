"""The consistency checks of SCHEMA.md, on facts as printed (run_checks is pure)."""

from __future__ import annotations

from parsers.checks import GROUP_LEAVES, run_checks
from parsers.model import Fact

COLS = ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total")


def app(row: str, values) -> list[Fact]:
    return [Fact("applications", row, c, v, str(v)) for c, v in zip(COLS, values, strict=True) if v != "-"]


# The result rows of the template a report prints as zeros (results_sum is checked on whole tables only).
ZERO_RESULT_ROWS = [
    f
    for row in (
        "partially_granted",
        *(f"denied.{leaf}" for leaf in GROUP_LEAVES["denied"]),
        *(f"unable.{leaf}" for leaf in GROUP_LEAVES["unable"]),
        *(f"not_processed.{leaf}" for leaf in GROUP_LEAVES["not_processed"]),
    )
    for f in app(row, [0] * 7)
]


def by(checks, rule):
    return {c.where: c for c in checks if c.rule == rule}


def test_balance_results_and_row_totals_hold_and_fail_as_printed():
    facts = (
        app("new_received", [3, 1, 0, 0, 0, 0, 4])
        + app("carried_over", [1, 0, 0, 0, 0, 0, 1])
        + app("granted", [2, 1, 0, 0, 0, 0, 3])
        + ZERO_RESULT_ROWS
        + app("other", [1, 0, 0, 0, 0, 0, 1])  # T2019: （六） is one row, a leaf
        + app("total_processed", [3, 1, 0, 0, 0, 0, 5])  # 总计 5 but 3+1 = 4 across: a source error
        + app("carried_forward", [1, 0, 0, 0, 0, 0, 1])
    )
    checks = run_checks(facts)
    balance = by(checks, "applications.balance")
    assert balance["natural_person"].ok and balance["natural_person"].expected == 4
    assert not balance["total"].ok and (balance["total"].expected, balance["total"].actual) == (5, 6)
    results = by(checks, "applications.results_sum")
    assert results["natural_person"].ok
    assert not results["total"].ok and (results["total"].expected, results["total"].actual) == (4, 5)
    rows = by(checks, "applications.row_total")
    assert rows["new_received"].ok
    assert not rows["total_processed"].ok and rows["total_processed"].expected == 4
    # A failed check reports the source; the facts are untouched.
    assert [f.value for f in facts if f.row == "total_processed" and f.col == "total"] == [5]


def test_blank_total_is_not_checked_but_blank_parts_count_as_zero():
    facts = app("granted", [None, 1, None, None, None, None, 1]) + app(
        "partially_granted", [1, None, None, None, None, None, None]
    )
    rows = by(run_checks(facts), "applications.row_total")
    assert rows["granted"].ok and rows["granted"].expected == 1
    assert "partially_granted" not in rows


def test_review_litigation_row_total():
    facts = [
        Fact("review_litigation", "litigation_direct", c, v)
        for c, v in zip(("upheld", "corrected", "other", "pending", "total"), (10, 1, 0, 0, 0), strict=True)
    ]
    (check,) = run_checks(facts)
    assert (check.rule, check.where, check.ok, check.expected, check.actual) == (
        "review_litigation.row_total",
        "litigation_direct",
        False,
        11,
        0,
    )


def test_legacy_sums_and_text_vs_table():
    facts = [
        Fact("legacy_stats", "requests.received", "value", 11),
        Fact("legacy_stats", "requests.received.in_person", "value", 0),
        Fact("legacy_stats", "requests.received.fax", "value", 0),
        Fact("legacy_stats", "requests.received.online", "value", 10),
        Fact("legacy_stats", "requests.received.letter", "value", 1),
        Fact("legacy_stats", "staffing.staff", "value", 47),
        Fact("legacy_stats", "staffing.full_time", "value", 3),
        Fact("legacy_stats", "staffing.part_time", "value", 40),
        Fact("legacy_stats", "active.total", "value", 1287),
    ]
    narrative = "2018年，市科委共收到政府信息公开申请12件。主动公开政府信息1287条。"
    checks = run_checks(facts, narrative)
    sums = by(checks, "legacy_stats.sums")
    assert sums["requests.received"].ok
    assert not sums["staffing.staff"].ok and sums["staffing.staff"].expected == 43
    text = by(checks, "text_vs_table")
    assert not text["requests.received"].ok and (
        text["requests.received"].expected,
        text["requests.received"].actual,
    ) == (11, 12)
    assert text["active.total"].ok


def test_no_facts_no_checks():
    assert run_checks([]) == []


def test_fujian_sums_find_their_numbered_label_rows():
    """The Fujian list prints `3.信函、传真申请数` and `4.其他类型答复数`, rows with no schema key: they are
    kept as `label:<printed label>` (numbering included), and the sums find them by normalised label."""

    def legacy(row: str, value: int, cumulative: int) -> list[Fact]:
        return [
            Fact("legacy_stats", row, "value", value),
            Fact("legacy_stats", row, "cumulative", cumulative),
        ]

    facts = (
        legacy("requests.received", 9, 40)
        + legacy("requests.received.in_person", 2, 10)
        + legacy("requests.received.online", 5, 20)
        + legacy("label:3.信函、传真申请数", 2, 9)  # cumulative: 10 + 20 + 9 = 39, not 40
        + legacy("requests.answered", 9, 40)
        + legacy("requests.answered.granted", 6, 30)
        + legacy("requests.answered.partially_granted", 1, 4)
        + legacy("requests.answered.denied", 1, 3)
        + legacy("label:4、其他类型答复数", 1, 3)
    )
    sums = by(run_checks(facts), "legacy_stats.sums")
    assert set(sums) == {
        "requests.received",
        "requests.received:cumulative",
        "requests.answered",
        "requests.answered:cumulative",
    }
    assert sums["requests.received"].ok and sums["requests.received"].expected == 9
    assert not sums["requests.received:cumulative"].ok and sums["requests.received:cumulative"].expected == 39
    assert sums["requests.answered"].ok and sums["requests.answered:cumulative"].ok
