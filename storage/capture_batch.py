"""Capturing many HTTP exchanges with one durability point (for crawls).

`capture.record_exchange` makes each exchange durable on its own: the blob file and its directory, the WARC
record and the commit each get an fsync, five or so per exchange, which bounds a crawl at a few dozen pages
a second on a disk. `record_exchanges` keeps the same records and the same order of durability (bytes
durable first, then the rows that point at them) for a whole batch:

1. read what is known (each URL's previous capture, an earlier copy of each payload), a few queries for
   the whole batch;
2. write every blob and WARC record without syncing;
3. make them all durable at once: the run's WARC file fsync'd, the blob store's filesystem `syncfs`'d;
4. commit all the rows in one transaction: one multi-row statement per table (blob, fetch, url_state),
   so the database's write lock (SQLite has one for everybody) is held for a few statements per batch,
   not a few per exchange, and no savepoint. Should that fail (a URL's state created by another writer a
   moment ago), the transaction is rolled back and the rows are written again one exchange at a time,
   each in its own savepoint.

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

from sqlalchemy import Connection, Row, bindparam, case, insert, select, update
from sqlalchemy.orm import Session

from storage.blobs import StoredBlob, sync_filesystem
from storage.capture import _reason, _refers_to, _request_target
from storage.content import decode_content, header, sniff_media_type, warc_payload_digest
from storage.db import insert_ignore_many
from storage.errors import FileTooLarge
from storage.models import Blob, Fetch, UrlState, utcnow
from storage.records import FetchRecord, HttpExchange, Run
from storage.warc import WarcLocation

if TYPE_CHECKING:
    from storage.archive import Archive

F = Fetch.__table__
U = UrlState.__table__
# What a later capture needs of an earlier one (revisit records, 304s): read as plain rows.
_FETCH_COLUMNS = (
    F.c.id,
    F.c.final_url,
    F.c.fetched_at,
    F.c.sha256,
    F.c.size,
    F.c.media_type,
    F.c.etag,
    F.c.last_modified,
    F.c.payload_digest,
    F.c.warc_record_id,
    F.c.warc_record_type,
    F.c.revisit_of_id,
)
_URL_STATE_COLUMNS = (U.c.id, U.c.url, U.c.sha256, U.c.last_changed, U.c.fetch_id)
# Built once and run on the session's connection (see storage/report_rows.py for why).
_PRIOR_FETCH_IDS = select(U.c.url, U.c.fetch_id).where(
    U.c.url.in_(bindparam("urls", expanding=True)), U.c.fetch_id.is_not(None)
)
_FETCHES_BY_ID = select(*_FETCH_COLUMNS).where(F.c.id.in_(bindparam("ids", expanding=True)))
_EARLIER_CAPTURES = (
    select(*_FETCH_COLUMNS)
    .where(
        F.c.payload_digest.in_(bindparam("digests", expanding=True)),
        F.c.warc_record_type.in_(("response", "resource")),
        F.c.warc_file.is_not(None),
    )
    .order_by(F.c.id)
)
_URL_STATES = select(*_URL_STATE_COLUMNS).where(U.c.url.in_(bindparam("urls", expanding=True)))
_INSERT_FETCHES = insert(F).returning(F.c.id, sort_by_parameter_order=True)
_INSERT_URL_STATES = insert(U)
_insert_blobs: dict[str, Any] = {}  # per dialect


@dataclass(slots=True)
class _Planned:
    exchange: HttpExchange
    source: str | None
    prior_fetch: Row[Any] | None  # the capture holding the URL's previous content (304s refer to it)
    payload_digest: str | None
    earlier: Row[Any] | None  # an earlier capture of the same payload, at any URL


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
    revisit_of: Row[Any] | None
    error: str | None


def record_exchanges(
    archive: Archive, run: Run, exchanges: Sequence[HttpExchange], sources: Sequence[str | None]
) -> list[FetchRecord | Exception]:
    # A plain connection for the reads: a batch's fixed cost is paid per two or three exchanges.
    with archive.db.engine.connect() as conn:
        plans = _plan(conn, exchanges, sources)
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
    ok = [w for w in written if isinstance(w, _Written)]
    try:
        # The whole batch in one transaction, no savepoint (the usual case)...
        with archive.db.session(write=True) as s:
            records = iter(_rows(archive, s, run, ok))
        return [w if isinstance(w, Exception) else next(records) for w in written]
    except Exception:  # noqa: BLE001 - e.g. a URL's state created by another writer: one at a time
        pass
    # ... else, rolled back, again with a savepoint per exchange, so that one failing row costs only itself.
    results: list[FetchRecord | Exception] = []
    with archive.db.session(write=True) as s:
        for w in written:
            if isinstance(w, Exception):
                results.append(w)
                continue
            try:
                with s.begin_nested():
                    results.append(_rows(archive, s, run, [w])[0])
            except Exception as exc:
                results.append(exc)
    return results


def _plan(
    conn: Connection, exchanges: Sequence[HttpExchange], sources: Sequence[str | None]
) -> list[_Planned]:
    """What is known of each exchange's URL and payload, read for the whole batch at once."""
    urls = sorted({e.url for e in exchanges})
    prior_ids = dict(conn.execute(_PRIOR_FETCH_IDS, {"urls": urls}).all())
    fetches = _fetch_rows(conn, set(prior_ids.values()))
    originals = _original_captures(conn, fetches, set(prior_ids.values()))
    digests = [warc_payload_digest(e.body) if e.body else None for e in exchanges]
    earlier: dict[str, Row[Any]] = {}
    wanted_digests = sorted({d for d in digests if d})
    if wanted_digests:
        for row in conn.execute(_EARLIER_CAPTURES, {"digests": wanted_digests}):
            earlier.setdefault(row.payload_digest, row)
    plans = []
    for exchange, source, digest in zip(exchanges, sources, digests, strict=True):
        prior_id = prior_ids.get(exchange.url)
        prior = fetches.get(originals[prior_id]) if prior_id is not None else None
        plans.append(_Planned(exchange, source, prior, digest, earlier.get(digest) if digest else None))
    return plans


