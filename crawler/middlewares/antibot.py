"""Anti-bot answers stop us at once (downloader middlewares at 90 and 560).

`AntiBotDetector` (560) sees each response after decompression (590) and before `RetryMiddleware` (550):
a challenge page is recorded once per host (run report + a `host_blocked` event in the archive) and the
request is dropped, so it is never retried. `BlockedHostGate` (90) then drops every later request to that
host (after `NIANBAO_BLOCKED_HOST_ALLOWANCE` more, default 0) before robots.txt or the network are touched.
"""

from __future__ import annotations

import logging

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

from crawler.antibot import detect_block
from crawler.middlewares import header_pairs, run_context
from crawler.urls import host_of

logger = logging.getLogger(__name__)


class HostBlocked(IgnoreRequest):
    """The host answered with an anti-bot page earlier in this run."""


class BlockedHostGate:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.allowance = crawler.settings.getint("NIANBAO_BLOCKED_HOST_ALLOWANCE", 0)
        self._sent_after_block: dict[str, int] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BlockedHostGate:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        ctx = run_context(self.crawler)
        host = host_of(request.url)
        blocked = ctx.state.blocked.get(host)
        if blocked is None:
            return None
        sent = self._sent_after_block.get(host, 0)
        if sent < self.allowance:
            self._sent_after_block[host] = sent + 1
            request.meta["nianbao_after_block"] = True  # let the download handler send it too
            return None
        blocked.skipped_requests += 1
        ctx.state.count("skipped/blocked_host")
        raise HostBlocked(f"{host} is blocked ({blocked.kind}); skipped for the rest of the run")


class AntiBotDetector:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AntiBotDetector:
        return cls(crawler)

    async def process_response(self, request: Request, response: Response) -> Response:
        if {"resumed", "not_modified"} & set(response.flags):
            return response
        host = host_of(response.url)
        flagged = [f for f in response.flags if f.startswith("antibot:")]
        if flagged:  # seen by the download handler the moment it arrived
            raise HostBlocked(f"{flagged[0][8:]} anti-bot answer (HTTP {response.status}) from {host}")
        block = detect_block(response.status, dict(_grouped(response)), response.body)
        if block is None:
            return response
        note_block(self.crawler, request, host, block.kind, block.status, block.signature)
        raise HostBlocked(f"{block.kind} anti-bot answer (HTTP {block.status}) from {host}")


def note_block(
    crawler: Crawler, request: Request, host: str, kind: str, status: int | None, signature: str
) -> None:
    """One `blocked` record per host and run: in the run report at once, and as a `host_blocked` archive
    event (written by the archive thread, in order with the exchange that showed the block)."""
    ctx = run_context(crawler)
    if not ctx.state.block(host, kind, status, request.url, signature):
        return
    logger.warning(
        "host %s blocked us (%s, HTTP %s) at %s; skipping it for the rest of the run",
        host,
        kind,
        status,
        request.url,
    )
    detail = {"kind": kind, "status": status, "url": request.url, "signature": signature}
    future = ctx.worker.submit(ctx.archive.record_host_blocked, ctx.run, host, detail)

    def _check(done: object) -> None:
        exc = future.exception()
        if exc is not None:
            ctx.state.error("archive", request.url, f"cannot record the block: {exc}")

    future.add_done_callback(_check)


def _grouped(response: Response) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, value in header_pairs(response.headers):
        out.setdefault(name, []).append(value)
    return out
