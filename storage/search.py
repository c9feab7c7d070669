"""Chinese full-text search over report chunks.

`search(db, "信息公开", year=2020)` returns the hits in a stable order (newest year first, then
report, then position in the report). Each term of the query (split on whitespace) must occur as
written; the index finds candidates by phrase (CJK bigrams, `storage.tokens`) and every candidate is
rechecked on its text, so a hit is always an exact match. A term of one Han character cannot use
the index: such queries scan the chunks (correct, slow) and say so (`scanned=True`).

Filters: `agency` (a substring of the agency name, resolved against the `agency` table first),
`year`, `template`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import Select, and_, select
from sqlalchemy.orm import Session

from storage.db import Database
from storage.models import Agency, Chunk, Report
from storage.search_index import match_clause
from storage.tokens import Term, contains_term, find_spans, parse_query

SNIPPET_CONTEXT = 40  # characters shown before the first match
SNIPPET_LENGTH = 160
BATCH_FACTOR = 4  # candidates fetched per batch, as a multiple of the hits still wanted


class QueryError(ValueError):
    """The query has nothing to search for."""


@dataclass(slots=True)
class Hit:
    report_id: int
    version_id: int
    chunk_id: int
    agency: str | None
    year: int | None
    template: str | None
    title: str | None
    heading: str | None
    page: int | None
    snippet: str
    highlights: list[tuple[int, int]]  # (start, end) offsets into `snippet`
    url: str | None
    report_status: str

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["highlights"] = [list(h) for h in self.highlights]
        return d


@dataclass(slots=True)
class SearchResult:
    query: str
    terms: list[str]
    hits: list[Hit] = field(default_factory=list)
    more: bool = False  # there are further hits beyond `limit`
    scanned: bool = False  # a one-character term made us scan instead of using the index
    candidates: int = 0  # chunks the index proposed (before the exact recheck)

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "terms": self.terms,
            "hits": [h.to_dict() for h in self.hits],
            "more": self.more,
            "scanned": self.scanned,
        }


def snippet(text: str, terms: list[Term]) -> tuple[str, list[tuple[int, int]]]:
    spans = find_spans(text, terms)
    flat = " ".join(text.split())
    if flat != text:
        # Work on the one-line form so the snippet reads well; recompute spans on it.
        text, spans = flat, find_spans(flat, terms)
    start = max(0, spans[0][0] - SNIPPET_CONTEXT) if spans else 0
    end = min(len(text), start + SNIPPET_LENGTH)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    shown = prefix + text[start:end] + suffix
    shift = len(prefix) - start
    highlights = [(s + shift, min(e, end) + shift) for s, e in spans if s >= start and s < end]
    return shown, highlights


def _base_query(
    dialect: str, terms: list[Term], agencies: list[str] | None, year: int | None, template: str | None
) -> Select:
    indexed = [t for t in terms if t.indexable]
    conditions = []
    if indexed:
        conditions.append(match_clause(dialect, indexed))
    else:
        # One-character terms only: scan (LIKE), then the exact recheck below.
        conditions.extend(Chunk.text.contains(t.text, autoescape=True) for t in terms)
    if agencies is not None:
        conditions.append(Chunk.agency.in_(agencies))
    if year is not None:
        conditions.append(Chunk.year == year)
    if template is not None:
        conditions.append(Chunk.template == template)
    return (
        select(
            Chunk.id,
            Chunk.report_id,
            Chunk.version_id,
            Chunk.agency,
            Chunk.year,
            Chunk.template,
            Chunk.heading,
            Chunk.page,
            Chunk.text,
        )
        .where(and_(*conditions))
        .order_by(Chunk.year.desc().nulls_last(), Chunk.report_id.desc(), Chunk.ordinal)
    )


def resolve_agencies(s: Session, agency: str) -> list[str]:
    """Agency names containing `agency` (the agency table is small; chunks are not)."""
    return list(s.scalars(select(Agency.name).where(Agency.name.contains(agency, autoescape=True))))


def search(
    db: Database,
    query: str,
    *,
    agency: str | None = None,
    year: int | None = None,
    template: str | None = None,
    limit: int = 20,
) -> SearchResult:
    terms = parse_query(query)
    if not terms:
        raise QueryError("nothing to search for: give at least one word (two or more characters find best)")
    result = SearchResult(
        query=query, terms=[t.text for t in terms], scanned=not any(t.indexable for t in terms)
    )
    with db.session() as s:
        agencies = resolve_agencies(s, agency) if agency else None
        if agencies == []:
            return result
        stmt = _base_query(db.dialect, terms, agencies, year, template)
        rows: list[Any] = []
        offset = 0
        while len(rows) <= limit:
            batch_size = max(BATCH_FACTOR * (limit + 1 - len(rows)), 20)
            batch = s.execute(stmt.offset(offset).limit(batch_size)).all()
            result.candidates += len(batch)
            rows.extend(r for r in batch if all(contains_term(r.text, t) for t in terms))
            if len(batch) < batch_size:
                break
            offset += batch_size
        result.more = len(rows) > limit
        rows = rows[:limit]
        reports = {
            r.id: r
            for r in s.execute(
                select(Report.id, Report.title, Report.canonical_url, Report.status).where(
                    Report.id.in_({row.report_id for row in rows})
                )
            )
        }
    for row in rows:
        rep = reports[row.report_id]
        shown, highlights = snippet(row.text, terms)
        result.hits.append(
            Hit(
                report_id=row.report_id,
                version_id=row.version_id,
                chunk_id=row.id,
                agency=row.agency,
                year=row.year,
                template=row.template,
                title=rep.title,
                heading=row.heading,
                page=row.page,
                snippet=shown,
                highlights=highlights,
                url=rep.canonical_url,
                report_status=rep.status,
            )
        )
    return result
