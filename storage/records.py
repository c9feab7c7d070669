"""The values the archive API takes and gives back: plain data, no database, no files."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from storage.warc import WarcLocation


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
