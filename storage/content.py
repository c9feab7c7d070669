"""Small helpers about bytes: Content-Encoding, digests, media types."""

from __future__ import annotations

import base64
import gzip
import hashlib
import mimetypes
import zlib
from collections.abc import Iterable

try:  # brotli comes with some Scrapy installs; without it a `br` body is archived undecoded
    import brotli  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - depends on the environment
    brotli = None


def header(headers: Iterable[tuple[str, str]], name: str) -> str | None:
    name = name.lower()
    for k, v in headers:
        if k.lower() == name:
            return v
    return None


def decode_content(body: bytes, content_encoding: str | None) -> tuple[bytes, str | None]:
    """The body with its Content-Encoding removed, and an error message when that was impossible.

    On error the body is returned as received: it is still archived, and the fetch says why it
    could not be decoded.
    """
    if not content_encoding or not body:
        return body, None
    data = body
    for coding in reversed([c.strip().lower() for c in content_encoding.split(",") if c.strip()]):
        try:
            if coding in ("gzip", "x-gzip"):
                data = gzip.decompress(data)
            elif coding == "deflate":
                try:
                    data = zlib.decompress(data)
                except zlib.error:
                    data = zlib.decompress(data, -zlib.MAX_WBITS)  # raw deflate, as some servers send
            elif coding == "br" and brotli is not None:
                data = brotli.decompress(data)
            elif coding == "identity":
                continue
            else:
                return body, f"unsupported Content-Encoding {coding!r}; body kept as received"
        except Exception as exc:  # corrupt or truncated compressed data
            return body, f"could not decode Content-Encoding {coding!r} ({exc}); body kept as received"
    return data, None


def warc_payload_digest(data: bytes) -> str:
    """WARC-Payload-Digest as warcio writes it: `sha1:` + base32."""
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode("ascii")


def sha1_base32(digest: bytes) -> str:
    return "sha1:" + base64.b32encode(digest).decode("ascii")


def sniff_media_type(head: bytes, name: str | None = None) -> str:
    """A media type from the first bytes; the file name only breaks ties."""
    h = head.lstrip()[:512].lower()
    if head.startswith(b"%PDF"):
        return "application/pdf"
    if head.startswith(b"PK\x03\x04"):
        guessed = mimetypes.guess_type(name or "")[0]
        if guessed and ("officedocument" in guessed or guessed == "application/zip"):
            return guessed
        return "application/zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        guessed = mimetypes.guess_type(name or "")[0]
        if guessed in ("application/msword", "application/vnd.ms-excel"):
            return guessed
        return "application/x-ole-storage"
    if h.startswith((b"<!doctype html", b"<html", b"<head", b"<meta", b"<body")) or b"<html" in h:
        return "text/html"
    guessed = mimetypes.guess_type(name or "")[0]
    if guessed:
        return guessed
    return "text/plain" if _looks_textual(head) else "application/octet-stream"


def _looks_textual(head: bytes) -> bool:
    if not head:
        return False
    return b"\x00" not in head[:4096]
