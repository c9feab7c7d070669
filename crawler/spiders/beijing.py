"""The Beijing central platform (www.beijing.gov.cn/gongkai): municipal and per-agency reports.

- `gknb/` is a TRS list of the municipal reports (with 一图读懂 and topic pages among them: negatives).
- `zfxxgknb/` is a year-tab index: `{YYYY}nb/` folders, each with `qzf/` (district governments) and
  `szfbm/` (municipal departments) TRS lists. Years are discovered from the tabs, including tabs reachable
  only by `onclick="location.href=…"`, never from a hard-coded range.
- Every page has a big5 twin under `/gate/big5/www.beijing.gov.cn/…` (disallowed by robots.txt, and one
  document under canonical URLs: never fetched twice, E9). Reports are re-published years later in a folder
  dated by the migration (`2014nb/qzf/202010/…`): the year comes from the title (E12).
- A `qzf` list may link a district site's own page (E26): the allowed-domains policy drops it here; the
  district site's own entry crawls it.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.http import Response

from crawler.extract.links import Link
from crawler.registry import Site
from crawler.spiders.base import ReportSpider

YEAR_FOLDER = re.compile(r"/zfxxgknb/(?:\d{4}nb/(?:[a-z]+/)?)?(?:index(?:_\d+)?\.html)?$")


class BeijingPlatformSpider(ReportSpider):
    name = "beijing"
    family = "beijing"

    def follow_link(
        self, link: Link, site: Site, response: Response, *, in_column: bool = False
    ) -> Request | None:
        request = super().follow_link(link, site, response, in_column=in_column)
        if request is not None and request.meta.get("role") == "list":
            path = urlsplit(link.url).path
            # Under zfxxgknb/ only the year tabs and their qzf/szfbm lists are lists worth following.
            if "/zfxxgknb/" in path and not YEAR_FOLDER.search(path):
                return None
        return request
