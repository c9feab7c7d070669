"""Hanweb JCMS column pages (sites.md §2.2, §3.1): the list is not in the DOM.

A column page carries one or more `jpage` units: `<div id="{unitid}"><script type="text/xml"><datastore>`
with the first group of records embedded, and a `$('#{unitid}').jpage({proxyUrl:…, totalRecord:N,
perPage:P, ajaxParam:{…}})` call. The remaining records come from `proxyUrl` (whatever path the page names:
`/module/web/jpage/dataproxy.jsp`, `/module/jpage/dataproxy.jsp` …), in window mode (`startrecord`,
`endrecord`, `perpage` plus the ajaxParam form fields, three pages per call). Old columns instead write
`urls[i]='…';headers[i]="<a title=…>"` JS arrays. Everything here reads parameters from the page; nothing is
hard-coded.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urljoin, urlsplit

from parsel import Selector

from crawler.extract.links import Link, best_title
from crawler.urls import canonicalize

RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S)
NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[(.*?)\]\]>\s*</nextgroup>", re.S)
TOTAL_RECORD_XML = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>")
TOTAL_PAGE_XML = re.compile(r"<totalpage>\s*(\d+)\s*</totalpage>")
JPAGE_CALL = re.compile(r"""\(\s*['"]#([\w-]+)['"]\s*\)\s*\.jpage\s*\(\s*\{(.*?)\}\s*\)\s*;?""", re.S)
OPTION = re.compile(r"""(\w+)\s*:\s*(\{[^{}]*\}|'[^']*'|"[^"]*"|[\w.$-]+)""")
VAR_OBJECT = re.compile(r"""var\s+([\w$]+)\s*=\s*(\{[^{}]*\})""")
JS_ARRAY_URL = re.compile(r"""urls\[i\]\s*=\s*['"]([^'"]+)['"]""")
JS_ARRAY_HEADER = re.compile(r"""headers\[i\]\s*=\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""")
DEFAULT_GROUP_SIZE = 3


@dataclass(slots=True)
class JpageUnit:
    unitid: str
    records: list[Link] = field(default_factory=list)  # the embedded first group
    proxy_url: str | None = None  # absolute, from the page
    total_record: int | None = None
    per_page: int | None = None
    group_size: int = DEFAULT_GROUP_SIZE
    ajax_param: dict[str, str] = field(default_factory=dict)
    nextgroup: str | None = None  # the `<nextgroup>` href (page mode template), absolute

    def window_requests(self) -> list[tuple[str, dict[str, str]]]:
        """(URL, form data) of the dataproxy calls still needed after the embedded group (window mode).

        As jpage.js does it: the window in the query string, the unit's ajaxParam fields in the POST body.
        One call returns one group (perPage × groupSize records): 1–45, 46–90, … with P=15.
        """
        if not (self.proxy_url and self.total_record and self.per_page):
            return []
        window = self.per_page * self.group_size
        already = len(self.records)
        calls = []
        for k in range(1, math.ceil(self.total_record / window) + 1):
            start, end = (k - 1) * window + 1, min(k * window, self.total_record)
            if end <= already:
                continue  # embedded in the page
            url = f"{self.proxy_url}?startrecord={start}&endrecord={end}&perpage={self.per_page}"
            calls.append((url, dict(self.ajax_param)))
        return calls

    def page_mode_urls(self, total_pages: int, first: int = 1) -> list[str]:
        """Page-mode URLs from the `<nextgroup>` template (`…dataproxy.jsp?page=N&…`), pages first…total."""
        if not self.nextgroup:
            return []
        parts = urlsplit(self.nextgroup)
        query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "page"]
        urls = []
        for n in range(first, total_pages + 1):
            q = "&".join(f"{k}={v}" for k, v in [("page", str(n)), *query])
            urls.append(canonicalize(f"{parts.scheme}://{parts.netloc}{parts.path}?{q}"))
        return urls


@dataclass(frozen=True, slots=True)
class DataproxyAnswer:
    records: list[Link]
    total_record: int | None
    total_page: int | None


def is_hanweb_column(text: str) -> bool:
    return "<datastore>" in text or ".jpage(" in text or bool(JS_ARRAY_URL.search(text))


