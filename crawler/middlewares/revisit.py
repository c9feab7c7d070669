"""Incremental and resumable crawling (downloader middleware at 900, just inside the archive at 950).

- **Resumption.** A URL that the interrupted run we continue had already archived is not fetched again:
  its archived response (status, headers, blob) is handed to the spider, flagged `resumed`. List pages and
  data requests are always fetched, since they are how new reports are found.
- **Conditional GETs.** A URL with validators in `url_state` is asked for with `If-None-Match` /
  `If-Modified-Since`. A 304 is archived by the middleware at 950 as a WARC `revisit` record, then turned
  back into the archived 200 here (flagged `not_modified`), so the spider follows its links as usual.
"""

from __future__ import annotations

import logging

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes

from crawler.middlewares import run_context

logger = logging.getLogger(__name__)

ALWAYS_FETCH_ROLES = {"list", "data", None}  # None: robots.txt and other requests without a role
VALIDATORS = (b"If-None-Match", b"If-Modified-Since")
# Headers that describe the wire form, not the decoded bytes we hand on.
WIRE_HEADERS = {b"content-encoding", b"transfer-encoding", b"content-length"}


class RevisitMiddleware:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RevisitMiddleware:
        return cls(crawler)

    async def process_request(self, request: Request) -> Response | None:
        # Validators belong to one URL: a redirected request must not carry its source's.
        for name in VALIDATORS:
            request.headers.pop(name, None)
        request.meta.pop("nianbao_revalidate", None)
        ctx = run_context(self.crawler)
        role = request.meta.get("role")
        if role not in ALWAYS_FETCH_ROLES and request.method == "GET":
            archived = ctx.resumed(request.url)
            if archived is not None:
                body = b""
                if archived.sha256:
                    try:
                        body = await ctx.worker.submit_exchange(ctx.archive.read_blob, archived.sha256)
                    except (OSError, KeyError) as exc:
                        logger.warning(
                            "cannot read the archived body of %s (%s); fetching it", request.url, exc
                        )
                        archived = None
                if archived is not None:
                    ctx.state.count("resumed")
                    return _response(request.url, archived.status, archived.headers, body, "resumed", request)
        if request.method != "GET" or request.meta.get("nianbao_no_conditional"):
            return None
        state = ctx.url_states.get(request.url)
        if state is None or not state.sha256 or not (state.etag or state.last_modified):
            return None
        if state.etag:
            request.headers[b"If-None-Match"] = state.etag
        if state.last_modified:
            request.headers[b"If-Modified-Since"] = state.last_modified
        request.meta["nianbao_revalidate"] = state
        return None

    async def process_response(self, request: Request, response: Response) -> Response | Request:
        state = request.meta.get("nianbao_revalidate")
        if response.status != 304 or state is None:
            return response
        ctx = run_context(self.crawler)
        try:
            fetch = await ctx.worker.submit_exchange(ctx.archive.fetch_row, state.fetch_id)
            body = await ctx.worker.submit_exchange(ctx.archive.read_blob, state.sha256)
        except (OSError, KeyError) as exc:
            logger.warning(
                "304 for %s but its archived copy is unreadable (%s); fetching it again", request.url, exc
            )
            return request.replace(dont_filter=True, meta={**request.meta, "nianbao_no_conditional": True})
        ctx.state.count("not_modified")
        headers = [(str(k), str(v)) for k, v in (fetch.response_headers or [])]
        return _response(response.url, 200, headers, body, "not_modified", request)


def _response(
    url: str, status: int, headers: list[tuple[str, str]], body: bytes, flag: str, request: Request
) -> Response:
    h = Headers()
    for name, value in headers:
        if name.lower().encode() not in WIRE_HEADERS:
            h.appendlist(name, value)
    cls = responsetypes.from_args(headers=h, url=url, body=body)
    return cls(url=url, status=status, headers=h, body=body, flags=[flag], request=request)
