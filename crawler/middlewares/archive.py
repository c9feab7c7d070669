"""Every exchange into the archive, as it came off the wire (downloader middleware at 950).

At 950 the response has not been touched by any other middleware: the body is still Content-Encoded, the
status is whatever the server said (3xx, 304, 404, a 412 challenge page …). Each one becomes a WARC record,
a blob and a `fetch` row (`Archive.record_exchange`), and the resulting `FetchRecord` rides on to the spider
in `request.meta["nianbao_fetch"]`. Responses that did not come from the network (resumed from an
interrupted run) are skipped. Network failures become `fetch` rows with the error.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from sqlalchemy.exc import IntegrityError

from crawler.middlewares import header_pairs, run_context
from storage.archive import HttpExchange

logger = logging.getLogger(__name__)

SKIP_FLAGS = {"resumed", "cached"}
# Twisted has already undone chunked transfer coding; the header would misdescribe the stored body.
HOP_BY_HOP = {"transfer-encoding", "connection", "keep-alive", "proxy-connection"}
MAX_CONSECUTIVE_FAILURES = 5


class ArchiveMiddleware:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self._failures = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchiveMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        request.meta["nianbao_started"] = time.monotonic()

    async def process_response(self, request: Request, response: Response) -> Response:
        if SKIP_FLAGS & set(response.flags):
            return response
        ctx = run_context(self.crawler)
        started = request.meta.get("nianbao_started")
        exchange = HttpExchange(
            url=response.url,
            status=response.status,
            response_headers=[
                (k, v) for k, v in header_pairs(response.headers) if k.lower() not in HOP_BY_HOP
            ],
            body=response.body,
            method=request.method,
            request_headers=header_pairs(request.headers),
            request_body=request.body or b"",
            protocol=response.protocol or "HTTP/1.1",
            fetched_at=datetime.now(UTC),
            duration_ms=(time.monotonic() - started) * 1000 if started else None,
            ip_address=str(response.ip_address) if response.ip_address else None,
            referrer=_text(request.headers.get("Referer")),
        )
        try:
            record = await self._record(ctx, exchange, request.meta.get("site"))
        except Exception as exc:  # the archive refused or failed: never hand on bytes we did not keep
            ctx.state.error("archive", response.url, f"{type(exc).__name__}: {exc}")
            self._failures += 1
            if self._failures >= MAX_CONSECUTIVE_FAILURES:
                logger.error("the archive failed %d times in a row; stopping the crawl", self._failures)
                await self.crawler.engine.close_spider_async(reason="archive_failed")
            raise IgnoreRequest(f"not archived: {exc}") from exc
        self._failures = 0
        ctx.state.count("responses")
        ctx.state.count(
            "bytes", len(response.body) + sum(len(k) + len(v) + 4 for k, v in exchange.response_headers)
        )
        ctx.state.count(f"status/{response.status}")
        request.meta["nianbao_fetch"] = record
        request.meta["nianbao_chain"] = [*request.meta.get("nianbao_chain", []), record]
        return response

    @staticmethod
    async def _record(ctx, exchange: HttpExchange, source: str | None):  # noqa: ANN001, ANN205
        try:
            return await ctx.captures.add((exchange, source))
        except IntegrityError:
            # Two captures of one URL at the same moment (an attachment two reports link) both created its
            # url_state row; the second, tried again, updates it.
            return await ctx.worker.submit_exchange(
                ctx.archive.record_exchange, ctx.run, exchange, source=source
            )

    async def process_exception(self, request: Request, exception: Exception) -> None:
        if isinstance(exception, IgnoreRequest):
            return None  # dropped before the network (robots.txt, a blocked host): nothing was exchanged
        ctx = run_context(self.crawler)
        started = request.meta.get("nianbao_started")
        try:
            await ctx.worker.submit_exchange(
                ctx.archive.record_failure,
                ctx.run,
                request.url,
                f"{type(exception).__name__}: {exception}"[:2000],
                source=request.meta.get("site"),
                method=request.method,
                request_headers=header_pairs(request.headers),
                referrer=_text(request.headers.get("Referer")),
                duration_ms=(time.monotonic() - started) * 1000 if started else None,
            )
        except Exception as exc:
            ctx.state.error("archive", request.url, f"{type(exc).__name__}: {exc}")
        ctx.state.count("network_failures")
        return None


def _text(value: bytes | None) -> str | None:
    return value.decode("latin-1") if value else None