def _original_captures(conn: Connection, fetches: dict[int, Row[Any]], ids: set[int]) -> dict[int, int]:
    """For each fetch id, the capture that holds its payload: revisits followed back (as
    `capture._original_capture` does), the rows of each step loaded for all chains at once."""
    result: dict[int, int] = {}
    pending = {fid: (fid, {fid}) for fid in ids}  # start -> (where the chain is, ids passed)
    while pending:
        need: set[int] = set()
        for start, (cur, passed) in list(pending.items()):
            f = fetches.get(cur)
            nxt = f.revisit_of_id if f is not None and f.warc_record_type == "revisit" else None
            if not nxt or nxt in passed:
                result[start] = cur
                del pending[start]
            elif nxt in fetches:
                passed.add(nxt)
                pending[start] = (nxt, passed)
            else:
                need.add(nxt)
        if need:
            fetches.update(_fetch_rows(conn, need))
            for start, (cur, _passed) in list(pending.items()):
                if fetches[cur].revisit_of_id not in fetches:  # the earlier row is gone: stop here
                    result[start] = cur
                    del pending[start]
    return result


def _fetch_rows(conn: Connection, ids: set[int]) -> dict[int, Row[Any]]:
    if not ids:
        return {}
    return {r.id: r for r in conn.execute(_FETCHES_BY_ID, {"ids": sorted(ids)})}


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
    revisit_of: Row[Any] | None = None

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


def _rows(archive: Archive, s: Session, run: Run, batch: list[_Written]) -> list[FetchRecord]:
    """The blob, fetch and url_state rows of exchanges whose bytes are durable: a statement per table."""
    if not batch:
        return []
    blobs = {
        w.stored.sha256: {
            "sha256": w.stored.sha256,
            "size": w.stored.size,
            "stored_size": w.stored.stored_size,
            "media_type": w.media_type,
            "created_at": utcnow(),
        }
        for w in batch
        if w.stored is not None
    }
    if blobs:
        # Two writers may store the same bytes at once: insert-or-ignore, never fail.
        dialect = s.get_bind().dialect.name
        if dialect not in _insert_blobs:
            _insert_blobs[dialect] = insert_ignore_many(s, Blob, ["sha256"])
        s.connection().execute(_insert_blobs[dialect], list(blobs.values()))
    fetch_rows = [_fetch_values(archive, s, run, w) for w in batch]
    ids = s.connection().execute(_INSERT_FETCHES, fetch_rows).scalars().all()
    changed = _update_url_states(s, batch, fetch_rows, ids)
    return [
        FetchRecord(
            id=fetch_id,
            url=row["url"],
            final_url=w.plan.exchange.url,
            status=w.plan.exchange.status,
            sha256=w.sha256,
            media_type=w.media_type,
            size=w.size,
            warc=w.loc,
            revisit=w.loc.record_type == "revisit",
            changed=url_changed,
            new_blob=bool(w.stored and w.stored.created),
            error=w.error,
        )
        for w, row, fetch_id, url_changed in zip(batch, fetch_rows, ids, changed, strict=True)
    ]


