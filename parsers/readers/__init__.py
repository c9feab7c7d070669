"""Readers: one module per format, each `read_<format>(data, limits, deadline) -> Layout`.

`read()` chooses the reader by sniffing the bytes; the declared media type and the URL's extension
only break ties (servers send PDFs as application/octet-stream and error pages as .pdf).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from urllib.parse import urlsplit

from parsers.errors import ParseError
from parsers.layout import Layout
from parsers.limits import Deadline, Limits

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_MARK = re.compile(
    rb"<\s*(!doctype\s+html|html|head|body|meta|div|p|table|span|br|title|script)\b", re.I
)
_IMAGES = {
    b"\x89PNG": "PNG",
    b"\xff\xd8\xff": "JPEG",
    b"GIF8": "GIF",
    b"II*\x00": "TIFF",
    b"MM\x00*": "TIFF",
    b"BM": "BMP",
}
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "html": "text/html",
    "text": "text/plain",
}
_TEXT_EXT = {".txt", ".text", ".md", ".markdown", ".csv", ".tsv"}
_HTML_EXT = {".htm", ".html", ".shtml", ".xhtml", ".jsp", ".asp", ".aspx", ".php"}


def _extension(url: str | None) -> str:
    if not url:
        return ""
    path = urlsplit(url).path if "://" in url else url
    dot = path.rfind(".")
    return path[dot:].lower() if dot > path.rfind("/") else ""


def sniff(data: bytes, media_type: str | None = None, url: str | None = None) -> str:
    """The format of `data`: pdf, docx, xlsx, doc, xls, html or text. Raises ParseError otherwise."""
    if not data or not data.strip():
        raise ParseError("the document is empty", kind="unreadable")
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        containers = _module("containers", "DOCX/XLSX")
        kind = containers.sniff_zip(data)
        if kind is None:
            raise ParseError("a zip archive that is neither DOCX nor XLSX", kind="unsupported")
        return kind
    if data.startswith(OLE_MAGIC):
        containers = _module("containers", "DOC/XLS")
        kind = containers.sniff_ole(data)
        if kind is None:
            raise ParseError(
                "an OLE compound file that is neither a Word nor an Excel document", kind="unsupported"
            )
        return kind
    if data.startswith(b"{\\rtf"):
        raise ParseError("RTF documents are not supported", kind="unsupported")
    for magic, name in _IMAGES.items():
        if data.startswith(magic):
            raise ParseError(f"the document is a {name} image: the report needs OCR", kind="needs_ocr")
    head = data[:4096]
    if _looks_binary(head):
        raise ParseError(
            "binary data of an unknown format (not PDF, Word, Excel, HTML or text)", kind="unreadable"
        )
    declared = (media_type or "").split(";")[0].strip().lower()
    ext = _extension(url)
    tags = len(_HTML_MARK.findall(head)) + len(_HTML_MARK.findall(data[-2048:]))
    if tags >= 2 or (tags == 1 and (declared in ("text/html", "application/xhtml+xml") or ext in _HTML_EXT)):
        return "html"
    return "text"


def _looks_binary(head: bytes) -> bool:
    if b"\x00" in head[:1024] and not (head.startswith(b"\xff\xfe") or head.startswith(b"\xfe\xff")):
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > max(8, len(head) // 50)


def _module(name: str, what: str):
    try:
        return importlib.import_module(f"parsers.readers.{name}")
    except ImportError as exc:
        raise ParseError(f"reading {what} is not available: {exc}", kind="unsupported") from exc


def _reader(fmt: str) -> Callable[[bytes, Limits, Deadline], Layout]:
    module, func, what = {
        "pdf": ("pdf", "read_pdf", "PDF"),
        "docx": ("docx", "read_docx", "DOCX"),
        "doc": ("doc", "read_doc", "DOC/WPS"),
        "xls": ("sheet", "read_sheet", "XLS"),
        "xlsx": ("sheet", "read_sheet", "XLSX"),
    }[fmt]
    return getattr(_module(module, what), func)


def read(data: bytes, media_type: str | None, url: str | None, limits: Limits, deadline: Deadline) -> Layout:
    """The Layout of a document of any supported format."""
    fmt = sniff(data, media_type, url)
    if fmt == "html":
        from parsers.readers.html import read_html

        return read_html(data, limits, deadline, media_type=media_type)
    if fmt == "text":
        from parsers.readers.text import read_text

        declared = (media_type or "").split(";")[0].strip().lower()
        if declared != "text/markdown" and _extension(url) in (".md", ".markdown"):
            media_type = "text/markdown"
        return read_text(data, limits, deadline, media_type=media_type)
    layout = _reader(fmt)(data, limits, deadline)
    if not layout.media_type:
        layout.media_type = MEDIA_TYPES[fmt]
    return layout
