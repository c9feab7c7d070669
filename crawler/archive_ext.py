"""Read-side queries the crawler needs beyond `storage.archive.Archive`, on the archive's own models.

These are candidates for `storage.archive` itself (see docs/crawler.md, "Archive API used"): bulk URL state
for conditional GETs, what an interrupted run had archived (for resumption), the URLs of a source's reports
(to revisit the ones no list links to any more), and marking one report gone when its page says 404.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select

from storage.archive import Archive, FetchRecord, Run, UrlStateInfo
from storage.db import insert_ignore
from storage.models import (
    CrawlRun,
    Event,
    Fetch,
    Report,
    ReportUrl,
    ReportVersion,
    ReportVersionFetch,
    Source,
    UrlState,
    utcnow,
)

EVENT_GONE = "gone"


@dataclass(frozen=True, slots=True)
class ArchivedResponse:
    """A response an interrupted run archived: enough to hand it to the spider again without a fetch."""

    fetch_id: int
    url: str
    final_url: str
    status: int
    headers: list[tuple[str, str]]
    sha256: str | None
    media_type: str | None


@dataclass(frozen=True, slots=True)
class EventInfo:
    """An event with the report it is about, for `nianbao new` and the Atom feed."""

    id: int
    kind: str
    occurred_at: datetime
    run_id: int | None
    source: str | None
    report_id: int | None
    version_id: int | None
    agency: str | None
    year: int | None
    title: str | None
    url: str | None
    detail: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "occurred_at": self.occurred_at.isoformat(),
            "run_id": self.run_id,
            "source": self.source,
            "report_id": self.report_id,
            "version_id": self.version_id,
            "agency": self.agency,
            "year": self.year,
            "title": self.title,
            "url": self.url,
            "detail": self.detail,
        }


@dataclass(frozen=True, slots=True)
class KnownReportUrl:
    report_id: int
    url: str
    role: str
    report_status: str


class CrawlArchive(Archive):
    def url_states_for_hosts(self, hosts: Iterable[str]) -> dict[str, UrlStateInfo]:
        """url_state of every URL on these hosts (http and https), for conditional GETs."""
        patterns = [f"{scheme}://{host}/%" for host in hosts for scheme in ("http", "https")]
        if not patterns:
            return {}
        out: dict[str, UrlStateInfo] = {}
        with self.db.session() as s:
            rows = s.scalars(select(UrlState).where(or_(*(UrlState.url.like(p) for p in patterns))))
            for row in rows:
                out[row.url] = UrlStateInfo(
                    row.url,
                    row.first_seen,
                    row.last_seen,
                    row.last_changed,
                    row.etag,
                    row.last_modified,
                    row.sha256,
                    row.status,
                    row.fetch_id,
                )
        return out

    def mark_dead_runs(self) -> None:
        """Runs left `running` by processes that no longer exist (killed, crashed) become `interrupted`."""
        with self.db.session(write=True) as s:
            self._mark_interrupted_runs(s)

    def resumable_runs(self, sources: Iterable[str], *, exclude: int | None = None) -> list[int]:
        """The interrupted crawl run to continue for these sources, with the runs it itself continued.

        Only the latest crawl run touching these sources counts: once a crawl of them finished, there is
        nothing to resume.
        """
        wanted = set(sources)
        with self.db.session() as s:
            runs = s.scalars(
                select(CrawlRun).where(CrawlRun.kind == "crawl").order_by(CrawlRun.id.desc())
            ).all()
            chain: list[int] = []
            for run in runs:
                if run.id == exclude:
                    continue
                run_sources = set((run.args or {}).get("sources") or [])
                if not run_sources & wanted:
                    continue
                if not chain:
                    if run.status != "interrupted":
                        return []
                    chain.append(run.id)
                    continue
                if run.id == (chain_args(s, chain[-1]) or {}).get("resumed_from"):
                    chain.append(run.id)
                else:
                    break
            return chain

    def archived_responses(self, run_ids: Iterable[int]) -> list[ArchivedResponse]:
        """Every response (not network failures) the given runs archived, oldest first.

        A 304 is handed on as the response it revalidated (status and headers of that earlier fetch, its
        bytes), as it was in the interrupted run; one whose earlier fetch is not found is left out (fetched
        again)."""
        ids = list(run_ids)
        if not ids:
            return []
        out = []
        with self.db.session() as s:
            rows = s.scalars(
                select(Fetch).where(Fetch.run_id.in_(ids), Fetch.status.is_not(None)).order_by(Fetch.id)
            ).all()
            for f in rows:
                answer = f
                if f.status == 304:
                    earlier = _revalidated(s, f)
                    if earlier is None or not f.sha256:
                        continue
                    answer = earlier
                headers = [(str(k), str(v)) for k, v in (answer.response_headers or [])]
                out.append(
                    ArchivedResponse(f.id, f.url, f.final_url, answer.status, headers, f.sha256, f.media_type)
                )
        return out

    def report_urls(self, source: str) -> list[KnownReportUrl]:
        """Page URLs of the source's reports that are not gone: the ones a periodic crawl checks again."""
        with self.db.session() as s:
            rows = s.execute(
                select(ReportUrl.report_id, ReportUrl.url, ReportUrl.role, Report.status)
                .join(Report, Report.id == ReportUrl.report_id)
                .join(Source, Source.id == Report.source_id)
                .where(Source.key == source, Report.status != "gone", ReportUrl.role == "page")
            ).all()
            return [KnownReportUrl(r[0], r[1], r[2], r[3]) for r in rows]

    def mark_report_gone(self, run: Run, report_id: int, detail: dict[str, Any]) -> bool:
        """The report's pages answer 404/410: it is gone now (kept, never deleted). True if it changed."""
        with self.db.session(write=True) as s:
            report = s.get(Report, report_id)
            if report is None or report.status == "gone":
                return False
            report.status = "gone"
            s.add(
                Event(
                    kind=EVENT_GONE,
                    occurred_at=utcnow(),
                    run_id=run.id,
                    source_id=report.source_id,
                    report_id=report.id,
                    detail={"last_seen": report.last_seen.isoformat(), **detail},
                )
            )
            return True

    def events(
        self,
        *,
        since: datetime | None = None,
        kinds: Iterable[str] | None = None,
        limit: int | None = None,
    ) -> list[EventInfo]:
        """Events (newest last) with their report's agency, year, title and URL."""
        q = (
            select(Event, Report, Source.key)
            .outerjoin(Report, Report.id == Event.report_id)
            .outerjoin(Source, Source.id == Event.source_id)
            .order_by(Event.occurred_at, Event.id)
        )
        if since is not None:
            q = q.where(Event.occurred_at >= since)
        if kinds is not None:
            q = q.where(Event.kind.in_(list(kinds)))
        if limit is not None:
            q = q.order_by(None).order_by(Event.occurred_at.desc(), Event.id.desc()).limit(limit)
        with self.db.session() as s:
            rows = s.execute(q).all()
            out = [
                EventInfo(
                    id=ev.id,
                    kind=ev.kind,
                    occurred_at=ev.occurred_at,
                    run_id=ev.run_id,
                    source=source,
                    report_id=ev.report_id,
                    version_id=ev.version_id,
                    agency=report.agency if report else None,
                    year=report.year if report else None,
                    title=report.title if report else None,
                    url=(ev.detail or {}).get("url") or (report.canonical_url if report else None),
                    detail=dict(ev.detail or {}),
                )
                for ev, report, source in rows
            ]
        return sorted(out, key=lambda e: (e.occurred_at, e.id))

    def last_crawl_started(self) -> datetime | None:
        """When the latest crawl started (for `nianbao new --since-last-crawl`); a crawl that continued
        an interrupted one started when the interrupted one did."""
        with self.db.session() as s:
            run = s.scalars(
                select(CrawlRun).where(CrawlRun.kind == "crawl").order_by(CrawlRun.id.desc()).limit(1)
            ).first()
            seen: set[int] = set()
            while run is not None and run.id not in seen:
                seen.add(run.id)
                earlier = (run.args or {}).get("resumed_from")
                if not earlier:
                    break
                previous = s.get(CrawlRun, earlier)
                if previous is None:
                    break
                run = previous
            return run.started_at if run is not None else None

    # --- batches ---------------------------------------------------------------------------------

    def capture_batch(self, run: Run, items: list[tuple[Any, str | None]]) -> list[Any]:
        """Exchanges (with their sources) archived together, with one durability point
        (storage/capture_batch.py). Results or exceptions, in order."""
        from storage.capture_batch import record_exchanges

        return record_exchanges(self, run, [e for e, _ in items], [src for _, src in items])

    def touch_unchanged_report(self, run: Run, page: FetchRecord, others: list[FetchRecord]) -> int | None:
        with self.db.session(write=True) as s:
            return self._touch_in(s, run, page, others)

    def touch_unchanged_reports(
        self, run: Run, items: list[tuple[FetchRecord, list[FetchRecord]]]
    ) -> list[int | None]:
        """`touch_unchanged_report` for many reports, in one transaction."""
        with self.db.session(write=True) as s:
            return [self._touch_in(s, run, page, others) for page, others in items]

    def store_report_in(self, s: Any, run: Run, document: Any, **kwargs: Any) -> Any:
        """`Archive.store_report` inside the caller's transaction (several reports, one commit)."""
        from storage import reports as report_rules

        def fid(f: Any) -> int:
            return f if isinstance(f, int) else f.id

        page, parsed = kwargs["page"], kwargs.get("parsed")
        ids = report_rules.FetchIds(
            page=fid(page),
            attachments=[fid(a) for a in kwargs.get("attachments", ())],
            parsed=fid(parsed) if parsed is not None else fid(page),
        )
        source = kwargs.get("source")
        return report_rules.store_report(
            s,
            run_id=run.id,
            document=document,
            fetches=ids,
            source_id=self.source_id(s, source) if source else None,
            canonical_url=kwargs.get("canonical_url"),
            superseded=kwargs.get("superseded", False),
            published=kwargs.get("published"),
        )

    def add_report_urls_in(self, s: Any, report_id: int, urls: Iterable[str]) -> None:
        now = utcnow()
        for url in dict.fromkeys(urls):
            self._touch_url(s, report_id, url, "page", None, now)

    def _touch_in(self, s: Any, run: Run, page: FetchRecord, others: list[FetchRecord]) -> int | None:
        """A report page and its attachments came back byte-identical: mark the report seen, link the new
        fetches to its current version (provenance of the re-check) and return the report id; None when
        these bytes belong to no current version (then the caller parses and stores them)."""
        if page.sha256 is None:
            return None
        now = utcnow()
        # Newest version first, sorted here: asked of the database, the order made SQLite read the whole
        # link table instead of finding the fetches by their sha256 and then their links.
        candidates = s.scalars(
            select(ReportVersionFetch.version_id)
            .join(Fetch, Fetch.id == ReportVersionFetch.fetch_id)
            .where(
                ReportVersionFetch.role == "page",
                Fetch.final_url == page.final_url,
                Fetch.sha256 == page.sha256,
            )
        ).all()
        wanted = {o.sha256 for o in others if o.sha256}
        for version_id in sorted(set(candidates), reverse=True):
            version = s.get(ReportVersion, version_id)
            report = s.get(Report, version.report_id) if version else None
            if version is None or report is None or version.status != "current" or report.status != "current":
                continue
            known = set(
                s.scalars(
                    select(Fetch.sha256)
                    .join(ReportVersionFetch, ReportVersionFetch.fetch_id == Fetch.id)
                    .where(ReportVersionFetch.version_id == version_id)
                )
            )
            if not wanted <= known:
                continue
            for fetch, role in [(page, "page"), *((o, "attachment") for o in others)]:
                s.execute(
                    insert_ignore(
                        s,
                        ReportVersionFetch,
                        {"version_id": version_id, "fetch_id": fetch.id, "role": role},
                        ["version_id", "fetch_id"],
                    )
                )
                self._touch_url(s, report.id, fetch.final_url, role, fetch.id, now)
            version.last_seen = now
            report.last_seen = now
            report.last_seen_run_id = run.id
            report.missing_runs = 0
            return report.id
        return None

    def reports_at(self, urls: Iterable[str]) -> dict[str, tuple[int, str]]:
        """The report each of these URLs belongs to, and as what (`page` before `attachment`); URLs of no
        report are left out."""
        wanted = list(dict.fromkeys(urls))
        out: dict[str, tuple[int, str]] = {}
        with self.db.session() as s:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                for url, report_id, role in s.execute(
                    select(ReportUrl.url, ReportUrl.report_id, ReportUrl.role)
                    .where(ReportUrl.url.in_(chunk))
                    .order_by(ReportUrl.id)
                ):
                    if url not in out or (role == "page" and out[url][1] != "page"):
                        out[url] = (report_id, role)
        return out

    def add_report_urls(self, report_id: int, urls: Iterable[str], *, role: str = "page") -> None:
        """More URLs the report was reached at (redirect sources, twins): kept with the report, in the
        role of the URL they lead to (a download gateway's link to an attachment is no page)."""
        now = utcnow()
        with self.db.session(write=True) as s:
            for url in dict.fromkeys(urls):
                self._touch_url(s, report_id, url, role, None, now)

    @staticmethod
    def _touch_url(s: Any, report_id: int, url: str, role: str, fetch_id: int | None, now: Any) -> None:
        row = s.scalar(select(ReportUrl).where(ReportUrl.report_id == report_id, ReportUrl.url == url))
        if row is None:
            s.add(
                ReportUrl(
                    report_id=report_id,
                    url=url,
                    role=role,
                    first_seen=now,
                    last_seen=now,
                    last_fetch_id=fetch_id,
                )
            )
        else:
            row.last_seen = now
            if fetch_id is not None:
                row.last_fetch_id = fetch_id
        s.flush()


def _revalidated(s: Any, fetch: Fetch) -> Fetch | None:
    """The earlier fetch a 304 stands for (revisits of revisits followed back), or None."""
    seen = {fetch.id}
    current: Fetch | None = fetch
    while current is not None and current.status == 304:
        if current.revisit_of_id is None or current.revisit_of_id in seen:
            return None
        seen.add(current.revisit_of_id)
        current = s.get(Fetch, current.revisit_of_id)
    return current


def chain_args(s: Any, run_id: int) -> dict[str, Any] | None:
    run = s.get(CrawlRun, run_id)
    return run.args if run is not None else None