def parse_units(html: str, page_url: str) -> list[JpageUnit]:
    """The jpage units of a column page, each with its embedded records and its proxy parameters."""
    sel = Selector(text=html)
    units: dict[str, JpageUnit] = {}
    for div in sel.xpath("//div[@id][script[@type='text/xml']]"):
        unitid = div.attrib["id"]
        xml = div.xpath("script[@type='text/xml']/text()").get() or ""
        unit = JpageUnit(unitid=unitid, records=parse_records(xml, page_url))
        m = NEXTGROUP.search(xml)
        if m:
            href = Selector(text=m.group(1)).xpath("//a/@href").get()
            if href:
                unit.nextgroup = urljoin(page_url, href)
        units[unitid] = unit

    scripts = "\n".join(sel.xpath("//script[not(@src)]/text()").getall())
    objects = {name: _js_object(body) for name, body in VAR_OBJECT.findall(scripts)}
    for unitid, body in JPAGE_CALL.findall(scripts):
        unit = units.setdefault(unitid, JpageUnit(unitid=unitid))
        options = dict(OPTION.findall(body))
        if "proxyUrl" in options:
            unit.proxy_url = canonicalize(_js_scalar(options["proxyUrl"]), page_url)
        unit.total_record = _int(options.get("totalRecord"))
        unit.per_page = _int(options.get("perPage"))
        unit.group_size = _int(options.get("groupSize")) or DEFAULT_GROUP_SIZE
        ajax = options.get("ajaxParam")
        if ajax is not None:
            unit.ajax_param = _js_object(ajax) if ajax.startswith("{") else objects.get(ajax, {})
    return list(units.values())


def parse_records(xml: str, base_url: str) -> list[Link]:
    """Links of the `<record><![CDATA[<li>…</li>]]></record>` fragments, title from `title=` when truncated."""
    links = []
    for fragment in RECORD.findall(xml):
        a = Selector(text=fragment).xpath("//a[@href]")
        if not a:
            continue
        a = a[0]
        text = re.sub(
            r"\s+", " ", " ".join(a.xpath(".//span[contains(@class,'title')]//text()").getall())
        ).strip()
        if not text:
            # The date may sit inside the anchor (<i>2023-10-28</i>); take the text outside <i>/<span class=date>.
            text = " ".join(
                a.xpath("./text() | ./*[not(self::i) and not(contains(@class,'date'))]//text()").getall()
            )
            text = re.sub(r"\s+", " ", text).strip()
        title = (a.attrib.get("title") or "").strip()
        url = canonicalize(a.attrib["href"], base_url)
        links.append(
            Link(
                url=url, text=text, title=best_title(text, title), raw_url=urljoin(base_url, a.attrib["href"])
            )
        )
    return links


def parse_dataproxy(xml: str, base_url: str) -> DataproxyAnswer:
    """A dataproxy.jsp answer: its records and the totals it states."""
    total = TOTAL_RECORD_XML.search(xml)
    pages = TOTAL_PAGE_XML.search(xml)
    return DataproxyAnswer(
        records=parse_records(xml, base_url),
        total_record=int(total.group(1)) if total else None,
        total_page=int(pages.group(1)) if pages else None,
    )


def js_array_links(html: str, base_url: str) -> list[Link]:
    """Old kw columns: `urls[i]='/art/…';headers[i]="<a title='…'>…</a>"`, paired in order."""
    urls = JS_ARRAY_URL.findall(html)
    headers = [a or b for a, b in JS_ARRAY_HEADER.findall(html)]
    links = []
    for i, href in enumerate(urls):
        header = headers[i] if i < len(headers) else ""
        a = Selector(text=header.replace('\\"', '"').replace("\\'", "'")).xpath("//a")
        text = re.sub(r"\s+", " ", " ".join(a.xpath(".//text()").getall())).strip() if a else ""
        title = (a[0].attrib.get("title") or "").strip() if a else ""
        links.append(
            Link(
                url=canonicalize(href, base_url),
                text=text,
                title=best_title(text, title),
                raw_url=urljoin(base_url, href),
            )
        )
    return links


def _js_object(body: str) -> dict[str, str]:
    return {k: _js_scalar(v) for k, v in OPTION.findall(body.strip()[1:-1])}


def _js_scalar(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    value = _js_scalar(value)
    return int(value) if value.isdigit() else None
