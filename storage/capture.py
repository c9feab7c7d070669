"""Capturing bytes: an HTTP exchange or a local file, into the blob store, the run's WARC file and
the database, in that order (bytes durable first, then the rows that point at them).

These are the bodies of `Archive.record_exchange`, `record_file` and `record_failure`; call them
through the Archive.
"""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Sequence
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import url_state
from storage.content import decode_content, header, sha1_base32, sniff_media_type, warc_payload_digest
from storage.db import insert_ignore
from storage.errors import FileTooLarge, InputRejected
from storage.models import Blob, Fetch, UrlState, utcnow
from storage.records import FetchRecord, HttpExchange, Run
from storage.settings import Settings
from storage.warc import RevisitOf

if TYPE_CHECKING:
    from storage.archive import Archive

READ_CHUNK = 1024 * 1024
FILES_SOURCE = "files"


def _http_date(moment: datetime) -> str:
    return format_datetime(moment, usegmt=True)


def _request_target(url: str) -> str:
    parts = urlsplit(url)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    return target


def record_exchange(
    archive: Archive, run: Run, exchange: HttpExchange, *, source: str | None = None
) -> FetchRecord:
    """See `Archive.record_exchange`."""
    when = exchange.fetched_at or utcnow()
    writer = archive.warc_writer(run)
    headers = list(exchange.response_headers)
    status_line = f"{exchange.status} {exchange.reason or _reason(exchange.status)}"
    requested = exchange.requested_url or exchange.url
    media_type = (header(headers, "Content-Type") or "").split(";")[0].strip() or None
    etag = header(headers, "ETag")
    last_modified = header(headers, "Last-Modified")
    target = _request_target(exchange.url)

    with archive.db.session() as s:
        prior_state = s.scalar(select(UrlState).where(UrlState.url == exchange.url))
        prior_fetch = s.get(Fetch, prior_state.fetch_id) if prior_state and prior_state.fetch_id else None
        if prior_fetch is not None:
            prior_fetch = _original_capture(s, prior_fetch)
        payload_digest = warc_payload_digest(exchange.body) if exchange.body else None
        earlier = _earlier_capture(s, payload_digest) if payload_digest else None
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
            if len(decoded) > archive.settings.max_file_bytes:
                raise FileTooLarge(
                    f"{exchange.url}: body of {len(decoded):,} bytes is larger than the limit of "
                    f"{archive.settings.max_file_bytes:,} bytes"
                )
            stored = archive.blobs.put_bytes(decoded)
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
    with archive.db.session(write=True) as s:
        source_id = archive.source_id(s, source) if source else run.source_id
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
        changed = url_state.update(
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
    archive: Archive,
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
    with archive.db.session(write=True) as s:
        source_id = archive.source_id(s, source) if source else run.source_id
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
    archive: Archive,
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
    st = _check_input_file(archive.settings, path)
    sha256, sha1, head = _hash_file(archive.settings, path, st.st_size)
    media_type = media_type or sniff_media_type(head, path.name)
    when = utcnow()

    with archive.db.session() as s:
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
        earlier = _earlier_capture(s, sha1)
        s.expunge_all()

    stored = None
    if not archive.blobs.exists(sha256):
        with open(path, "rb") as fh:
            try:
                stored = archive.blobs.put_stream(fh, expected_sha256=sha256, size_hint=st.st_size)
            except ValueError as exc:
                raise InputRejected(f"{path}: {exc}") from None
    writer = archive.warc_writer(run)
    mtime = datetime.fromtimestamp(st.st_mtime).astimezone()
    extra = {"WARC-Payload-Digest": sha1, "WARC-Block-Digest": sha1}
    if earlier is not None:
        loc = writer.write_identical_resource_revisit(
            uri=uri, refers_to=_refers_to(earlier), when=when, content_type=media_type
        )
    else:
        # From the blob, not the file: those bytes are verified against the digests computed above,
        # so a file changing now cannot give a WARC record whose digest does not match it.
        with archive.blobs.open(sha256) as verified:
            loc = writer.write_resource(
                uri=uri,
                body=verified,
                body_length=st.st_size,
                content_type=media_type,
                when=when,
                extra_headers=extra,
            )

    with archive.db.session(write=True) as s:
        source_id = archive.source_id(s, source, kind="files" if source == FILES_SOURCE else "site")
        blob_size = stored.stored_size if stored else archive.blobs.path_for(sha256).stat().st_size
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
        changed = url_state.update(s, url=uri, source_id=source_id, fetch=fetch, when=when, content_seen=True)
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


def _earlier_capture(s: Session, payload_digest: str) -> Fetch | None:
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


def _check_input_file(settings: Settings, path: Path) -> os.stat_result:
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
    if st.st_size > settings.max_file_bytes:
        raise FileTooLarge(
            f"{path}: {st.st_size:,} bytes is larger than the limit of {settings.max_file_bytes:,} "
            "bytes (NIANBAO_MAX_FILE_BYTES)"
        )
    if not os.access(path, os.R_OK):
        raise InputRejected(f"{path}: cannot read (permission denied)")
    return st


def _hash_file(settings: Settings, path: Path, size: int) -> tuple[str, str, bytes]:
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
                if total > settings.max_file_bytes:
                    raise FileTooLarge(
                        f"{path}: grew past the limit of {settings.max_file_bytes:,} bytes while read"
                    )
                sha256.update(chunk)
                sha1.update(chunk)
    except OSError as exc:
        raise InputRejected(f"{path}: cannot read ({exc.strerror or exc})") from None
    if total != size:
        raise InputRejected(f"{path}: changed while being read ({size:,} then {total:,} bytes)")
    return sha256.hexdigest(), sha1_base32(sha1.digest()), head


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


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
