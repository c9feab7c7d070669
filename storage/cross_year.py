"""The `cross_year.carry` check, which needs two reports and so lives with the archive, not the parser.

Per column of table 三 (applications): this year's 上年结转 (`carried_over`) must equal the same
agency's previous year's 结转下年度继续办理 (`carried_forward`). When a version becomes current the
check is computed against the previous year's current version, and the next year's current version
(if already archived) is re-checked against this one. Columns blank on either side are not compared.

Both neighbours are found with one query and their values with another; this version's own values come
from its document (the facts just written are the document's).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import bindparam, delete, insert, select
from sqlalchemy.orm import Session

from storage.models import CheckResult, Fact, Report, ReportVersion

RULE = "cross_year.carry"
_ROWS = ("carried_over", "carried_forward")
_F, _R, _V, _C = Fact.__table__, Report.__table__, ReportVersion.__table__, CheckResult.__table__
# Built once: they run for every report stored (see storage/report_rows.py).
# One version at a time, by `version_id`: asked for several versions at once (`IN`), SQLite chose the
# (table, row, col) index instead and read the carry rows of every report (measured: 2 ms per report
# stored at 5,000 reports, growing).
_STORED_VALUES = (
    select(_F.c.row_key, _F.c.col_key, _F.c.value)
    .where(
        _F.c.version_id == bindparam("version_id"),
        _F.c.table_key == "applications",
        _F.c.row_key.in_(_ROWS),
    )
    .order_by(_F.c.id)
)
_NEAR = (
    select(_V.c.id, _R.c.year, _R.c.source_id)
    .join(_R, _R.c.id == _V.c.report_id)
    .where(
        _R.c.agency == bindparam("agency"),
        _R.c.year.in_(bindparam("years", expanding=True)),
        _V.c.status == "current",
        _R.c.status != "superseded",
    )
    .order_by(_R.c.last_seen.desc())
)
_DELETE_CARRY = delete(_C).where(_C.c.version_id == bindparam("version_id"), _C.c.rule == RULE)
_INSERT_CHECKS = insert(_C)


def _values_of_facts(facts: Iterable[Any], row_key: str) -> dict[str, float]:
    """col -> value of table 三's `row_key` row, from a document's facts (the last of duplicates wins,
    as when read back from the rows written in that order)."""
    return {
        f.col: f.value
        for f in facts
        if f.table == "applications" and f.row == row_key and f.value is not None
    }


def _stored_values(s: Session, version_ids: list[int]) -> dict[tuple[int, str], dict[str, float]]:
    """(version_id, row_key) -> {col: value} of table 三's carry rows of these stored versions."""
    out: dict[tuple[int, str], dict[str, float]] = {}
    if not version_ids:
        return out
    conn = s.connection()
    for version_id in dict.fromkeys(version_ids):
        for row_key, col, value in conn.execute(_STORED_VALUES, {"version_id": version_id}):
            if value is not None:
                out.setdefault((version_id, row_key), {})[col] = value
    return out


def _current_versions_near(s: Session, agency: str, year: int, prefer_source: int) -> dict[int, int]:
    """year -> id of the current version of `agency`'s report for year-1 and year+1 (the one in
    `prefer_source` if there is one, else the most recently seen)."""
    candidates = s.connection().execute(_NEAR, {"agency": agency, "years": [year - 1, year + 1]}).all()
    chosen: dict[int, int] = {}
    preferred: dict[int, int] = {}
    for version_id, y, source_id in candidates:
        chosen.setdefault(y, version_id)
        if source_id == prefer_source:
            preferred.setdefault(y, version_id)
    return {**chosen, **preferred}


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


def _replace_checks(
    s: Session,
    version_id: int,
    year: int,
    other_id: int | None,
    carried_over: dict[str, float],
    last_carried_forward: dict[str, float],
    *,
    had_checks: bool = True,
) -> None:
    """Replace `version_id`'s cross_year.carry results with a comparison against version `other_id`."""
    if had_checks:
        s.connection().execute(_DELETE_CARRY, {"version_id": version_id})
    if other_id is None:
        return
    rows = carry_checks(year, carried_over, last_carried_forward)
    if rows:
        s.connection().execute(
            _INSERT_CHECKS,
            [
                {**r, "version_id": version_id, "origin": "archive", "other_version_id": other_id}
                for r in rows
            ],
        )


def check_pair(s: Session, version: Any, year: int, previous: Any | None) -> None:
    """Replace `version`'s cross_year.carry results with a comparison against `previous` (both stored)."""
    ids = [version.id] + ([previous.id] if previous is not None else [])
    values = _stored_values(s, ids)
    _replace_checks(
        s,
        version.id,
        year,
        previous.id if previous is not None else None,
        values.get((version.id, "carried_over"), {}),
        values.get((previous.id, "carried_forward"), {}) if previous is not None else {},
    )


def refresh_cross_year(
    s: Session, version: Any, report: Any, facts: Iterable[Any] | None = None, *, fresh: bool = False
) -> None:
    """The carry checks of a version that just became current, and of the next year's current version.

    `facts`: the version's facts (its document's), read from the archive when not given. `fresh`: the
    version was just created, so it has no carry results to replace yet."""
    if not report.agency or not report.year:
        return
    year = report.year
    near = _current_versions_near(s, report.agency, year, report.source_id)
    previous, following = near.get(year - 1), near.get(year + 1)
    wanted = [v for v in (previous, following) if v is not None]
    if facts is None:
        wanted.append(version.id)
    stored = _stored_values(s, wanted)
    if facts is not None:
        facts = list(facts)
        own = {row: _values_of_facts(facts, row) for row in _ROWS}
    else:
        own = {row: stored.get((version.id, row), {}) for row in _ROWS}
    _replace_checks(
        s,
        version.id,
        year,
        previous,
        own["carried_over"],
        stored.get((previous, "carried_forward"), {}) if previous is not None else {},
        had_checks=not fresh,
    )
    if following is not None:
        _replace_checks(
            s,
            following,
            year + 1,
            version.id,
            stored.get((following, "carried_over"), {}),
            own["carried_forward"],
        )
