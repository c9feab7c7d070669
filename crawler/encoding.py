"""Decode legacy Chinese pages right, and say when the server lied about their charset (E16, sites.md §4.4).

Scrapy trusts the HTTP header over the page. A GBK page served as `charset=utf-8` would then read as
U+FFFD soup. `checked_encoding()` verifies the declared charset against the bytes and, when it does not fit,
takes the page's `<meta>` charset or GB18030 (a superset of GB2312/GBK: 镕, 堃 and 喆 decode) instead, with
a note for the run report.
"""

from __future__ import annotations

import codecs
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the report workers use python_codec without loading Scrapy
    from scrapy.http import TextResponse

META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.IGNORECASE)
# GB2312 and GBK are subsets of GB18030: decoding with the superset never loses a character.
UPGRADE = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "cp936": "gb18030",
}


def python_codec(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().lower()
    name = UPGRADE.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def header_charset(response: TextResponse) -> str | None:
    content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
    m = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_-]+)", content_type, re.IGNORECASE)
    return m.group(1) if m else None


def checked_encoding(response: TextResponse) -> tuple[TextResponse, str | None]:
    """The response, re-decoded if its declared charset does not fit its bytes, and a note saying so."""
    declared = header_charset(response)
    codec = python_codec(declared)
    body = response.body
    if codec is None or _fits(body, codec):
        return response, None
    meta = META_CHARSET.search(body[:4096])
    candidates = [python_codec(meta.group(1).decode("ascii", "ignore")) if meta else None, "gb18030", "utf-8"]
    for candidate in candidates:
        if candidate and candidate != codec and _fits(body, candidate):
            note = f"the header says charset={declared}, the bytes are {candidate}"
            if response._cached_selector is not None:  # noqa: SLF001 - see crawler/middlewares/memory.py
                response._cached_selector = None  # noqa: SLF001
            return response.replace(encoding=candidate), note
    return response, f"the bytes do not decode as the declared charset={declared}"


def _fits(body: bytes, codec: str) -> bool:
    try:
        body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return False
    return True
