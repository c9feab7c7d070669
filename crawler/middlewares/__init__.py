"""Scrapy components of the crawler, one job each, wired by priority in `crawler/settings.py`."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from crawler.context import RunContext


def run_context(crawler: Crawler) -> RunContext:
    """The run every spider of this process belongs to (set by the runner, or by the spider itself)."""
    return crawler.spider.ctx  # type: ignore[attr-defined]


def header_pairs(headers) -> list[tuple[str, str]]:  # noqa: ANN001
    """Scrapy `Headers` as (name, value) text pairs, one pair per value."""
    out: list[tuple[str, str]] = []
    for name, values in headers.items():
        key = name.decode("latin-1") if isinstance(name, bytes) else str(name)
        for value in values:
            out.append((key, value.decode("latin-1") if isinstance(value, bytes) else str(value)))
    return out
