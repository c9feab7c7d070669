"""A site of unknown CMS: find its 年报 column from a start page, then read it like any list.

From each start URL (usually the home page) the spider ranks the links by their text: a column named
政府信息公开年报 / 政府信息公开年度报告 / 年度报告 / 年报 scores highest. It follows the best few, each with its own
folder as the scope for further list pages (so the rest of the site is left alone), and reads them with
the generic list reader: live items, year folders and tabs, TRS pagers, Hanweb jpage units. When the start
page names no such column, it looks one or two steps further, through the 政府信息公开 / 政务公开 pages.
Report pages linked from anywhere on the way are taken too.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.http import Response, TextResponse

from crawler.classify import classify_title, normalize_title
from crawler.encoding import checked_encoding
from crawler.extract import hanweb
from crawler.extract.links import Link, extract_links
from crawler.extract.trs import find_pager
from crawler.items import ReportCapture
from crawler.registry import Site
from crawler.spiders.base import ReportSpider
from crawler.urls import host_of

# (pattern on the normalised link text, score): exact column names first.
COLUMN_NAMES = [
    (re.compile(r"^(?:政府|政务)?信息公开(?:工作)?年(?:度报告|报)$"), 100),
    (re.compile(r"^(?:政府|政务)?信息公开(?:工作)?年度报告$"), 100),
    (re.compile(r"^(?:年度报告|年报|工作年报)$"), 80),
    (re.compile(r"(?:政府|政务)?信息公开.{0,4}年(?:度报告|报)"), 70),
    (re.compile(r"年度报告|年报"), 40),
]
GATEWAY = re.compile(r"^(?:政府信息公开|信息公开|政务公开|政府信息公开专栏|信息公开目录|政府信息公开平台)$")
MAX_COLUMNS = 3
MAX_HOPS = 2


def column_score(text: str) -> int:
    text = normalize_title(text)
    if not text or len(text) > 20:
        return 0
    return max((score for pattern, score in COLUMN_NAMES if pattern.search(text)), default=0)


class DiscoverySpider(ReportSpider):
    name = "discovery"
    family = "discovery"

    async def start(self) -> AsyncIterator[Request]:
        for site in self.sites:
            for start in site.start_urls:
                yield Request(
                    start.url,
                    callback=self.parse_home,
                    errback=self.on_error,
                    priority=10,
                    meta={"site": site.name, "role": "list", "hops": 0, "optional": start.optional},
                )

    async def parse_home(self, response: Response) -> AsyncIterator[Request | ReportCapture]:
        site = self.site_of(response)
        if not isinstance(response, TextResponse):
            return
        response, _ = checked_encoding(response)
        if self._is_column_page(response):
            # The start URL is itself the column.
            async for item in self.parse_list(
                response.replace(meta={**response.meta, "scope": _folder(response.url)})
            ):
                yield item
            return
        links = [
            link
            for link in extract_links(response.selector, response.url)
            if site.allows_host(host_of(link.url))
        ]
        for link in links:
            if classify_title(link.title).kind == "report" and column_score(link.title) == 0:
                yield self.detail_request(link, site)
        columns = sorted(
            ((column_score(link.title), i, link) for i, link in enumerate(links)), key=lambda t: (-t[0], t[1])
        )
        chosen = [link for score, _, link in columns if score > 0][:MAX_COLUMNS]
        for link in chosen:
            self.ctx.state.count("discovery/columns")
            yield self.list_request(
                link.url, site, scope=_folder(link.url), link_title=link.title, discovered_from=response.url
            )
        if chosen:
            return
        hops = response.meta.get("hops", 0)
        gateways = [link for link in links if GATEWAY.search(normalize_title(link.title))]
        if hops < MAX_HOPS and gateways:
            for link in gateways[:MAX_COLUMNS]:
                yield Request(
                    link.url,
                    callback=self.parse_home,
                    errback=self.on_error,
                    meta={"site": site.name, "role": "list", "hops": hops + 1},
                )
        elif hops == 0 or not gateways:
            self.ctx.state.error(
                "discovery", response.url, f"no 年报 column found on {site.name} from this page"
            )

    def _is_column_page(self, response: TextResponse) -> bool:
        title = normalize_title(response.xpath("//meta[@name='ColumnName']/@content").get() or "")
        if column_score(title) >= 70:
            return True
        return (
            hanweb.is_hanweb_column(response.text)
            and column_score(response.xpath("//title/text()").get() or "") > 0
            or (find_pager(response.selector, response.url) is not None and column_score(title) > 0)
        )


def _folder(url: str) -> str:
    path = urlsplit(url).path
    return path if path.endswith("/") else path.rsplit("/", 1)[0] + "/"


__all__ = ["DiscoverySpider", "Link", "Site", "column_score"]
