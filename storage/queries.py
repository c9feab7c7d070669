"""Read-side queries for people: one report with its whole provenance (`show`), and the archive's
state (`status`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from storage.blobs import BlobStore
from storage.db import Database
from storage.models import (
    Blob,
    CheckResult,
    Chunk,
    CrawlRun,
    Event,
    Fact,
    Fetch,
    Report,
    ReportUrl,
    ReportVersion,
    ReportVersionFetch,
    Source,
)
from storage.settings import Settings
from storage.warc import disk_usage, warc_files


def number(value: float | None) -> int | float | None:
    """Integers come back from the Float column as 22.0; show them as 22."""
    if value is not None and float(value).is_integer():
        return int(value)
    return value


def _iso(moment) -> str | None:  # noqa: ANN001
    return moment.isoformat() if moment is not None else None


def _fetch_dict(f: Fetch, role: str | None = None) -> dict[str, Any]:
    return {
        "fetch_id": f.id,
        "role": role,
        "url": f.url,
        "final_url": f.final_url,
        "method": f.method,
        "status": f.status,
        "fetched_at": _iso(f.fetched_at),
        "sha256": f.sha256,
        "size": f.size,
        "media_type": f.media_type,
        "etag": f.etag,
        "last_modified": f.last_modified,
        "warc_file": f.warc_file,
        "warc_offset": f.warc_offset,
        "warc_length": f.warc_length,
        "warc_record_id": f.warc_record_id,
        "warc_record_type": f.warc_record_type,
        "crawl_run_id": f.run_id,
        "parse_status": f.parse_status,
        "parse_error": f.parse_error,
    }


def report_detail(db: Database, report_id: int, version_id: int | None = None) -> dict[str, Any] | None:
    """Everything about one report: URLs, versions with their fetches, facts, checks and events.
    Facts and checks are those of `version_id`, by default the current version."""
    with db.session() as s:
        report = s.get(Report, report_id)
        if report is None:
            return None
        source = s.get(Source, report.source_id)
        versions = list(
            s.scalars(
                select(ReportVersion)
                .where(ReportVersion.report_id == report_id)
                .order_by(ReportVersion.number)
            )
        )
        chosen = next((v for v in versions if v.id == version_id), None) if version_id else None
        if version_id and chosen is None:
            raise KeyError(f"report {report_id} has no version {version_id}")
        if chosen is None:
            chosen = next((v for v in versions if v.status == "current"), versions[-1] if versions else None)
        version_rows = []
        for v in versions:
            fetches = s.execute(
                select(Fetch, ReportVersionFetch.role)
                .join(ReportVersionFetch, ReportVersionFetch.fetch_id == Fetch.id)
                .where(ReportVersionFetch.version_id == v.id)
                .order_by(Fetch.fetched_at)
            ).all()
            parsed = s.get(Fetch, v.parsed_fetch_id)
            version_rows.append(
                {
                    "version_id": v.id,
                    "number": v.number,
                    "status": v.status,
                    "is_correction": v.is_correction,
                    "supersedes_id": v.supersedes_id,
                    "title": v.title,
                    "template": v.template,
                    "parser_version": v.parser_version,
                    "parsed_at": _iso(v.parsed_at),
                    "published": v.published.isoformat() if v.published else None,
                    "published_from": v.published_from,
                    "first_seen": _iso(v.first_seen),
                    "last_seen": _iso(v.last_seen),
                    "crawl_run_id": v.run_id,
                    "sha256": v.sha256,
                    "parsed_from": _fetch_dict(parsed) if parsed else None,
                    "fetches": [_fetch_dict(f, role) for f, role in fetches],
                    "warnings": (v.document or {}).get("warnings", []),
                }
            )
        facts, checks = [], []
        if chosen is not None:
            facts = [
                {
                    "table": f.table_key,
                    "row": f.row_key,
                    "col": f.col_key,
                    "value": number(f.value),
                    "raw": f.raw,
                    "label": f.label,
                    "unit": f.unit,
                    "page": f.page,
                }
                for f in s.scalars(select(Fact).where(Fact.version_id == chosen.id).order_by(Fact.id))
            ]
            if not facts and chosen.status != "current":
                # Facts rows are kept for the current version; an older one shows its stored document's.
                facts = (chosen.document or {}).get("facts", [])
            checks = [
                {
                    "rule": c.rule,
                    "where": c.where,
                    "ok": c.ok,
                    "expected": number(c.expected),
                    "actual": number(c.actual),
                    "message": c.message,
                    "origin": c.origin,
                    "other_version_id": c.other_version_id,
                }
                for c in s.scalars(
                    select(CheckResult).where(CheckResult.version_id == chosen.id).order_by(CheckResult.id)
                )
            ]
            if not checks and chosen.status != "current":
                checks = [{**c, "origin": "parser"} for c in (chosen.document or {}).get("checks", [])]
        urls = [
            {"url": u.url, "role": u.role, "first_seen": _iso(u.first_seen), "last_seen": _iso(u.last_seen)}
            for u in s.scalars(
                select(ReportUrl).where(ReportUrl.report_id == report_id).order_by(ReportUrl.id)
            )
        ]
        events = [
            {
                "event_id": e.id,
                "kind": e.kind,
                "occurred_at": _iso(e.occurred_at),
                "crawl_run_id": e.run_id,
                "version_id": e.version_id,
                "detail": e.detail,
            }
            for e in s.scalars(select(Event).where(Event.report_id == report_id).order_by(Event.id))
        ]
        return {
            "report_id": report.id,
            "source": source.key if source else None,
            "agency": report.agency,
            "year": report.year,
            "title": report.title,
            "status": report.status,
            "canonical_url": report.canonical_url,
            "first_seen": _iso(report.first_seen),
            "last_seen": _iso(report.last_seen),
            "superseded_by": report.superseded_by_id,
            "urls": urls,
            "versions": version_rows,
            "shown_version_id": chosen.id if chosen else None,
            "facts": facts,
            "checks": checks,
            "events": events,
        }


def archive_status(db: Database, settings: Settings) -> dict[str, Any]:
    import parsers

    with db.session() as s:

        def count(model: Any, *where: Any) -> int:
            return s.scalar(select(func.count()).select_from(model).where(*where)) or 0

        reports_by_status = dict(s.execute(select(Report.status, func.count()).group_by(Report.status)).all())
        last_runs = {}
        for kind in ("crawl", "ingest", "reparse"):
            run = s.scalars(
                select(CrawlRun).where(CrawlRun.kind == kind).order_by(CrawlRun.id.desc()).limit(1)
            ).first()
            if run is not None:
                last_runs[kind] = {
                    "run_id": run.id,
                    "status": run.status,
                    "started_at": _iso(run.started_at),
                    "finished_at": _iso(run.finished_at),
                    "stats": run.stats,
                }
        counts = {
            "sources": count(Source),
            "crawl_runs": count(CrawlRun),
            "fetches": count(Fetch),
            "fetches_not_parsed": count(Fetch, Fetch.parse_status == "failed"),
            "blobs": count(Blob),
            "blob_bytes": s.scalar(select(func.coalesce(func.sum(Blob.size), 0))) or 0,
            "reports": sum(reports_by_status.values()),
            "reports_by_status": reports_by_status,
            "report_versions": count(ReportVersion),
            "facts": count(Fact),
            "failed_checks": count(CheckResult, CheckResult.ok.is_(False)),
            "chunks": count(Chunk),
            "events": count(Event),
        }
        outdated = count(ReportVersion, ReportVersion.parser_version != parsers.__version__)
        if db.dialect == "postgresql":
            db_bytes = s.scalar(select(func.pg_database_size(func.current_database())))
        else:
            path = db.engine.url.database
            db_bytes = sum(p.stat().st_size for p in _sqlite_files(path)) if path else None
    blobs = BlobStore(settings.blob_dir)
    return {
        "database": db.safe_url,
        "data_dir": str(settings.data_dir),
        "parser_version": parsers.__version__,
        "versions_parsed_by_older_parser": outdated,
        "counts": counts,
        "last_runs": last_runs,
        "disk": {
            "blobs_bytes": blobs.disk_usage() if settings.blob_dir.is_dir() else 0,
            "warc_bytes": disk_usage(settings.warc_dir),
            "warc_files": len(warc_files(settings.warc_dir)),
            "database_bytes": db_bytes,
        },
    }


def _sqlite_files(path: str):  # noqa: ANN202
    from pathlib import Path

    for suffix in ("", "-wal", "-shm"):
        p = Path(path + suffix)
        if p.exists():
            yield p
