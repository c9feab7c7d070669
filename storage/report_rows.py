"""The rows behind `storage/reports.py`: reports, versions, their fetches, URLs and events, read and written
with statements built once.

`store_report` runs a dozen statements per report, in the writer's transaction (SQLite has one writer at a
time, so this is time every other writer waits). Built anew and sent through the ORM session, a statement
costs ~100 µs of Python before the database sees it; built once, with bound parameters, and executed on
the session's connection it costs ~15 µs. The rules stay in `storage/reports.py`; this module only knows
the SQL. Nothing here loads ORM objects, so nothing goes stale in the session's identity map.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from storage.db import insert_ignore_many
from storage.models import (
    Agency,
    Event,
    Fetch,
    Report,
    ReportUrl,
    ReportVersion,
    ReportVersionFetch,
    UTCDateTime,
)

F = Fetch.__table__
R = Report.__table__
V = ReportVersion.__table__
RVF = ReportVersionFetch.__table__
RU = ReportUrl.__table__
E = Event.__table__


def _when(name: str) -> Any:
    return bindparam(name, type_=UTCDateTime())


@dataclass(slots=True)
class FetchRow:
    id: int
    url: str
    final_url: str
    sha256: str | None
    source_id: int | None


@dataclass(slots=True)
class ReportRow:
    """What the rules need of a report."""

    id: int
    source_id: int
    agency: str | None
    year: int | None
    status: str
    title: str | None


@dataclass(slots=True)
class VersionRow:
    id: int
    report_id: int
    status: str
    is_correction: bool


_FETCHES = select(F.c.id, F.c.url, F.c.final_url, F.c.sha256, F.c.source_id).where(
    F.c.id.in_(bindparam("ids", expanding=True))
)
_REPORT_COLUMNS = (R.c.id, R.c.source_id, R.c.agency, R.c.year, R.c.status, R.c.title)
_REPORT_BY_IDENTITY = (
    select(*_REPORT_COLUMNS)
    .where(R.c.source_id == bindparam("source_id"), R.c.identity_key == bindparam("identity"))
    .limit(1)
)
_REPORT_BY_CONTENT = (
    select(*_REPORT_COLUMNS)
    .join(V, V.c.report_id == R.c.id)
    .where(R.c.identity_key == bindparam("identity"), V.c.content_key == bindparam("content_key"))
    .limit(1)
)
_VERSION_COLUMNS = (V.c.id, V.c.report_id, V.c.status, V.c.is_correction)
_VERSION_BY_CONTENT = select(*_VERSION_COLUMNS).where(
    V.c.report_id == bindparam("report_id"), V.c.content_key == bindparam("content_key")
)
_CURRENT_VERSION = select(*_VERSION_COLUMNS).where(
    V.c.report_id == bindparam("report_id"), V.c.status == "current"
)
_LAST_NUMBER = select(func.max(V.c.number)).where(V.c.report_id == bindparam("report_id"))
_INSERT_VERSION = insert(V).returning(V.c.id)
# (Bound names in UPDATE statements must not be column names: hence the `b_`.)
_VERSION_SEEN = update(V).where(V.c.id == bindparam("b_version")).values(last_seen=_when("b_now"))
_VERSION_STATUS = update(V).where(V.c.id == bindparam("b_version")).values(status=bindparam("b_status"))
_REPORT_SEEN = (
    update(R)
    .where(R.c.id == bindparam("b_report"))
    .values(last_seen=_when("b_now"), last_seen_run_id=bindparam("b_run"), missing_runs=0)
)
_FETCH_PARSED = (
    update(F)
    .where(F.c.id == bindparam("b_fetch"))
    .values(
        parse_status="parsed",
        parse_error=None,
        parse_error_kind=None,
        parser_version=bindparam("b_parser_version"),
        parsed_at=_when("b_now"),
    )
)
_INSERT_EVENT = insert(E).returning(E.c.id)
_INSERT_LINKS = insert(RVF)
_KNOWN_URLS = select(RU.c.url).where(
    RU.c.report_id == bindparam("report_id"), RU.c.url.in_(bindparam("urls", expanding=True))
)
_URL_SEEN = (
    update(RU)
    .where(RU.c.report_id == bindparam("b_report"), RU.c.url == bindparam("b_url"))
    .values(last_seen=_when("b_now"), last_fetch_id=bindparam("b_fetch"))
)
_INSERT_URLS = insert(RU)
# Insert-or-ignore statements differ per dialect: built on first use.
_per_dialect: dict[tuple[str, str], Any] = {}


def _ignoring(s: Session, name: str) -> Any:
    dialect = s.get_bind().dialect.name
    stmt = _per_dialect.get((dialect, name))
    if stmt is None:
        if name == "report":
            stmt = insert_ignore_many(s, Report, ["source_id", "identity_key"]).returning(R.c.id)
        elif name == "link":
            stmt = insert_ignore_many(s, ReportVersionFetch, ["version_id", "fetch_id"])
        else:
            stmt = insert_ignore_many(s, Agency, ["name"])
        _per_dialect[(dialect, name)] = stmt
    return stmt


def fetch_rows(s: Session, ids: list[int]) -> dict[int, FetchRow]:
    rows = s.connection().execute(_FETCHES, {"ids": sorted(set(ids))})
    return {r[0]: FetchRow(*r) for r in rows}


def report_by_identity(s: Session, source_id: int, identity: str) -> ReportRow | None:
    row = s.connection().execute(_REPORT_BY_IDENTITY, {"source_id": source_id, "identity": identity}).first()
    return ReportRow(*row) if row is not None else None


def report_by_content(s: Session, identity: str, content_key: str) -> ReportRow | None:
    """A report with this identity holding a version of this content, in any source."""
    row = (
        s.connection().execute(_REPORT_BY_CONTENT, {"identity": identity, "content_key": content_key}).first()
    )
    return ReportRow(*row) if row is not None else None


def insert_report(s: Session, values: dict[str, Any]) -> int | None:
    """The new report's id; None when another writer created the same identity first."""
    return s.connection().execute(_ignoring(s, "report"), values).scalar()


