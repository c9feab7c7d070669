"""From a captured report page to a stored report version: parsing and storing, in worker processes.

Parsing a report and storing it (identity, version, facts, checks, search chunks, events) is most of a
crawl's CPU. Done in Scrapy's process it would compete with every download for one interpreter lock, so it
runs in `NIANBAO_PARSE_WORKERS` processes (default: the CPUs, at most 2), each with its own connection to
the archive. A report goes to the worker chosen by its agency (from the page title, else the site), so
two pages of one report, or one agency's consecutive years, are decided one after the other, never at
the same moment in two processes. A worker takes up to `BATCH` reports at a time: it parses them, then
stores them in one transaction (a savepoint each), so a commit is paid per batch, not per report.

For each `ReportCapture` (a report page, its continuation pages, its attachments, all archived already):

1. **Unchanged?** When every piece is byte-identical to its previous capture (a 304, or the same
   payload), the report is only marked as seen: no parsing, no new version, no event.
2. **Parse** the page (continuation pages joined in) and each usable attachment with the shared parser.
   The document with the most facts is the report's content (an attachment-only page has none; an HTML
   summary with the full report as PDF has fewer); the page fills what the document lacks: the year from
   the title, the agency from the title or the registry entry.
3. **Store** it (`Archive.store_report`) with every URL the report was reached at.

A parse failure is recorded on its fetch (`parse_error`); the bytes stay archived.
"""

from __future__ import annotations

import asyncio
import gc
import multiprocessing
import os
import re
import time
import zlib
from collections import Counter
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

from crawler.batching import Batcher
from crawler.classify import classify_title
from crawler.encoding import python_codec
from crawler.extract.multipage import join_pages
from crawler.items import Part, ReportCapture
from parsers.errors import ParseError
from parsers.model import Document

PARSEABLE_FORMATS = {"pdf", "docx", "doc", "wps", "xls", "xlsx", "txt", "html"}
OUTCOME_EVENTS = {"new_report": "new", "new_version": "changed", "correction": "corrected"}
BATCH = 8  # reports a worker parses, then stores in one transaction

_archive: Any = None  # the worker process's own archive connection


@dataclass(slots=True)
class Outcome:
    """What became of one captured report, for the run's counters and events."""

    url: str
    report_id: int | None = None
    version_id: int | None = None
    event: str | None = None  # new | changed | corrected
    agency: str | None = None
    year: int | None = None
    title: str | None = None
    errors: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, url, message)
    counts: Counter[str] = field(default_factory=Counter)
    seconds: Counter[str] = field(default_factory=Counter)  # parse, store: time spent in the worker


def default_workers() -> int:
    value = os.environ.get("NIANBAO_PARSE_WORKERS")
    if value not in (None, ""):
        return max(0, int(value))
    return max(1, min(2, os.cpu_count() or 1))


class ReportWorkers:
    """Worker processes that parse and store reports, one queue each, chosen by the report's agency."""

    def __init__(self, archive: Any, workers: int | None = None):
        workers = default_workers() if workers is None else workers
        self.executors: list[Executor]
        if workers > 0:
            self.executors = [_process_executor() for _ in range(workers)]
        else:  # in this process (debugging): the crawl's own archive, one report at a time
            self.executors = [
                ThreadPoolExecutor(max_workers=1, initializer=_use_archive, initargs=(archive,))
            ]
        self._batchers: dict[int, Batcher] = {}

    async def store(self, run: Any, capture: ReportCapture, site_agency: str | None) -> Outcome:
        key = (capture.title_info.agency or site_agency or capture.site).replace(" ", "")
        index = zlib.crc32(key.encode()) % len(self.executors)
        if index not in self._batchers:

            def submit(fn: Any, items: list[Any], index: int = index) -> asyncio.Future[Any]:
                loop = asyncio.get_running_loop()
                try:
                    return loop.run_in_executor(self.executors[index], fn, items)
                except BrokenProcessPool:
                    # A worker died (a parser crash, the OOM killer): its batch failed with it; start another.
                    self.executors[index] = _process_executor()
                    return loop.run_in_executor(self.executors[index], fn, items)

            # Two batches in flight per worker: one being parsed, the next already queued behind it.
            self._batchers[index] = Batcher(
                partial(store_captures, run), submit, max_items=BATCH, max_wait=0.05, max_in_flight=2
            )
        return await self._batchers[index].add((capture, site_agency))

    @property
    def batches(self) -> int:
        return sum(b.batches for b in self._batchers.values())

    @property
    def items(self) -> int:
        return sum(b.items for b in self._batchers.values())

    def close(self) -> None:
        for executor in self.executors:
            executor.shutdown(wait=True, cancel_futures=True)


def _process_executor() -> ProcessPoolExecutor:
    context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(
        max_workers=1, mp_context=context, initializer=_open_archive, initargs=(os.getpid(),)
    )


def _open_archive(parent: int) -> None:
    global _archive
    from crawler.archive_ext import CrawlArchive

    _exit_with_parent(parent)
    _archive = CrawlArchive.open()
    # The parser loaded now rather than with the first report; then everything loaded so far is kept out
    # of the collector's way (full collections no longer walk the modules): ~4 % of a worker's CPU.
    import parsers.api  # noqa: F401

    gc.collect()
    gc.freeze()


