"""Report identity, versions and events: the rules `Archive.store_report` applies.

- **Identity.** A report is one agency's report for one year within a source: its identity key is
  the agency name (NFKC, whitespace removed) and the year, `北京市科学技术委员会|2018`. A document
  without agency or year is identified by its content (`content:<key>`). The crawler may pass its own
  identity key instead.
- **Same content, more URLs.** The content key is a sha256 over what the parser read (agency, year,
  title, template, sections, facts; not the parser version, source or warnings) plus the sha256 of
  each attachment. Bytes that differ only outside the report body (a visit counter in the page chrome)
  therefore give the same key. Seeing a known content again, at any URL, adds the URL (`report_url`)
  and the fetches to that version; no new version, no event.
- **Changed.** A new content of a known report is a new `report_version`; the previous current
  version becomes `superseded`, and a `changed` event records the fact-level differences. A new
  version is a **correction** (event `corrected`) when its title says so (更正, 修正, 修订) or its text
  says it replaces an earlier one, or when the caller says which version it supersedes.
- **One piece of news per report and run.** Events say what changed since the previous run, and within
  a run pages arrive in no meaningful order (a crawl fetches them concurrently). So a further content of
  a report this run created (an original and its correction, both listed) is a new version, current or
  superseded by the rules here, but raises no second event: the report's `new_report` says it all,
  whichever content came first (the report's canonical URL is its current version's page).
- **Late and replaced contents.** A content that arrives after its replacement (a page saying 本报告已更正
  …, passed as `superseded=True`; or an original seen after its correction) is kept as a `superseded`
  version: it never becomes current and raises no event. A report whose identity is unknown in its
  source but whose exact content is stored under another source is that report (one report on several
  sites, every URL kept).
- **Gone.** `sweep_missing` counts, after a complete crawl of a source, the runs in which a report
  was not seen (except those the caller `spare`s: their page failed); after `gone_after` such runs it
  is marked `gone` (never deleted) with an event. A gone
  report seen again is `current` again, with a `reappeared` event.

Facts, checks (the parser's and `cross_year.carry`) and search chunks are written for a version when
it becomes current; the document JSON is stored for every version as the parser produced it.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from parsers.model import Document
from storage import report_rows as rows
from storage.bulk import insert_rows
from storage.chunks import chunks_from_document
from storage.cross_year import refresh_cross_year
from storage.models import (
    EVENT_CHANGED,
    EVENT_CORRECTED,
    EVENT_GONE,
    EVENT_NEW_REPORT,
    EVENT_REAPPEARED,
    EVENT_SUPERSEDED,
    CheckResult,
    Event,
    Fact,
    Report,
    ReportVersion,
    utcnow,
)
from storage.search_index import delete_chunks, insert_chunks

MAX_FACT_CHANGES_IN_EVENT = 100
_CORRECTION_TITLE = re.compile(r"更正|修正|修订")
_REPLACES_TEXT = re.compile(r"(替代|代替|取代|替换)(原|此前|之前|前期|已)|更正说明|更正如下")


@dataclass(frozen=True, slots=True)
class FetchIds:
    page: int
    attachments: list[int]
    parsed: int


@dataclass(frozen=True, slots=True)
class StoredReport:
    report_id: int
    version_id: int
    outcome: str  # new_report | new_version | correction | unchanged
    identity_key: str
    events: list[int] = field(default_factory=list)


# --- keys ---------------------------------------------------------------------------------------


def normalize_agency(agency: str) -> str:
    return "".join(unicodedata.normalize("NFKC", agency).split())


def _squash(text: str | None) -> str:
    return " ".join((text or "").split())


def content_key(doc: Document, attachment_sha256s: list[str]) -> str:
    payload = {
        "agency": doc.agency,
        "year": doc.year,
        "title": _squash(doc.title),
        "template": doc.template,
        "sections": [[s.number, _squash(s.heading), _squash(s.text)] for s in doc.sections],
        "facts": sorted([f.table, f.row, f.col, repr(f.value), f.raw or ""] for f in doc.facts),
        "attachments": sorted(attachment_sha256s),
    }
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def identity_key(doc: Document, ckey: str) -> str:
    if doc.agency and doc.year:
        return f"{normalize_agency(doc.agency)}|{doc.year}"
    return f"content:{ckey}"


def is_correction(doc: Document) -> bool:
    if doc.title and _CORRECTION_TITLE.search(doc.title):
        return True
    opening = "".join(s.text or "" for s in doc.sections)[:400]
    return bool(_REPLACES_TEXT.search(opening))


# --- storing ------------------------------------------------------------------------------------


def _as_document(document: Document | dict[str, Any]) -> Document:
    return document if isinstance(document, Document) else Document.from_dict(document)


def store_report(
    s: Session,
    *,
    run_id: int,
    document: Document | dict[str, Any],
    fetches: FetchIds,
    source_id: int | None = None,
    identity: str | None = None,
    canonical_url: str | None = None,
    supersedes_version_id: int | None = None,
    superseded: bool = False,
    published: tuple[date, str] | None = None,
) -> StoredReport:
    """`published`: the date the report's page says it was published and where it says so (meta, page,
    url), kept on a new version."""
    doc = _as_document(document)
    s.flush()  # the caller's pending ORM changes first: the rules below read and write with Core
    known = rows.fetch_rows(s, [fetches.page, fetches.parsed, *fetches.attachments])
    page, parsed = known.get(fetches.page), known.get(fetches.parsed)
    attachments = [known.get(fid) for fid in fetches.attachments]
    if page is None or parsed is None or any(a is None for a in attachments):
        raise ValueError("store_report: unknown fetch id")
    if parsed.sha256 is None:
        raise ValueError(f"store_report: fetch {parsed.id} has no content to have been parsed")
    source_id = source_id or page.source_id or parsed.source_id
    if source_id is None:
        raise ValueError("store_report: the page fetch has no source; pass source=")
    links = [(page, "page")] + [(a, "attachment") for a in attachments if a is not None]

    now = utcnow()
    attachment_shas = [f.sha256 for f, role in links[1:] if f.sha256 and f.id != parsed.id]
    ckey = content_key(doc, attachment_shas)
    ikey = identity or identity_key(doc, ckey)
    events: list[int] = []

    report = rows.report_by_identity(s, source_id, ikey)
    if report is None:
        # The same content already stored under another source (one report on several sites, E13).
        report = rows.report_by_content(s, ikey, ckey)
    created = False
    if report is None:
        new_id = rows.insert_report(
            s,
            {
                "source_id": source_id,
                "identity_key": ikey,
                "agency": doc.agency,
                "year": doc.year,
                "title": doc.title,
                "canonical_url": canonical_url or page.final_url,
                "status": "current",
                "first_seen": now,
                "last_seen": now,
                "last_seen_run_id": run_id,
                "missing_runs": 0,
            },
        )
        if new_id is not None:
            created = True  # ours: no version of it can exist yet, nothing to look up
            report = rows.ReportRow(new_id, source_id, doc.agency, doc.year, "current", doc.title)
        else:  # another writer created it a moment ago
            report = rows.report_by_identity(s, source_id, ikey)
        assert report is not None

    version = None if created else rows.version_by_content(s, report.id, ckey)
    previous: rows.VersionRow | None = None
    new_version = version is None
    if version is not None:
        outcome = "unchanged"
        rows.version_seen(s, version.id, now)
        if report.status == "gone":
            report.status = "current"
            rows.update_report(s, report.id, status="current")
            events.append(_event(s, EVENT_REAPPEARED, run_id, report, version, {"url": page.final_url}))
    else:
        number = 1
        if not created:
            previous = rows.current_version(s, report.id)
            number = rows.next_version_number(s, report.id)
        correction = supersedes_version_id is not None or is_correction(doc)
        # An earlier content seen after its replacement: a page saying it was replaced (superseded=True),
        # or an original that turns up after its correction. Kept as a superseded version, no event.
        if (
            previous is not None
            and supersedes_version_id is None
            and (superseded or (previous.is_correction and not correction))
        ):
            version = _insert_version(
                s, run_id, report, doc, ckey, number, parsed, now, "superseded", False, published=published
            )
            rows.link_fetches(s, version, links, now, new_version=True, new_report=False)
            rows.report_seen(s, report.id, run_id, now)
            return StoredReport(report.id, version.id, "superseded_version", ikey, events)
        if previous is not None:
            # The partial unique index allows one current version per report: demote the old one first.
            rows.set_version_status(s, previous.id, "superseded")
        version = _insert_version(
            s,
            run_id,
            report,
            doc,
            ckey,
            number,
            parsed,
            now,
            "current",
            correction,
            supersedes_id=supersedes_version_id or (previous.id if previous is not None else None),
            published=published,
        )
        if not created:
            title = doc.title or report.title
            if title != report.title or report.status != "current":
                report.title, report.status = title, "current"
                rows.update_report(s, report.id, title=title, status="current")
        write_derived_rows(s, version, doc, report, replaced=previous, fresh=True)
        if previous is None and created:
            outcome = "new_report"
            events.append(_event(s, EVENT_NEW_REPORT, run_id, report, version, {"url": page.final_url}))
        elif (announced := _announced_new_in_run(s, run_id, report.id)) is not None:
            # E.g. the correction arriving after its original: no second event; the report and its
            # `new_report` event name the current version and page, as when the correction comes first.
            outcome = "revised_in_run"
            rows.update_report(s, report.id, canonical_url=canonical_url or page.final_url)
            s.execute(
                update(Event)
                .where(Event.id == announced)
                .values(version_id=version.id, detail={"url": page.final_url})
            )
        elif previous is None:
            outcome = "new_version"
            events.append(_event(s, EVENT_CHANGED, run_id, report, version, {"url": page.final_url}))
        else:
            outcome = "correction" if correction else "new_version"
            detail = {
                "url": page.final_url,
                "previous_version_id": previous.id,
                **fact_changes(s, previous.id, doc),
            }
            events.append(
                _event(s, EVENT_CORRECTED if correction else EVENT_CHANGED, run_id, report, version, detail)
            )
        if supersedes_version_id is not None:
            events.extend(_supersede_other_report(s, run_id, supersedes_version_id, report))

    rows.link_fetches(s, version, links, now, new_version=new_version, new_report=created)
    if not created:
        rows.report_seen(s, report.id, run_id, now)
    rows.mark_parsed(s, parsed.id, doc.parser_version, now)
    if doc.agency:
        rows.add_agency(s, doc.agency, now)
    return StoredReport(report.id, version.id, outcome, ikey, events)


def _insert_version(
    s: Session,
    run_id: int,
    report: rows.ReportRow,
    doc: Document,
    ckey: str,
    number: int,
    parsed: rows.FetchRow,
    now: Any,
    status: str,
    correction: bool,
    *,
    supersedes_id: int | None = None,
    published: tuple[date, str] | None = None,
) -> rows.VersionRow:
    return rows.insert_version(
        s,
        {
            "report_id": report.id,
            "number": number,
            "content_key": ckey,
            "status": status,
            "is_correction": correction,
            "supersedes_id": supersedes_id,
            "parsed_fetch_id": parsed.id,
            "sha256": parsed.sha256,
            "parser_version": doc.parser_version,
            "template": doc.template,
            "title": doc.title,
            "agency": doc.agency,
            "year": doc.year,
            "document": doc.to_dict(),
            "parsed_at": now,
            "first_seen": now,
            "last_seen": now,
            "run_id": run_id,
            "published": published[0] if published else None,
            "published_from": published[1] if published else None,
        },
    )


FACT_COLUMNS = ("version_id", "table_key", "row_key", "col_key", "value", "raw", "label", "unit", "page")
CHECK_COLUMNS = ("version_id", "rule", "where", "ok", "expected", "actual", "message", "origin")


def write_derived_rows(
    s: Session,
    version: Any,
    doc: Document,
    report: Any,
    *,
    replaced: Any | None,
    current: bool = True,
    fresh: bool = False,
) -> None:
    """Facts and parser checks of a version, and for a current version its search chunks and
    cross-year checks (the chunks of the version it `replaced` are removed). Rows derived from an
    older parse of the same version are replaced; `fresh` says the version was just created and has
    none. `version` and `report` need `id` (and the report `agency`, `year`, `source_id`)."""
    if not fresh:
        rows.delete_for_version(s, Fact, version.id)
        rows.delete_for_version(s, CheckResult, version.id, origin="parser")
    insert_rows(
        s,
        "fact",
        FACT_COLUMNS,
        [(version.id, f.table, f.row, f.col, f.value, f.raw, f.label, f.unit, f.page) for f in doc.facts],
    )
    insert_rows(
        s,
        "check_result",
        CHECK_COLUMNS,
        [(version.id, c.rule, c.where, c.ok, c.expected, c.actual, c.message, "parser") for c in doc.checks],
    )
    if not current:
        return
    if replaced is not None:
        delete_chunks(s, replaced.id)
    if not fresh:
        delete_chunks(s, version.id)
    insert_chunks(
        s,
        [
            {
                "version_id": version.id,
                "report_id": report.id,
                "ordinal": c.ordinal,
                "heading": c.heading,
                "page": c.page,
                "text": c.text,
                "agency": report.agency,
                "year": report.year,
                "template": doc.template,
            }
            for c in chunks_from_document(doc)
        ],
    )
    refresh_cross_year(s, version, report, doc.facts, fresh=fresh)


def fact_changes(s: Session, old_version_id: int, doc: Document) -> dict[str, Any]:
    """What changed between a stored version's facts and a new document's, for the event detail."""
    old = {
        (table, row, col): value
        for table, row, col, value in s.execute(
            select(Fact.table_key, Fact.row_key, Fact.col_key, Fact.value)
            .where(Fact.version_id == old_version_id)
            .order_by(Fact.id)
        )
    }
    new = {f.key: f.value for f in doc.facts}
    changes = [
        {"table": k[0], "row": k[1], "col": k[2], "old": old.get(k), "new": new.get(k)}
        for k in sorted(set(old) | set(new))
        if old.get(k) != new.get(k) or (k in old) != (k in new)
    ]
    return {"fact_changes": changes[:MAX_FACT_CHANGES_IN_EVENT], "fact_changes_total": len(changes)}


def _announced_new_in_run(s: Session, run_id: int | None, report_id: int) -> int | None:
    """The id of this run's `new_report` event for the report, if this run created it."""
    if run_id is None:
        return None
    q = select(Event.id).where(
        Event.report_id == report_id, Event.run_id == run_id, Event.kind == EVENT_NEW_REPORT
    )
    return s.scalar(q.limit(1))


