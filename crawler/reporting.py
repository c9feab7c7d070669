"""From a captured report page to a stored report version: parsing and storing, in worker processes.

Parsing a report and storing it (identity, version, facts, checks, search chunks, events) is most of a
crawl's CPU. Done in Scrapy's process it would compete with every download for one interpreter lock, so it
runs in `NIANBAO_PARSE_WORKERS` processes (default: the CPUs, at most 2), each with its own connection to
the archive. A report goes to the worker chosen by its agency (from the page title, else the site), so
two pages of one report, or one agency's consecutive years, are decided one after the other, never at
the same moment in two processes.

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
import multiprocessing
import os
import re
import time
import zlib
from collections import Counter
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any

from crawler.classify import classify_title
from crawler.encoding import python_codec
from crawler.extract.multipage import join_pages
from crawler.items import Part, ReportCapture
from parsers.errors import ParseError
from parsers.model import Document

PARSEABLE_FORMATS = {"pdf", "docx", "doc", "wps", "xls", "xlsx", "txt", "html"}
OUTCOME_EVENTS = {"new_report": "new", "new_version": "changed", "correction": "corrected"}
STORE_ATTEMPTS = 2  # a race with another worker on a new report's rows is settled by trying again

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
            context = multiprocessing.get_context("spawn")
            self.executors = [
                ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=_open_archive)
                for _ in range(workers)
            ]
        else:  # in this process (debugging): the crawl's own archive, one report at a time
            self.executors = [
                ThreadPoolExecutor(max_workers=1, initializer=_use_archive, initargs=(archive,))
            ]

    async def store(self, run: Any, capture: ReportCapture, site_agency: str | None) -> Outcome:
        key = (capture.title_info.agency or site_agency or capture.site).replace(" ", "")
        executor = self.executors[zlib.crc32(key.encode()) % len(self.executors)]
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(executor, store_capture, run, capture, site_agency)

    def close(self) -> None:
        for executor in self.executors:
            executor.shutdown(wait=True, cancel_futures=True)


def _open_archive() -> None:
    global _archive
    from crawler.archive_ext import CrawlArchive

    _archive = CrawlArchive.open()


def _use_archive(archive: Any) -> None:
    global _archive
    _archive = archive


# --- in the worker -----------------------------------------------------------------------------------
def store_capture(run: Any, capture: ReportCapture, site_agency: str | None) -> Outcome:
    archive = _archive
    outcome = Outcome(url=capture.url)
    page = capture.page
    if page.fetch is None:
        outcome.errors.append(("store", capture.url, "the report page was not archived; not stored"))
        return outcome
    attachments = [a for a in capture.attachments if a.fetch is not None]
    continuation = [c for c in capture.continuation if c.usable]
    others = [p.fetch for p in (*continuation, *attachments)]

    if capture.unchanged:
        report_id = archive.touch_unchanged_report(run, page.fetch, others)
        if report_id is not None:
            outcome.report_id = report_id
            outcome.counts["reports/unchanged"] += 1
            _add_urls(archive, capture, report_id)
            return outcome

    started = time.perf_counter()
    document, parsed_part = _best_document(archive, capture, continuation, site_agency, outcome)
    outcome.seconds["parse_s"] += time.perf_counter() - started
    if document is None:
        return outcome
    document = _with_page_metadata(document, capture, site_agency)
    started = time.perf_counter()
    for attempt in range(STORE_ATTEMPTS):
        try:
            stored = archive.store_report(
                run,
                document,
                page=page.fetch,
                attachments=[f for f in others if f is not None],
                parsed=parsed_part.fetch,
                source=capture.site,
                canonical_url=capture.url,
                superseded=capture.superseded_notice,
            )
            break
        except Exception as exc:
            if attempt + 1 == STORE_ATTEMPTS or "IntegrityError" not in type(exc).__name__:
                raise
    outcome.seconds["store_s"] += time.perf_counter() - started
    outcome.report_id, outcome.version_id = stored.report_id, stored.version_id
    outcome.agency, outcome.year, outcome.title = document.agency, document.year, document.title
    outcome.event = OUTCOME_EVENTS.get(stored.outcome)
    if outcome.event is None:
        outcome.counts[f"reports/{stored.outcome}"] += 1
    _add_urls(archive, capture, stored.report_id)
    return outcome


def _add_urls(archive: Any, capture: ReportCapture, report_id: int) -> None:
    if capture.alt_urls:
        archive.add_report_urls(report_id, capture.alt_urls)


def _best_document(
    archive: Any, capture: ReportCapture, continuation: list[Part], site_agency: str | None, outcome: Outcome
) -> tuple[Document | None, Part]:
    """Parse the page and the attachments; the document with the most facts wins (the page on a tie)."""
    import parsers

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
