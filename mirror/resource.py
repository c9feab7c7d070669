"""What the mirror serves: prebuilt resources, requests and responses.

Pages are rendered once, at build time, into `Resource` objects (bytes, validators, a lazily cached gzip
variant), so answering a request is a dictionary lookup plus a write. Only small dynamic endpoints
(dataproxy.jsp, downfile.jsp, redirects, challenges) compute anything per request.
"""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass, field
from email.utils import formatdate
from typing import Any

COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/xml")


def http_date(ts: float) -> str:
    return formatdate(ts, usegmt=True)


@dataclass(slots=True, eq=False)
class Resource:
    """A prebuilt response body with its headers and validators."""

    body: bytes
    content_type: str
    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()
    last_modified: float | None = None
    etag: str | None = None
    validators: bool = True  # static files carry ETag/Last-Modified; dynamic answers do not
    delay: float = 0.0  # E24: seconds to wait before answering
    truncate: bool = False  # E25: promise the full Content-Length, send half, close
    _gzip: bytes | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.validators and self.etag is None:
            self.etag = '"' + hashlib.sha1(self.body).hexdigest()[:20] + '"'

    @property
    def compressible(self) -> bool:
        return self.content_type.startswith(COMPRESSIBLE) and len(self.body) > 256

    def gzipped(self) -> bytes:
        # Computed on first use and kept: gzip of every page at build time would dominate the build.
        if self._gzip is None:
            self._gzip = gzip.compress(self.body, compresslevel=6, mtime=0)
        return self._gzip


@dataclass(slots=True)
class Request:
    method: str
    scheme: str  # "http" or "https" (inside a CONNECT tunnel)
    host: str
    path: str  # percent-decoded path, no query
    query: str  # raw query string, without "?"
    target: str  # the raw request target as sent
    headers: dict[str, str]  # lower-cased names
    body: bytes = b""
    via: str = "proxy"  # "proxy" | "tunnel" | "prefix" | "origin"

    @property
    def has_query_mark(self) -> bool:
        return "?" in self.target

    def target_path(self) -> str:
        """Path and query as the client sent them (absolute-form targets lose scheme and host)."""
        if self.target.startswith("/"):
            return self.target
        rest = self.target.split("://", 1)[-1]
        i = rest.find("/")
        return rest[i:] if i >= 0 else "/"

    def cookie(self, name: str) -> str | None:
        for part in self.headers.get("cookie", "").split(";"):
            k, _, v = part.strip().partition("=")
            if k == name:
                return v
        return None


@dataclass(slots=True)
class Response:
    """A computed answer. `resource` answers carry validators; dynamic ones build their own bytes."""

    status: int
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: list[tuple[str, str]] = field(default_factory=list)
    resource: Resource | None = None
    delay: float = 0.0
    truncate: bool = False
    abort: bool = False  # close the connection without any answer (the `reset` block kind)
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, res: Resource) -> Response:
        return cls(
            status=res.status,
            body=res.body,
            content_type=res.content_type,
            headers=list(res.headers),
            resource=res,
            delay=res.delay,
            truncate=res.truncate,
        )

    @classmethod
    def text(cls, status: int, text: str, content_type: str = "text/plain; charset=utf-8") -> Response:
        return cls(status=status, body=text.encode("utf-8"), content_type=content_type)

    @classmethod
    def redirect(cls, status: int, location: str) -> Response:
        return cls(
            status=status,
            body=f'<html><body>Moved: <a href="{location}">{location}</a></body></html>'.encode(),
            headers=[("Location", location)],
        )
