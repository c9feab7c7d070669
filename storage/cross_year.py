"""The `cross_year.carry` check, which needs two reports and so lives with the archive, not the parser.

Per column of table 三 (applications): this year's 上年结转 (`carried_over`) must equal the same
agency's previous year's 结转下年度继续办理 (`carried_forward`). When a version becomes current the
check is computed against the previous year's current version, and the next year's current version
(if already archived) is re-checked against this one. Columns blank on either side are not compared.
"""

from __future__ import annotations

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from storage.models import CheckResult, Fact, Report, ReportVersion

RULE = "cross_year.carry"


def _row_values(s: Session, version_id: int, row_key: str) -> dict[str, float]:
    rows = s.execute(
        select(Fact.col_key, Fact.value).where(
            Fact.version_id == version_id, Fact.table_key == "applications", Fact.row_key == row_key
        )
    )
    return {col: value for col, value in rows if value is not None}


def _current_version_of(s: Session, agency: str, year: int, prefer_source: int) -> ReportVersion | None:
    candidates = s.execute(
        select(ReportVersion, Report.source_id)
        .join(Report, Report.id == ReportVersion.report_id)
        .where(
            Report.agency == agency,
            Report.year == year,
            ReportVersion.status == "current",
            Report.status != "superseded",
        )
        .order_by(Report.last_seen.desc())
    ).all()
    for version, source_id in candidates:
        if source_id == prefer_source:
            return version
    return candidates[0][0] if candidates else None


def carry_checks(
    this_year: int, carried_over: dict[str, float], last_carried_forward: dict[str, float]
) -> list[dict]:
    out = []
    for col in sorted(set(carried_over) & set(last_carried_forward)):
        expected, actual = last_carried_forward[col], carried_over[col]
        out.append(
            {
                "rule": RULE,
                "where": col,
                "ok": expected == actual,
                "expected": expected,
                "actual": actual,
                "message": None
                if expected == actual
                else f"{this_year}年上年结转 {actual:g}，{this_year - 1}年结转下年度 {expected:g}",
            }
        )
    return out


def check_pair(s: Session, version: ReportVersion, year: int, previous: ReportVersion | None) -> None:
    """Replace `version`'s cross_year.carry results with a comparison against `previous`."""
    s.execute(delete(CheckResult).where(CheckResult.version_id == version.id, CheckResult.rule == RULE))
    if previous is None:
        return
    rows = carry_checks(
        year, _row_values(s, version.id, "carried_over"), _row_values(s, previous.id, "carried_forward")
    )
    if rows:
        s.execute(
            insert(CheckResult),
            [
                {**r, "version_id": version.id, "origin": "archive", "other_version_id": previous.id}
                for r in rows
            ],
        )


def refresh_cross_year(s: Session, version: ReportVersion, report: Report) -> None:
    if not report.agency or not report.year:
        return
    previous = _current_version_of(s, report.agency, report.year - 1, report.source_id)
    check_pair(s, version, report.year, previous)
    following = _current_version_of(s, report.agency, report.year + 1, report.source_id)
    if following is not None:
        check_pair(s, following, report.year + 1, version)
