"""Redirects, remembered (replaces Scrapy's RedirectMiddleware at 600).

- A redirect to the same document under another name (http -> https, `…/x` -> `…/x/`: the same `url_key`)
  bypasses the dupefilter, or the canonical request would be dropped as a duplicate of its own source.
  A redirect loop (E6) therefore runs into REDIRECT_MAX_TIMES and is recorded as an error.
- Every redirect is remembered (source URL -> target URL), so a legacy URL that now redirects to a report's
  new URL becomes one of that report's URLs even when the target was already crawled (E4).
"""

from __future__ import annotations

from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.exceptions import IgnoreRequest

from crawler.middlewares import run_context
from crawler.urls import canonicalize, url_key


class RedirectLoop(IgnoreRequest):
    """Too many redirects: a loop, or a chain longer than REDIRECT_MAX_TIMES."""


class TrackingRedirectMiddleware(RedirectMiddleware):
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TrackingRedirectMiddleware:
        return super().from_crawler(crawler)  # type: ignore[return-value]

    def _redirect(self, redirected: Request, request: Request, reason: Any) -> Request:
        ctx = run_context(self.crawler)
        try:
            result = super()._redirect(redirected, request, reason)
        except IgnoreRequest:
            chain = [*request.meta.get("redirect_urls", []), request.url, redirected.url]
            ctx.state.error(
                "redirect_loop",
                chain[0],
                f"more than {self.max_redirect_times} redirects: {' -> '.join(chain[-4:])}",
            )
            raise RedirectLoop(f"too many redirects from {chain[0]}") from None
        target = canonicalize(result.url)
        if target != result.url:
            result = result.replace(url=target)
        ctx.redirects[canonicalize(request.url)] = target
        if url_key(target) == url_key(request.url):
            result.dont_filter = True
        return result
