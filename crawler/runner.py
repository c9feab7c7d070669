"""One crawl run, in-process: lock, open the run, run every family spider, settle the run, report.

`run_crawl(sites)` is what `nianbao crawl` calls:

1. take the per-source locks (a second crawl of a source exits at once);
2. open the archive and a `crawl_run`; if the last crawl of these sources was interrupted (killed, even by
   SIGKILL), continue it: its archived responses are handed to the spiders again instead of being fetched;
3. run one spider per CMS family present, all in one Scrapy process (the reactor cannot be restarted, so
   tests run this as a subprocess);
4. settle the run: reports whose pages now answer 404/410 are `gone`; for every site crawled to the end
   (not blocked, not interrupted) reports missing for `NIANBAO_GONE_AFTER` runs (default 3) are `gone`;
5. close the run, write the JSON run report (`{data}/runs/run-N.json`) and the Atom feed of events
   (`{data}/feeds/events.atom`), print the summary; the exit code says ok (0), errors (1) or blocked (2).
"""

from __future__ import annotations

import gc
import logging
import os
import time
from collections import defaultdict
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import Any

from crawler.archiving import ArchiveWorker, default_threads
from crawler.batching import Batcher
from crawler.context import RunContext
from crawler.lock import CrawlLock
from crawler.registry import Site
from crawler.runstate import RunState
from crawler.urls import canonicalize, url_key

logger = logging.getLogger(__name__)


def data_dir() -> Path:
    from storage.settings import Settings

    return Settings.from_env().data_dir


def open_context(sites: Iterable[Site], *, resume: bool = True) -> RunContext:
    """Open the archive and a crawl run for these sites (continuing an interrupted one when there is one)."""
    from crawler.archive_ext import CrawlArchive
    from crawler.reporting import ReportWorkers
    from storage.settings import Settings

    sites = list(sites)
    names = [s.name for s in sites]
    settings = Settings.from_env()
    archive = CrawlArchive(settings)
    worker = ArchiveWorker(archive)
    try:
        for site in sites:
            base = site.start_urls[0].url
            worker.call(
                archive.ensure_source,
                site.name,
                kind="site",
                name=site.name,
                agency=site.agency,
                base_url=base,
            )
        worker.call(archive.mark_dead_runs)
        pending = worker.call(archive.resumable_runs, names) if resume else []
        run = worker.call(
            archive.open_run,
            "crawl",
            args={"sources": names, "resumed_from": pending[0] if pending else None, "pid": os.getpid()},
        )
        state = RunState(run_id=run.id, sources=names, resumed_from=pending[0] if pending else None)
        ctx = RunContext(
            archive=archive,
            worker=worker,
            run=run,
            sites={s.name: s for s in sites},
            state=state,
            data_dir=settings.data_dir,
            gone_after=int(os.environ.get("NIANBAO_GONE_AFTER") or 3),
        )
        for archived in worker.call(archive.archived_responses, pending):
            ctx.resume[url_key(archived.final_url)] = archived
        hosts = sorted({h for s in sites for h in s.allowed_domains})
        ctx.url_states = worker.call(archive.url_states_for_hosts, hosts)
        for site in sites:
            ctx.known_report_urls[site.name] = worker.call(archive.report_urls, site.name)
        ctx.report_workers = ReportWorkers(archive)
        ctx.captures = Batcher(
            partial(archive.capture_batch, run),
            worker.submit_exchange,
            max_items=32,
            max_in_flight=default_threads(),  # one batch per capture thread; the next one gathers meanwhile
        )
        if ctx.resume:
            logger.info(
                "resuming run %s: %d archived responses will not be fetched again",
                pending[0],
                len(ctx.resume),
            )
        return ctx
    except BaseException:
        worker.close()
        archive.close()
        raise


def settle_run(ctx: RunContext) -> None:
    """After the spiders: legacy URLs joined to their reports; gone reports, for the sites crawled completely."""
    state = ctx.state
    # A URL that redirects to a report's page is one of that report's URLs (E4), even when the target was
    # reached through a list first and the redirect request itself was dropped as a duplicate.
    final = {source: _chain_end(ctx.redirects, source) for source in ctx.redirects}
    # A redirect to an attachment (Hanweb's downfile.jsp → /attach/…) makes the link an attachment URL.
    owners = ctx.worker.call(ctx.archive.reports_at, set(final.values()))
    for source, target in final.items():
        if target in owners:
            report_id, role = owners[target]
            ctx.worker.call(ctx.archive.add_report_urls, report_id, [source], role=role)
            state.count("reports/redirect_urls")
    for name in sorted(ctx.complete_sites):
        site = ctx.sites[name]
        if any(
            h in state.blocked or h in state.robots_disallowed or h in state.hosts_incomplete
            for h in site.allowed_domains
        ):
            state.count("sites/incomplete")
            continue
        by_report: dict[int, list[str]] = defaultdict(list)
        for known in ctx.known_report_urls.get(name, []):
            by_report[known.report_id].append(known.url)
        for report_id, urls in by_report.items():
            if report_id in ctx.seen_reports:
                continue
            dead = {u: ctx.dead_urls[u] for u in urls if u in ctx.dead_urls}
            if dead and len(dead) == len(urls):
                # Every page of the report answers 404/410: it was taken down.
                detail = {"reason": "page removed", "urls": dead}
                if ctx.worker.call(ctx.archive.mark_report_gone, ctx.run, report_id, detail):
                    state.event("gone", report_id=report_id, url=next(iter(dead)), reason="page removed")
        # Missing means this run saw the site without the report: not when a list page of the site
        # failed (5xx, timeout), nor for a report whose own page failed.
        if any(state.lists_failed(h) for h in site.allowed_domains):
            state.count("sites/incomplete")
            continue
        unknown = {
            report_id
            for report_id, urls in by_report.items()
            if any(canonicalize(u) in ctx.failed_pages for u in urls)
        }
        state.count("reports/not_counted_missing", len(unknown))
        for report_id in ctx.worker.call(
            ctx.archive.sweep_missing, ctx.run, name, gone_after=ctx.gone_after, spare=unknown
        ):
            state.event("gone", report_id=report_id, reason=f"not seen in {ctx.gone_after} complete crawls")


