"""What a detail page says about itself: title, body text, attachments, continuation pages, replacement.

Government CMSs share conventions (sites.md §4): `<meta name="ArticleTitle">`, a body container (`#zoom`,
`#mainText`, `.TRS_Editor`, `.TRS_UEDITOR`, `#UCAP-CONTENT` …), attachments linked below the body or
embedded with the pdf.js viewer. Structured reading of the report itself is the parser's job; this module
only finds what the crawler needs to decide what to fetch next.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from lxml import etree
from parsel import Selector

from crawler.classify import says_superseded
from crawler.extract.dates import published_date
from crawler.extract.links import Link, iframe_documents, link_kind, links_of
from crawler.extract.trs import find_pager, page_urls
from crawler.urls import canonicalize

# Body containers, most specific first (sites.md §2.1, §4.3, §7.4.2). The inner TRS_UEDITOR/TRS_Editor div
# holds the text when it sits inside #mainText; #zoom is Hanweb's and kw's.
BODY_CONTAINERS = (
    "//*[@id='zoom']",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' TRS_UEDITOR ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' trs_editor_view ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' TRS_Editor ')]",
    "//*[@id='mainText']",
    "//*[@id='UCAP-CONTENT']",
    "//*[contains(@class, 'bt_content')]",
    "//article",
)
# One scan of the document for all of them; the priority above is applied to what it returns.
_CONTAINER_TEST = (
    "[@id='zoom' or @id='mainText' or @id='UCAP-CONTENT' or contains(@class, 'TRS_UEDITOR')"
    " or contains(@class, 'trs_editor_view') or contains(@class, 'TRS_Editor') or contains(@class, 'bt_content')]"
)
# Containers are blocks: testing the tag first keeps the scan cheap on Word-pasted pages full of spans.
_CANDIDATES = etree.XPath(
    f"//div{_CONTAINER_TEST} | //td{_CONTAINER_TEST} | //section{_CONTAINER_TEST} | //article"
)
_CONTAINER_TESTS = (
    lambda el: el.get("id") == "zoom",
    lambda el: "TRS_UEDITOR" in (el.get("class") or "").split(),
    lambda el: "trs_editor_view" in (el.get("class") or "").split(),
    lambda el: "TRS_Editor" in (el.get("class") or "").split(),
    lambda el: el.get("id") == "mainText",
    lambda el: el.get("id") == "UCAP-CONTENT",
    lambda el: "bt_content" in (el.get("class") or ""),
    lambda el: el.tag == "article",
)
TITLE_NODES = (
    "//meta[@name='ArticleTitle']/@content",
    "//*[contains(@class,'header')]/p//text()",
    "//td[contains(@class,'title')]//text()",
    "//h1//text()",
    "//*[contains(@class,'title')][not(self::head) and not(self::title)]/h2//text()",
)
ATTACHMENT_TEXT = re.compile(r"\.(pdf|docx?|wps|xlsx?|et|ofd)\s*$", re.IGNORECASE)
# Cheap pre-filter on raw hrefs and texts before anything is resolved or canonicalised.
_ATTACHMENT_HINT = re.compile(
    r"\.(?:pdf|docx?|wps|xlsx?|et|ofd|zip|rar|7z|csv)\b|downfile|download", re.IGNORECASE
)
_SPACES = re.compile(r"[ \t\r\f\v\xa0\u3000]+")


@dataclass(slots=True)
class DetailPage:
    title: str
    text: str  # the body container's text (whole page text when no container is found)
    has_body: bool  # a known body container was found
    attachments: list[Link] = field(default_factory=list)
    continuation: list[str] = field(default_factory=list)  # t…_1.html … of a multi-page article
    superseded_notice: bool = False  # 本报告已更正，请以…为准
    superseded_by: str | None = None  # the link in that notice, when there is one
    meta: dict[str, str] = field(default_factory=dict)
    published: dt.date | None = None  # the date the page says it was published (extract/dates.py)
    published_from: str | None = None  # meta | page | url


def read_detail(sel: Selector, url: str, html: str | None = None) -> DetailPage:
    """`html` is the page's text, when the caller has it (the replacement notice is looked for there)."""
    root = sel.root
    body = body_node(root)
    whole = body if body is not None else (root.find("body") if root.find("body") is not None else root)
    text = _text(whole)
    page = DetailPage(title=page_title(sel), text=text, has_body=body is not None)
    metas = {m.get("name"): (m.get("content") or "").strip() for m in root.iterfind(".//meta[@name]")}
    page.meta = {
        name: metas[name]
        for name in (
            "ArticleTitle",
            "PubDate",
            "publishdate",
            "ContentSource",
            "SiteName",
            "ColumnName",
            "Url",
        )
        if metas.get(name)
    }
    found = published_date(page.meta, lambda: _text(root), url)
    if found is not None:
        page.published, page.published_from = found
    page.attachments = attachment_links(sel, url)
    pager = find_pager(sel, url)
    if pager is not None and (pager.is_article or pager.source == "countPage"):
        page.continuation = page_urls(url, pager)
    # The notice may stand outside the body container (a red line above it): look in the whole page.
    page.superseded_notice = says_superseded(text[:2000]) or (
        body is not None and _says_superseded_anywhere(html if html is not None else _text(root))
    )
    if page.superseded_notice:
        page.superseded_by = _notice_link(sel, url)
    return page


