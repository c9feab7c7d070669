"""Everything one crawl run shares between its spiders and components.

The runner opens a `RunContext` (archive, run, lock, resumption data) and hands it to every spider as the
`ctx` argument; Scrapy components reach it as `crawler.spider.ctx`. Several spiders (one per CMS family) run
in one process and one run, so blocked hosts, counters and the run report are shared.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from crawler.archiving import ArchiveWorker
from crawler.registry import Site
from crawler.runstate import RunState
from crawler.urls import url_key
from storage.archive import FetchRecord

if TYPE_CHECKING:
    from crawler.archive_ext import ArchivedResponse, CrawlArchive, KnownReportUrl
    from crawler.batching import Batcher
    from crawler.reporting import ReportWorkers
    from storage.archive import Run, UrlStateInfo

logger = logging.getLogger(__name__)


@dataclass(slots=True)
class RunContext:
    archive: CrawlArchive
    worker: ArchiveWorker
    run: Run
    sites: dict[str, Site]
    state: RunState
    data_dir: Path
    url_states: dict[str, UrlStateInfo] = field(default_factory=dict)
    # Responses archived by the interrupted run we resume, by url_key: never fetched again.
    resume: dict[str, ArchivedResponse] = field(default_factory=dict)
    gone_after: int = 3
    # What this run learnt, for the end-of-run bookkeeping.
    seen_reports: set[int] = field(default_factory=set)
    dead_urls: dict[str, int] = field(default_factory=dict)  # url -> 404/410
    # Report pages (and the URLs that redirected to them) that failed: 5xx, timeouts. Not missing.
    failed_pages: dict[str, str] = field(default_factory=dict)  # url -> error
    # source URL -> target URL of every redirect: a legacy URL joins the report it now leads to.
    redirects: dict[str, str] = field(default_factory=dict)
    complete_sites: set[str] = field(
        default_factory=set
    )  # sites whose crawl finished (spider closed cleanly)
    closed_reasons: dict[str, str] = field(default_factory=dict)  # spider name -> why it closed
    hosts_answered: set[str] = field(default_factory=set)  # hosts that sent a page (< 400) in this run
    # Page URLs of reports seen before, per site: checked again when no list links to them any more.
    known_report_urls: dict[str, list[KnownReportUrl]] = field(default_factory=dict)
    report_workers: ReportWorkers | None = None  # parse and store reports (crawler/reporting.py)
    captures: Batcher | None = None  # exchanges archived in batches (crawler/batching.py)

    def site(self, name: str) -> Site:
        return self.sites[name]

    def sites_for(self, names: Iterable[str]) -> list[Site]:
        return [self.sites[n] for n in names]

    def site_for_url(self, url: str) -> Site | None:
        from crawler.urls import host_of

        host = host_of(url)
        for site in self.sites.values():
            if site.allows_host(host):
                return site
        return None

    def resumed(self, url: str) -> ArchivedResponse | None:
        return self.resume.get(url_key(url))

    def resumed_record(self, url: str) -> FetchRecord | None:
        """The archive's record of a response handed on from the interrupted run."""
        archived = self.resumed(url)
        if archived is None:
            return None
        return FetchRecord(
            id=archived.fetch_id,
            url=archived.url,
            final_url=archived.final_url,
            status=archived.status,
            sha256=archived.sha256,
            media_type=archived.media_type,
            size=None,
            warc=None,
            revisit=False,
            changed=True,
            new_blob=False,
        )
