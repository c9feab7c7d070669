"""One spider per CMS family (not per site). `SPIDERS` maps a registry family to its spider class."""

from __future__ import annotations

from crawler.spiders.base import ReportSpider
from crawler.spiders.beijing import BeijingPlatformSpider
from crawler.spiders.discovery import DiscoverySpider
from crawler.spiders.docid import DocidSpider
from crawler.spiders.hanweb import HanwebSpider
from crawler.spiders.pathenc import PathEncodedSpider
from crawler.spiders.trs import TrsSpider

SPIDERS: dict[str, type[ReportSpider]] = {
    "hanweb": HanwebSpider,
    "trs": TrsSpider,
    "docid": DocidSpider,
    "pathenc": PathEncodedSpider,
    "beijing": BeijingPlatformSpider,
    "discovery": DiscoverySpider,
}

__all__ = ["SPIDERS", "ReportSpider"]
