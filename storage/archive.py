"""The archive's Python API: what the crawler's Scrapy components and `nianbao ingest` call.

    from storage.archive import Archive, HttpExchange

    with Archive.open() as archive:                      # Settings.from_env(); checks DB and schema
        run = archive.open_run("crawl", source="kw.beijing.gov.cn", args={...})
        headers = archive.conditional_headers(url)       # If-None-Match / If-Modified-Since from url_state
        fetch = archive.record_exchange(run, HttpExchange(url=..., status=200, response_headers=[...],
                                                          body=wire_bytes, request_headers=[...]))
        if fetch.changed:                                # new content at this URL
            doc = parsers.parse(archive.read_blob(fetch.sha256), fetch.media_type, fetch.final_url)
            archive.store_report(run, doc, page=fetch, attachments=[...])
        archive.record_parse_error(fetch, err)           # when parse() raised ParseError
        archive.record_host_blocked(run, "www.example.gov.cn", {"signature": "jiasule"})
        archive.sweep_missing(run, "kw.beijing.gov.cn")  # after a complete crawl of a source
        archive.close_run(run, stats={...})

What each call guarantees:
- `record_exchange` writes the decoded body to the blob store and the exchange to the run's WARC
  file (request + response; a `revisit` when the payload was archived before or the server said
  304), fsyncs both, and only then commits the `fetch`, `blob` and `url_state` rows.
- `record_file` does the same for a local file (a WARC `resource` record with its `file://` URI),
  streaming it, never reading it whole; files above `Settings.max_file_bytes` are refused.
- `store_report` turns one parsed document, and the fetches it came from, into report identity,
  version, facts, checks (with `cross_year.carry`), search chunks and events, in one transaction.
  Its rules are in `storage/reports.py`.

No Scrapy here: the crawler adapts its Request/Response objects to `HttpExchange`.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Collection, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage import capture, url_state
from storage import reports as report_rules
from storage.blobs import BlobStore
from storage.capture import FILES_SOURCE
from storage.db import Database, insert_ignore
from storage.errors import DataDirNotWritable
from storage.migrations import require_current
from storage.models import EVENT_HOST_BLOCKED, CrawlRun, Event, Fetch, Source, utcnow
from storage.records import FetchRecord, HttpExchange, Run, UrlStateInfo
from storage.settings import Settings
from storage.warc import RecoveredFile, WarcFileWriter, recover_open_files

# The API's value types are importable from here, as the crawler does.
__all__ = ["Archive", "FILES_SOURCE", "FetchRecord", "HttpExchange", "Run", "UrlStateInfo"]


class Archive:
    def __init__(self, settings: Settings, *, database: Database | None = None, check_schema: bool = True):
        self.settings = settings
        self.db = database or Database(settings.database_url)
        self.db.check_connection()
        if check_schema:
            require_current(self.db)
        self.blobs = BlobStore(settings.blob_dir, max_bytes=settings.max_file_bytes)
        self._writers: dict[int, WarcFileWriter] = {}
        # What ensure_writable() found left over by a crashed process, for the caller to report.
        self.recovered_warcs: list[RecoveredFile] = []
        self.removed_parts = 0
        self._lock = threading.Lock()
        self._recovered = False
        self._source_ids: dict[str, int] = {}
        self._created_sources: set[str] = set()

    @classmethod
    def open(cls, settings: Settings | None = None) -> Archive:
        return cls(settings or Settings.from_env())

    def close(self) -> None:
        for writer in list(self._writers.values()):
            writer.close()
        self._writers.clear()
        self.db.dispose()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- data directory ------------------------------------------------------------------------

    def ensure_writable(self) -> None:
        """Raise DataDirNotWritable unless blobs and WARC files can be written; recover crash leftovers."""
        self.blobs.ensure_writable()
        try:
            self.settings.warc_dir.mkdir(parents=True, exist_ok=True)
            probe = self.settings.warc_dir / f".probe-{os.getpid()}"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            raise DataDirNotWritable(
                f"cannot write WARC files under {self.settings.warc_dir}: {exc.strerror or exc}"
            ) from exc
        if not self._recovered:
            self.recovered_warcs = recover_open_files(self.settings.warc_dir)
            self.removed_parts = self.blobs.remove_stale_parts()
            self._recovered = True

    # --- sources and runs ----------------------------------------------------------------------

    def ensure_source(
        self,
        key: str,
        *,
        kind: str = "site",
        name: str | None = None,
        agency: str | None = None,
        base_url: str | None = None,
    ) -> int:
        with self.db.session(write=True) as s:
            source_id = self.source_id(s, key, kind=kind, name=name, agency=agency, base_url=base_url)
        self._source_ids[key] = source_id  # committed now
        return source_id

    def source_id(self, s: Session, key: str, **fields: Any) -> int:
        """The id of source `key` (created if new), inside an open session.

        Ids are remembered (every exchange and report asks): sources are never deleted. One created by
        this archive is not, since the transaction that created it may still roll back."""
        cached = self._source_ids.get(key)
        if cached is not None:
            return cached
        found = s.scalar(select(Source.id).where(Source.key == key))
        if found is not None:
            if key not in self._created_sources:
                self._source_ids[key] = found
            return found
        values = {"key": key, "kind": fields.get("kind") or "site", "created_at": utcnow()}
        values.update({k: fields[k] for k in ("name", "agency", "base_url") if fields.get(k) is not None})
        s.execute(insert_ignore(s, Source, values, ["key"]))
        self._created_sources.add(key)
        return s.scalar(select(Source.id).where(Source.key == key))  # type: ignore[return-value]

    def open_run(
        self, kind: str = "crawl", *, source: str | None = None, args: dict[str, Any] | None = None
    ) -> Run:
        """Start a run; runs left `running` by dead processes on this host become `interrupted`."""
        self.ensure_writable()
        import parsers

        with self.db.session(write=True) as s:
            self._mark_interrupted_runs(s)
            source_id = self.source_id(s, source) if source else None
            run = CrawlRun(
                kind=kind,
                source_id=source_id,
                started_at=utcnow(),
                status="running",
                parser_version=parsers.__version__,
                args=args,
                hostname=socket.gethostname(),
                pid=os.getpid(),
            )
            s.add(run)
            s.flush()
            return Run(run.id, kind, source_id, run.started_at)

    def _mark_interrupted_runs(self, s: Session) -> None:
        host = socket.gethostname()
        for run in s.scalars(select(CrawlRun).where(CrawlRun.status == "running", CrawlRun.hostname == host)):
            if run.pid and run.pid != os.getpid() and not _pid_alive(run.pid):
                run.status = "interrupted"
                run.error = "the process ended without closing the run (killed or crashed)"

    def close_run(
        self,
        run: Run,
        *,
        status: str = "finished",
        stats: dict[str, Any] | None = None,
        error: str | None = None,
    ) -> list[str]:
        """Close the run's WARC file(s) and record how it ended. Returns the WARC files written."""
        writer = self._writers.pop(run.id, None)
        files: list[str] = []
        if writer is not None:
            writer.close()
            files = list(writer.closed_files)
        with self.db.session(write=True) as s:
            row = s.get(CrawlRun, run.id)
            assert row is not None
            row.status = status
            row.finished_at = utcnow()
            row.stats = {**(stats or {}), "warc_files": files} if files or stats else row.stats
            row.error = error
        return files

    def warc_writer(self, run: Run) -> WarcFileWriter:
        """The run's WARC writer (one per run, opened on first use)."""
        with self._lock:
            writer = self._writers.get(run.id)
            if writer is None:
                prefix = f"nianbao-{run.kind}-{run.id:06d}-{run.started_at:%Y%m%dT%H%M%S}"
                writer = WarcFileWriter(
                    self.settings.warc_dir,
                    prefix,
                    max_bytes=self.settings.warc_max_bytes,
                    info={"nianbao-run": str(run.id), "nianbao-run-kind": run.kind},
                )
                self._writers[run.id] = writer
            return writer

    # --- url state -----------------------------------------------------------------------------

    def url_state(self, url: str) -> UrlStateInfo | None:
        with self.db.session() as s:
            return url_state.load(s, url)

    def conditional_headers(self, url: str) -> dict[str, str]:
        """Validators for a conditional GET of `url`, from its last successful fetch."""
        return url_state.conditional_headers(self.url_state(url))

    # --- capture (storage/capture.py) ------------------------------------------------------------

    def record_exchange(self, run: Run, exchange: HttpExchange, *, source: str | None = None) -> FetchRecord:
        return capture.record_exchange(self, run, exchange, source=source)

    def record_file(
        self,
        run: Run,
        path: Path | str,
        *,
        source: str = FILES_SOURCE,
        media_type: str | None = None,
    ) -> FetchRecord:
        return capture.record_file(self, run, path, source=source, media_type=media_type)

    def record_failure(
        self,
        run: Run,
        url: str,
        error: str,
        *,
        source: str | None = None,
        method: str = "GET",
        request_headers: Sequence[tuple[str, str]] = (),
        referrer: str | None = None,
        duration_ms: float | None = None,
    ) -> int:
        """A fetch that got no HTTP response (DNS, refused, timeout): a row, no bytes, no WARC record."""
        return capture.record_failure(
            self,
            run,
            url,
            error,
            source=source,
            method=method,
            request_headers=request_headers,
            referrer=referrer,
            duration_ms=duration_ms,
        )

    # --- reading back --------------------------------------------------------------------------

    def read_blob(self, sha256: str) -> bytes:
        return self.blobs.read(sha256)

    def fetch_row(self, fetch_id: int) -> Fetch:
        with self.db.session() as s:
            row = s.get(Fetch, fetch_id)
            if row is None:
                raise KeyError(f"no fetch {fetch_id}")
            s.expunge(row)
            return row

    # --- parsing outcomes and reports ----------------------------------------------------------

    def record_parse_error(
        self, fetch: FetchRecord | int, error: Exception, parser_version: str | None = None
    ) -> None:
        """Remember that the bytes of `fetch` could not be parsed, and why (the bytes stay archived)."""
        import parsers

        fetch_id = fetch if isinstance(fetch, int) else fetch.id
        with self.db.session(write=True) as s:
            s.execute(
                update(Fetch)
                .where(Fetch.id == fetch_id)
                .values(
                    parse_status="failed",
                    parse_error=str(getattr(error, "reason", None) or error),
                    parse_error_kind=getattr(error, "kind", type(error).__name__),
                    parser_version=parser_version or parsers.__version__,
                    parsed_at=utcnow(),
                )
            )

    def store_report(
        self,
        run: Run,
        document: Any,
        *,
        page: FetchRecord | int,
        attachments: Iterable[FetchRecord | int] = (),
        parsed: FetchRecord | int | None = None,
        source: str | None = None,
        identity: str | None = None,
        canonical_url: str | None = None,
        supersedes_version_id: int | None = None,
        superseded: bool = False,
        published: tuple[date, str] | None = None,
    ) -> report_rules.StoredReport:
        """Store one parsed document: see `storage/reports.py` for the identity and version rules.

        `page` is the fetch of the report's page (or the imported file); `attachments` its
        attachments; `parsed` the fetch whose bytes were parsed (default: `page`). `identity`
        overrides the report identity key (default: normalised agency|year); `supersedes_version_id`
        marks this version as a correction of that one; `superseded` says the page announces that it
        was replaced (本报告已更正…): its content is kept as a superseded version, never made current.
        `published`: the date the page says it was published and where it says so (meta, page, url).
        """
        ids = report_rules.FetchIds(
            page=_fid(page),
            attachments=[_fid(a) for a in attachments],
            parsed=_fid(parsed) if parsed is not None else _fid(page),
        )
        with self.db.session(write=True) as s:
            source_id = self.source_id(s, source) if source else None
            return report_rules.store_report(
                s,
                run_id=run.id,
                document=document,
                fetches=ids,
                source_id=source_id,
                identity=identity,
                canonical_url=canonical_url,
                supersedes_version_id=supersedes_version_id,
                superseded=superseded,
                published=published,
            )

    def supersede_report(self, run: Run, old_report_id: int, new_report_id: int, reason: str) -> None:
        """Mark a whole report as replaced by another one (e.g. republished under a new agency name)."""
        with self.db.session(write=True) as s:
            report_rules.supersede_report(s, run.id, old_report_id, new_report_id, reason)

    def sweep_missing(
        self, run: Run, source: str, *, gone_after: int = 3, spare: Collection[int] = ()
    ) -> list[int]:
        """After a complete crawl of `source`: reports not seen in it count a missed run; after
        `gone_after` missed runs in a row they are marked `gone` (never deleted). Returns those ids.
        `spare`: reports the run could not check (their page failed): not counted missing."""
        with self.db.session(write=True) as s:
            source_id = self.source_id(s, source)
            return report_rules.sweep_missing(s, run.id, source_id, gone_after=gone_after, spare=spare)

    def record_event(
        self,
        run: Run | None,
        kind: str,
        *,
        source: str | None = None,
        report_id: int | None = None,
        version_id: int | None = None,
        detail: dict[str, Any] | None = None,
    ) -> int:
        with self.db.session(write=True) as s:
            source_id = self.source_id(s, source) if source else None
            ev = Event(
                kind=kind,
                occurred_at=utcnow(),
                run_id=run.id if run else None,
                source_id=source_id,
                report_id=report_id,
                version_id=version_id,
                detail=detail,
            )
            s.add(ev)
            s.flush()
            return ev.id

    def record_host_blocked(self, run: Run, host: str, detail: dict[str, Any] | None = None) -> int:
        """An anti-bot page or a block (412 Ruishu, 521 Jiasule, refused): reported, never bypassed."""
        return self.record_event(run, EVENT_HOST_BLOCKED, detail={"host": host, **(detail or {})})


def _fid(f: FetchRecord | int) -> int:
    return f if isinstance(f, int) else f.id


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