def _event(
    s: Session,
    kind: str,
    run_id: int | None,
    report: Any,
    version: Any | None,
    detail: dict[str, Any] | None,
) -> int:
    return rows.insert_event(
        s,
        {
            "kind": kind,
            "occurred_at": utcnow(),
            "run_id": run_id,
            "source_id": report.source_id,
            "report_id": report.id,
            "version_id": version.id if version is not None else None,
            "detail": detail,
        },
    )


def _supersede_other_report(s: Session, run_id: int, old_version_id: int, new_report: Report) -> list[int]:
    old_version = s.get(ReportVersion, old_version_id)
    if old_version is None or old_version.report_id == new_report.id:
        return []
    return [supersede_report(s, run_id, old_version.report_id, new_report.id, "corrected by a later version")]


def supersede_report(s: Session, run_id: int, old_report_id: int, new_report_id: int, reason: str) -> int:
    old = s.get(Report, old_report_id)
    if old is None or s.get(Report, new_report_id) is None:
        raise ValueError("supersede_report: unknown report id")
    old.status = "superseded"
    old.superseded_by_id = new_report_id
    return _event(s, EVENT_SUPERSEDED, run_id, old, None, {"superseded_by": new_report_id, "reason": reason})


def sweep_missing(
    s: Session, run_id: int, source_id: int, *, gone_after: int, spare: Collection[int] = ()
) -> list[int]:
    gone: list[int] = []
    missing = s.scalars(
        select(Report).where(
            Report.source_id == source_id,
            Report.status == "current",
            (Report.last_seen_run_id.is_(None)) | (Report.last_seen_run_id != run_id),
        )
    )
    spare = set(spare)
    for report in missing:
        if report.id in spare:  # the run could not check it (its page failed): not missing either
            continue
        report.missing_runs += 1
        if report.missing_runs >= gone_after:
            report.status = "gone"
            gone.append(report.id)
            _event(
                s,
                EVENT_GONE,
                run_id,
                report,
                None,
                {"missing_runs": report.missing_runs, "last_seen": report.last_seen.isoformat()},
            )
    return gone
