"""A one-line progress display on a terminal while a crawl runs (Scrapy extension).

Several spiders run in one process; the first extension instance to start draws the line for the whole run
(the counters are the run's). Nothing is printed when stderr is not a terminal (cron, tests, pipes).
"""

from __future__ import annotations

import sys
import time

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from crawler.middlewares import run_context

_instances: dict[int, list[ProgressLine]] = {}
_open_spiders: dict[int, int] = {}  # run context id -> spiders of that run still open


class ProgressLine:
    def __init__(self, crawler: Crawler, stream=sys.stderr):  # noqa: ANN001
        self.crawler = crawler
        self.stream = stream
        self.loop: task.LoopingCall | None = None
        self.started = time.monotonic()
        self.run_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProgressLine:
        if not (sys.stderr.isatty() or crawler.settings.getbool("NIANBAO_PROGRESS")):
            raise NotConfigured
        ext = cls(crawler)
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def opened(self, spider: object) -> None:
        self.run_id = id(run_context(self.crawler))
        first = self.run_id not in _open_spiders
        _open_spiders[self.run_id] = _open_spiders.get(self.run_id, 0) + 1
        _instances.setdefault(self.run_id, []).append(self)
        if first:
            self.loop = task.LoopingCall(self.draw)
            self.loop.start(1.0, now=False)

    def draw(self) -> None:
        state = run_context(self.crawler).state
        c = state.counts
        elapsed = time.monotonic() - self.started
        line = (
            f"\r[nianbao] {elapsed:5.0f}s  pages {c['responses']}  reports {c['reports/seen']}"
            f"  new {c['events/new']}  changed {c['events/changed']}  corrected {c['events/corrected']}"
            f"  errors {c['errors']}  blocked {len(state.blocked)} "
        )
        self.stream.write(line)
        self.stream.flush()

    def closed(self, spider: object) -> None:
        _open_spiders[self.run_id] = _open_spiders.get(self.run_id, 1) - 1
        if _open_spiders[self.run_id] > 0:
            return  # another spider of the run is still going; the drawing instance keeps drawing
        del _open_spiders[self.run_id]
        for ext in _instances.pop(self.run_id, []):
            if ext.loop is not None and ext.loop.running:
                ext.loop.stop()
                ext.draw()
                ext.stream.write("\n")
                ext.stream.flush()
