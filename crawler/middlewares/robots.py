"""robots.txt, obeyed and reported (replaces Scrapy's RobotsTxtMiddleware at 100).

Scrapy's middleware fetches and applies robots.txt (through the downloader middlewares, so the robots.txt
exchange is archived like any other). On top of it:

- a refused URL puts its host in the run report (`robots_disallowed`), so a disallowed host is reported,
  not silently empty;
- `Crawl-delay:` is honoured: the host's download slot waits at least that long between requests;
- a robots.txt that cannot be fetched (404, 5xx after retries, network error) means no restrictions, as
  in Scrapy and RFC 9309 for 4xx. We also read 5xx that way (RFC 9309 says to assume "disallow all"):
  the Ningxia sites answer 503 on /robots.txt for months, and treating that as a ban would drop them.
- **Page resources.** Requests a page we were allowed to crawl makes for its own content, which are the
  Hanweb jpage data endpoint named in the page's script and the attachments linked from a report, are
  marked `robots_scope="page-resource"`. By default robots.txt applies to them like to any request; with
  `NIANBAO_ROBOTS_PAGE_RESOURCES=1` they follow their page's decision, like a browser loading that page (a
  host whose robots.txt disallows everything is never fetched at all).
"""

from __future__ import annotations

import logging

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.robotstxt import RobotParser

from crawler.middlewares import run_context
from crawler.urls import host_of

logger = logging.getLogger(__name__)


class RobotsDisallowed(IgnoreRequest):
    """robots.txt forbids this URL."""


class ReportingRobotsTxtMiddleware(RobotsTxtMiddleware):
    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        self.page_resources = crawler.settings.getbool("NIANBAO_ROBOTS_PAGE_RESOURCES", False)
        self.obey_crawl_delay = crawler.settings.getbool("NIANBAO_OBEY_CRAWL_DELAY", True)
        self._crawl_delays: dict[str, float] = {}

    def process_request_2(self, rp: RobotParser | None, request: Request) -> None:
        if rp is None:
            return
        if host_of(request.url) in self._crawl_delays:
            # AutoThrottle would lower the slot's delay below the Crawl-delay again.
            request.meta["autothrottle_dont_adjust_delay"] = True
        useragent = self._robotstxt_useragent or request.headers.get(b"User-Agent", self._default_useragent)
        if rp.allowed(request.url, useragent):
            return
        if (
            self.page_resources
            and request.meta.get("robots_scope") == "page-resource"
            and rp.allowed(f"{request.url.split('/', 3)[0]}//{host_of(request.url)}/", useragent)
        ):
            run_context(self.crawler).state.count("robots/page_resource_exempt")
            return
        ctx = run_context(self.crawler)
        ctx.state.robots_disallowed.setdefault(host_of(request.url), request.url)
        ctx.state.count("robots/forbidden")
        raise RobotsDisallowed(f"forbidden by robots.txt: {request.url}")

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        await super()._parse_robots(response, netloc, request)
        if not self.obey_crawl_delay:
            return
        rp = self._parsers.get(netloc)
        delay = _crawl_delay(rp, self._robotstxt_useragent or self._default_useragent)
        if delay:
            self._apply_crawl_delay(host_of(response.url), delay)

    def _apply_crawl_delay(self, host: str, delay: float) -> None:
        downloader = self.crawler.engine.downloader
        current = downloader.per_slot_settings.get(host, {})
        if current.get("delay", 0) >= delay:
            return
        self._crawl_delays[host] = delay
        # A minimum, not an average: no jitter below it.
        downloader.per_slot_settings[host] = {**current, "delay": delay, "jitter": 0.0}
        slot = downloader.slots.get(host)
        if slot is not None:
            slot.delay = max(slot.delay, delay)
            slot.jitter = 0.0
        logger.info("robots.txt of %s asks for Crawl-delay %.1fs; honoured", host, delay)


def _crawl_delay(rp: object, useragent: str | bytes) -> float | None:
    inner = getattr(rp, "rp", None)  # ProtegoRobotParser keeps protego's parser as `.rp`
    if inner is None or not hasattr(inner, "crawl_delay"):
        return None
    ua = useragent.decode() if isinstance(useragent, bytes) else useragent
    try:
        value = inner.crawl_delay(ua)
    except Exception:
        return None
    return float(value) if value else None