def _chain_end(redirects: dict[str, str], url: str) -> str:
    """Where a chain of redirects from `url` ends (loops stop where they close)."""
    seen = {url}
    while url in redirects and redirects[url] not in seen:
        url = redirects[url]
        seen.add(url)
    return url


def finish_context(ctx: RunContext, *, interrupted: bool = False) -> Path:
    """Settle and close the run; write the run report and the feed. Returns the run report's path."""
    from crawler.feed import write_feed

    state = ctx.state
    try:
        if ctx.report_workers is not None:
            ctx.report_workers.close()
        for pool, seconds in ctx.worker.busy.items():
            state.timings[f"{pool}_s"] = round(seconds, 2)
        if ctx.captures is not None and ctx.captures.batches:
            state.timings["capture_batch_size"] = round(ctx.captures.items / ctx.captures.batches, 1)
        if ctx.report_workers is not None and ctx.report_workers.batches:
            state.timings["report_batch_size"] = round(
                ctx.report_workers.items / ctx.report_workers.batches, 1
            )
        times = os.times()
        state.timings["crawl_process_cpu_s"] = round(times.user + times.system, 2)
        # The report workers have exited (closed above): their CPU, imports included.
        state.timings["report_workers_cpu_s"] = round(times.children_user + times.children_system, 2)
        if not interrupted:
            try:
                settle_run(ctx)
            except Exception as exc:
                logger.exception("cannot settle the run")
                state.error("settle", None, f"{type(exc).__name__}: {exc}")
        state.finished = time.time()
        status = "interrupted" if interrupted else "finished"
        stats = {
            k: v for k, v in state.to_dict().items() if k not in ("events", "broken_links", "mime_mismatches")
        }
        ctx.worker.call(ctx.archive.close_run, ctx.run, status=status, stats=stats)
        try:
            write_feed(ctx.archive, ctx.data_dir / "feeds" / "events.atom")
        except Exception as exc:
            logger.exception("cannot write the feed")
            state.error("feed", None, f"{type(exc).__name__}: {exc}")
    finally:
        ctx.worker.close()
        ctx.archive.close()
    return state.write_report(ctx.data_dir / "runs")


def scrapy_settings(overrides: dict[str, Any] | None = None) -> Any:
    from scrapy.settings import Settings as ScrapySettings

    settings = ScrapySettings()
    settings.setmodule("crawler.settings", priority="project")
    for key, value in (overrides or {}).items():
        settings.set(key, value, priority="cmdline")
    return settings


def run_crawl(
    sites: Iterable[Site], *, settings_overrides: dict[str, Any] | None = None, log_file: Path | None = None
) -> RunState:
    """Crawl these sites in this process (blocking); returns the run's state (summary, exit code)."""
    from scrapy.crawler import CrawlerProcess

    from crawler.spiders import SPIDERS

    sites = list(sites)
    lock = CrawlLock(data_dir() / "locks", [s.name for s in sites]).acquire()
    try:
        ctx = open_context(sites)
        overrides = dict(settings_overrides or {})
        if log_file is not None:
            log_file.parent.mkdir(parents=True, exist_ok=True)
            overrides.setdefault("LOG_FILE", str(log_file))
        settings = scrapy_settings(overrides)
        process = CrawlerProcess(settings)
        groups: dict[str, list[Site]] = defaultdict(list)
        for site in sites:
            groups[site.spider_family].append(site)
        for family, members in groups.items():
            deferred = process.crawl(SPIDERS[family], sites=members, ctx=ctx)
            deferred.addErrback(_crawler_failed, ctx, family)
        # The modules, settings and registry loaded so far live as long as the process: out of the
        # collector's way, so that its full collections no longer walk them (~3 % of the crawl's CPU).
        gc.collect()
        gc.freeze()
        process.start()
        reasons = ctx.closed_reasons
        interrupted = len(reasons) < len(groups) or any(r != "finished" for r in reasons.values())
        finish_context(ctx, interrupted=interrupted)
        return ctx.state
    finally:
        lock.release()


def _crawler_failed(failure: Any, ctx: RunContext, family: str) -> None:
    logger.error("the %s spider failed: %s", family, failure.getErrorMessage())
    ctx.state.error("crawler", None, f"{family} spider: {failure.getErrorMessage()}")
