"""Chinese full-text search over report chunks.

`search(db, "信息公开", year=2020)` returns passages in a stable order (newest year first, then
report, then position in the report), at most `per_report` of one report. Each term of the query
(split on whitespace) must occur as written; the index finds candidates by phrase (CJK bigrams,
`storage.tokens`) and every candidate is rechecked on its text, so a hit is always an exact match.
A term of one Han character cannot use the index: such queries scan the chunks (correct, slow) and
say so (`scanned=True`).

How the first hits are found without sorting every match of a common word:
- SQLite: FTS5 returns matches in the search order itself (its rowid is the order key, see
  `storage/search_index.py`), so the query stops as soon as it has enough.
- PostgreSQL: GIN cannot return rows in an order. The newest chunks are walked first through the
  order index, PostgreSQL testing the phrase on each (a common word is answered in a few rows);
  only if the word is rare there does GIN find all the chunks with its tokens, which are sorted.
  The one slow case: no filter, and a word common in old reports but absent from recent ones (GIN
  then returns many rows to sort); `bench/search_bench.py` measures it.

Filters: `agency` (a substring of the agency name, resolved against the `agency` table first),
`year`, `template`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import column, func, literal_column, select, text
from sqlalchemy.orm import Session

from storage.db import Database
from storage.models import Agency, Chunk, Report
from storage.search_index import fts_in_order, pg_match
from storage.tokens import Term, contains_term, find_spans, parse_query

SNIPPET_CONTEXT = 40  # characters shown before the first match
SNIPPET_LENGTH = 160
# PostgreSQL: newest chunks walked before GIN is asked (`_rows_postgres`). Without filters a term in
# one chunk of fifty is answered by the walk, and rarer ones leave GIN few enough rows to sort; with a
# filter (a year: a few percent of the archive) a shorter walk is enough. Measured with
# bench/search_bench.py at 100,000 reports.
WALK_WINDOW = 1000
WALK_WINDOW_FILTERED = 300
# SQLite: an agency filter naming at most this many agencies reads their chunks without the index.
AGENCY_WALK_MAX = 20


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
    more: bool = False  # there are further hits (beyond `limit`, or beyond `per_report` in a report)
    scanned: bool = False  # a one-character term made us scan instead of using the index
    candidates: int = 0  # chunks checked exactly (walked, or proposed by the index)

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "terms": self.terms,
            "hits": [h.to_dict() for h in self.hits],
            "more": self.more,
            "scanned": self.scanned,
        }


def snippet(text: str, terms: list[Term]) -> tuple[str, list[tuple[int, int]]]:
    text = " ".join(text.split())  # one line reads better in a list of hits
    spans = find_spans(text, terms)
    start = max(0, spans[0][0] - SNIPPET_CONTEXT) if spans else 0
    end = min(len(text), start + SNIPPET_LENGTH)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    shown = prefix + text[start:end] + suffix
    shift = len(prefix) - start
    highlights = [(s + shift, min(e, end) + shift) for s, e in spans if s >= start and s < end]
    return shown, highlights


def search_order(dialect: str, table=None) -> tuple:  # noqa: ANN001
    """Newest year first, then report, then position; exactly what index ix_chunk_recent serves."""
    c = Chunk.__table__.c if table is None else table.c
    year = c.year.desc().nulls_last() if dialect == "postgresql" else c.year.desc()
    return (year, c.report_id.desc(), c.ordinal)


_COLUMNS = (
    "id",
    "report_id",
    "version_id",
    "ordinal",
    "agency",
    "year",
    "template",
    "heading",
    "page",
    "text",
)


def _filters(agencies: list[str] | None, year: int | None, template: str | None) -> list:
    conditions = []
    if agencies is not None:
        conditions.append(Chunk.agency.in_(agencies))
    if year is not None:
        conditions.append(Chunk.year == year)
    if template is not None:
        conditions.append(Chunk.template == template)
    return conditions


def _exact(row: Any, terms: list[Term]) -> bool:
    return all(contains_term(row.text, t) for t in terms)


@dataclass(slots=True)
class _Found:
    """Exact hits in search order, at most `per_report` passages of one report, up to `want`."""

    want: int
    per_report: int
    rows: list[Any] = field(default_factory=list)
    examined: int = 0
    skipped: int = 0  # exact hits left out because their report already shows enough

    @property
    def full(self) -> bool:
        return len(self.rows) >= self.want


def _first_exact(
    s: Session, stmt: Any, terms: list[Term], want: int, per_report: int, *, stream: bool = True
) -> _Found:
    """Run `stmt` (already in search order), keep the exact hits, stop at `want` of them.

    `stream` reads rows as needed (a server-side cursor on PostgreSQL, worth its extra round trips
    only when the candidates may be many)."""
    found = _Found(want, per_report)
    shown: dict[int, int] = {}
    result = s.execute(stmt.execution_options(yield_per=200) if stream else stmt)
    try:
        for row in result:
            found.examined += 1
            if not _exact(row, terms):
                continue
            if shown.get(row.report_id, 0) >= per_report:
                found.skipped += 1
                continue
            shown[row.report_id] = shown.get(row.report_id, 0) + 1
            found.rows.append(row)
            if found.full:
                break
    finally:
        result.close()
    return found


def _chunks(dialect: str, filters: list, table=None) -> Any:  # noqa: ANN001
    table = Chunk.__table__ if table is None else table
    return select(*(table.c[c] for c in _COLUMNS)).where(*filters).order_by(*search_order(dialect))


def _rows_sqlite(
    s: Session,
    terms: list[Term],
    agencies: list[str] | None,
    year: int | None,
    template: str | None,
    want: int,
    per_report: int,
) -> _Found:
    indexed = [t for t in terms if t.indexable]
    filters = _filters(agencies, year, template)
    if agencies is not None and len(agencies) <= AGENCY_WALK_MAX:
        # A few agencies have few chunks: read them all in order, no index needed.
        return _first_exact(s, _chunks("sqlite", filters), terms, want, per_report)
    # FTS5 yields the matches in search order (its rowid is the order key): stop at the first hits.
    fts = fts_in_order(indexed, year).columns(column("key"), column("chunk_id")).subquery("f")
    table = Chunk.__table__
    stmt = (
        select(*(table.c[c] for c in _COLUMNS))
        .select_from(fts.join(table, table.c.id == fts.c.chunk_id))
        .where(*_filters(agencies, None, template))
        .order_by(fts.c.key)
    )
    return _first_exact(s, stmt, terms, want, per_report)


def _rows_postgres(s: Session, terms: list[Term], filters: list, want: int, per_report: int) -> _Found:
    indexed = [t for t in terms if t.indexable]
    # 1. Walk the newest chunks (index ix_chunk_recent), PostgreSQL testing the phrase on each: a
    #    common term is answered after a few rows. At most WALK_WINDOW rows.
    size = WALK_WINDOW_FILTERED if filters else WALK_WINDOW
    window = _chunks("postgresql", filters).add_columns(literal_column("chunk.tsv").label("tsv"))
    w = window.limit(size).subquery("w")
    walk = select(*(w.c[c] for c in _COLUMNS)).where(pg_match(indexed, table_name="w"))
    walk = walk.order_by(*search_order("postgresql", w)).limit(8 * want)
    found = _first_exact(s, walk, terms, want, per_report, stream=False)
    if found.full:
        return found
    # Did the walk see every chunk the filters allow (an agency's, say)? Then that is the answer.
    allowed = select(Chunk.id).where(*filters).limit(size).subquery()
    if s.scalar(select(func.count()).select_from(allowed)) < size:
        return found
    # 2. The term is rare among the newest rows: let GIN find the chunks with a few of its tokens
    #    (no phrase: GIN answers that without reading rows twice), sort them and recheck in order.
    # Not the order index again; and no JIT: compiling this plan would cost more than running it.
    s.execute(text("SET LOCAL enable_indexscan = off; SET LOCAL jit = off"))
    stmt = _chunks("postgresql", [*filters, pg_match(_few_tokens(indexed), phrase=False)])
    complete = _first_exact(s, stmt, terms, want, per_report)
    complete.examined += found.examined
    return complete


def _few_tokens(terms: list[Term], per_term: int = 4) -> list[Term]:
    """At most `per_term` tokens of each term, first and last included: enough to make the index's
    candidates few, while every token more costs a posting list to read. The recheck is exact."""
    out = []
    for t in terms:
        n = len(t.tokens)
        if n <= per_term:
            out.append(t)
            continue
        picks = sorted({round(i * (n - 1) / (per_term - 1)) for i in range(per_term)})
        out.append(Term(text=t.text, tokens=tuple(t.tokens[i] for i in picks)))
    return out


def _rows_scanning(
    s: Session, dialect: str, terms: list[Term], filters: list, want: int, per_report: int
) -> _Found:
    """One-character terms only: no index can help; LIKE over the chunks, then the exact recheck."""
    likes = [Chunk.text.contains(t.text, autoescape=True) for t in terms]
    return _first_exact(s, _chunks(dialect, [*filters, *likes]), terms, want, per_report)


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
    per_report: int = 3,
) -> SearchResult:
    """Hits in search order (newest year first), at most `per_report` passages of one report."""
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
        want = limit + 1  # one more than shown tells whether there are more
        filters = _filters(agencies, year, template)
        if result.scanned:
            found = _rows_scanning(s, db.dialect, terms, filters, want, per_report)
        elif db.dialect == "postgresql":
            found = _rows_postgres(s, terms, filters, want, per_report)
        else:
            found = _rows_sqlite(s, terms, agencies, year, template, want, per_report)
        result.candidates = found.examined
        result.more = len(found.rows) > limit or found.skipped > 0
        result.hits = build_hits(s, found.rows[:limit], terms)
    return result


def build_hits(s: Session, rows: list[Any], terms: list[Term]) -> list[Hit]:
    """Hits with their report's title and URL and a highlighted snippet, from chunk rows."""
    reports = {
        r.id: r
        for r in s.execute(
            select(Report.id, Report.title, Report.canonical_url, Report.status).where(
                Report.id.in_({row.report_id for row in rows})
            )
        )
    }
    hits = []
    for row in rows:
        rep = reports[row.report_id]
        shown, highlights = snippet(row.text, terms)
        hits.append(
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
    return hits
