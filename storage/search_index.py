"""Writing and querying the chunk index, the one place that knows how each backend stores it.

PostgreSQL: `chunk.tsv` is a `tsvector` built from our bigram tokens as a literal (so the server's
text parser, which would treat a run of Han characters as one word, never sees the text), with a
GIN index; a query is a `tsquery` literal of phrases. SQLite: an FTS5 table `chunk_fts` whose rowid is
`chunk.id`, holding the space-joined tokens; a query is FTS5 phrases. Both get their tokens from
`storage.tokens`, so documents and queries are always tokenised alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, TextClause, bindparam, cast, column, delete, insert, text
from sqlalchemy import table as sql_table
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Session

from storage.models import Chunk
from storage.tokens import Term, fts5_document, fts5_query, search_tokens, tsquery_literal, tsvector_literal

FTS_TABLE = "chunk_fts"
_CHUNK_COLUMNS = (
    "version_id",
    "report_id",
    "ordinal",
    "heading",
    "page",
    "text",
    "agency",
    "year",
    "template",
)


def insert_chunks(conn: Session | Connection, rows: Sequence[dict[str, Any]]) -> int:
    """Insert chunk rows (dicts with the `chunk` columns) and index them. Returns how many."""
    if not rows:
        return 0
    dialect = conn.get_bind().dialect.name if isinstance(conn, Session) else conn.dialect.name
    table = Chunk.__table__
    if dialect == "postgresql":
        # `tsv` is not mapped (it exists on PostgreSQL only): insert through a lightweight table.
        pg_chunk = sql_table("chunk", *(column(c) for c in _CHUNK_COLUMNS), column("tsv"))
        stmt = insert(pg_chunk).values(tsv=cast(bindparam("tsv_literal"), TSVECTOR))
        params = [
            {
                **{k: r.get(k) for k in _CHUNK_COLUMNS},
                "tsv_literal": tsvector_literal(search_tokens(r["text"])),
            }
            for r in rows
        ]
        conn.execute(stmt, params)
        return len(rows)
    ids = conn.execute(
        insert(table).returning(table.c.id, sort_by_parameter_order=True),
        [{k: r.get(k) for k in _CHUNK_COLUMNS} for r in rows],
    ).scalars()
    fts_rows = [
        {"rowid": chunk_id, "tokens": fts5_document(search_tokens(r["text"]))}
        for chunk_id, r in zip(ids, rows, strict=True)
    ]
    conn.execute(text(f"INSERT INTO {FTS_TABLE} (rowid, tokens) VALUES (:rowid, :tokens)"), fts_rows)
    return len(rows)


def delete_chunks(session: Session, version_id: int) -> None:
    if session.get_bind().dialect.name != "postgresql":
        session.execute(
            text(f"DELETE FROM {FTS_TABLE} WHERE rowid IN (SELECT id FROM chunk WHERE version_id = :v)"),
            {"v": version_id},
        )
    session.execute(delete(Chunk).where(Chunk.version_id == version_id))


def match_clause(dialect: str, terms: list[Term]) -> TextClause:
    """A WHERE clause on `chunk` keeping the chunks whose tokens contain every term's phrase."""
    if dialect == "postgresql":
        return text("chunk.tsv @@ CAST(:tsquery AS tsquery)").bindparams(tsquery=tsquery_literal(terms))
    return text(f"chunk.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :fts)").bindparams(
        fts=fts5_query(terms)
    )
