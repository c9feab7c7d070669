"""The last gate before the network and the first look at what comes back (download handler).

`BlockedHostGate` (downloader middleware at 90) drops requests to a blocked host when they enter the
downloader, but requests queued in the host's download slot before the block passed it already; and an
answer travels through the archive (an fsync) before the middlewares see it, while the slot keeps sending.
So this handler, wrapped around Scrapy's HTTP/1.1 handler, decides at the moment of sending and of receiving:

- a request to a host that blocked us in this run is not sent;
- a challenge page marks its host blocked the moment it arrives (the response is flagged `antibot:<kind>`;
  it is still archived, then dropped by `AntiBotDetector`, never retried);
- `Retry-After` on a 429/503 holds every request to that host until then, when we are willing to wait that
  long (`NIANBAO_RETRY_AFTER_MAX`); a longer one marks the host `rate_limited`;
- a host that has not answered once in this run and fails `UNREACHABLE_AFTER` connections in a row is
  `unreachable` (datacenter-IP blocks show up as refused or reset connections, sites.md §5), or
  `dns_failure` when its name does not resolve: that is our network, not the site, so it is also an error.

After a block, at most the requests already in flight (the host's concurrency, 2) reach the host.
"""

from __future__ import annotations

import asyncio
import time
import zlib

from scrapy import Request
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.exceptions import CannotResolveHostError
from scrapy.http import Response
from twisted.internet.error import DNSLookupError

from crawler.antibot import SMALL_BODY, detect_block
from crawler.middlewares import header_pairs, run_context
from crawler.middlewares.antibot import HostBlocked, note_block
from crawler.middlewares.retry import retry_after
from crawler.urls import host_of

UNREACHABLE_AFTER = 3


class GatedHTTPDownloadHandler(HTTP11DownloadHandler):
    def __init__(self, crawler):  # noqa: ANN001
        super().__init__(crawler)
        self.retry_after_max = crawler.settings.getfloat("NIANBAO_RETRY_AFTER_MAX", 120.0)
        self._hold_until: dict[str, float] = {}
        self._failures: dict[str, int] = {}

    async def download_request(self, request: Request) -> Response:
        ctx = run_context(self._crawler)
        host = host_of(request.url)
        self._gate(ctx, host, request)
        wait = self._hold_until.get(host, 0) - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
            self._gate(ctx, host, request)
        try:
            response = await super().download_request(request)
        except Exception as exc:
            if host not in ctx.hosts_answered:
                self._failures[host] = self._failures.get(host, 0) + 1
                if self._failures[host] >= UNREACHABLE_AFTER:
                    dns = isinstance(exc, (CannotResolveHostError, DNSLookupError))
                    signature = f"{self._failures[host]} failed connections ({type(exc).__name__}: {exc})"
                    if dns:
                        ctx.state.error("network", request.url, f"cannot resolve {host}: {exc}")
                    kind = "dns_failure" if dns else "unreachable"
                    note_block(self._crawler, request, host, kind, None, signature[:300])
            raise
        self._failures.pop(host, None)
        if response.status < 400 and not request.url.endswith("/robots.txt"):
            ctx.hosts_answered.add(host)
        headers: dict[str, list[str]] = {}
        for name, value in header_pairs(response.headers):
            headers.setdefault(name, []).append(value)
        block = detect_block(response.status, headers, _head_of(response))
        if block is not None:
            response.flags.append(f"antibot:{block.kind}")
            note_block(self._crawler, request, host, block.kind, block.status, block.signature)
        elif response.status in (429, 503):
            delay = retry_after(response)
            if delay is not None and delay > self.retry_after_max and response.status == 429:
                response.flags.append("antibot:rate_limited")
                note_block(self._crawler, request, host, "rate_limited", 429, f"Retry-After {delay:.0f}s")
            elif delay is not None:
                self._hold_until[host] = max(self._hold_until.get(host, 0), time.monotonic() + delay)
        return response

    def _gate(self, ctx, host: str, request: Request) -> None:  # noqa: ANN001
        blocked = ctx.state.blocked.get(host)
        if blocked is not None and not request.meta.get("nianbao_after_block"):
            blocked.skipped_requests += 1
            ctx.state.count("skipped/blocked_host")
            raise HostBlocked(f"{host} is blocked ({blocked.kind}); skipped for the rest of the run")


def _head_of(response: Response) -> bytes:
    """The first bytes of the body, decompressed when the server gzipped it (challenge pages are small)."""
    body = response.body[: SMALL_BODY * 4]
    encoding = (response.headers.get(b"Content-Encoding") or b"").lower()
    if encoding in (b"gzip", b"x-gzip", b"deflate"):
        try:
            wbits = 16 + zlib.MAX_WBITS if b"gzip" in encoding else zlib.MAX_WBITS
            return zlib.decompressobj(wbits).decompress(response.body, SMALL_BODY + 1)
        except zlib.error:
            return body
    return body
