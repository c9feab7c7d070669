"""Retries with exponential backoff and `Retry-After` (replaces Scrapy's RetryMiddleware at 550).

Scrapy retries at once; a struggling government server deserves a pause. The n-th retry of a request waits
`NIANBAO_RETRY_BACKOFF × 2^(n-1)` seconds, or what `Retry-After` asks on a 429/503 (up to
`NIANBAO_RETRY_AFTER_MAX`; a longer wait gives up on the URL at once). A URL that still fails after its
retries is an error of the run; a host still answering 429 after them is recorded as `rate_limited` and
skipped, like an anti-bot block.
"""

from __future__ import annotations

import asyncio
import email.utils
import time

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response

from crawler.middlewares import run_context
from crawler.middlewares.antibot import HostBlocked, note_block
from crawler.urls import host_of


class BackoffRetryMiddleware(RetryMiddleware):
    def __init__(self, crawler: Crawler):
        super().__init__(crawler.settings)
        self.crawler = crawler
        self.backoff = crawler.settings.getfloat("NIANBAO_RETRY_BACKOFF", 2.0)
        self.retry_after_max = crawler.settings.getfloat("NIANBAO_RETRY_AFTER_MAX", 120.0)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffRetryMiddleware:
        return cls(crawler)

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        wait = retry_after(response)
        if wait is not None and wait > self.retry_after_max:
            return await self._give_up(request, response, f"Retry-After {wait:.0f}s is longer than we wait")
        retry = self._retry(request, f"HTTP {response.status}")
        if retry is None:
            return await self._give_up(
                request, response, f"HTTP {response.status} after {self.max_retry_times} retries"
            )
        await self._sleep(retry, wait)
        return retry

    async def process_exception(self, request: Request, exception: Exception) -> Request | None:
        if not isinstance(exception, self.exceptions_to_retry) or request.meta.get("dont_retry", False):
            return None
        retry = self._retry(request, exception)
        if retry is None:
            return None  # the errback records the failure
        await self._sleep(retry, None)
        return retry

    async def _sleep(self, retry: Request, retry_after: float | None) -> None:
        n = retry.meta.get("retry_times", 1)
        delay = retry_after if retry_after is not None else self.backoff * (2 ** (n - 1))
        if delay > 0:
            run_context(self.crawler).state.count("retry/waited_s", int(delay))
            await asyncio.sleep(delay)

    async def _give_up(self, request: Request, response: Response, why: str) -> Response:
        if response.status == 429:
            note_block(self.crawler, request, host_of(response.url), "rate_limited", 429, why)
            raise HostBlocked(f"rate limited by {host_of(response.url)}: {why}")
        return response


def retry_after(response: Response) -> float | None:
    value = response.headers.get(b"Retry-After")
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