def page_title(sel: Selector) -> str:
    root = sel.root
    for xpath in TITLE_NODES:
        value = re.sub(r"\s+", " ", " ".join(str(v) for v in root.xpath(xpath))).strip()
        if value:
            return value
    raw = " ".join(root.xpath("//title/text()")).strip()
    # `{title}_站名` (TRS) or `站名 栏目 标题` (Hanweb): the longest part is the article's title.
    parts = [p for p in re.split(r"[_|]|\s{1,}", raw) if p]
    return max(parts, key=len) if parts else raw


def attachment_links(sel: Selector, url: str) -> list[Link]:
    """Attachment links: by target (extension, download gateway) or by text (`附件：….pdf`), plus iframes."""
    out: list[Link] = []
    seen: set[str] = set()
    candidates = [
        a
        for a in sel.root.iter("a")
        if _ATTACHMENT_HINT.search(a.get("href") or "") or _ATTACHMENT_HINT.search(a.text_content() or "")
    ]
    for link in links_of(candidates, url):
        if link.url in seen:
            continue
        if link_kind(link.url) == "attachment" or (
            ATTACHMENT_TEXT.search(link.text) and link_kind(link.url) != "detail"
        ):
            seen.add(link.url)
            out.append(link)
    for link in iframe_documents(sel, url):
        if link.url not in seen:
            seen.add(link.url)
            out.append(link)
    return out


def declared_type(link_text: str) -> str | None:
    """The format a link's text promises (`….pdf` -> pdf), to compare with what arrives."""
    m = ATTACHMENT_TEXT.search(link_text or "")
    return m.group(1).lower() if m else None


_NOTICE_WORDS = ("已更正", "已作废", "已被替换", "已重新发布", "为准")
_TAG = re.compile(r"<[^>]*>")


def _says_superseded_anywhere(html: str) -> bool:
    """The replacement notice anywhere on the page: found by its words, then checked around them only."""
    for word in _NOTICE_WORDS:
        start = html.find(word)
        while start != -1:
            if says_superseded(_TAG.sub("", html[max(0, start - 120) : start + 120])):
                return True
            start = html.find(word, start + 1)
    return False


def body_node(root):  # noqa: ANN001, ANN201 - an lxml element
    """The report body container of a page, or None."""
    candidates = _CANDIDATES(root)
    for test in _CONTAINER_TESTS:
        for el in candidates:
            if test(el):
                return el
    return None


def _text(node) -> str:  # noqa: ANN001 - an lxml element
    return _SPACES.sub(
        " ", "\n".join(line.strip() for line in node.text_content().splitlines() if line.strip())
    )


def _notice_link(sel: Selector, url: str) -> str | None:
    """The link next to a 已更正 notice (the newer version), if the notice carries one."""
    for a in sel.root.xpath("//a[@href]"):
        parent = a.getparent()
        context = parent.text_content() if parent is not None else a.text_content()
        if says_superseded(context):
            return canonicalize(a.get("href"), url)
    return None