def update_report(s: Session, report_id: int, **values: Any) -> None:
    s.connection().execute(update(R).where(R.c.id == report_id).values(**values))


def report_seen(s: Session, report_id: int, run_id: int, now: Any) -> None:
    s.connection().execute(_REPORT_SEEN, {"b_report": report_id, "b_run": run_id, "b_now": now})


def version_by_content(s: Session, report_id: int, content_key: str) -> VersionRow | None:
    row = (
        s.connection()
        .execute(_VERSION_BY_CONTENT, {"report_id": report_id, "content_key": content_key})
        .first()
    )
    return VersionRow(*row) if row is not None else None


def current_version(s: Session, report_id: int) -> VersionRow | None:
    row = s.connection().execute(_CURRENT_VERSION, {"report_id": report_id}).first()
    return VersionRow(*row) if row is not None else None


def next_version_number(s: Session, report_id: int) -> int:
    return (s.connection().execute(_LAST_NUMBER, {"report_id": report_id}).scalar() or 0) + 1


def insert_version(s: Session, values: dict[str, Any]) -> VersionRow:
    version_id = s.connection().execute(_INSERT_VERSION, values).scalar_one()
    return VersionRow(version_id, values["report_id"], values["status"], values["is_correction"])


def version_seen(s: Session, version_id: int, now: Any) -> None:
    s.connection().execute(_VERSION_SEEN, {"b_version": version_id, "b_now": now})


def set_version_status(s: Session, version_id: int, status: str) -> None:
    s.connection().execute(_VERSION_STATUS, {"b_version": version_id, "b_status": status})


def mark_parsed(s: Session, fetch_id: int, parser_version: str, now: Any) -> None:
    s.connection().execute(
        _FETCH_PARSED, {"b_fetch": fetch_id, "b_parser_version": parser_version, "b_now": now}
    )


def add_agency(s: Session, name: str, now: Any) -> None:
    s.connection().execute(_ignoring(s, "agency"), {"name": name, "first_seen": now})


def insert_event(s: Session, values: dict[str, Any]) -> int:
    return s.connection().execute(_INSERT_EVENT, values).scalar_one()


def link_fetches(
    s: Session,
    version: VersionRow,
    links: list[tuple[FetchRow, str]],
    now: Any,
    *,
    new_version: bool,
    new_report: bool,
) -> None:
    """The version's fetches (page, attachments) and the report's URLs (first seen, last seen, last fetch).

    A new version has no fetch links yet and a new report no URLs: their rows are only inserted."""
    conn = s.connection()
    roles: dict[int, str] = {}
    for fetch, role in links:
        roles.setdefault(fetch.id, role)
    rows = [{"version_id": version.id, "fetch_id": fid, "role": role} for fid, role in roles.items()]
    conn.execute(_INSERT_LINKS if new_version else _ignoring(s, "link"), rows)
    # Each URL once: the role of its first link, the fetch of its last.
    urls: dict[str, list[Any]] = {}
    for fetch, role in links:
        for url in dict.fromkeys((fetch.final_url, fetch.url)):
            if url in urls:
                urls[url][1] = fetch.id
            else:
                urls[url] = [role, fetch.id]
    known: set[str] = set()
    if not new_report:
        known = set(conn.execute(_KNOWN_URLS, {"report_id": version.report_id, "urls": list(urls)}).scalars())
    if known:
        conn.execute(
            _URL_SEEN,
            [{"b_report": version.report_id, "b_url": u, "b_now": now, "b_fetch": urls[u][1]} for u in known],
        )
    fresh = [
        {
            "report_id": version.report_id,
            "url": url,
            "role": role,
            "first_seen": now,
            "last_seen": now,
            "last_fetch_id": fetch_id,
        }
        for url, (role, fetch_id) in urls.items()
        if url not in known
    ]
    if fresh:
        conn.execute(_INSERT_URLS, fresh)


def delete_for_version(s: Session, model: type, version_id: int, **where: Any) -> None:
    """Delete a version's derived rows (facts, parser checks) before they are written again."""
    table = model.__table__  # type: ignore[attr-defined]
    clauses = [table.c.version_id == version_id, *(table.c[k] == v for k, v in where.items())]
    s.connection().execute(delete(table).where(*clauses))