def _exit_with_parent(parent: int) -> None:
    """A worker outlives a crawl killed with SIGKILL otherwise (it waits on its queue forever)."""
    import threading

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="nianbao-parent-watch", daemon=True).start()


def _use_archive(archive: Any) -> None:
    global _archive
    _archive = archive


# --- in the worker -----------------------------------------------------------------------------------
def store_captures(run: Any, jobs: list[tuple[ReportCapture, str | None]]) -> list[Outcome]:
    """A batch of captured reports: unchanged ones touched, the others parsed, then all stored in one
    transaction (one commit, one savepoint each)."""
    archive = _archive
    outcomes = [Outcome(url=capture.url) for capture, _ in jobs]
    to_parse: list[int] = []
    touches: list[int] = []
    for i, (capture, _) in enumerate(jobs):
        if capture.page.fetch is None:
            outcomes[i].errors.append(("store", capture.url, "the report page was not archived; not stored"))
        elif capture.unchanged:
            touches.append(i)
        else:
            to_parse.append(i)
    if touches:
        found = archive.touch_unchanged_reports(run, [_fetches(jobs[i][0]) for i in touches])
        for i, report_id in zip(touches, found, strict=True):
            if report_id is None:
                to_parse.append(i)  # these bytes belong to no current version: parse and store them
            else:
                outcomes[i].report_id = report_id
                outcomes[i].counts["reports/unchanged"] += 1

    documents: dict[int, tuple[Document, Part]] = {}
    for i in sorted(to_parse):
        capture, site_agency = jobs[i]
        started, cpu = time.perf_counter(), time.process_time()
        document, parsed_part = _best_document(archive, capture, site_agency, outcomes[i])
        outcomes[i].seconds["parse_s"] += time.perf_counter() - started
        outcomes[i].seconds["parse_cpu_s"] += time.process_time() - cpu
        if document is not None:
            documents[i] = (_with_page_metadata(document, capture, site_agency), parsed_part)

    started, cpu = time.perf_counter(), time.process_time()
    retry: list[int] = []
    # All in one transaction, no savepoint each (two statements a report saved); should any fail, the
    # transaction is rolled back and the batch stored again with a savepoint per report, so that one bad
    # report costs only itself.
    before = [_copy_outcome(o) for o in outcomes]
    waited = 0.0
    try:
        with archive.db.session(write=True) as s:
            waited = time.perf_counter() - started  # for the database's write lock (SQLite: one writer)
            for i, (capture, _) in enumerate(jobs):
                _store_in(archive, s, run, capture, documents.get(i), outcomes[i])
    except Exception:
        outcomes[:] = before
        again = time.perf_counter()
        with archive.db.session(write=True) as s:
            waited += time.perf_counter() - again
            for i, (capture, _) in enumerate(jobs):
                try:
                    with s.begin_nested():
                        _store_in(archive, s, run, capture, documents.get(i), outcomes[i])
                except Exception as exc:
                    if "IntegrityError" in type(exc).__name__ and i in documents:
                        # Another worker stored this new report a moment ago: once more, alone.
                        retry.append(i)
                    else:
                        outcomes[i].errors.append(("store", capture.url, f"{type(exc).__name__}: {exc}"))
    for i in retry:
        capture = jobs[i][0]
        try:
            with archive.db.session(write=True) as s:
                _store_one(archive, s, run, capture, *documents[i], outcomes[i])
        except Exception as exc:
            outcomes[i].errors.append(("store", capture.url, f"{type(exc).__name__}: {exc}"))
    if documents:
        share = 1 / len(documents)
        for i in documents:
            outcomes[i].seconds["store_s"] += (time.perf_counter() - started) * share
            outcomes[i].seconds["store_cpu_s"] += (time.process_time() - cpu) * share
            outcomes[i].seconds["store_wait_s"] += waited * share
    return outcomes


def _store_in(
    archive: Any,
    s: Any,
    run: Any,
    capture: ReportCapture,
    parsed: tuple[Document, Part] | None,
    outcome: Outcome,
) -> None:
    if parsed is not None:
        _store_one(archive, s, run, capture, *parsed, outcome)
    if outcome.report_id is not None and capture.alt_urls:
        archive.add_report_urls_in(s, outcome.report_id, capture.alt_urls)


def _copy_outcome(outcome: Outcome) -> Outcome:
    return replace(
        outcome, errors=list(outcome.errors), counts=Counter(outcome.counts), seconds=Counter(outcome.seconds)
    )


def _fetches(capture: ReportCapture) -> tuple[Any, list[Any]]:
    attachments = [a for a in capture.attachments if a.fetch is not None]
    continuation = [c for c in capture.continuation if c.usable]
    return capture.page.fetch, [p.fetch for p in (*continuation, *attachments)]


