"""Live links of an HTML page: anchors outside comments, JS-only navigation, and what each link points at.

HTML comments are dropped by the parser, so commented-out list items (sites.md §3.2, E20) never show up.
A year tab reachable only by `onclick="location.href='./2016nb/'"` (sites.md §7.4.7) is a link too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal
from urllib.parse import parse_qs, urljoin, urlsplit

from parsel import Selector

from crawler.urls import canonicalize

LinkKind = Literal["detail", "folder", "attachment", "other"]

ATTACHMENT_EXT = re.compile(r"\.(pdf|docx?|wps|xlsx?|et|ofd|zip|rar|7z|txt|csv)$", re.IGNORECASE)
# Hanweb download gateway: /module/download/downfile.jsp?classid=0&filename=….pdf
DOWNLOAD_GATEWAY = re.compile(r"/(?:module/download/)?down(?:load)?file\.jsp$", re.IGNORECASE)
PDFJS_VIEWER = re.compile(r"/pdfjs/web/viewer\.html$", re.IGNORECASE)

# Detail pages of the CMS families we know (sites.md §2):
DETAIL_PATTERNS = [
    re.compile(r"/t\d{8}_\d+(?:_\d+)?\.(?:s?html?)$"),  # TRS t20240125_3547711.html
    re.compile(r"/art/\d{4}[/-]\d{1,2}[/-]\d{1,2}/art_\d+_\d+\.html$"),  # Hanweb art URL
    re.compile(r"/col/[^/]+/art/.+\.html$"),  # newer Hanweb
    re.compile(r"/[0-9a-f]{32}\.s?html?$"),  # uuid .shtml (bjft old, bjmtg), 32-hex (bjchy)
    re.compile(r"/[0-9a-f]{24}\.html$"),  # 24-hex (bjchy)
    re.compile(r"/gknbxq/[^/]+\.html$"),  # bjxch path-encoded query
    re.compile(r"/art_[0-9a-f]{32}\.html$"),
    re.compile(r"/info/\d+/\d+\.htm$"),
    re.compile(r"/\d{6,}\.jhtml$"),
    re.compile(r"AnnualReport\.jsp$", re.IGNORECASE),  # lishui xxgkAnnualReport.jsp?fbtime=…
]
# A docid folder (bjdx, zgcgw): …/728163/ or …/728163/index.html. Year nodes (2018n, 2291822) look the same,
# so a docid link is decided by its title or, failing that, by the page it returns.
DOCID_FOLDER = re.compile(r"/(\d{5,})/(?:index\.html?)?$")
FOLDER = re.compile(r"/(?:(?:index|list|default)(?:_\d+)?\.s?html?)?$")

JS_LOCATION = re.compile(
    r"""(?:location(?:\.href)?\s*=|window\.open\s*\(|location\.(?:assign|replace)\s*\()\s*['"]([^'"]+)['"]"""
)


@dataclass(frozen=True, slots=True)
class Link:
    url: str  # canonical absolute URL
    text: str  # the anchor text
    title: str  # the best title: the `title=` attribute when the text is truncated or empty (E21)
    raw_url: str  # the URL as the page wrote it, resolved but not canonicalised (kept as an alt URL)

    @property
    def kind(self) -> LinkKind:
        return link_kind(self.url)


def link_kind(url: str) -> LinkKind:
    parts = urlsplit(url)
    path = parts.path
    if DOWNLOAD_GATEWAY.search(path) or (ATTACHMENT_EXT.search(path) and not path.endswith(".txt")):
        return "attachment"
    if any(p.search(path) for p in DETAIL_PATTERNS):
        return "detail"
    if FOLDER.search(path):
        return "folder"
    return "other"


def extract_links(sel: Selector, base_url: str) -> list[Link]:
    """Every live link of the page, in document order, de-duplicated by canonical URL."""
    # lxml directly: parsel would wrap every text node in a Selector, the crawler's hottest cost.
    root = sel.root
    anchors = root.xpath("//a[@href] | //area[@href]")
    links = links_of(anchors, base_url, root=root)
    # JS-only navigation: onclick handlers and the like.
    seen = {link.url for link in links}
    base = _base(root, base_url)
    for node in root.xpath("//*[@onclick]"):
        m = JS_LOCATION.search(node.get("onclick") or "")
        if m:
            _add(links, seen, m.group(1), base, _clean(node.text_content()), _clean(node.get("title") or ""))
    return links


def links_of(anchors: list, base_url: str, *, root=None) -> list[Link]:  # noqa: ANN001
    """Links of these anchor elements (lxml), resolved against the page (or its `<base href>`)."""
    base = _base(
        root if root is not None else (anchors[0].getroottree().getroot() if anchors else None), base_url
    )
    seen: set[str] = set()
    links: list[Link] = []
    for a in anchors:
        text = _clean(a.text_content()) if a.tag == "a" else ""
        _add(links, seen, (a.get("href") or "").strip(), base, text, _clean(a.get("title") or ""))
    return links


def _base(root, base_url: str) -> str:  # noqa: ANN001
    if root is None:
        return base_url
    bases = root.xpath("//base/@href")
    return canonicalize(bases[0], base_url) if bases and bases[0].strip() else base_url


def iframe_documents(sel: Selector, base_url: str) -> list[Link]:
    """Documents embedded with an iframe, including the pdf.js viewer's `?file=` (sites.md §7.5 item 7)."""
    out: list[Link] = []
    seen: set[str] = set()
    for src in sel.root.xpath("//iframe/@src | //embed/@src | //object/@data"):
        src = src.strip()
        parts = urlsplit(src)
        if PDFJS_VIEWER.search(parts.path):
            target = (parse_qs(parts.query).get("file") or [""])[0]
            if target:
                # The file sits next to the page that embeds it, not next to the viewer.
                _add(out, seen, target, base_url, "", "")
        elif ATTACHMENT_EXT.search(parts.path):
            _add(out, seen, src, base_url, "", "")
    return out


def best_title(text: str, title: str) -> str:
    """The anchor's full title: `title=` wins when the text is truncated (… or ...) or empty."""
    if title and (not text or text.endswith(("…", "...", "..")) or len(title) > len(text)):
        return title
    return text or title


def _add(links: list[Link], seen: set[str], href: str, base: str, text: str, title: str) -> None:
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
        return
    try:
        url = _canonical(urljoin(base, href))
    except ValueError:
        return
    if not url.startswith(("http://", "https://")) or url in seen:
        return
    seen.add(url)
    raw = urljoin(base, href)
    links.append(Link(url=url, text=text, title=best_title(text, title), raw_url=raw))


@lru_cache(maxsize=65536)
def _canonical(absolute: str) -> str:
    # Site chrome repeats the same links on every page: canonicalise each URL once.
    return canonicalize(absolute)


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()
