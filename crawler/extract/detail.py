"""What a detail page says about itself: title, body text, attachments, continuation pages, replacement.

Government CMSs share conventions (sites.md §4): `<meta name="ArticleTitle">`, a body container (`#zoom`,
`#mainText`, `.TRS_Editor`, `.TRS_UEDITOR`, `#UCAP-CONTENT` …), attachments linked below the body or
embedded with the pdf.js viewer. Structured reading of the report itself is the parser's job; this module
only finds what the crawler needs to decide what to fetch next.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from parsel import Selector

from crawler.classify import says_superseded
from crawler.extract.links import Link, extract_links, iframe_documents, link_kind
from crawler.extract.trs import find_pager, page_urls
from crawler.urls import canonicalize

BODY_CONTAINERS = (
    "//*[@id='zoom']",
    "//*[@id='mainText']",
    "//*[@id='UCAP-CONTENT']",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' TRS_UEDITOR ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' trs_editor_view ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' TRS_Editor ')]",
    "//*[contains(@class, 'bt_content')]",
    "//article",
)
TITLE_NODES = (
    "//meta[@name='ArticleTitle']/@content",
    "//*[contains(@class,'header')]/p//text()",
    "//td[contains(@class,'title')]//text()",
    "//h1//text()",
    "//*[contains(@class,'title')][not(self::head) and not(self::title)]/h2//text()",
)
ATTACHMENT_TEXT = re.compile(r"\.(pdf|docx?|wps|xlsx?|et|ofd)\s*$", re.IGNORECASE)


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


def read_detail(sel: Selector, url: str) -> DetailPage:
    body = _body_node(sel)
    text = _text(body) if body is not None else _text(sel.xpath("//body") or sel)
    page = DetailPage(title=page_title(sel), text=text, has_body=body is not None)
    page.meta = {
        name: value
        for name in ("ArticleTitle", "PubDate", "ContentSource", "SiteName", "ColumnName", "Url")
        if (value := (sel.xpath(f"//meta[@name='{name}']/@content").get() or "").strip())
    }
    page.attachments = attachment_links(sel, url)
    pager = find_pager(sel, url)
    if pager is not None and (pager.is_article or pager.source == "countPage"):
        page.continuation = page_urls(url, pager)
    page.superseded_notice = says_superseded(text[:2000]) or says_superseded(
        _text(sel.xpath("//body"))[:4000]
    )
    if page.superseded_notice:
        page.superseded_by = _notice_link(sel, url)
    return page


def page_title(sel: Selector) -> str:
    for xpath in TITLE_NODES:
        value = re.sub(r"\s+", " ", " ".join(sel.xpath(xpath).getall())).strip()
        if value:
            return value
    raw = (sel.xpath("//title/text()").get() or "").strip()
    # `{title}_站名` (TRS) or `站名 栏目 标题` (Hanweb): the longest part is the article's title.
    parts = [p for p in re.split(r"[_|]|\s{1,}", raw) if p]
    return max(parts, key=len) if parts else raw


def attachment_links(sel: Selector, url: str) -> list[Link]:
    """Attachment links: by target (extension, download gateway) or by text (`附件：….pdf`), plus iframes."""
    out: list[Link] = []
    seen: set[str] = set()
    for link in extract_links(sel, url):
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


def _body_node(sel: Selector) -> Selector | None:
    for xpath in BODY_CONTAINERS:
        nodes = sel.xpath(xpath)
        if nodes:
            return nodes[0]
    return None


def _text(node: Selector | list) -> str:
    if isinstance(node, list):
        node = node[0] if node else None
    if node is None:
        return ""
    parts = node.xpath(".//text()[not(ancestor::script) and not(ancestor::style)]").getall()
    return re.sub(r"[ \t\r\f\v\xa0\u3000]+", " ", "\n".join(p.strip() for p in parts if p.strip()))


def _notice_link(sel: Selector, url: str) -> str | None:
    """The link next to a 已更正 notice (the newer version), if the notice carries one."""
    for a in sel.xpath("//a[@href]"):
        context = " ".join(a.xpath("ancestor::*[1]//text()").getall())
        if says_superseded(context):
            return canonicalize(a.attrib["href"], url)
    return None
