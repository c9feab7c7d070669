"""Scrapy components of the crawler on real Scrapy objects, for behaviour no mirror crawl can reach."""

from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.http import Response
from scrapy.utils.test import get_crawler

from crawler.context import RunContext
from crawler.middlewares.redirect import TrackingRedirectMiddleware
from crawler.runstate import RunState
from crawler.spiders.trs import TrsSpider


@pytest.fixture
def redirect_mw():  # noqa: ANN201
    crawler = get_crawler(TrsSpider, settings_dict={"REDIRECT_MAX_TIMES": 5})
    crawler.spider = TrsSpider(sites=[], ctx=RunContext.__new__(RunContext))
    ctx = crawler.spider.ctx
    ctx.state, ctx.redirects = RunState(), {}
    return TrackingRedirectMiddleware.from_crawler(crawler), ctx


def test_relative_location_resolves_against_the_request(redirect_mw) -> None:  # noqa: ANN001
    """E7: zgcgw answers `301 Location: 10870021/` for `…/ndbg/10870021` (the host is robots-disallowed,
    so no crawl of the mirror reaches it)."""
    mw, ctx = redirect_mw
    request = Request("https://zgcgw.beijing.gov.cn/zgc/zwgk/ndbg/10870021")
    response = Response(request.url, status=301, headers={"Location": "10870021/"}, request=request)
    redirected = mw.process_response(request=request, response=response)
    assert redirected.url == "https://zgcgw.beijing.gov.cn/zgc/zwgk/ndbg/10870021/"
    # The same document under another name: the canonical request must pass the dupefilter.
    assert redirected.dont_filter
    assert ctx.redirects[request.url] == redirected.url


def test_redirect_loop_is_an_error_of_the_run(redirect_mw) -> None:  # noqa: ANN001
    """E6: `x.shtml` -> `x.shtml?` -> … is one document redirecting to itself."""
    mw, ctx = redirect_mw
    request = Request("http://www.bjft.gov.cn/ftq/c100059/201903/x.shtml")
    from crawler.middlewares.redirect import RedirectLoop

    with pytest.raises(RedirectLoop):
        for _ in range(10):
            response = Response(
                request.url, status=302, headers={"Location": request.url + "?"}, request=request
            )
            request = mw.process_response(request=request, response=response)
    assert [e["kind"] for e in ctx.state.errors] == ["redirect_loop"]
