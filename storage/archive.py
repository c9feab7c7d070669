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

import hashlib
import io
import os
import socket
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage import reports as report_rules
from storage.blobs import BlobStore
from storage.content import decode_content, header, sha1_base32, sniff_media_type, warc_payload_digest
from storage.db import Database, insert_ignore
from storage.errors import DataDirNotWritable, FileTooLarge, InputRejected
from storage.migrations import require_current
from storage.models import (
    EVENT_HOST_BLOCKED,
    Blob,
    CrawlRun,
    Event,
    Fetch,
    Source,
    UrlState,
    utcnow,
)
from storage.settings import Settings
from storage.warc import RevisitOf, WarcFileWriter, WarcLocation, recover_open_files

READ_CHUNK = 1024 * 1024
FILES_SOURCE = "files"


@dataclass(frozen=True, slots=True)
class Run:
    id: int
    kind: str
    source_id: int | None
    started_at: datetime


@dataclass(slots=True)
class HttpExchange:
    """One HTTP request and its response, as the crawler saw them.

    `body` is the response body as received (after transfer decoding, before Content-Encoding
    decoding): that is what goes into the WARC record. The blob holds it decoded.
    """

    url: str  # the URL that answered (after redirects): WARC-Target-URI
    status: int
    response_headers: list[tuple[str, str]]
    body: bytes
    method: str = "GET"
    request_headers: list[tuple[str, str]] = field(default_factory=list)
    request_body: bytes = b""
    requested_url: str | None = None  # the first URL of a redirect chain, if different
    reason: str | None = None
    protocol: str = "HTTP/1.1"
    fetched_at: datetime | None = None
    duration_ms: float | None = None
    ip_address: str | None = None
    referrer: str | None = None
    decoded_body: bytes | None = None  # when the caller has already removed Content-Encoding


@dataclass(frozen=True, slots=True)
class FetchRecord:
    """What was stored for one fetch."""

    id: int
    url: str
    final_url: str
    status: int | None
    sha256: str | None
    media_type: str | None
    size: int | None
    warc: WarcLocation | None
    revisit: bool  # written as a WARC revisit record (payload archived before, or a 304)
    changed: bool  # this URL now has content it did not have at its previous fetch
    new_blob: bool
    error: str | None = None
    already_archived: bool = False  # record_file: same path, same bytes: nothing new was written


@dataclass(frozen=True, slots=True)
class UrlStateInfo:
    url: str
    first_seen: datetime
    last_seen: datetime
    last_changed: datetime | None
    etag: str | None
    last_modified: str | None
    sha256: str | None
    status: int | None
    fetch_id: int | None


def _http_date(moment: datetime) -> str:
    return format_datetime(moment, usegmt=True)


def _request_target(url: str) -> str:
    parts = urlsplit(url)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    return target


