"""TRS WCM pagination (sites.md §3.2): `createPageHTML(countPage, currentPage, "index", "html")`.

Page 0 is `{prefix}.{ext}`, pages 1…N-1 are `{prefix}_{i}.{ext}`, next to the list page. The page count is
read, in this order, from a live `createPageHTML(…)` call, an inline `var countPage = N`, or the 尾页 link.
Calls inside JS comments are stale (a `//createPageHTML(9, 0, …)` can sit beside a live `countPage = 17`) and
are ignored. The same call on an article page (`createPageHTML(3, 0, "t20151009_67430", "html")`) or a bare
`countPage` there means a multi-page article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from parsel import Selector

from crawler.urls import canonicalize

CREATE_PAGE = re.compile(
    r"createPageHTML\s*\(\s*['\"]?(\d+)['\"]?\s*,\s*['\"]?(\d+)['\"]?\s*,\s*['\"]([^'\"]+)['\"]\s*,\s*['\"]([^'\"]+)['\"]"
)
# Some TRS templates call it with an element id first: createPageHTML('page_div', 5, 0, 'index', 'html').
CREATE_PAGE_WITH_ID = re.compile(
    r"createPageHTML\s*\(\s*['\"][^'\"]*['\"]\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*['\"]([^'\"]+)['\"]\s*,\s*['\"]([^'\"]+)['\"]"
)
COUNT_PAGE = re.compile(r"\bcountPage\s*=\s*['\"]?(\d+)")
LAST_PAGE_TEXT = ("尾页", "末页", "最后一页")
PAGE_HREF = re.compile(r"(?:^|/)([A-Za-z]+)_(\d+)\.(s?html?)$")
# JS comments: /* … */ and // … to the end of the line (not the // of a URL, which follows a colon or a quote).
JS_BLOCK_COMMENT = re.compile(r"/\*.*?\*/", re.S)
JS_LINE_COMMENT = re.compile(r"(?<![:'\"\\])//[^\n]*")


@dataclass(frozen=True, slots=True)
class Pager:
    count: int  # total number of pages, page 0 included
    prefix: str  # "index", "list", or an article's "t20151009_67430"
    ext: str  # "html", "shtml", "htm"
    source: str  # createPageHTML | countPage | last-link, for the log

    @property
    def is_article(self) -> bool:
        return bool(re.match(r"t\d{8}_\d+$", self.prefix))


def live_scripts(sel: Selector) -> list[str]:
    """The text of every script element with its JS comments removed (stale pager calls live there)."""
    out = []
    for code in sel.root.xpath("//script[not(@src)]/text()"):
        code = JS_BLOCK_COMMENT.sub("", code)
        code = JS_LINE_COMMENT.sub("", code)
        out.append(code)
    return out


def find_pager(sel: Selector, page_url: str) -> Pager | None:
    """The pagination of a TRS list (or multi-page article), or None when the page has a single page."""
    scripts = live_scripts(sel)
    for code in scripts:
        for pattern in (CREATE_PAGE_WITH_ID, CREATE_PAGE):
            m = pattern.search(code)
            if m:
                count, _current, prefix, ext = m.groups()
                return Pager(int(count), prefix, ext.lstrip("."), "createPageHTML")
    for code in scripts:
        m = COUNT_PAGE.search(code)
        if m:
            prefix, ext = _page_stem(page_url)
            return Pager(int(m.group(1)), prefix, ext, "countPage")
    # The 尾页 link: index_{N-1}.html.
    for a in sel.root.xpath("//a[@href]"):
        text = a.text_content().strip()
        if text in LAST_PAGE_TEXT:
            m = PAGE_HREF.search(urlsplit(a.get("href")).path)
            if m:
                return Pager(int(m.group(2)) + 1, m.group(1), m.group(3), "last-link")
    return None


def page_urls(page_url: str, pager: Pager) -> list[str]:
    """URLs of pages 1…N-1 (page 0 is the page we are on), resolved against the page, not the site root."""
    if pager.count <= 1:
        return []
    return [canonicalize(urljoin(page_url, f"{pager.prefix}_{i}.{pager.ext}")) for i in range(1, pager.count)]


def next_probe(page_url: str) -> str | None:
    """For a list without a readable pager: the URL of the next page (`index.html` -> `index_1.html`)."""
    path = urlsplit(page_url).path
    m = PAGE_HREF.search(path)
    if m:
        prefix, n, ext = m.group(1), int(m.group(2)), m.group(3)
        return canonicalize(urljoin(page_url, f"{prefix}_{n + 1}.{ext}"))
    prefix, ext = _page_stem(page_url)
    return canonicalize(urljoin(page_url, f"{prefix}_1.{ext}"))


def _page_stem(page_url: str) -> tuple[str, str]:
    """`…/index.html` -> ("index", "html"); a bare folder `…/` -> ("index", "html")."""
    name = urlsplit(page_url).path.rsplit("/", 1)[-1]
    m = re.match(r"(t\d{8}_\d+)(?:_\d+)?\.(s?html?)$", name)  # an article: t{date}_{docid}[_{page}]
    if m:
        return m.group(1), m.group(2)
    m = re.match(r"(.+?)(?:_\d+)?\.(s?html?)$", name)
    if m:
        return m.group(1), m.group(2)
    return "index", "html"
