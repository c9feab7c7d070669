"""Writing and querying the chunk index, the one place that knows how each backend stores it.

PostgreSQL: `chunk.tsv` is a `tsvector` built from our bigram tokens as a literal (so the server's
text parser, which would treat a run of Han characters as one word, never sees the text), with a
GIN index; a query is a `tsquery` literal of phrases.

SQLite: an FTS5 table `chunk_fts(tokens, chunk_id UNINDEXED)` holding the space-joined tokens. Its
rowid is not the chunk id but the chunk's place in the search order (`order_key`: newest year first,
then report, then position), so FTS5 hands matches back in that order and a query stops as soon as it
has enough, whatever the term's frequency; a year filter is a rowid range.

Both get their tokens from `storage.tokens`, so documents and queries are always tokenised alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, TextClause, delete, text
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

# order_key layout: (9999 - year) | (999,999,999 - report_id) | ordinal, in decimal fields.
_YEAR_UNIT = 10**14
_REPORT_UNIT = 10**5
_MAX_REPORT_ID = 10**9 - 1
ORDER_KEY_SQL = (
    f"((9999 - COALESCE(year, 0)) * {_YEAR_UNIT} + ({_MAX_REPORT_ID} - report_id) * {_REPORT_UNIT} + ordinal)"
)


def order_key(year: int | None, report_id: int, ordinal: int) -> int:
    """An integer that sorts like (year DESC NULLS LAST, report_id DESC, ordinal)."""
    if not 0 <= ordinal < _REPORT_UNIT or not 0 < report_id <= _MAX_REPORT_ID:
        raise ValueError(f"chunk ordinal {ordinal} or report id {report_id} out of the order key's range")
    return (9999 - (year or 0)) * _YEAR_UNIT + (_MAX_REPORT_ID - report_id) * _REPORT_UNIT + ordinal


def year_key_range(year: int) -> tuple[int, int]:
    """The order_key range of one year's chunks."""
    lo = (9999 - year) * _YEAR_UNIT
    return lo, lo + _YEAR_UNIT - 1


def _dialect(conn: Session | Connection) -> str:
    return conn.get_bind().dialect.name if isinstance(conn, Session) else conn.dialect.name


def insert_chunks(conn: Session | Connection, rows: Sequence[dict[str, Any]]) -> int:
    """Insert chunk rows (dicts with the `chunk` columns) and index them. Returns how many.

    Straight through the driver (storage/bulk.py): PostgreSQL `COPY` with the `tsv` literal, SQLite one
    prepared INSERT per chunk (its id is the FTS row's `chunk_id`) and one executemany into FTS5."""
    if not rows:
        return 0
    driver = _driver_connection(conn)
    columns = ", ".join(_CHUNK_COLUMNS)
    if _dialect(conn) == "postgresql":
        # `tsv` is not mapped (it exists on PostgreSQL only); COPY parses the literal with tsvector's input.
        with driver.cursor() as cur, cur.copy(f"COPY chunk ({columns}, tsv) FROM STDIN") as copy:
            for r in rows:
                copy.write_row(
                    (*(r.get(k) for k in _CHUNK_COLUMNS), tsvector_literal(search_tokens(r["text"])))
                )
        return len(rows)
    insert_sql = f"INSERT INTO chunk ({columns}) VALUES ({', '.join('?' for _ in _CHUNK_COLUMNS)})"
    fts_rows = []
    cur = driver.cursor()
    try:
        for r in rows:
            cur.execute(insert_sql, tuple(r.get(k) for k in _CHUNK_COLUMNS))
            fts_rows.append(
                (
                    order_key(r.get("year"), r["report_id"], r["ordinal"]),
                    fts5_document(search_tokens(r["text"])),
                    cur.lastrowid,
                )
            )
        cur.executemany(f"INSERT INTO {FTS_TABLE} (rowid, tokens, chunk_id) VALUES (?, ?, ?)", fts_rows)
    finally:
        cur.close()
    return len(rows)


def _driver_connection(conn: Session | Connection) -> Any:
    connection = conn.connection() if isinstance(conn, Session) else conn
    return connection.connection.driver_connection


def delete_chunks(session: Session, version_id: int) -> None:
    if session.get_bind().dialect.name != "postgresql":
        session.execute(
            text(
                f"DELETE FROM {FTS_TABLE} WHERE rowid IN (SELECT {ORDER_KEY_SQL} FROM chunk WHERE version_id = :v)"
            ),
            {"v": version_id},
        )
    session.execute(delete(Chunk).where(Chunk.version_id == version_id))


def pg_match(terms: list[Term], *, table_name: str = "chunk", phrase: bool = True) -> TextClause:
    """PostgreSQL: keep the rows of `table_name` whose tsvector has every term (as a phrase)."""
    return text(f"{table_name}.tsv @@ CAST(:tsquery AS tsquery)").bindparams(
        tsquery=tsquery_literal(terms, phrase=phrase)
    )


def fts_in_order(terms: list[Term], year: int | None) -> TextClause:
    """SQLite: the ids of the chunks matching every term's phrase, in search order (newest first)."""
    where = f"{FTS_TABLE} MATCH :fts"
    params: dict[str, Any] = {"fts": fts5_query(terms)}
    if year is not None:
        where += " AND rowid BETWEEN :lo AND :hi"
        params["lo"], params["hi"] = year_key_range(year)
    return text(f"SELECT rowid AS key, chunk_id FROM {FTS_TABLE} WHERE {where} ORDER BY rowid").bindparams(
        **params
    )
