"""One bad page never stops a crawl (spider middleware at 60).

An exception in a spider callback is recorded in the run report (an error of the run, exit code 1) and the
crawl goes on with the other pages. HTTP errors (404 …) never get here: the spiders' errbacks record them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from scrapy.crawler import Crawler
from scrapy.http import Response

from crawler.middlewares import run_context

logger = logging.getLogger(__name__)


class CallbackErrorsMiddleware:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CallbackErrorsMiddleware:
        return cls(crawler)

    def process_spider_exception(self, response: Response, exception: Exception) -> Iterable[object]:
        logger.error("error while reading %s: %r", response.url, exception, exc_info=exception)
        run_context(self.crawler).state.error(
            "callback", response.url, f"{type(exception).__name__}: {exception}"
        )
        return []
