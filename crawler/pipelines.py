"""From captured report pages to report versions, facts, checks and search chunks (item pipeline).

For each `ReportCapture` (a report page, its continuation pages, its attachments, all already archived):

1. **Unchanged?** When every piece is byte-identical to its previous capture (a 304, or the same payload),
   the report is only marked as seen in this run: no parsing, no new version, no event.
2. **Parse** the page (continuation pages joined in) and each usable attachment with the shared parser,
   in the parse pool. The document with the most facts is the report's content (an attachment-only page
   has none; an HTML summary with the full report as PDF has fewer); a page's own metadata fills what the
   document lacks: the year from the title, the agency from the title or the registry entry.
3. **Store** it (`Archive.store_report`): identity, version, facts, checks, chunks and events (new,
   changed, corrected) in one transaction, with every URL the report was reached at.

A parse failure is recorded on the fetch (`parse_error`) and in the run report; the bytes stay archived.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from scrapy.crawler import Crawler

from crawler.classify import classify_title
from crawler.encoding import python_codec
from crawler.extract.multipage import join_pages
from crawler.items import Part, ReportCapture
from crawler.middlewares import run_context
from parsers.errors import ParseError
from parsers.model import Document

logger = logging.getLogger(__name__)

PARSEABLE_FORMATS = {"pdf", "docx", "doc", "wps", "xls", "xlsx", "txt", "html"}
OUTCOME_EVENTS = {"new_report": "new", "new_version": "changed", "correction": "corrected"}


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
        try:
            await self.store(item)
        except Exception as exc:  # one bad report never stops the crawl
            logger.exception("cannot store the report at %s", item.url)
            ctx.state.error("store", item.url, f"{type(exc).__name__}: {exc}")
        return item

    async def store(self, item: ReportCapture) -> None:
        ctx = run_context(self.crawler)
        state = ctx.state
        page = item.page
        if page.fetch is None:
            state.error("store", item.url, "the report page was not archived; not stored")
            return
        attachments = [a for a in item.attachments if a.fetch is not None]
        continuation = [c for c in item.continuation if c.usable]

        if item.unchanged:
            report_id = await ctx.worker.submit(
                ctx.archive.touch_unchanged_report,
                ctx.run,
                page.fetch,
                [p.fetch for p in (*continuation, *attachments)],
            )
            if report_id is not None:
                await self._seen(item, report_id)
                state.count("reports/unchanged")
                return

        document, parsed_part = await self._best_document(item, continuation)
        if document is None:
            return
        document = self._with_page_metadata(document, item)
        stored = await ctx.worker.submit(
            ctx.archive.store_report,
            ctx.run,
            document,
            page=page.fetch,
            attachments=[p.fetch for p in (*continuation, *attachments) if p.fetch is not None],
            parsed=parsed_part.fetch,
            source=item.site,
            canonical_url=item.url,
            superseded=item.superseded_notice,
        )
        await self._seen(item, stored.report_id)
        event = OUTCOME_EVENTS.get(stored.outcome)
        if event:
            state.event(
                event,
                report_id=stored.report_id,
                version_id=stored.version_id,
                url=item.url,
                agency=document.agency,
                year=document.year,
                title=document.title,
            )
        else:
            state.count(f"reports/{stored.outcome}")

    async def _seen(self, item: ReportCapture, report_id: int) -> None:
        ctx = run_context(self.crawler)
        ctx.seen_reports.add(report_id)
        ctx.state.count("reports/seen")
        if item.alt_urls:
            await ctx.worker.submit(ctx.archive.add_report_urls, report_id, item.alt_urls)

    async def _best_document(
        self, item: ReportCapture, continuation: list[Part]
    ) -> tuple[Document | None, Part]:
        """Parse the page and the attachments; the document with the most facts wins (the page on a tie)."""
        ctx = run_context(self.crawler)
        pool = ctx.parse_pool
        candidates: list[tuple[Document, Part]] = []
        errors: list[tuple[Part, ParseError]] = []
        page = item.page
        if page.usable:
            data, media_type = page.body, page.content_type
            if continuation:
                data = join_pages([(p.body, _encoding_of(p)) for p in (page, *continuation)])
                media_type = "text/html; charset=utf-8"
            try:
                candidates.append((await pool.parse(data, media_type, item.url), page))
            except ParseError as exc:
                errors.append((page, exc))
        for part in item.attachments:
            if (
                not part.usable
                or (part.format and part.format not in PARSEABLE_FORMATS)
                or part.format == "html"
            ):
                continue  # an HTML error page served as .pdf is flagged, not parsed
            try:
                candidates.append((await pool.parse(part.body, part.content_type, part.url), part))
            except ParseError as exc:
                errors.append((part, exc))
        for part, exc in errors:
            await ctx.worker.submit(ctx.archive.record_parse_error, part.fetch, exc)
        if not candidates:
            if self._content_unavailable(item, errors):
                ctx.state.count("reports/without_content")
                return self._metadata_only(item, errors), page
            reason = "; ".join(f"{p.url}: {e.reason}" for p, e in errors) or "nothing parseable was fetched"
            ctx.state.error("parse", item.url, reason)
            return None, page
        for part, _exc in errors:
            if part is page:
                ctx.state.count("parse/page_failed_attachment_used")
            else:
                ctx.state.count("parse/attachment_failed")
        best = max(candidates, key=lambda c: (len(c[0].facts), c[1] is page))
        return best

    @staticmethod
    def _content_unavailable(item: ReportCapture, errors: list[tuple[Part, ParseError]]) -> bool:
        """The page names a report but holds no report text, and its attachments are missing, HTML error
        pages or otherwise not documents: the site's fault, flagged on the attachments, not a parse error."""
        if item.title_info.kind != "report" or not item.attachments:
            return False
        page_is_stub = all(e.kind == "not_a_report" for p, e in errors if p is item.page)
        attachments_broken = all(not a.usable or a.format == "html" for a in item.attachments)
        return page_is_stub and attachments_broken

    def _metadata_only(self, item: ReportCapture, errors: list[tuple[Part, ParseError]]) -> Document:
        """A report known from its page (title, agency, year) whose content could not be fetched."""
        import parsers
        from parsers.model import Source

        ctx = run_context(self.crawler)
        info = item.title_info
        why = [f"{a.url}: {a.note or 'not a document'}" for a in item.attachments]
        return Document(
            parser_version=parsers.__version__,
            source=Source(sha256=item.page.fetch.sha256, uri=item.url, media_type=item.page.content_type),
            agency=info.agency or ctx.site(item.site).agency,
            year=info.year,
            title=info.title,
            warnings=[
                "no report content could be read; the page only links attachments that are not documents: "
                + "; ".join(why)
            ],
        )

    def _with_page_metadata(self, document: Document, item: ReportCapture) -> Document:
        """Fill what the document lacks from the page: the title's year and agency, the registry's agency."""
        ctx = run_context(self.crawler)
        info = item.title_info
        changes: dict[str, object] = {}
        if document.year is None and info.year is not None:
            changes["year"] = info.year
        if not document.agency:
            agency = info.agency or ctx.site(item.site).agency
            if agency:
                changes["agency"] = agency
        if not document.title or (info.corrected and not classify_title(document.title).corrected):
            changes["title"] = info.title  # the page says 更正 where the body may not
        if changes:
            document = replace(document, **changes)
            document.warnings.append(f"filled from the page: {', '.join(sorted(changes))}")
        return document


def _encoding_of(part: Part) -> str:
    import re

    m = re.search(r"charset=([\w-]+)", part.content_type or "")
    codec = python_codec(m.group(1)) if m else None
    if codec is None:
        meta = re.search(rb"charset=[\"']?([\w-]+)", part.body[:2048])
        codec = python_codec(meta.group(1).decode("ascii", "ignore")) if meta else None
    return codec or "utf-8"
