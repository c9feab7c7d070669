"""Path-encoded query CMSs (bjxch): `/zt/xxgkzl/gknbxq/pnidpv150pntypepvnbpnnfpv2021.html`.

The URL is a query folded into a path (`pnid=150&ntype=nb&nf=2021`): year lists are
`/gknblb/pntypepvnbpnnfpv2021.html`, details `/gknbxq/pnidpv150….html`. Such a link inside the site's scope is
a detail page when its title names a report and a list page otherwise. The year in `nf` is only a hint for a page whose title names no year (E28), never a
replacement for the title's year. Dates are printed unpadded (`发布时间:2022-01-5`, E17); the parser reads
them. An empty year column (`<li>暂无数据</li>`, E27) is simply a list without items.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.http import Response

from crawler.classify import classify_title
from crawler.extract.links import Link
from crawler.registry import Site
from crawler.spiders.base import ReportSpider
from crawler.urls import host_of

ENCODED_YEAR = re.compile(r"nfpv((?:19|20)\d{2})(?:\D|$)")
ENCODED_QUERY = re.compile(r"/(?:pn[a-z]+pv[^/]*)+\.s?html?$")


class PathEncodedSpider(ReportSpider):
    name = "pathenc"
    family = "pathenc"

    def follow_link(
        self, link: Link, site: Site, response: Response, *, in_column: bool = False
    ) -> Request | None:
        path = urlsplit(link.url).path
        if (
            ENCODED_QUERY.search(path)
            and site.allows_host(host_of(link.url))
            and self._in_scope(link.url, site, response)
        ):
            if classify_title(link.title).kind == "report" or "xq/" in path:
                return self.detail_request(link, site)
            return self.list_request(link.url, site, link_title=link.title)
        return super().follow_link(link, site, response, in_column=in_column)

    def year_hint(self, url: str) -> int | None:
        m = ENCODED_YEAR.search(url)
        return int(m.group(1)) if m else None