def _store_one(
    archive: Any, s: Any, run: Any, capture: ReportCapture, document: Document, parsed: Part, outcome: Outcome
) -> None:
    page, others = _fetches(capture)
    stored = archive.store_report_in(
        s,
        run,
        document,
        page=page,
        attachments=others,
        parsed=parsed.fetch,
        source=capture.site,
        canonical_url=capture.url,
        superseded=capture.superseded_notice,
        published=(capture.published, capture.published_from or "") if capture.published else None,
    )
    outcome.report_id, outcome.version_id = stored.report_id, stored.version_id
    outcome.agency, outcome.year, outcome.title = document.agency, document.year, document.title
    outcome.event = OUTCOME_EVENTS.get(stored.outcome)
    if outcome.event is None:
        outcome.counts[f"reports/{stored.outcome}"] += 1


def _best_document(
    archive: Any, capture: ReportCapture, site_agency: str | None, outcome: Outcome
) -> tuple[Document | None, Part]:
    """Parse the page and the attachments; the document with the most facts wins (the page on a tie)."""
    import parsers

    continuation = [c for c in capture.continuation if c.usable]
    candidates: list[tuple[Document, Part]] = []
    errors: list[tuple[Part, ParseError]] = []
    page = capture.page
    if page.usable:
        data, media_type = page.body, page.content_type
        if continuation:
            data = join_pages([(p.body, _encoding_of(p)) for p in (page, *continuation)])
            media_type = "text/html; charset=utf-8"
        try:
            candidates.append((_parse(parsers, data, media_type, capture.url), page))
        except ParseError as exc:
            errors.append((page, exc))
    for part in capture.attachments:
        if not part.usable or (part.format and part.format not in PARSEABLE_FORMATS) or part.format == "html":
            continue  # an HTML error page served as .pdf is flagged, not parsed
        try:
            candidates.append((_parse(parsers, part.body, part.content_type, part.url), part))
        except ParseError as exc:
            errors.append((part, exc))
    for part, exc in errors:
        archive.record_parse_error(part.fetch, exc)
    if not candidates:
        if _content_unavailable(capture, errors):
            outcome.counts["reports/without_content"] += 1
            return _metadata_only(capture, site_agency), page
        reason = "; ".join(f"{p.url}: {e.reason}" for p, e in errors) or "nothing parseable was fetched"
        outcome.errors.append(("parse", capture.url, reason))
        return None, page
    for part, _exc in errors:
        outcome.counts[
            "parse/page_failed_attachment_used" if part is page else "parse/attachment_failed"
        ] += 1
    return max(candidates, key=lambda c: (len(c[0].facts), c[1] is page))


def _parse(parsers: Any, data: bytes, media_type: str | None, url: str) -> Document:
    try:
        return parsers.parse(data, media_type, url)
    except ParseError:
        raise
    except Exception as exc:  # a parser bug must not take the crawl down; it is recorded as an error
        raise ParseError(f"parser failure: {type(exc).__name__}: {exc}", kind="parser_error") from exc


def _content_unavailable(capture: ReportCapture, errors: list[tuple[Part, ParseError]]) -> bool:
    """The page names a report but holds no report text, and its attachments are missing, HTML error pages
    or otherwise not documents: the site's fault, flagged on the attachments, not a parse error."""
    if capture.title_info.kind != "report" or not capture.attachments:
        return False
    page_is_stub = all(e.kind == "not_a_report" for p, e in errors if p is capture.page)
    attachments_broken = all(not a.usable or a.format == "html" for a in capture.attachments)
    return page_is_stub and attachments_broken


def _metadata_only(capture: ReportCapture, site_agency: str | None) -> Document:
    """A report known from its page (title, agency, year) whose content could not be fetched."""
    import parsers
    from parsers.model import Source

    info = capture.title_info
    why = [f"{a.url}: {a.note or 'not a document'}" for a in capture.attachments]
    return Document(
        parser_version=parsers.__version__,
        source=Source(
            sha256=capture.page.fetch.sha256, uri=capture.url, media_type=capture.page.content_type
        ),
        agency=info.agency or site_agency,
        year=info.year,
        title=info.title,
        warnings=[
            "no report content could be read; the page only links attachments that are not documents: "
            + "; ".join(why)
        ],
    )


def _with_page_metadata(document: Document, capture: ReportCapture, site_agency: str | None) -> Document:
    """Fill what the document lacks from the page: the title's year and agency, the registry's agency."""
    info = capture.title_info
    changes: dict[str, object] = {}
    if document.year is None and info.year is not None:
        changes["year"] = info.year
    if not document.agency and (info.agency or site_agency):
        changes["agency"] = info.agency or site_agency
    if not document.title or (info.corrected and not classify_title(document.title).corrected):
        changes["title"] = info.title  # the page says 更正 where the body may not
    if changes:
        document = replace(document, **changes)
        document.warnings.append(f"filled from the page: {', '.join(sorted(changes))}")
    return document


def _encoding_of(part: Part) -> str:
    m = re.search(r"charset=([\w-]+)", part.content_type or "")
    codec = python_codec(m.group(1)) if m else None
    if codec is None:
        meta = re.search(rb"charset=[\"']?([\w-]+)", part.body[:2048])
        codec = python_codec(meta.group(1).decode("ascii", "ignore")) if meta else None
    return codec or "utf-8"
