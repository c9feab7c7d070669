"""Re-parse the archive from the raw bytes when the parser changes (`parsers.__version__`).

- Every report version parsed by another parser version (all of them with `all_versions=True`) is
  parsed again from its blob; its document, facts and parser checks are replaced in place (the
  version stands for the same bytes), its search chunks and `cross_year.carry` checks too when it is
  current, and a `reparsed` event records which facts changed (and `identity_changed` when the new
  parse gives another agency or year: the report is not moved, an operator decides). If the new
  parser fails on bytes the old one read, the old parse is kept and the event says so
  (`reparse_failed`).
- Every fetch whose parse failed under another parser version is tried again; one that now parses
  becomes a report version like any new capture.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import or_, select

import parsers
from parsers.errors import ParseError
from storage.archive import Archive, Run
from storage.models import EVENT_REPARSED, Event, Fetch, Report, ReportVersion, ReportVersionFetch, utcnow
from storage.reports import content_key, fact_changes, identity_key, write_derived_rows


@dataclass(slots=True)
class ReparseItem:
    kind: str  # version | fetch
    id: int
    outcome: str  # updated | unchanged | failed | parsed | still_failing
    message: str = ""


@dataclass(slots=True)
class ReparseSummary:
    run_id: int
    parser_version: str
    items: list[ReparseItem] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for i in self.items if i.outcome == outcome)

    def stats(self) -> dict[str, int]:
        return {k: self.count(k) for k in ("updated", "unchanged", "failed", "parsed", "still_failing")}


def reparse(
    archive: Archive, *, all_versions: bool = False, on_item: Callable[[ReparseItem], None] | None = None
) -> ReparseSummary:
    archive.ensure_writable()
    current = parsers.__version__
    run = archive.open_run("reparse", args={"all": all_versions, "parser_version": current})
    summary = ReparseSummary(run.id, current)

    def note(item: ReparseItem) -> None:
        summary.items.append(item)
        if on_item is not None:
            on_item(item)

    with archive.db.session() as s:
        versions = select(ReportVersion.id).order_by(ReportVersion.id)
        failed = select(Fetch.id).where(Fetch.parse_status == "failed").order_by(Fetch.id)
        if not all_versions:
            versions = versions.where(ReportVersion.parser_version != current)
            failed = failed.where(or_(Fetch.parser_version.is_(None), Fetch.parser_version != current))
        version_ids = list(s.scalars(versions))
        failed_fetches = list(s.scalars(failed))
    try:
        for vid in version_ids:
            note(_reparse_version(archive, run, vid))
        for fid in failed_fetches:
            note(_retry_fetch(archive, run, fid))
    except BaseException as exc:
        archive.close_run(run, status="failed", stats=summary.stats(), error=f"{type(exc).__name__}: {exc}")
        raise
    archive.close_run(run, stats=summary.stats())
    return summary


def _reparse_version(archive: Archive, run: Run, version_id: int) -> ReparseItem:
    with archive.db.session() as s:
        v = s.get(ReportVersion, version_id)
        assert v is not None
        fetch = s.get(Fetch, v.parsed_fetch_id)
        assert fetch is not None
        sha256, media_type, url, old_parser = v.sha256, fetch.media_type, fetch.final_url, v.parser_version
    try:
        doc = parsers.parse(archive.read_blob(sha256), media_type, url)
    except Exception as exc:  # ParseError or a parser bug: keep the old parse, say why
        reason = exc.reason if isinstance(exc, ParseError) else f"{type(exc).__name__}: {exc}"
        archive.record_event(
            run,
            "reparse_failed",
            version_id=version_id,
            detail={"error": reason, "kept_parser_version": old_parser},
        )
        return ReparseItem("version", version_id, "failed", reason)

    with archive.db.session(write=True) as s:
        v = s.get(ReportVersion, version_id)
        report = s.get(Report, v.report_id)
        assert v is not None and report is not None
        changes = fact_changes(s, v.id, doc)
        attachments = s.scalars(
            select(Fetch.sha256)
            .join(ReportVersionFetch, ReportVersionFetch.fetch_id == Fetch.id)
            .where(ReportVersionFetch.version_id == v.id, ReportVersionFetch.role == "attachment")
        )
        new_key = content_key(doc, [a for a in attachments if a and a != v.sha256])
        clash = s.scalar(
            select(ReportVersion.id).where(
                ReportVersion.report_id == v.report_id,
                ReportVersion.content_key == new_key,
                ReportVersion.id != v.id,
            )
        )
        if clash is None:
            # So that a later capture of the same bytes, parsed by this parser, is recognised.
            v.content_key = new_key
        v.document = doc.to_dict()
        v.parser_version = doc.parser_version
        v.template, v.title, v.agency, v.year = doc.template, doc.title, doc.agency, doc.year
        v.parsed_at = utcnow()
        write_derived_rows(s, v, doc, report, replaced=None, current=v.status == "current")
        detail = {"old_parser_version": old_parser, "new_parser_version": doc.parser_version, **changes}
        old_identity = report.identity_key
        new_identity = identity_key(doc, new_key)
        if not old_identity.startswith("content:") and new_identity != old_identity:
            detail["identity_changed"] = {"stored": old_identity, "parsed_now": new_identity}
        if v.status == "current":
            report.title = doc.title or report.title
        s.flush()
        s.add(
            Event(
                kind=EVENT_REPARSED,
                occurred_at=utcnow(),
                run_id=run.id,
                source_id=report.source_id,
                report_id=report.id,
                version_id=v.id,
                detail=detail,
            )
        )
    outcome = "updated" if changes["fact_changes_total"] else "unchanged"
    return ReparseItem("version", version_id, outcome, f"{changes['fact_changes_total']} facts changed")


def _retry_fetch(archive: Archive, run: Run, fetch_id: int) -> ReparseItem:
    row = archive.fetch_row(fetch_id)
    assert row.sha256 is not None
    try:
        doc = parsers.parse(archive.read_blob(row.sha256), row.media_type, row.final_url)
    except Exception as exc:
        archive.record_parse_error(fetch_id, exc)
        reason = exc.reason if isinstance(exc, ParseError) else f"{type(exc).__name__}: {exc}"
        return ReparseItem("fetch", fetch_id, "still_failing", reason)
    stored = archive.store_report(run, doc, page=fetch_id)
    return ReparseItem("fetch", fetch_id, "parsed", f"{stored.outcome} report {stored.report_id}")
