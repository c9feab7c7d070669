"""What an attachment really is, and whether that is what we were promised (sites.md §7.5 items 6-10).

Three opinions are compared: the format the link promised (its text `….pdf` or its URL's extension), the
`Content-Type` the server declared, and the format the first bytes show. Disagreement is flagged, never
silently accepted: an HTML error page served as `.pdf` is not a PDF, whatever its URL says.
"""

from __future__ import annotations

import re
import zipfile
from io import BytesIO
from urllib.parse import parse_qs, unquote, urlsplit

CONTENT_TYPES = {
    "application/pdf": "pdf",
    "application/msword": "doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.ms-works": "wps",
    "application/kswps": "wps",
    "application/wps-office.wps": "wps",
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "txt",
    "application/zip": "zip",
}
GENERIC_TYPES = {
    "application/octet-stream",
    "application/x-download",
    "application/force-download",
    "binary/octet-stream",
    "",
}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
EXTENSION = re.compile(r"\.(pdf|docx?|wps|xlsx?|et|ofd|zip|rar|txt|s?html?)$", re.IGNORECASE)
# OLE files of one format answer to several names: a .wps is a Word binary file, an .et an Excel one.
SAME_FORMAT = {"wps": "doc", "et": "xls", "htm": "html", "shtml": "html"}


def sniff(body: bytes) -> str | None:
    """The format the bytes show: pdf, docx, xlsx, zip, ole (doc/xls/wps), html, or None."""
    head = body[:1024]
    if head.startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _ooxml_kind(body)
    if head.startswith(OLE_MAGIC):
        return "ole"
    text = head.lstrip().lower()
    if (
        text.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<!--", b"<script"))
        or b"<html" in text
    ):
        return "html"
    return None


def format_of_content_type(content_type: str | None) -> str | None:
    ct = (content_type or "").split(";")[0].strip().lower()
    if ct in GENERIC_TYPES:
        return None
    return CONTENT_TYPES.get(ct, ct)


def format_of_name(name: str | None) -> str | None:
    """`….pdf` -> pdf; for download gateways (`downfile.jsp?filename=x.pdf`), the file name in the query."""
    if not name:
        return None
    parts = urlsplit(name) if "://" in name or name.startswith("/") else None
    candidates = [name.strip()]
    if parts is not None:
        candidates = [parts.path]
        query = parse_qs(parts.query)
        candidates += [
            unquote(v) for key in ("showname", "filename", "file", "name") for v in query.get(key, [])
        ]
    for candidate in candidates:
        m = EXTENSION.search(candidate.strip())
        if m:
            ext = m.group(1).lower()
            return SAME_FORMAT.get(ext, ext)
    return None


def compare(
    promised: str | None, declared_content_type: str | None, body: bytes
) -> tuple[str | None, str | None]:
    """(the format the bytes show, a note when the three opinions disagree, else None)."""
    sniffed = sniff(body)
    declared = format_of_content_type(declared_content_type)
    promised = SAME_FORMAT.get(promised or "", promised)
    actual = sniffed
    if sniffed == "ole":
        actual = promised if promised in ("doc", "xls") else declared if declared in ("doc", "xls") else "ole"
    notes = []
    if promised and actual and promised != actual:
        notes.append(f"the link promises {promised}, the bytes are {actual}")
    if (
        declared
        and actual
        and declared != actual
        and not (declared in ("doc", "xls", "wps") and sniffed == "ole")
    ):
        notes.append(f"Content-Type says {declared}, the bytes are {actual}")
    if declared is None and (declared_content_type or "").strip():
        notes.append(f"generic Content-Type {declared_content_type.split(';')[0].strip()}")
    return actual, "; ".join(notes) or None


def _ooxml_kind(body: bytes) -> str:
    try:
        names = zipfile.ZipFile(BytesIO(body)).namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return "zip"
    if any(n.startswith("word/") for n in names):
        return "docx"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    return "zip"