def _fetch_values(archive: Archive, s: Session, run: Run, w: _Written) -> dict[str, Any]:
    exchange, prior_fetch, loc = w.plan.exchange, w.plan.prior_fetch, w.loc
    etag = header(w.headers, "ETag")
    last_modified = header(w.headers, "Last-Modified")
    if exchange.status == 304:
        etag = etag or (prior_fetch.etag if prior_fetch else None)
        last_modified = last_modified or (prior_fetch.last_modified if prior_fetch else None)
    return {
        "run_id": run.id,
        "source_id": archive.source_id(s, w.plan.source) if w.plan.source else run.source_id,
        "url": exchange.requested_url or exchange.url,
        "final_url": exchange.url,
        "method": exchange.method,
        "status": exchange.status,
        "request_headers": [list(h) for h in exchange.request_headers],
        "response_headers": [list(h) for h in w.headers],
        "fetched_at": w.when,
        "duration_ms": exchange.duration_ms,
        "size": w.size,
        "wire_size": len(exchange.body),
        "sha256": w.sha256,
        "media_type": w.media_type,
        "etag": etag,
        "last_modified": last_modified,
        "referrer": exchange.referrer,
        "ip_address": exchange.ip_address,
        "warc_file": loc.filename,
        "warc_offset": loc.offset,
        "warc_length": loc.length,
        "warc_record_id": loc.record_id,
        "warc_record_type": loc.record_type,
        "payload_digest": loc.payload_digest if loc.record_type != "revisit" else w.plan.payload_digest,
        "revisit_of_id": w.revisit_of.id if w.revisit_of is not None else None,
        "error": w.error,
        "parse_status": None,
        "parse_error": None,
        "parse_error_kind": None,
        "parser_version": None,
        "parsed_at": None,
    }


# url_state rows that saw content: validators and the fetch that holds it; `last_changed` moves only
# when the content did (decided in SQL too, so that a concurrent writer's value is compared, not ours).
_SET_CONTENT = (
    update(U)
    .where(U.c.id == bindparam("_id"))
    .values(
        last_seen=bindparam("_when", type_=U.c.last_seen.type),
        status=bindparam("_status"),
        last_changed=case(
            (
                U.c.sha256.is_distinct_from(bindparam("_sha256", type_=U.c.sha256.type)),
                bindparam("_when", type_=U.c.last_seen.type),
            ),
            else_=U.c.last_changed,
        ),
        sha256=bindparam("_sha256", type_=U.c.sha256.type),
        etag=bindparam("_etag"),
        last_modified=bindparam("_last_modified"),
        fetch_id=bindparam("_fetch_id"),
    )
)
_SET_SEEN = (
    update(U)
    .where(U.c.id == bindparam("_id"))
    .values(last_seen=bindparam("_when"), status=bindparam("_status"))
)


def _update_url_states(
    s: Session, batch: list[_Written], fetch_rows: list[dict[str, Any]], ids: list[int]
) -> list[bool]:
    """url_state as `storage.url_state.update` leaves it after each exchange in turn; returns, per
    exchange, whether its URL's content changed (or is new)."""
    urls = sorted({w.plan.exchange.url for w in batch})
    known = {r.url: r for r in s.connection().execute(_URL_STATES, {"urls": urls})}
    current = {url: r.sha256 for url, r in known.items()}
    new_rows: dict[str, dict[str, Any]] = {}
    content: list[dict[str, Any]] = []
    seen_only: list[dict[str, Any]] = []
    changed: list[bool] = []
    for w, row, fetch_id in zip(batch, fetch_rows, ids, strict=True):
        exchange = w.plan.exchange
        url, when, status = exchange.url, w.when, exchange.status
        content_seen = w.sha256 is not None and (200 <= status < 300 or status == 304)
        url_changed = False
        if content_seen:
            url_changed = current.get(url) != w.sha256
            current[url] = w.sha256
        changed.append(url_changed)
        if url not in known:
            state = new_rows.setdefault(
                url,
                {
                    "url": url,
                    "source_id": row["source_id"],
                    "first_seen": when,
                    "last_changed": None,
                    "etag": None,
                    "last_modified": None,
                    "sha256": None,
                    "fetch_id": None,
                },
            )
            state["last_seen"], state["status"] = when, status
            if content_seen:
                if url_changed:
                    state["last_changed"] = when
                state.update(
                    sha256=w.sha256, etag=row["etag"], last_modified=row["last_modified"], fetch_id=fetch_id
                )
        elif content_seen:
            content.append(
                {
                    "_id": known[url].id,
                    "_when": when,
                    "_status": status,
                    "_sha256": w.sha256,
                    "_etag": row["etag"],
                    "_last_modified": row["last_modified"],
                    "_fetch_id": fetch_id,
                }
            )
        else:
            seen_only.append({"_id": known[url].id, "_when": when, "_status": status})
    conn = s.connection()
    if new_rows:
        conn.execute(_INSERT_URL_STATES, list(new_rows.values()))
    # In exchange order within each kind; a URL twice in one batch with both kinds is rare and harmless
    # (last_seen may then be the earlier exchange's time).
    if content:
        conn.execute(_SET_CONTENT, content)
    if seen_only:
        conn.execute(_SET_SEEN, seen_only)
    return changed
