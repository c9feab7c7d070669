"""One document from a multi-page article (`t…html`, `t…_1.html`, E19): the parser sees the whole report.

Page 0 keeps its chrome and metadata; the body containers of the following pages are appended, in order,
to page 0's body container, so a table split over two pages arrives as two consecutive tables (the parser
joins those, as it does for PDF page breaks). The result is UTF-8; each page is decoded with its own charset.
"""

from __future__ import annotations

import lxml.html

from crawler.extract.detail import BODY_CONTAINERS


def join_pages(pages: list[tuple[bytes, str]]) -> bytes:
    """`pages` is [(bytes, encoding)] in page order; returns one UTF-8 HTML document."""
    first_bytes, first_encoding = pages[0]
    root = lxml.html.document_fromstring(first_bytes.decode(first_encoding, "replace"))
    target = _container(root)
    if target is None:
        target = root.find("body") if root.find("body") is not None else root
    for data, encoding in pages[1:]:
        other = lxml.html.document_fromstring(data.decode(encoding, "replace"))
        source = _container(other)
        if source is None:
            source = other.find("body") if other.find("body") is not None else other
        for child in list(source):
            target.append(child)
    head = root.find("head")
    if head is not None:
        for meta in head.findall("meta"):
            if meta.get("charset") or (meta.get("http-equiv") or "").lower() == "content-type":
                head.remove(meta)
        head.insert(0, lxml.html.fromstring('<meta charset="utf-8">'))
    return lxml.html.tostring(root, encoding="utf-8", doctype="<!DOCTYPE html>")


def _container(root: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The innermost body container (`#mainText > div.TRS_UEDITOR`: the inner one holds the text)."""
    found = {el for xpath in BODY_CONTAINERS for el in root.xpath(xpath)}
    innermost = [el for el in found if not any(other in found for other in el.iterdescendants())]
    if not innermost:
        return None
    order = {el: i for i, el in enumerate(root.iter())}
    return min(innermost, key=lambda el: order.get(el, 0))
