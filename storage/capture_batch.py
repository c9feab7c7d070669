"""Capturing many HTTP exchanges with one durability point (for crawls).

`capture.record_exchange` makes each exchange durable on its own: the blob file and its directory, the WARC
record and the commit each get an fsync, five or so per exchange, which bounds a crawl at a few dozen pages
a second on a disk. `record_exchanges` keeps the same records and the same order of durability (bytes
durable first, then the rows that point at them) for a whole batch:

1. read what is known (each URL's previous capture, an earlier copy of each payload);
2. write every blob and WARC record without syncing;
3. make them all durable at once: the run's WARC file fsync'd, the blob store's filesystem `syncfs`'d;
4. commit all the rows in one transaction (a savepoint per exchange).

The result of each exchange is what `record_exchange` returns, or the exception it raised (a body over the
size limit); one failing exchange does not keep the others from the archive. A crash before step 4 leaves
bytes without rows, which the next capture of the same bytes reuses; never rows without bytes.

Proposal (for the archive's owner): `capture.record_exchange` is this module's function for one exchange,
with per-file fsyncs instead of the batch sync, and could become `record_exchanges([exchange])[0]`.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import url_state
from storage.blobs import StoredBlob, sync_filesystem
from storage.capture import (
    _earlier_capture,
    _ensure_blob_row,
    _original_capture,
    _reason,
    _refers_to,
    _request_target,
)
from storage.content import decode_content, header, sniff_media_type, warc_payload_digest
from storage.errors import FileTooLarge
from storage.models import Fetch, UrlState, utcnow
from storage.records import FetchRecord, HttpExchange, Run
from storage.warc import WarcLocation

if TYPE_CHECKING:
    from storage.archive import Archive


@dataclass(slots=True)
class _Planned:
    exchange: HttpExchange
    source: str | None
    prior_fetch: Fetch | None  # the capture holding the URL's previous content (304s refer to it)
    payload_digest: str | None
    earlier: Fetch | None  # an earlier capture of the same payload, at any URL


@dataclass(slots=True)
class _Written:
    plan: _Planned
    when: datetime
    headers: list[tuple[str, str]]
    media_type: str | None
    loc: WarcLocation
    stored: StoredBlob | None
    sha256: str | None
    size: int | None
    revisit_of: Fetch | None
    error: str | None


def record_exchanges(
    archive: Archive, run: Run, exchanges: Sequence[HttpExchange], sources: Sequence[str | None]
) -> list[FetchRecord | Exception]:
    with archive.db.session() as s:
        plans = [_plan(s, e, src) for e, src in zip(exchanges, sources, strict=True)]
        s.expunge_all()
    written: list[_Written | Exception] = []
    for plan in plans:
        try:
            written.append(_write(archive, run, plan))
        except Exception as exc:  # this exchange only; the batch goes on
            written.append(exc)
    if any(isinstance(w, _Written) for w in written):
        # Bytes durable before any row points at them: one fsync for the WARC file, one syncfs for blobs.
        archive.warc_writer(run).sync()
        sync_filesystem(archive.settings.blob_dir)
    results: list[FetchRecord | Exception] = []
    with archive.db.session(write=True) as s:
        for w in written:
            if isinstance(w, Exception):
                results.append(w)
                continue
            try:
                with s.begin_nested():
                    results.append(_rows(archive, s, run, w))
            except Exception as exc:
                results.append(exc)
    return results


def _plan(s: Session, exchange: HttpExchange, source: str | None) -> _Planned:
    prior_state = s.scalar(select(UrlState).where(UrlState.url == exchange.url))
    prior_fetch = s.get(Fetch, prior_state.fetch_id) if prior_state and prior_state.fetch_id else None
    if prior_fetch is not None:
        prior_fetch = _original_capture(s, prior_fetch)
    payload_digest = warc_payload_digest(exchange.body) if exchange.body else None
    earlier = _earlier_capture(s, payload_digest) if payload_digest else None
    return _Planned(exchange, source, prior_fetch, payload_digest, earlier)


def _write(archive: Archive, run: Run, plan: _Planned) -> _Written:
    """The blob and WARC records of one exchange, not yet synced (as capture.record_exchange writes them)."""
    exchange, prior_fetch, earlier = plan.exchange, plan.prior_fetch, plan.earlier
    writer = archive.warc_writer(run)
    when = exchange.fetched_at or utcnow()
    headers = list(exchange.response_headers)
    status_line = f"{exchange.status} {exchange.reason or _reason(exchange.status)}"
    media_type = (header(headers, "Content-Type") or "").split(";")[0].strip() or None
    target = _request_target(exchange.url)
    common: dict[str, Any] = {
        "url": exchange.url,
        "status_line": status_line,
        "response_headers": headers,
        "when": when,
        "method": exchange.method,
        "request_target": target,
        "request_headers": exchange.request_headers,
        "protocol": exchange.protocol,
        "ip_address": exchange.ip_address,
        "sync": False,
    }
    error: str | None = None
    stored: StoredBlob | None = None
    sha256: str | None = None
    size: int | None = None
    revisit_of: Fetch | None = None

    if exchange.status == 304 and prior_fetch is not None and prior_fetch.payload_digest:
        # Unchanged per the server: a revisit (server-not-modified) standing for the earlier content.
        revisit_of = prior_fetch
        loc, _ = writer.write_revisit(refers_to=_refers_to(prior_fetch), not_modified=True, **common)
        sha256, size, media_type = prior_fetch.sha256, prior_fetch.size, prior_fetch.media_type
    else:
        if exchange.body:
            decoded = exchange.decoded_body
            if decoded is None:
                decoded, error = decode_content(exchange.body, header(headers, "Content-Encoding"))
            if len(decoded) > archive.settings.max_file_bytes:
                raise FileTooLarge(
                    f"{exchange.url}: body of {len(decoded):,} bytes is larger than the limit of "
                    f"{archive.settings.max_file_bytes:,} bytes"
                )
            stored = archive.blobs.put_bytes(decoded, durable=False)
            sha256, size = stored.sha256, stored.size
            media_type = media_type or sniff_media_type(decoded[:4096], exchange.url)
        if earlier is not None:
            revisit_of = earlier
            loc, _ = writer.write_revisit(refers_to=_refers_to(earlier), not_modified=False, **common)
        else:
            del common["status_line"], common["response_headers"]
            loc, _ = writer.write_exchange(
                status_line=status_line,
                response_headers=headers,
                request_body=exchange.request_body,
                body=io.BytesIO(exchange.body),
                body_length=len(exchange.body),
                **common,
            )
    return _Written(plan, when, headers, media_type, loc, stored, sha256, size, revisit_of, error)


def _rows(archive: Archive, s: Session, run: Run, w: _Written) -> FetchRecord:
    """The blob, fetch and url_state rows of one exchange whose bytes are durable."""
    exchange, prior_fetch, loc = w.plan.exchange, w.plan.prior_fetch, w.loc
    requested = exchange.requested_url or exchange.url
    etag = header(w.headers, "ETag")
    last_modified = header(w.headers, "Last-Modified")
    source_id = archive.source_id(s, w.plan.source) if w.plan.source else run.source_id
    if w.stored is not None:
        _ensure_blob_row(s, w.stored.sha256, w.stored.size, w.stored.stored_size, w.media_type)
    fetch = Fetch(
        run_id=run.id,
        source_id=source_id,
        url=requested,
        final_url=exchange.url,
        method=exchange.method,
        status=exchange.status,
        request_headers=[list(h) for h in exchange.request_headers],
        response_headers=[list(h) for h in w.headers],
        fetched_at=w.when,
        duration_ms=exchange.duration_ms,
        size=w.size,
        wire_size=len(exchange.body),
        sha256=w.sha256,
        media_type=w.media_type,
        etag=etag,
        last_modified=last_modified,
        referrer=exchange.referrer,
        ip_address=exchange.ip_address,
        warc_file=loc.filename,
        warc_offset=loc.offset,
        warc_length=loc.length,
        warc_record_id=loc.record_id,
        warc_record_type=loc.record_type,
        payload_digest=loc.payload_digest if loc.record_type != "revisit" else w.plan.payload_digest,
        revisit_of_id=w.revisit_of.id if w.revisit_of is not None else None,
        error=w.error,
    )
    if exchange.status == 304:
        fetch.etag = etag or (prior_fetch.etag if prior_fetch else None)
        fetch.last_modified = last_modified or (prior_fetch.last_modified if prior_fetch else None)
    s.add(fetch)
    s.flush()
    content_seen = w.sha256 is not None and (200 <= exchange.status < 300 or exchange.status == 304)
    changed = url_state.update(
        s, url=exchange.url, source_id=source_id, fetch=fetch, when=w.when, content_seen=content_seen
    )
    return FetchRecord(
        id=fetch.id,
        url=requested,
        final_url=exchange.url,
        status=exchange.status,
        sha256=w.sha256,
        media_type=w.media_type,
        size=w.size,
        warc=loc,
        revisit=loc.record_type == "revisit",
        changed=changed,
        new_blob=bool(w.stored and w.stored.created),
        error=w.error,
    )
