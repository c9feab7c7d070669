"""From captured report pages to report versions (item pipeline): hands each `ReportCapture` to the report
workers (crawler/reporting.py: parse, then store, in worker processes) and books what became of it in the
run: events (new, changed, corrected), reports seen, errors. One bad report never stops the crawl."""

from __future__ import annotations

import logging

from scrapy.crawler import Crawler

from crawler.items import ReportCapture
from crawler.middlewares import run_context

logger = logging.getLogger(__name__)


class ReportPipeline:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ReportPipeline:
        return cls(crawler)

    async def process_item(self, item: object) -> object:
        if not isinstance(item, ReportCapture):
            return item
        ctx = run_context(self.crawler)
        state = ctx.state
        try:
            outcome = await ctx.report_workers.store(ctx.run, item, ctx.site(item.site).agency)
        except Exception as exc:
            logger.exception("cannot store the report at %s", item.url)
            state.error("store", item.url, f"{type(exc).__name__}: {exc}")
            return item
        for kind, url, message in outcome.errors:
            state.error(kind, url, message)
        for key, n in outcome.counts.items():
            state.count(key, n)
        for key, seconds in outcome.seconds.items():
            state.timings[key] = round(state.timings.get(key, 0.0) + seconds, 3)
        if outcome.report_id is not None:
            ctx.seen_reports.add(outcome.report_id)
            state.count("reports/seen")
        if outcome.event:
            state.event(
                outcome.event,
                report_id=outcome.report_id,
                version_id=outcome.version_id,
                url=item.url,
                agency=outcome.agency,
                year=outcome.year,
                title=outcome.title,
            )
        return item