class Archive:
    def __init__(self, settings: Settings, *, database: Database | None = None, check_schema: bool = True):
        self.settings = settings
        self.db = database or Database(settings.database_url)
        self.db.check_connection()
        if check_schema:
            require_current(self.db)
        self.blobs = BlobStore(settings.blob_dir, max_bytes=settings.max_file_bytes)
        self._writers: dict[int, WarcFileWriter] = {}
        self._lock = threading.Lock()
        self._recovered = False

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
            return self._source_id(s, key, kind=kind, name=name, agency=agency, base_url=base_url)

    def _source_id(self, s: Session, key: str, **fields: Any) -> int:
        found = s.scalar(select(Source.id).where(Source.key == key))
        if found is not None:
            return found
        values = {"key": key, "kind": fields.get("kind") or "site", "created_at": utcnow()}
        values.update({k: fields[k] for k in ("name", "agency", "base_url") if fields.get(k) is not None})
        s.execute(insert_ignore(s, Source, values, ["key"]))
        return s.scalar(select(Source.id).where(Source.key == key))  # type: ignore[return-value]

    def open_run(
        self, kind: str = "crawl", *, source: str | None = None, args: dict[str, Any] | None = None
    ) -> Run:
        """Start a run; runs left `running` by dead processes on this host become `interrupted`."""
        self.ensure_writable()
        import parsers

        with self.db.session(write=True) as s:
            self._mark_interrupted_runs(s)
            source_id = self._source_id(s, source) if source else None
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

    def _writer(self, run: Run) -> WarcFileWriter:
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
            row = s.scalar(select(UrlState).where(UrlState.url == url))
            if row is None:
                return None
            return UrlStateInfo(
                row.url,
                row.first_seen,
                row.last_seen,
                row.last_changed,
                row.etag,
                row.last_modified,
                row.sha256,
                row.status,
                row.fetch_id,
            )

    def conditional_headers(self, url: str) -> dict[str, str]:
        """Validators for a conditional GET of `url`, from its last successful fetch."""
        state = self.url_state(url)
        headers: dict[str, str] = {}
        if state is None or state.sha256 is None:
            return headers
        if state.etag:
            headers["If-None-Match"] = state.etag
        if state.last_modified:
            headers["If-Modified-Since"] = state.last_modified
        return headers

    def _update_url_state(
        self,
        s: Session,
        *,
        url: str,
        source_id: int | None,
        fetch: Fetch,
        when: datetime,
        content_seen: bool,
    ) -> bool:
        """Update what we know of `url`; returns True when its content changed (or is new)."""
        state = s.scalar(select(UrlState).where(UrlState.url == url))
        if state is None:
            state = UrlState(url=url, source_id=source_id, first_seen=when)
            s.add(state)
        state.last_seen = when
        state.status = fetch.status
        changed = False
        if content_seen and fetch.sha256 is not None:
            changed = state.sha256 != fetch.sha256
            if changed:
                state.last_changed = when
            state.sha256 = fetch.sha256
            state.etag = fetch.etag
            state.last_modified = fetch.last_modified
            state.fetch_id = fetch.id
        return changed

    # --- capture -------------------------------------------------------------------------------

    def _earlier_capture(self, s: Session, payload_digest: str) -> Fetch | None:
        return s.scalars(
            select(Fetch)
            .where(
                Fetch.payload_digest == payload_digest,
                Fetch.warc_record_type.in_(("response", "resource")),
                Fetch.warc_file.is_not(None),
            )
            .order_by(Fetch.id)
            .limit(1)
        ).first()

    def record_exchange(self, run: Run, exchange: HttpExchange, *, source: str | None = None) -> FetchRecord:
        when = exchange.fetched_at or utcnow()
        writer = self._writer(run)
        headers = list(exchange.response_headers)
        status_line = f"{exchange.status} {exchange.reason or _reason(exchange.status)}"
        requested = exchange.requested_url or exchange.url
        media_type = (header(headers, "Content-Type") or "").split(";")[0].strip() or None
        etag = header(headers, "ETag")
        last_modified = header(headers, "Last-Modified")
        target = _request_target(exchange.url)

        with self.db.session() as s:
            prior_state = s.scalar(select(UrlState).where(UrlState.url == exchange.url))
            prior_fetch = s.get(Fetch, prior_state.fetch_id) if prior_state and prior_state.fetch_id else None
            if prior_fetch is not None:
                prior_fetch = _original_capture(s, prior_fetch)
            payload_digest = warc_payload_digest(exchange.body) if exchange.body else None
            earlier = self._earlier_capture(s, payload_digest) if payload_digest else None
            s.expunge_all()

        error: str | None = None
        stored = None
        sha256: str | None = None
        size: int | None = None
        revisit_of: Fetch | None = None

        if exchange.status == 304 and prior_fetch is not None and prior_fetch.payload_digest:
            # Unchanged per the server: a revisit (server-not-modified) standing for the earlier content.
            revisit_of = prior_fetch
            loc, _ = writer.write_revisit(
                url=exchange.url,
                refers_to=_refers_to(prior_fetch),
                not_modified=True,
                status_line=status_line,
                response_headers=headers,
                when=when,
                method=exchange.method,
                request_target=target,
                request_headers=exchange.request_headers,
                protocol=exchange.protocol,
                ip_address=exchange.ip_address,
            )
            sha256, size, media_type = prior_fetch.sha256, prior_fetch.size, prior_fetch.media_type
        else:
            if exchange.body:
                decoded = exchange.decoded_body
                if decoded is None:
                    decoded, error = decode_content(exchange.body, header(headers, "Content-Encoding"))
                if len(decoded) > self.settings.max_file_bytes:
                    raise FileTooLarge(
                        f"{exchange.url}: body of {len(decoded):,} bytes is larger than the limit of "
                        f"{self.settings.max_file_bytes:,} bytes"
                    )
                stored = self.blobs.put_bytes(decoded)
                sha256, size = stored.sha256, stored.size
                media_type = media_type or sniff_media_type(decoded[:4096], exchange.url)
            if earlier is not None:
                revisit_of = earlier
                loc, _ = writer.write_revisit(
                    url=exchange.url,
                    refers_to=_refers_to(earlier),
                    not_modified=False,
                    status_line=status_line,
                    response_headers=headers,
                    when=when,
                    method=exchange.method,
                    request_target=target,
                    request_headers=exchange.request_headers,
                    protocol=exchange.protocol,
                    ip_address=exchange.ip_address,
                )
            else:
                loc, _ = writer.write_exchange(
                    url=exchange.url,
                    method=exchange.method,
                    request_target=target,
                    request_headers=exchange.request_headers,
                    request_body=exchange.request_body,
                    status_line=status_line,
                    response_headers=headers,
                    body=io.BytesIO(exchange.body),
                    body_length=len(exchange.body),
                    when=when,
                    protocol=exchange.protocol,
                    ip_address=exchange.ip_address,
                )

        # Bytes are durable (blob renamed and fsync'd, WARC fsync'd): now the rows.
        with self.db.session(write=True) as s:
            source_id = self._source_id(s, source) if source else run.source_id
            if stored is not None:
                _ensure_blob_row(s, stored.sha256, stored.size, stored.stored_size, media_type)
            fetch = Fetch(
                run_id=run.id,
                source_id=source_id,
                url=requested,
                final_url=exchange.url,
                method=exchange.method,
                status=exchange.status,
                request_headers=[list(h) for h in exchange.request_headers],
                response_headers=[list(h) for h in headers],
                fetched_at=when,
                duration_ms=exchange.duration_ms,
                size=size,
                wire_size=len(exchange.body),
                sha256=sha256,
                media_type=media_type,
                etag=etag,
                last_modified=last_modified,
                referrer=exchange.referrer,
                ip_address=exchange.ip_address,
                warc_file=loc.filename,
                warc_offset=loc.offset,
                warc_length=loc.length,
                warc_record_id=loc.record_id,
                warc_record_type=loc.record_type,
                payload_digest=loc.payload_digest if loc.record_type != "revisit" else payload_digest,
                revisit_of_id=revisit_of.id if revisit_of is not None else None,
                error=error,
            )
            if exchange.status == 304:
                fetch.etag = etag or (prior_fetch.etag if prior_fetch else None)
                fetch.last_modified = last_modified or (prior_fetch.last_modified if prior_fetch else None)
            s.add(fetch)
            s.flush()
            content_seen = sha256 is not None and (200 <= exchange.status < 300 or exchange.status == 304)
            changed = self._update_url_state(
                s, url=exchange.url, source_id=source_id, fetch=fetch, when=when, content_seen=content_seen
            )
            return FetchRecord(
                id=fetch.id,
                url=requested,
                final_url=exchange.url,
                status=exchange.status,
                sha256=sha256,
                media_type=media_type,
                size=size,
                warc=loc,
                revisit=loc.record_type == "revisit",
                changed=changed,
                new_blob=bool(stored and stored.created),
                error=error,
            )

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
        with self.db.session(write=True) as s:
            source_id = self._source_id(s, source) if source else run.source_id
            fetch = Fetch(
                run_id=run.id,
                source_id=source_id,
                url=url,
                final_url=url,
                method=method,
                status=None,
                request_headers=[list(h) for h in request_headers],
                fetched_at=utcnow(),
                duration_ms=duration_ms,
                referrer=referrer,
                error=error,
            )
            s.add(fetch)
            s.flush()
            return fetch.id

    def record_file(
        self,
        run: Run,
        path: Path | str,
        *,
        source: str = FILES_SOURCE,
        media_type: str | None = None,
    ) -> FetchRecord:
        """Archive a local file as a fetch of its `file://` URI (streamed; never read whole).

        The same path with the same bytes as its last fetch is not archived again
        (`already_archived=True`, the earlier fetch returned); the same bytes at another path give
        a new fetch and a `revisit` record, and no new blob.
        """
        path = Path(path)
        uri = path.resolve().as_uri()
        st = self._check_input_file(path)
        sha256, sha1, head = self._hash_file(path, st.st_size)
        media_type = media_type or sniff_media_type(head, path.name)
        when = utcnow()

        with self.db.session() as s:
            state = s.scalar(select(UrlState).where(UrlState.url == uri))
            if state is not None and state.sha256 == sha256 and state.fetch_id is not None:
                prior = s.get(Fetch, state.fetch_id)
                assert prior is not None
                return FetchRecord(
                    id=prior.id,
                    url=uri,
                    final_url=uri,
                    status=None,
                    sha256=sha256,
                    media_type=prior.media_type,
                    size=prior.size,
                    warc=None,
                    revisit=False,
                    changed=False,
                    new_blob=False,
                    already_archived=True,
                )
            earlier = self._earlier_capture(s, sha1)
            s.expunge_all()

        stored = None
        if not self.blobs.exists(sha256):
            with open(path, "rb") as fh:
                try:
                    stored = self.blobs.put_stream(fh, expected_sha256=sha256, size_hint=st.st_size)
                except ValueError as exc:
                    raise InputRejected(f"{path}: {exc}") from None
        writer = self._writer(run)
        mtime = datetime.fromtimestamp(st.st_mtime).astimezone()
        extra = {"WARC-Payload-Digest": sha1, "WARC-Block-Digest": sha1}
        if earlier is not None:
            loc = writer.write_identical_resource_revisit(
                uri=uri, refers_to=_refers_to(earlier), when=when, content_type=media_type
            )
        else:
            with open(path, "rb") as fh:
                loc = writer.write_resource(
                    uri=uri,
                    body=fh,
                    body_length=st.st_size,
                    content_type=media_type,
                    when=when,
                    extra_headers=extra,
                )

        with self.db.session(write=True) as s:
            source_id = self._source_id(s, source, kind="files" if source == FILES_SOURCE else "site")
            blob_size = stored.stored_size if stored else self.blobs.path_for(sha256).stat().st_size
            _ensure_blob_row(s, sha256, st.st_size, blob_size, media_type)
            fetch = Fetch(
                run_id=run.id,
                source_id=source_id,
                url=uri,
                final_url=uri,
                method="FILE",
                status=None,
                response_headers=[["Content-Type", media_type], ["Last-Modified", _http_date(mtime)]],
                fetched_at=when,
                size=st.st_size,
                wire_size=st.st_size,
                sha256=sha256,
                media_type=media_type,
                last_modified=_http_date(mtime),
                warc_file=loc.filename,
                warc_offset=loc.offset,
                warc_length=loc.length,
                warc_record_id=loc.record_id,
                warc_record_type=loc.record_type,
                payload_digest=sha1,
                revisit_of_id=earlier.id if earlier is not None else None,
            )
            s.add(fetch)
            s.flush()
            changed = self._update_url_state(
                s, url=uri, source_id=source_id, fetch=fetch, when=when, content_seen=True
            )
            return FetchRecord(
                id=fetch.id,
                url=uri,
                final_url=uri,
                status=None,
                sha256=sha256,
                media_type=media_type,
                size=st.st_size,
                warc=loc,
                revisit=loc.record_type == "revisit",
                changed=changed,
                new_blob=bool(stored and stored.created),
            )

    def _check_input_file(self, path: Path) -> os.stat_result:
        try:
            st = path.stat()
        except FileNotFoundError:
            raise InputRejected(f"{path}: no such file") from None
        except OSError as exc:
            raise InputRejected(f"{path}: cannot read ({exc.strerror or exc})") from None
        if not path.is_file():
            raise InputRejected(f"{path}: not a regular file")
        if st.st_size == 0:
            raise InputRejected(f"{path}: empty file (0 bytes), nothing to archive")
        if st.st_size > self.settings.max_file_bytes:
            raise FileTooLarge(
                f"{path}: {st.st_size:,} bytes is larger than the limit of {self.settings.max_file_bytes:,} "
                "bytes (NIANBAO_MAX_FILE_BYTES)"
            )
        if not os.access(path, os.R_OK):
            raise InputRejected(f"{path}: cannot read (permission denied)")
        return st

    def _hash_file(self, path: Path, size: int) -> tuple[str, str, bytes]:
        """sha256 (blob name) and sha1 (WARC digest) in one streaming pass, and the first bytes."""
        sha256 = hashlib.sha256()
        sha1 = hashlib.sha1()
        head = b""
        total = 0
        try:
            with open(path, "rb") as fh:
                while chunk := fh.read(READ_CHUNK):
                    if not head:
                        head = chunk[:4096]
                    total += len(chunk)
                    if total > self.settings.max_file_bytes:
                        raise FileTooLarge(
                            f"{path}: grew past the limit of {self.settings.max_file_bytes:,} bytes while read"
                        )
                    sha256.update(chunk)
                    sha1.update(chunk)
        except OSError as exc:
            raise InputRejected(f"{path}: cannot read ({exc.strerror or exc})") from None
        if total != size:
            raise InputRejected(f"{path}: changed while being read ({size:,} then {total:,} bytes)")
        return sha256.hexdigest(), sha1_base32(sha1.digest()), head

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
    ) -> report_rules.StoredReport:
        """Store one parsed document: see `storage/reports.py` for the identity and version rules.

        `page` is the fetch of the report's page (or the imported file); `attachments` its
        attachments; `parsed` the fetch whose bytes were parsed (default: `page`). `identity`
        overrides the report identity key (default: normalised agency|year); `supersedes_version_id`
        marks this version as a correction of that one; `superseded` says the page announces that it
        was replaced (本报告已更正…): its content is kept as a superseded version, never made current.
        """
        ids = report_rules.FetchIds(
            page=_fid(page),
            attachments=[_fid(a) for a in attachments],
            parsed=_fid(parsed) if parsed is not None else _fid(page),
        )
        with self.db.session(write=True) as s:
            source_id = self._source_id(s, source) if source else None
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
            )

    def supersede_report(self, run: Run, old_report_id: int, new_report_id: int, reason: str) -> None:
        """Mark a whole report as replaced by another one (e.g. republished under a new agency name)."""
        with self.db.session(write=True) as s:
            report_rules.supersede_report(s, run.id, old_report_id, new_report_id, reason)

    def sweep_missing(self, run: Run, source: str, *, gone_after: int = 3) -> list[int]:
        """After a complete crawl of `source`: reports not seen in it count a missed run; after
        `gone_after` missed runs in a row they are marked `gone` (never deleted). Returns those ids."""
        with self.db.session(write=True) as s:
            source_id = self._source_id(s, source)
            return report_rules.sweep_missing(s, run.id, source_id, gone_after=gone_after)

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
            source_id = self._source_id(s, source) if source else None
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


def _refers_to(fetch: Fetch) -> RevisitOf:
    from storage.warc import warc_date

    assert fetch.payload_digest is not None
    return RevisitOf(
        record_id=fetch.warc_record_id,
        target_uri=fetch.final_url,
        warc_date=warc_date(fetch.fetched_at),
        payload_digest=fetch.payload_digest,
    )


def _original_capture(s: Session, fetch: Fetch) -> Fetch:
    """Follow revisits back to the record that holds the payload."""
    seen = set()
    while fetch.warc_record_type == "revisit" and fetch.revisit_of_id and fetch.id not in seen:
        seen.add(fetch.id)
        earlier = s.get(Fetch, fetch.revisit_of_id)
        if earlier is None:
            break
        fetch = earlier
    return fetch


def _ensure_blob_row(s: Session, sha256: str, size: int, stored_size: int, media_type: str | None) -> None:
    # Two writers may store the same bytes at once: insert-or-ignore, never fail.
    values = {
        "sha256": sha256,
        "size": size,
        "stored_size": stored_size,
        "media_type": media_type,
        "created_at": utcnow(),
    }
    s.execute(insert_ignore(s, Blob, values, ["sha256"]))


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
